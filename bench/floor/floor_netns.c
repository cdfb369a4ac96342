/* SPDX-License-Identifier: MIT */
/*
 * floor_netns: the floor of `nsnet COMMAND` (already root in a user
 * namespace, as in a chain).  unshare(CLONE_NEWNET); lo up with one
 * rtnetlink RTM_NEWLINK; execvp.
 */
#include <sched.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	(void)argc;
	if (unshare(CLONE_NEWNET) < 0)
		floor_die("unshare(CLONE_NEWNET)");
	floor_lo_up();
	floor_exec(argv + 1);
}
