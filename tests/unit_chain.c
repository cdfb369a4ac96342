/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/chain's shell quoting: every narrated "$ ..." line must
 * be one valid shell command however odd a path, so each word is either
 * plain or single-quoted with '\'' for a quote; a buffer too small gives a
 * placeholder, never a truncated (unbalanced) word.
 */
#include <string.h>

#include "chain.h"
#include "unit.h"

static int quotes(const char *s, const char *want)
{
	char buf[CHAIN_SHQUOTE_LEN(64)];

	return strcmp(chain_shquote(s, buf, sizeof(buf)), want) == 0;
}

int main(void)
{
	char small[8];
	const char *plain = "/proc/42/ns/net";

	CHECK("plain word as it is", quotes(plain, plain));
	CHECK("plain word is not copied", chain_shquote(plain, small, sizeof(small)) == plain);
	CHECK("empty is ''", quotes("", "''"));
	CHECK("space", quotes("/tmp/a b/net", "'/tmp/a b/net'"));
	CHECK("quote", quotes("it's", "'it'\\''s'"));
	CHECK("only a quote", quotes("'", "''\\'''"));
	CHECK("dollar and backquote", quotes("$HOME`x`", "'$HOME`x`'"));
	CHECK("glob and tilde", quotes("~/*", "'~/*'"));
	CHECK("newline", quotes("a\nb", "'a\nb'"));
	CHECK("backslash", quotes("a\\b", "'a\\b'"));
	CHECK("too small a buffer", strcmp(chain_shquote("a b c d e", small, sizeof(small)), "'...'") == 0);
	CHECK("the worst case fits CHAIN_SHQUOTE_LEN", quotes("''''", "''\\'''\\'''\\'''\\'''"));
	return unit_done();
}
