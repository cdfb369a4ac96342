/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/caps: names both ways, the names of a mask, and the
 * ownership rule of user_namespaces(7) on chains built by hand: the same
 * user namespace (the effective set decides), an ancestor (its effective
 * set counts below it), the owner's euid in the parent (every capability),
 * a process below or beside the owner (none), and a chain cut short.
 */
#include <string.h>

#include "caps.h"
#include "unit.h"

/* host (1) <- a (2, owner 1000) <- b (3, owner 0 of a... seen as 100000). */
static struct caps_chain chain(int n, int complete)
{
	struct caps_chain c = { { 0 }, { 0 }, { 0 }, 0, complete };
	static const uint64_t ns[] = { 3, 2, 1 };
	static const uid_t owner[] = { 100000, 1000, 0 };

	for (int i = 0; i < n; i++) {
		c.ns[i] = ns[3 - n + i];
		c.owner[i] = owner[3 - n + i];
		c.owner_known[i] = 1;
	}
	c.n = (size_t)n;
	return c;
}

#define ALL (~0ull >> 23)
#define NET_ADMIN (1ull << 12)

int main(void)
{
	char buf[256];
	struct caps_chain c3 = chain(3, 1), c2 = chain(2, 1), c1 = chain(1, 1);
	struct caps_verdict v;

	CHECK("name 21", strcmp(caps_name(21), "CAP_SYS_ADMIN") == 0);
	CHECK("name 40", strcmp(caps_name(40), "CAP_CHECKPOINT_RESTORE") == 0);
	CHECK("name past the table", caps_name(41) == NULL && caps_name(-1) == NULL);
	CHECK("parse CAP_NET_ADMIN", caps_parse("CAP_NET_ADMIN") == 12);
	CHECK("parse lower case, no prefix", caps_parse("sys_admin") == 21 && caps_parse("cap_chown") == 0);
	CHECK("parse a number", caps_parse("21") == 21);
	CHECK("parse refuses", caps_parse("CAP_") < 0 && caps_parse("") < 0 && caps_parse("64") < 0 &&
	      caps_parse("CAP_SYS_ADMINX") < 0 && caps_parse(" 21") < 0 && caps_parse("-1") < 0);
	CHECK("names", caps_names(1ull << 0 | 1ull << 21 | 1ull << 41, ",", buf, sizeof(buf)) == 30 &&
	      strcmp(buf, "CAP_CHOWN,CAP_SYS_ADMIN,CAP_41") == 0);
	CHECK("names: none", caps_names(0, ",", buf, sizeof(buf)) == 0 && buf[0] == '\0');
	CHECK("names: short buffer counts all", caps_names(3, " ", buf, 5) == 26 && strcmp(buf, "CAP_") == 0);
	CHECK("caps_last within the table or beyond", caps_last() >= 36);

	/* The target's own user namespace: the effective set decides. */
	v = caps_over(&c3, 3, 0, NET_ADMIN, 12);
	CHECK("same ns, in the set", v.yes == 1 && v.why == CAPS_SAME_NS && v.at == 0);
	v = caps_over(&c3, 3, 0, 0, 12);
	CHECK("same ns, not in the set", v.yes == 0 && v.why == CAPS_SAME_NS);
	/* TenForward: root of b (self 3) over the host's netns (owner 1): b is below. */
	v = caps_over(&c1, 3, 0, ALL, 12);
	CHECK("below the owner: no, whatever the set", v.yes == 0 && v.why == CAPS_NOT_ANCESTOR);
	/* The host's root (self 1) over b's namespaces: an ancestor with the capability. */
	v = caps_over(&c3, 1, 0, NET_ADMIN, 12);
	CHECK("ancestor with it", v.yes == 1 && v.why == CAPS_ANCESTOR && v.at == 2);
	/* uid 1000 on the host (self 1, no capabilities) owns a: everything in a, and below. */
	v = caps_over(&c2, 1, 1000, 0, 12);
	CHECK("owner's euid in the parent", v.yes == 1 && v.why == CAPS_OWNER && v.at == 0);
	v = caps_over(&c3, 1, 1000, 0, 12);
	CHECK("owner of an ancestor below self", v.yes == 1 && v.why == CAPS_OWNER && v.at == 1);
	v = caps_over(&c3, 1, 1001, 0, 12);
	CHECK("another uid of the parent, no capability", v.yes == 0 && v.why == CAPS_ANCESTOR);
	/* The owner check is only one level below self: a's root does not own b by uid 1000. */
	v = caps_over(&c3, 2, 1000, 0, 12);
	CHECK("owner uid matters only in the parent", v.yes == 0 && v.why == CAPS_ANCESTOR && v.at == 1);
	v = caps_over(&c3, 2, 100000, 0, 12);
	CHECK("owner of the child, from the parent", v.yes == 1 && v.why == CAPS_OWNER && v.at == 0);
	/* Beside: a user namespace not on the chain. */
	v = caps_over(&c3, 9, 0, ALL, 12);
	CHECK("beside: no", v.yes == 0 && v.why == CAPS_NOT_ANCESTOR);
	/* A chain the reader could not follow to the top: cannot tell. */
	c2.complete = 0;
	c2.n = 1;
	v = caps_over(&c2, 1, 0, ALL, 12);
	CHECK("chain cut short: cannot tell", v.yes == -1 && v.why == CAPS_UNKNOWN);
	c3.owner_known[0] = 0;
	v = caps_over(&c3, 2, 100000, 0, 12);
	CHECK("owner unknown: no owner rule", v.yes == 0 && v.why == CAPS_ANCESTOR);
	return unit_done();
}
