/* SPDX-License-Identifier: MIT */
/*
 * A unit-test harness small enough to read at a glance: CHECK prints
 * "PASS name" or "FAIL name (file:line)" and tests/run.sh counts the lines.
 * unit_done() prints the total and is the exit status.
 */
#ifndef NSLAB_UNIT_H
#define NSLAB_UNIT_H

#include <stdio.h>

static int unit_pass, unit_fail;

#define CHECK(name, cond) do { \
	if (cond) { unit_pass++; printf("PASS %s\n", (name)); } \
	else { unit_fail++; printf("FAIL %s (%s:%d: %s)\n", (name), \
				   __FILE__, __LINE__, #cond); } \
} while (0)

static inline int unit_done(void)
{
	printf("%d passed, %d failed\n", unit_pass, unit_fail);
	return unit_fail != 0;
}

#endif
