/* SPDX-License-Identifier: MIT */
/*
 * netlink: rtnetlink requests for nsnet, in the spirit of bubblewrap's
 * network.c.  Requests are built into a flat buffer, sent to the kernel,
 * and answered by an ack that nl_parse_ack() reads without trusting a
 * single length in it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "netlink.h"

/* Before Linux 4.12 there are no extended acks: the socket option is unknown. */
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

/*
 * rtnetlink answers from within sendmsg(), so the ack is queued before we
 * read; this only bounds the wait should a kernel never answer.
 */
#define NL_TIMEOUT_SEC 5

/* The largest errno the kernel returns (MAX_ERRNO in linux/err.h). */
#define NL_MAX_ERRNO 4095

/*
 * A reply datagram: an ack echoes our request, an RTM_NEWLINK reply carries
 * the link's statistics; a larger one fails with EMSGSIZE, never truncated.
 */
#define NL_RECV_LEN 32768

int nl_ifname_valid(const char *name, const char **why)
{
	const char *w = NULL;
	size_t len = strnlen(name, NL_IFNAMSIZ);

	if (len == 0)
		w = "empty";
	else if (len >= NL_IFNAMSIZ)
		w = "longer than 15 bytes";
	else if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		w = "'.' and '..' are not names";
	for (size_t i = 0; !w && i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '/')
			w = "contains '/'";
		else if (c == ':')
			w = "contains ':' (the old alias syntax)";
		else if (c == '%')
			w = "contains '%' (the kernel would take it as a %d template)";
		/* The kernel's isspace() also counts 0xa0, Latin-1's no-break space. */
		else if (c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0)
			w = "contains whitespace";
		else if (c < 0x20 || c == 0x7f)
			w = "contains a control character";
	}
	if (why)
		*why = w;
	if (w) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* PREFIX: 1 to 3 plain decimal digits, no sign, no leading zero. */
