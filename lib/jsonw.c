/* SPDX-License-Identifier: MIT */
/* jsonw: a JSON writer onto a FILE*; see jsonw.h. */
#include <string.h>

#include "escape.h"
#include "jsonw.h"

void jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->first[0] = 1;
}

static int level(const struct jw *w)
{
	return w->depth < JW_DEPTH ? w->depth : JW_DEPTH - 1;
}

/* The comma, the line break of a jw_lines array, and "key":. */
static void member(struct jw *w, const char *key)
{
	int d = level(w);

	if (!w->first[d])
		putc(',', w->f);
	w->first[d] = 0;
	if (w->lines[d])
		putc('\n', w->f);
	if (key) {
		esc_fput_json(w->f, key);
		putc(':', w->f);
	}
}

static void begin(struct jw *w, const char *key, int array, int lines)
{
	int d;

	member(w, key);
	putc(array ? '[' : '{', w->f);
	w->depth++;
	d = level(w);
	w->first[d] = 1;
	w->array[d] = (unsigned char)array;
	w->lines[d] = (unsigned char)lines;
}

void jw_object(struct jw *w, const char *key)
{
	begin(w, key, 0, 0);
}

void jw_array(struct jw *w, const char *key)
{
	begin(w, key, 1, 0);
}

void jw_lines(struct jw *w, const char *key)
{
	begin(w, key, 1, 1);
}

void jw_end(struct jw *w)
{
	int d = level(w);

	/* The outermost object says what esc_json could not keep. */
	if (w->depth == 1 && !w->array[d] && w->replaced) {
		member(w, "invalid_utf8_replaced");
		fprintf(w->f, "%zu", w->replaced);
	}

	if (w->lines[d])
		putc('\n', w->f);
	putc(w->array[d] ? ']' : '}', w->f);
	if (w->depth > 0)
		w->depth--;
}

void jw_str(struct jw *w, const char *key, const char *s)
{
	member(w, key);
	if (s)
		w->replaced += esc_utf8_invalid(s, strlen(s));
	if (s)
		esc_fput_json(w->f, s);
	else
		fputs("null", w->f);
}

void jw_int(struct jw *w, const char *key, long long v)
{
	member(w, key);
	fprintf(w->f, "%lld", v);
}

void jw_uint(struct jw *w, const char *key, unsigned long long v)
{
	member(w, key);
	fprintf(w->f, "%llu", v);
}

void jw_bool(struct jw *w, const char *key, int v)
{
	member(w, key);
	fputs(v < 0 ? "null" : v ? "true" : "false", w->f);
}

void jw_null(struct jw *w, const char *key)
{
	member(w, key);
	fputs("null", w->f);
}
