/* SPDX-License-Identifier: MIT */
/*
 * floor_mountns: the floor of `nsmount COMMAND` with no mount option.
 * unshare(CLONE_NEWNS); make every mount private recursively before any
 * mount; bind $HOME onto /root (recursive); execvp.
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
	if (unshare(CLONE_NEWNS) < 0)
		floor_die("unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		floor_die("mount --make-rprivate /");
	if (mount(home, "/root", NULL, MS_BIND | MS_REC, NULL) < 0)
		floor_die("mount --rbind $HOME /root");
	floor_exec(argv + 1);
}
