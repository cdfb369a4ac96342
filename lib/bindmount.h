/* SPDX-License-Identifier: MIT */
/*
 * bindmount: mounts made through descriptors, shaped like bubblewrap's
 * bind_mount() (bind-mount.c): each call returns a result code naming the
 * step that failed, errno kept, and where it helps the path that failed;
 * the tool words the message.  Nothing here looks a path up twice: a
 * target is opened once and every mount goes onto that descriptor
 * (open_tree, fsmount, move_mount: Linux 5.2; mount_setattr: 5.12), so a
 * directory swapped for a symbolic link meanwhile cannot redirect it; and
 * what nsmount creates is created relative to the root of a tmpfs it
 * holds, checked by mount id to be that tmpfs, never through a path of the
 * host.  Narrated through lib/msg, as lib/step is.
 */
#ifndef NSLAB_BINDMOUNT_H
#define NSLAB_BINDMOUNT_H

#include <sys/stat.h>

enum bm_result {
	BM_OK,
	BM_CLONE,	/* open_tree(SRC, OPEN_TREE_CLONE|AT_RECURSIVE) */
	BM_RDONLY,	/* mount_setattr(.., AT_RECURSIVE, MOUNT_ATTR_RDONLY) */
	BM_ATTACH,	/* move_mount onto the target */
	BM_MOUNTINFO,	/* reading /proc/self/mountinfo to check the copy */
	BM_WRITABLE,	/* a mount of the copy is writable after all: *failing */
	BM_HOSTDEV,	/* bm_dev: open the host's device *failing */
	BM_TMPFS,	/* bm_dev: mount the tmpfs */
	BM_CREATE,	/* bm_dev: create the file or link *failing */
};

#define BM_READONLY 1	/* make every mount of the copy read-only */

/*
 * `mount --rbind SRC DST`: clone SRC (the descriptor srcfd when >= 0, else
 * the path src) with every mount below it, onto the target opened as
 * dstfd; `src` and `dst` are the paths for narration.  With BM_READONLY
 * every mount of the copy is made read-only while it is still detached
 * (one mount_setattr, recursive: hidden mounts too, and the locked
 * nosuid/nodev/noexec/atime flags left as they are), then checked in
 * /proc/self/mountinfo.  *failing is src on BM_CLONE, the mount point of a
 * writable mount on BM_WRITABLE (static), else dst.  *attached, when not NULL, receives the
 * descriptor of the copy's root (close it), else it is closed.
 */
enum bm_result bm_bind(int srcfd, const char *src, int dstfd, const char *dst,
		       int flags, int *attached, const char **failing);

/*
 * `mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs DST` onto the directory
 * opened as dstfd (fsopen, fsconfig, fsmount, move_mount).  Returns a
 * descriptor of the new tmpfs's root, through which what is made in it is
 * made, and its mount id in *id (-1 where statx cannot say, before Linux
 * 5.8); -1 with errno on failure.
 */
int bm_tmpfs(int dstfd, const char *dst, int *id);

/*
 * bubblewrap's --dev onto the directory dstfd (dst for narration and
 * messages): a fresh tmpfs (its root in *fd, its mount id in *id) holding
 * null, zero, full, random, urandom and tty, each an empty file with the
 * host's device bound onto it (mknod needs privilege in the initial user
 * namespace; a bind does not), and the links fd, stdin, stdout, stderr to
 * /proc/self/fd.  The host's devices are opened before the tmpfs is
 * mounted, so where it covers /dev itself they come from those
 * descriptors, and their "$ mount" lines, which would name the new tmpfs
 * when typed, are not narrated.  Every name is made from *fd.
 */
enum bm_result bm_dev(int dstfd, const char *dst, int *fd, int *id, const char **failing);

/*
 * The tmpfs mounts nsmount makes, by --tmpfs and --dev: their directory as
 * resolved on the host and as spelled (bm_lexical), and once mounted, the
 * descriptor of their root and its mount id.
 */
struct bm_made {
	const char *dir, *spelled;
	int fd, id;
};

/*
 * The innermost of made[0..n) that `path` (absolute, lexical) lies
 * strictly below, however that tmpfs was spelled, or -1; *rest is then
 * the part of path below it ("a/b").
 */
int bm_made_find(const struct bm_made *made, size_t n, const char *path, const char **rest);

/* How bm_walk() stopped; *failing is the path it was at (static). */
enum bm_walk {
	BMW_OK,
	BMW_OPEN,	/* open or mkdir of *failing: errno */
	BMW_SYMLINK,	/* *failing is a symbolic link */
	BMW_OUTSIDE,	/* *failing is not on the tmpfs (a mount below it) */
	BMW_NOTDIR,	/* *failing is no directory, where one was to be made */
};

/*
 * Walk `rest` ("a/b/c", no "." or "..") from the root of a tmpfs held as
 * rootfd (whose mount id is `id` and directory `dir`, for messages), one
 * name at a time, following no symbolic link: RESOLVE_BENEATH and
 * RESOLVE_NO_SYMLINKS by hand, so that the link is named.  With `mkdirs`,
 * mkdir -p: each directory is made (narrated) after checking that the one
 * it is made in is that tmpfs, by fstatfs and mount id, so nothing is
 * made through a mount below it.  The final name is opened O_PATH into
 * *fd and lstat'ed into *st.
 */
enum bm_walk bm_walk(int rootfd, int id, const char *dir, const char *rest, int mkdirs,
		     int *fd, struct stat *st, const char **failing);

/* Is the descriptor on the tmpfs of mount id `id` (any mount when -1)? */
int bm_on_tmpfs(int fd, int id);

/*
 * PATH made absolute against the current directory, without "." or "//";
 * NULL with errno = EINVAL when it holds "..", which means nothing in a
 * directory that does not exist yet; NULL with errno on failure.  Malloc'd.
 */
char *bm_lexical(const char *path);

/* Is `path` the directory `dir` or below it, by spelling? */
int bm_at_or_below(const char *path, const char *dir);

#endif
