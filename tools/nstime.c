/* SPDX-License-Identifier: MIT */
/*
 * nstime: run a command in a new time namespace, its monotonic and boottime
 * clocks shifted.  unshare(CLONE_NEWTIME); write the offsets to
 * /proc/self/timens_offsets (only possible before any process enters);
 * exec, where execve(2) moves the caller in (Linux 6.1), else fork once and
 * keep, as nspid does.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>

#include "exits.h"
#include "keep.h"
#include "keeper.h"
#include "msg.h"
#include "opts.h"
#include "proc.h"
#include "step.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static void usage(FILE *f)
{
	fprintf(f,
"usage: nstime [-hvV] [--boottime SECONDS] [--monotonic SECONDS] [--fork]\n"
"              [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) in a new time namespace whose CLOCK_MONOTONIC\n"
"and CLOCK_BOOTTIME are shifted by the given offsets (uptime shows them).\n"
"\n"
"      --boottime SECONDS    add SECONDS (may be negative) to CLOCK_BOOTTIME\n"
"      --monotonic SECONDS   add SECONDS (may be negative) to CLOCK_MONOTONIC\n"
"      --fork                fork and keep, as on kernels before 6.1, even\n"
"                            where exec would enter the namespace\n");
}

enum { OPT_BOOTTIME = 256, OPT_MONOTONIC, OPT_FORK };

static const struct option longopts[] = {
	{ "boottime",  required_argument, NULL, OPT_BOOTTIME },
	{ "monotonic", required_argument, NULL, OPT_MONOTONIC },
	{ "fork",      no_argument,       NULL, OPT_FORK },
	{ NULL, 0, NULL, 0 },
};

/*
 * The kernel keeps a clock as signed 64-bit nanoseconds (KTIME_SEC_MAX,
 * 9223372036 s) and takes an offset only when the clock it shifts, as the
 * host reads it now, stays within 0 and KTIME_SEC_MAX / 2 (so that KTIME_MAX
 * stays out of reach): proc_timens_set_offset() in kernel/time/namespace.c.
 * No offset beyond half of it can ever pass; the exact bound depends on
 * the clock (clock_bounds).
 */
#define CLOCK_SEC_MAX INT64_C(4611686018)
#define OFFSET_MAX CLOCK_SEC_MAX

struct offset {
	const char *clock;	/* as timens_offsets names it */
	clockid_t id;
	int given;
	int64_t sec;
};

static void parse_offset(struct offset *o, const char *opt, const char *s)
{
	int neg = s[0] == '-';
	uint64_t v;

	if (pf_parse_u64(s + neg, strlen(s + neg), &v) < 0 || v > (uint64_t)OFFSET_MAX) {
		msg_say("%s '%s': not a number of seconds (-%" PRId64 " to %" PRId64 ")",
			 opt, s, OFFSET_MAX, OFFSET_MAX);
		exit(CHAIN_EXIT_FAIL);
	}
	o->given = 1;
	o->sec = neg ? -(int64_t)v : (int64_t)v;
}

/*
 * The offsets the kernel takes for clock `id` now: from minus the clock's
 * seconds to CLOCK_SEC_MAX less them.  Read here, in our own time namespace,
 * which is the host's unless nstime runs inside another one (whose offset
 * the kernel does not count: offsets are from the host's clock).
 */
static int clock_bounds(clockid_t id, int64_t *lo, int64_t *hi)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return -1;
	*lo = -(int64_t)ts.tv_sec;
	*hi = CLOCK_SEC_MAX - (int64_t)ts.tv_sec;
	return 0;
}

/* One line per clock: the kernel takes "CLOCK SECONDS NANOSECONDS". */
static int write_offset(const struct offset *o)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%s %" PRId64 " 0", o->clock, o->sec);
	FILE *f;
	int rc = 0;

	f = fopen("/proc/self/timens_offsets", "we");
	if (!f || fwrite(line, 1, (size_t)n, f) != (size_t)n || fflush(f) != 0)
		rc = -1;
	if (f && fclose(f) != 0)
		rc = -1;
	/*
	 * No shell line: the unshare(1) line narrated already sets the
	 * offsets, and typed after it an echo into timens_offsets is refused
	 * (EACCES: they freeze once a task has entered the namespace, and the
	 * typed shell is in it).
	 */
	msg_narrate(NULL, rc, "write(\"/proc/self/timens_offsets\", \"%s\")", line);
	if (rc == 0)
		return 0;
	msg_err("write /proc/self/timens_offsets '%s'", line);
	if (errno == EPERM && pr_has_cap(CAP_SYS_TIME) == 0)
		msg_hint("setting offsets needs CAP_SYS_TIME in the user namespace that owns the time namespace; run it under usernsselfmap");
	else if (errno == ERANGE || errno == EINVAL) {
		int64_t lo, hi;

		if (clock_bounds(o->id, &lo, &hi) == 0)
			msg_hint("an offset must keep the clock between 0 and %" PRId64 " s (half the kernel's limit): CLOCK_%s reads %" PRId64 " s, so --%s takes %" PRId64 " to %" PRId64,
				 CLOCK_SEC_MAX, o->id == CLOCK_MONOTONIC ? "MONOTONIC" : "BOOTTIME",
				 -lo, o->clock, lo, hi);
		else
			msg_hint("an offset must keep the clock between 0 and %" PRId64 " s (half the kernel's limit)",
				 CLOCK_SEC_MAX);
	}
	return -1;
}

