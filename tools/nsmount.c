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
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bindmount.h"
#include "diag.h"
#include "exits.h"
#include "keep.h"
#include "mountinfo.h"
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
static const struct propagation {
	const char *name;
	unsigned long flag;
} propagations[] = {
	{ "private",   MS_PRIVATE },
	{ "slave",     MS_SLAVE },
	{ "shared",    MS_SHARED },
	{ "unchanged", 0 },
};

enum kind { BIND, RO_BIND, TMPFS, MKDIR, DEV, PROC, SYSFS, ROOT };

struct mnt {
	enum kind kind;
	const char *opt, *arg;	/* "--bind" and its argument, to name them */
	char *src, *dst;	/* resolved on the host (dst: or below a tmpfs made) */
	int dir;		/* dst is, or is to be, a directory */
	int in;			/* the made[] tmpfs dst lies below, or -1 */
	const char *rest;	/* then dst below that tmpfs's root: "a/b" */
	int own;		/* TMPFS, DEV: its own entry in made[] */
};

/* File scope, so what they hold is reachable at any exit (LeakSanitizer). */
static struct mnt *mnts;
static struct bm_made *made;	/* the tmpfs mounts --tmpfs and --dev make */
static size_t nmade;

static void parse(int argc, char *argv[], size_t *n, const struct propagation **prop,
		  const char **root);
static void check(struct mnt *m, const struct propagation *prop);
static int target(const struct mnt *m);

/* bindmount.h says what failed; nsmount words it. */
static int word(const struct mnt *m, enum bm_result r, const char *failing)
{
	switch (r) {
	case BM_OK:
		return 0;
	case BM_CLONE:
	case BM_ATTACH:
	case BM_RDONLY:
		msg_fail(DIAG_MOUNT, CLONE_NEWNS, "%s %s: %s %s", m->opt, m->arg,
			  r == BM_CLONE ? "bind" : r == BM_ATTACH ? "mount on" : "make read-only the copy on",
			  failing);
		break;
	case BM_TMPFS:
		msg_fail(DIAG_MOUNT, CLONE_NEWNS, "mount tmpfs on %s", m->dst);
		break;
	case BM_MOUNTINFO:
		msg_err("%s %s: read /proc/self/mountinfo", m->opt, m->arg);
		break;
	case BM_WRITABLE:
		msg_say("%s %s: the mount on %s is still writable after mount_setattr",
			 m->opt, m->arg, failing);
		break;
	case BM_HOSTDEV:
	case BM_CREATE:
		msg_err("%s %s: %s%s", m->opt, m->arg, r == BM_CREATE ? "create " : "", failing);
		break;
	}
	return -1;
}

/*
 * One entry, at its turn, through the descriptor target() opened on its
 * path: opened once, so a directory of the path swapped for a symbolic
 * link after the checks cannot move the mount, or what --dev makes.
 */
