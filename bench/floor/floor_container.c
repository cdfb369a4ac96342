/* SPDX-License-Identifier: MIT */
/*
 * floor_container: the floor of the container chain `usernsselfmap nsuts
 * --hostname lab nsipc nscgroup nspid nsmount nsnet COMMAND` in ONE
 * process: the system calls of the seven chained floors, in their order,
 * with one execve(2) instead of eight.  User namespace, maps and root ids;
 * UTS with the hostname; IPC; cgroup; PID: fork, the parent waits and
 * exits with the child's status, the child (PID 1) sets its death signal,
 * makes a private mount namespace and mounts a fresh /proc; then a mount
 * namespace of its own with $HOME bound onto /root; a network namespace
 * with lo up; execvp.  The chain against this is what being seven programs
 * costs; the chained floors against it, what seven execve(2)s cost.
 */
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	unsigned uid = geteuid(), gid = getegid();
	const char *home = getenv("HOME");
	pid_t pid;
	int status;

	(void)argc;
	if (!home || !*home)
		floor_die("HOME");
	if (unshare(CLONE_NEWUSER) < 0)
		floor_die("unshare(CLONE_NEWUSER)");
	floor_maps(0, uid, 0, gid);
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		floor_die("setresgid/setresuid");
	if (unshare(CLONE_NEWUTS) < 0)
		floor_die("unshare(CLONE_NEWUTS)");
	if (sethostname("lab", 3) < 0)
		floor_die("sethostname");
	if (unshare(CLONE_NEWIPC) < 0)
		floor_die("unshare(CLONE_NEWIPC)");
	if (unshare(CLONE_NEWCGROUP) < 0)
		floor_die("unshare(CLONE_NEWCGROUP)");
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
	if (unshare(CLONE_NEWNS) < 0)
		floor_die("unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		floor_die("mount --make-rprivate /");
	if (mount(home, "/root", NULL, MS_BIND | MS_REC, NULL) < 0)
		floor_die("mount --rbind $HOME /root");
	if (unshare(CLONE_NEWNET) < 0)
		floor_die("unshare(CLONE_NEWNET)");
	floor_lo_up();
	floor_exec(argv + 1);
}
