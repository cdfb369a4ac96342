/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lib/escape: any bytes as a command line.  The output
 * must have the length promised, no byte a terminal or a JSON parser would
 * act on (a control byte, a quote not escaped), only valid UTF-8, and the
 * same prefix when the buffer is short.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void valid_utf8(const char *s, size_t n)
{
	for (size_t i = 0, l; i < n; i += l)
		if ((l = esc_utf8_seq((const unsigned char *)s + i, n - i)) == 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t need, cut;
	char *out, *part;

	need = esc_json(s, size, NULL, 0);
	if (need < 2 || !(out = malloc(need + 1)))
		return 0;
	if (esc_json(s, size, out, need + 1) != need || strlen(out) != need ||
	    out[0] != '"' || out[need - 1] != '"')
		abort();
	for (size_t i = 1; i + 1 < need; i++) {
		if ((unsigned char)out[i] < 0x20)
			abort();
		if (out[i] == '\\')
			i++;	/* the escaped byte */
		else if (out[i] == '"')
			abort();
	}
	valid_utf8(out, need);
	cut = size % (need + 1);
	if ((part = malloc(cut + 1)) != NULL) {
		if (esc_json(s, size, part, cut + 1) != need || strncmp(part, out, cut) != 0 ||
		    strlen(part) != cut)
			abort();
		free(part);
	}
	free(out);

	need = esc_text(s, size, NULL, 0);
	if (!(out = malloc(need + 1)))
		return 0;
	if (esc_text(s, size, out, need + 1) != need || strlen(out) != need)
		abort();
	for (size_t i = 0; i < need; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			abort();
	valid_utf8(out, need);
	free(out);
	return 0;
}
