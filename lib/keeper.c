/* SPDX-License-Identifier: MIT */
/*
 * keeper: fork once, stay outside, relay signals, return the child's
 * status.  Signals are taken through a signalfd, blocked from before the
 * fork, so none is lost between fork and the first wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exits.h"
#include "keeper.h"
#include "proc.h"

/* The signals a user or a supervisor sends to stop or poke a command. */
static const struct {
	int sig;
	const char *name;
} relayed[] = {
	{ SIGINT, "SIGINT" },   { SIGTERM, "SIGTERM" }, { SIGHUP, "SIGHUP" },
	{ SIGQUIT, "SIGQUIT" }, { SIGUSR1, "SIGUSR1" }, { SIGUSR2, "SIGUSR2" },
	{ SIGWINCH, "SIGWINCH" },
};
#define NRELAYED (sizeof(relayed) / sizeof(relayed[0]))

/* The slot of oldact[] that holds SIGCHLD's disposition. */
#define CHLD_SLOT NRELAYED

static const char *signame(int sig)
{
	for (size_t i = 0; i < NRELAYED; i++)
		if (relayed[i].sig == sig)
			return relayed[i].name;
	return "signal";
}

static void relayed_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < NRELAYED; i++)
		sigaddset(set, relayed[i].sig);
	sigaddset(set, SIGCHLD);
}

/* Never runs (the signal stays blocked): it is there to show in SigCgt. */
static void on_signal(int sig)
{
	(void)sig;
}

static void restore(struct keeper *k)
{
	/* Only an init changes the relayed signals' dispositions. */
	for (size_t i = 0; (k->flags & KEEPER_REAP) && i < NRELAYED; i++)
		sigaction(relayed[i].sig, &k->oldact[i], NULL);
	sigaction(SIGCHLD, &k->oldact[CHLD_SLOT], NULL);
	sigprocmask(SIG_SETMASK, &k->oldmask, NULL);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

pid_t keeper_fork(struct keeper *k, int flags)
{
	struct sigaction sa;
	sigset_t set;
	int ex[2], alive[2], saved;
	pid_t pid;

	_Static_assert(sizeof(k->oldact) / sizeof(k->oldact[0]) > NRELAYED,
		       "oldact holds the relayed signals and SIGCHLD");
	k->flags = flags;
	k->child = -1;
	k->execfd = k->alivefd = k->sigfd = -1;
	relayed_set(&set);
	if (pipe2(ex, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(alive, O_CLOEXEC) < 0) {
		saved = errno;
		close(ex[0]);
		close(ex[1]);
		errno = saved;
		return -1;
	}
	sigprocmask(SIG_BLOCK, &set, &k->oldmask);
	k->sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	/*
	 * A signal blocked with no handler still counts as "not caught" in
	 * /proc/PID/status; an init shows handlers so that its keeper relays
	 * to it rather than sending SIGKILL.
	 */
	if (flags & KEEPER_REAP) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		for (size_t i = 0; i < NRELAYED; i++)
			sigaction(relayed[i].sig, &sa, &k->oldact[i]);
	}
	/* An ignored SIGCHLD would have the kernel reap the child for us. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &k->oldact[CHLD_SLOT]);

	pid = k->sigfd < 0 ? -1 : fork();
	if (pid < 0) {
		saved = errno;
		restore(k);
		close_fd(&k->sigfd);
		close(ex[0]);
		close(ex[1]);
		close(alive[0]);
		close(alive[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		struct pollfd p = { .fd = alive[0], .events = POLLIN };

		close(ex[0]);
		close(alive[1]);
		close_fd(&k->sigfd);
		/*
		 * Set before any id change (which clears it) and before exec.
		 * The keeper may have died before this call: then its end of
		 * the pipe is closed (ours is too), and poll says so.  getppid()
		 * cannot tell, being 0 for PID 1 of a new PID namespace.
		 */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (poll(&p, 1, 0) > 0 && (p.revents & POLLHUP)) {
			close(alive[0]);
			close(ex[1]);
			errno = ESRCH;
			return -1;
		}
		close(alive[0]);
		restore(k);
		k->child = 0;
		k->execfd = ex[1];
		return 0;
	}
	close(ex[1]);
	close(alive[0]);
	k->child = pid;
	k->execfd = ex[0];
	k->alivefd = alive[1];
	return pid;
}