/*
 * Linux 6.1 made execve(2) move a process into its time_for_children
 * namespace, and with it let a vfork(2) child share our memory while that
 * namespace differs from ours: before, clone(2) refused such a child with
 * EINVAL, since it could not be in two time namespaces at once.  That check
 * comes first in copy_process(), before the RLIMIT_NPROC and memory ones:
 * so only EINVAL says "before 6.1"; a vfork refused for another reason
 * (EAGAIN at the process limit) got past it, and exec will take us in.
 */
static int exec_enters(void)
{
	pid_t pid = vfork();

	if (pid == 0)
		_exit(0);
	msg_narrate(NULL, pid, "vfork()");
	if (pid < 0)
		return errno != EINVAL;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return 1;
}

int main(int argc, char *argv[])
{
	struct offset off[2] = { { "monotonic", CLOCK_MONOTONIC, 0, 0 },
				 { "boottime", CLOCK_BOOTTIME, 0, 0 } };
	struct keeper k;
	struct opts o = { .shortopts = "", .longopts = longopts, .usage = usage, .kind = OPTS_CHAIN };
	int c, rc, force_fork = 0, kept = 0;
	char shell[128];
	pid_t pid;

	msg_init(argv[0]);
	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case OPT_BOOTTIME:
			parse_offset(&off[1], "--boottime", optarg);
			break;
		case OPT_MONOTONIC:
			parse_offset(&off[0], "--monotonic", optarg);
			break;
		case OPT_FORK:
			force_fork = 1;
			break;
		case OPTS_EXIT:
			return o.status;
		}
	}

	/* unshare(1)'s equivalent, options for the clocks given only. */
	c = snprintf(shell, sizeof(shell), "unshare --time --fork");
	for (int i = 0; i < 2; i++)
		if (off[i].given)
			c += snprintf(shell + c, sizeof(shell) - (size_t)c, " --%s %" PRId64,
				      off[i].clock, off[i].sec);
	if (step_unshare(CLONE_NEWTIME, shell) < 0)
		return CHAIN_EXIT_FAIL;
	for (int i = 0; i < 2; i++)
		if (off[i].given && write_offset(&off[i]) < 0)
			return CHAIN_EXIT_FAIL;

	if (!force_fork && exec_enters()) {
		msg_note("execve(2) moves this process into the new time namespace: no fork");
	} else {
		msg_note(force_fork ? "--fork: the child enters the new time namespace; the parent keeps"
				    : "execve(2) does not enter the new time namespace here (before Linux 6.1): the child does; the parent keeps");
		kept = 1;
		k.narrate = msg_narrate;
		/* The death signal goes when the command changes its uids. */
		if (keeper_watch(&k) < 0) {
			msg_err("fork the watcher");
			return CHAIN_EXIT_FAIL;
		}
		pid = keeper_fork(&k, KEEPER_WATCH);
		if (pid < 0) {
			msg_err(k.child == 0 ? "prctl(PR_SET_PDEATHSIG, SIGKILL)" : "fork");
			return CHAIN_EXIT_FAIL;
		}
		if (pid > 0) {
			msg_narrate(NULL, pid, "fork()");
			if (keep_after(&o, "time_for_children", pid, -1, KEEP_BIND | KEEP_INFO) < 0) {
				kill(pid, SIGKILL);
				return CHAIN_EXIT_FAIL;
			}
			rc = keeper_wait(&k);
			if (k.err)
				msg_err("wait for PID %d (killed, so that it does not outlive nstime)",
					(int)pid);
			return rc;
		}
	}
	if (keep_after(&o, "time_for_children", getpid(), -1, kept ? KEEP_BLOCK : KEEP_ALL) < 0)
		return CHAIN_EXIT_FAIL;
	rc = step_exec(argv + optind);
	if (kept)
		keeper_exec_failed(&k, rc);
	return rc;
}
