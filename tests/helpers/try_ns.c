/* SPDX-License-Identifier: MIT */
/*
 * try_ns CALL [ARG]: make one namespace system call the raw way, so a test
 * sees what a seccomp filter answers it, whatever the C library would do:
 *   try_ns unshare FLAGS    unshare(FLAGS)
 *   try_ns clone FLAGS      clone(FLAGS|SIGCHLD), the child exits at once
 *   try_ns clone3 FLAGS     clone3({ .flags = FLAGS, .exit_signal = SIGCHLD })
 *   try_ns setns PATH       setns(open(PATH), 0)
 * FLAGS is a number (0x40000000 for CLONE_NEWNET).  Prints "ok" or the
 * errno's name (EPERM, ENOSYS, ...) and exits 0 or 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef __NR_clone3
#define __NR_clone3 435
#endif

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static const char *ename(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	case EACCES: return "EACCES";
	case ENOSPC: return "ENOSPC";
	default: return strerror(e);
	}
}

int main(int argc, char *argv[])
{
	long rc;
	unsigned long flags;

	if (argc != 3) {
		fprintf(stderr, "usage: try_ns unshare|clone|clone3 FLAGS | setns PATH\n");
		return 2;
	}
	flags = strtoul(argv[2], NULL, 0);
	if (strcmp(argv[1], "unshare") == 0) {
		rc = syscall(SYS_unshare, flags);
	} else if (strcmp(argv[1], "setns") == 0) {
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			perror(argv[2]);
			return 2;
		}
		rc = syscall(SYS_setns, fd, 0);
	} else if (strcmp(argv[1], "clone") == 0 || strcmp(argv[1], "clone3") == 0) {
		struct clone_args_v0 ca = { .flags = flags, .exit_signal = SIGCHLD };

		/* No new stack: the child runs on a copy of ours, as fork's does. */
		if (argv[1][5] == '3')
			rc = syscall(__NR_clone3, &ca, sizeof(ca));
		else
			rc = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
		if (rc == 0)
			_exit(0);
		if (rc > 0)
			waitpid((pid_t)rc, NULL, 0);
	} else {
		fprintf(stderr, "try_ns: unknown call '%s'\n", argv[1]);
		return 2;
	}
	puts(rc < 0 ? ename(errno) : "ok");
	return rc < 0;
}
