/* SPDX-License-Identifier: MIT */
/* opts: the options every nslab program shares; see opts.h. */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "exits.h"
#include "msg.h"
#include "opts.h"
#include "proc.h"

/*
 * The options every chain tool has, in the order an ambiguous prefix
 * lists them ("--ver" may be --verbose, --version): the tool's own follow.
 * A new common option goes here and in opts_next's switch.
 */
static const struct option chain_common[] = {
	{ "help",    no_argument, NULL, 'h' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "keep",     required_argument, NULL, OPTS_KEEP },
	{ "info-fd",  required_argument, NULL, OPTS_INFO_FD },
	{ "block-fd", required_argument, NULL, OPTS_BLOCK_FD },
};
#define CHAIN_SHORT "hvV"

/* nsinfo's: it narrates nothing, so has no -v. */
static const struct option info_common[] = {
	{ "help",    no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};
#define INFO_SHORT "hV"

#define NCOMMON(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_LONGOPTS 48

/* The table getopt_long reads: the common options, then the tool's. */
static struct option all[MAX_LONGOPTS + 1];
static char shortopts[128];

static void build(const struct opts *o)
{
	const struct option *common = o->kind == OPTS_INFO ? info_common : chain_common;
	size_t n = o->kind == OPTS_INFO ? NCOMMON(info_common) : NCOMMON(chain_common);
	size_t i = 0;

	for (; i < n; i++)
		all[i] = common[i];
	for (const struct option *l = o->longopts; l && l->name && i < MAX_LONGOPTS; l++)
		all[i++] = *l;
	memset(&all[i], 0, sizeof(all[i]));
	/*
	 * ':' first: a missing argument is ':', told from an unknown '?'.
	 * '+' for a chain tool: the options end at the command, whose own
	 * options are its own (util-linux unshare does the same).
	 */
	snprintf(shortopts, sizeof(shortopts), "%s:%s%s", o->kind == OPTS_INFO ? "" : "+",
		 o->kind == OPTS_INFO ? INFO_SHORT : CHAIN_SHORT, o->shortopts ? o->shortopts : "");
}

/*
 * The end of every chain tool's --help: the options of chain_common[], one
 * a line as the tool's own are (bash completion reads them there), and the
 * exit statuses every chain tool shares.  Said here once, not in each tool.
 */
static void chain_help(void)
{
	printf("\n"
	       "Options of every chain tool (nslab(7), COMMON OPTIONS):\n"
	       "  -v, --verbose      narrate each step and the shell command that does the same\n"
	       "  -h, --help         show this help\n"
	       "  -V, --version      show the version\n"
	       "      --keep FILE    bind the namespace this step made to FILE (it outlives\n"
	       "                     the command, as unshare --net=FILE does)\n"
	       "      --info-fd N    write this step's PID and namespaces, as JSON, to N\n"
	       "      --block-fd N   wait for a byte or end of file on N before running the\n"
	       "                     command\n"
	       "\n"
	       "Exit status: COMMAND's, or 125 if %s failed, 126 if COMMAND could\n"
	       "not be run, 127 if it was not found.  See %s(1).\n", msg_prog, msg_prog);
}

int opts_misuse(const struct opts *o)
{
	return o->kind == OPTS_INFO ? INFO_EXIT_MISUSE : CHAIN_EXIT_FAIL;
}

int opts_done(const struct opts *o, int rc)
{
	if (msg_flush_stdout(o->kind == OPTS_INFO ? "standard output" : "stdout") == 0)
		return rc;
	return o->kind == OPTS_INFO ? INFO_EXIT_FAIL : CHAIN_EXIT_FAIL;
}

/*
 * N of --info-fd N: a descriptor the caller opened for us, made
 * close-on-exec so the command does not inherit it.  -1 after the message.
 */
static int fd_arg(const char *opt, const char *arg)
{
	uint64_t n;

	if (pf_parse_u64(arg, strlen(arg), &n) < 0 || n > INT_MAX) {
		msg_say("%s '%s': expected a descriptor number", opt, arg);
		return -1;
	}
	if (fcntl((int)n, F_SETFD, FD_CLOEXEC) < 0) {
		msg_err("%s %s", opt, arg);
		return -1;
	}
	return (int)n;
}

int opts_next(struct opts *o, int argc, char *argv[])
{
	int c;

	static const struct opts *built;

	/*
	 * optind 0 is getopt's restart: a tool started in this process after
	 * another (lib/multicall), whose struct opts may sit where the other's did.
	 */
	if (built != o || optind == 0) {
		build(o);
		built = o;
		opterr = 0;
	}
	c = getopt_long(argc, argv, shortopts, all, NULL);
	switch (c) {
	case -1:
		return OPTS_END;
	case 'h':
		o->usage(stdout);
		if (o->kind == OPTS_CHAIN)
			chain_help();
		o->status = opts_done(o, 0);
		return OPTS_EXIT;
	case 'V':
		msg_version();
		o->status = opts_done(o, 0);
		return OPTS_EXIT;
	case 'v':
		if (o->kind == OPTS_INFO)
			return c;
		msg_set_verbose();
		return opts_next(o, argc, argv);
	case OPTS_KEEP:
		o->keep = optarg;
		return opts_next(o, argc, argv);
	case OPTS_INFO_FD:
		if ((o->info_fd = fd_arg("--info-fd", optarg)) < 0)
			goto misuse;
		o->has_info = 1;
		return opts_next(o, argc, argv);
	case OPTS_BLOCK_FD:
		if ((o->block_fd = fd_arg("--block-fd", optarg)) < 0)
			goto misuse;
		o->has_block = 1;
		return opts_next(o, argc, argv);
	case ':':
	case '?':
		break;
	default:
		return c;
	}
	msg_getopt(c, argv, all);
misuse:
	o->status = opts_misuse(o);
	return OPTS_EXIT;
}
