/* SPDX-License-Identifier: MIT */
/*
 * multicall: the next tool of the same program run in this process; see
 * multicall.h.
 *
 * What execve(2) does to a process, and what this does instead (execve(2),
 * "All process attributes are preserved during an execve(), except"):
 *   descriptors marked close-on-exec      closed here (/proc/self/fd)
 *   caught signals, their flags and masks  reset here; ignored ones stay
 *   the alternate signal stack             disabled here
 *   the command name (comm)                set here (PR_SET_NAME)
 *   getopt's state, errno                  reset by multicall_main
 *   stdio buffers                          exec drops them: here, none may
 *                                          be pending (else a real exec)
 *   the tool's file-scope statics          fresh: a tool runs once a process
 *   lib's state                            msg_init and opts_next start over
 * and what it cannot do the same way, each a reason for a real exec:
 *   new credentials (capabilities(7), "Transformation of capabilities
 *   during execve()"; set-user-ID, set-group-ID, file capabilities,
 *   SECBIT_KEEP_CAPS cleared), AT_SECURE, the dumpable flag and the memory
 *   map's user namespace (an exec from inside a user namespace makes the
 *   new map belong to it), other threads, a seccomp filter (it may judge
 *   execve itself), a file that is not this program, not executable, not
 *   readable (exec would make the process undumpable) or on a noexec mount,
 *   a time namespace made for children and not yet entered (exec enters it:
 *   exec_task_namespaces, fs/exec.c), an LSM label other than AppArmor's
 *   "unconfined" (AppArmor and SELinux change domains at exec).
 * What stays different, documented in nslab(7): /proc/PID/cmdline and
 * /proc/PID/exe keep the first tool's; atexit handlers stay registered
 * (nsnet's undoes only what it made before its own exec); the heap and
 * the stack of the steps before are not given back.  A binary open for
 * writing elsewhere would make execve fail (ETXTBSY); here it runs.  A
 * descriptor table shared with another process (clone CLONE_FILES, which
 * no tool makes) would be unshared by execve first; here it is not.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/securebits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "exits.h"
#include "lookup.h"
#include "msg.h"
#include "multicall.h"
#include "proc.h"

/* The kernel reports the flag libc sets for its return trampoline. */
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

static const struct multicall_tool *table;
static int ntable;
static unsigned long ran;	/* bit i: table[i] has run in this process */
static jmp_buf again;		/* multicall_main, where the next tool starts */
static int next;
static char **next_argv;

