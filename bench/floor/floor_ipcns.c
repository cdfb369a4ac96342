/* SPDX-License-Identifier: MIT */
/*
 * floor_ipcns: the floor of `nsipc COMMAND`: unshare(CLONE_NEWIPC); execvp.
 * Needs CAP_SYS_ADMIN: run it after floor_userns.
 */
#include <sched.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	(void)argc;
	if (unshare(CLONE_NEWIPC) < 0)
		floor_die("unshare(CLONE_NEWIPC)");
	floor_exec(argv + 1);
}
