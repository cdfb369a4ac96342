/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/netlink: interface names and CIDRs at their
 * boundaries, the bytes of each request, and the reply parser on crafted
 * datagrams (acks, errors with extended ack text, malformed lengths).
 * The last few ask the kernel read-only questions (the index of lo).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "netlink.h"
#include "unit.h"

static int name_ok(const char *s)
{
	const char *why = "unset";

	return nl_ifname_valid(s, &why) == 0 && why == NULL;
}

static int name_bad(const char *s)
{
	const char *why = NULL;

	errno = 0;
	return nl_ifname_valid(s, &why) == -1 && errno == EINVAL && why && *why;
}

static int cidr_ok(const char *s, int family, const char *addr, unsigned prefix)
{
	struct nl_cidr c;
	unsigned char want[16];
	char back[64];

	if (nl_cidr_parse(s, &c, NULL) < 0 || c.family != family || c.prefix != prefix)
		return 0;
	if (inet_pton(family, addr, want) != 1 ||
	    memcmp(want, c.addr, family == AF_INET ? 4 : 16) != 0)
		return 0;
	/* Printed back, it parses to the same thing. */
	{
		struct nl_cidr again;

		nl_cidr_str(&c, back, sizeof(back));
		return nl_cidr_parse(back, &again, NULL) == 0 &&
		       memcmp(&again, &c, sizeof(c)) == 0;
	}
}

static int cidr_bad(const char *s)
{
	struct nl_cidr c;
	const char *why = NULL;

	errno = 0;
	return nl_cidr_parse(s, &c, &why) == -1 && errno == EINVAL && why && *why;
}

/* Find attribute `type` in [p, p+len): its payload and length, or NULL. */
static const unsigned char *attr(const unsigned char *p, size_t len, int type, size_t *alen)
{
	size_t off = 0;

	while (off + sizeof(struct rtattr) <= len) {
		struct rtattr a;

		memcpy(&a, p + off, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > len - off)
			return NULL;
		if ((a.rta_type & NLA_TYPE_MASK) == type) {
			*alen = a.rta_len - RTA_LENGTH(0);
			return p + off + RTA_LENGTH(0);
		}
		off += RTA_ALIGN(a.rta_len);
	}
	return NULL;
}

static int attr_str(const unsigned char *p, size_t len, int type, const char *want)
{
	size_t n;
	const unsigned char *v = attr(p, len, type, &n);

	return v && n == strlen(want) + 1 && memcmp(v, want, n) == 0;
}

static int attr_u32(const unsigned char *p, size_t len, int type, uint32_t want)
{
	size_t n;
	uint32_t got;
	const unsigned char *v = attr(p, len, type, &n);

	if (!v || n != 4)
		return 0;
	memcpy(&got, v, 4);
	return got == want;
}

/* The header, and the attributes after a fixed part of `fixed` bytes. */
static const unsigned char *attrs_of(const struct nl_msg *m, size_t fixed, size_t *len)
{
	*len = m->len - NLMSG_HDRLEN - NLMSG_ALIGN(fixed);
	return m->u.buf + NLMSG_HDRLEN + NLMSG_ALIGN(fixed);
}

