/* SPDX-License-Identifier: MIT */
/*
 * opts: getopt_long for every nslab program, owning the options they all
 * share, so that no tool has its own copy of that switch:
 *
 *   -h, --help      usage(stdout), then exit 0 (or the failure status
 *                   when stdout cannot be written)
 *   -v, --verbose   narration (chain tools only: nsinfo has no -v)
 *   -V, --version   "tool (nslab) VERSION", then exit as for -h
 *
 * and the misuse exit: a bad option is worded by msg_getopt and the tool
 * exits CHAIN_EXIT_FAIL (nsinfo: INFO_EXIT_MISUSE).  A tool lists only
 * its own options and handles only them:
 *
 *   static struct opts o = { "+u:", own_longopts, usage, OPTS_CHAIN, 0 };
 *   while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
 *           switch (c) {
 *           case OPTS_EXIT: return o.status;
 *           case 'u': ...
 *           }
 *   }
 *   (optind is now the command)
 *
 * An option every chain tool should have is added here, once: its entry
 * in chain_common[] (opts.c) and its case in opts_next, and a field
 * of struct opts where a tool reads its value.
 */
#ifndef NSLAB_OPTS_H
#define NSLAB_OPTS_H

#include <getopt.h>
#include <stdio.h>

enum opts_kind {
	OPTS_CHAIN,	/* a chain tool: -h -v -V, stops at the command, misuse 125 */
	OPTS_INFO,	/* nsinfo: -h -V, options anywhere, misuse 2, failure 1 */
};

/* What opts_next returns besides the tool's own option codes. */
#define OPTS_END  (-1)	/* optind is at the first operand (the command) */
#define OPTS_EXIT (-2)	/* return o->status from main: -h, -V or misuse */
/* The codes of the common chain options opts_next handles itself. */
enum { OPTS_KEEP = 0x1000, OPTS_INFO_FD, OPTS_BLOCK_FD };

struct opts {
	const char *shortopts;		/* the tool's own letters: "u:g:k", "" for none */
	const struct option *longopts;	/* the tool's own, { NULL } ended; NULL for none */
	void (*usage)(FILE *);
	enum opts_kind kind;
	int status;			/* set with OPTS_EXIT: what main returns */
	/*
	 * Every chain tool's --keep FILE, --info-fd N and --block-fd N, read
	 * by keep_after (keep.h) once the tool's step is done.
	 */
	const char *keep;
	int info_fd, block_fd;
	int has_info, has_block;
};

/*
 * The next option of argv that the tool handles itself (getopt_long's
 * code, with optarg), OPTS_END at the end of the options, or OPTS_EXIT
 * after -h, -V or a misuse (the message said).
 */
int opts_next(struct opts *o, int argc, char *argv[]);

/*
 * Misuse the tool found in an option's value (after its message): the
 * status main returns, 125 or nsinfo's 2.
 */
int opts_misuse(const struct opts *o);

/*
 * End of a program's output: rc, or the kind's failure status (125; 1 for
 * nsinfo) after the message when stdout could not be written.
 */
int opts_done(const struct opts *o, int rc);

#endif
