/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lib/netlink's input checks: any bytes as a CIDR
 * and as an interface name.  A CIDR that parses must print and parse back
 * to itself and agree with inet_pton; a name that passes must obey every
 * rule and build requests that carry it intact; a route that parses must
 * print and parse back to itself and build a request.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cidr(const char *s)
{
	struct nl_cidr c, again;
	unsigned char raw[16];
	char buf[64], addr[64];
	const char *slash;

	if (nl_cidr_parse(s, &c, NULL) < 0)
		return;
	if (c.family != AF_INET && c.family != AF_INET6)
		abort();
	if (c.prefix > (c.family == AF_INET ? 32u : 128u))
		abort();
	slash = strrchr(s, '/');
	if (!slash || (size_t)(slash - s) >= sizeof(addr))
		abort();
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (inet_pton(c.family, addr, raw) != 1 ||
	    memcmp(raw, c.addr, c.family == AF_INET ? 4 : 16) != 0)
		abort();
	nl_cidr_str(&c, buf, sizeof(buf));
	if (nl_cidr_parse(buf, &again, NULL) != 0 || memcmp(&c, &again, sizeof(c)) != 0)
		abort();
}

static void route(const char *s)
{
	struct nl_route r, again;
	struct nl_msg m;
	char buf[128];

	if (nl_route_parse(s, &r, NULL) < 0)
		return;
	if ((r.dst.family != AF_INET && r.dst.family != AF_INET6) || (!r.has_gw && !r.dev[0]))
		abort();
	/* Printed as ip(8) takes it, with dev= and via= spelt back as keys. */
	nl_route_str(&r, buf, sizeof(buf));
	{
		char spec[160], *p = spec, *w;

		snprintf(spec, sizeof(spec), "%s", buf);
		while ((w = strstr(p, " via ")) || (w = strstr(p, " dev "))) {
			w[0] = ',';
			w[4] = '=';
			p = w + 5;
		}
		if (nl_route_parse(spec, &again, NULL) != 0 || memcmp(&r, &again, sizeof(r)) != 0)
			abort();
	}
	if (nl_msg_route(&m, &r, 1) <= 0 || m.u.hdr.nlmsg_len != m.len)
		abort();
}

static void name(const char *s)
{
	struct nl_msg m;
	size_t n = strlen(s);

	if (nl_ifname_valid(s, NULL) < 0) {
		if (nl_msg_link_up(&m, s) != -1)
			abort();
		return;
	}
	if (n == 0 || n > 15 || strpbrk(s, "/:% \t\n\v\f\r") ||
	    strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || (unsigned char)s[i] == 0xa0)
			abort();
	if (nl_msg_link_up(&m, s) <= 0 || nl_msg_veth(&m, s, "peer0") <= 0 ||
	    m.len > sizeof(m.u.buf) || m.u.hdr.nlmsg_len != m.len ||
	    !memmem(m.u.buf, m.len, s, n + 1))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	cidr(s);
	route(s);
	name(s);
	free(s);
	return 0;
}
