/* SPDX-License-Identifier: MIT */
/*
 * floor_utsns: the floor of `nsuts --hostname lab COMMAND`.
 * unshare(CLONE_NEWUTS); sethostname("lab"); execvp.  Needs CAP_SYS_ADMIN:
 * run it after floor_userns, as the tool runs after usernsselfmap.
 */
#include <sched.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	(void)argc;
	if (unshare(CLONE_NEWUTS) < 0)
		floor_die("unshare(CLONE_NEWUTS)");
	if (sethostname("lab", 3) < 0)
		floor_die("sethostname");
	floor_exec(argv + 1);
}
