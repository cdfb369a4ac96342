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
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
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
	{ SIGWINCH, "SIGWINCH" }, { SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" },
	{ SIGTTOU, "SIGTTOU" },   { SIGCONT, "SIGCONT" },
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

/* Narrate a relay through the tool's k->narrate, if any. */
#define say(k, rc, ...) \
	do { \
		if ((k)->narrate) \
			(k)->narrate(NULL, (rc), __VA_ARGS__); \
	} while (0)

/* Signal the child: through its pidfd when we have one, else by PID. */
static int signal_child(const struct keeper *k, int sig)
{
	return k->pidfd >= 0 ? pr_pidfd_signal(k->pidfd, sig) : kill(k->child, sig);
}

/* The watcher's life: see keeper_watch in keeper.h.  Never returns. */
static void watch(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], b;
	struct iovec iov = { &b, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	sigset_t all;
	int pidfd = -1;
	ssize_t n;

	/* Ctrl-C and kill(1) of the job's group are the keeper's to handle. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	/* Hold nothing of the caller's: a pipe's write end would keep a
	 * reader waiting on us, not on the command. */
	for (int fd = 0; fd < 3; fd++)
		if (fd != sock)
			close(fd);
#ifdef SYS_close_range
	if (sock > 3)
		syscall(SYS_close_range, 3, sock - 1, 0);
	syscall(SYS_close_range, sock + 1, ~0U, 0);
#endif
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	c = n == 1 ? CMSG_FIRSTHDR(&mh) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&pidfd, CMSG_DATA(c), sizeof(int));
	if (pidfd < 0)
		goto out;	/* no child to watch: the keeper is gone or had none */
	for (;;) {
		struct pollfd p[2] = { { .fd = sock, .events = POLLIN },
				       { .fd = pidfd, .events = POLLIN } };

		if (poll(p, 2, -1) < 0 && errno == EINTR)
			continue;
		/* A pidfd is readable once its process has ended. */
		if (p[1].revents)
			goto out;
		break;
	}
	/* The keeper is gone (or poll failed): the child goes with it. */
	pr_pidfd_signal(pidfd, SIGKILL);
out:
	/* Nothing left open at exit: valgrind's --track-fds follows us too. */
	if (pidfd >= 0)
		close(pidfd);
	close(sock);
	_exit(0);
}

int keeper_watch(struct keeper *k)
{
	int sv[2];

	k->watcher = -1;
	k->watchfd = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	k->watcher = fork();
	if (k->watcher < 0) {
		int saved = errno;

		close(sv[0]);
		close(sv[1]);
		errno = saved;
		return -1;
	}
	if (k->watcher == 0) {
		close(sv[0]);
		watch(sv[1]);
	}
	close(sv[1]);
	k->watchfd = sv[0];
	return 0;
}

/* Hand the child's pidfd to the watcher. */
static void arm_watcher(struct keeper *k)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, b = 'w';
	struct iovec iov = { &b, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	if (k->watchfd < 0 || k->pidfd < 0)
		return;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &k->pidfd, sizeof(int));
	/* A watcher that is gone cannot be armed; the death signal remains. */
	(void)sendmsg(k->watchfd, &mh, MSG_NOSIGNAL);
}

