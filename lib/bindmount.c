/* SPDX-License-Identifier: MIT */
/*
 * bindmount: bind, tmpfs and mkdir -p through descriptors (bindmount.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bindmount.h"
#include "escape.h"
#include "mountinfo.h"
#include "msg.h"

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000	/* linux/fcntl.h, Linux 5.2 */
#endif

/* Static: a tool must still run under a small stack limit (nslab(7)). */
static char q1[ESC_SHELL_LEN(PATH_MAX)], q2[ESC_SHELL_LEN(PATH_MAX)];
static char shell[2 * ESC_SHELL_LEN(PATH_MAX) + 64];
static char failed[PATH_MAX];

static int mount_id(int fd)
{
	struct statx stx;

	if (syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return -1;
	return (int)stx.stx_mnt_id;
}

static int attach(int treefd, int dstfd, const char *dst)
{
	int rc = (int)syscall(SYS_move_mount, treefd, "", dstfd, "",
			      MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);

	msg_narrate(NULL, rc, "move_mount(%d, \"\", %d (%s), \"\", MOVE_MOUNT_F_EMPTY_PATH|MOVE_MOUNT_T_EMPTY_PATH)",
		      treefd, dstfd, dst);
	return rc;
}

/* Every mount of the copy whose root is mount `id` says "ro". */
static enum bm_result check_ro(int id, const char **failing)
{
	struct mi_table t;
	enum bm_result r = BM_OK;

	if (mi_read(NULL, &t) < 0)
		return BM_MOUNTINFO;
	for (size_t i = 0; i < t.n && r == BM_OK; i++) {
		if ((t.e[i].id != id && !mi_below(&t, i, id)) || mi_has_option(t.e[i].options, "ro"))
			continue;
		snprintf(failed, sizeof(failed), "%s", t.e[i].target);
		*failing = failed;
		r = BM_WRITABLE;
	}
	mi_free(&t);
	return r;
}

/*
 * Before Linux 5.2 (and under valgrind 3.19, which knows none of the new
 * mount calls) mount(2) does it, onto /proc/self/fd/N: still the object
 * the descriptor holds, not a path looked up again.
 */
static int old_mount(const char *src, int dstfd, const char *type, unsigned long flags,
		     const char *data, const char *what)
{
	char at[32];
	int rc;

	snprintf(at, sizeof(at), "/proc/self/fd/%d", dstfd);
	rc = (int)syscall(SYS_mount, src, at, type, flags, data);
	msg_narrate(shell, rc, "mount(\"%s\", \"%s\" (%s), \"%s\", %s, %s%s%s)", src, at, what,
		      type, flags & MS_BIND ? "MS_BIND|MS_REC" : flags & MS_REMOUNT ? "MS_REMOUNT|MS_BIND|MS_RDONLY|..." : "MS_NOSUID|MS_NODEV",
		      data ? "\"" : "", data ? data : "NULL", data ? "\"" : "");
	return rc;
}

/* The mount on `dstfd`'s directory made last: one whose parent is its mount. */
static int mounted_on(int dstfd)
{
	char at[32], where[PATH_MAX];
	struct mi_table t;
	int parent = mount_id(dstfd), id = -1;
	ssize_t n;

	snprintf(at, sizeof(at), "/proc/self/fd/%d", dstfd);
	if ((n = readlink(at, where, sizeof(where) - 1)) < 0 || mi_read(NULL, &t) < 0)
		return -1;
	where[n] = '\0';
	for (size_t i = 0; i < t.n; i++)
		if (t.e[i].parent == parent && strcmp(t.e[i].target, where) == 0)
			id = t.e[i].id;
	mi_free(&t);
	return id;
}

/*
 * A read-only remount of one mount, by the path mountinfo gives it.  In a
 * user namespace the kernel has locked the nosuid, nodev, noexec and atime
 * flags of every mount from the parent namespace, and a remount that would
 * clear one is refused (mount(2)); so what statvfs(3) sees goes back in.
 * A mount hidden under another is reached by no path: check_ro fails it.
 */
static void remount_ro(const char *path)
{
	static const struct { unsigned long st, ms; } carry[] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_NOATIME, MS_NOATIME },
		{ ST_RELATIME, MS_RELATIME },
	};
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
	struct statvfs sv;
	int rc;

	if (statvfs(path, &sv) < 0)
		return;
	for (size_t i = 0; i < sizeof(carry) / sizeof(carry[0]); i++)
		if (sv.f_flag & carry[i].st)
			flags |= carry[i].ms;
	if (!(flags & (MS_NOATIME | MS_RELATIME)))
		flags |= MS_STRICTATIME;
	rc = (int)syscall(SYS_mount, NULL, path, "none", flags, NULL);
	snprintf(shell, sizeof(shell), "mount -o remount,bind,ro %s", esc_shell(path, q1, sizeof(q1)));
	msg_narrate(shell, rc, "mount(NULL, \"%s\", \"none\", MS_REMOUNT|MS_BIND|MS_RDONLY|..., NULL)", path);
}


