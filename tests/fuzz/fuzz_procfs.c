/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lib/procfs: any bytes as a /proc/PID/stat, an ns
 * link, a status file, a cmdline and a number.  The parsers must never read
 * past the length they are given (the input is not NUL-terminated here, so
 * ASan catches it), and what they accept must hold what they promise.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *v;
	struct pf_nslink l;
	struct pf_stat st;
	char out[256], *z;
	size_t vlen, n;
	uint64_t u;
	pid_t p;

	if (pf_parse_stat(s, size, &st) == 0 &&
	    (st.pid < 0 || st.ppid < 0 || strlen(st.comm) >= sizeof(st.comm)))
		abort();

	if (pf_parse_nslink(s, size, &l) == 0) {
		size_t tl = strlen(l.type);

		if (tl == 0 || tl >= sizeof(l.type) || size < tl + 4 || s[tl] != ':')
			abort();
	}

	if (pf_parse_u64(s, size, &u) == 0) {
		for (size_t i = 0; i < size; i++)
			if (s[i] < '0' || s[i] > '9')
				abort();
	}

	if (pf_status_field(s, size, "CapEff", &v, &vlen) == 0 &&
	    (v < s || v + vlen > s + size))
		abort();
	(void)pf_status_caps(s, size, "CapEff", &u);

	n = pf_cmdline(s, size, out, sizeof(out));
	if (n >= sizeof(out) || out[n] != '\0' || memchr(out, '\0', n))
		abort();

	/* pf_parse_pid wants a C string: give it one. */
	z = malloc(size + 1);
	if (!z)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';
	if (pf_parse_pid(z, &p) == 0 && p <= 0)
		abort();
	free(z);
	return 0;
}
