/* SPDX-License-Identifier: MIT */
/*
 * nscgroup: a cgroup namespace of your own.  unshare(CLONE_NEWCGROUP); exec
 * the command.  The cgroups the caller is in become the roots of its view:
 * every path in /proc/self/cgroup reads "/" inside (cgroup_namespaces(7)),
 * one line per hierarchy on cgroup v1, the one "0::/" line on v2.  It hides
 * where the command sits; it moves it into no new cgroup.
 */
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "exits.h"
#include "keep.h"
#include "msg.h"
#include "opts.h"
#include "step.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: nscgroup [-hvV] [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) in a new cgroup namespace: the cgroups it is\n"
"in become the roots of its view, so /proc/self/cgroup reads / inside.\n"
"\n"
"Creating a cgroup namespace needs CAP_SYS_ADMIN in the user namespace you\n"
"are in: as a user, run it under usernsselfmap.\n");
}

int main(int argc, char *argv[])
{
	struct opts o = { .shortopts = "", .longopts = NULL, .usage = usage, .kind = OPTS_CHAIN };

	msg_init(argv[0]);
	if (opts_next(&o, argc, argv) == OPTS_EXIT)
		return o.status;
	if (step_unshare(CLONE_NEWCGROUP, "unshare --cgroup") < 0)
		return CHAIN_EXIT_FAIL;
	if (keep_after(&o, "cgroup", getpid(), -1, KEEP_ALL) < 0)
		return CHAIN_EXIT_FAIL;
	return step_exec(argv + optind);
}
