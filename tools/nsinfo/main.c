/* SPDX-License-Identifier: MIT */
/*
 * nsinfo: look at namespaces; the one nslab tool that changes nothing.
 * It shows a process's namespaces the way /proc/PID/ns names them, puts two
 * processes side by side, lists every namespace in one pass over /proc as
 * lsns(8) does, explains the id maps, draws the user-namespace tree, and
 * checks, before a build relies on it, that each kind can be created here.
 *
 * main.c checks the command line into a request and runs one mode; each
 * mode has a file of its own (nsinfo.h lists them).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "caps.h"
#include "exits.h"
#include "msg.h"
#include "escape.h"
#include "proc.h"
#include "nsinfo.h"
#include "opts.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: nsinfo [-J] [-t type]... [[-p] pid [[-p] pid2]]\n"
"       nsinfo -a [-FJ] [-t type]...\n"
"       nsinfo -m [-J] [[-p] pid]\n"
"       nsinfo -T|--tree[=owner|parent] [-FJ] [-t type]...\n"
"       nsinfo -c [-J] [-t type]...\n"
"       nsinfo --dot [-F] [-t type]...\n"
"       nsinfo --caps [-J] [[-p] pid]\n"
"       nsinfo --can [-J] pid cap nsfile|pid:type\n"
"\n"
"Show the namespaces of PID (default: nsinfo's own, which are its caller's),\n"
"or two processes side by side, each type marked same or different.\n"
"\n"
"  -a, --all          list every namespace on the system, like lsns(8)\n"
"      --can          with PID CAP NS: whether PID has capability CAP over the\n"
"                     namespace NS (/run/netns/NAME, PID:TYPE...), and why\n"
"      --caps         show the capability sets of PID and their user namespace\n"
"  -c, --check        try to create each kind of namespace here, and say why not\n"
"      --dot          write the namespaces as a Graphviz graph (dot -Tsvg)\n"
"  -F, --fds          with -a, -T, --dot: also the namespaces only an open\n"
"                     descriptor holds (reads every /proc/PID/fd)\n"
"  -J, --json         print JSON instead of text\n"
"  -m, --maps         explain the uid_map, gid_map and setgroups of PID\n"
"  -p, --task PID     the PID argument, as lsns(8) spells it\n"
"  -T, --tree[=owner] draw the user-namespace tree and what each one owns\n"
"      --tree=parent  draw the pid (and user) namespaces by parent\n"
"  -t, --type TYPE    only namespaces of TYPE (repeatable): cgroup, ipc,\n"
"                     mnt, net, pid, time, user, uts\n"
"  -h, --help         show this help\n"
"  -V, --version      show the version\n"
"\n"
"Exit status: 0; 1 on failure, or when --check finds a kind that cannot be\n"
"created; 2 on misuse.  See nsinfo(1).\n");
}

static const struct option longopts[] = {
	{ "all",     no_argument,       NULL, 'a' },
	{ "can",     no_argument,       NULL, 'C' },
	{ "caps",    no_argument,       NULL, 'K' },
	{ "check",   no_argument,       NULL, 'c' },
	{ "dot",     no_argument,       NULL, 'D' },
	{ "fds",     no_argument,       NULL, 'F' },
	{ "json",    no_argument,       NULL, 'J' },
	{ "maps",    no_argument,       NULL, 'm' },
	{ "task",    required_argument, NULL, 'p' },
	{ "tree",    optional_argument, NULL, 'T' },
	{ "type",    required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 },
};

/*
 * An argument as typed, terminal-safe (lib/escape) for an error line: a
 * "-t" of invalid UTF-8 or escape bytes must not reach the terminal raw.
 * Two at a time, for one message.
 */
static const char *shown(const char *s)
{
	static char buf[2][256];
	static int i;

	i ^= 1;
	esc_text(s, strlen(s), buf[i], sizeof(buf[i]));
	return buf[i];
}

/* A PID argument: 2 for what is not a number, 1 for a number no process can have. */
static int parse_pid_arg(const char *s, pid_t *pid, uint64_t *ino)
{
	uint64_t v;

	if (pf_parse_pid(s, pid) == 0)
		return 0;
	if (errno == ERANGE) {
		/* Beyond any PID: a namespace's inode, where the caller allows one. */
		if (ino && pf_parse_u64(s, strlen(s), &v) == 0 && v > INT_MAX) {
			*ino = v;
			return 0;
		}
		msg_say("%s: no such process (a PID is 1 to %d)", shown(s), INT_MAX);
		return INFO_EXIT_FAIL;
	}
	msg_say("'%s': not a process ID (see '%s --help')", shown(s), msg_prog);
	return INFO_EXIT_MISUSE;
}

/* PID, PID PID, or a namespace inode. */
static int show_default(const struct req *q)
{
	return q->ino ? show_inode(q) : show_pids(q);
}

