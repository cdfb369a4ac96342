/* SPDX-License-Identifier: MIT */
/*
 * floor_setns: the floor of `nsjoin -t PID COMMAND`.
 * floor_setns PID KIND... -- COMMAND: pidfd_open(PID); one
 * setns(pidfd, flags) for the kinds named (user first when named, then the
 * rest, as nsjoin orders them for a user's own experiment); execvp.
 */
#include <sched.h>
#include <sys/syscall.h>

#include "floor.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static int kind_flag(const char *k)
{
	static const struct { const char *name; int flag; } kinds[] = {
		{ "user", CLONE_NEWUSER }, { "net", CLONE_NEWNET }, { "mnt", CLONE_NEWNS },
		{ "uts", CLONE_NEWUTS },   { "ipc", CLONE_NEWIPC }, { "pid", CLONE_NEWPID },
		{ "cgroup", CLONE_NEWCGROUP },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, k) == 0)
			return kinds[i].flag;
	errno = EINVAL;
	floor_die(k);
	return 0;
}

int main(int argc, char *argv[])
{
	int pidfd, flags = 0, i;

	if (argc < 3)
		floor_die("usage: floor_setns PID KIND... -- COMMAND");
	pidfd = (int)syscall(SYS_pidfd_open, atoi(argv[1]), 0);
	if (pidfd < 0)
		floor_die("pidfd_open");
	for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		flags |= kind_flag(argv[i]);
	if ((flags & CLONE_NEWUSER) && setns(pidfd, CLONE_NEWUSER) < 0)
		floor_die("setns(CLONE_NEWUSER)");
	if ((flags & ~CLONE_NEWUSER) && setns(pidfd, flags & ~CLONE_NEWUSER) < 0)
		floor_die("setns");
	floor_exec(argv + i + 1);
}
