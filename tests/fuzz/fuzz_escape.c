/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lib/escape: any bytes as a command line.  The output
 * must have the length promised, no byte a terminal or a JSON parser would
 * act on (a control byte, a quote not escaped), only valid UTF-8, and the
 * same prefix when the buffer is short.  esc_fput_json/text, which write in
 * pieces, must write what one esc_json/esc_text call makes.
 */
#include <stdint.h>
#include <stdio.h>
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

/* Up to the first NUL, as esc_fput_* read it: pieces write what one call does. */
static int same_in_pieces(const char *s, size_t size)
{
	size_t n = strnlen(s, size), len = 0, need;
	char *str = strndup(s, n), *whole, *buf = NULL;
	FILE *f;

	for (int json = 0; str && json < 2; json++) {
		need = json ? esc_json(str, n, NULL, 0) : esc_text(str, n, NULL, 0);
		if (!(whole = malloc(need + 1)))
			break;
		json ? esc_json(str, n, whole, need + 1) : esc_text(str, n, whole, need + 1);
		if ((f = open_memstream(&buf, &len)) != NULL) {
			json ? esc_fput_json(f, str) : esc_fput_text(f, str);
			fclose(f);
			if (len != need || memcmp(buf, whole, need) != 0)
				abort();
			free(buf);
			buf = NULL;
		}
		free(whole);
	}
	free(str);
	return 0;
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
	return same_in_pieces(s, size);
}