static int mount_one(struct mnt *m)
{
	const int fd = target(m);
	struct bm_made *t = m->kind == TMPFS || m->kind == DEV ? &made[m->own] : NULL;
	const char *failing = NULL;
	enum bm_result r = BM_OK;
	int rc = 0;

	if (fd < 0)
		return -1;
	if (m->kind == BIND || m->kind == RO_BIND)
		r = bm_bind(-1, m->src, fd, m->dst, m->kind == RO_BIND ? BM_READONLY : 0, NULL, &failing);
	if (m->kind == TMPFS && (t->fd = bm_tmpfs(fd, m->dst, &t->id)) < 0)
		rc = word(m, BM_TMPFS, NULL);
	/* "mount --rbind /dev/null /dev/null" typed would bind the new file. */
	if (m->kind == DEV && bm_at_or_below("/dev", m->dst))
		msg_note("note: the tmpfs on %s covers the host's /dev: each device is bound from a descriptor opened on it before, which no command typed now can name",
			 m->dst);
	if (m->kind == DEV)
		r = bm_dev(fd, m->dst, &t->fd, &t->id, &failing);
	if (r != BM_OK)
		rc = word(m, r, failing);
	/* proc(5) shows the PID namespace of the process that mounts it. */
	if (m->kind == PROC && (rc = step_fresh_proc(m->dst)) < 0)
		msg_fail(DIAG_MOUNT, CLONE_NEWPID, "--proc %s: mount proc on %s", m->arg, m->dst);
	if (m->kind == SYSFS && (rc = step_fresh_sysfs(m->dst)) < 0)
		msg_fail(DIAG_MOUNT, CLONE_NEWNET, "--sys %s: mount sysfs on %s", m->arg, m->dst);
	/* The kernel mounts a proc or sysfs only where one is fully visible. */
	if (rc < 0 && errno == EPERM && (m->kind == PROC || m->kind == SYSFS) &&
	    mi_visible(m->kind == PROC ? "proc" : "sysfs") == 0)
		msg_hint("no %s is fully visible in this mount namespace, and in one a user namespace owns the kernel then refuses a new one: mount it before --root, or before a tool hides the old one",
			  m->kind == PROC ? "proc" : "sysfs");
	close(fd);
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
static int change_root(struct mnt *m)
{
	const int fd = target(m);
	const char *failing;
	int tree = -1, rc = -1;

	m->src = m->dst;
	if (fd < 0)
		goto out;
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

/* The options; main reads the common chain ones (--keep...) after the step. */
static struct opts o = { .shortopts = "b:nr:t:", .longopts = longopts, .usage = usage,
			 .kind = OPTS_CHAIN };

int main(int argc, char *argv[])
{
	const struct propagation *prop = &propagations[0];
	const char *root_arg = NULL;
	struct mnt *root = NULL;
	size_t n = 0, i;
	int rc, moved = 0, oldmnt;
	char *cwd;

	msg_init(argv[0]);
	/* Every option takes at most one word: argc entries are enough. */
	mnts = calloc((size_t)argc + 2, sizeof(*mnts));
	made = calloc((size_t)argc + 2, sizeof(*made));
	if (!mnts || !made) {
		msg_err("calloc");
		return CHAIN_EXIT_FAIL;
	}
	parse(argc, argv, &n, &prop, &root_arg);
	/* The root changes after every other mount, wherever --root was given. */
	if (root_arg) {
		root = &mnts[n];
		*root = (struct mnt){ .kind = ROOT, .opt = "--root", .arg = root_arg,
				      .dst = strdup(root_arg), .dir = 1, .in = -1 };
	}
	for (i = 0; i < n + (root != NULL); i++)
		check(&mnts[i], prop);
	/* The one way nsmount can reach the host, and only when asked for. */
	if (prop->flag == MS_SHARED || prop->flag == 0)
		msg_say("warning: --propagation %s: mounts made below a shared mount may appear on the host too",
			 prop->name);
	/* NULL when the current directory is out of reach: then we stay in it. */
	cwd = getcwd(NULL, 0);

	/* A mount namespace is kept from the one before it (keep.h). */
	oldmnt = keep_oldmnt(&o);
	if (step_unshare(CLONE_NEWNS, "unshare --mount --propagation unchanged") < 0)
		goto fail;
	/* Fail closed: no mount is made unless this one has taken. */
	if (prop->flag && step_propagate(prop->flag) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		if (mount_one(&mnts[i]) < 0)
			goto fail;
		moved |= cwd && bm_at_or_below(cwd, mnts[i].dst);
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
			goto fail;
		}
		if (rc < 0 && (rc = chdir("/")) < 0) {
			msg_err("chdir /");
			goto fail;
		}
	}
	if (root && change_root(root) < 0)
		goto fail;
	free(cwd);

	if (keep_after(&o, "mnt", getpid(), oldmnt, KEEP_ALL) < 0)
		return CHAIN_EXIT_FAIL;
	rc = step_exec(argv + optind);
	/* ENOENT also names a missing ELF interpreter, such as /lib64's. */
	if (root && rc == CHAIN_EXIT_NOTFOUND)
		msg_hint("after --root the command, its libraries and its loader are looked up in %s: bind them in (-r /usr:%s/usr ...)",
			  root->arg, root->arg);
	return rc;
fail:
	free(cwd);
	return CHAIN_EXIT_FAIL;
}

/*
 * The command line, checked before anything changes: each path resolved
 * against the current directory in the host's view, so it means what the
 * caller meant.  Paths in a tmpfs nsmount will make do not exist yet: they
 * are checked by their spelling now, walked from its root at their turn.
 */
static void add(size_t *n, enum kind kind, const char *opt, const char *arg)
{
	const char *colon = strchr(arg, ':');
	struct mnt *m = &mnts[(*n)++];
	const int bind = kind == BIND || kind == RO_BIND;

	*m = (struct mnt){ .kind = kind, .opt = opt, .arg = arg, .dir = !bind, .in = -1 };
	if (!bind && !*arg) {
		msg_say("%s '': expected a %s", opt, kind == TMPFS ? "directory" : "path");
		exit(CHAIN_EXIT_FAIL);
	}
	/* One colon, two paths: a path with a colon cannot be told apart. */
	if (bind && (!colon || colon == arg || !colon[1] || strchr(colon + 1, ':'))) {
		msg_say("%s '%s': expected SRC:DST, two paths with no ':' in them", opt, arg);
		exit(CHAIN_EXIT_FAIL);
	}
	m->src = bind ? strndup(arg, (size_t)(colon - arg)) : NULL;
	m->dst = strdup(bind ? colon + 1 : arg);
	if (!m->dst || (bind && !m->src)) {
		msg_err("strdup");
		exit(CHAIN_EXIT_FAIL);
	}
}

/* The article's step, `mount --bind $HOME /root`, checked like any --bind. */
static void add_home(size_t *n)
{
	const char *home = getenv("HOME");
	static char arg[4096 + 8];
	struct stat st;

	if (!home || !*home) {
		msg_say("HOME is %s: no home to bind onto /root", home ? "empty" : "not set");
		msg_hint("set HOME, say what to mount with --bind SRC:DST, or mount nothing with -n");
	} else if (stat(home, &st) < 0) {
		msg_err("HOME=%s", home);
	} else if (!S_ISDIR(st.st_mode)) {
		msg_say("HOME=%s: not a directory", home);
	} else if (snprintf(arg, sizeof(arg), "%s:/root", home) < (int)sizeof(arg)) {
		add(n, BIND, "the default --bind", arg);
		mnts[*n - 1].arg = "$HOME:/root";
		return;
	}
	exit(CHAIN_EXIT_FAIL);
}

static void parse(int argc, char *argv[], size_t *n, const struct propagation **prop,
		  const char **root)
{
	int c, no_home = 0;

	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case OPTS_EXIT: exit(o.status);
		case 'b': add(n, BIND, "--bind", optarg); break;
		case 'n': no_home = 1; break;
		case 'r': add(n, RO_BIND, "--ro-bind", optarg); break;
		case 't': add(n, TMPFS, "--tmpfs", optarg); break;
		case OPT_PROPAGATION:
			for (*prop = propagations; strcmp(optarg, (*prop)->name) != 0; (*prop)++)
				if (*prop == &propagations[3]) {
					msg_say("--propagation '%s': expected private, slave, shared or unchanged",
						 optarg);
					exit(CHAIN_EXIT_FAIL);
				}
			break;
		case OPT_DIR: add(n, MKDIR, "--dir", optarg); break;
		case OPT_DEV: add(n, DEV, "--dev", optarg); break;
		case OPT_PROC: add(n, PROC, "--proc", optarg); break;
		case OPT_SYS: add(n, SYSFS, "--sys", optarg); break;
		case OPT_ROOT:
			if (*root || !*optarg) {
				if (*optarg)
					msg_say("--root %s: a second --root (%s given before)", optarg, *root);
				else
					msg_say("--root '': expected a path");
				exit(CHAIN_EXIT_FAIL);
			}
			*root = optarg;
			break;
		}
	}
	if (*n == 0 && !*root && !no_home)
		add_home(n);
}

