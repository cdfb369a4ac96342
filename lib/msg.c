/* SPDX-License-Identifier: MIT */
/*
 * msg: every line nslab writes to stderr, escaped, each in one write(2).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "escape.h"
#include "msg.h"

/* config.mk defines it; builds of lib alone (tests/fuzz/run.sh) may not. */
#ifndef NSLAB_VERSION
#define NSLAB_VERSION "unknown"
#endif

const char *msg_prog = "nslab";
static int verbose;
static int shell_lines = 1;

/*
 * A line is formatted into `raw`, then escaped into `out` (4 bytes for a
 * byte at most): a narrated mount names two paths of PATH_MAX.
 */
static char raw[16384];
static char out[4 * sizeof(raw) + 64];
static size_t len;	/* of out */

void msg_init(const char *argv0)
{
	static char prog[256];
	const char *v = getenv("NSLAB_VERBOSE");
	const char *slash = strrchr(argv0, '/');

	esc_text(slash ? slash + 1 : argv0, strlen(slash ? slash + 1 : argv0),
		 prog, sizeof(prog));
	msg_prog = prog;
	verbose = v && *v && strcmp(v, "0") != 0;
	shell_lines = 1;
}

void msg_set_verbose(void)
{
	verbose = 1;
	/* The next tool in the chain reads this in its msg_init(). */
	setenv("NSLAB_VERBOSE", "1", 1);
}

int msg_verbose(void)
{
	return verbose;
}

/* Append s, trusted (no escaping): the program's name, "hint: ", errno text. */
static void add(const char *s)
{
	size_t n = strlen(s);

	if (len + n < sizeof(out)) {
		memcpy(out + len, s, n);
		len += n;
	} else {
		len = sizeof(out);
	}
}

/* Append fmt formatted, escaped: what the user typed or /proc held. */
static void vadd(const char *fmt, va_list ap)
{
	int n = vsnprintf(raw, sizeof(raw), fmt, ap);
	size_t need;

	if (n < 0 || len >= sizeof(out))
		return;
	need = esc_text(raw, (size_t)n < sizeof(raw) ? (size_t)n : sizeof(raw) - 1,
			out + len, sizeof(out) - len);
	len = (size_t)n >= sizeof(raw) || len + need >= sizeof(out) ? sizeof(out) : len + need;
}

static void begin(void)
{
	len = 0;
	add(msg_prog);
	add(": ");
}