static int parse_prefix(const char *s, unsigned max, unsigned *out)
{
	unsigned v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

int nl_cidr_parse(const char *s, struct nl_cidr *out, const char **why)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strrchr(s, '/'), *w = NULL;
	size_t alen = slash ? (size_t)(slash - s) : 0;

	memset(out, 0, sizeof(*out));
	if (!slash)
		w = "no /PREFIX (write ADDRESS/PREFIX, e.g. 10.0.0.1/24)";
	else if (alen == 0)
		w = "no address before the '/'";
	else if (alen >= sizeof(addr))
		w = "the address is too long";
	if (!w) {
		memcpy(addr, s, alen);
		addr[alen] = '\0';
		out->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
		if (inet_pton(out->family, addr, out->addr) != 1)
			w = out->family == AF_INET6 ? "not an IPv6 address" :
			    "not an IPv4 address (four decimal numbers 0-255, no leading zeros)";
		else if (parse_prefix(slash + 1, out->family == AF_INET6 ? 128 : 32,
				      &out->prefix) < 0)
			w = out->family == AF_INET6 ? "the prefix is not a number from 0 to 128" :
			    "the prefix is not a number from 0 to 32";
	}
	if (why)
		*why = w;
	if (w) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

const char *nl_cidr_str(const struct nl_cidr *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(c->family, c->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, len, "%s/%u", a, c->prefix);
	return buf;
}

/* "via=GW": the address and its family, or -1. */
static int parse_gw(const char *v, size_t len, struct nl_route *out, int *family)
{
	char a[INET6_ADDRSTRLEN];

	if (len == 0 || len >= sizeof(a))
		return -1;
	memcpy(a, v, len);
	a[len] = '\0';
	*family = strchr(a, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(*family, a, out->gw) != 1)
		return -1;
	out->has_gw = 1;
	return 0;
}

/* One "via=GW" or "dev=IF" of a route; NULL, or what is wrong. */
static const char *route_key(const char *item, size_t len, struct nl_route *out,
			     int *gw_family)
{
	if (len >= 4 && memcmp(item, "via=", 4) == 0) {
		if (out->has_gw)
			return "via= given twice";
		if (parse_gw(item + 4, len - 4, out, gw_family) < 0)
			return "via= is not an IPv4 or IPv6 address";
	} else if (len >= 4 && memcmp(item, "dev=", 4) == 0) {
		if (out->dev[0])
			return "dev= given twice";
		if (len - 4 >= NL_IFNAMSIZ)
			return "dev= names an interface longer than 15 bytes";
		memcpy(out->dev, item + 4, len - 4);
		out->dev[len - 4] = '\0';
		if (nl_ifname_valid(out->dev, NULL) < 0)
			return len == 4 ? "dev= names no interface" : "dev= is not an interface name";
	} else {
		return "unknown key (write via=GW or dev=IF after the destination)";
	}
	return NULL;
}

int nl_route_parse(const char *s, struct nl_route *out, const char **why)
{
	char dest[INET6_ADDRSTRLEN + 8];
	const char *comma = strchr(s, ','), *w = NULL;
	size_t n = comma ? (size_t)(comma - s) : strlen(s);
	size_t bytes;
	int gw_family = 0, dflt = 0;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		w = "no destination (write DEST[,via=GW][,dev=IF], DEST 'default' or ADDRESS/PREFIX)";
	else if (n >= sizeof(dest))
		w = "the destination is too long";
	if (!w) {
		memcpy(dest, s, n);
		dest[n] = '\0';
		dflt = strcmp(dest, "default") == 0;
		if (!dflt)
			nl_cidr_parse(dest, &out->dst, &w);
	}
	while (!w && comma) {
		const char *item = comma + 1;

		comma = strchr(item, ',');
		w = route_key(item, comma ? (size_t)(comma - item) : strlen(item), out, &gw_family);
	}
	if (!w && !out->has_gw && !out->dev[0])
		w = "neither via=GW nor dev=IF: the kernel needs one to know where to send";
	if (!w && dflt)
		out->dst.family = gw_family ? gw_family : AF_INET;
	if (!w && out->has_gw && gw_family != out->dst.family)
		w = out->dst.family == AF_INET ? "via= is IPv6 but the destination is IPv4" :
						 "via= is IPv4 but the destination is IPv6";
	/* The kernel refuses 10.0.0.1/24 as a route ("Invalid prefix for given prefix length"). */
	bytes = out->dst.family == AF_INET6 ? 16 : 4;
	for (size_t i = 0; !w && i < bytes; i++) {
		unsigned keep = out->dst.prefix > i * 8 ? out->dst.prefix - (unsigned)i * 8 : 0;
		unsigned char mask = keep >= 8 ? 0xff : (unsigned char)(0xff00 >> keep);

		if (out->dst.addr[i] & ~mask)
			w = "the address has bits set after the prefix (a route names a network, e.g. 10.2.0.0/24)";
	}
	if (why)
		*why = w;
	if (w) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

const char *nl_route_str(const struct nl_route *r, char *buf, size_t len)
{
	char dst[64], gw[INET6_ADDRSTRLEN] = "";

	/* "default" alone would be IPv4 to ip(8); ::/0 says IPv6 by itself. */
	if (r->dst.prefix == 0 && r->dst.family == AF_INET)
		snprintf(dst, sizeof(dst), "default");
	else
		nl_cidr_str(&r->dst, dst, sizeof(dst));
	if (r->has_gw && !inet_ntop(r->dst.family, r->gw, gw, sizeof(gw)))
		snprintf(gw, sizeof(gw), "?");
	snprintf(buf, len, "%s%s%s%s%s", dst, r->has_gw ? " via " : "", gw,
		 r->dev[0] ? " dev " : "", r->dev);
	return buf;
}

/* Building requests.  Every offset is NLMSG_ALIGNed from an aligned buffer. */

static struct nlmsghdr *msg_start(struct nl_msg *m, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *h = &m->u.hdr;

	memset(m, 0, sizeof(*m));
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m->len = NLMSG_HDRLEN;
	h->nlmsg_len = (uint32_t)m->len;
	return h;
}

/* Append len bytes (NULL: zeros) padded to alignment; the offset, or -1. */
static long put(struct nl_msg *m, const void *data, size_t len)
{
	size_t at = NLMSG_ALIGN(m->len);

	if (at > sizeof(m->u.buf) || NLMSG_ALIGN(len) > sizeof(m->u.buf) - at) {
		errno = EMSGSIZE;
		return -1;
	}
	if (data)
		memcpy(m->u.buf + at, data, len);
	m->len = at + NLMSG_ALIGN(len);
	m->u.hdr.nlmsg_len = (uint32_t)m->len;
	return (long)at;
}

static long put_attr(struct nl_msg *m, uint16_t type, const void *data, size_t len)
{
	struct rtattr a = { .rta_len = (unsigned short)RTA_LENGTH(len), .rta_type = type };
	long at;

	if (len > 0xffff - RTA_LENGTH(0)) {
		errno = EMSGSIZE;
		return -1;
	}
	at = put(m, &a, sizeof(a));
	if (at < 0)
		return -1;
	/* The attribute's length covers its data but not the final padding. */
	if (put(m, data, len) < 0)
		return -1;
	return at;
}

static long put_str(struct nl_msg *m, uint16_t type, const char *s)
{
	return put_attr(m, type, s, strlen(s) + 1);
}

static long put_u32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	return put_attr(m, type, &v, sizeof(v));
}

static long nest_start(struct nl_msg *m, uint16_t type)
{
	return put_attr(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct nl_msg *m, long at)
{
	unsigned short len = (unsigned short)(m->len - (size_t)at);

	memcpy(m->u.buf + at + offsetof(struct rtattr, rta_len), &len, sizeof(len));
}

static int link_msg(struct nl_msg *m, const char *name, uint16_t type,
		    uint16_t flags, unsigned change)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = change,
				 .ifi_change = change };

	if (nl_ifname_valid(name, NULL) < 0)
		return -1;
	msg_start(m, type, flags);
	/* No index: the kernel looks the link up by IFLA_IFNAME. */
	if (put(m, &ifi, sizeof(ifi)) < 0 || put_str(m, IFLA_IFNAME, name) < 0)
		return -1;
	return (int)m->len;
}