static char *resolve(const struct mnt *m, const char *what, const char *path, struct stat *st)
{
	char *r = mi_realpath(path);

	if (!r || stat(r, st) < 0) {
		msg_err("%s %s: %s %s", m->opt, m->arg, what, path);
		exit(CHAIN_EXIT_FAIL);
	}
	return r;
}

static const char *kind_of(const struct stat *st)
{
	return S_ISDIR(st->st_mode) ? "directory" : "file";
}

/* What must be refused on the host, before anything changes. */
static const char *refused(const struct mnt *m, const char *dst, const struct stat *s,
			   const struct stat *d, const struct propagation *prop)
{
	static char why[4096 + 200];
	struct statfs sf;
	char *where = NULL;

	/*
	 * A mount on / does not change a process's root: the root directory is
	 * pinned to the mount that was there when it was set, so the command
	 * would go on seeing the old one.  That is pivot_root(2)'s work.
	 */
	if (strcmp(dst, "/") == 0)
		return m->kind == ROOT ? "the directory is / itself, the root already: pivot_root(2) cannot put the root on itself"
			: "the target is /, and a mount on / does not change the command's root: it would still see the old one";
	/* procfs or sysfs as the root would lead back to the host's tree. */
	if (m->kind == ROOT && (bm_at_or_below(dst, "/proc") || bm_at_or_below(dst, "/sys") ||
				(statfs(dst, &sf) == 0 && (sf.f_type == PROC_SUPER_MAGIC ||
							   sf.f_type == SYSFS_MAGIC))))
		snprintf(why, sizeof(why), "%s is in a procfs or sysfs: as the root it would hand the command the host's whole tree again (/proc/PID/root)", dst);
	else if (!m->src && !S_ISDIR(d->st_mode))
		snprintf(why, sizeof(why), "%s is not a directory", dst);
	/* The kernel binds a directory only onto a directory, a file onto a file. */
	else if (m->src && S_ISDIR(s->st_mode) != S_ISDIR(d->st_mode))
		snprintf(why, sizeof(why), "cannot bind %s %s onto %s %s", kind_of(s), m->src,
			 kind_of(d), dst);
	/* Making a mount private, slave or shared also ends its being unbindable. */
	else if (m->src && !prop->flag && mi_unbindable(m->src, &where) == 1)
		snprintf(why, sizeof(why), "the mount on %s is unbindable (mount --make-unbindable); the kernel refuses to bind it", where);
	else
		return NULL;
	free(where);
	return why;
}

