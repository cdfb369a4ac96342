/* SPDX-License-Identifier: MIT */
/*
 * multicall: one program, many names.  Every chain tool is built into one
 * program (each tools/TOOL.c compiled with -Dmain=TOOL_main); bin/TOOL are
 * hard links to it, and the name it is run by picks the tool, as busybox
 * picks its applets.  A tool run alone does what it always did.
 *
 * When a tool's command is another tool of the same program, step_exec
 * asks multicall_exec to run it in this process instead of execve(2): it
 * checks that execve would run this very file and leave the process as it
 * is, does to the process what execve does (descriptors marked
 * close-on-exec closed, caught signals back to their default, the command
 * name), and jumps back to multicall_main, which calls the next tool's main
 * on a fresh stack frame.  Where execve would do something it cannot do
 * the same way, it returns and step_exec execs for real.  nslab(7), ONE
 * PROGRAM, MANY NAMES, lists both.
 */
#ifndef NSLAB_MULTICALL_H
#define NSLAB_MULTICALL_H

struct multicall_tool {
	const char *name;
	int (*main)(int argc, char *argv[]);
};

/*
 * The program's main: run the tool named by argv[0]'s last component, and
 * each tool after it that multicall_exec lets run here.  The tool's
 * status, or 125 after a message when no tool has that name.
 */
int multicall_main(int argc, char *argv[], const struct multicall_tool *tools, int ntools);

/*
 * Called by step_exec with the command it is about to execvp, after the
 * narration: does not return when the command is a tool of this program
 * that may run in this process (it runs next, as if exec'd); returns, with
 * nothing changed, when a real exec is due.  NSLAB_EXEC=always in the
 * environment makes every exec real.
 */
void multicall_exec(char *const argv[]);

#endif
