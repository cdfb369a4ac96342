/* SPDX-License-Identifier: MIT */
/*
 * floor_timens: the floor of `nstime --monotonic 60 COMMAND` on a kernel
 * where execve(2) enters the new time namespace (Linux 6.1).
 * unshare(CLONE_NEWTIME); write "monotonic 60 0" to
 * /proc/self/timens_offsets; execvp.  No probe: what it costs shows in
 * the ratio.
 */
#include <sched.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	(void)argc;
	if (unshare(CLONE_NEWTIME) < 0)
		floor_die("unshare(CLONE_NEWTIME)");
	floor_write("/proc/self/timens_offsets", "monotonic 60 0", 14);
	floor_exec(argv + 1);
}