static void check(struct mnt *m, const struct propagation *prop)
{
	char *lex = bm_lexical(m->dst), *p;
	const char *why;
	struct stat s, d;

	if (!lex && errno != EINVAL) {
		msg_err("%s %s: the current directory", m->opt, m->arg);
		exit(CHAIN_EXIT_FAIL);
	}
	if (!lex && m->kind == MKDIR)
		why = "'..' in a path nsmount has to create";
	/* pivot_root(2): new_root and the current root's mount must not be shared. */
	else if (m->kind == ROOT && (prop->flag == MS_SHARED || prop->flag == 0))
		why = prop->flag ? "pivot_root(2) refuses shared mounts, which --propagation shared keeps; use private or slave"
			: "pivot_root(2) refuses shared mounts, which --propagation unchanged keeps; use private or slave";
	else if ((m->in = lex ? bm_made_find(made, nmade, lex, &m->rest) : -1) < 0 && m->kind == MKDIR)
		why = "not below a --tmpfs or --dev given before it; nsmount creates nothing on the host";
	else
		why = NULL;
	if (m->src && !why) {
		p = resolve(m, "source", m->src, &s);
		free(m->src);
		m->src = p;
		m->dir = S_ISDIR(s.st_mode);
	}
	if (m->in < 0 && !why) {
		p = resolve(m, m->kind == TMPFS ? "directory" : "target", m->dst, &d);
		why = refused(m, p, &s, &d, prop);
		free(m->dst);
		m->dst = p;
	} else if (m->in >= 0) {
		/* Spelled from the tmpfs's resolved directory; rest kept in it. */
		const char *dir = strcmp(made[m->in].dir, "/") == 0 ? "" : made[m->in].dir;

		if (asprintf(&p, "%s/%s", dir, m->rest) < 0) {
			msg_err("malloc");
			exit(CHAIN_EXIT_FAIL);
		}
		free(m->dst);
		m->dst = p;
		m->rest = p + strlen(dir) + 1;
	}
	if (why) {
		msg_say("%s %s: %s", m->opt, m->arg, why);
		if (strncmp(why, "the target is /", 15) == 0 || strncmp(why, "the directory is /", 18) == 0)
			msg_hint("--root DIR is how to give the command another root");
		exit(CHAIN_EXIT_FAIL);
	}
	if (m->kind == TMPFS || m->kind == DEV) {
		m->own = (int)nmade;
		made[nmade++] = (struct bm_made){ .dir = m->dst, .spelled = lex, .fd = -1, .id = -1 };
	} else {
		free(lex);
	}
}

