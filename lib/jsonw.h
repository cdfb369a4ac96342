/* SPDX-License-Identifier: MIT */
/*
 * jsonw: a JSON writer onto a FILE* the caller passes (nsinfo -J).
 *
 * It keeps the commas: each value is written with its key (NULL inside an
 * array), and the writer puts the "," before every member but the first of
 * its object or array.  Strings go through esc_json (lib/escape), so bytes
 * from /proc always make valid JSON.  An array begun with jw_lines() puts
 * each element on a line of its own, as nsinfo -a -J does for a long
 * listing a reader greps.  A byte that is not valid UTF-8 is the one thing
 * JSON cannot carry (esc_json writes U+FFFD for it): the outermost object
 * then ends with "invalid_utf8_replaced": N, the number of such bytes, so
 * the output says it is not the bytes /proc held.  Write errors are the FILE's (ferror); the
 * writer itself never fails, prints elsewhere or exits.
 */
#ifndef NSLAB_JSONW_H
#define NSLAB_JSONW_H

#include <stdio.h>

/* Nesting deeper than this is flattened into the last level's commas. */
#define JW_DEPTH 96

struct jw {
	FILE *f;
	int depth;
	unsigned char first[JW_DEPTH];	/* the next member is the first */
	unsigned char array[JW_DEPTH];	/* "]" closes it, not "}" */
	unsigned char lines[JW_DEPTH];	/* a jw_lines array */
	size_t replaced;		/* invalid UTF-8 bytes written as U+FFFD */
};

void jw_init(struct jw *w, FILE *f);

/* Open an object or array as the value of key (NULL: an array element). */
void jw_object(struct jw *w, const char *key);
void jw_array(struct jw *w, const char *key);
/* An array whose elements each start a new line; its "]" too. */
void jw_lines(struct jw *w, const char *key);
/* Close the innermost object or array (the outermost: see above). */
void jw_end(struct jw *w);

/* Members: the value s (NULL writes null), v, or a boolean (v < 0: null). */
void jw_str(struct jw *w, const char *key, const char *s);
void jw_int(struct jw *w, const char *key, long long v);
void jw_uint(struct jw *w, const char *key, unsigned long long v);
void jw_bool(struct jw *w, const char *key, int v);
void jw_null(struct jw *w, const char *key);

#endif
