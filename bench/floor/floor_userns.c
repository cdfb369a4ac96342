/* SPDX-License-Identifier: MIT */
/*
 * floor_userns: the floor of `usernsselfmap COMMAND`.
 * unshare(CLONE_NEWUSER); uid_map "0 EUID 1"; setgroups deny; gid_map
 * "0 EGID 1"; setresgid(0); setresuid(0) (floor_root, floor.h); execvp.
 */
#include <sched.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	(void)argc;
	floor_root(CLONE_NEWUSER, "unshare(CLONE_NEWUSER)");
	floor_exec(argv + 1);
}
