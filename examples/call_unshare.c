/* SPDX-License-Identifier: MIT */
/*
 * call_unshare: the Yocto article's probe, in C.  It makes the one call
 * bitbake's disable_network() makes, unshare(CLONE_NEWNET|CLONE_NEWUSER),
 * and prints what it returned: 0 on a host, -1 under Docker's default
 * seccomp profile.  Like the article's program it exits 0 either way.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

int
main(void)
{
	int ret = unshare(CLONE_NEWNET | CLONE_NEWUSER);
	int err = errno;

	printf("unshare: ret=%d\n", ret);
	if (ret != 0)
		printf("unshare: errno=%d (%s)\n", err, strerror(err));
	return 0;
}
