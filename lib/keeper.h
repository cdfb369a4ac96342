/* SPDX-License-Identifier: MIT */
/*
 * keeper: the one exception to the chain contract's "no fork".  A PID
 * namespace (and a time namespace where execve(2) does not switch) applies
 * to children only, so nspid and nstime fork once and the parent stays
 * outside as the namespace's keeper: it relays SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH to the child, stops the child and
 * then itself on SIGTSTP, SIGTTIN and SIGTTOU, continues the child on
 * SIGCONT, and returns the status to exit with (the child's, or 128+N when
 * it died of signal N).
 *
 * The child dies with the keeper: PR_SET_PDEATHSIG(SIGKILL), which the
 * kernel clears when the command changes its credentials (setpriv, su), so
 * also a watcher (keeper_watch), a process outside that holds a pidfd of the
 * child and SIGKILLs it when the keeper is gone, even by SIGKILL.
 *
 * The same loop, reaping every child, is nspid --init's PID 1.
 */
#ifndef NSLAB_KEEPER_H
#define NSLAB_KEEPER_H

#include <signal.h>
#include <sys/types.h>

enum {
	/*
	 * The child is PID 1 of a new PID namespace.  Such a process never
	 * gets a signal it has no handler for, except SIGKILL and SIGSTOP
	 * (pid_namespaces(7)), so `nspid sleep 100` would outlive Ctrl-C and
	 * timeout(1): when it neither catches nor ignores a signal whose
	 * default action terminates, the keeper sends SIGKILL instead.
	 */
	KEEPER_PID1 = 1,
	/* We are an init: reap every child, return when the first one ends. */
	KEEPER_REAP = 2,
	/* keeper_watch() was called: arm its watcher with the child. */
	KEEPER_WATCH = 4,
};

struct keeper {
	pid_t child;
	int flags;
	int execfd;	/* child: write end of the close-on-exec pipe; parent: read end */
	int alivefd;	/* parent: held open for as long as it keeps */
	int sigfd;	/* parent: a signalfd of the relayed signals and SIGCHLD */
	int pidfd;	/* parent: the child's pidfd, -1 before Linux 5.3 */
	pid_t watcher;	/* keeper_watch's process, -1 for none */
	int watchfd;	/* parent: our end of the watcher's socket */
	int err;	/* keeper_wait: the errno of a wait that failed, else 0 */
	sigset_t oldmask;
	struct sigaction oldact[16];
	/*
	 * Set by the tool before keeper_fork, NULL for silence: how the
	 * keeper's relays (kill(2), and SIGKILL in a signal's place) are
	 * narrated.  keeper prints nothing itself; a tool passes msg_narrate.
	 */
	void (*narrate)(const char *shell, int result, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
};

/*
 * Fork the watcher: call it before unshare(CLONE_NEWPID), which would put
 * it in the new namespace, where it could not kill PID 1; then keeper_fork
 * with KEEPER_WATCH.  It blocks every signal, closes every descriptor but
 * its socket, takes the child's pidfd from keeper_fork, and when the keeper
 * is gone (the socket's other end closed) sends SIGKILL through the pidfd,
 * which cannot reach another process that took the PID since; it exits
 * when the child has ended or the keeper is gone.  keeper_wait reaps it.
 * Returns 0, or -1 with errno (no watcher then: k->watcher is -1).
 */
int keeper_watch(struct keeper *k);

/*
 * Fork the child.  In the child returns 0 with the caller's signal mask
 * and dispositions back, PR_SET_PDEATHSIG(SIGKILL) set, and once the parent
 * has armed the watcher (if it was already gone, the child kills itself, as
 * the death signal would have); -1 with errno and k->child 0 when
 * PR_SET_PDEATHSIG was refused.  In the parent returns the child's PID,
 * with the relayed signals and SIGCHLD blocked: call keeper_wait() next.
 * -1 with errno set when it could not fork.
 */
pid_t keeper_fork(struct keeper *k, int flags);

/*
 * Parent: relay signals until the child ends; return the status to exit
 * with.  When the child reported an exec failure (keeper_exec_failed) that
 * status; 128+N for a signal N (the relayed signal, when the keeper had to
 * send SIGKILL in its place).  Each relay and SIGKILL goes to k->narrate.
 * When waiting itself fails (a seccomp filter), the child is killed and
 * the status is 125, with k->err set to the errno.
 */
int keeper_wait(struct keeper *k);

/* Child: exec failed with this status (126, 127): tell the keeper. */
void keeper_exec_failed(struct keeper *k, int status);

/* Child: close the keeper's pipe without exec (it becomes an init). */
void keeper_release(struct keeper *k);

#endif
