/* SPDX-License-Identifier: MIT */
/*
 * nsmount: a mount namespace of your own, with bind mounts in it.
 * unshare(CLONE_NEWNS); make every mount private, recursively, before any
 * other mount, so that nothing mounted here ever reaches the host; then the
 * bind, read-only bind and tmpfs mounts in the order given; exec the command.
 * With no mount option it does the article's step: mount --bind $HOME /root.
 * --root DIR then makes DIR the root, as a container does: pivot_root(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "diag.h"
#include "escape.h"
#include "exits.h"
#include "mountinfo.h"
#include "mountns.h"
#include "msg.h"
#include "opts.h"
#include "step.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: nsmount [-hvV] [-b src:dst] [-r src:dst] [-t dir] [--dir path]\n"
"               [--dev path] [--propagation mode] [--root dir] [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) in a new mount namespace whose mounts are all\n"
"private, after the mounts asked for, in the order given.  With no mount\n"
"option, bind $HOME onto /root.\n"
"\n"
"  -b, --bind SRC:DST        bind SRC, and the mounts below it, onto DST\n"
"  -r, --ro-bind SRC:DST     the same, read-only (every mount of the copy)\n"
"  -t, --tmpfs DIR           mount an empty tmpfs on DIR\n"
"      --dir PATH            make the directory PATH (and its parents) in a\n"
"                            tmpfs made before it, to mount on\n"
"      --dev PATH            a minimal /dev on PATH: a tmpfs with null, zero,\n"
"                            full, random, urandom and tty bound from /dev\n"
"      --sys DIR             a fresh sysfs on DIR, for the current network\n"
"                            namespace (ip netns exec's /sys)\n"
"      --root DIR            after the other mounts, make DIR the root\n"
"                            (pivot_root) and start in it at /\n"
"      --propagation MODE    first make every mount private (default), slave,\n"
"                            shared, or leave them unchanged\n"
"  -v, --verbose             narrate each mount(2) and its mount(8) command\n"
"  -h, --help                show this help\n"
"  -V, --version             show the version\n"
"\n"
"Sources and targets must exist: nsmount creates nothing on the host, only\n"
"--dir and --dev inside a tmpfs it has made.  Mounting needs\n"
"CAP_SYS_ADMIN; as a user, run it under usernsselfmap.\n"
"\n"
"Exit status: COMMAND's, or 125 if nsmount failed, 126 if COMMAND could\n"
"not be run, 127 if it was not found.  See nsmount(1).\n");
}

enum { OPT_PROPAGATION = 256, OPT_DIR, OPT_DEV, OPT_ROOT, OPT_SYS };

static const struct option longopts[] = {
	{ "bind",        required_argument, NULL, 'b' },
	{ "ro-bind",     required_argument, NULL, 'r' },
	{ "tmpfs",       required_argument, NULL, 't' },
	{ "propagation", required_argument, NULL, OPT_PROPAGATION },
	{ "dir",         required_argument, NULL, OPT_DIR },
	{ "dev",         required_argument, NULL, OPT_DEV },
	{ "root",        required_argument, NULL, OPT_ROOT },
	{ "sys",         required_argument, NULL, OPT_SYS },
	{ NULL, 0, NULL, 0 },
};

/*
 * mount_namespaces(7): a new mount namespace starts with copies of our
 * mounts, and a copy of a shared mount is a peer of the original, so a
 * mount below it would propagate back to the host.  Private cuts that;
 * slave still lets the host's new mounts in.  Shared and unchanged leave
 * the host's peer groups as they are: mounts below them do reach the host.
 */
static const struct propagation {
	const char *name;
	unsigned long flag;
} propagations[] = {
	{ "private",   MS_PRIVATE },
	{ "slave",     MS_SLAVE },
	{ "shared",    MS_SHARED },
	{ "unchanged", 0 },
};

enum kind { BIND, RO_BIND, TMPFS, MKDIR, DEV, ROOT, SYSFS };

struct mnt {
	enum kind kind;
	const char *opt;	/* "--bind", to name the option in messages */
	const char *arg;	/* the argument as given */
	char *src, *dst;	/* absolute, with symlinks resolved */
	/*
	 * Where dst lies in a tmpfs made before it (`made` is that entry), it
	 * does not exist yet: dst is then absolute, without "." or "..", and
	 * checked when its turn comes, inside the new namespace.
	 */
	const struct mnt *made;
	char *spelled;		/* TMPFS, DEV: dst as given, made absolute */
	dev_t dev;		/* TMPFS, DEV: the tmpfs, once mounted */
};

/* tmpfs as bubblewrap makes it: a directory only its owner writes to. */
#define TMPFS_FLAGS (MS_NOSUID | MS_NODEV)
#define TMPFS_DATA  "mode=0755"

