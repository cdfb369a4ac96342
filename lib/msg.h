/* SPDX-License-Identifier: MIT */
/*
 * msg: the one module of lib/ that writes to stderr.  Every line nslab
 * prints there starts with the program's name and passes through the one
 * escaper (lib/escape), so a path, a user name or an argument holding an
 * escape sequence, a newline, a C1 control, a bidi override or invalid
 * UTF-8 is shown as \xHH, never sent to the terminal raw:
 *
 *   tool: what failed: kernel words      msg_err, msg_fail
 *   tool: something said                 msg_say
 *   tool: hint: why, on evidence         msg_hint (diag finds them)
 *   tool: syscall(args) = result         msg_narrate, under -v
 *   tool:   $ the shell line             (the same)
 *
 * Other lib modules return results; the tools say them through here.
 */
#ifndef NSLAB_MSG_H
#define NSLAB_MSG_H

#include <getopt.h>
#include <stdio.h>

#include "diag.h"

extern const char *msg_prog;	/* "usernsselfmap": prefix of every line */

/*
 * Record the program's name (argv[0]'s last component) and read
 * NSLAB_VERBOSE from the environment.  Call first thing in main().
 */
void msg_init(const char *argv0);

/* Turn narration on, and export NSLAB_VERBOSE=1 so it flows down a chain. */
void msg_set_verbose(void);
int msg_verbose(void);

/*
 * Narrate one step when verbose, and do nothing otherwise:
 *   usernsselfmap: unshare(CLONE_NEWUSER) = 0
 *   usernsselfmap:   $ unshare --user
 * `shell` is the equivalent command a reader could type, NULL for none;
 * `result` the step's return value: -1 is followed by the errno text, so
 * narration shows steps that failed too.  errno is preserved.  Each
 * narration leaves in one write(2): a keeper and its child narrate at once.
 */
void msg_narrate(const char *shell, int result, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Whether msg_narrate prints its shell line (on by default).  Off for
 * steps a command narrated already covers: after nsnet -U's "unshare
 * --user --net --map-current-user", an "echo ... > uid_map" typed next
 * would be refused.
 */
void msg_narrate_shell(int on);

/* "tool: <fmt>" when verbose: a narrated sentence that is no system call. */
void msg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "tool: <fmt>: <strerror(errno)>"; errno is preserved. */
void msg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "tool: <fmt>". */
void msg_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "tool: hint: <fmt>". */
void msg_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One "tool: hint: ..." line per hint, in diag's order (most likely first). */
void msg_hints(const struct diag_hints *h);

/*
 * A failed step: "tool: <fmt>: <strerror(errno)>", then the hints
 * diag_explain(op, nsflags, errno) finds.  errno is preserved.
 */
void msg_fail(enum diag_op op, int nsflags, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The same, with what the kernel said about it (an rtnetlink extended
 * ack) as a "tool: kernel says: ..." line between the error and the
 * hints; `said` may be NULL.
 */
void msg_fail_said(enum diag_op op, int nsflags, const char *said,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Word a getopt_long() error (opterr = 0, optstring starting with ':'
 * or "+:"): "tool: option '-u' needs an argument", "tool: unknown option
 * '--x'", "tool: option '--help=x' takes no argument" or, matched against
 * longopts, "tool: option '--ver' is ambiguous: it may be --verbose,
 * --version", each followed by "(see 'tool --help')".  c is what
 * getopt_long returned.  lib/opts calls it; a tool need not.
 */
void msg_getopt(int c, char *const argv[], const struct option *longopts);

/* "tool (nslab) VERSION" on stdout: the answer to -V. */
void msg_version(void);

/*
 * After the program's output: flush stdout; 0, or -1 after "tool: write
 * <what>: <strerror>" when the output could not be written (`tool --help
 * >/dev/full`, `tool -V >&-`), as for any step that did not happen.
 */
int msg_flush_stdout(const char *what);

#endif
