/* SPDX-License-Identifier: MIT */
/*
 * floor_userns: the floor of `usernsselfmap COMMAND`.
 * unshare(CLONE_NEWUSER); uid_map "0 EUID 1"; setgroups deny; gid_map
 * "0 EGID 1"; setresgid(0); setresuid(0); execvp.
 */
#include <sched.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	unsigned uid = geteuid(), gid = getegid();

	(void)argc;
	if (unshare(CLONE_NEWUSER) < 0)
		floor_die("unshare(CLONE_NEWUSER)");
	floor_maps(0, uid, 0, gid);
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		floor_die("setresgid/setresuid");
	floor_exec(argv + 1);
}