static const struct propagation *parse_propagation(const char *s)
{
	for (size_t i = 0; i < sizeof(propagations) / sizeof(propagations[0]); i++)
		if (strcmp(s, propagations[i].name) == 0)
			return &propagations[i];
	msg_say("--propagation '%s': expected private, slave, shared or unchanged", s);
	exit(CHAIN_EXIT_FAIL);
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d) {
		msg_err("strndup");
		exit(CHAIN_EXIT_FAIL);
	}
	return d;
}

/* SRC:DST, one colon, two paths: a path with a colon cannot be told apart. */
static void add_bind(struct mnt *m, enum kind kind, const char *opt, const char *arg)
{
	const char *colon = strchr(arg, ':');

	if (!colon || colon == arg || !colon[1] || strchr(colon + 1, ':')) {
		msg_say("%s '%s': expected SRC:DST, two paths with no ':' in them",
			 opt, arg);
		exit(CHAIN_EXIT_FAIL);
	}
	*m = (struct mnt){ .kind = kind, .opt = opt, .arg = arg,
			   .src = xstrndup(arg, (size_t)(colon - arg)),
			   .dst = xstrndup(colon + 1, strlen(colon + 1)) };
}

static void add_tmpfs(struct mnt *m, const char *arg)
{
	if (!*arg) {
		msg_say("--tmpfs '': expected a directory");
		exit(CHAIN_EXIT_FAIL);
	}
	*m = (struct mnt){ .kind = TMPFS, .opt = "--tmpfs", .arg = arg,
			   .dst = xstrndup(arg, strlen(arg)) };
}

/* The article's step, `mount --bind $HOME /root`, checked like any --bind. */
static void add_home(struct mnt *m)
{
	const char *home = getenv("HOME");
	struct stat st;

	if (!home || !*home) {
		msg_say("HOME is %s: no home to bind onto /root", home ? "empty" : "not set");
		msg_hint("set HOME, or say what to mount with --bind SRC:DST");
		exit(CHAIN_EXIT_FAIL);
	}
	if (stat(home, &st) < 0) {
		msg_err("HOME=%s", home);
		exit(CHAIN_EXIT_FAIL);
	}
	if (!S_ISDIR(st.st_mode)) {
		msg_say("HOME=%s: not a directory", home);
		exit(CHAIN_EXIT_FAIL);
	}
	*m = (struct mnt){ .kind = BIND, .opt = "the default --bind", .arg = "$HOME:/root",
			   .src = xstrndup(home, strlen(home)), .dst = xstrndup("/root", 5) };
}

/*
 * Resolve against the current directory now, in the host's view, so the
 * paths mean what the caller meant, and fail before anything is changed.
 */
static char *resolve(const struct mnt *m, const char *what, const char *path,
		     struct stat *st)
{
	char *r = mi_realpath(path);

	if (!r || stat(r, st) < 0) {
		msg_err("%s %s: %s %s", m->opt, m->arg, what, path);
		exit(CHAIN_EXIT_FAIL);
	}
	return r;
}

/*
 * The kernel refuses to bind a mount marked unbindable, with a bare EINVAL
 * (mount_namespaces(7)): say so now, naming it, before anything changes.
 * Only with --propagation unchanged: making a mount private, slave or
 * shared also ends its being unbindable.  Unbindable mounts below SRC are
 * only left out of a recursive bind.  Without /proc to look in, the kernel
 * will still refuse at mount time.
 */
static void check_bindable(const struct mnt *m, const char *src)
{
	struct mi_table t;
	int i, id;

	if (mi_mount_id(src, &id) < 0) {
		msg_err("%s %s: statx %s", m->opt, m->arg, src);
		exit(CHAIN_EXIT_FAIL);
	}
	if (id < 0)
		return;		/* before Linux 5.8 */
	if (mi_read(NULL, &t) < 0) {
		if (errno == ENOENT)
			return;
		msg_err("read /proc/self/mountinfo");
		exit(CHAIN_EXIT_FAIL);
	}
	i = mi_find(&t, id);
	if (i >= 0 && strstr(t.e[i].optional, "unbindable")) {
		msg_say("%s %s: the mount on %s is unbindable (mount --make-unbindable); the kernel refuses to bind it",
			 m->opt, m->arg, t.e[i].target);
		exit(CHAIN_EXIT_FAIL);
	}
	mi_free(&t);
}

static const char *kind_of(const struct stat *st)
{
	return S_ISDIR(st->st_mode) ? "directory" : "file";
}

/*
 * A mount on / does not change a process's root: the root directory is
 * pinned to the mount that was there when it was set, so the command would
 * go on seeing the old root, the new mount reachable only as "/..".  A
 * read-only bind on / would leave the command's / writable.  Changing the
 * root is pivot_root(2)'s work, not a mount's.
 */
static void check_target(const struct mnt *m, const char *dst)
{
	if (strcmp(dst, "/") != 0)
		return;
	if (m->kind == ROOT)
		msg_say("--root %s: the directory is / itself, the root already: pivot_root(2) cannot put the root on itself",
			 m->arg);
	else
		msg_say("%s %s: the target is /, and a mount on / does not change the command's root: it would still see the old one",
			 m->opt, m->arg);
	msg_hint("--root DIR is how to give the command another root");
	exit(CHAIN_EXIT_FAIL);
}

