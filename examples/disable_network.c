/* SPDX-License-Identifier: MIT */
/*
 * disable_network: bitbake's bb.utils.disable_network() followed by the
 * task, as bitbake-worker runs it, so its fail-open can be watched.  The
 * same unshare(CLONE_NEWNET|CLONE_NEWUSER) and uid->uid maps; when unshare
 * fails it logs the same debug line and runs the task anyway, WITH network.
 * This is the behaviour nslab exists to refuse: compare `nsnet -U TASK`.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* bitbake/lib/bb/utils.py, disable_network(), line for line. */
static void
disable_network(unsigned uid, unsigned gid)
{
	char map[64];

	if (unshare(CLONE_NEWNET | CLONE_NEWUSER) != 0) {
		fprintf(stderr, "DEBUG: System doesn't suport disabling network "
		    "without admin privs\n");
		return;
	}
	snprintf(map, sizeof map, "%u %u 1", uid, uid);
	if (write_file("/proc/self/uid_map", map) != 0 ||
	    write_file("/proc/self/setgroups", "deny") != 0)
		goto fail;
	snprintf(map, sizeof map, "%u %u 1", gid, gid);
	if (write_file("/proc/self/gid_map", map) != 0)
		goto fail;
	return;
fail:
	/* Python would raise here and the task would not run. */
	fprintf(stderr, "disable_network: writing the maps: %s\n", strerror(errno));
	exit(1);
}

int
main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: disable_network task [arg ...]\n");
		return 125;
	}
	fprintf(stderr, "DEBUG: Attempting to disable network for %s\n", argv[1]);
	disable_network(getuid(), getgid());
	execvp(argv[1], argv + 1);
	fprintf(stderr, "disable_network: %s: %s\n", argv[1], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