/* The modes: the option that picks one, how it is spelled, how many PIDs it takes. */
static const struct mode {
	int c;
	const char *name;
	int maxpids;
	int (*run)(const struct req *);
} modes[] = {
	{ 0,   "",      2, show_default },	/* the default: first, for find_mode(0) */
	{ 'a', "-a",    0, list_all },
	{ 'c', "-c",    0, check_all },
	{ 'C', "--can", 3, show_can },
	{ 'D', "--dot", 0, show_dot },
	{ 'K', "--caps", 1, show_caps },
	{ 'm', "-m",    1, show_maps },
	{ 'T', "-T",    0, show_tree },
};

static const struct mode *find_mode(int c)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (modes[i].c == c)
			return &modes[i];
	return &modes[0];
}

int main(int argc, char *argv[])
{
	struct opts o = { .shortopts = "acFJmp:Tt:", .longopts = longopts, .usage = usage, .kind = OPTS_INFO };
	struct req q = { .how = NST_TREE_OWNER };
	const struct mode *mode = &modes[0];
	int c, rc, ntasks = 0;
	unsigned mask = 0;
	const char *task[4];

	msg_init(argv[0]);
	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case 'T':
			/* --tree=owner|parent; -T (and --tree) is the owner tree. */
			if (optarg && strcmp(optarg, "parent") == 0) {
				q.how = NST_TREE_PARENT;
			} else if (optarg && strcmp(optarg, "owner") != 0) {
				msg_say("--tree='%s': not a tree (owner, parent)", shown(optarg));
				return INFO_EXIT_MISUSE;
			}
			/* fall through */
		case 'a':
		case 'c':
		case 'C':
		case 'D':
		case 'K':
		case 'm':
			if (mode->c && mode->c != c) {
				msg_say("%s and %s cannot be combined (see '%s --help')",
					 mode->name, find_mode(c)->name, msg_prog);
				return INFO_EXIT_MISUSE;
			}
			mode = find_mode(c);
			break;
		case 'F':
			q.fds = 1;
			break;
		case 'J':
			q.json = 1;
			break;
		case 'p':
			if (ntasks < 4)
				task[ntasks++] = optarg;
			break;
		case 't': {
			int k = pf_nskind_index(optarg);

			if (k < 0) {
				msg_say("-t '%s': not a namespace type (cgroup, ipc, mnt, net, pid, time, user, uts)",
					 shown(optarg));
				return INFO_EXIT_MISUSE;
			}
			mask |= 1u << k;
			break;
		}
		case OPTS_EXIT:
			return o.status;
		}
	}
	if (q.json && mode->c == 'D') {
		msg_say("--dot writes a graph, not JSON: -J does not go with it (see '%s --help')",
			 msg_prog);
		return INFO_EXIT_MISUSE;
	}
	if (q.fds && mode->c != 'a' && mode->c != 'T' && mode->c != 'D') {
		msg_say("-F goes with -a, -T or --dot: the lists of every namespace (see '%s --help')",
			msg_prog);
		return INFO_EXIT_MISUSE;
	}
	if (mask && (mode->c == 'K' || mode->c == 'C')) {
		msg_say("-t does not go with %s: it names its namespace itself (see '%s --help')",
			mode->name, msg_prog);
		return INFO_EXIT_MISUSE;
	}
	if (mask && mode->c == 'm') {
		msg_say("-t does not go with -m: the maps are those of a user namespace (see '%s --help')",
			 msg_prog);
		return INFO_EXIT_MISUSE;
	}
	/* -p PID is the positional PID spelled as lsns(8) spells it: they count together. */
	for (int i = optind; i < argc; i++)
		if (ntasks < 4)
			task[ntasks++] = argv[i];
	if (ntasks > mode->maxpids) {
		if (mode->maxpids)
			msg_say("too many process IDs: '%s' (see '%s --help')", shown(task[ntasks - 1]), msg_prog);
		else
			msg_say("%s takes no PID: '%s' (see '%s --help')", mode->name, shown(task[0]), msg_prog);
		return INFO_EXIT_MISUSE;
	}
	/* --can PID CAP NS: three operands, one of them a PID. */
	if (mode->c == 'C') {
		if (ntasks != 3) {
			msg_say("--can takes PID CAP NS: '%s --can $$ CAP_NET_ADMIN 1:net' (see '%s --help')",
				msg_prog, msg_prog);
			return INFO_EXIT_MISUSE;
		}
		if ((q.cap = caps_parse(task[1])) < 0) {
			msg_say("'%s': not a capability (CAP_NET_ADMIN, net_admin or 12)", shown(task[1]));
			return INFO_EXIT_MISUSE;
		}
		q.nsarg = task[2];
		ntasks = 1;
	}
	/* Every argument is checked before any work: a bad second PID must not leave half an answer. */
	q.npids = ntasks;
	q.arg = ntasks ? task[0] : NULL;
	for (int i = 0; i < ntasks; i++)
		if ((rc = parse_pid_arg(task[i], &q.pid[i],
					mode->c == 0 && ntasks == 1 ? &q.ino : NULL)) != 0)
			return rc;
	if (mask)
		only = mask;
	/* Every mode: output that could not be written is a failure. */
	return opts_done(&o, mode->run(&q));
}