static void check(struct mnt *m, const struct propagation *prop)
{
	struct stat s, d;
	char *src = NULL, *dst;

	if (m->kind != TMPFS)
		src = resolve(m, "source", m->src, &s);
	dst = resolve(m, m->kind == TMPFS ? "directory" : "target", m->dst, &d);
	check_target(m, dst);
	if (m->kind == TMPFS && !S_ISDIR(d.st_mode)) {
		msg_say("%s %s: %s is not a directory", m->opt, m->arg, dst);
		exit(CHAIN_EXIT_FAIL);
	}
	/* The kernel binds a directory only onto a directory, a file onto a file. */
	if (m->kind != TMPFS && S_ISDIR(s.st_mode) != S_ISDIR(d.st_mode)) {
		msg_say("%s %s: cannot bind %s %s onto %s %s", m->opt, m->arg,
			 kind_of(&s), src, kind_of(&d), dst);
		exit(CHAIN_EXIT_FAIL);
	}
	if (m->kind != TMPFS && !prop->flag)
		check_bindable(m, src);
	free(m->src);
	free(m->dst);
	m->src = src;
	m->dst = dst;
}

static int bind_mount(const struct mnt *m)
{
	/* Static, as in remount_ro and tmpfs: 64 KiB of stack would overflow a
	 * small stack limit, where a tool must still run (nslab(7)). */
	static char shell[2 * ESC_SHELL_LEN(PATH_MAX) + 32];
	static char q1[ESC_SHELL_LEN(PATH_MAX)], q2[ESC_SHELL_LEN(PATH_MAX)];

	/*
	 * Recursive: in a user namespace the mounts below SRC are locked to it
	 * (mount_namespaces(7)), and a bind without them is refused with EINVAL.
	 */
	snprintf(shell, sizeof(shell), "mount --rbind %s %s",
		 esc_shell(m->src, q1, sizeof(q1)), esc_shell(m->dst, q2, sizeof(q2)));
	if (step_mount(m->src, m->dst, MNS_NO_TYPE, MS_BIND | MS_REC, NULL, shell) < 0) {
		msg_fail(DIAG_MOUNT, CLONE_NEWNS, "mount %s on %s", m->src, m->dst);
		return -1;
	}
	return 0;
}

/*
 * A read-only remount of one mount.  In a user namespace the kernel has
 * locked the nosuid, nodev, noexec and atime flags of every mount that came
 * from the parent namespace, and a remount that would clear one is refused
 * with EPERM (mount(2)); so whatever statvfs(3) sees now goes back in.
 */
static int remount_ro(const char *path)
{
	static const struct { unsigned long st, ms; } carry[] = {
		{ ST_NOSUID,     MS_NOSUID },
		{ ST_NODEV,      MS_NODEV },
		{ ST_NOEXEC,     MS_NOEXEC },
		{ ST_NODIRATIME, MS_NODIRATIME },
#if defined(ST_NOSYMFOLLOW) && defined(MS_NOSYMFOLLOW)
		{ ST_NOSYMFOLLOW, MS_NOSYMFOLLOW },
#endif
	};
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
	static char shell[ESC_SHELL_LEN(PATH_MAX) + 300], q[ESC_SHELL_LEN(PATH_MAX)];
	char o[256];
	struct statvfs sv;

	if (statvfs(path, &sv) < 0) {
		msg_err("statvfs %s", path);
		return -1;
	}
	for (size_t i = 0; i < sizeof(carry) / sizeof(carry[0]); i++)
		if (sv.f_flag & carry[i].st)
			flags |= carry[i].ms;
	/* The atime mode is one of three; say which, or the kernel picks relatime. */
	flags |= sv.f_flag & ST_NOATIME ? MS_NOATIME :
		 sv.f_flag & ST_RELATIME ? MS_RELATIME : MS_STRICTATIME;
	snprintf(shell, sizeof(shell), "mount -o %s %s",
		 mns_flags_str(flags, 1, o, sizeof(o)), esc_shell(path, q, sizeof(q)));
	if (step_mount(NULL, path, MNS_NO_TYPE, flags, NULL, shell) < 0) {
		msg_fail(DIAG_MOUNT, CLONE_NEWNS, "remount %s read-only", path);
		return -1;
	}
	return 0;
}

/* The topmost mount on `path`: nothing is mounted on its root in turn. */
static int top_mount(const struct mi_table *t, const char *path)
{
	int top = -1;

	for (size_t i = 0; i < t->n; i++) {
		int covered = 0;

		if (strcmp(t->e[i].target, path) != 0)
			continue;
		for (size_t j = 0; j < t->n; j++)
			if (t->e[j].parent == t->e[i].id && strcmp(t->e[j].target, path) == 0)
				covered = 1;
		if (!covered)
			top = (int)i;
	}
	return top;
}