static enum bm_result old_bind(int srcfd, const char *src, int dstfd, const char *dst, int flags,
			       int *attached, const char **failing)
{
	char from[32];
	struct mi_table t;
	int id, fd;

	snprintf(from, sizeof(from), "/proc/self/fd/%d", srcfd);
	if (old_mount(srcfd >= 0 ? from : src, dstfd, "none", MS_BIND | MS_REC, NULL, dst) < 0)
		return BM_ATTACH;
	if ((id = mounted_on(dstfd)) < 0)
		return BM_MOUNTINFO;
	if (attached) {
		fd = open(dst, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || mount_id(fd) != id) {
			fd >= 0 ? close(fd) : 0;
			errno = EXDEV;
			return BM_ATTACH;
		}
		*attached = fd;
	}
	if (!(flags & BM_READONLY))
		return BM_OK;
	if (mi_read(NULL, &t) < 0)
		return BM_MOUNTINFO;
	for (size_t i = 0; i < t.n; i++)
		if (t.e[i].id == id || mi_below(&t, i, id))
			remount_ro(t.e[i].target);
	mi_free(&t);
	return check_ro(id, failing);
}

enum bm_result bm_bind(int srcfd, const char *src, int dstfd, const char *dst,
		       int flags, int *attached, const char **failing)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	enum bm_result r = BM_OK;
	const char *qdst = esc_shell(dst, q2, sizeof(q2));
	int tree, rc, id;

	*failing = dst;

	/*
	 * Recursive: in a user namespace the mounts below SRC are locked to it
	 * (mount_namespaces(7)), and a copy without them is refused, EINVAL.
	 */
	snprintf(shell, sizeof(shell), "mount --rbind %s %s",
		 esc_shell(src, q1, sizeof(q1)), qdst);
	tree = (int)syscall(SYS_open_tree, srcfd >= 0 ? srcfd : AT_FDCWD, srcfd >= 0 ? "" : src,
			    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE |
			    (srcfd >= 0 ? AT_EMPTY_PATH : 0));
	msg_narrate(shell, tree, "open_tree(%s, \"%s\", OPEN_TREE_CLONE|AT_RECURSIVE)",
		      srcfd >= 0 ? "fd" : "AT_FDCWD", src);
	if (tree < 0 && errno == ENOSYS)
		return old_bind(srcfd, src, dstfd, dst, flags, attached, failing);
	if (tree < 0) {
		*failing = src;
		return BM_CLONE;
	}
	/*
	 * Read-only while detached, every mount at once: a remount changes one
	 * mount and reaches none that another hides; attr_clr is 0, so the
	 * flags the kernel has locked (mount(2)) are left alone.
	 */
	if (flags & BM_READONLY) {
		snprintf(shell, sizeof(shell), "mount -o remount,bind,ro %s", qdst);
		rc = (int)syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE,
				  &attr, sizeof(attr));
		msg_narrate(shell, rc, "mount_setattr(%d, \"\", AT_EMPTY_PATH|AT_RECURSIVE, {.attr_set = MOUNT_ATTR_RDONLY})",
			      tree);
		if (rc < 0 && errno == ENOSYS) {	/* Linux 5.2 to 5.11 */
			close(tree);
			return old_bind(srcfd, src, dstfd, dst, flags, attached, failing);
		}
		if (rc < 0) {
			r = BM_RDONLY;
			goto out;
		}
	}
	if (attach(tree, dstfd, dst) < 0) {
		r = BM_ATTACH;
		goto out;
	}
	/* Fail closed: what the kernel shows now, not what was asked. */
	if ((flags & BM_READONLY) && (id = mount_id(tree)) >= 0)
		r = check_ro(id, failing);
