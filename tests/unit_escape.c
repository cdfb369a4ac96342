/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/escape: UTF-8 boundaries (overlong, surrogates, beyond
 * U+10FFFF, truncated), JSON and text escaping of hostile command names,
 * NUL bytes inside the input, and the snprintf contract on short buffers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "unit.h"

static int json_is(const char *s, size_t n, const char *want)
{
	char out[256];
	size_t len = esc_json(s, n, out, sizeof(out));

	return len == strlen(want) && strcmp(out, want) == 0;
}

static int text_is(const char *s, size_t n, const char *want)
{
	char out[256];
	size_t len = esc_text(s, n, out, sizeof(out));

	return len == strlen(want) && strcmp(out, want) == 0;
}

#define J(s, want) json_is(s, sizeof(s) - 1, want)
#define T(s, want) text_is(s, sizeof(s) - 1, want)

static size_t seq(const char *s)
{
	return esc_utf8_seq((const unsigned char *)s, strlen(s));
}

/* esc_fput_dot of s with max, and the length it says it wrote. */
static int dot_is(const char *s, size_t max, const char *want)
{
	char *buf = NULL;
	size_t len = 0, n;
	FILE *f = open_memstream(&buf, &len);
	int ok;

	if (!f)
		return 0;
	n = esc_fput_dot(f, s, max);
	fclose(f);
	ok = n == len && strcmp(buf, want) == 0 && esc_fput_dot(NULL, s, max) == n;
	if (!ok)
		fprintf(stderr, "dot: got '%s' (%zu), want '%s'\n", buf, n, want);
	free(buf);
	return ok;
}

/* esc_fput_json/text of s, written in pieces, equal esc_json/text of all of s. */
static int fput_same(const char *s, int json)
{
	static char whole[16384];
	char *buf = NULL;
	size_t len = 0, cols;
	size_t want = json ? esc_json(s, strlen(s), whole, sizeof(whole)) :
			     esc_text(s, strlen(s), whole, sizeof(whole));
	FILE *f = open_memstream(&buf, &len);
	int ok;

	if (!f)
		return 0;
	cols = json ? esc_fput_json(f, s) : esc_fput_text(f, s);
	fclose(f);
	ok = len == want && memcmp(buf, whole, len) == 0 &&
	     cols == (json ? esc_fput_json(NULL, s) : esc_fput_text(NULL, s));
	free(buf);
	return ok;
}

static int quotes(const char *s, const char *want)
{
	char buf[ESC_SHELL_LEN(64)];

	return strcmp(esc_shell(s, buf, sizeof(buf)), want) == 0;
}