/*
 * Does the child catch or ignore sig?  Read from its /proc status, which
 * names it by the PID we know only if /proc is of our PID namespace; when
 * it cannot be told, say yes, so the signal is relayed as it is.
 */
static int handles(pid_t pid, int sig)
{
	char buf[8192];
	char path[64], self[32];
	uint64_t cgt, ign;
	ssize_t n, len;

	n = readlink("/proc/self", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = '\0';
	snprintf(path, sizeof(path), "%d", (int)getpid());
	if (strcmp(self, path) != 0)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((len = pr_read(AT_FDCWD, path, buf, sizeof(buf))) < 0 ||
	    pf_status_caps(buf, (size_t)len, "SigCgt", &cgt) < 0 ||
	    pf_status_caps(buf, (size_t)len, "SigIgn", &ign) < 0)
		return 1;
	return (int)(((cgt | ign) >> (sig - 1)) & 1);
}

/* Relay one signal; *instead_of is set when SIGKILL went in its place. */
static void relay(struct keeper *k, const struct signalfd_siginfo *si, int *instead_of)
{
	int sig = (int)si->ssi_signo, rc;
	/*
	 * The terminal signals a whole process group.  A child still in ours
	 * had it from the kernel already; relaying would deliver it twice.
	 */
	int from_tty = si->ssi_code == SI_KERNEL && getpgid(k->child) == getpgrp();

	if ((k->flags & KEEPER_PID1) && sig != SIGWINCH && !handles(k->child, sig)) {
		rc = kill(k->child, SIGKILL);
		if (k->narrate)
			k->narrate(NULL, rc, "%s: PID 1 (pid %d here) has no handler for it and would ignore it: kill(%d, SIGKILL)",
				   signame(sig), (int)k->child, (int)k->child);
		*instead_of = sig;
		return;
	}
	if (from_tty)
		return;
	rc = kill(k->child, sig);
	if (k->narrate)
		k->narrate(NULL, rc, "kill(%d, %s)", (int)k->child, signame(sig));
}

int keeper_wait(struct keeper *k)
{
	struct signalfd_siginfo si;
	int status = 0, exec_status = -1, instead_of = 0, done = 0;
	unsigned char b;
	ssize_t n;
	pid_t r;

	while (!done) {
		struct pollfd p[2] = {
			{ .fd = k->sigfd, .events = POLLIN },
			{ .fd = k->execfd, .events = POLLIN },
		};

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			/* Cannot happen with two valid descriptors; wait plainly. */
			break;
		}
		if (p[1].revents) {
			n = read(k->execfd, &b, 1);
			if (n == 1)
				exec_status = b;
			if (n >= 0 || errno != EINTR)
				close_fd(&k->execfd);
		}
		if (!(p[0].revents & POLLIN))
			continue;
		n = read(k->sigfd, &si, sizeof(si));
		if (n != (ssize_t)sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD) {
			relay(k, &si, &instead_of);
			continue;
		}
		/* An init reaps every orphan the kernel hands it. */
		while ((r = waitpid(k->flags & KEEPER_REAP ? -1 : k->child, &status,
				    WNOHANG)) > 0) {
			if (r == k->child) {
				done = 1;
				break;
			}
		}
	}
	if (!done)
		while (waitpid(k->child, &status, 0) < 0 && errno == EINTR)
			;
	/* The child wrote before it exited: the byte, if any, is there. */
	if (k->execfd >= 0 && read(k->execfd, &b, 1) == 1)
		exec_status = b;
	close_fd(&k->execfd);
	close_fd(&k->sigfd);
	close_fd(&k->alivefd);
	if (exec_status >= 0)
		return exec_status;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + (WTERMSIG(status) == SIGKILL && instead_of ? instead_of
								       : WTERMSIG(status));
	return CHAIN_EXIT_FAIL;
}

void keeper_exec_failed(struct keeper *k, int status)
{
	unsigned char b = (unsigned char)status;

	if (k->execfd >= 0 && write(k->execfd, &b, 1) < 0) {
		/* The keeper is gone: there is nobody to tell. */
	}
	close_fd(&k->execfd);
}

void keeper_release(struct keeper *k)
{
	close_fd(&k->execfd);
}
