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
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bindmount.h"
#include "diag.h"
#include "exits.h"
#include "keep.h"
#include "mountflags.h"
#include "mountinfo.h"
#include "mountplan.h"
#include "msg.h"
#include "opts.h"
#include "step.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: nsmount [-hnvV] [-b src:dst] [-r src:dst] [-t dir] [--dir path]\n"
"               [--dev path] [--proc dir] [--sys dir] [--propagation mode]\n"
"               [--root dir] [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) in a new mount namespace whose mounts are all\n"
"private, after the mounts asked for, in the order given.  With no mount\n"
"option, bind $HOME onto /root (-n: no mount at all, as unshare -m).\n"
"\n"
"  -b, --bind SRC:DST        bind SRC, and the mounts below it, onto DST\n"
"  -r, --ro-bind SRC:DST     the same, read-only (every mount of the copy)\n"
"  -t, --tmpfs DIR           mount an empty tmpfs on DIR\n"
"      --dir PATH            make the directory PATH (and its parents) in a\n"
"                            tmpfs made before it, to mount on\n"
"      --dev PATH            a minimal /dev on PATH: a tmpfs with null, zero,\n"
"                            full, random, urandom and tty bound from /dev\n"
"      --proc DIR            a fresh proc on DIR, of nsmount's PID namespace\n"
"      --sys DIR             a fresh sysfs on DIR, for the current network\n"
"                            namespace (ip netns exec's /sys)\n"
"      --root DIR            after the other mounts, make DIR the root\n"
"                            (pivot_root) and start in it at /\n"
"      --propagation MODE    first make every mount private (default), slave,\n"
"                            shared, or leave them unchanged\n"
"  -n, --no-home             no $HOME on /root when no mount is asked for\n"
"\n"
"Sources and targets must exist: nsmount creates nothing on the host, only\n"
"--dir and --dev inside a tmpfs it has made.  Mounting needs\n"
"CAP_SYS_ADMIN; as a user, run it under usernsselfmap.\n");
}

enum { OPT_PROPAGATION = 256, OPT_DIR, OPT_DEV, OPT_ROOT, OPT_SYS, OPT_PROC };

