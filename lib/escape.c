/* SPDX-License-Identifier: MIT */
/* escape: JSON strings and terminal-safe text; see escape.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

size_t esc_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c;
	size_t len;
	uint32_t cp;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and beyond U+10FFFF are not UTF-8. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static uint32_t cp2_3(const unsigned char *p, size_t len)
{
	if (len == 2)
		return (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	return (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
}

/*
 * Valid UTF-8 a terminal still acts on: the C1 controls U+0080-U+009F
 * (U+009B is CSI, as ESC [ is, in terminals that take 8-bit controls) and
 * the bidirectional formatting characters, which reorder what follows them
 * on the line (U+202E, "Trojan Source", CVE-2021-42574): U+061C, U+200E,
 * U+200F, U+202A-U+202E, U+2066-U+2069; and U+2028, U+2029, which break it.
 */
static int unsafe_cp(const unsigned char *p, size_t len)
{
	uint32_t cp;

	if (len != 2 && len != 3)
		return 0;
	cp = cp2_3(p, len);
	return cp <= 0x9f || cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

size_t esc_utf8_invalid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t bad = 0;

	for (size_t i = 0, len; i < n; i += len)
		if ((len = esc_utf8_seq(p + i, n - i)) == 0) {
			bad++;
			len = 1;
		}
	return bad;
}

/* Output with snprintf's contract: count everything, store what fits. */
struct sink {
	char *out;
	size_t cap, len;
};

static void put(struct sink *k, const char *s, size_t n)
{
	if (k->len < k->cap) {
		size_t room = k->cap - k->len;

		memcpy(k->out + k->len, s, n < room ? n : room);
	}
	k->len += n;
}

static size_t done(struct sink *k, size_t outlen)
{
	if (outlen)
		k->out[k->len < outlen ? k->len : outlen - 1] = '\0';
	return k->len;
}

static const char hex[] = "0123456789abcdef";

size_t esc_json(const char *s, size_t n, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	struct sink k = { out, outlen ? outlen - 1 : 0, 0 };

	put(&k, "\"", 1);
	while (n > 0) {
		size_t len = 1;
		char u[6] = { '\\', 'u', '0', '0', 0, 0 };

		switch (*p) {
		case '"':  put(&k, "\\\"", 2); break;
		case '\\': put(&k, "\\\\", 2); break;
		case '\n': put(&k, "\\n", 2); break;
		case '\t': put(&k, "\\t", 2); break;
		case '\r': put(&k, "\\r", 2); break;
		default:
			if (*p < 0x20) {
				u[4] = hex[*p >> 4];
				u[5] = hex[*p & 15];
				put(&k, u, 6);
			} else if ((len = esc_utf8_seq(p, n)) == 0) {
				put(&k, "\\ufffd", 6);
				len = 1;
			} else if (unsafe_cp(p, len)) {
				/* The same character, \u-escaped: a terminal showing the JSON is safe. */
				uint32_t cp = cp2_3(p, len);
				char w[6] = { '\\', 'u', hex[cp >> 12], hex[cp >> 8 & 15], hex[cp >> 4 & 15],
					      hex[cp & 15] };

				put(&k, w, 6);
			} else {
				put(&k, (const char *)p, len);
			}
		}
		p += len;
		n -= len;
	}
	put(&k, "\"", 1);
	return done(&k, outlen);
}

size_t esc_text(const char *s, size_t n, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	struct sink k = { out, outlen ? outlen - 1 : 0, 0 };

	while (n > 0) {
		size_t len;

		if (*p < 0x20 || *p == 0x7f || (len = esc_utf8_seq(p, n)) == 0) {
			char x[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };

			put(&k, x, 4);
			len = 1;
		} else if (unsafe_cp(p, len)) {
			/* Each byte, as util-linux's mbs_safe_encode shows what is not printable. */
			for (size_t i = 0; i < len; i++) {
				char x[4] = { '\\', 'x', hex[p[i] >> 4], hex[p[i] & 15] };

				put(&k, x, 4);
			}
		} else {
			put(&k, (const char *)p, len);
		}
		p += len;
		n -= len;
	}
	return done(&k, outlen);
}

/* Input bytes per piece: at most 6 bytes out for each ("\\u001b"). */
#define PIECE 64

static size_t fput(FILE *f, const char *s, int json)
{
	char buf[PIECE * 6 + 8];
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, cols = 0;

	if (json && f)
		putc('"', f);
	while (i < n) {
		size_t j = i, len, out, q = json ? 1 : 0;

		/* A piece ends where esc_json and esc_text would step anyway. */
		while (j < n && j - i < PIECE - 4) {
			len = esc_utf8_seq(p + j, n - j);
			j += len ? len : 1;
		}
		out = json ? esc_json(s + i, j - i, buf, sizeof(buf)) :
			     esc_text(s + i, j - i, buf, sizeof(buf));
		if (f)
			fwrite(buf + q, 1, out - 2 * q, f);
		for (size_t k = q; k < out - q; k++)
			cols += ((unsigned char)buf[k] & 0xc0) != 0x80;
		i = j;
	}
	if (json && f)
		putc('"', f);
	return cols + (json ? 2 : 0);
}

/*
 * esc_text of s with a backslash before '"' and '\', written while it fits
 * in limit bytes; the bytes it took.  *all says whether all of s did.
 */
static size_t dot_put(FILE *f, const char *s, size_t limit, int *all)
{
	char buf[PIECE * 4 + 8];
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, done_n = 0;

	*all = 0;
	while (i < n) {
		size_t j = i, len, out;

		while (j < n && j - i < PIECE - 4) {
			len = esc_utf8_seq(p + j, n - j);
			j += len ? len : 1;
		}
		out = esc_text(s + i, j - i, buf, sizeof(buf));
		/* esc_text's output is valid UTF-8: step a character at a time. */
		for (size_t k = 0; k < out; k += len) {
			int quote = buf[k] == '"' || buf[k] == '\\';

			len = esc_utf8_seq((const unsigned char *)buf + k, out - k);
			if (done_n + len + quote > limit)
				return done_n;
			if (f && quote)
				putc('\\', f);
			if (f)
				fwrite(buf + k, 1, len, f);
			done_n += len + quote;
		}
		i = j;
	}
	*all = 1;
	return done_n;
}

size_t esc_fput_dot(FILE *f, const char *s, size_t max)
{
	int all;
	size_t n = dot_put(NULL, s, (size_t)-1, &all);

	if (n <= max)
		return dot_put(f, s, n, &all);
	n = dot_put(f, s, max > 3 ? max - 3 : 0, &all);
	if (f)
		fputs("...", f);
	return n + 3;
}

size_t esc_fput_json(FILE *f, const char *s)
{
	return fput(f, s, 1);
}

size_t esc_fput_text(FILE *f, const char *s)
{
	return fput(f, s, 0);
}

const char *esc_shell(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	/* The bytes no shell treats specially, in a word of its own. */
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789/._-+,:=@%") == strlen(s))
		return s;
	if (ESC_SHELL_LEN(strlen(s)) > len)
		return "'...'";
	buf[o++] = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(buf + o, "'\\''", 4);
			o += 4;
		} else {
			buf[o++] = *s;
		}
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return buf;
}