/* The line as built, cut to "..." when it outgrew out; errno preserved. */
static void emit(void)
{
	int saved = errno;
	size_t off = 0;

	if (len >= sizeof(out)) {
		len = sizeof(out) - 5;
		memcpy(out + len, "...\n", 4);
		len += 4;
	}
	while (off < len) {
		ssize_t n = write(STDERR_FILENO, out + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* stderr is gone: nobody is left to tell */
		off += (size_t)n;
	}
	errno = saved;
}

static void line(const char *prefix, const char *fmt, va_list ap, const char *tail)
{
	begin();
	add(prefix);
	vadd(fmt, ap);
	if (tail) {
		add(": ");
		add(tail);
	}
	add("\n");
	emit();
}

void msg_narrate(const char *shell, int result, const char *fmt, ...)
{
	int saved = errno;
	char r[64];
	va_list ap;

	if (!verbose)
		return;
	begin();
	va_start(ap, fmt);
	vadd(fmt, ap);
	va_end(ap);
	if (result == -1)
		snprintf(r, sizeof(r), " = -1 (");
	else
		snprintf(r, sizeof(r), " = %d\n", result);
	add(r);
	if (result == -1) {
		add(strerror(saved));
		add(")\n");
	}
	if (shell && shell_lines) {
		add(msg_prog);
		add(":   $ ");
		/* A byte no shell word can hold on one line shows as \xHH here too. */
		if (len < sizeof(out))
			len += esc_text(shell, strlen(shell), out + len, sizeof(out) - len);
		add("\n");
	}
	emit();
	errno = saved;
}

void msg_narrate_shell(int on)
{
	shell_lines = on;
}

void msg_note(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	line("", fmt, ap, NULL);
	va_end(ap);
}

void msg_err(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	line("", fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void msg_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line("", fmt, ap, NULL);
	va_end(ap);
}

void msg_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line("hint: ", fmt, ap, NULL);
	va_end(ap);
}

void msg_hints(const struct diag_hints *h)
{
	for (int i = 0; i < h->n; i++)
		msg_hint("%s", h->line[i]);
}

/* The error line, what the kernel said (if anything), then the hints. */
static void vfail(enum diag_op op, int nsflags, const char *said,
		  const char *fmt, va_list ap)
{
	int saved = errno;
	struct diag_hints h;

	line("", fmt, ap, strerror(saved));
	if (said)
		msg_say("kernel says: %s", said);
	diag_explain(op, nsflags, saved, &h);
	msg_hints(&h);
	errno = saved;
}

void msg_fail(enum diag_op op, int nsflags, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(op, nsflags, NULL, fmt, ap);
	va_end(ap);
}

void msg_fail_said(enum diag_op op, int nsflags, const char *said,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(op, nsflags, said, fmt, ap);
	va_end(ap);
}

/*
 * The long options `name` (given up to its "=") abbreviates, as a list
 * "--uid, --uid-map" in buf; how many there are, 0 when none or when one
 * is exact.  getopt_long returns the same '?' for an ambiguous prefix as
 * for an unknown option, and glibc and musl differ in what else they set,
 * so the option table is matched here, the same on both.
 */
static int ambiguous(const struct option *longopts, const char *name, size_t n,
		     char *buf, size_t buflen)
{
	size_t off = 0;
	int found = 0;

	buf[0] = '\0';
	for (const struct option *o = longopts; o && o->name; o++) {
		if (strncmp(o->name, name, n) != 0)
			continue;
		if (strlen(o->name) == n)
			return 0;
		found++;
		if (off < buflen)
			off += (size_t)snprintf(buf + off, buflen - off, "%s--%s",
						off ? ", " : "", o->name);
	}
	return found > 1 ? found : 0;
}

void msg_getopt(int c, char *const argv[], const struct option *longopts)
{
	/*
	 * getopt_long has moved optind past the faulty word, unless it is in
	 * the middle of a bundle such as "-zk", whose word is argv[optind].
	 */
	int argc = 0, ind = optind;
	const char *cur, *word;
	unsigned char ch = (unsigned char)optopt;
	char opt[64], list[512];

	/* musl leaves optind one past argc when the last word lacks its argument. */
	while (argv[argc])
		argc++;
	if (ind > argc)
		ind = argc;
	cur = argv[ind];
	word = ind > 0 ? argv[ind - 1] : "?";

	if (optopt > 0 && optopt < 128 && cur && cur[0] == '-' && cur[1] &&
	    cur[1] != '-' && strchr(cur + 1, optopt))
		word = cur;
	/* A long option is named as typed (without "=value"); optopt then
	 * holds its code, which is no character at all. */
	if (strncmp(word, "--", 2) == 0)
		snprintf(opt, sizeof(opt), "%.*s", (int)strcspn(word, "="), word);
	/* One byte of a multibyte character ("-é") is no text: say it in hex. */
	else if (ch < 0x20 || ch >= 0x7f)
		snprintf(opt, sizeof(opt), "-\\x%02x", ch);
	else
		snprintf(opt, sizeof(opt), "-%c", ch);
	if (c == ':')
		msg_say("option '%s' needs an argument (see '%s --help')", opt, msg_prog);
	else if (strncmp(word, "--", 2) == 0 &&
		 ambiguous(longopts, word + 2, strcspn(word + 2, "="), list, sizeof(list)))
		msg_say("option '%s' is ambiguous: it may be %s (see '%s --help')",
			opt, list, msg_prog);
	else if (strncmp(word, "--", 2) == 0 && strchr(word, '=') && optopt)
		msg_say("option '%s' takes no argument (see '%s --help')", opt, msg_prog);
	else
		msg_say("unknown option '%s' (see '%s --help')", opt, msg_prog);
}

void msg_version(void)
{
	printf("%s (nslab) %s\n", msg_prog, NSLAB_VERSION);
}

int msg_flush_stdout(const char *what)
{
	/*
	 * A write that failed while the text was printed (it outgrew the
	 * buffer) leaves the stream's error flag and its errno, the last
	 * thing done; musl's fflush then fails without setting errno again.
	 * Otherwise fflush makes the write and reports it.
	 */
	if (!ferror(stdout)) {
		errno = 0;
		if (fflush(stdout) == 0 && !ferror(stdout))
			return 0;
	}
	if (!errno)
		errno = EIO;
	msg_err("write %s", what);
	return -1;
}