/* The watcher's socket closed: it exits, and is reaped here. */
static void end_watcher(struct keeper *k)
{
	close_fd(&k->watchfd);
	if (k->watcher > 0)
		while (waitpid(k->watcher, NULL, 0) < 0 && errno == EINTR)
			;
	k->watcher = -1;
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
	k->execfd = k->alivefd = k->sigfd = k->pidfd = -1;
	k->err = 0;
	if (!(flags & KEEPER_WATCH)) {
		k->watcher = -1;
		k->watchfd = -1;
	}
	relayed_set(&set);
	if (pipe2(ex, O_CLOEXEC) < 0)
		return -1;
	/* A socket, not a pipe: MSG_NOSIGNAL keeps a child that is already
	 * gone from killing us with SIGPIPE when we say "go". */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, alive) < 0) {
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
		end_watcher(k);
		close(ex[0]);
		close(ex[1]);
		close(alive[0]);
		close(alive[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		unsigned char go;
		ssize_t n;

		close(ex[0]);
		close(alive[1]);
		close_fd(&k->sigfd);
		close_fd(&k->watchfd);
		k->watcher = -1;
		/*
		 * Set before any id change (which clears it) and before exec;
		 * refused (a seccomp filter), we cannot promise to die with the
		 * keeper, so we do not run.
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) {
			saved = errno;
			close(alive[0]);
			close(ex[1]);
			k->child = 0;
			errno = saved;
			return -1;
		}
		/*
		 * Wait for the keeper's word that the watcher holds our pidfd.
		 * If the keeper died before, its end of the pipe is closed and
		 * read says so (EOF), and we go as the death signal would have
		 * made us.  getppid() cannot tell, being 0 for PID 1 of a new
		 * PID namespace.
		 */
		do
			n = read(alive[0], &go, 1);
		while (n < 0 && errno == EINTR);
		if (n != 1) {
			close(alive[0]);
			close(ex[1]);
			k->child = 0;
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
	/* Safe by PID: our child, not yet waited for, cannot be another. */
	k->pidfd = pr_pidfd_open(pid);
	arm_watcher(k);
	if (send(k->alivefd, "g", 1, MSG_NOSIGNAL) != 1) {
		/* The child is gone already: keeper_wait reaps it. */
	}
	return pid;
}

enum { DISP_DEFAULT, DISP_CAUGHT, DISP_IGNORED, DISP_UNKNOWN };

/*
 * The child's PID as our /proc shows it.  /proc may be of another PID
 * namespace than ours (`unshare -p -f nspid --no-proc`: we are PID 1 there,
 * and /proc is the host's); the pidfd's fdinfo gives the PID in the
 * namespace of the /proc that shows it.  0 when it cannot be told.
 */
static pid_t proc_pid(const struct keeper *k)
{
	char buf[1024];
	char path[64], self[32];
	const char *p;
	ssize_t n;
	long v;

	n = readlink("/proc/self", self, sizeof(self) - 1);
	if (n < 0)
		return 0;
	self[n] = '\0';
	snprintf(path, sizeof(path), "%d", (int)getpid());
	if (strcmp(self, path) == 0)
		return k->child;
	if (k->pidfd < 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", k->pidfd);
	if ((n = pr_read(AT_FDCWD, path, buf, sizeof(buf))) < 0)
		return 0;
	p = strstr(buf, "\nPid:");
	if (!p)
		return 0;
	v = strtol(p + 5, NULL, 10);
	return v > 0 ? (pid_t)v : 0;
}

/*
 * What the child does with sig: read from its /proc status, by the PID
 * our /proc knows it by.  When it cannot be told, DISP_UNKNOWN, and the
 * signal is relayed as it is.
 */
static int disposition(const struct keeper *k, int sig)
{
	char buf[8192];
	char path[64];
	uint64_t cgt, ign;
	ssize_t len;
	pid_t pid = proc_pid(k);

	if (pid <= 0)
		return DISP_UNKNOWN;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((len = pr_read(AT_FDCWD, path, buf, sizeof(buf))) < 0 ||
	    pf_status_caps(buf, (size_t)len, "SigCgt", &cgt) < 0 ||
	    pf_status_caps(buf, (size_t)len, "SigIgn", &ign) < 0)
		return DISP_UNKNOWN;
	if ((cgt >> (sig - 1)) & 1)
		return DISP_CAUGHT;
	return (ign >> (sig - 1)) & 1 ? DISP_IGNORED : DISP_DEFAULT;
}

static int is_stop(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/*
 * Stop as the child was stopped, so that the shell's job says Stopped;
 * SIGCONT, which continues us even while blocked, then comes through the
 * signalfd and is relayed.  With SIGSTOP, not the signal that came: the
 * kernel discards SIGTSTP, SIGTTIN and SIGTTOU in an orphaned process group
 * (a script started without job control, a CI runner: signal(7)), and we
 * would run on while PID 1 stays stopped.  An init (KEEPER_REAP) cannot
 * stop itself: the kernel drops the signals PID 1 sends itself.
 */
static void stop_self(void)
{
	kill(getpid(), SIGSTOP);
}

/* Relay one signal; *instead_of is set when SIGKILL went in its place. */
static void relay(struct keeper *k, const struct signalfd_siginfo *si, int *instead_of)
{
	int sig = (int)si->ssi_signo, rc, disp;
	/*
	 * The terminal signals a whole process group.  A child still in ours
	 * had it from the kernel already; relaying would deliver it twice.
	 */
	int from_tty = si->ssi_code == SI_KERNEL && getpgid(k->child) == getpgrp();

	if (sig == SIGCONT) {
		rc = signal_child(k, SIGCONT);
		say(k, rc, "kill(%d, SIGCONT)", (int)k->child);
		return;
	}
	disp = sig == SIGWINCH ? DISP_UNKNOWN : disposition(k, sig);
	if (is_stop(sig)) {
		/* A command that ignores it goes on, and so do we. */
		if (disp == DISP_IGNORED)
			return;
		/*
		 * PID 1 without a handler ignores SIGTSTP even from the
		 * terminal; SIGSTOP from us, outside its namespace, it cannot.
		 */
		if ((k->flags & KEEPER_PID1) && disp == DISP_DEFAULT) {
			rc = signal_child(k, SIGSTOP);
			say(k, rc, "%s: PID 1 (pid %d here) has no handler for it and would ignore it: kill(%d, SIGSTOP)",
				      signame(sig), (int)k->child, (int)k->child);
		} else if (!from_tty) {
			rc = signal_child(k, sig);
			say(k, rc, "kill(%d, %s)", (int)k->child, signame(sig));
		}
		if (!(k->flags & KEEPER_REAP))
			stop_self();
		return;
	}
	if ((k->flags & KEEPER_PID1) && disp == DISP_DEFAULT) {
		rc = signal_child(k, SIGKILL);
		say(k, rc, "%s: PID 1 (pid %d here) has no handler for it and would ignore it: kill(%d, SIGKILL)",
			      signame(sig), (int)k->child, (int)k->child);
		*instead_of = sig;
		return;
	}
	if (from_tty)
		return;
	rc = signal_child(k, sig);
	say(k, rc, "kill(%d, %s)", (int)k->child, signame(sig));
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
		/* Our child is there to wait for: a failure is not its end. */
		if (r < 0 && errno != EINTR) {
			k->err = errno;
			break;
		}
	}
	if (!done && !k->err)
		while (waitpid(k->child, &status, 0) < 0)
			if (errno != EINTR) {
				k->err = errno;
				break;
			}
	if (k->err) {
		/*
		 * We cannot learn how it ends (a filter that makes wait4 fail):
		 * it must not outlive us, nor we wait for ever on it.
		 */
		signal_child(k, SIGKILL);
		close_fd(&k->execfd);
		close_fd(&k->sigfd);
		close_fd(&k->alivefd);
		close_fd(&k->pidfd);
		end_watcher(k);
		errno = k->err;
		return CHAIN_EXIT_FAIL;
	}
	/* The child wrote before it exited: the byte, if any, is there. */
	if (k->execfd >= 0 && read(k->execfd, &b, 1) == 1)
		exec_status = b;
	close_fd(&k->execfd);
	close_fd(&k->sigfd);
	close_fd(&k->alivefd);
	close_fd(&k->pidfd);
	end_watcher(k);
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
