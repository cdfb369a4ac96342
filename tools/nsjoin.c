/* SPDX-License-Identifier: MIT */
/*
 * nsjoin: enter namespaces that exist already, then exec the command.
 * setns(2) on the namespaces of a process (-t PID, through a pidfd where
 * the kernel has one) or on namespace files (--net FILE, --netns NAME),
 * in the order ownership allows: what the caller's side owns, then the user
 * namespace, then what it owns.  A PID namespace applies to children, so
 * nsjoin then forks once and keeps (keeper.h), as nspid does.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "escape.h"
#include "exits.h"
#include "keep.h"
#include "keeper.h"
#include "msg.h"
#include "nsfile.h"
#include "opts.h"
#include "proc.h"
#include "step.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: nsjoin [-hvV] [-t pid] [--user[=file]] [--net[=file]] [--mnt[=file]]\n"
"              [--uts[=file]] [--ipc[=file]] [--pid[=file]] [--cgroup[=file]]\n"
"              [--time[=file]] [--netns name] [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) in namespaces that exist already: those of\n"
"a process, or namespace files (a /proc/PID/ns link, a kept namespace).\n"
"\n"
"  -t, --target PID        join the namespaces of PID: every kind in which it\n"
"                          differs from nsjoin's, or only the kinds named\n"
"  -U, --user[=FILE]       the user namespace (of PID, or FILE)\n"
"  -n, --net[=FILE]        the network namespace\n"
"  -m, --mnt[=FILE]        the mount namespace; with -t, root and working\n"
"                          directory follow PID's (nsenter -r -w)\n"
"  -u, --uts[=FILE]        the UTS namespace\n"
"  -i, --ipc[=FILE]        the IPC namespace\n"
"  -p, --pid[=FILE]        the PID namespace: the command runs as a child,\n"
"                          nsjoin stays outside as its keeper\n"
"  -C, --cgroup[=FILE]     the cgroup namespace\n"
"  -T, --time[=FILE]       the time namespace\n"
"      --netns NAME        /run/netns/NAME, as ip netns exec: a new mount\n"
"                          namespace, /sys for it, /etc/netns/NAME/* on /etc\n"
"\n"
"A FILE may be the next word, --net FILE, when that word is no option and\n"
"no -t came before it; after -t it is the command: say --net=FILE there.\n"
"\n"
"Your uid and gid are kept (nsenter --preserve-credentials): no setgroups.\n"
"A namespace nsjoin is in already is left alone.\n");
}

enum { OPT_NETNS = 256 };

static const struct option longopts[] = {
	{ "target",  required_argument, NULL, 't' },
	{ "user",    optional_argument, NULL, 'U' },
	{ "net",     optional_argument, NULL, 'n' },
	{ "mnt",     optional_argument, NULL, 'm' },
	{ "uts",     optional_argument, NULL, 'u' },
	{ "ipc",     optional_argument, NULL, 'i' },
	{ "pid",     optional_argument, NULL, 'p' },
	{ "cgroup",  optional_argument, NULL, 'C' },
	{ "time",    optional_argument, NULL, 'T' },
	{ "netns",   required_argument, NULL, OPT_NETNS },
	{ NULL, 0, NULL, 0 },
};

/* The option letters in the order of pf_nskinds[]. */
static const char kind_opt[] = "UnmuipCT";
enum { USER = 0, NET = 1, MNT = 2, PID = 5 };
/* When each namespace is joined: before the user namespace, it, after. */
enum { BEFORE, WITH_USER, AFTER };

struct ns {
	const struct pf_nskind *kind;
	const char *file;	/* the option's FILE, or NULL: the target's */
	char path[PATH_MAX];	/* FILE, or /proc/PID/ns/KIND */
	int want, fd, phase, joined;
};

static pid_t target;
static int pidfd = -1, rootfd = -1, cwdfd = -1;

/* What a file that is no namespace is (nsfile_open's result), for the message. */
static const char *const not_ns[] = {
	[NSFILE_STALE] = "an empty file, not a namespace (stale: the namespace kept there is gone)",
	[NSFILE_REGULAR] = "a regular file, not a namespace",
	[NSFILE_DIR] = "a directory, not a namespace",
	[NSFILE_OTHER] = "not a namespace",
};

