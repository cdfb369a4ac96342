/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lib/mountinfo: any bytes as the text of a mountinfo
 * file.  What parses has every field, no escape left in a path, and a
 * parent walk that ends for every mount, whatever loops the input has.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mountinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mi_table t;
	char *s;
	int line;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (mi_parse(s, &t, &line) == 0) {
		for (size_t i = 0; i < t.n; i++) {
			const struct mi_entry *e = &t.e[i];

			if (!e->root || !e->target || !e->options || !e->optional ||
			    !e->fstype || !e->source || !e->super || !*e->target ||
			    !*e->options || !*e->fstype || e->id < 0 || e->parent < 0)
				abort();
			if (strchr(e->options, ' ') || strchr(e->fstype, ' ') ||
			    strchr(e->super, ' '))
				abort();
			(void)mi_below(&t, i, e->id);
			(void)mi_below(&t, i, -1);
			(void)mi_has_option(e->options, "ro");
		}
		mi_free(&t);
	} else if (t.n != 0 || t.e != NULL) {
		abort();
	}
	free(s);
	return 0;
}
