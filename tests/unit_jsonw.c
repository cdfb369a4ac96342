/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/jsonw: commas between members and none after the last,
 * nested objects and arrays, jw_lines' line breaks, null and booleans,
 * hostile strings through esc_json, and a string longer than its buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "unit.h"

static char *buf;
static size_t len;

static struct jw *start(void)
{
	static struct jw w;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		exit(99);
	jw_init(&w, f);
	return &w;
}

static int done_is(struct jw *w, const char *want)
{
	int ok;

	fclose(w->f);
	ok = strcmp(buf, want) == 0;
	if (!ok)
		fprintf(stderr, "got:  %s\nwant: %s\n", buf, want);
	free(buf);
	return ok;
}

int main(void)
{
	struct jw *w;
	char *big;

	w = start();
	jw_object(w, NULL);
	jw_end(w);
	CHECK("empty object", done_is(w, "{}"));

	w = start();
	jw_object(w, NULL);
	jw_int(w, "pid", -1);
	jw_uint(w, "ns", 4026531836ULL);
	jw_str(w, "command", "a\"b\n\x1b");
	jw_str(w, "user", NULL);
	jw_bool(w, "initial", 1);
	jw_bool(w, "same", -1);
	jw_null(w, "owner");
	jw_end(w);
	CHECK("members and commas",
	      done_is(w, "{\"pid\":-1,\"ns\":4026531836,\"command\":\"a\\\"b\\n\\u001b\","
			 "\"user\":null,\"initial\":true,\"same\":null,\"owner\":null}"));

	w = start();
	jw_object(w, NULL);
	jw_array(w, "a");
	jw_object(w, NULL);
	jw_array(w, "kids");
	jw_end(w);
	jw_end(w);
	jw_str(w, NULL, "x");
	jw_bool(w, NULL, 0);
	jw_end(w);
	jw_array(w, "empty");
	jw_end(w);
	jw_end(w);
	CHECK("nesting", done_is(w, "{\"a\":[{\"kids\":[]},\"x\",false],\"empty\":[]}"));

	w = start();
	jw_object(w, NULL);
	jw_lines(w, "rows");
	jw_uint(w, NULL, 1);
	jw_uint(w, NULL, 2);
	jw_end(w);
	jw_lines(w, "none");
	jw_end(w);
	jw_end(w);
	CHECK("lines", done_is(w, "{\"rows\":[\n1,\n2\n],\"none\":[\n]}"));

	big = malloc(5001);
	memset(big, 'a', 5000);
	big[5000] = '\0';
	w = start();
	jw_str(w, NULL, big);
	fclose(w->f);
	CHECK("long string", len == 5002 && buf[0] == '"' && buf[5001] == '"' &&
	      strspn(buf + 1, "a") == 5000);
	free(buf);
	free(big);
	w = start();
	jw_object(w, NULL);
	jw_str(w, "cmd", "a\xff" "b\xc2");
	jw_object(w, "inner");
	jw_str(w, "c", "\xfe");
	jw_end(w);
	jw_end(w);
	CHECK("invalid UTF-8 counted at the end of the outermost object",
	      done_is(w, "{\"cmd\":\"a\\ufffdb\\ufffd\",\"inner\":{\"c\":\"\\ufffd\"},\"invalid_utf8_replaced\":3}"));
	w = start();
	jw_object(w, NULL);
	jw_str(w, "cmd", "\xc2\x9b\xe2\x80\xae");
	jw_end(w);
	CHECK("C1 and U+202E are not lossy", done_is(w, "{\"cmd\":\"\\u009b\\u202e\"}"));
	return unit_done();
}