int nl_msg_veth(struct nl_msg *m, const char *name, const char *peer)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	long info, data, p;

	if (nl_ifname_valid(peer, NULL) < 0 ||
	    link_msg(m, name, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0) < 0)
		return -1;
	if ((info = nest_start(m, IFLA_LINKINFO)) < 0 ||
	    put_str(m, IFLA_INFO_KIND, "veth") < 0 ||
	    (data = nest_start(m, IFLA_INFO_DATA)) < 0 ||
	    (p = nest_start(m, VETH_INFO_PEER)) < 0 ||
	    /* The peer is described as a link of its own: ifinfomsg, attributes. */
	    put(m, &ifi, sizeof(ifi)) < 0 || put_str(m, IFLA_IFNAME, peer) < 0)
		return -1;
	nest_end(m, p);
	nest_end(m, data);
	nest_end(m, info);
	return (int)m->len;
}

int nl_msg_link_up(struct nl_msg *m, const char *name)
{
	return link_msg(m, name, RTM_NEWLINK, 0, IFF_UP);
}

int nl_msg_link_netns_fd(struct nl_msg *m, const char *name, int fd)
{
	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (link_msg(m, name, RTM_NEWLINK, 0, 0) < 0 ||
	    put_u32(m, IFLA_NET_NS_FD, (uint32_t)fd) < 0)
		return -1;
	return (int)m->len;
}

int nl_msg_getlink(struct nl_msg *m, const char *name)
{
	return link_msg(m, name, RTM_GETLINK, 0, 0);
}

int nl_msg_link_del(struct nl_msg *m, const char *name)
{
	return link_msg(m, name, RTM_DELLINK, 0, 0);
}

