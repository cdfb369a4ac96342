/* SPDX-License-Identifier: MIT */
/*
 * floor_cgroupns: the floor of `nscgroup COMMAND`: unshare(CLONE_NEWCGROUP);
 * execvp.  Needs CAP_SYS_ADMIN: run it after floor_userns.
 */
#include <sched.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	(void)argc;
	if (unshare(CLONE_NEWCGROUP) < 0)
		floor_die("unshare(CLONE_NEWCGROUP)");
	floor_exec(argv + 1);
}
