/* SPDX-License-Identifier: MIT */
/*
 * nspid: run a command as PID 1 of a new PID namespace.
 * unshare(CLONE_NEWPID) applies to children only, so nspid forks once and
 * stays outside as the namespace's keeper (keeper.h).  The child, PID 1,
 * makes a private mount namespace with a fresh /proc (unless --no-proc),
 * then execs the command, or with --init becomes a reaper that runs it.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include "exits.h"
#include "keep.h"
#include "keeper.h"
#include "mountinfo.h"
#include "msg.h"
#include "opts.h"
#include "step.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: nspid [-hvV] [--init] [--no-proc] [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) as PID 1 of a new PID namespace.  nspid\n"
"stays outside as its keeper: it relays signals and exits with its status.\n"
"\n"
"      --init       PID 1 is a tiny init that runs COMMAND as PID 2, reaps\n"
"                   every orphan and forwards signals (docker --init)\n"
"      --no-proc    keep the old /proc (ps then shows the host's processes);\n"
"                   by default a private mount namespace gets a fresh /proc\n"
"\n"
"When COMMAND dies of signal N, nspid exits with 128+N, as a shell does.\n");
}

enum { OPT_INIT = 256, OPT_NO_PROC };

static const struct option longopts[] = {
	{ "init",    no_argument, NULL, OPT_INIT },
	{ "no-proc", no_argument, NULL, OPT_NO_PROC },
	{ NULL, 0, NULL, 0 },
};

/*
 * proc(5) shows the PID namespace of the process that mounted it, so the
 * mount is made by PID 1 itself, in a mount namespace of its own: made
 * private first, so the new /proc never covers the host's.  Typed, the
 * shell that is PID 1 execs unshare(1), so PID 1 stays the shell.
 */
static int fresh_proc(void)
{
	if (step_unshare(CLONE_NEWNS, "exec unshare --mount --propagation unchanged") < 0)
		return -1;
	if (step_propagate(MS_PRIVATE) < 0)
		return -1;
	if (step_mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL,
		       "mount -t proc -o nosuid,nodev,noexec proc /proc") < 0) {
		msg_fail(DIAG_MOUNT, CLONE_NEWPID, "mount proc on /proc");
		/* After nsmount --root no proc is left for the kernel to see. */
		if (errno == EPERM && mi_visible("proc") == 0)
			msg_hint("no proc is fully visible in this mount namespace, and the kernel then refuses a new one here: put nspid before nsmount --root (nsmount --proc mounts the root's), or give --no-proc");
		return -1;
	}
	return 0;
}

/* Fork: return in the child; the parent keeps, and exits with its status. */
static void fork_and_keep(struct keeper *k, int flags, const char *note, const struct opts *o)
{
	pid_t pid;
	int rc;

	k->narrate = msg_narrate;
	if ((pid = keeper_fork(k, flags)) < 0) {
		/* The child could not promise to die with its keeper. */
		msg_err(k->child == 0 ? "prctl(PR_SET_PDEATHSIG, SIGKILL)" : "fork");
		exit(CHAIN_EXIT_FAIL);
	}
	if (pid > 0) {
		msg_narrate(NULL, pid, "fork()");
		/* --keep and --info-fd by the keeper, which knows PID 1 as the host does. */
		if (o && keep_after(o, "pid_for_children", pid, -1, KEEP_BIND | KEEP_INFO) < 0) {
			kill(pid, SIGKILL);
			exit(CHAIN_EXIT_FAIL);
		}
		msg_note("%s", note);
		rc = keeper_wait(k);
		if (k->err)
			msg_err("wait for PID %d (killed, so that it does not outlive nspid)",
				(int)pid);
		exit(rc);
	}
}

int main(int argc, char *argv[])
{
	struct keeper keeper, init;
	struct keeper *k = &keeper;
	struct opts o = { .shortopts = "", .longopts = longopts, .usage = usage, .kind = OPTS_CHAIN };
	int c, rc, want_init = 0, proc = 1;

	msg_init(argv[0]);
	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case OPT_INIT:
			want_init = 1;
			break;
		case OPT_NO_PROC:
			proc = 0;
			break;
		case OPTS_EXIT:
			return o.status;
		}
	}

	/*
	 * PID 1's death signal does not survive a command that changes its
	 * uids (setpriv, su): a watcher outside, forked before the namespace
	 * exists, kills it if we die.  Under --init PID 1 is ours, and keeps it.
	 */
	if (!want_init && keeper_watch(k) < 0) {
		msg_err("fork the watcher");
		return CHAIN_EXIT_FAIL;
	}
	/* Not --mount-proc: the mount namespace and /proc are steps of their
	 * own below, narrated each, and typed twice they would stack. */
	if (step_unshare(CLONE_NEWPID, "unshare --pid --fork") < 0)
		return CHAIN_EXIT_FAIL;
	fork_and_keep(k, want_init ? KEEPER_PID1 : KEEPER_PID1 | KEEPER_WATCH,
		      "keeper: the child is PID 1 of the new namespace; relaying signals to it", &o);

	if (proc && fresh_proc() < 0)
		return CHAIN_EXIT_FAIL;
	if (want_init) {
		/* PID 1 never execs: the command's exec is reported to it. */
		keeper_release(k);
		k = &init;
		fork_and_keep(k, KEEPER_REAP,
			      "init: PID 1 reaps orphans and forwards signals to the command, PID 2", NULL);
	}

	if (keep_after(&o, NULL, 0, -1, KEEP_BLOCK) < 0)
		return CHAIN_EXIT_FAIL;
	rc = step_exec(argv + optind);
	keeper_exec_failed(k, rc);
	return rc;
}