static int find(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	const char *name = slash ? slash + 1 : argv0;

	for (int i = 0; i < ntable; i++)
		if (strcmp(table[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * A name that is no tool's may be a symbolic link to one (ln -s nsnet
 * mynet: as each tool was once a program of its own, that worked): follow
 * the file the kernel ran (AT_EXECFN), link by link, to a tool's name.
 * The tool keeps the name it was run by, in its messages as before.
 */
static int find_linked(void)
{
	static char path[PATH_MAX], link[PATH_MAX];
	const char *file = (const char *)getauxval(AT_EXECFN);
	const char *slash;
	ssize_t n;
	int i;

	if (!file || strlen(file) >= sizeof(path))
		return -1;
	strcpy(path, file);
	for (int hops = 0; hops < 40; hops++) {	/* the kernel's own limit */
		if ((n = readlink(path, link, sizeof(link) - 1)) < 0)
			return -1;
		link[n] = '\0';
		/* A relative target is relative to the link's directory. */
		slash = strrchr(path, '/');
		if (link[0] != '/' && slash) {
			size_t dir = (size_t)(slash - path) + 1;

			if (dir + (size_t)n >= sizeof(path))
				return -1;
			memmove(path + dir, link, (size_t)n + 1);
		} else {
			memcpy(path, link, (size_t)n + 1);
		}
		if ((i = find(path)) >= 0)
			return i;
	}
	return -1;
}

int multicall_main(int argc, char *argv[], const struct multicall_tool *tools, int ntools)
{
	/* Static: setjmp returns twice, and these change in between. */
	static char **args;
	static int tool, n;

	table = tools;
	ntable = ntools;
	args = argv;
	if (setjmp(again)) {
		tool = next;
		args = next_argv;
		/* A new program starts getopt afresh (optind = 0: glibc and musl). */
		optind = 0;
		opterr = 1;
		optarg = NULL;
		errno = 0;
	} else if (argc < 1 || ((tool = find(argv[0])) < 0 && (tool = find_linked()) < 0)) {
		msg_init(argc < 1 ? "nslab" : argv[0]);
		msg_say("no nslab tool has this name; this program runs the tool its name names:");
		for (int i = 0; i < ntools; i++)
			msg_say("  %s", tools[i].name);
		return CHAIN_EXIT_FAIL;
	}
	for (n = 0; args[n]; n++)
		;
	ran |= 1UL << tool;
	return table[tool].main(n, args);
}

/* Is `file` the program running, and would execve run it as it runs now? */
static int same_program(const char *file)
{
	/* Which file runs changes only at execve: looked at once a process. */
	static struct stat self;
	static int have_self;
	struct stat st;

	if (!have_self && stat("/proc/self/exe", &self) == 0)
		have_self = 1;
	if (!have_self || stat(file, &st) < 0 ||
	    self.st_dev != st.st_dev || self.st_ino != st.st_ino)
		return 0;
	/* Set-user-ID or set-group-ID: exec would change the ids. */
	if (st.st_mode & (S_ISUID | S_ISGID))
		return 0;
	/*
	 * X_OK fails on a noexec mount too (faccessat, fs/open.c), and with
	 * the real ids checks what exec checks: same_creds wants them equal to
	 * the effective ones.  R_OK: exec of an unreadable file makes the
	 * process undumpable (would_dump, fs/exec.c).
	 */
	if (access(file, X_OK | R_OK) < 0)
		return 0;
	/* File capabilities: exec would grant them. */
	if (getxattr(file, "security.capability", NULL, 0) >= 0 ||
	    (errno != ENODATA && errno != ENOTSUP))
		return 0;
	return 1;
}

/* "Uid:\tR\tE\tS\tFS": are the four the same? */
static int ids_equal(const char *buf, size_t len, const char *field)
{
	char v[64], *end;
	const char *val;
	size_t vlen;
	unsigned long first, id;

	if (pf_status_field(buf, len, field, &val, &vlen) < 0 || vlen >= sizeof(v))
		return 0;
	memcpy(v, val, vlen);
	v[vlen] = '\0';
	first = strtoul(v, &end, 10);
	for (int i = 1; i < 4; i++) {
		id = strtoul(end, &end, 10);
		if (id != first)
			return 0;
	}
	return *end == '\0';
}

/*
 * Would execve leave the credentials as they are?  With no set-user-ID bit
 * and no file capabilities (same_program), capabilities(7) "Transformation
 * of capabilities during execve()", with root the ids 0 of our own user
 * namespace unless SECBIT_NOROOT:
 *   P'(permitted) = (root ? P(inheritable) | P(bounding) : 0) | P(ambient)
 *   P'(effective) = euid 0 ? P'(permitted) : P(ambient)
 * and the saved and file-system ids become the effective ones.  So: all
 * four uids equal, all four gids, and the sets already what exec makes.
 * Equal real and effective ids also mean no AT_SECURE, and the dumpable
 * flag exec sets (1) is the one we want to find.  `st` is /proc/self/status.
 */
static int same_creds(const char *st, size_t n)
{
	uint64_t inh, prm, eff, bnd, amb, want;
	const char *val;
	size_t vlen;
	int bits, root;

	if (getauxval(AT_SECURE) || prctl(PR_GET_DUMPABLE) != 1 ||
	    (bits = prctl(PR_GET_SECUREBITS)) < 0 || (bits & SECBIT_KEEP_CAPS))
		return 0;
	if (!ids_equal(st, n, "Uid") || !ids_equal(st, n, "Gid"))
		return 0;
	/* Other threads would die at exec; a seccomp filter may judge execve. */
	if (pf_status_field(st, n, "Threads", &val, &vlen) < 0 || vlen != 1 || *val != '1' ||
	    pf_status_field(st, n, "Seccomp", &val, &vlen) < 0 || vlen != 1 || *val != '0')
		return 0;
	if (pf_status_caps(st, n, "CapInh", &inh) < 0 || pf_status_caps(st, n, "CapPrm", &prm) < 0 ||
	    pf_status_caps(st, n, "CapEff", &eff) < 0 || pf_status_caps(st, n, "CapBnd", &bnd) < 0 ||
	    pf_status_caps(st, n, "CapAmb", &amb) < 0)
		return 0;
	root = geteuid() == 0 && !(bits & SECBIT_NOROOT);
	want = (root ? inh | bnd : 0) | amb;
	return prm == want && eff == (root ? want : amb);
}

/*
 * Would execve leave the process where it is?  It enters the time
 * namespace made for the children (nstime's unshare) when the caller is
 * not in it yet; and an LSM may give the new program a new domain: only
 * no LSM label, or AppArmor's "unconfined", stays as it is.
 */
static int same_place(void)
{
	static char label[64];
	char now[64], kids[64];
	ssize_t n, k;

	/* readlink, "time:[INODE]": half the cost of two stat(2)s of nsfs. */
	n = readlink("/proc/self/ns/time", now, sizeof(now));
	k = n < 0 ? -1 : readlink("/proc/self/ns/time_for_children", kids, sizeof(kids));
	if (n < 0 || k < 0) {
		if (errno != ENOENT)	/* no time namespaces (before Linux 5.6) */
			return 0;
	} else if (n != k || memcmp(now, kids, (size_t)n) != 0) {
		return 0;
	}
	n = pr_read(AT_FDCWD, "/proc/self/attr/current", label, sizeof(label) - 1);
	if (n < 0)
		return errno == EINVAL || errno == ENOENT;	/* no LSM that labels processes */
	while (n > 0 && (label[n - 1] == '\n' || label[n - 1] == '\0'))
		n--;
	label[n] = '\0';
	return strcmp(label, "unconfined") == 0;
}

/*
 * What execve does to signals (flush_signal_handlers, kernel/signal.c):
 * each caught one (SigCgt: bit N-1 for signal N) back to SIG_DFL, and every
 * disposition's flags and mask cleared, which matters only for SIGCHLD
 * (SA_NOCLDWAIT, SA_NOCLDSTOP) when it is not caught.  One call a signal
 * caught, not one for each of the 64.
 */
static void reset_signals(uint64_t caught)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	for (int sig = 1; sig < NSIG && sig <= 64; sig++)
		if (caught & (UINT64_C(1) << (sig - 1)))
			sigaction(sig, &sa, NULL);	/* the libc's own are refused: EINVAL */
	if (sigaction(SIGCHLD, NULL, &sa) == 0 && (sa.sa_flags & ~SA_RESTORER)) {
		sa.sa_flags = 0;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGCHLD, &sa, NULL);
	}
}

void multicall_exec(char *const argv[])
{
	static char path[PATH_MAX], st[4096];
	const char *mode = getenv("NSLAB_EXEC"), *file, *slash;
	struct dirent *e;
	DIR *fds;
	uint64_t caught;
	ssize_t n;
	int tool;

	if (!table || (mode && strcmp(mode, "always") == 0))
		return;
	/* A tool runs once a process: its file-scope statics are fresh once. */
	if ((tool = find(argv[0])) < 0 || (ran & (1UL << tool)))
		return;
	/* Without PATH glibc's execvp and musl's search different places. */
	if (!strchr(argv[0], '/') && !getenv("PATH"))
		return;
	if ((n = pr_read(AT_FDCWD, "/proc/self/status", st, sizeof(st) - 1)) <= 0)
		return;
	st[n] = '\0';
	if (!(file = lookup_command(argv[0], path, sizeof(path))) ||
	    !same_creds(st, (size_t)n) || !same_program(file) || !same_place() ||
	    __fpending(stdout) > 0 ||
	    pf_status_caps(st, (size_t)n, "SigCgt", &caught) < 0)
		return;
	if (!(fds = opendir("/proc/self/fd")))
		return;
	msg_note("%s is this program: its step runs in this process, no execve "
		 "(NSLAB_EXEC=always: a real one)", file);
	/* Closing as we go: /proc/self/fd is read by descriptor number. */
	while ((e = readdir(fds))) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		int flags;

		if (*end || end == e->d_name || fd == dirfd(fds))
			continue;
		if ((flags = fcntl((int)fd, F_GETFD)) >= 0 && (flags & FD_CLOEXEC))
			close((int)fd);
	}
	closedir(fds);
	reset_signals(caught);
	sigaltstack(&(stack_t){ .ss_flags = SS_DISABLE }, NULL);
	slash = strrchr(file, '/');
	prctl(PR_SET_NAME, slash ? slash + 1 : file);
	clearerr(stdin);
	clearerr(stdout);
	next = tool;
	next_argv = (char **)argv;
	longjmp(again, 1);
}
