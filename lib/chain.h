/* SPDX-License-Identifier: MIT */
/*
 * chain: what every chain-loading tool shares.  The program name used in
 * messages, the -v / NSLAB_VERBOSE narration, and the final exec of the
 * rest of argv (or $SHELL) with env(1)'s 126/127 convention.
 */
#ifndef NSLAB_CHAIN_H
#define NSLAB_CHAIN_H

#include <stddef.h>
#include <stdio.h>

/* Exit statuses before exec, as env(1), chroot(1) and timeout(1) use them. */
#define CHAIN_EXIT_FAIL     125	/* the tool failed or was misused */
#define CHAIN_EXIT_NOEXEC   126	/* the command was found but not executable */
#define CHAIN_EXIT_NOTFOUND 127	/* the command was not found */

extern const char *chain_prog;	/* "usernsselfmap": prefix of every message */

/*
 * Record the tool's name and read NSLAB_VERBOSE from the environment.
 * Call first thing in main().
 */
void chain_init(const char *prog);

/* Turn narration on, and export NSLAB_VERBOSE=1 so it flows down a chain. */
void chain_set_verbose(void);
int chain_verbose(void);

/*
 * Narrate one step on stderr when verbose, and do nothing otherwise:
 *   usernsselfmap: unshare(CLONE_NEWUSER) = 0
 *   usernsselfmap:   $ unshare --user
 * `shell` is the equivalent command a reader could type; NULL for none.
 * `result` is the step's return value; when it is -1 the errno text
 * follows it, so narration also shows steps that failed.
 */
void chain_narrate(const char *shell, int result, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Whether chain_narrate() prints its shell line (on by default).  A tool
 * turns it off for steps whose command has been narrated already: after
 * nsnet -U's "unshare --user --net --map-current-user", which writes the
 * maps itself, an "echo ... > uid_map" typed next would be refused.
 */
void chain_narrate_shell(int on);

/*
 * s quoted for a narrated shell line: as it is when every byte is safe
 * unquoted, else in single quotes ('\'' for a quote), so that each "$ ..."
 * line is one valid command however odd a path.  Returns s or buf; "'...'"
 * when buf is too small (4 * strlen(s) + 3 bytes always suffice).
 */
const char *chain_shquote(const char *s, char *buf, size_t len);
#define CHAIN_SHQUOTE_LEN(n) (4 * (n) + 3)

/*
 * unshare(flags), narrated with `shell`, the unshare(1) command a reader
 * could type.  On failure the error and diag's hints are printed (diag's
 * helpers) and -1 returned with errno set; the tool exits CHAIN_EXIT_FAIL.
 */
int chain_unshare(int flags, const char *shell);

/*
 * The options of a tool that has only -h, -v and -V: getopt_long over
 * argv, stopping at the command.  Returns -1 when optind is at the command;
 * otherwise the status to exit with: 0 after usage(stdout) for -h or the
 * version line for -V, CHAIN_EXIT_FAIL after diag has worded a bad option.
 */
int chain_basic_options(int argc, char *argv[], void (*usage)(FILE *));

/*
 * After --help or --version: flush stdout and return 0, or word the write
 * error (diag's helpers) and return CHAIN_EXIT_FAIL, as for any step that
 * did not happen: `tool --help >/dev/full` and `tool -V >&-` fail.
 */
int chain_output_done(void);

/* chain_exec, and the message when it returns: the status to exit with. */
int chain_run(char *const argv[]);

/*
 * execvp(argv[0], argv), or $SHELL (/bin/sh when unset or empty) when
 * argv[0] is NULL.  Only returns on failure: the exit status to use
 * (126 or 127) with errno set.  *cmd is the command that was tried,
 * for the message.
 */
int chain_exec(char *const argv[], const char **cmd);

#endif
