/* SPDX-License-Identifier: MIT */
/*
 * escape: bytes from /proc (a command line, a user name) made safe to show.
 *
 * Pure functions: they read n bytes of s (NUL bytes included, no terminator
 * needed) and write into out, snprintf-style: at most outlen-1 bytes and a
 * NUL, and they return the length the whole result needs, so a caller whose
 * buffer was short can allocate that plus one and call again.  They never
 * print, allocate or fail; the esc_fput ones write onto the FILE* their
 * caller passes.  Used by nsinfo, lib/jsonw, their unit tests and a fuzz
 * target.
 */
#ifndef NSLAB_ESCAPE_H
#define NSLAB_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* The length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
size_t esc_utf8_seq(const unsigned char *s, size_t n);

/* How many bytes of s are not part of valid UTF-8 (esc_json's U+FFFDs). */
size_t esc_utf8_invalid(const char *s, size_t n);

/*
 * A JSON string, quotes included.  A command line is bytes, not text: a byte
 * that is not part of valid UTF-8 becomes U+FFFD, so the output always parses
 * (the one lossy change).  C1 controls and bidi formatting characters are
 * written \u0080-style: the same string to a parser, safe on a terminal.
 */
size_t esc_json(const char *s, size_t n, char *out, size_t outlen);

/*
 * Text for a terminal: control bytes, DEL and invalid UTF-8 as \xHH, the way
 * lsns(8) shows them, so a command name cannot move the cursor or recolour
 * the screen; C1 controls (U+0080-U+009F) and bidi formatting characters
 * (U+202E...) as the \xHH of each of their bytes, so it cannot reorder the
 * line either.
 */
size_t esc_text(const char *s, size_t n, char *out, size_t outlen);

/*
 * Write the NUL-terminated s onto f as esc_json (quotes included) or
 * esc_text make it, in pieces that never split a UTF-8 sequence, so a
 * string of any length needs no more than a few hundred bytes of stack
 * and no allocation.  The columns written: code points, which is what the
 * escaped text is.  Write errors are f's (ferror).  With f NULL, only the
 * columns are counted.
 */
size_t esc_fput_json(FILE *f, const char *s);
size_t esc_fput_text(FILE *f, const char *s);

/*
 * Text inside a dot(1) quoted string (nsinfo --dot): esc_text's, with a
 * backslash before '"' and before a backslash, so an escape byte reaches the
 * picture as the four characters \x1b.  A label longer than max bytes ends
 * "..." within max: the start says enough.  The bytes written (or, with f
 * NULL, counted).
 */
size_t esc_fput_dot(FILE *f, const char *s, size_t max);

/*
 * s as one word of a shell line that works when typed (narration's
 * "$ ..." lines): as it is when every byte is safe unquoted, else in
 * single quotes ('\'' for a quote).  Returns s or buf; "'...'" when buf
 * is too small (ESC_SHELL_LEN(strlen(s)) bytes always suffice).
 */
const char *esc_shell(const char *s, char *buf, size_t len);
#define ESC_SHELL_LEN(n) (4 * (n) + 3)

#endif
