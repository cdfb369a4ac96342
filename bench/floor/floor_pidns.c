/* SPDX-License-Identifier: MIT */
/*
 * floor_pidns: the floor of `nspid COMMAND`.
 * unshare(CLONE_NEWPID); fork; the parent waits and exits with the child's
 * status (128+N for a signal); the child, PID 1, sets its death signal,
 * makes a private mount namespace, mounts a fresh /proc and execvp's
 * (floor_pid1, floor.h).  No signal relay: what relaying costs shows in
 * the ratio.
 */
#include "floor.h"

int main(int argc, char *argv[])
{
	(void)argc;
	floor_pid1();
	floor_exec(argv + 1);
}
