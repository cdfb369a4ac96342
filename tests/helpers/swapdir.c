/* SPDX-License-Identifier: MIT */
/*
 * swapdir A B COUNT: exchange the directory entries A and B, COUNT times,
 * each one atomic (renameat2 RENAME_EXCHANGE), as fast as it can: the
 * attacker of test_nsmount's race tests, swapping a parent directory of a
 * path nsmount works on for a symbolic link that leads elsewhere.  COUNT
 * is made even, so A and B end as they began.  Exit 0, or 1 with the error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int main(int argc, char *argv[])
{
	char *end;
	unsigned long count;

	if (argc != 4) {
		fprintf(stderr, "usage: swapdir A B COUNT\n");
		return 2;
	}
	errno = 0;
	count = strtoul(argv[3], &end, 10);
	if (errno || *end || end == argv[3] || count > 100000000) {
		fprintf(stderr, "swapdir: COUNT '%s': expected a number\n", argv[3]);
		return 2;
	}
	count += count % 2;
	for (unsigned long i = 0; i < count; i++)
		if (syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) < 0) {
			fprintf(stderr, "swapdir: exchange %s %s: %s\n", argv[1], argv[2], strerror(errno));
			return 1;
		}
	return 0;
}
