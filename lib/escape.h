/* SPDX-License-Identifier: MIT */
/*
 * escape: bytes from /proc (a command line, a user name) made safe to show.
 *
 * Pure functions: they read n bytes of s (NUL bytes included, no terminator
 * needed) and write into out, snprintf-style: at most outlen-1 bytes and a
 * NUL, and they return the length the whole result needs, so a caller whose
 * buffer was short can allocate that plus one and call again.  They never
 * print, allocate or fail.  Used by nsinfo, its unit test and its fuzz target.
 */
#ifndef NSLAB_ESCAPE_H
#define NSLAB_ESCAPE_H

#include <stddef.h>

/* The length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
size_t esc_utf8_seq(const unsigned char *s, size_t n);

/*
 * A JSON string, quotes included.  A command line is bytes, not text: a byte
 * that is not part of valid UTF-8 becomes U+FFFD, so the output always parses.
 */
size_t esc_json(const char *s, size_t n, char *out, size_t outlen);

/*
 * Text for a terminal: control bytes, DEL and invalid UTF-8 as \xHH, the way
 * lsns(8) shows them, so a command name cannot move the cursor or recolour
 * the screen.
 */
size_t esc_text(const char *s, size_t n, char *out, size_t outlen);

#endif