/*
 * Does `path` lead to the mount `id`, or is that mount hidden under another
 * (stacked on the same point, or below a later mount on a parent)?  A
 * hidden mount can be reached by no path, so neither we nor the command can
 * write through it, nor remount it.  statx(2) names the mount since Linux
 * 5.8; before, every mount counts as reachable and a hidden one fails.
 */
static int reachable(const char *path, int id)
{
	int on;

	if (mi_mount_id(path, &on) < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == EACCES ? 0 : -1;
	return on < 0 || on == id;
}

/*
 * The read-only check, after the remounts, from a fresh /proc/self/mountinfo:
 * every mount of the copy, the one with id `id` and all below it, must say
 * "ro", whether a path reaches it or not.  A mount no path reaches could not
 * be remounted; it is not harmless, since the command (root in its user
 * namespace) may unmount what covers it.  So it fails closed too.
 */
static int check_all_ro(const struct mnt *m, int id)
{
	struct mi_table t;
	int r, rc = 0;

	if (mi_read(NULL, &t) < 0) {
		msg_err("read /proc/self/mountinfo");
		return -1;
	}
	for (size_t i = 0; i < t.n && rc == 0; i++) {
		if ((t.e[i].id != id && !mi_below(&t, i, id)) ||
		    mi_has_option(t.e[i].options, "ro"))
			continue;
		r = reachable(t.e[i].target, t.e[i].id);
		if (r == 0)
			msg_say("%s %s: mount %d on %s is still writable: it is hidden by another mount, so no path reaches it to remount it read-only",
				 m->opt, m->arg, t.e[i].id, t.e[i].target);
		else
			msg_say("%s %s: the mount on %s is still writable after the remount",
				 m->opt, m->arg, t.e[i].target);
		rc = -1;
	}
	mi_free(&t);
	return rc;
}

/*
 * Bind, then make the copy read-only: the mount on DST and, since MS_REMOUNT
 * changes one mount only, every mount the recursive bind copied below it
 * that a path leads to.  Then check in /proc/self/mountinfo that each of
 * them is read-only, fail closed if one is not.
 */
static int ro_bind(const struct mnt *m)
{
	struct mi_table t;
	int top, id, r, rc = -1;

	if (bind_mount(m) < 0)
		return -1;
	if (mi_read(NULL, &t) < 0) {
		msg_err("read /proc/self/mountinfo");
		return -1;
	}
	if ((top = top_mount(&t, m->dst)) < 0) {
		msg_say("%s is not a mount point after the bind (see /proc/self/mountinfo)", m->dst);
		goto out;
	}
	id = t.e[top].id;
	for (size_t i = 0; i < t.n; i++) {
		if (t.e[i].id != id && !mi_below(&t, i, id))
			continue;
		if ((r = reachable(t.e[i].target, t.e[i].id)) < 0) {
			msg_err("statx %s", t.e[i].target);
			goto out;
		}
		if (!r)
			msg_note("note: mount %d on %s is hidden by another; no path reaches it",
				 t.e[i].id, t.e[i].target);
		if (r && remount_ro(t.e[i].target) < 0)
			goto out;
	}
	rc = check_all_ro(m, id);
out:
	mi_free(&t);
	return rc;
}

static int tmpfs(const struct mnt *m)
{
	static char shell[ESC_SHELL_LEN(PATH_MAX) + 100], q[ESC_SHELL_LEN(PATH_MAX)];

	snprintf(shell, sizeof(shell), "mount -t tmpfs -o nosuid,nodev,%s tmpfs %s",
		 TMPFS_DATA, esc_shell(m->dst, q, sizeof(q)));
	if (step_mount("tmpfs", m->dst, "tmpfs", TMPFS_FLAGS, TMPFS_DATA, shell) < 0) {
		msg_fail(DIAG_MOUNT, CLONE_NEWNS, "mount tmpfs on %s", m->dst);
		return -1;
	}
	return 0;
}

/* Is `path` the directory `dir` or below it? */
static int at_or_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/*
 * --dir, --dev and --root: building a root, as a container does, while
 * creating nothing on the host.  Paths in a tmpfs nsmount has made do not
 * exist until it is mounted, so they are checked by their spelling first
 * and by the kernel when their turn comes, in the new namespace.
 */

/*
 * PATH made absolute against the current directory, without "." or "//";
 * NULL when it holds "..", which means nothing in a directory that does
 * not exist yet (such a path is resolved on the host, or refused).
 */
static char *lexical(const struct mnt *m, const char *path)
{
	char *cwd = NULL, *buf, *out, *tok, *save;
	size_t len, o = 0;

	if (path[0] != '/' && !(cwd = getcwd(NULL, 0))) {
		msg_err("%s %s: the current directory", m->opt, m->arg);
		exit(CHAIN_EXIT_FAIL);
	}
	len = (cwd ? strlen(cwd) : 0) + strlen(path) + 2;
	buf = malloc(len);
	out = malloc(len);
	if (!buf || !out) {
		msg_err("malloc");
		exit(CHAIN_EXIT_FAIL);
	}
	snprintf(buf, len, "%s/%s", cwd ? cwd : "", path);
	for (tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, "..") == 0) {
			free(buf);
			free(out);
			free(cwd);
			return NULL;
		}
		if (strcmp(tok, ".") != 0)
			o += (size_t)sprintf(out + o, "/%s", tok);
	}
	if (o == 0)
		strcpy(out, "/");
	free(buf);
	free(cwd);
	return out;
}