out:
	if (r == BM_OK && attached) {
		*attached = tree;
	} else {
		rc = errno;
		close(tree);
		errno = rc;
	}
	return r;
}

int bm_tmpfs(int dstfd, const char *dst, int *id)
{
	int fs, mnt = -1, saved;

	snprintf(shell, sizeof(shell), "mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs %s",
		 esc_shell(dst, q1, sizeof(q1)));
	/* tmpfs as bubblewrap makes it: a directory only its owner writes to. */
	fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs >= 0 && syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0) == 0 &&
	    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "mode", "0755", 0) == 0 &&
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
				   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	msg_narrate(shell, mnt, "fsmount(fsopen(\"tmpfs\") with mode=0755, MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV)");
	saved = errno;
	if (fs >= 0)
		close(fs);
	errno = saved;
	if (mnt < 0 && errno == ENOSYS) {
		/* The new tmpfs's root, checked to be the mount just made on dstfd. */
		if (old_mount("tmpfs", dstfd, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755", dst) < 0 ||
		    (mnt = open(dst, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			return -1;
		if ((*id = mount_id(mnt)) < 0 || *id != mounted_on(dstfd) || !bm_on_tmpfs(mnt, *id)) {
			close(mnt);
			errno = EXDEV;
			return -1;
		}
		return mnt;
	}
	if (mnt < 0)
		return -1;
	if (attach(mnt, dstfd, dst) < 0) {
		saved = errno;
		close(mnt);
		errno = saved;
		return -1;
	}
	*id = mount_id(mnt);
	return mnt;
}

int bm_on_tmpfs(int fd, int id)
{
	struct statfs sf;

	return fstatfs(fd, &sf) == 0 && sf.f_type == TMPFS_MAGIC && (id < 0 || mount_id(fd) == id);
}

enum bm_walk bm_walk(int rootfd, int id, const char *dir, const char *rest, int mkdirs,
		     int *fd, struct stat *st, const char **failing)
{
	char *copy = strdup(rest), *tok, *save;
	enum bm_walk r = BMW_OPEN;
	int cur, next;

	*failing = failed;
	snprintf(failed, sizeof(failed), "%s", dir);
	cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 0);
	if (!copy || cur < 0 || fstat(cur, st) < 0)
		goto out;
	for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (mkdirs && !bm_on_tmpfs(cur, id)) {
			r = BMW_OUTSIDE;
			goto out;
		}
		snprintf(failed + strlen(failed), sizeof(failed) - strlen(failed), "%s%s",
			 strcmp(failed, "/") == 0 ? "" : "/", tok);
		if (mkdirs && mkdirat(cur, tok, 0755) == 0) {
			snprintf(shell, sizeof(shell), "mkdir %s", esc_shell(failed, q1, sizeof(q1)));
			msg_narrate(shell, 0, "mkdirat(%d, \"%s\", 0755)", cur, tok);
		} else if (mkdirs && errno != EEXIST) {
			goto out;
		}
		next = openat(cur, tok, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 || fstat(next, st) < 0) {
			if (next >= 0)
				close(next);
			goto out;
		}
		close(cur);
		cur = next;
		if (S_ISLNK(st->st_mode)) {
			r = BMW_SYMLINK;
			goto out;
		}
		if (mkdirs && !S_ISDIR(st->st_mode)) {
			r = BMW_NOTDIR;
			goto out;
		}
	}
	free(copy);
	*fd = cur;
	return BMW_OK;
out:
	next = errno;
	if (cur >= 0)
		close(cur);
	free(copy);
	errno = next;
	return r;
}

char *bm_lexical(const char *path)
{
	char *cwd = NULL, *buf, *out, *tok, *save;
	size_t len, o = 0;

	if (path[0] != '/' && !(cwd = getcwd(NULL, 0)))
		return NULL;
	len = (cwd ? strlen(cwd) : 0) + strlen(path) + 2;
	buf = malloc(len);
	out = malloc(len);
	if (!buf || !out) {
		free(buf);
		free(out);
		free(cwd);
		errno = ENOMEM;
		return NULL;
	}
	snprintf(buf, len, "%s/%s", cwd ? cwd : "", path);
	free(cwd);
	for (tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, "..") == 0) {
			free(buf);
			free(out);
			errno = EINVAL;
			return NULL;
		}
		if (strcmp(tok, ".") != 0)
			o += (size_t)sprintf(out + o, "/%s", tok);
	}
	if (o == 0)
		strcpy(out, "/");
	free(buf);
	return out;
}

