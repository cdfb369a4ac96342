/* SPDX-License-Identifier: MIT */
/*
 * procfs: parse what /proc says about a process.
 *
 * Pure functions over bytes a caller has read (from /proc, or from a fuzzer):
 * they never open a file, print or exit, and they accept any input, NUL
 * bytes and missing newlines included.  Each returns 0, or -1 with errno
 * EINVAL (the text is not what the kernel writes) or ERANGE (a number does
 * not fit).  Used by nsinfo, its unit test and its fuzz target.
 */
#ifndef NSLAB_PROCFS_H
#define NSLAB_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * A decimal number of [s, s+len): digits only.  strtoull alone accepts
 * "-1", " 12" and "+3", and silently saturates; this does none of that.
 */
int pf_parse_u64(const char *s, size_t len, uint64_t *out);

/*
 * A process ID as a user types it: digits only (EINVAL otherwise), then
 * 1 to the largest pid_t (ERANGE otherwise: "0", "99999999999").
 */
int pf_parse_pid(const char *s, pid_t *out);

/*
 * The eight kinds of namespace, in the order nsinfo --check tries them: the
 * name in /proc/PID/ns, the CLONE_NEW* flag and its name, and the inode of
 * the kind's initial namespace (see procfs.c).  diag and nsinfo share it.
 */
struct pf_nskind {
	const char *name;	/* "net" */
	int flag;		/* CLONE_NEWNET */
	const char *clone;	/* "CLONE_NEWNET" */
	uint64_t init_ino;
};
#define PF_NSKINDS 8
extern const struct pf_nskind pf_nskinds[PF_NSKINDS];

/* The index in pf_nskinds[] of the kind called name ("net"), or -1. */
int pf_nskind_index(const char *name);

/* What readlink(2) of /proc/PID/ns/TYPE gives: "net:[4026532164]". */
#define PF_NSTYPE_LEN 32
struct pf_nslink {
	char type[PF_NSTYPE_LEN];	/* "net", "pid_for_children" is "pid" */
	uint64_t ino;
};
int pf_parse_nslink(const char *s, size_t len, struct pf_nslink *out);

/*
 * The fields of /proc/PID/stat nslab needs.  comm is between the first
 * '(' and the last ')': a command may itself contain ") (" and spaces.
 */
#define PF_COMM_LEN 64
struct pf_stat {
	pid_t pid;
	char comm[PF_COMM_LEN];		/* truncated if longer */
	char state;
	pid_t ppid;
	uint64_t starttime;		/* field 22, clock ticks after boot */
};
int pf_parse_stat(const char *buf, size_t len, struct pf_stat *st);

/*
 * The value of "Name:\tvalue" in /proc/PID/status: *val points into buf,
 * *vlen is its length without the newline and the leading blanks.
 * ENOENT when there is no such field.
 */
int pf_status_field(const char *buf, size_t len, const char *name,
		    const char **val, size_t *vlen);

/*
 * A hexadecimal mask of /proc/PID/status: a capability set ("CapEff") or a
 * signal set ("SigCgt", bit N-1 for signal N); both are 16 hex digits.
 */
int pf_status_caps(const char *buf, size_t len, const char *name, uint64_t *caps);

/*
 * Has the status text's effective set (CapEff) capability `cap`, a CAP_*
 * of <linux/capability.h>?  1 or 0; -1 when the text does not say.  The
 * one capability check; pr_has_cap reads it for this process.
 */
int pf_status_has_cap(const char *buf, size_t len, int cap);

/*
 * /proc/PID/cmdline as one line, the way ps(1) and lsns(8) show it: the
 * NUL between arguments becomes a space, trailing NULs go.
 * Writes at most outlen-1 bytes and a NUL; returns the length written
 * (0 for a kernel thread, whose cmdline is empty).
 */
size_t pf_cmdline(const char *buf, size_t len, char *out, size_t outlen);

#endif