/*
 * The tmpfs made before mnts[i] (by --tmpfs or --dev) that `*path` lies
 * strictly below, the innermost one, or NULL.  *path is rewritten to
 * start with that tmpfs's resolved directory, however it was spelled.
 */
static const struct mnt *made_above(const struct mnt *mnts, size_t i, char **path)
{
	const struct mnt *best = NULL;
	char *found = NULL;

	for (size_t j = 0; j < i; j++) {
		const struct mnt *t = &mnts[j];
		const char *forms[2] = { t->dst, t->spelled };

		if (t->kind != TMPFS && t->kind != DEV)
			continue;
		for (int k = 0; k < 2; k++) {
			const char *f = forms[k], *rest;
			size_t len;

			if (!f || strcmp(*path, f) == 0 || !at_or_below(*path, f))
				continue;
			if (best && strlen(t->dst) < strlen(best->dst))
				continue;
			rest = strcmp(f, "/") == 0 ? *path : *path + strlen(f);
			len = strlen(t->dst) + strlen(rest) + 1;
			free(found);
			found = malloc(len);
			if (!found) {
				msg_err("malloc");
				exit(CHAIN_EXIT_FAIL);
			}
			snprintf(found, len, "%s%s", strcmp(t->dst, "/") == 0 ? "" : t->dst, rest);
			best = t;
		}
	}
	if (found) {
		free(*path);
		*path = found;
	}
	return best;
}

static void add_path(struct mnt *m, enum kind kind, const char *opt, const char *arg)
{
	if (!*arg) {
		msg_say("%s '': expected a path", opt);
		exit(CHAIN_EXIT_FAIL);
	}
	*m = (struct mnt){ .kind = kind, .opt = opt, .arg = arg,
			   .dst = xstrndup(arg, strlen(arg)) };
}

/*
 * What check() cannot do: entries whose path lies in a tmpfs made before
 * them, --dir, --dev and --root.  Returns 0 when check() is to do it.
 */
static int check_made(struct mnt *mnts, size_t i, const struct propagation *prop)
{
	struct mnt *m = &mnts[i];
	char *lex = lexical(m, m->dst), *p = lex ? xstrndup(lex, strlen(lex)) : NULL;
	struct stat st;

	if (!lex && m->kind == MKDIR) {
		msg_say("%s %s: '..' in a path nsmount has to create", m->opt, m->arg);
		exit(CHAIN_EXIT_FAIL);
	}
	m->made = lex ? made_above(mnts, i, &p) : NULL;
	if (m->kind == TMPFS || m->kind == DEV)
		m->spelled = lex;
	else
		free(lex);
	/* pivot_root(2): new_root and the current root's mount must not be shared. */
	if (m->kind == ROOT && (prop->flag == MS_SHARED || prop->flag == 0)) {
		msg_say("--root %s: pivot_root(2) refuses shared mounts, which --propagation %s keeps; use private or slave",
			 m->arg, prop->name);
		exit(CHAIN_EXIT_FAIL);
	}
	if (m->kind == MKDIR && !m->made) {
		msg_say("--dir %s: not below a --tmpfs or --dev given before it; nsmount creates nothing on the host",
			 m->arg);
		exit(CHAIN_EXIT_FAIL);
	}
	if (!m->made && (m->kind == BIND || m->kind == RO_BIND || m->kind == TMPFS)) {
		free(p);
		return 0;
	}
	if (m->made) {
		if (m->kind == BIND || m->kind == RO_BIND) {
			char *src = resolve(m, "source", m->src, &st);

			free(m->src);
			m->src = src;
		}
		free(m->dst);
		m->dst = p;
		return 1;
	}
	free(p);
	p = resolve(m, "directory", m->dst, &st);
	/* --dev / would make its files in the host's /, which a tmpfs on /
	 * does not cover for us (see check_target); --root / moves nothing. */
	check_target(m, p);
	if (!S_ISDIR(st.st_mode)) {
		msg_say("%s %s: %s is not a directory", m->opt, m->arg, p);
		exit(CHAIN_EXIT_FAIL);
	}
	free(m->dst);
	m->dst = p;
	return 1;
}

/* Which tmpfs a tmpfs entry made: what --dir and --dev may write in. */
static int note_tmpfs(struct mnt *m)
{
	struct stat st;

	if (stat(m->dst, &st) < 0) {
		msg_err("stat %s", m->dst);
		return -1;
	}
	m->dev = st.st_dev;
	return 0;
}

