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
#include "floor.h"

int main(int argc, char *argv[])
{
	(void)argc;
	floor_root(CLONE_NEWUSER, "unshare(CLONE_NEWUSER)");
	if (unshare(CLONE_NEWUTS) < 0)
		floor_die("unshare(CLONE_NEWUTS)");
	if (sethostname("lab", 3) < 0)
		floor_die("sethostname");
	if (unshare(CLONE_NEWIPC) < 0)
		floor_die("unshare(CLONE_NEWIPC)");
	if (unshare(CLONE_NEWCGROUP) < 0)
		floor_die("unshare(CLONE_NEWCGROUP)");
	floor_pid1();
	floor_mount_home();
	if (unshare(CLONE_NEWNET) < 0)
		floor_die("unshare(CLONE_NEWNET)");
	floor_lo_up();
	floor_exec(argv + 1);
}
