/* SPDX-License-Identifier: MIT */
/*
 * disable_network: bitbake's bb.utils.disable_network() followed by the
 * task, as bitbake-worker runs it, so its fail-open can be watched.  The
 * same unshare(CLONE_NEWNET|CLONE_NEWUSER) and uid->uid maps, as Yocto 4.0
 * (Kirkstone, bitbake 2.0) has it: lo stays down.  When unshare fails it
 * logs the same debug line and runs the task anyway, WITH network.  bitbake
 * logs at debug level, which a build does not show, so the lines print
 * only with -v (bitbake -D): by default the fail-open is silent, as it is.
 * -t starts a second thread first, as a threaded caller would have one:
 * the kernel then refuses CLONE_NEWUSER with EINVAL.
 * This is the behaviour nslab exists to refuse: compare `nsnet -U TASK`.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int verbose;

/* logger.debug(): shown only when asked for, as bitbake -D does. */
static void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	fputs("DEBUG: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *
idle(void *arg)
{
	for (;;)
		pause();
	return arg;
}

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
		debug("System doesn't suport disabling network without admin privs");
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
	pthread_t t;
	int c;

	while ((c = getopt(argc, argv, "+tv")) != -1) {
		switch (c) {
		case 't':
			if (pthread_create(&t, NULL, idle, NULL) != 0) {
				fprintf(stderr, "disable_network: pthread_create failed\n");
				return 125;
			}
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			optind = argc + 1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: disable_network [-tv] task [arg ...]\n");
		return 125;
	}
	argv += optind;
	debug("Attempting to disable network for %s", argv[0]);
	disable_network(getuid(), getgid());
	execvp(argv[0], argv);
	fprintf(stderr, "disable_network: %s: %s\n", argv[0], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