int main(void)
{
	char mixed[3000];
	char small[5];

	CHECK("utf8 ascii", seq("a") == 1);
	CHECK("utf8 2 bytes", seq("\xc3\xa9") == 2);
	CHECK("utf8 3 bytes", seq("\xe2\x80\x93") == 3);
	CHECK("utf8 4 bytes", seq("\xf0\x9f\x98\x80") == 4);
	CHECK("utf8 overlong 2", seq("\xc0\xaf") == 0);
	CHECK("utf8 overlong 3", seq("\xe0\x80\xaf") == 0);
	CHECK("utf8 overlong 4", seq("\xf0\x80\x80\xaf") == 0);
	CHECK("utf8 surrogate", seq("\xed\xa0\x80") == 0);
	CHECK("utf8 beyond U+10FFFF", seq("\xf4\x90\x80\x80") == 0);
	CHECK("utf8 U+10FFFF", seq("\xf4\x8f\xbf\xbf") == 4);
	CHECK("utf8 truncated", esc_utf8_seq((const unsigned char *)"\xe2\x80", 2) == 0);
	CHECK("utf8 lone continuation", seq("\x80") == 0);
	CHECK("utf8 empty", esc_utf8_seq((const unsigned char *)"", 0) == 0);

	CHECK("json plain", J("sleep 600", "\"sleep 600\""));
	CHECK("json empty", J("", "\"\""));
	CHECK("json quotes and backslash", J("a\"b\\c", "\"a\\\"b\\\\c\""));
	CHECK("json newline tab cr", J("a\nb\tc\rd", "\"a\\nb\\tc\\rd\""));
	CHECK("json escape byte", J("\x1b[31m", "\"\\u001b[31m\""));
	CHECK("json NUL inside", J("a\0b", "\"a\\u0000b\""));
	CHECK("json utf8 kept", J("caf\xc3\xa9", "\"caf\xc3\xa9\""));
	CHECK("json invalid byte", J("a\xff" "b", "\"a\\ufffdb\""));
	CHECK("json truncated seq", J("\xe2\x80", "\"\\ufffd\\ufffd\""));
	CHECK("json DEL kept", J("\x7f", "\"\x7f\""));

	CHECK("text plain", T("sleep 600", "sleep 600"));
	CHECK("text escape byte", T("\x1b[2J", "\\x1b[2J"));
	CHECK("text newline", T("a\nb", "a\\x0ab"));
	CHECK("text DEL", T("\x7f", "\\x7f"));
	CHECK("text NUL inside", T("a\0b", "a\\x00b"));
	CHECK("text utf8 kept", T("caf\xc3\xa9", "caf\xc3\xa9"));
	CHECK("text invalid byte", T("\xc3(", "\\xc3("));
	CHECK("text backslash kept", T("a\\b", "a\\b"));

	/* C1 controls and bidi overrides are valid UTF-8 a terminal acts on. */
	CHECK("text C1 CSI", T("a\xc2\x9b" "31mb", "a\\xc2\\x9b31mb"));
	CHECK("text C1 first and last", T("\xc2\x80\xc2\x9f", "\\xc2\\x80\\xc2\\x9f"));
	CHECK("text U+00A0 kept", T("\xc2\xa0", "\xc2\xa0"));
	CHECK("text RLO U+202E", T("a\xe2\x80\xae" "b", "a\\xe2\\x80\\xaeb"));
	CHECK("text LRI U+2066, PDI U+2069", T("\xe2\x81\xa6\xe2\x81\xa9",
					       "\\xe2\\x81\\xa6\\xe2\\x81\\xa9"));
	CHECK("text ALM U+061C, RLM U+200F", T("\xd8\x9c\xe2\x80\x8f", "\\xd8\\x9c\\xe2\\x80\\x8f"));
	CHECK("text en dash U+2013 kept", T("\xe2\x80\x93", "\xe2\x80\x93"));
	CHECK("json C1 CSI as \\u009b", J("\xc2\x9b", "\"\\u009b\""));
	CHECK("json RLO as \\u202e", J("\xe2\x80\xae", "\"\\u202e\""));
	CHECK("invalid counted", esc_utf8_invalid("a\xff\xc2\x9b\xe2\x80", 6) == 3);
	CHECK("valid counts none", esc_utf8_invalid("caf\xc3\xa9", 5) == 0);

	CHECK("short buffer: full length returned", esc_json("abcdef", 6, small, sizeof(small)) == 8);
	CHECK("short buffer: truncated and terminated", strcmp(small, "\"abc") == 0);
	CHECK("short text buffer", esc_text("\x01\x02", 2, small, sizeof(small)) == 8 &&
	      strcmp(small, "\\x01") == 0);
	CHECK("zero-length buffer: only counts", esc_json("ab", 2, NULL, 0) == 4);
	CHECK("one-byte buffer: empty string", esc_text("ab", 2, small, 1) == 2 && small[0] == '\0');

	/* Pieces of 60 bytes: a 3-byte sequence, an escape, a bad byte on every boundary. */
	for (size_t i = 0; i + 1 < sizeof(mixed); i++)
		mixed[i] = "ab\xe2\x80\x93\x1b\"\xff\xc3\xa9\n"[i % 11];
	mixed[sizeof(mixed) - 1] = '\0';
	CHECK("fput: the whole string", strlen(mixed) == sizeof(mixed) - 1);
	CHECK("fput json: pieces as one", fput_same(mixed, 1));
	CHECK("fput text: pieces as one", fput_same(mixed, 0));
	CHECK("fput json: empty", fput_same("", 1));
	CHECK("fput text: columns are code points", esc_fput_text(NULL, "caf\xc3\xa9\x01") == 8);
	CHECK("dot: quote, backslash, escape byte", dot_is("x\"y\\z\x1b", 255, "x\\\"y\\\\z\\\\x1b"));
	CHECK("dot: C1 and U+202E", dot_is("\xc2\x9b\xe2\x80\xae", 255, "\\\\xc2\\\\x9b\\\\xe2\\\\x80\\\\xae"));
	CHECK("dot: fits exactly", dot_is("abcdef", 6, "abcdef"));
	CHECK("dot: too long ends ...", dot_is("abcdefg", 6, "abc..."));
	CHECK("dot: never half a character", dot_is("ab\xc3\xa9\xc3\xa9xyz", 7, "ab\xc3\xa9..."));
	CHECK("dot: never half a quote", dot_is("ab\"cdefg", 6, "ab..."));
	{
		char tiny[8];
		const char *plain = "/proc/42/ns/net";

		/* esc_shell: each narrated "$ ..." line is one valid shell command
		 * however odd a path; a buffer too small gives a placeholder, never an
		 * unbalanced word. */
		CHECK("shell: plain word as it is", quotes(plain, plain));
		CHECK("shell: plain word is not copied", esc_shell(plain, tiny, sizeof(tiny)) == plain);
		CHECK("shell: empty is ''", quotes("", "''"));
		CHECK("shell: space", quotes("/tmp/a b/net", "'/tmp/a b/net'"));
		CHECK("shell: quote", quotes("it's", "'it'\\''s'"));
		CHECK("shell: only a quote", quotes("'", "''\\'''"));
		CHECK("shell: dollar and backquote", quotes("$HOME`x`", "'$HOME`x`'"));
		CHECK("shell: glob and tilde", quotes("~/*", "'~/*'"));
		CHECK("shell: newline", quotes("a\nb", "'a\nb'"));
		CHECK("shell: backslash", quotes("a\\b", "'a\\b'"));
		CHECK("shell: too small a buffer", strcmp(esc_shell("a b c d e", tiny, sizeof(tiny)), "'...'") == 0);
		CHECK("shell: the worst case fits ESC_SHELL_LEN", quotes("''''", "''\\'''\\'''\\'''\\'''"));
	}
	return unit_done();
}
