/* SPDX-License-Identifier: MIT */
/*
 * floor_mountns: the floor of `nsmount COMMAND` with no mount option.
 * unshare(CLONE_NEWNS); make every mount private recursively before any
 * mount; bind $HOME onto /root (recursive); execvp (floor_mount_home,
 * floor.h).
 */
#include "floor.h"

int main(int argc, char *argv[])
{
	(void)argc;
	floor_mount_home();
	floor_exec(argv + 1);
}
