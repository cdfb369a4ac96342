/* SPDX-License-Identifier: MIT */
/*
 * subid: the account files a rootless user namespace leans on.
 *
 * /etc/subuid and /etc/subgid (subuid(5)) grant a user ranges of
 * subordinate ids, "OWNER:START:COUNT" per line, OWNER a user name or a
 * uid; the setuid helpers newuidmap(1) and newgidmap(1) map only what these
 * grant (owners are looked up in /etc/passwd by lib/lookup).  Nothing
 * here prints or exits.
 */
#ifndef NSLAB_SUBID_H
#define NSLAB_SUBID_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "idmap.h"
#include "lookup.h"

#define SUBID_UID_FILE "/etc/subuid"
#define SUBID_GID_FILE "/etc/subgid"
#define SUBID_MAX      32	/* ranges kept per owner; more are ignored */
#define SUBID_COUNT    65535	/* ids 1..65535 inside, as unshare --map-auto */

struct subid_range {
	uint32_t start, count;
};

struct subid_grant {
	int n;				/* ranges for this owner, in file order */
	struct subid_range r[SUBID_MAX];
	uint64_t end_max;		/* one past the highest id any owner has */
};

/*
 * Whose ranges: both files are keyed by the user's name, or the uid as
 * text, of the real uid, as newuidmap and newgidmap look them up.  The
 * name is "" when /etc/passwd has no entry for the uid.
 */
struct subid_owner {
	char name[LOOKUP_NAME_LEN];
	uint32_t uid;
};
void subid_owner(struct subid_owner *o);

/*
 * The ranges `file` grants the owner called `name` or numbered `id`, as
 * shadow matches them.  Lines that do not parse are skipped, as shadow
 * skips them.  Returns 0 (g->n may be 0), or -1 with errno from fopen.
 */
int subid_read(const char *file, const char *name, uint32_t id,
	       struct subid_grant *g);

/* Does the grant hold every id of [start, start+count)? */
int subid_covers(const struct subid_grant *g, uint32_t start, uint32_t count);

/*
 * --subids' map: "0 OWN 1" then "1 START N", START the first granted
 * range and N its size, at most SUBID_COUNT.  -1 with ENOENT when the
 * grant is empty.
 */
int subid_map(const struct subid_grant *g, uint32_t own, struct idmap *m);

/*
 * --subids' map from `file` (subid_read, then subid_map) for owner o, whose
 * own id outside is `own`.  *g holds what was read (subid_suggest).
 */
enum subid_auto {
	SUBID_AUTO_OK,
	SUBID_AUTO_READ,	/* the file cannot be read: errno (a missing file grants nothing) */
	SUBID_AUTO_NONE,	/* it grants the owner no range */
	SUBID_AUTO_WRAPS,	/* the first range runs past 4294967294, the last id the kernel maps */
	SUBID_AUTO_OWN,		/* the first range holds `own` */
};
enum subid_auto subid_auto(const char *file, const struct subid_owner *o, uint32_t own,
			   struct idmap *m, struct subid_grant *g);

/*
 * Is the tool at `path` setuid root, or has it a file capability?  1 or 0,
 * -1 with errno from stat.  Ask before unshare(CLONE_NEWUSER): inside the
 * new namespace root's files show as owned by the overflow uid.
 */
int subid_tool_privileged(const char *path);

/*
 * Why a newuidmap/newgidmap run failed, found by looking: NoNewPrivs on
 * this process, the helper without setuid bit or file capability (what
 * subid_tool_privileged said of it, before unshare), and the
 * outside ids of `m` that `file` does not grant `name`/`id` (with the line
 * an administrator would add, or what is granted).  Appends hint lines to
 * `h`; returns h->n.
 */
int subid_explain(const char *tool_path, int privileged, const char *file,
		  const char *name, uint32_t id, uint32_t own,
		  const struct idmap *m, struct diag_hints *h);

/*
 * The line an administrator would add to `file` for the owner: the first
 * 65536 ids above every range granted so far (and at least 100000, as
 * useradd's SUB_UID_MIN), "name:START:65536".
 */
void subid_suggest(const struct subid_grant *g, const char *owner, char *buf,
		   size_t len);

/*
 * Which lines of map lie inside ranges db (/etc/subuid or /etc/subgid)
 * grants owner, by name or number, as newuidmap(1) reads the file:
 * granted[j] is 1 for those, 0 for the others.  A line whose outside id is
 * (uint32_t)-1, no id where the reader stands, never is.  A missing or
 * unreadable file grants nothing.
 */
void subid_granted(const char *db, uint32_t owner, const struct idmap *map,
		   unsigned char granted[IDMAP_MAX_LINES]);

#endif
