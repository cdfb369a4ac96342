/* SPDX-License-Identifier: MIT */
/*
 * proc: what nslab learns from /proc, in two halves.
 *
 * pf_*: parse.  Pure functions over bytes a caller has read (from /proc,
 * or from a fuzzer): they never open a file, print or exit, and they
 * accept any input, NUL bytes and missing newlines included.  Each returns
 * 0, or -1 with errno EINVAL (the text is not what the kernel writes) or
 * ERANGE (a number does not fit).
 *
 * pr_*: read.  Open a process's /proc directory once and read below that
 * fd: it stays bound to the process it was opened for, so once that
 * process is gone reads fail with ENOENT or ESRCH instead of answering for
 * a new process with the same PID.  That keeps everything a tool shows
 * about a process from one process.  Every function returns -1 (or NULL)
 * with errno set and never prints: pr_gone(errno) tells "the process has
 * exited" from other errors.  pr_read is the one /proc read loop.
 */
#ifndef NSLAB_PROC_H
#define NSLAB_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- pf_: parse ---- */

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
 * the kind's initial namespace (see proc.c).  diag and nsinfo share it.
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

/* ---- pr_: read ---- */

/* ENOENT or ESRCH: what /proc answers for a process that has exited. */
int pr_gone(int err);

/* An O_DIRECTORY fd of /proc/PID (0: /proc/self), close-on-exec. */
int pr_open(pid_t pid);

/*
 * pidfd_open(pid, 0) (Linux 5.3; close-on-exec): a descriptor that names
 * this process and no later one with its PID.  -1 with errno (ENOSYS).
 */
int pr_pidfd_open(pid_t pid);

/* pidfd_send_signal(pidfd, sig, NULL, 0); sig 0 asks "still there?". */
int pr_pidfd_signal(int pidfd, int sig);

/*
 * Read the file name below dirfd (or a path, with AT_FDCWD) to its end or
 * len-1 bytes, NUL-terminated: a /proc seq file gives a page per read(2).
 * The number of bytes read.
 */
ssize_t pr_read(int dirfd, const char *name, char *buf, size_t len);

/*
 * The whole of a file of any length (a mount table), malloc'd and
 * NUL-terminated, its length in *len.  NULL with errno.
 */
char *pr_read_all(int dirfd, const char *name, size_t *len);

/* /proc/PID/stat, parsed (EINVAL when it is not what the kernel writes). */
int pr_stat(int dirfd, struct pf_stat *st);

/*
 * The command line as one line (pf_cmdline), or the name in comm for a
 * kernel thread, whose cmdline is empty; at most 8 KiB.  malloc'd.
 * Reads into static buffers: not for two threads at once.
 */
char *pr_command(int dirfd);

/* Has this process capability `cap` (CAP_*) in effect?  1, 0, or -1. */
int pr_has_cap(int cap);

/* readlink ns/TYPE and parse it: "net:[4026532164]" (EINVAL for anything else). */
int pr_nslink(int dirfd, const char *type, struct pf_nslink *out);

/* NS_GET_OWNER_UID of the user namespace ns/user below dirfd, when it is still ns: 0, or -1. */
int pr_ns_owner(int dirfd, const struct pf_nslink *ns, uid_t *owner);

#define PR_MAXNS 16

/* One entry of /proc/PID/ns. */
struct pr_nsent {
	char name[PF_NSTYPE_LEN];	/* "pid_for_children" */
	int err;			/* 0, or why its link could not be read */
	struct pf_nslink link;		/* what it points to: "pid", 4026531836 */
	int kind;			/* index in pf_nskinds[], -1 when unknown */
	int owner_known;		/* user: NS_GET_OWNER_UID worked */
	uid_t owner;
};

/*
 * The namespaces of the process whose /proc directory is dirfd, sorted by
 * name, at most PR_MAXNS: one entry per name /proc/self/ns has whose kind
 * is in mask (pid_for_children is a pid one; a kind pf_nskinds does not
 * know only when mask is ~0u).  The names come from /proc/self/ns: they are
 * the same for every process, and another user's /proc/PID/ns cannot even
 * be listed while its links may still be readable.  A link that cannot be
 * read keeps its errno in err (EACCES: ptrace access mode checks, proc(5)).
 * The count, or -1 with errno when the process has exited (pr_gone) or
 * /proc/self/ns cannot be listed.
 */
int pr_nsentries(int dirfd, unsigned mask, struct pr_nsent *e);

#endif
