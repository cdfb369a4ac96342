/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lib/idmap: any bytes as a single entry and as a
 * whole map.  Whatever parses must validate, format, and parse back to the
 * same map (a round trip), and must never break the kernel's rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct idmap m, again;
	struct idmap_entry e;
	enum idmap_why why;
	char *s, buf[8192];
	int line, len;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (idmap_parse_entry(s, &e, &why) == 0 &&
	    (e.count == 0 || (uint64_t)e.inside + e.count > UINT32_MAX))
		abort();

	if (idmap_parse_text(s, &m, &why, &line) == 0) {
		if (m.n < 1 || m.n > IDMAP_MAX_LINES)
			abort();
		len = idmap_format(&m, buf, sizeof(buf));
		if (len <= 0 || len >= 4096)
			abort();
		if (idmap_parse_text(buf, &again, &why, &line) != 0 || again.n != m.n ||
		    memcmp(again.e, m.e, sizeof(m.e[0]) * (size_t)m.n) != 0)
			abort();
		for (int i = 0; i < m.n; i++)
			if (!idmap_lookup(&m, m.e[i].inside, NULL))
				abort();
	}
	free(s);
	return 0;
}