static void test_names(void)
{
	CHECK("name: one byte", name_ok("a"));
	CHECK("name: veth0", name_ok("veth0"));
	CHECK("name: 15 bytes", name_ok("abcdefghijklmno"));
	CHECK("name: '...' is a name", name_ok("..."));
	CHECK("name: dash, dot, at", name_ok("br-lan.10@x"));
	CHECK("name: empty", name_bad(""));
	CHECK("name: 16 bytes", name_bad("abcdefghijklmnop"));
	CHECK("name: 100 bytes", name_bad("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	CHECK("name: %d template", name_bad("veth%d"));
	CHECK("name: lone %", name_bad("%"));
	CHECK("name: slash", name_bad("a/b"));
	CHECK("name: colon", name_bad("eth0:1"));
	CHECK("name: space", name_bad("a b"));
	CHECK("name: tab", name_bad("a\tb"));
	CHECK("name: newline", name_bad("a\n"));
	CHECK("name: control", name_bad("a\001"));
	CHECK("name: DEL", name_bad("a\177"));
	CHECK("name: no-break space (kernel isspace)", name_bad("a\240"));
	CHECK("name: .", name_bad("."));
	CHECK("name: ..", name_bad(".."));
	CHECK("name: why may be NULL", nl_ifname_valid("a/b", NULL) == -1);
}

static void test_cidrs(void)
{
	struct nl_cidr c;
	char buf[64];
	char longs[200];

	CHECK("cidr: 10.10.10.10/8", cidr_ok("10.10.10.10/8", AF_INET, "10.10.10.10", 8));
	CHECK("cidr: /0", cidr_ok("0.0.0.0/0", AF_INET, "0.0.0.0", 0));
	CHECK("cidr: /32", cidr_ok("255.255.255.255/32", AF_INET, "255.255.255.255", 32));
	CHECK("cidr: IPv6 /64", cidr_ok("fd00::1/64", AF_INET6, "fd00::1", 64));
	CHECK("cidr: IPv6 /128", cidr_ok("::1/128", AF_INET6, "::1", 128));
	CHECK("cidr: IPv6 /0", cidr_ok("::/0", AF_INET6, "::", 0));
	CHECK("cidr: IPv6 full", cidr_ok("2001:db8:0:0:0:0:0:1/48", AF_INET6, "2001:db8::1", 48));
	CHECK("cidr: v4-mapped", cidr_ok("::ffff:10.0.0.1/96", AF_INET6, "::ffff:10.0.0.1", 96));
	CHECK("cidr: 1.2.3/24 (inet_aton would take it)", cidr_bad("1.2.3/24"));
	CHECK("cidr: 1/8", cidr_bad("1/8"));
	CHECK("cidr: octal 010.0.0.1", cidr_bad("010.0.0.1/8"));
	CHECK("cidr: hex 0x0a.0.0.1", cidr_bad("0x0a.0.0.1/8"));
	CHECK("cidr: 256", cidr_bad("256.0.0.1/8"));
	CHECK("cidr: five parts", cidr_bad("1.2.3.4.5/8"));
	CHECK("cidr: /33", cidr_bad("1.2.3.4/33"));
	CHECK("cidr: /129", cidr_bad("::1/129"));
	CHECK("cidr: /1000", cidr_bad("::1/1000"));
	CHECK("cidr: /4294967320 (wraps in 32 bits)", cidr_bad("1.2.3.4/4294967320"));
	CHECK("cidr: no prefix", cidr_bad("10.0.0.1"));
	CHECK("cidr: empty prefix", cidr_bad("10.0.0.1/"));
	CHECK("cidr: no address", cidr_bad("/24"));
	CHECK("cidr: empty", cidr_bad(""));
	CHECK("cidr: leading zero prefix", cidr_bad("10.0.0.1/024"));
	CHECK("cidr: signed prefix", cidr_bad("10.0.0.1/+8"));
	CHECK("cidr: negative prefix", cidr_bad("10.0.0.1/-1"));
	CHECK("cidr: prefix with space", cidr_bad("10.0.0.1/ 8"));
	CHECK("cidr: trailing garbage", cidr_bad("10.0.0.1/24x"));
	CHECK("cidr: trailing newline", cidr_bad("10.0.0.1/24\n"));
	CHECK("cidr: space before /", cidr_bad("10.0.0.1 /24"));
	CHECK("cidr: leading space", cidr_bad(" 10.0.0.1/24"));
	CHECK("cidr: two slashes", cidr_bad("10.0.0.1/8/8"));
	CHECK("cidr: zone id", cidr_bad("fe80::1%eth0/64"));
	CHECK("cidr: garbage", cidr_bad("garbage"));
	CHECK("cidr: hostname", cidr_bad("localhost/8"));
	CHECK("cidr: triple colon", cidr_bad(":::1/64"));
	memset(longs, '1', sizeof(longs) - 4);
	memcpy(longs + sizeof(longs) - 4, "/8", 3);
	CHECK("cidr: very long address", cidr_bad(longs));
	CHECK("cidr: why may be NULL", nl_cidr_parse("x", &c, NULL) == -1);
	nl_cidr_parse("fd00:0::1/64", &c, NULL);
	CHECK("cidr: printed canonically", strcmp(nl_cidr_str(&c, buf, sizeof(buf)), "fd00::1/64") == 0);
}

static void test_requests(void)
{
	struct nl_msg m;
	struct ifinfomsg ifi;
	struct ifaddrmsg ifa;
	struct nl_cidr c;
	const unsigned char *a, *info, *data, *peer;
	size_t len, ilen, dlen, plen;
	int n;

	n = nl_msg_veth(&m, "veth0", "veth1");
	CHECK("veth: built", n > 0 && (size_t)n == m.len && m.u.hdr.nlmsg_len == m.len);
	CHECK("veth: RTM_NEWLINK", m.u.hdr.nlmsg_type == RTM_NEWLINK);
	CHECK("veth: REQUEST|ACK|CREATE|EXCL",
	      m.u.hdr.nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));
	a = attrs_of(&m, sizeof(ifi), &len);
	CHECK("veth: IFLA_IFNAME", attr_str(a, len, IFLA_IFNAME, "veth0"));
	info = attr(a, len, IFLA_LINKINFO, &ilen);
	CHECK("veth: IFLA_LINKINFO", info != NULL);
	CHECK("veth: kind veth", info && attr_str(info, ilen, IFLA_INFO_KIND, "veth"));
	data = info ? attr(info, ilen, IFLA_INFO_DATA, &dlen) : NULL;
	peer = data ? attr(data, dlen, VETH_INFO_PEER, &plen) : NULL;
	CHECK("veth: VETH_INFO_PEER", peer != NULL && plen > sizeof(ifi));
	CHECK("veth: peer name", peer && attr_str(peer + sizeof(ifi), plen - sizeof(ifi),
						  IFLA_IFNAME, "veth1"));
	CHECK("veth: nests end where the message ends",
	      info && info + ilen == m.u.buf + m.len && peer + plen == m.u.buf + m.len);
	errno = 0;
	CHECK("veth: bad name", nl_msg_veth(&m, "a%d", "b") == -1 && errno == EINVAL);
	CHECK("veth: bad peer", nl_msg_veth(&m, "a", "b/c") == -1 && errno == EINVAL);
	CHECK("veth: 16-byte peer", nl_msg_veth(&m, "a", "abcdefghijklmnop") == -1);

	n = nl_msg_link_up(&m, "lo");
	memcpy(&ifi, m.u.buf + NLMSG_HDRLEN, sizeof(ifi));
	a = attrs_of(&m, sizeof(ifi), &len);
	CHECK("up: built", n > 0 && m.u.hdr.nlmsg_type == RTM_NEWLINK);
	CHECK("up: REQUEST|ACK, no CREATE", m.u.hdr.nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK));
	CHECK("up: IFF_UP set and changed", ifi.ifi_flags == IFF_UP && ifi.ifi_change == IFF_UP);
	CHECK("up: by name, no index", ifi.ifi_index == 0 && attr_str(a, len, IFLA_IFNAME, "lo"));

	n = nl_msg_link_netns_fd(&m, "veth1", 7);
	memcpy(&ifi, m.u.buf + NLMSG_HDRLEN, sizeof(ifi));
	a = attrs_of(&m, sizeof(ifi), &len);
	CHECK("netns fd: IFLA_NET_NS_FD", n > 0 && attr_u32(a, len, IFLA_NET_NS_FD, 7));
	CHECK("netns fd: name", attr_str(a, len, IFLA_IFNAME, "veth1"));
	CHECK("netns fd: flags untouched", ifi.ifi_change == 0);
	CHECK("netns fd: -1 refused", nl_msg_link_netns_fd(&m, "veth1", -1) == -1);

	n = nl_msg_getlink(&m, "veth0");
	a = attrs_of(&m, sizeof(ifi), &len);
	CHECK("getlink: RTM_GETLINK by name", n > 0 && m.u.hdr.nlmsg_type == RTM_GETLINK &&
	      attr_str(a, len, IFLA_IFNAME, "veth0"));
	CHECK("getlink: REQUEST|ACK, no dump", m.u.hdr.nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK));

	n = nl_msg_link_del(&m, "veth0");
	a = attrs_of(&m, sizeof(ifi), &len);
	CHECK("del: RTM_DELLINK by name", n > 0 && m.u.hdr.nlmsg_type == RTM_DELLINK &&
	      attr_str(a, len, IFLA_IFNAME, "veth0"));
	CHECK("del: REQUEST|ACK only", m.u.hdr.nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK));
	CHECK("del: a bad name refused", nl_msg_link_del(&m, "a/b") == -1);

	nl_cidr_parse("10.10.10.10/8", &c, NULL);
	n = nl_msg_addr(&m, 3, &c);
	memcpy(&ifa, m.u.buf + NLMSG_HDRLEN, sizeof(ifa));
	a = attrs_of(&m, sizeof(ifa), &len);
	CHECK("addr: RTM_NEWADDR CREATE|EXCL", n > 0 && m.u.hdr.nlmsg_type == RTM_NEWADDR &&
	      m.u.hdr.nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));
	CHECK("addr: ifaddrmsg", ifa.ifa_family == AF_INET && ifa.ifa_prefixlen == 8 &&
	      ifa.ifa_index == 3 && ifa.ifa_flags == 0 && ifa.ifa_scope == RT_SCOPE_UNIVERSE);
	CHECK("addr: IFA_LOCAL", attr_u32(a, len, IFA_LOCAL, htonl(0x0a0a0a0a)));
	CHECK("addr: IFA_ADDRESS", attr_u32(a, len, IFA_ADDRESS, htonl(0x0a0a0a0a)));
	nl_cidr_parse("127.0.0.2/8", &c, NULL);
	nl_msg_addr(&m, 1, &c);
	memcpy(&ifa, m.u.buf + NLMSG_HDRLEN, sizeof(ifa));
	CHECK("addr: 127/8 has host scope", ifa.ifa_scope == RT_SCOPE_HOST);
	nl_cidr_parse("fd00::1/64", &c, NULL);
	n = nl_msg_addr(&m, 4, &c);
	memcpy(&ifa, m.u.buf + NLMSG_HDRLEN, sizeof(ifa));
	a = attrs_of(&m, sizeof(ifa), &len);
	{
		size_t alen;
		const unsigned char *v = attr(a, len, IFA_LOCAL, &alen);

		CHECK("addr6: 16 bytes", n > 0 && v && alen == 16 && memcmp(v, c.addr, 16) == 0);
	}
	CHECK("addr6: NODAD", ifa.ifa_family == AF_INET6 && ifa.ifa_flags == IFA_F_NODAD &&
	      ifa.ifa_prefixlen == 64);
	CHECK("addr: index 0 refused", nl_msg_addr(&m, 0, &c) == -1 && errno == EINVAL);
	c.prefix = 129;
	CHECK("addr: prefix 129 refused", nl_msg_addr(&m, 4, &c) == -1);
}

