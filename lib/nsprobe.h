/* SPDX-License-Identifier: MIT */
/*
 * nsprobe: can this caller create a namespace of one kind?  nsinfo --check's
 * probe, beside diag because it is diag that explains a failure.
 *
 * nsprobe_run() forks a child that tries unshare(2) with the flags given
 * and, for a user namespace, writes the map an unprivileged caller may write
 * for itself (root inside is the caller) through idmap_write, so a failure
 * is reported at the same steps idmap reports.  The child, not the caller,
 * runs diag_explain(): it looks at the process that failed.  The caller
 * changes nothing.  Never prints; -1 with errno when the child could not
 * be started or waited for.
 */
#ifndef NSLAB_NSPROBE_H
#define NSLAB_NSPROBE_H

#include <sys/types.h>

#include "diag.h"
#include "idmap.h"

struct nsprobe {
	int flags;		/* what was asked of unshare(2) */
	int ok;
	int in_maps;		/* it failed writing a map: at map_step, not at unshare */
	enum idmap_step map_step;
	int err;		/* errno; 0 when the child was killed (see the hints) */
	struct diag_hints h;
};

int nsprobe_run(int flags, int write_maps, uid_t euid, gid_t egid, struct nsprobe *r);

/* The step that failed, as a reader would name it: "unshare", "write /proc/self/uid_map". */
const char *nsprobe_step(const struct nsprobe *r);

/*
 * The hints every failed probe of r[0..n-1] has (ok 0; ok -1 is one not
 * run): one cause, such as a seccomp filter, fails all eight kinds the same
 * way, and is said once rather than eight times.  Fills shared (at most
 * DIAG_MAX_HINTS, pointing into r) and returns how many; none when fewer
 * than two failed.
 */
int nsprobe_shared(const struct nsprobe *r, int n, const char **shared);

/* Is line one of the nshared lines of shared? */
int nsprobe_has(const char *const *shared, int nshared, const char *line);

/* Has this process CAP_SYS_ADMIN (CapEff of /proc/self/status)? */
int nsprobe_privileged(void);

#endif
