/* SPDX-License-Identifier: MIT */
/*
 * Linked into every program of a sanitizer build (make SAN=1) and no other:
 * LeakSanitizer's hook that turns its leak check at exit off, here only
 * where the check cannot work.  The check stops the world by cloning a
 * tracer that ptraces the process's threads, found in /proc/self/task; it
 * calls a failure to do so fatal, and the exit status becomes its own.  It
 * fails
 *   - after unshare(CLONE_NEWPID): the tracer would be born in the new PID
 *     namespace, where the process is out of its sight, or not at all once
 *     that namespace's init has exited (nspid's keeper exits then);
 *   - where /proc/self is not this process (no /proc after a new root, or
 *     the /proc of another PID namespace);
 *   - under a tracer already (strace): a thread has one tracer at most;
 *   - in a PID 1 (nspid --init): its keeper relays SIGCONT to it (timeout(1)
 *     sends SIGCONT after SIGTERM), and a SIGCONT discards the SIGSTOP of
 *     the tracer's PTRACE_ATTACH, so the tracer waits for a stop that never
 *     comes and the exit hangs (test_nspid hung so under make check SAN=1).
 * Everywhere else, leaks are reported (tests/lib.sh sets detect_leaks=1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int __lsan_is_turned_off(void);
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

/*
 * Known leaks, each to go with its fix (one a line, "leak:FILE"): none.
 * nsmount's plan is held at file scope, reachable on every exit path.
 */
const char *__lsan_default_suppressions(void)
{
	return "";
}

/* A suppression used is no news on the tools' stderr, which tests compare. */
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

static int same_ns(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int traced(void)
{
	char line[256];
	int pid = 0;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "TracerPid: %d", &pid) == 1)
			break;
	fclose(f);
	return pid != 0;
}

int __lsan_is_turned_off(void)
{
	char self[32], want[32];
	ssize_t n = readlink("/proc/self", self, sizeof(self) - 1);

	if (n <= 0)
		return 1;
	self[n] = '\0';
	snprintf(want, sizeof(want), "%ld", (long)getpid());
	if (strcmp(self, want) != 0)
		return 1;
	if (getpid() == 1 || !same_ns("/proc/self/ns/pid", "/proc/self/ns/pid_for_children"))
		return 1;
	return traced();
}