int nl_msg_addr(struct nl_msg *m, int ifindex, const struct nl_cidr *c)
{
	struct ifaddrmsg ifa = { .ifa_family = (unsigned char)c->family,
				 .ifa_prefixlen = (unsigned char)c->prefix,
				 .ifa_index = (unsigned)ifindex };
	size_t alen = c->family == AF_INET6 ? 16 : 4;

	if ((c->family != AF_INET && c->family != AF_INET6) ||
	    c->prefix > alen * 8 || ifindex <= 0) {
		errno = EINVAL;
		return -1;
	}
	/*
	 * The namespace is new, so no one else can hold the address: IPv6
	 * duplicate address detection would only leave it unusable for the
	 * command's first second.  127/8 gets host scope, as ip(8) gives it.
	 */
	if (c->family == AF_INET6)
		ifa.ifa_flags = IFA_F_NODAD;
	else if (c->addr[0] == 127)
		ifa.ifa_scope = RT_SCOPE_HOST;
	msg_start(m, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	if (put(m, &ifa, sizeof(ifa)) < 0 ||
	    put_attr(m, IFA_LOCAL, c->addr, alen) < 0 ||
	    put_attr(m, IFA_ADDRESS, c->addr, alen) < 0)
		return -1;
	return (int)m->len;
}

int nl_msg_bridge(struct nl_msg *m, const char *name)
{
	long info;

	if (link_msg(m, name, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, IFF_UP) < 0 ||
	    (info = nest_start(m, IFLA_LINKINFO)) < 0 ||
	    put_str(m, IFLA_INFO_KIND, "bridge") < 0)
		return -1;
	nest_end(m, info);
	return (int)m->len;
}

int nl_msg_link_master(struct nl_msg *m, const char *name, int master)
{
	if (master <= 0) {
		errno = EINVAL;
		return -1;
	}
	/* A port that is down forwards nothing: up in the same request. */
	if (link_msg(m, name, RTM_NEWLINK, 0, IFF_UP) < 0 ||
	    put_u32(m, IFLA_MASTER, (uint32_t)master) < 0)
		return -1;
	return (int)m->len;
}

int nl_msg_route(struct nl_msg *m, const struct nl_route *r, int oif)
{
	const struct nl_cidr *d = &r->dst;
	size_t alen = d->family == AF_INET6 ? 16 : 4;
	struct rtmsg rt = { .rtm_family = (unsigned char)d->family,
			    .rtm_dst_len = (unsigned char)d->prefix,
			    .rtm_table = RT_TABLE_MAIN, .rtm_protocol = RTPROT_BOOT,
			    .rtm_scope = RT_SCOPE_UNIVERSE, .rtm_type = RTN_UNICAST };

	if ((d->family != AF_INET && d->family != AF_INET6) || d->prefix > alen * 8 ||
	    oif < 0 || (!r->has_gw && oif == 0)) {
		errno = EINVAL;
		return -1;
	}
	/* Without a gateway the destination is on the link itself (ip(8) does the same). */
	if (d->family == AF_INET && !r->has_gw)
		rt.rtm_scope = RT_SCOPE_LINK;
	msg_start(m, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	if (put(m, &rt, sizeof(rt)) < 0 ||
	    (d->prefix > 0 && put_attr(m, RTA_DST, d->addr, alen) < 0) ||
	    (r->has_gw && put_attr(m, RTA_GATEWAY, r->gw, alen) < 0) ||
	    (oif > 0 && put_u32(m, RTA_OIF, (uint32_t)oif) < 0))
		return -1;
	return (int)m->len;
}

/* Parsing replies.  Headers are copied out: the buffer may be unaligned. */

static int bad(void)
{
	errno = EBADMSG;
	return -1;
}

/* Keep the kernel's text printable: it goes to a terminal. */
static void copy_text(char *dst, const unsigned char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < NL_EXTACK_LEN - 1 && src[i]; i++)
		dst[i] = src[i] < 0x20 || src[i] == 0x7f ? '?' : (char)src[i];
	dst[i] = '\0';
}

static int parse_ext_ack(const unsigned char *p, size_t len, struct nl_reply *r)
{
	size_t off = 0;

	while (off < len) {
		struct rtattr a;

		if (len - off < sizeof(a))
			return bad();
		memcpy(&a, p + off, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > len - off)
			return bad();
		if ((a.rta_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			copy_text(r->ext_ack, p + off + RTA_LENGTH(0),
				  a.rta_len - RTA_LENGTH(0));
		off += RTA_ALIGN(a.rta_len);
	}
	return 0;
}

static int parse_error(const unsigned char *p, size_t len, uint16_t flags,
		       struct nl_reply *r)
{
	struct nlmsgerr e;
	size_t tlv;

	if (len < sizeof(e))
		return bad();
	memcpy(&e, p, sizeof(e));
	if (e.error > 0 || e.error < -NL_MAX_ERRNO)
		return bad();
	if (flags & NLM_F_ACK_TLVS) {
		/*
		 * The TLVs follow our request as echoed back: its header only
		 * when NLM_F_CAPPED (always on success), else all of it.
		 */
		tlv = sizeof(e);
		if (!(flags & NLM_F_CAPPED)) {
			if (e.msg.nlmsg_len < NLMSG_HDRLEN ||
			    e.msg.nlmsg_len - NLMSG_HDRLEN > len - tlv)
				return bad();
			tlv += e.msg.nlmsg_len - NLMSG_HDRLEN;
		}
		tlv = NLMSG_ALIGN(tlv);
		if (tlv < len && parse_ext_ack(p + tlv, len - tlv, r) < 0)
			return bad();
	}
	r->error = -e.error;
	r->done = 1;
	return 0;
}

int nl_parse_ack(const void *buf, size_t len, uint32_t seq, struct nl_reply *r)
{
	const unsigned char *p = buf;
	size_t off = 0;

	while (off < len && !r->done) {
		struct nlmsghdr h;
		const unsigned char *body;
		size_t blen;

		if (len - off < sizeof(h))
			return bad();
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			return bad();
		body = p + off + NLMSG_HDRLEN;
		blen = h.nlmsg_len - NLMSG_HDRLEN;
		if (h.nlmsg_seq == seq) {
			if (h.nlmsg_type == NLMSG_ERROR) {
				if (parse_error(body, blen, h.nlmsg_flags, r) < 0)
					return -1;
			} else if (h.nlmsg_type == RTM_NEWLINK) {
				struct ifinfomsg ifi;

				if (blen < sizeof(ifi))
					return bad();
				memcpy(&ifi, body, sizeof(ifi));
				r->ifindex = ifi.ifi_index;
			}
		}
		/* The last message of a datagram may lack its padding. */
		off += NLMSG_ALIGN(h.nlmsg_len) < len - off ? NLMSG_ALIGN(h.nlmsg_len)
							    : len - off;
	}
	return 0;
}

/* The socket. */

int nl_open(struct nl_sock *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = NL_TIMEOUT_SEC };
	int one = 1, saved;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl->fd < 0)
		return -1;
	if ((setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 &&
	     errno != ENOPROTOOPT) ||
	    setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		saved = errno;
		close(nl->fd);
		nl->fd = -1;
		errno = saved;
		return -1;
	}
	return 0;
}

void nl_close(struct nl_sock *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

const char *nl_ext_ack(const struct nl_sock *nl)
{
	return nl->ext_ack[0] ? nl->ext_ack : NULL;
}

/*
 * Send m and read datagrams into buf (NL_RECV_LEN bytes) until the kernel
 * has answered it; what it said is left in *r.
 */
static int exchange(struct nl_sock *nl, struct nl_msg *m, void *buf,
		    struct nl_reply *r)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK }, from;
	struct nlmsghdr *h = &m->u.hdr;
	struct iovec iov = { .iov_base = buf, .iov_len = NL_RECV_LEN };
	struct msghdr mh;
	ssize_t n;

	h->nlmsg_seq = ++nl->seq;
	h->nlmsg_pid = 0;
	n = sendto(nl->fd, m->u.buf, m->len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel));
	if (n < 0)
		return -1;
	if ((size_t)n != m->len) {
		errno = EMSGSIZE;
		return -1;
	}
	while (!r->done) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		n = recvmsg(nl->fd, &mh, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			errno = ETIMEDOUT;
		if (n < 0)
			return -1;
		if (mh.msg_flags & MSG_TRUNC) {
			errno = EMSGSIZE;
			return -1;
		}
		/* Only the kernel speaks from port 0; anyone else is ignored. */
		if (mh.msg_namelen != sizeof(from) || from.nl_family != AF_NETLINK ||
		    from.nl_pid != 0)
			continue;
		if (nl_parse_ack(buf, (size_t)n, nl->seq, r) < 0)
			return -1;
	}
	return 0;
}