/* Open and check one namespace; drop it when nsjoin is in it already. */
static int look(struct ns *n)
{
	const char *kind = n->kind->name;
	unsigned long long ino;
	int other, r;

	if (!n->file)
		snprintf(n->path, sizeof(n->path), "/proc/%d/ns/%s", (int)target, kind);
	switch ((r = nsfile_open(n->path, n->kind->flag, &n->fd, &other))) {
	case NSFILE_OK:
		break;
	case NSFILE_OPEN:
		if (!n->file && pr_gone(errno))
			msg_say("process %d has exited: %s is gone", (int)target, n->path);
		else if (!n->file && errno == EACCES)
			msg_err("process %d: open %s (another user's process)", (int)target, n->path);
		else
			msg_err("--%s: open %s", kind, n->path);
		return -1;
	case NSFILE_KIND:
		for (int i = 0; i < PF_NSKINDS; i++)
			if (pf_nskinds[i].flag == other)
				msg_say("--%s: %s is a %s namespace, not a %s one", kind, n->path,
					pf_nskinds[i].name, kind);
		return -1;
	default:
		msg_say("--%s: %s is %s", kind, n->path, not_ns[r]);
		return -1;
	}
	if (nsfile_is_own(n->fd, kind, &ino)) {
		msg_note("%s: %s:[%llu] is nsjoin's own already: not joined", n->path, kind, ino);
		n->want = 0;
	}
	return 0;
}

/* Say why setns(2) refused n: who owns it, when that is what stopped it. */
static void refused(const struct ns *n)
{
	int e = errno;
	uid_t uid;

	msg_err("setns %s (a %s namespace)", n->path, n->kind->name);
	if (e == EPERM && nsfile_owner_uid(n->fd, &uid) == 0)
		msg_hint("its user namespace belongs to uid %u; joining needs CAP_SYS_ADMIN "
			  "there: join that user namespace first (--user), or ask its owner",
			  (unsigned)uid);
}

/* nsenter(1)'s option for each kind, in the order of pf_nskinds[]. */
static const char *const nsenter_opt[] = { "user", "net", "mount", "uts", "ipc", "pid", "cgroup", "time" };

/*
 * Join the namespaces of one phase.  Those of the target go in one
 * setns(pidfd, flags) (Linux 5.8): the process looked at, not whatever
 * now has its PID.  Files, and kernels before 5.8, one setns(fd) each.
 */
static int join(struct ns *k, int phase)
{
	char flags[160] = "", shell[PATH_MAX + 64], q[ESC_SHELL_LEN(PATH_MAX)];
	int mask = 0;

	for (int i = 0; i < PF_NSKINDS; i++)
		if (k[i].want && k[i].phase == phase && !k[i].file)
			mask |= k[i].kind->flag;
	if (mask && pidfd >= 0) {
		int o = snprintf(shell, sizeof(shell), "nsenter -t %d", (int)target);
		int rc = setns(pidfd, mask);

		for (int i = 0; i < PF_NSKINDS; i++)
			if (mask & k[i].kind->flag)
				o += snprintf(shell + o, sizeof(shell) - (size_t)o, " --%s",
					      nsenter_opt[i]);
		if (mask & CLONE_NEWUSER)
			snprintf(shell + o, sizeof(shell) - (size_t)o, " --preserve-credentials");
		msg_narrate(shell, rc, "setns(pidfd of %d, %s)", (int)target,
			      diag_nsflags_str(mask, flags, sizeof(flags)));
		if (rc == 0) {
			for (int i = 0; i < PF_NSKINDS; i++)
				k[i].joined |= !!(mask & k[i].kind->flag);
			mask = 0;
		} else if (errno != EINVAL) {
			msg_err("setns process %d (%s)", (int)target, flags);
			msg_hint("every namespace is joined with the capabilities of the user "
				  "namespace that owns it; see nsjoin(1), ORDER");
			return -1;
		}
		/* EINVAL: a kernel before 5.8 takes no pidfd; one file at a time. */
	}
	for (int i = 0; i < PF_NSKINDS; i++) {
		struct ns *n = &k[i];
		int rc;

		if (!n->want || n->phase != phase || n->joined)
			continue;
		rc = setns(n->fd, n->kind->flag);
		snprintf(shell, sizeof(shell), "nsenter --%s=%s%s", nsenter_opt[i],
			 esc_shell(n->path, q, sizeof(q)),
			 i == USER ? " --preserve-credentials" : "");
		msg_narrate(shell, rc, "setns(open(\"%s\"), %s)", n->path, n->kind->clone);
		if (rc < 0) {
			refused(n);
			return -1;
		}
		n->joined = 1;
	}
	return 0;
}