static int route_ok(const char *s, const char *printed)
{
	struct nl_route r;
	char buf[128];
	const char *why = "unset";

	return nl_route_parse(s, &r, &why) == 0 && why == NULL &&
	       strcmp(nl_route_str(&r, buf, sizeof(buf)), printed) == 0;
}

static int route_bad(const char *s)
{
	struct nl_route r;
	const char *why = NULL;

	errno = 0;
	return nl_route_parse(s, &r, &why) == -1 && errno == EINVAL && why && *why;
}

static void test_routes(void)
{
	struct nl_msg m;
	struct nl_route r;
	struct rtmsg rt;
	struct ifinfomsg ifi;
	const unsigned char *a, *info, *v;
	size_t len, ilen, vlen;
	int n;

	CHECK("route: default via", route_ok("default,via=10.1.0.1", "default via 10.1.0.1"));
	CHECK("route: default dev", route_ok("default,dev=tap0", "default dev tap0"));
	CHECK("route: IPv6 default via", route_ok("default,via=fd00::1", "::/0 via fd00::1"));
	CHECK("route: ::/0 via", route_ok("::/0,via=fd00::1", "::/0 via fd00::1"));
	CHECK("route: net via dev", route_ok("10.2.0.0/24,via=10.1.0.1,dev=veth0",
					     "10.2.0.0/24 via 10.1.0.1 dev veth0"));
	CHECK("route: keys in any order", route_ok("10.2.0.0/24,dev=veth0,via=10.1.0.1",
						   "10.2.0.0/24 via 10.1.0.1 dev veth0"));
	CHECK("route: a host /32", route_ok("10.9.9.9/32,dev=veth0", "10.9.9.9/32 dev veth0"));
	CHECK("route: IPv6 net", route_ok("fd00:2::/64,via=fd00:1::1", "fd00:2::/64 via fd00:1::1"));
	CHECK("route: no gateway, no dev", route_bad("10.2.0.0/24"));
	CHECK("route: default alone", route_bad("default"));
	CHECK("route: empty", route_bad(""));
	CHECK("route: empty destination", route_bad(",via=10.0.0.1"));
	CHECK("route: host bits", route_bad("10.2.0.1/24,dev=a"));
	CHECK("route: IPv6 host bits", route_bad("fd00::1/64,dev=a"));
	CHECK("route: families differ", route_bad("10.2.0.0/24,via=fd00::1"));
	CHECK("route: families differ (6 via 4)", route_bad("fd00::/64,via=10.0.0.1"));
	CHECK("route: via twice", route_bad("default,via=10.0.0.1,via=10.0.0.2"));
	CHECK("route: dev twice", route_bad("default,dev=a,dev=b"));
	CHECK("route: empty via", route_bad("default,via="));
	CHECK("route: empty dev", route_bad("default,dev="));
	CHECK("route: bad dev", route_bad("default,dev=a/b"));
	CHECK("route: long dev", route_bad("default,dev=abcdefghijklmnop"));
	CHECK("route: unknown key", route_bad("default,gw=10.0.0.1"));
	CHECK("route: trailing comma", route_bad("default,via=10.0.0.1,"));
	CHECK("route: via with prefix", route_bad("default,via=10.0.0.1/24"));
	CHECK("route: octal via", route_bad("default,via=010.0.0.1"));
	CHECK("route: no prefix", route_bad("10.2.0.0,dev=a"));
	CHECK("route: why may be NULL", nl_route_parse("x", &r, NULL) == -1);

	nl_route_parse("10.2.0.0/24,via=10.1.0.1,dev=veth0", &r, NULL);
	n = nl_msg_route(&m, &r, 5);
	memcpy(&rt, m.u.buf + NLMSG_HDRLEN, sizeof(rt));
	a = attrs_of(&m, sizeof(rt), &len);
	CHECK("route msg: RTM_NEWROUTE CREATE|EXCL", n > 0 && m.u.hdr.nlmsg_type == RTM_NEWROUTE &&
	      m.u.hdr.nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));
	CHECK("route msg: rtmsg", rt.rtm_family == AF_INET && rt.rtm_dst_len == 24 &&
	      rt.rtm_table == RT_TABLE_MAIN && rt.rtm_protocol == RTPROT_BOOT &&
	      rt.rtm_scope == RT_SCOPE_UNIVERSE && rt.rtm_type == RTN_UNICAST);
	CHECK("route msg: RTA_DST", attr_u32(a, len, RTA_DST, htonl(0x0a020000)));
	CHECK("route msg: RTA_GATEWAY", attr_u32(a, len, RTA_GATEWAY, htonl(0x0a010001)));
	CHECK("route msg: RTA_OIF", attr_u32(a, len, RTA_OIF, 5));
	nl_route_parse("default,dev=tap0", &r, NULL);
	n = nl_msg_route(&m, &r, 2);
	memcpy(&rt, m.u.buf + NLMSG_HDRLEN, sizeof(rt));
	a = attrs_of(&m, sizeof(rt), &len);
	CHECK("route msg: default has no RTA_DST", n > 0 && rt.rtm_dst_len == 0 &&
	      attr(a, len, RTA_DST, &vlen) == NULL && attr(a, len, RTA_GATEWAY, &vlen) == NULL);
	CHECK("route msg: no gateway, link scope", rt.rtm_scope == RT_SCOPE_LINK);
	CHECK("route msg: no gateway needs an index", nl_msg_route(&m, &r, 0) == -1 && errno == EINVAL);
	nl_route_parse("default,via=fd00::1", &r, NULL);
	n = nl_msg_route(&m, &r, 0);
	memcpy(&rt, m.u.buf + NLMSG_HDRLEN, sizeof(rt));
	a = attrs_of(&m, sizeof(rt), &len);
	v = attr(a, len, RTA_GATEWAY, &vlen);
	CHECK("route msg: IPv6 gateway, 16 bytes, no RTA_OIF", n > 0 && rt.rtm_family == AF_INET6 &&
	      v && vlen == 16 && memcmp(v, r.gw, 16) == 0 && attr(a, len, RTA_OIF, &vlen) == NULL);
	CHECK("route msg: a negative index refused", nl_msg_route(&m, &r, -1) == -1);

	n = nl_msg_bridge(&m, "br0");
	memcpy(&ifi, m.u.buf + NLMSG_HDRLEN, sizeof(ifi));
	a = attrs_of(&m, sizeof(ifi), &len);
	info = attr(a, len, IFLA_LINKINFO, &ilen);
	CHECK("bridge: RTM_NEWLINK CREATE|EXCL", n > 0 && m.u.hdr.nlmsg_type == RTM_NEWLINK &&
	      m.u.hdr.nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));
	CHECK("bridge: name, kind bridge", attr_str(a, len, IFLA_IFNAME, "br0") && info &&
	      attr_str(info, ilen, IFLA_INFO_KIND, "bridge"));
	CHECK("bridge: created up", ifi.ifi_flags == IFF_UP && ifi.ifi_change == IFF_UP);
	CHECK("bridge: bad name", nl_msg_bridge(&m, "br%d") == -1 && errno == EINVAL);

	n = nl_msg_link_master(&m, "veth0", 7);
	memcpy(&ifi, m.u.buf + NLMSG_HDRLEN, sizeof(ifi));
	a = attrs_of(&m, sizeof(ifi), &len);
	CHECK("master: IFLA_MASTER by name", n > 0 && m.u.hdr.nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK) &&
	      attr_str(a, len, IFLA_IFNAME, "veth0") && attr_u32(a, len, IFLA_MASTER, 7));
	CHECK("master: and up", ifi.ifi_flags == IFF_UP && ifi.ifi_change == IFF_UP);
	CHECK("master: index 0 refused", nl_msg_link_master(&m, "veth0", 0) == -1 && errno == EINVAL);
}

