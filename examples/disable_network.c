/* SPDX-License-Identifier: MIT */
/*
 * disable_network: what bitbake-worker does before a task without the
 * `network` flag, then the task, so its fail-opens can be watched.  A copy
 * of bitbake 2.8.0 (Yocto 5.0): bin/bitbake-worker's is_local_uid() test,
 * lib/bb/utils.py's is_local_uid() and disable_network(), the same at
 * bitbake master of July 2026 and since 2.2.0 (2.0.x, Kirkstone, spells the
 * debug line "suport").  It never brings lo up: no bitbake release does.
 * - A uid with no line in /etc/passwd (an LDAP or NIS user) skips the step
 *   and runs the task WITH network (bitbake commit 4eafae790, 2.0.0).
 * - When unshare fails (Docker's seccomp profile) it logs and runs the task
 *   WITH network.
 * - When a map write fails (Ubuntu's AppArmor restriction) Python raises,
 *   bitbake-worker logs the traceback and the task does not run (exit 1).
 * bitbake logs at debug level, which a build does not show, so the DEBUG
 * lines print only with -v (bitbake -D): by default the fail-opens are silent.
 * -c first runs openembedded-core's check_userns() sanity test (sanity.py,
 * oe-core master 35a2c6ed79; in 5.1, 5.0.6 and 4.0.24 on, its non-local-uid
 * skip in 5.2 and 5.0.7 on): it stops the build when disable_network()
 * leaves the uid changed, and passes when unshare fails.
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
#include <sys/wait.h>
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

/*
 * lib/bb/utils.py, is_local_uid(): a line of /etc/passwd whose third
 * ':'-field is the uid in decimal, compared as Python's line.split(':')
 * leaves it (with its newline when it is the last field).  An /etc/passwd
 * that cannot be read raises in Python: here, exit 1 as the worker would.
 */
static int
is_local_uid(unsigned uid)
{
	char want[32], *line = NULL, *f2, *end;
	size_t cap = 0;
	int found = 0;
	FILE *f = fopen("/etc/passwd", "re");

	if (!f) {
		fprintf(stderr, "disable_network: open /etc/passwd: %s\n", strerror(errno));
		exit(1);
	}
	snprintf(want, sizeof want, "%u", uid);
	while (!found && getline(&line, &cap, f) > 0) {
		if (!(f2 = strchr(line, ':')) || !(f2 = strchr(f2 + 1, ':')))
			continue;	/* len(line_split) < 3 */
		f2++;
		end = strchr(f2, ':');
		found = end ? (size_t)(end - f2) == strlen(want) && strncmp(f2, want, strlen(want)) == 0
			    : strcmp(f2, want) == 0;
	}
	free(line);
	fclose(f);
	return found;
}

/*
 * lib/bb/utils.py, disable_network(), line for line.  0 when the maps are
 * written or unshare failed (logged only); -1 where Python would raise.
 */
static int
disable_network(unsigned uid, unsigned gid)
{
	char map[64];

	if (unshare(CLONE_NEWNET | CLONE_NEWUSER) != 0) {
		debug("System doesn't support disabling network without admin privs");
		return 0;
	}
	snprintf(map, sizeof map, "%u %u 1", uid, uid);
	if (write_file("/proc/self/uid_map", map) != 0 ||
	    write_file("/proc/self/setgroups", "deny") != 0)
		return -1;
	snprintf(map, sizeof map, "%u %u 1", gid, gid);
	return write_file("/proc/self/gid_map", map);
}

/*
 * openembedded-core, meta/lib/oe/sanity.py, check_userns(): in a child,
 * disable_network() with its exceptions swallowed; the child's status is
 * whether its uid changed.  A refused map write leaves the child unmapped
 * (the overflow uid) and is caught; an unshare that fails changes nothing.
 */
static void
check_userns(void)
{
	unsigned parentuid = getuid();
	int status;
	pid_t pid;

	if (!is_local_uid(parentuid))
		return;
	pid = fork();
	if (pid == 0) {
		(void)disable_network(getuid(), getgid());
		_exit(parentuid != getuid());
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || status != 0) {
		fprintf(stderr, "ERROR: User namespaces are not usable by BitBake, possibly due to AppArmor.\n"
			"See https://discourse.ubuntu.com/t/ubuntu-24-04-lts-noble-numbat-release-notes/39890#unprivileged-user-namespace-restrictions for more information.\n");
		exit(1);
	}
}

int
main(int argc, char *argv[])
{
	pthread_t t;
	unsigned uid, gid;
	int c, check = 0;

	while ((c = getopt(argc, argv, "+ctv")) != -1) {
		switch (c) {
		case 'c':
			check = 1;
			break;
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
		fprintf(stderr, "usage: disable_network [-ctv] task [arg ...]\n");
		return 125;
	}
	argv += optind;
	if (check)
		check_userns();
	/* bitbake-worker: uid = os.getuid(), gid = os.getgid(). */
	uid = getuid();
	gid = getgid();
	if (is_local_uid(uid)) {
		debug("Attempting to disable network for %s", argv[0]);
		if (disable_network(uid, gid) != 0) {
			/* The worker logs Python's traceback; the task does not run. */
			fprintf(stderr, "disable_network: writing the maps: %s\n", strerror(errno));
			return 1;
		}
	} else {
		debug("Skipping disable network for %s since %u is not a local uid.", argv[0], uid);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "disable_network: %s: %s\n", argv[0], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
