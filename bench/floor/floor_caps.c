/* SPDX-License-Identifier: MIT */
/*
 * floor_caps: the floor of `nscap --cap-keep net_admin COMMAND`: drop every
 * other capability from the bounding set, capset to CAP_NET_ADMIN alone,
 * clear the ambient set; execvp.  Needs CAP_SETPCAP: run it after
 * floor_userns.
 */
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "floor.h"

int main(int argc, char *argv[])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	int last = CAP_LAST_CAP;

	(void)argc;
	for (int c = 0; c <= last; c++)
		if (c != CAP_NET_ADMIN && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			floor_die("prctl(PR_CAPBSET_DROP)");
	d[0].effective = d[0].permitted = d[0].inheritable = 1u << CAP_NET_ADMIN;
	if (syscall(SYS_capset, &h, d) < 0)
		floor_die("capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		floor_die("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
	floor_exec(argv + 1);
}