/* A datagram under construction, as the kernel would send it. */
struct dgram {
	size_t len;
	union { uint32_t align; unsigned char b[4096]; } u;
};

static void put_bytes(struct dgram *d, const void *p, size_t n)
{
	memcpy(d->u.b + d->len, p, n);
	d->len += n;
}

static void pad(struct dgram *d)
{
	while (d->len % 4)
		d->u.b[d->len++] = 0;
}

static void put_hdr(struct dgram *d, uint16_t type, uint16_t flags, uint32_t seq,
		    uint32_t len)
{
	struct nlmsghdr h = { .nlmsg_len = len, .nlmsg_type = type,
			      .nlmsg_flags = flags, .nlmsg_seq = seq };

	put_bytes(d, &h, sizeof(h));
}

static void put_tlv(struct dgram *d, uint16_t type, const void *p, size_t n)
{
	struct rtattr a = { .rta_len = (unsigned short)RTA_LENGTH(n), .rta_type = type };

	put_bytes(d, &a, sizeof(a));
	put_bytes(d, p, n);
	pad(d);
}

/*
 * An NLMSG_ERROR for seq: the request echoed (echo bytes of payload after
 * its header) unless capped, then an NLMSGERR_ATTR_MSG when msg is given.
 */
static void put_error(struct dgram *d, uint32_t seq, int error, size_t echo,
		      const char *msg)
{
	size_t start = d->len, lenpos;
	struct nlmsgerr e = { .error = error };
	uint16_t flags = echo ? 0 : NLM_F_CAPPED;
	uint32_t total;

	if (msg)
		flags |= NLM_F_ACK_TLVS;
	e.msg.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + echo);
	e.msg.nlmsg_type = RTM_NEWLINK;
	e.msg.nlmsg_seq = seq;
	lenpos = d->len;
	put_hdr(d, NLMSG_ERROR, flags, seq, 0);
	put_bytes(d, &e, sizeof(e));
	memset(d->u.b + d->len, 0x5a, echo);
	d->len += echo;
	pad(d);
	if (msg)
		put_tlv(d, NLMSGERR_ATTR_MSG, msg, strlen(msg) + 1);
	total = (uint32_t)(d->len - start);
	memcpy(d->u.b + lenpos, &total, sizeof(total));
}

