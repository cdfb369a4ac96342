/* SPDX-License-Identifier: MIT */
/*
 * procread: the I/O side of procfs.  Open a process's /proc directory once
 * and read below that fd: it stays bound to the process it was opened for,
 * so once that process is gone reads fail with ENOENT or ESRCH instead of
 * answering for a new process with the same PID.  That keeps everything a
 * tool shows about a process from one process.
 *
 * Every function returns -1 (or NULL) with errno set and never prints:
 * pr_gone(errno) tells "the process has exited" from other errors.
 */
#ifndef NSLAB_PROCREAD_H
#define NSLAB_PROCREAD_H

#include <sys/types.h>

#include "procfs.h"

/* ENOENT or ESRCH: what /proc answers for a process that has exited. */
int pr_gone(int err);

/* An O_DIRECTORY fd of /proc/PID (0: /proc/self), close-on-exec. */
int pr_open(pid_t pid);

/*
 * Read the file name below dirfd (or a path, with AT_FDCWD) to its end or
 * len-1 bytes, NUL-terminated: a /proc seq file gives a page per read(2).
 * The number of bytes read.
 */
ssize_t pr_read(int dirfd, const char *name, char *buf, size_t len);

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
