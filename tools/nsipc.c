/* SPDX-License-Identifier: MIT */
/*
 * nsipc: an IPC namespace of your own.  unshare(CLONE_NEWIPC); exec the
 * command.  Inside, System V shared memory, semaphores and message queues
 * start empty and those of the host are out of sight; so are POSIX message
 * queues, once an mqueue file system is mounted inside (mq_overview(7)).
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
"usage: nsipc [-hvV] [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) in a new IPC namespace: System V IPC objects\n"
"and POSIX message queues of its own, none of the host's.\n"
"\n"
"Creating an IPC namespace needs CAP_SYS_ADMIN in the user namespace you\n"
"are in: as a user, run it under usernsselfmap.\n");
}

int main(int argc, char *argv[])
{
	struct opts o = { .shortopts = "", .longopts = NULL, .usage = usage, .kind = OPTS_CHAIN };

	msg_init(argv[0]);
	if (opts_next(&o, argc, argv) == OPTS_EXIT)
		return o.status;
	if (step_unshare(CLONE_NEWIPC, "unshare --ipc") < 0)
		return CHAIN_EXIT_FAIL;
	if (keep_after(&o, "ipc", getpid(), -1, KEEP_ALL) < 0)
		return CHAIN_EXIT_FAIL;
	return step_exec(argv + optind);
}