static int parse(const struct dgram *d, uint32_t seq, struct nl_reply *r)
{
	memset(r, 0, sizeof(*r));
	errno = 0;
	return nl_parse_ack(d->u.b, d->len, seq, r);
}

static void test_replies(void)
{
	struct dgram d;
	struct nl_reply r;
	struct ifinfomsg ifi = { .ifi_index = 42 };
	unsigned char shifted[4097];
	char longmsg[400];
	uint32_t v;

	memset(&d, 0, sizeof(d));
	put_error(&d, 7, 0, 0, NULL);
	CHECK("ack: parsed", parse(&d, 7, &r) == 0 && r.done && r.error == 0);
	CHECK("ack: no text", r.ext_ack[0] == '\0');
	CHECK("ack: other seq is not ours", parse(&d, 8, &r) == 0 && !r.done);

	memset(&d, 0, sizeof(d));
	put_error(&d, 3, -EEXIST, 40, "ipv4: Address already assigned");
	CHECK("error: echoed request, then TLVs", parse(&d, 3, &r) == 0 && r.done &&
	      r.error == EEXIST && strcmp(r.ext_ack, "ipv4: Address already assigned") == 0);

	memset(&d, 0, sizeof(d));
	put_error(&d, 3, -EPERM, 0, "capped");
	CHECK("error: capped, then TLVs", parse(&d, 3, &r) == 0 && r.error == EPERM &&
	      strcmp(r.ext_ack, "capped") == 0);

	memset(&d, 0, sizeof(d));
	put_error(&d, 3, -EINVAL, 6, "odd echo");
	CHECK("error: unaligned echo, TLVs aligned after it",
	      parse(&d, 3, &r) == 0 && strcmp(r.ext_ack, "odd echo") == 0);

	memset(&d, 0, sizeof(d));
	put_error(&d, 3, -EINVAL, 0, "bad\033[31m\n");
	CHECK("error: control characters made harmless",
	      parse(&d, 3, &r) == 0 && strcmp(r.ext_ack, "bad?[31m?") == 0);

	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	memset(&d, 0, sizeof(d));
	put_error(&d, 3, -EINVAL, 0, longmsg);
	CHECK("error: long text cut to fit", parse(&d, 3, &r) == 0 &&
	      strlen(r.ext_ack) == NL_EXTACK_LEN - 1);

	/* A reply for someone else's seq, then ours, in one datagram. */
	memset(&d, 0, sizeof(d));
	put_error(&d, 2, -EPERM, 0, "stale");
	put_hdr(&d, RTM_NEWLINK, 0, 3, NLMSG_HDRLEN + sizeof(ifi));
	put_bytes(&d, &ifi, sizeof(ifi));
	put_error(&d, 3, 0, 0, NULL);
	CHECK("getlink: stale skipped, index, ack", parse(&d, 3, &r) == 0 && r.done &&
	      r.error == 0 && r.ifindex == 42 && r.ext_ack[0] == '\0');

	/* The same bytes one off alignment: the parser copies, never casts. */
	memcpy(shifted + 1, d.u.b, d.len);
	memset(&r, 0, sizeof(r));
	CHECK("getlink: unaligned buffer", nl_parse_ack(shifted + 1, d.len, 3, &r) == 0 &&
	      r.done && r.ifindex == 42);

	/* The reply and the ack may come in separate datagrams. */
	memset(&d, 0, sizeof(d));
	put_hdr(&d, RTM_NEWLINK, 0, 5, NLMSG_HDRLEN + sizeof(ifi));
	put_bytes(&d, &ifi, sizeof(ifi));
	CHECK("two datagrams: first not done", parse(&d, 5, &r) == 0 && !r.done && r.ifindex == 42);
	memset(&d, 0, sizeof(d));
	put_error(&d, 5, 0, 0, NULL);
	CHECK("two datagrams: second done", nl_parse_ack(d.u.b, d.len, 5, &r) == 0 && r.done &&
	      r.ifindex == 42);

	memset(&r, 0, sizeof(r));
	CHECK("empty datagram: nothing", nl_parse_ack(d.u.b, 0, 5, &r) == 0 && !r.done);

	/* Malformed: every length is checked. */
	memset(&d, 0, sizeof(d));
	put_error(&d, 3, 0, 0, NULL);
	d.len -= 1;
	CHECK("bad: message longer than datagram", parse(&d, 3, &r) == -1 && errno == EBADMSG);
	memset(&d, 0, sizeof(d));
	put_hdr(&d, NLMSG_ERROR, 0, 3, 8);
	CHECK("bad: nlmsg_len below header", parse(&d, 3, &r) == -1 && errno == EBADMSG);
	memset(&d, 0, sizeof(d));
	put_hdr(&d, NLMSG_ERROR, 0, 3, NLMSG_HDRLEN + 4);
	v = (uint32_t)-EPERM;
	put_bytes(&d, &v, 4);
	CHECK("bad: error message too short", parse(&d, 3, &r) == -1 && errno == EBADMSG);
	memset(&d, 0, sizeof(d));
	put_error(&d, 3, 1, 0, NULL);
	CHECK("bad: positive error", parse(&d, 3, &r) == -1 && errno == EBADMSG && !r.done);
	memset(&d, 0, sizeof(d));
	put_error(&d, 3, -5000, 0, NULL);
	CHECK("bad: error beyond MAX_ERRNO", parse(&d, 3, &r) == -1 && errno == EBADMSG);
	memset(&d, 0, sizeof(d));
	put_error(&d, 3, -EPERM, 0, "overrun");
	d.u.b[NLMSG_HDRLEN + sizeof(struct nlmsgerr)] = 0xff;	/* rta_len */
	CHECK("bad: TLV overruns", parse(&d, 3, &r) == -1 && errno == EBADMSG);
	memset(&d, 0, sizeof(d));
	put_error(&d, 3, -EPERM, 16, "x");
	v = 0xffffff00;	/* the echoed nlmsg_len, far beyond the message */
	memcpy(d.u.b + NLMSG_HDRLEN + 4, &v, 4);
	CHECK("bad: echoed length overruns", parse(&d, 3, &r) == -1 && errno == EBADMSG);
	memset(&d, 0, sizeof(d));
	put_hdr(&d, RTM_NEWLINK, 0, 3, NLMSG_HDRLEN + 4);
	put_bytes(&d, "abcd", 4);
	CHECK("bad: RTM_NEWLINK too short", parse(&d, 3, &r) == -1 && errno == EBADMSG);
	memset(&d, 0, sizeof(d));
	put_error(&d, 3, 0, 0, NULL);
	put_bytes(&d, "junk", 4);
	CHECK("bad: a fragment shorter than a header", parse(&d, 4, &r) == -1 && errno == EBADMSG);
	memset(&d, 0, sizeof(d));
	put_error(&d, 3, -EPERM, 0, "t");
	d.len--;
	memcpy(&v, d.u.b, 4);
	v--;
	memcpy(d.u.b, &v, 4);
	CHECK("ok: last message without its padding", parse(&d, 3, &r) == 0 && r.error == EPERM);
}