/*
 * setns(CLONE_NEWNS) puts root and working directory at the namespace's
 * root; a process may have another (a chroot, pivot_root's new root is the
 * namespace's).  Follow the target's, as nsenter -r -w.
 */
static int follow_root(void)
{
	int rc = fchdir(rootfd);

	msg_narrate(NULL, rc, "fchdir(open(\"/proc/%d/root\"))", (int)target);
	if (rc == 0) {
		rc = chroot(".");
		msg_narrate(NULL, rc, "chroot(\".\")");
	}
	if (rc == 0) {
		rc = fchdir(cwdfd);
		msg_narrate(NULL, rc, "fchdir(open(\"/proc/%d/cwd\"))", (int)target);
	}
	if (rc < 0)
		msg_err("follow the root and working directory of process %d", (int)target);
	else
		msg_note("root and working directory are process %d's (nsenter -r -w)", (int)target);
	return rc;
}

int main(int argc, char *argv[])
{
	struct opts o = { .shortopts = "t:UnmuipCT", .longopts = longopts, .usage = usage, .kind = OPTS_CHAIN };
	struct ns k[PF_NSKINDS];
	struct keeper keeper;
	const char *netns = NULL;
	int c, named = 0;

	msg_init(argv[0]);
	for (int i = 0; i < PF_NSKINDS; i++)
		k[i] = (struct ns){ .kind = &pf_nskinds[i], .fd = -1 };
	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		const char *letter = c > 0 && c < 256 ? strchr(kind_opt, c) : NULL;

		if (letter) {
			struct ns *n = &k[letter - kind_opt];

			/*
			 * --net FILE: getopt gives an optional argument only as
			 * --net=FILE.  The next word is the FILE when it is no
			 * option and no -t came before it: a kind without a file
			 * means nothing without a target, and after one the word
			 * is the command (nsjoin -t PID --net sh).
			 */
			if (!optarg && !target && optind < argc && argv[optind][0] != '-' &&
			    strncmp(argv[optind - 1], "--", 2) == 0)
				optarg = argv[optind++];
			n->want = named = 1;
			if ((n->file = optarg))
				snprintf(n->path, sizeof(n->path), "%s", optarg);
			continue;
		}
		switch (c) {
		case 't':
			if (pf_parse_pid(optarg, &target) < 0 || target <= 0) {
				msg_say("-t '%s': expected a process ID", optarg);
				return CHAIN_EXIT_FAIL;
			}
			break;
		case OPT_NETNS:
			netns = optarg;
			break;
		case OPTS_EXIT:
			return o.status;
		}
	}
	if (netns) {
		if (!keep_netns_name_ok(netns)) {
			msg_say("--netns '%s': expected the name of a file in /run/netns", netns);
			return CHAIN_EXIT_FAIL;
		}
		if (k[NET].want) {
			msg_say("--netns and --net: say one network namespace");
			return CHAIN_EXIT_FAIL;
		}
		snprintf(k[NET].path, sizeof(k[NET].path), "/run/netns/%s", netns);
		k[NET].file = k[NET].path;
		k[NET].want = 1;
	}
	for (int i = 0; i < PF_NSKINDS; i++) {
		k[i].want |= target && !named;
		if (k[i].want && !k[i].file && !target) {
			msg_say("--%s: say --%s FILE, or -t PID", k[i].kind->name, k[i].kind->name);
			return CHAIN_EXIT_FAIL;
		}
	}
	if (!target && !k[NET].want && !named) {
		msg_say("nothing to join: say -t PID, --net FILE (or another kind) or --netns NAME");
		return CHAIN_EXIT_FAIL;
	}

	/*
	 * Look first, change nothing: the process is pinned by a pidfd, each
	 * namespace opened and checked (a namespace, of its option's kind),
	 * then the process checked to be still there, before the first setns.
	 * A refusal leaves nsjoin as it started and runs nothing.
	 */
	if (target) {
		pidfd = pr_pidfd_open(target);
		msg_narrate(NULL, pidfd, "pidfd_open(%d, 0)", (int)target);
		if (pidfd < 0 && errno == ESRCH) {
			msg_say("process %d: no such process (it has exited)", (int)target);
			return CHAIN_EXIT_FAIL;
		}
	}
	for (int i = 0; i < PF_NSKINDS; i++)
		if (k[i].want && look(&k[i]) < 0)
			return CHAIN_EXIT_FAIL;
	if (k[MNT].want && !k[MNT].file) {
		char p[64];

		snprintf(p, sizeof(p), "/proc/%d/root", (int)target);
		rootfd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
		snprintf(p, sizeof(p), "/proc/%d/cwd", (int)target);
		cwdfd = rootfd < 0 ? -1 : open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cwdfd < 0) {
			msg_err("process %d: open its root and working directory", (int)target);
			return CHAIN_EXIT_FAIL;
		}
	}
	if (pidfd >= 0 && pr_pidfd_signal(pidfd, 0) < 0) {
		msg_say("process %d has exited: nothing joined", (int)target);
		return CHAIN_EXIT_FAIL;
	}

	/*
	 * The order.  setns(2) wants CAP_SYS_ADMIN in the user namespace that
	 * owns the namespace joined.  So what the target's user namespace (or
	 * one below it) owns is joined after it: joining it gives every
	 * capability there, which a user joining their own experiment has in
	 * no other way.  The rest is joined first, while nsjoin still has its
	 * own capabilities: root entering a network namespace that a process
	 * entered before making its user namespace (root needs no user
	 * namespace for the rest: its capabilities reach every one below).
	 * nsenter tries all but the user namespace first, ignoring errors,
	 * then everything again.
	 */
	if (k[USER].want)
		for (int i = 1; i < PF_NSKINDS; i++)
			k[i].phase = k[i].want && nsfile_owned_below(k[i].fd, k[USER].fd) ? AFTER : BEFORE;
	k[USER].phase = WITH_USER;
	if (join(k, BEFORE) < 0 || join(k, WITH_USER) < 0 || join(k, AFTER) < 0)
		return CHAIN_EXIT_FAIL;
	if (k[MNT].joined && rootfd >= 0 && follow_root() < 0)
		return CHAIN_EXIT_FAIL;
	if (netns && step_netns_exec(netns) < 0)
		return CHAIN_EXIT_FAIL;

	/* setns(CLONE_NEWPID) moves the children only: fork, and keep. */
	if (k[PID].joined) {
		pid_t pid;
		int rc;

		keeper.narrate = msg_narrate;
		if ((pid = keeper_fork(&keeper, 0)) < 0) {
			msg_err("fork");
			return CHAIN_EXIT_FAIL;
		}
		if (pid > 0) {
			msg_narrate(NULL, pid, "fork()");
			if (keep_after(&o, NULL, pid, -1, KEEP_BIND | KEEP_INFO) < 0) {
				kill(pid, SIGKILL);
				return CHAIN_EXIT_FAIL;
			}
			msg_note("keeper: the child is in the joined PID namespace; relaying signals");
			return keeper_wait(&keeper);
		}
		if (keep_after(&o, NULL, getpid(), -1, KEEP_BLOCK) < 0)
			_exit(CHAIN_EXIT_FAIL);
		rc = step_exec(argv + optind);
		keeper_exec_failed(&keeper, rc);
		return rc;
	}
	if (keep_after(&o, NULL, getpid(), -1, KEEP_ALL) < 0)
		return CHAIN_EXIT_FAIL;
	return step_exec(argv + optind);
}
