/* SPDX-License-Identifier: MIT */
/*
 * exits: the exit statuses of every nslab program, in one table (as
 * execline's exitcodes page is one).  A chain tool's own failure never
 * looks like its command's: 125 and up, as env(1), chroot(1) and
 * timeout(1) use them.  nsinfo runs no command, and says 1 and 2 as
 * ls(1) and grep(1) do.  nslab(7), EXIT STATUS.
 */
#ifndef NSLAB_EXITS_H
#define NSLAB_EXITS_H

#define CHAIN_EXIT_FAIL     125	/* the tool failed or was misused: command not run */
#define CHAIN_EXIT_NOEXEC   126	/* the command was found but not executable */
#define CHAIN_EXIT_NOTFOUND 127	/* the command was not found */
/* A chain tool's command that died of signal N: 128 + N. */

/*
 * A tool killed by a signal cannot say 125: so no tool may crash, and none
 * runs the command after a crash.  Every tool works from a 64 KiB stack
 * limit up (nslab(7), EXIT STATUS; test_failclosed): buffers of a few KiB
 * live on the stack, tables of tens of KiB are static.  This is the one
 * place the rule is said in the code.
 */

#define INFO_EXIT_FAIL      1	/* nsinfo failed (or --check found a kind it cannot create) */
#define INFO_EXIT_MISUSE    2	/* nsinfo was misused */

#endif
