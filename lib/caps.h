/* SPDX-License-Identifier: MIT */
/*
 * caps: capabilities by name, and whose they are.
 *
 * The one table of capability names (CAP_CHOWN ... CAP_CHECKPOINT_RESTORE,
 * as <linux/capability.h> numbers them; the caller's own effective set is
 * pr_has_cap's, lib/proc) and the rule by which a capability counts
 * over a namespace (user_namespaces(7); cap_capable(), security/commoncap.c).
 * The rule is a pure function of facts a caller gathers (nsinfo --can
 * reads them through nsfs ioctls), so its unit test needs no kernel.
 * Never prints; -1 with errno.
 */
#ifndef NSLAB_CAPS_H
#define NSLAB_CAPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The highest capability this table names (CAP_CHECKPOINT_RESTORE, Linux 5.9). */
#define CAPS_LAST_KNOWN 40

/* "CAP_SYS_ADMIN" for 21; NULL beyond the table. */
const char *caps_name(int cap);

/*
 * A capability as typed: "CAP_SYS_ADMIN", "cap_sys_admin", "sys_admin" or
 * its number ("21").  The number, or -1 with EINVAL.
 */
int caps_parse(const char *s);

/* The highest capability this kernel has (/proc/sys/kernel/cap_last_cap), or CAPS_LAST_KNOWN. */
int caps_last(void);

/*
 * Write the names of the bits set in mask, separated by sep, into out
 * (snprintf-style: the length the whole needs).  A bit past the table is
 * "CAP_41".
 */
size_t caps_names(uint64_t mask, const char *sep, char *out, size_t outlen);

/*
 * Whether a process holds a capability over a namespace, as the kernel
 * decides it.  The namespace's owner is the user namespace `target` (a
 * user namespace is its own target); chain[0] is target, chain[i+1] the
 * parent of chain[i], as far as NS_GET_PARENT went (n entries).  `self`
 * is the process's user namespace, euid its effective uid, and owner[i]
 * the owner uid of chain[i] (both as the same reader sees them).
 */
struct caps_chain {
	uint64_t ns[33];	/* 32 levels of nesting at most, and the initial one */
	uid_t owner[33];
	int owner_known[33];
	size_t n;
	int complete;		/* the walk reached the initial user namespace */
};

enum caps_why {
	CAPS_SAME_NS,		/* yes/no: self is the owner; the effective set decides */
	CAPS_OWNER,		/* yes: self is the parent of chain[at], whose owner is euid */
	CAPS_ANCESTOR,		/* yes/no: self is chain[at], an ancestor; its effective set decides */
	CAPS_NOT_ANCESTOR,	/* no: self is not on the chain: below it, or beside it */
	CAPS_UNKNOWN,		/* the chain stopped before self was met, above what the reader sees */
};

struct caps_verdict {
	int yes;		/* 1 has it, 0 has not, -1 cannot tell */
	enum caps_why why;
	size_t at;		/* the chain entry the answer came from */
};

struct caps_verdict caps_over(const struct caps_chain *c, uint64_t self, uid_t euid,
			      uint64_t effective, int cap);

#endif
