/* SPDX-License-Identifier: MIT */
/*
 * maphelper: the id maps written from outside, by a helper process or by
 * newuidmap/newgidmap (maphelper.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idmap.h"
#include "maphelper.h"

static char tool_buf[IDMAP_SAID_LEN];
static char *tool_args[3 * IDMAP_MAX_LINES + 3];

/*
 * The helper's death signal (SIGTERM, set by maphelper_start) says the
 * tool that forked it is gone, however it died, SIGKILL included.  A
 * setuid newuidmap does not keep a death signal of its own (the kernel
 * clears it at a set-user-ID exec), so the helper takes it down first; it
 * may: its real uid is ours (kill(2)'s rule).
 */
static volatile pid_t tool_pid;

static void on_parent_death(int sig)
{
	if (tool_pid > 0)
		kill(tool_pid, SIGKILL);
	_exit(128 + sig);
}

/*
 * Run newuidmap/newgidmap and wait for it; what it says on stderr goes to
 * `msg`.  Returns its exit status (128+N for signal N), MAPHELPER_NOT_RUN
 * with errno when it could not be started (ENOEXEC, EACCES), or -1 with
 * errno for another failure.
 */
static int run_tool(const char *tool, pid_t pid, const struct idmap *m,
		    char *msg, size_t msglen)
{
	extern char **environ;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	sigset_t term, unblocked;
	size_t got = 0;
	int p[2], status, err;
	pid_t child;
	ssize_t n;

	msg[0] = '\0';
	if (idmap_tool_argv(tool, pid, m, tool_buf, sizeof(tool_buf), tool_args) < 0)
		return -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	/* Its PID is known to the death-signal handler before it can fire. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	posix_spawnattr_init(&sa);
	posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETSIGMASK);
	sigemptyset(&unblocked);
	posix_spawnattr_setsigmask(&sa, &unblocked);
	err = posix_spawn(&child, tool, &fa, &sa, tool_args, environ);
	if (!err)
		tool_pid = child;
	sigprocmask(SIG_UNBLOCK, &term, NULL);
	posix_spawnattr_destroy(&sa);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (err) {
		close(p[0]);
		errno = err;
		return MAPHELPER_NOT_RUN;
	}
	/* Keep the first msglen-1 bytes; drain the rest so it never blocks. */
	for (;;) {
		char sink[256];

		n = read(p[0], got + 1 < msglen ? msg + got : sink,
			 got + 1 < msglen ? msglen - 1 - got : sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (got + 1 < msglen)
			got += (size_t)n;
	}
	msg[got] = '\0';
	close(p[0]);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	tool_pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* One map, through its tool or straight into the file; as write_plan. */
static int write_one(pid_t pid, enum idmap_step step, const struct idmap *m,
		     const char *tool, enum idmap_step *failed, int *status,
		     char *msg, size_t msglen)
{
	int st;

	if (!m)
		return 0;
	if (!tool) {
		if (idmap_write_step(pid, step, m, NULL) == 0)
			return 0;
		*failed = step;
		return -1;
	}
	st = run_tool(tool, pid, m, msg, msglen);
	if (st == 0)
		return 0;
	*failed = step;
	*status = st;
	errno = st < 0 ? errno : EPERM;
	return -1;
}

/*
 * The steps of a plan in the kernel's order.  *status is the exit status
 * of a tool that failed, -1 when the failure was not a tool's.
 */
static int write_plan(pid_t pid, const struct idmap_plan *p, enum idmap_step *failed,
		      int *status, char *msg, size_t msglen)
{
	*status = -1;
	if (write_one(pid, IDMAP_STEP_UID, p->uid, p->uid_tool, failed, status,
		      msg, msglen) < 0)
		return -1;
	if (p->setgroups && idmap_write_step(pid, IDMAP_STEP_SETGROUPS, NULL, p->setgroups) < 0) {
		*failed = IDMAP_STEP_SETGROUPS;
		return -1;
	}
	return write_one(pid, IDMAP_STEP_GID, p->gid, p->gid_tool, failed, status,
			 msg, msglen);
}

struct helper_result {
	int err;
	int step;
	int status;
	char msg[MAPHELPER_MSG_LEN];
};

int maphelper_start(struct maphelper *h, const struct idmap_plan *plan)
{
	pid_t parent = getpid();
	int sv[2];

	h->status = -1;
	h->msg[0] = '\0';
	/* A socket, not a pipe: MSG_NOSIGNAL keeps a dead helper from
	 * killing us with SIGPIPE, so it is reported as a failure. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	h->pid = fork();
	if (h->pid < 0) {
		int saved = errno;

		close(sv[0]);
		close(sv[1]);
		errno = saved;
		return -1;
	}
	if (h->pid == 0) {
		/*
		 * The child stays in the parent user namespace, where the kernel
		 * wants the writer of a map that is more than "my own id", and
		 * where newuidmap checks what /etc/subuid grants.
		 */
		static struct helper_result r;
		enum idmap_step step = IDMAP_STEP_UID;
		int answered = 0;
		char c;

		close(sv[0]);
		/*
		 * Die with the tool, and take newuidmap along (on_parent_death);
		 * if the tool is gone already, the death signal came too early
		 * and the socket's EOF below says so.
		 */
		signal(SIGTERM, on_parent_death);
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0)
			_exit(1);
		/* EOF instead of a byte: cancelled, write nothing. */
		if (read(sv[1], &c, 1) == 1) {
			if (write_plan(parent, plan, &step, &r.status, r.msg,
				       sizeof(r.msg)) < 0) {
				r.err = errno;
				r.step = (int)step;
			}
			answered = send(sv[1], &r, sizeof(r), MSG_NOSIGNAL) == sizeof(r);
		}
		close(sv[1]);
		_exit(answered ? 0 : 1);
	}
	close(sv[1]);
	h->sock = sv[0];
	return 0;
}

static void helper_reap(struct maphelper *h)
{
	int status;

	close(h->sock);
	while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
		;
}

int maphelper_finish(struct maphelper *h, enum idmap_step *failed)
{
	static struct helper_result r;
	ssize_t n;
	int saved;

	r.err = EPIPE;
	r.step = IDMAP_STEP_UID;
	r.status = -1;
	r.msg[0] = '\0';
	if (send(h->sock, "g", 1, MSG_NOSIGNAL) == 1) {
		do
			n = recv(h->sock, &r, sizeof(r), MSG_WAITALL);
		while (n < 0 && errno == EINTR);
		if (n != sizeof(r)) {
			r.err = EPIPE;	/* the helper died before it answered */
			r.status = -1;
		}
	}
	saved = r.err;
	helper_reap(h);
	h->status = r.status;
	memcpy(h->msg, r.msg, sizeof(h->msg));
	h->msg[sizeof(h->msg) - 1] = '\0';
	if (saved) {
		*failed = (enum idmap_step)r.step;
		errno = saved;
		return -1;
	}
	return 0;
}

void maphelper_cancel(struct maphelper *h)
{
	int saved = errno;

	helper_reap(h);
	errno = saved;
}