static const struct option longopts[] = {
	{ "bind",        required_argument, NULL, 'b' },
	{ "no-home",     no_argument,       NULL, 'n' },
	{ "ro-bind",     required_argument, NULL, 'r' },
	{ "tmpfs",       required_argument, NULL, 't' },
	{ "propagation", required_argument, NULL, OPT_PROPAGATION },
	{ "dir",         required_argument, NULL, OPT_DIR },
	{ "dev",         required_argument, NULL, OPT_DEV },
	{ "proc",        required_argument, NULL, OPT_PROC },
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
static const char *prop = "private";

/* File scope, so what the plan holds is reachable at any exit (LeakSanitizer). */
static struct mountplan plan;
static struct opts o = { .shortopts = "b:nr:t:", .longopts = longopts, .usage = usage,
			 .kind = OPTS_CHAIN };

static void parse(int argc, char *argv[]);
static int mount_one(struct mp_entry *m);
static int change_root(struct mp_entry *m);
static int refuse(const struct mp_entry *m, enum mp_result r, const char *at);
static int word(const struct mp_entry *m, enum bm_result r, const char *failing);

int main(int argc, char *argv[])
{
	struct mp_entry *root;
	const char *failing;
	enum mp_result r;
	size_t i;
	int rc, moved = 0, oldmnt;
	static char *cwd;	/* static: reachable at any exit (LeakSanitizer) */

	msg_init(argv[0]);
	/* Every option takes at most one word: argc entries are enough. */
	if (mp_init(&plan, (size_t)argc + 2) < 0) {
		msg_err("calloc");
		return CHAIN_EXIT_FAIL;
	}
	parse(argc, argv);
	/* Each path is checked on the host before anything changes. */
	for (i = 0; i < plan.n; i++)
		if ((r = mp_check(&plan, i, &failing)) != MP_OK && refuse(&plan.e[i], r, failing) < 0)
			return CHAIN_EXIT_FAIL;
	/* The root changes after every other mount, wherever --root was given. */
	root = plan.n && plan.e[plan.n - 1].kind == MP_ROOT ? &plan.e[plan.n - 1] : NULL;
	/* The one way nsmount can reach the host, and only when asked for. */
	if (plan.prop == MS_SHARED || plan.prop == 0)
		msg_say("warning: --propagation %s: mounts made below a shared mount may appear on the host too", prop);
	/* NULL when the current directory is out of reach: then we stay in it. */
	cwd = getcwd(NULL, 0);

	/* A mount namespace is kept from the one before it (keep.h). */
	oldmnt = keep_oldmnt(&o);
	if (step_unshare(CLONE_NEWNS, "unshare --mount --propagation unchanged") < 0)
		return CHAIN_EXIT_FAIL;
	/* Fail closed: no mount is made unless this one has taken. */
	if (plan.prop && step_propagate(plan.prop) < 0)
		return CHAIN_EXIT_FAIL;
	for (i = 0; i < plan.n - (root != NULL); i++) {
		if (mount_one(&plan.e[i]) < 0)
			return CHAIN_EXIT_FAIL;
		moved |= cwd && bm_at_or_below(cwd, plan.e[i].dst);
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
		if (rc < 0 && (rc = chdir("/")) < 0) {
			msg_err("chdir /");
			return CHAIN_EXIT_FAIL;
		}
	}
	if (root && change_root(root) < 0)
		return CHAIN_EXIT_FAIL;

	if (keep_after(&o, "mnt", getpid(), oldmnt, KEEP_ALL) < 0)
		return CHAIN_EXIT_FAIL;
	rc = step_exec(argv + optind);
	/* ENOENT also names a missing ELF interpreter, such as /lib64's. */
	if (root && rc == CHAIN_EXIT_NOTFOUND)
		msg_hint("after --root the command, its libraries and its loader are looked up in %s: bind them in (-r /usr:%s/usr ...)",
			  root->arg, root->arg);
	return rc;
}

/*
 * pivot_root(2)'s own recipe: DIR must be a mount, so bind it onto itself
 * (recursively, so what was mounted below it comes along); then
 * pivot_root(".", ".") stacks the old root on the new one, and a lazy
 * unmount of "." takes it away: no path leads back to the host's tree.
 * Descriptors stay open across it: what the caller passes in (3</) still
 * reaches the old tree, as with bwrap.
 */
static int change_root(struct mp_entry *m)
{
	const char *failing;
	enum mp_result r;
	int fd, tree = -1, rc = -1;

	m->src = m->dst;
	if ((r = mp_open(&plan, m, &fd, &failing)) != MP_OK) {
		refuse(m, r, failing);
		goto out;
	}
	if (word(m, bm_bind(fd, m->dst, fd, m->dst, 0, &tree, &failing), m->dst) < 0)
		goto out;
	rc = fchdir(tree);
	msg_narrate(NULL, rc, "fchdir(%d)", tree);
	if (rc < 0) {
		msg_err("--root %s: chdir %s", m->arg, m->dst);
		goto out;
	}
	rc = (int)syscall(SYS_pivot_root, ".", ".");
	msg_narrate("pivot_root . .", rc, "pivot_root(\".\", \".\")");
	if (rc < 0) {
		msg_fail(DIAG_MOUNT, CLONE_NEWNS, "--root %s: pivot_root", m->arg);
		goto out;
	}
	/* Fail closed: the old root left in place would be the host's tree. */
	rc = umount2(".", MNT_DETACH);
	msg_narrate("umount -l .", rc, "umount2(\".\", MNT_DETACH)");
	if (rc < 0) {
		msg_err("--root %s: detach the old root", m->arg);
		goto out;
	}
	rc = chdir("/");
	msg_narrate("cd /", rc, "chdir(\"/\")");
	if (rc < 0)
		msg_err("--root %s: chdir /", m->arg);
out:
	if (tree >= 0)
		close(tree);
	if (fd >= 0)
		close(fd);
	return rc;
}

/*
 * One entry, at its turn, through the descriptor mp_open opened on its
 * path: opened once, so a directory of the path swapped for a symbolic
 * link after the checks cannot move the mount, or what --dev makes.
 */
static int mount_one(struct mp_entry *m)
{
	struct bm_made *t = m->kind == MP_TMPFS || m->kind == MP_DEV ? &plan.made[m->own] : NULL;
	const char *failing = NULL;
	enum mp_result p;
	enum bm_result r = BM_OK;
	int fd, rc = 0;

	if ((p = mp_open(&plan, m, &fd, &failing)) != MP_OK)
		return refuse(m, p, failing);
	if (m->kind == MP_BIND || m->kind == MP_RO_BIND)
		r = bm_bind(-1, m->src, fd, m->dst, m->kind == MP_RO_BIND ? BM_READONLY : 0, NULL, &failing);
	if (m->kind == MP_TMPFS && (t->fd = bm_tmpfs(fd, m->dst, &t->id)) < 0)
		r = BM_TMPFS;
	/* "mount --rbind /dev/null /dev/null" typed would bind the new file. */
	if (m->kind == MP_DEV && bm_at_or_below("/dev", m->dst))
		msg_note("note: the tmpfs on %s covers the host's /dev: each device is bound from a descriptor opened on it before, which no command typed now can name",
			 m->dst);
	if (m->kind == MP_DEV)
		r = bm_dev(fd, m->dst, &t->fd, &t->id, &failing);
	if (r != BM_OK)
		rc = word(m, r, failing);
	/* proc(5) shows the PID namespace of the process that mounts it. */
	if (m->kind == MP_PROC && (rc = step_fresh_proc(m->dst)) < 0)
		msg_fail(DIAG_MOUNT, CLONE_NEWPID, "--proc %s: mount proc on %s", m->arg, m->dst);
	if (m->kind == MP_SYSFS && (rc = step_fresh_sysfs(m->dst)) < 0)
		msg_fail(DIAG_MOUNT, CLONE_NEWNET, "--sys %s: mount sysfs on %s", m->arg, m->dst);
	/* The kernel mounts a proc or sysfs only where one is fully visible. */
	if (rc < 0 && errno == EPERM && (m->kind == MP_PROC || m->kind == MP_SYSFS) &&
	    mi_visible(m->kind == MP_PROC ? "proc" : "sysfs") == 0)
		msg_hint("no %s is fully visible in this mount namespace, and in one a user namespace owns the kernel then refuses a new one: mount it before --root, or before a tool hides the old one",
			  m->kind == MP_PROC ? "proc" : "sysfs");
	close(fd);
	return rc;
}

/* bindmount.h says what failed; nsmount words it. */
static int word(const struct mp_entry *m, enum bm_result r, const char *failing)
{
	const char *op = m->opt, *a = m->arg;

	switch (r) {
	case BM_OK: return 0;
	case BM_CLONE: msg_fail(DIAG_MOUNT, CLONE_NEWNS, "%s %s: bind %s", op, a, failing); break;
	case BM_ATTACH: msg_fail(DIAG_MOUNT, CLONE_NEWNS, "%s %s: mount on %s", op, a, failing); break;
	case BM_RDONLY: msg_fail(DIAG_MOUNT, CLONE_NEWNS, "%s %s: make read-only the copy on %s", op, a, failing); break;
	case BM_TMPFS: msg_fail(DIAG_MOUNT, CLONE_NEWNS, "mount tmpfs on %s", m->dst); break;
	case BM_MOUNTINFO: msg_err("%s %s: read /proc/self/mountinfo", op, a); break;
	case BM_WRITABLE: msg_say("%s %s: the mount on %s is still writable after mount_setattr", op, a, failing); break;
	case BM_HOSTDEV: msg_err("%s %s: %s", op, a, failing); break;
	case BM_CREATE: msg_err("%s %s: create %s", op, a, failing); break;
	}
	return -1;
}

/* mountplan.h says what it refused, and where; nsmount words it. */
static int refuse(const struct mp_entry *m, enum mp_result r, const char *at)
{
	const char *op = m->opt, *a = m->arg, *made = m->in >= 0 ? plan.made[m->in].dir : "";
	const int err = errno;

	switch (r) {
	case MP_OK: return 0;
	case MP_NOMEM: msg_err("malloc"); break;
	case MP_EMPTY: msg_say("%s '': expected a %s", op, m->kind == MP_TMPFS ? "directory" : "path"); break;
	case MP_SRCDST: msg_say("%s '%s': expected SRC:DST, two paths with no ':' in them", op, a); break;
	case MP_CWD: msg_err("%s %s: the current directory", op, a); break;
	case MP_DOTDOT: msg_say("%s %s: '..' in a path nsmount has to create", op, a); break;
	case MP_SHARED:
		msg_say("%s %s: pivot_root(2) refuses shared mounts, which --propagation %s keeps; use private or slave", op, a, prop);
		break;
	case MP_NOT_MADE:
		msg_say("%s %s: not below a --tmpfs or --dev given before it; nsmount creates nothing on the host", op, a);
		break;
	case MP_SOURCE: msg_err("%s %s: source %s", op, a, at); break;
	case MP_TARGET: msg_err("%s %s: %s %s", op, a, m->kind == MP_TMPFS ? "directory" : "target", at); break;
	case MP_SLASH:
		msg_say("%s %s: %s", op, a, m->kind == MP_ROOT ?
			"the directory is / itself, the root already: pivot_root(2) cannot put the root on itself" :
			"the target is /, and a mount on / does not change the command's root: it would still see the old one");
		msg_hint("--root DIR is how to give the command another root");
		break;
	case MP_PSEUDO:
		msg_say("%s %s: %s is in a procfs or sysfs: as the root it would hand the command the host's whole tree again (/proc/PID/root)", op, a, at);
		break;
	case MP_NOTDIR: msg_say("%s %s: %s is not a directory", op, a, at); break;
	case MP_KINDS:
		msg_say("%s %s: cannot bind %s %s onto %s %s", op, a, m->dir ? "directory" : "file", m->src, m->dir ? "file" : "directory", m->dst);
		break;
	case MP_UNBINDABLE:
		msg_say("%s %s: the mount on %s is unbindable (mount --make-unbindable); the kernel refuses to bind it", op, a, at);
		break;
	case MP_OPEN:
		msg_err("%s %s: %s", op, a, at);
		if (err == ENOENT && m->in >= 0 && m->dir && m->kind != MP_MKDIR && m->kind != MP_DEV)
			msg_hint("make it first: --dir %s before %s", m->dst, op);
		break;
	case MP_SYMLINK:
		msg_say("%s %s: %s is a symbolic link, in the tmpfs nsmount made on %s; nsmount follows none there", op, a, at, made);
		break;
	case MP_OUTSIDE:
		msg_say("%s %s: %s is not in the tmpfs nsmount made on %s; nsmount creates nothing outside it", op, a, at, made);
		break;
	case MP_NOHOME:
		msg_say("HOME is %s: no home to bind onto /root", at ? "empty" : "not set");
		msg_hint("set HOME, say what to mount with --bind SRC:DST, or mount nothing with -n");
		break;
	case MP_HOME: msg_err("HOME=%s", at); break;
	case MP_HOME_NOTDIR: msg_say("HOME=%s: not a directory", at); break;
	}
	return -1;
}

/* An option's entry, or 125 with why not. */
static void add(enum mp_kind kind, const char *opt, const char *arg)
{
	const struct mp_entry e = { .kind = kind, .opt = opt, .arg = arg, .in = -1 };
	const enum mp_result r = mp_add(&plan, kind, opt, arg);

	if (r != MP_OK && refuse(&e, r, NULL) < 0)
		exit(CHAIN_EXIT_FAIL);
}

static void parse(int argc, char *argv[])
{
	const char *root = NULL, *home;
	enum mp_result r;
	int c, no_home = 0;

	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case 'b': add(MP_BIND, "--bind", optarg); break;
		case 'n': no_home = 1; break;
		case 'r': add(MP_RO_BIND, "--ro-bind", optarg); break;
		case 't': add(MP_TMPFS, "--tmpfs", optarg); break;
		case OPT_PROPAGATION:
			if (mf_propagation(optarg, &plan.prop) < 0) {
				msg_say("--propagation '%s': expected private, slave, shared or unchanged", optarg);
				exit(CHAIN_EXIT_FAIL);
			}
			prop = optarg;
			break;
		case OPT_DIR: add(MP_MKDIR, "--dir", optarg); break;
		case OPT_DEV: add(MP_DEV, "--dev", optarg); break;
		case OPT_PROC: add(MP_PROC, "--proc", optarg); break;
		case OPT_SYS: add(MP_SYSFS, "--sys", optarg); break;
		case OPT_ROOT:
			if (root || !*optarg) {
				if (*optarg)
					msg_say("--root %s: a second --root (%s given before)", optarg, root);
				else
					msg_say("--root '': expected a path");
				exit(CHAIN_EXIT_FAIL);
			}
			root = optarg;
			break;
		case OPTS_EXIT: exit(o.status);
		}
	}
	/* The article's step, `mount --bind $HOME /root`, checked like any --bind. */
	if (plan.n == 0 && !root && !no_home && (r = mp_add_home(&plan, &home)) != MP_OK &&
	    refuse(&(struct mp_entry){ .in = -1 }, r, home) < 0)
		exit(CHAIN_EXIT_FAIL);
	if (root)
		add(MP_ROOT, "--root", root);
}