/*
 * Walk m->dst, a path in the tmpfs m->made, from that tmpfs one name at a
 * time by descriptor with O_NOFOLLOW, and lstat(2) it into *st.  A symlink
 * there is nsmount's own (--dev's fd -> /proc/self/fd) or the command's:
 * followed, a mount or a write would land outside what nsmount made, so it
 * is refused.  With `mkdirs`, mkdir -p: each directory is made, and first
 * checked to be on that tmpfs, so a bind mounted below it is never written
 * to.  `hint`: whether --dir could make what is missing.
 */
static int walk_made(const struct mnt *m, struct stat *st, int mkdirs, int hint)
{
	const struct mnt *t = m->made;
	const char *rest = m->dst + (strcmp(t->dst, "/") == 0 ? 0 : strlen(t->dst));
	char *copy = xstrndup(rest, strlen(rest)), *tok, *save;
	/* Static: nsmount must run under a 16 KiB stack limit (nslab(7)). */
	static char cur[PATH_MAX], q[ESC_SHELL_LEN(PATH_MAX)],
		    shell[ESC_SHELL_LEN(PATH_MAX) + 16];
	int fd, nfd, rc = -1;

	snprintf(cur, sizeof(cur), "%s", t->dst);
	fd = open(t->dst, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, st) < 0) {
		msg_err("%s %s: open %s", m->opt, m->arg, t->dst);
		goto out;
	}
	for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (S_ISLNK(st->st_mode))
			break;
		if (mkdirs && st->st_dev != t->dev) {
			msg_say("%s %s: %s is not in the tmpfs nsmount made on %s; nsmount creates nothing outside it",
				 m->opt, m->arg, cur, t->dst);
			goto out;
		}
		snprintf(cur + strlen(cur), sizeof(cur) - strlen(cur), "%s%s",
			 strcmp(cur, "/") == 0 ? "" : "/", tok);
		if (mkdirs && mkdirat(fd, tok, 0755) == 0) {
			snprintf(shell, sizeof(shell), "mkdir %s", esc_shell(cur, q, sizeof(q)));
			msg_narrate(shell, 0, "mkdir(\"%s\", 0755)", cur);
		} else if (mkdirs && errno != EEXIST) {
			msg_err("%s %s: mkdir %s", m->opt, m->arg, cur);
			goto out;
		}
		nfd = openat(fd, tok, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 || fstat(nfd, st) < 0) {
			msg_err("%s %s: %s", m->opt, m->arg, cur);
			if (errno == ENOENT && hint)
				msg_hint("make it first: --dir %s before %s", m->dst, m->opt);
			if (nfd >= 0)
				close(nfd);
			goto out;
		}
		close(fd);
		fd = nfd;
	}
	if (S_ISLNK(st->st_mode)) {
		msg_say("%s %s: %s is a symbolic link, in the tmpfs nsmount made on %s; nsmount follows none there",
			 m->opt, m->arg, cur, t->dst);
		goto out;
	}
	if (mkdirs && !S_ISDIR(st->st_mode)) {
		msg_say("%s %s: %s is not a directory", m->opt, m->arg, cur);
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}

static int make_dirs(const struct mnt *m)
{
	struct stat st;

	return walk_made(m, &st, 1, 0);
}

/* The checks check() made on the host, made now on a path in our tmpfs. */
static int check_late(const struct mnt *m)
{
	struct stat s, d;
	int bind = m->kind == BIND || m->kind == RO_BIND;

	/* The source first: only a directory could be bound onto what --dir makes. */
	if (bind && stat(m->src, &s) < 0) {
		msg_err("%s %s: source %s", m->opt, m->arg, m->src);
		return -1;
	}
	if (walk_made(m, &d, 0, !bind || S_ISDIR(s.st_mode)) < 0)
		return -1;
	if (!bind) {
		if (!S_ISDIR(d.st_mode)) {
			msg_say("%s %s: %s is not a directory", m->opt, m->arg, m->dst);
			return -1;
		}
		return 0;
	}
	if (S_ISDIR(s.st_mode) != S_ISDIR(d.st_mode)) {
		msg_say("%s %s: cannot bind %s %s onto %s %s", m->opt, m->arg,
			 kind_of(&s), m->src, kind_of(&d), m->dst);
		return -1;
	}
	return 0;
}

/*
 * bubblewrap's --dev: a fresh tmpfs whose device files are the host's,
 * bound one by one (mknod needs privilege in the initial namespace), and
 * the /proc/self/fd links a shell expects.  The host's devices are opened
 * first: where the tmpfs covers /dev itself (--dev /dev), they are bound
 * from those descriptors, since their paths then lead into the new tmpfs.
 */