int nl_request(struct nl_sock *nl, struct nl_msg *m, int *ifindex)
{
	struct nl_reply r;
	/*
	 * At file scope, not on the stack (a reply may be as large as the
	 * socket's buffer), and not malloc'd per request: musl serves 32 KiB
	 * with mmap(2) and gives it back with munmap(2), two system calls and
	 * a page fault for every request.  One exchange at a time uses it.
	 */
	static char buf[NL_RECV_LEN];
	int rc;

	memset(&r, 0, sizeof(r));
	nl->ext_ack[0] = '\0';
	rc = exchange(nl, m, buf, &r);
	if (rc < 0)
		return -1;
	memcpy(nl->ext_ack, r.ext_ack, sizeof(nl->ext_ack));
	if (r.error) {
		errno = r.error;
		return -1;
	}
	if (ifindex)
		*ifindex = r.ifindex;
	return 0;
}

int nl_link_add_veth(struct nl_sock *nl, const char *name, const char *peer)
{
	struct nl_msg m;

	return nl_msg_veth(&m, name, peer) < 0 ? -1 : nl_request(nl, &m, NULL);
}

int nl_link_set_up(struct nl_sock *nl, const char *name)
{
	struct nl_msg m;

	return nl_msg_link_up(&m, name) < 0 ? -1 : nl_request(nl, &m, NULL);
}

