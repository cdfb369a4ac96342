/* SPDX-License-Identifier: MIT */
/*
 * chain: the program name, -v narration that flows down a chain through
 * NSLAB_VERBOSE, and the final exec.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"
#include "diag.h"

/* config.mk defines it; builds of lib alone (tests/fuzz/run.sh) may not. */
#ifndef NSLAB_VERSION
#define NSLAB_VERSION "unknown"
#endif

const char *chain_prog = "nslab";
static int verbose;
static int shell_lines = 1;

void chain_init(const char *prog)
{
	/*
	 * stderr is unbuffered, and glibc then formats each fprintf through
	 * an 8 KiB buffer on the stack: half of what a tool may use under a
	 * 16 KiB stack limit (nslab(7)).  Line-buffered through a static
	 * buffer, each message still leaves whole at its newline.
	 */
	static char errbuf[BUFSIZ];
	const char *v = getenv("NSLAB_VERBOSE");
	const char *slash = strrchr(prog, '/');

	setvbuf(stderr, errbuf, _IOLBF, sizeof(errbuf));

	chain_prog = slash ? slash + 1 : prog;
	verbose = v && *v && strcmp(v, "0") != 0;
}

void chain_set_verbose(void)
{
	verbose = 1;
	/* The next tool in the chain reads this in its chain_init(). */
	setenv("NSLAB_VERBOSE", "1", 1);
}

int chain_verbose(void)
{
	return verbose;
}

void chain_narrate(const char *shell, int result, const char *fmt, ...)
{
	int saved = errno;
	/* Static: a tool may run at a small stack limit (test_failclosed). */
	static char line[16384];	/* a narrated mount names two paths of PATH_MAX */
	size_t n;
	va_list ap;

	if (!verbose)
		return;
	/*
	 * One write(2) per narration: a keeper and its child narrate at the
	 * same time, and pieces written one by one would interleave.
	 */
	n = (size_t)snprintf(line, sizeof(line), "%s: ", chain_prog);
	va_start(ap, fmt);
	if (n < sizeof(line))
		n += (size_t)vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n < sizeof(line)) {
		if (result == -1)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " = -1 (%s)\n", strerror(saved));
		else
			n += (size_t)snprintf(line + n, sizeof(line) - n, " = %d\n", result);
	}
	if (shell && shell_lines && n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s:   $ %s\n", chain_prog, shell);
	if (n >= sizeof(line))
		memcpy(line + sizeof(line) - 5, "...\n", 5);
	fputs(line, stderr);
	errno = saved;
}

void chain_narrate_shell(int on)
{
	shell_lines = on;
}

const char *chain_shquote(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	/* The bytes no shell treats specially, in a word of its own. */
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789/._-+,:=@%") == strlen(s))
		return s;
	if (CHAIN_SHQUOTE_LEN(strlen(s)) > len)
		return "'...'";
	buf[o++] = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(buf + o, "'\\''", 4);
			o += 4;
		} else {
			buf[o++] = *s;
		}
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return buf;
}

int chain_unshare(int flags, const char *shell)
{
	char names[128];
	int rc = unshare(flags);

	diag_nsflags_str(flags, names, sizeof(names));
	chain_narrate(shell, rc, "unshare(%s)", names);
	if (rc < 0)
		diag_fail(DIAG_UNSHARE, flags, "unshare(%s)", names);
	return rc;
}

int chain_output_done(void)
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
	diag_err("write stdout");
	return CHAIN_EXIT_FAIL;
}

int chain_basic_options(int argc, char *argv[], void (*usage)(FILE *))
{
	static const struct option longopts[] = {
		{ "help",    no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hvV", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			chain_set_verbose();
			break;
		case 'h':
			usage(stdout);
			return chain_output_done();
		case 'V':
			/* The tool's own output, as its --help is. */
			printf("%s (nslab) %s\n", chain_prog, NSLAB_VERSION);
			return chain_output_done();
		default:
			diag_getopt(c, argv, longopts);
			return CHAIN_EXIT_FAIL;
		}
	}
	return -1;
}

/*
 * The file execvp(cmd) found: cmd itself when it names a path, else the
 * first regular, executable file along $PATH (musl's default when unset),
 * where musl's execvp stopped.  NULL when there is none.
 */
static const char *find_in_path(const char *cmd, char *buf, size_t size)
{
	const char *path = getenv("PATH");
	struct stat st;

	if (strchr(cmd, '/'))
		return cmd;
	if (!path)
		path = "/usr/local/bin:/bin:/usr/bin";
	for (const char *p = path, *end;; p = end + 1) {
		size_t n;
		int len;

		end = strchr(p, ':');
		n = end ? (size_t)(end - p) : strlen(p);
		/* An empty entry is the current directory, as execvp reads it. */
		len = snprintf(buf, size, "%.*s%s%s", (int)n, p, n ? "/" : "", cmd);
		if (len > 0 && (size_t)len < size && stat(buf, &st) == 0 &&
		    S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return buf;
		if (!end)
			return NULL;
	}
}

/*
 * POSIX execvp, and glibc's, run an executable file the kernel refuses as
 * a program (ENOEXEC: a script without "#!") with /bin/sh; musl's returns
 * ENOEXEC.  Do what glibc does: /bin/sh FILE ARG...
 */
static void exec_script(char *const argv[])
{
	static char buf[PATH_MAX];	/* static: tools run under a 16 KiB stack */
	const char *file = find_in_path(argv[0], buf, sizeof buf);
	char **sh;
	size_t n = 0;

	if (!file) {
		errno = ENOEXEC;
		return;
	}
	while (argv[n])
		n++;
	if (!(sh = malloc((n + 2) * sizeof *sh))) {
		errno = ENOEXEC;
		return;
	}
	sh[0] = "/bin/sh";
	sh[1] = (char *)file;
	memcpy(sh + 2, argv + 1, n * sizeof *sh);	/* argv[1..n-1] and NULL */
	if (verbose) {
		fprintf(stderr, "%s: %s: not a program (no #!): execv(\"/bin/sh\", \"%s\", ...)\n",
			chain_prog, file, file);
		fflush(stderr);
	}
	execv(sh[0], sh);
	free(sh);
}

int chain_exec(char *const argv[], const char **cmd)
{
	char *sh[2] = { NULL, NULL };

	if (!argv[0]) {
		const char *s = getenv("SHELL");

		sh[0] = (char *)(s && *s ? s : "/bin/sh");
		argv = sh;
	}
	*cmd = argv[0];
	if (verbose) {
		fprintf(stderr, "%s: execvp(\"%s\", ...)\n", chain_prog, argv[0]);
		fflush(stderr);
	}
	execvp(argv[0], argv);
	if (errno == ENOEXEC)
		exec_script(argv);
	/*
	 * env(1)'s convention, 127 when there is no such command and 126
	 * otherwise, except that ENOTDIR (a path through a file) is 127 too:
	 * it names no command either.  usernsselfmap(1) documents this.
	 */
	return errno == ENOENT || errno == ENOTDIR ? CHAIN_EXIT_NOTFOUND
						   : CHAIN_EXIT_NOEXEC;
}

int chain_run(char *const argv[])
{
	const char *cmd;
	int rc = chain_exec(argv, &cmd);

	diag_err("exec %s", cmd);
	return rc;
}