static int make_dev(struct mnt *m)
{
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	};
	enum { NNODES = sizeof(nodes) / sizeof(nodes[0]) };
	static char path[PATH_MAX], q[ESC_SHELL_LEN(PATH_MAX)],
		    shell[ESC_SHELL_LEN(PATH_MAX) + 64];
	char host[32];
	int fd, r, hostfd[NNODES], rc = -1;
	size_t opened = 0;
	const int covered = at_or_below("/dev", m->dst);

	for (; opened < NNODES; opened++) {
		snprintf(host, sizeof(host), "/dev/%s", nodes[opened]);
		hostfd[opened] = open(host, O_PATH | O_CLOEXEC);
		if (hostfd[opened] < 0) {
			msg_err("%s %s: %s", m->opt, m->arg, host);
			goto out;
		}
	}
	if (m->made && make_dirs(m) < 0)
		goto out;
	if (tmpfs(m) < 0 || note_tmpfs(m) < 0)
		goto out;
	/*
	 * "mount --rbind /proc/self/fd/3 ..." typed would name the shell's
	 * own descriptor, or mount's: say in words what is bound instead.
	 */
	if (covered)
		msg_note("note: the tmpfs on %s covers the host's /dev: each device is bound from a descriptor opened on it before, which no command typed now can name",
			 m->dst);
	for (size_t i = 0; i < NNODES; i++) {
		struct mnt b = { .kind = BIND, .opt = m->opt, .arg = m->arg,
				 .src = host, .dst = path };

		if (covered)
			snprintf(host, sizeof(host), "/proc/self/fd/%d", hostfd[i]);
		else
			snprintf(host, sizeof(host), "/dev/%s", nodes[i]);
		snprintf(path, sizeof(path), "%s/%s", m->dst, nodes[i]);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		snprintf(shell, sizeof(shell), "touch %s", esc_shell(path, q, sizeof(q)));
		msg_narrate(shell, fd < 0 ? -1 : 0, "open(\"%s\", O_CREAT|O_EXCL, 0666)", path);
		if (fd < 0) {
			msg_err("%s %s: create %s", m->opt, m->arg, path);
			goto out;
		}
		close(fd);
		msg_narrate_shell(!covered);
		r = bind_mount(&b);
		msg_narrate_shell(1);
		if (r < 0)
			goto out;
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", m->dst, links[i][0]);
		r = symlink(links[i][1], path);
		snprintf(shell, sizeof(shell), "ln -s %s %s", links[i][1], esc_shell(path, q, sizeof(q)));
		msg_narrate(shell, r, "symlink(\"%s\", \"%s\")", links[i][1], path);
		if (r < 0) {
			msg_err("%s %s: symlink %s", m->opt, m->arg, path);
			goto out;
		}
	}
	rc = 0;
out:
	while (opened > 0)
		close(hostfd[--opened]);
	return rc;
}

/*
 * pivot_root(2)'s own recipe: DIR must be a mount, so bind it onto itself
 * (recursively, so what was mounted below it comes along); then
 * pivot_root(".", ".") stacks the old root on the new one, and a lazy
 * unmount of "." takes it away: no path leads back to the host's tree.
 */
static int change_root(const struct mnt *m)
{
	static char q[ESC_SHELL_LEN(PATH_MAX)], shell[2 * ESC_SHELL_LEN(PATH_MAX) + 32];
	const char *dir = esc_shell(m->dst, q, sizeof(q));
	int rc;

	if (m->made && check_late(m) < 0)
		return -1;
	snprintf(shell, sizeof(shell), "mount --rbind %s %s", dir, dir);
	if (step_mount(m->dst, m->dst, MNS_NO_TYPE, MS_BIND | MS_REC, NULL, shell) < 0) {
		msg_fail(DIAG_MOUNT, CLONE_NEWNS, "--root %s: mount %s on itself", m->arg, m->dst);
		return -1;
	}
	snprintf(shell, sizeof(shell), "cd %s", dir);
	rc = chdir(m->dst);
	msg_narrate(shell, rc, "chdir(\"%s\")", m->dst);
	if (rc < 0) {
		msg_err("--root %s: chdir %s", m->arg, m->dst);
		return -1;
	}
	rc = (int)syscall(SYS_pivot_root, ".", ".");
	msg_narrate("pivot_root . .", rc, "pivot_root(\".\", \".\")");
	if (rc < 0) {
		msg_fail(DIAG_MOUNT, CLONE_NEWNS, "--root %s: pivot_root", m->arg);
		return -1;
	}
	/* Fail closed: the old root left in place would be the host's tree. */
	rc = umount2(".", MNT_DETACH);
	msg_narrate("umount -l .", rc, "umount2(\".\", MNT_DETACH)");
	if (rc < 0) {
		msg_err("--root %s: detach the old root", m->arg);
		return -1;
	}
	rc = chdir("/");
	msg_narrate("cd /", rc, "chdir(\"/\")");
	if (rc < 0) {
		msg_err("--root %s: chdir /", m->arg);
		return -1;
	}
	return 0;
}

