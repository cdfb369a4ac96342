/* SPDX-License-Identifier: MIT */
/*
 * maphelper: the id maps a process cannot write into its own new user
 * namespace, written from outside.  lib/idmap parses, checks and formats
 * the maps and writes them from inside; this forks the writer, and runs
 * newuidmap/newgidmap (posix_spawn) where /etc/subuid grants ranges.
 */
#ifndef NSLAB_MAPHELPER_H
#define NSLAB_MAPHELPER_H

#include <sys/types.h>

#include "idmap.h"

/*
 * The helper-process path, for maps the kernel only takes from a writer in
 * the parent namespace (ranges, other ids, setgroups allow) or that only
 * newuidmap/newgidmap may write for an unprivileged caller: call
 * maphelper_start() before unshare(CLONE_NEWUSER); it forks a child that
 * waits.  After unshare, maphelper_finish() lets the child carry out the
 * plan on /proc/<our pid>/ and waits for it.  Returns 0, or -1 with errno
 * and *failed as idmap_write() sets them; when a tool ran and failed,
 * h->status is its exit status (else -1), errno is EPERM and h->msg holds
 * what it wrote on stderr.
 */
#define MAPHELPER_MSG_LEN 1024
/* h->status when the tool could not be started at all: errno says why. */
#define MAPHELPER_NOT_RUN (-2)
struct maphelper {
	pid_t pid;
	int sock;	/* "go" to the child once we have unshared; its result back */
	int status;
	char msg[MAPHELPER_MSG_LEN];
};
int maphelper_start(struct maphelper *h, const struct idmap_plan *plan);
int maphelper_finish(struct maphelper *h, enum idmap_step *failed);
/* Unshare failed: tell the helper to go away without writing anything. */
void maphelper_cancel(struct maphelper *h);

#endif