int nl_link_set_netns_fd(struct nl_sock *nl, const char *name, int fd)
{
	struct nl_msg m;

	return nl_msg_link_netns_fd(&m, name, fd) < 0 ? -1 : nl_request(nl, &m, NULL);
}

int nl_link_del(struct nl_sock *nl, const char *name)
{
	struct nl_msg m;

	return nl_msg_link_del(&m, name) < 0 ? -1 : nl_request(nl, &m, NULL);
}

int nl_link_index(struct nl_sock *nl, const char *name)
{
	struct nl_msg m;
	int index = 0;

	if (nl_msg_getlink(&m, name) < 0 || nl_request(nl, &m, &index) < 0)
		return -1;
	if (index <= 0) {
		errno = ENODEV;
		return -1;
	}
	return index;
}

int nl_addr_add(struct nl_sock *nl, int ifindex, const struct nl_cidr *c)
{
	struct nl_msg m;

	return nl_msg_addr(&m, ifindex, c) < 0 ? -1 : nl_request(nl, &m, NULL);
}

int nl_link_add_bridge(struct nl_sock *nl, const char *name)
{
	struct nl_msg m;

	return nl_msg_bridge(&m, name) < 0 ? -1 : nl_request(nl, &m, NULL);
}

int nl_link_set_master(struct nl_sock *nl, const char *name, int master)
{
	struct nl_msg m;

	return nl_msg_link_master(&m, name, master) < 0 ? -1 : nl_request(nl, &m, NULL);
}

int nl_route_add(struct nl_sock *nl, const struct nl_route *r, int oif)
{
	struct nl_msg m;

	return nl_msg_route(&m, r, oif) < 0 ? -1 : nl_request(nl, &m, NULL);
}
