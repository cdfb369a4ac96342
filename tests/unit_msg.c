/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/msg, the one writer to stderr: the program's name on
 * every line, each line whole, and no control byte, C1 control, bidi mark
 * or invalid UTF-8 reaching the terminal raw, in errors and narration alike.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "unit.h"

/* What the calls in f wrote to stderr, through a pipe. */
static const char *said(void (*f)(void))
{
	static char buf[8192];
	int p[2], saved = dup(2);
	ssize_t n;

	if (pipe(p) < 0 || saved < 0)
		return "";
	dup2(p[1], 2);
	close(p[1]);
	f();
	dup2(saved, 2);
	close(saved);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void err_line(void)
{
	errno = ENOENT;
	msg_err("open %s", "a\x1b[31mb\nc");
}

static void hint_line(void)
{
	msg_hint("x\xe2\x80\xaey \xff");
}

static void narrated(void)
{
	msg_narrate("echo 'a\x9b' > f", -1, "write(\"%s\")", "\xc2\x9b");
}

static void quiet_note(void)
{
	msg_note("not shown");
}

int main(void)
{
	unsetenv("NSLAB_VERBOSE");
	msg_init("/usr/bin/tool");
	CHECK("error: name, escaped argument, errno words, one line",
	      strcmp(said(err_line), "tool: open a\\x1b[31mb\\x0ac: No such file or directory\n") == 0);
	CHECK("hint: bidi override and invalid byte escaped",
	      strcmp(said(hint_line), "tool: hint: x\\xe2\\x80\\xaey \\xff\n") == 0);
	CHECK("no narration without -v", strcmp(said(narrated), "") == 0);
	CHECK("no note without -v", strcmp(said(quiet_note), "") == 0);
	msg_set_verbose();
	CHECK("-v exported down the chain", getenv("NSLAB_VERBOSE") && strcmp(getenv("NSLAB_VERBOSE"), "1") == 0);
	errno = EPERM;
	CHECK("narration: C1 control escaped in the call and the shell line, errno after -1",
	      strcmp(said(narrated), "tool: write(\"\\xc2\\x9b\") = -1 (Operation not permitted)\n"
				     "tool:   $ echo 'a\\x9b' > f\n") == 0);
	CHECK("note under -v", strcmp(said(quiet_note), "tool: not shown\n") == 0);
	return unit_done();
}
