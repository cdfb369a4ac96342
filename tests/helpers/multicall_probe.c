/* SPDX-License-Identifier: MIT */
/*
 * multicall_probe: a program of two tools built as bin/'s chain tools are
 * (lib/multicall), for test_multicall, linked under the two names:
 *
 *   probe_set [-x] COMMAND...   catch SIGUSR1, ignore SIGUSR2, open one
 *                               descriptor close-on-exec and one not, then
 *                               step_exec(COMMAND) as a chain tool does
 *   probe_show [-y WORD] [COMMAND...]   print what it started with: comm,
 *                               SIGUSR1 and SIGUSR2, descriptors, -y's WORD;
 *                               then step_exec(COMMAND) if there is one
 *
 * Run as `probe_set probe_show -y w`, probe_show starts in the same process
 * (or after a real exec with NSLAB_EXEC=always): the two must print the same.
 */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "multicall.h"
#include "step.h"

static void on_usr1(int sig)
{
	(void)sig;
}

static int probe_set(int argc, char *argv[])
{
	struct sigaction sa;

	msg_init(argv[0]);
	while (getopt(argc, argv, "+x") != -1)
		;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGUSR2, SIG_IGN);
	/* 20 and 21, away from what the test's shell holds. */
	if (dup3(open("/dev/null", O_RDONLY | O_CLOEXEC), 20, O_CLOEXEC) != 20 ||
	    dup2(open("/dev/null", O_RDONLY | O_CLOEXEC), 21) != 21)
		return 125;
	return step_exec(argv + optind);
}

static int probe_show(int argc, char *argv[])
{
	char comm[32] = "";
	const char *word = "-";
	FILE *f;
	int c;

	msg_init(argv[0]);
	while ((c = getopt(argc, argv, "+y:")) != -1)
		if (c == 'y')
			word = optarg;
		else
			return 125;
	if ((f = fopen("/proc/self/comm", "re"))) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	printf("comm %s\ny %s\n", comm, word);
	/*
	 * The two signals probe_set set, not SigCgt whole: a sanitizer's
	 * runtime catches SIGSEGV and others at start-up (after an exec).
	 */
	for (int sig = SIGUSR1; sig; sig = sig == SIGUSR1 ? SIGUSR2 : 0) {
		struct sigaction sa;

		sigaction(sig, NULL, &sa);
		printf("%s %s\n", sig == SIGUSR1 ? "SIGUSR1" : "SIGUSR2",
		       sa.sa_handler == SIG_DFL ? "default" : sa.sa_handler == SIG_IGN ? "ignored" : "caught");
	}
	/* 20 and 21 only: the rest is the test's shell's and the libc's. */
	for (int fd = 20; fd <= 21; fd++)
		printf("fd %d %s\n", fd, fcntl(fd, F_GETFD) < 0 ? "closed" : "open");
	fflush(stdout);
	return argv[optind] ? step_exec(argv + optind) : 0;
}

int main(int argc, char *argv[]);

int main(int argc, char *argv[])
{
	static const struct multicall_tool tools[] = {
		{ "probe_set", probe_set },
		{ "probe_show", probe_show },
	};

	return multicall_main(argc, argv, tools, 2);
}