/* Questions the kernel answers without changing anything. */
static void test_kernel(void)
{
	struct nl_sock nl, spoof;
	struct sockaddr_nl me;
	socklen_t slen = sizeof(me);
	struct dgram d;
	int spoofed = 0;

	CHECK("open", nl_open(&nl) == 0);
	CHECK("open: close-on-exec", (fcntl(nl.fd, F_GETFD) & FD_CLOEXEC) != 0);
	CHECK("index of lo", nl_link_index(&nl, "lo") == 1);
	errno = 0;
	CHECK("index of a missing link: ENODEV",
	      nl_link_index(&nl, "nslab-none0") == -1 && errno == ENODEV);
	errno = 0;
	CHECK("a bad name never reaches the kernel",
	      nl_link_index(&nl, "a/b") == -1 && errno == EINVAL);

	/*
	 * A process (not the kernel) sends us a fake error with the next seq;
	 * it must be ignored.  Unicast between rtnetlink sockets needs
	 * CAP_NET_ADMIN, so only root can try.
	 */
	if (geteuid() == 0 && getsockname(nl.fd, (struct sockaddr *)&me, &slen) == 0 &&
	    nl_open(&spoof) == 0) {
		memset(&d, 0, sizeof(d));
		put_error(&d, nl.seq + 1, -EPERM, 0, "spoofed");
		spoofed = sendto(spoof.fd, d.u.b, d.len, 0, (struct sockaddr *)&me,
				 sizeof(me)) == (ssize_t)d.len;
		CHECK("spoof: sent", spoofed);
		CHECK("spoof: ignored, the kernel's answer counts",
		      nl_link_index(&nl, "lo") == 1 && nl_ext_ack(&nl) == NULL);
		nl_close(&spoof);
	}
	nl_close(&nl);
	CHECK("close", nl.fd == -1);
}

int main(void)
{
	test_names();
	test_cidrs();
	test_requests();
	test_routes();
	test_replies();
	test_kernel();
	return unit_done();
}
