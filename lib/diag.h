/* SPDX-License-Identifier: MIT */
/*
 * diag: why a namespace step failed.
 *
 * diag_explain() looks at the system (/proc/self/status, the sysctls under
 * /proc/sys, /proc/self/mountinfo, the uid maps) and names the most likely
 * causes of a failure as hint lines, found by looking rather than guessed.
 * The same code serves every tool and nsinfo --check.
 *
 * It prints nothing: lib/msg prints the hints (msg_fail, msg_hints).
 */
#ifndef NSLAB_DIAG_H
#define NSLAB_DIAG_H

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

#endif