static int mount_one(struct mnt *m)
{
	switch (m->kind) {
	case MKDIR:
		return make_dirs(m);
	case DEV:
		return make_dev(m);
	case ROOT:
		return change_root(m);
	case SYSFS:
		if (m->made && check_late(m) < 0)
			return -1;
		if (step_fresh_sysfs(m->dst) < 0) {
			msg_fail(DIAG_MOUNT, CLONE_NEWNET, "--sys %s: mount sysfs on %s", m->arg, m->dst);
			return -1;
		}
		return 0;
	case TMPFS:
		if (m->made && check_late(m) < 0)
			return -1;
		return tmpfs(m) < 0 ? -1 : note_tmpfs(m);
	case BIND:
	case RO_BIND:
		break;
	}
	if (m->made && check_late(m) < 0)
		return -1;
	return m->kind == BIND ? bind_mount(m) : ro_bind(m);
}

int main(int argc, char *argv[])
{
	struct opts o = { "b:r:t:", longopts, usage, OPTS_CHAIN, 0 };
	const struct propagation *prop = &propagations[0];
	struct mnt *mnts, *root = NULL;
	const char *root_arg = NULL;
	size_t n = 0, i;
	char *cwd;
	int c, rc, moved = 0;

	msg_init(argv[0]);
	/* Every option takes at most one word: argc entries are enough. */
	mnts = calloc((size_t)argc + 1, sizeof(*mnts));
	if (!mnts) {
		msg_err("calloc");
		return CHAIN_EXIT_FAIL;
	}
	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case 'b':
			add_bind(&mnts[n++], BIND, "--bind", optarg);
			break;
		case 'r':
			add_bind(&mnts[n++], RO_BIND, "--ro-bind", optarg);
			break;
		case 't':
			add_tmpfs(&mnts[n++], optarg);
			break;
		case OPT_PROPAGATION:
			prop = parse_propagation(optarg);
			break;
		case OPT_DIR:
			add_path(&mnts[n++], MKDIR, "--dir", optarg);
			break;
		case OPT_DEV:
			add_path(&mnts[n++], DEV, "--dev", optarg);
			break;
		case OPT_SYS:
			add_path(&mnts[n++], SYSFS, "--sys", optarg);
			break;
		case OPT_ROOT:
			if (root_arg) {
				msg_say("--root %s: a second --root (%s given before)", optarg, root_arg);
				return CHAIN_EXIT_FAIL;
			}
			root_arg = optarg;
			break;
		case OPTS_EXIT:
			return o.status;
		}
	}
	if (n == 0 && !root_arg)
		add_home(&mnts[n++]);
	/* The root changes after every other mount, wherever --root was given. */
	if (root_arg) {
		root = &mnts[n];
		add_path(root, ROOT, "--root", root_arg);
	}
	for (i = 0; i < n + (root != NULL); i++)
		if (!check_made(mnts, i, prop))
			check(&mnts[i], prop);
	/* The one way nsmount can reach the host, and only when asked for. */
	if (prop->flag == MS_SHARED || prop->flag == 0)
		msg_say("warning: --propagation %s: mounts made below a shared mount may appear on the host too",
			 prop->name);
	/* NULL when the current directory is out of reach: then we stay in it. */
	cwd = getcwd(NULL, 0);

	if (step_unshare(CLONE_NEWNS, "unshare --mount --propagation unchanged") < 0)
		return CHAIN_EXIT_FAIL;
	/* Fail closed: no mount is made unless this one has taken. */
	if (prop->flag && step_propagate(prop->flag) < 0)
		return CHAIN_EXIT_FAIL;
	for (i = 0; i < n; i++) {
		if (mount_one(&mnts[i]) < 0)
			return CHAIN_EXIT_FAIL;
		moved |= cwd && at_or_below(cwd, mnts[i].dst);
	}
	/*
	 * Our current directory is still the one we had before the mounts,
	 * even where a mount now covers its path.  Step into what the path
	 * shows now, as `cd "$PWD"` would, so the command sees its mounts.
	 * Where the path is gone (a tmpfs hid it), start at / rather than in
	 * a directory the new mounts were meant to hide.
	 */
	if (moved) {
		rc = chdir(cwd);
		msg_narrate(NULL, rc, "chdir(\"%s\")", cwd);
		if (rc < 0 && errno != ENOENT && errno != ENOTDIR && errno != EACCES) {
			msg_err("chdir %s", cwd);
			return CHAIN_EXIT_FAIL;
		}
		if (rc < 0) {
			rc = chdir("/");
			msg_narrate(NULL, rc, "chdir(\"/\")");
			if (rc < 0) {
				msg_err("chdir /");
				return CHAIN_EXIT_FAIL;
			}
		}
	}
	free(cwd);
	if (root && mount_one(root) < 0)
		return CHAIN_EXIT_FAIL;

	rc = step_exec(argv + optind);
	/* ENOENT also names a missing ELF interpreter, such as /lib64's. */
	if (root && rc == CHAIN_EXIT_NOTFOUND)
		msg_hint("after --root the command, its libraries and its loader are looked up in %s: bind them in (-r /usr:%s/usr ...)",
			  root->arg, root->arg);
	return rc;
}