int bm_at_or_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

enum bm_result bm_dev(int dstfd, const char *dst, int *fd, int *id, const char **failing)
{
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	};
	enum { NNODES = sizeof(nodes) / sizeof(nodes[0]) };
	static char host[NNODES][16];
	const int covered = bm_at_or_below("/dev", dst);
	enum bm_result r = BM_OK;
	int file, saved, hostfd[NNODES];
	size_t opened = 0;

	*failing = failed;
	for (; opened < NNODES; opened++) {
		snprintf(host[opened], sizeof(host[opened]), "/dev/%s", nodes[opened]);
		if ((hostfd[opened] = open(host[opened], O_PATH | O_CLOEXEC)) < 0) {
			snprintf(failed, sizeof(failed), "%s", host[opened]);
			r = BM_HOSTDEV;
			goto out;
		}
	}
	if ((*fd = bm_tmpfs(dstfd, dst, id)) < 0) {
		r = BM_TMPFS;
		goto out;
	}
	for (size_t i = 0; i < NNODES && r == BM_OK; i++) {
		snprintf(failed, sizeof(failed), "%s/%s", dst, nodes[i]);
		file = openat(*fd, nodes[i], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		snprintf(shell, sizeof(shell), "touch %s", esc_shell(failed, q1, sizeof(q1)));
		msg_narrate(shell, file < 0 ? -1 : 0, "openat(%d, \"%s\", O_CREAT|O_EXCL, 0666)", *fd, nodes[i]);
		if (file < 0) {
			r = BM_CREATE;
			break;
		}
		msg_narrate_shell(!covered);
		r = bm_bind(hostfd[i], host[i], file, failed, 0, NULL, failing);
		msg_narrate_shell(1);
		close(file);
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]) && r == BM_OK; i++) {
		snprintf(failed, sizeof(failed), "%s/%s", dst, links[i][0]);
		file = symlinkat(links[i][1], *fd, links[i][0]);
		snprintf(shell, sizeof(shell), "ln -s %s %s", links[i][1], esc_shell(failed, q1, sizeof(q1)));
		msg_narrate(shell, file, "symlinkat(\"%s\", %d, \"%s\")", links[i][1], *fd, links[i][0]);
		if (file < 0)
			r = BM_CREATE;
	}
out:
	saved = errno;
	while (opened > 0)
		close(hostfd[--opened]);
	errno = saved;
	return r;
}

int bm_made_find(const struct bm_made *made, size_t n, const char *path, const char **rest)
{
	int best = -1;

	for (size_t j = 0; j < n; j++) {
		const char *forms[2] = { made[j].dir, made[j].spelled };

		for (int k = 0; k < 2; k++) {
			const char *f = forms[k];

			if (!f || strcmp(path, f) == 0 || !bm_at_or_below(path, f) ||
			    (best >= 0 && strlen(made[j].dir) < strlen(made[best].dir)))
				continue;
			best = (int)j;
			*rest = path + (strcmp(f, "/") == 0 ? 1 : strlen(f) + 1);
		}
	}
	return best;
}
