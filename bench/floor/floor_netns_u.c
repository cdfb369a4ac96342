/* SPDX-License-Identifier: MIT */
/*
 * floor_netns_u: the floor of `nsnet -U COMMAND` (bitbake's disable_network).
 * unshare(CLONE_NEWUSER|CLONE_NEWNET) in one call; uid_map and gid_map map
 * our own ids to themselves, setgroups denied; lo up with one rtnetlink
 * RTM_NEWLINK; execvp.  Ids unchanged, so no setresuid.
 */
#include <sched.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	unsigned uid = geteuid(), gid = getegid();

	(void)argc;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		floor_die("unshare(CLONE_NEWUSER|CLONE_NEWNET)");
	floor_maps(uid, uid, gid, gid);
	floor_lo_up();
	floor_exec(argv + 1);
}
