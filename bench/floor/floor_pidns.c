/* SPDX-License-Identifier: MIT */
/*
 * floor_pidns: the floor of `nspid COMMAND`.
 * unshare(CLONE_NEWPID); fork; the parent waits and exits with the child's
 * status (128+N for a signal); the child, PID 1, sets its death signal,
 * makes a private mount namespace, mounts a fresh /proc and execvp's.
 * No signal relay: what relaying costs shows in the ratio.
 */
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	pid_t pid;
	int status;

	(void)argc;
	if (unshare(CLONE_NEWPID) < 0)
		floor_die("unshare(CLONE_NEWPID)");
	pid = fork();
	if (pid < 0)
		floor_die("fork");
	if (pid > 0) {
		if (waitpid(pid, &status, 0) < 0)
			floor_die("waitpid");
		return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		floor_die("prctl(PR_SET_PDEATHSIG)");
	if (unshare(CLONE_NEWNS) < 0)
		floor_die("unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		floor_die("mount --make-rprivate /");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		floor_die("mount -t proc proc /proc");
	floor_exec(argv + 1);
}