/*
 * Open the entry's path once, O_PATH: from the root of the tmpfs it lies
 * in, one name at a time (bm_walk; with --dir and --dev, mkdir -p), or on
 * the host as check() resolved it, checked again by what the descriptor is.
 */
static int target(const struct mnt *m)
{
	static const char *const why[] = {
		[BMW_SYMLINK] = "is a symbolic link, in the tmpfs nsmount made on",
		[BMW_OUTSIDE] = "is not in the tmpfs nsmount made on",
	};
	const struct bm_made *t = m->in >= 0 ? &made[m->in] : NULL;
	const char *at = m->dst;
	enum bm_walk w = BMW_OK;
	struct stat st;
	int fd = -1;

	if (!t && ((fd = open(m->dst, O_PATH | O_CLOEXEC | (m->dir ? O_DIRECTORY : 0))) < 0 ||
		   fstat(fd, &st) < 0))
		w = BMW_OPEN;
	else if (t)
		w = bm_walk(t->fd, t->id, t->dir, m->rest, m->kind == MKDIR || m->kind == DEV,
			    &fd, &st, &at);
	if (w == BMW_OPEN) {
		msg_err("%s %s: %s", m->opt, m->arg, at);
		if (errno == ENOENT && t && m->dir && m->kind != MKDIR && m->kind != DEV)
			msg_hint("make it first: --dir %s before %s", m->dst, m->opt);
	} else if (w == BMW_SYMLINK || w == BMW_OUTSIDE) {
		msg_say("%s %s: %s %s %s; nsmount %s", m->opt, m->arg, at, why[w], t->dir,
			 w == BMW_SYMLINK ? "follows none there" : "creates nothing outside it");
	} else if (w == BMW_NOTDIR || m->dir != S_ISDIR(st.st_mode)) {
		if (m->src)
			msg_say("%s %s: cannot bind %s %s onto %s %s", m->opt, m->arg,
				 m->dir ? "directory" : "file", m->src, kind_of(&st), m->dst);
		else
			msg_say("%s %s: %s is not a directory", m->opt, m->arg, at);
	} else {
		return fd;
	}
	if (fd >= 0)
		close(fd);
	return -1;
}
