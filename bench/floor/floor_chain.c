/* SPDX-License-Identifier: MIT */
/*
 * floor_chain: the floor of the whole chain `usernsselfmap nsnet nsmount
 * COMMAND` done in one process, which is what bwrap does: one unshare of
 * user, network and mount namespaces; the three map writes; root ids; lo
 * up; mounts private; $HOME bound onto /root; execvp.  The chain pays two
 * more execve(2) (and two dynamic-linker start-ups) than this by design.
 */
#include <sched.h>
#include <sys/mount.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	const char *home = getenv("HOME");

	(void)argc;
	if (!home || !*home)
		floor_die("HOME");
	floor_root(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS,
		   "unshare(CLONE_NEWUSER|CLONE_NEWNET|CLONE_NEWNS)");
	floor_lo_up();
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		floor_die("mount --make-rprivate /");
	if (mount(home, "/root", NULL, MS_BIND | MS_REC, NULL) < 0)
		floor_die("mount --rbind $HOME /root");
	floor_exec(argv + 1);
}
