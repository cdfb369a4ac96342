/* SPDX-License-Identifier: MIT */
/*
 * diag: how nslab words its errors, and why a namespace step failed.
 *
 * diag_explain() looks at the system (/proc/self/status, the sysctls under
 * /proc/sys, /proc/self/mountinfo, the uid maps) and names the most likely
 * causes of a failure as hint lines, found by looking rather than guessed.
 * The same code serves every tool and nsinfo --check.
 *
 * diag_err/diag_msg/diag_hint are the only printing in lib/: the tools
 * call them, lib's other modules never do.
 */
#ifndef NSLAB_DIAG_H
#define NSLAB_DIAG_H

#include <getopt.h>
#include <stddef.h>

#include "idmap.h"

/* The step that failed. */
enum diag_op {
	DIAG_UNSHARE,	/* unshare(2) or clone(2) with CLONE_NEW* flags */
	DIAG_SETNS,	/* setns(2) */
	DIAG_UID_MAP,	/* write /proc/PID/uid_map */
	DIAG_GID_MAP,	/* write /proc/PID/gid_map */
	DIAG_SETGROUPS,	/* write /proc/PID/setgroups */
	DIAG_SETID,	/* setresuid/setresgid/setgroups after the maps */
	DIAG_MOUNT,	/* mount(2) */
	DIAG_NETLINK,	/* an rtnetlink request */
};

#define DIAG_MAX_HINTS 6
#define DIAG_HINT_LEN  512

struct diag_hints {
	int n;
	char line[DIAG_MAX_HINTS][DIAG_HINT_LEN];
};

/*
 * Explain why `op` failed with `err`.  `nsflags` is the CLONE_NEW* set
 * the step asked for (0 where it does not apply).  Fills `out` with zero
 * or more hint lines (no "prog: hint: " prefix, no newline) and returns
 * out->n.
 */
int diag_explain(enum diag_op op, int nsflags, int err, struct diag_hints *out);

/* Append one hint line to h (dropped when h is full). */
void diag_add_hint(struct diag_hints *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The diag_op of a failed idmap_write() step. */
enum diag_op diag_idmap_op(enum idmap_step s);

/*
 * Read the files diag_explain() looks at below `root` instead of "/",
 * so tests can give it a /proc/sys it can fake (unprivileged_userns_clone,
 * apparmor_restrict_unprivileged_userns).  NULL restores "/".
 */
void diag_set_root(const char *root);

/* The names of the CLONE_NEW* bits set in flags, "CLONE_NEWUSER|CLONE_NEWNET". */
const char *diag_nsflags_str(int nsflags, char *buf, size_t len);

/* "prog: <fmt>: <strerror(errno)>" on stderr; errno is preserved. */
void diag_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: <fmt>" on stderr. */
void diag_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: hint: <fmt>" on stderr. */
void diag_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Word a getopt_long() error (opterr = 0, optstring starting "+:"):
 * "prog: option '-u' needs an argument", "prog: unknown option '--x'" or,
 * matched against longopts, "prog: option '--ver' is ambiguous: it may be
 * --verbose, --version", each followed by "(see 'prog --help')".  c is
 * what getopt_long returned.  A byte that is no printable character is
 * shown as \xNN.
 */
void diag_getopt(int c, char *const argv[], const struct option *longopts);
/* diag_getopt without the table: an ambiguous prefix reads as unknown. */
void diag_getopt_error(int c, char *const argv[]);

/* Print the error for a failed step, then the hints diag_explain finds. */
void diag_fail(enum diag_op op, int nsflags, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The same, with what the kernel said about it (an rtnetlink extended ack)
 * as a "prog: kernel says: ..." line between the error and the hints;
 * `said` may be NULL.  errno is preserved.
 */
void diag_fail_said(enum diag_op op, int nsflags, const char *said,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
