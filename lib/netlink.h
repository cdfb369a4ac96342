/* SPDX-License-Identifier: MIT */
/*
 * netlink: a minimal rtnetlink client, plain C, no libnl or libmnl.
 *
 * Enough for nsnet: create veth pairs and bridges, set links up, put a
 * link in a bridge, add IPv4 and IPv6 addresses and routes, move a link
 * into another network namespace.  Every request
 * asks for an ack; a reply counts only when it comes from the kernel
 * (nl_pid 0) and carries our sequence number; the kernel's error code
 * becomes errno and its extended ack text (NETLINK_EXT_ACK, Linux 4.12)
 * is kept for the tool to print.
 *
 * The pure parts (name and CIDR checks, building requests, parsing
 * replies) touch no socket, so unit tests and fuzz targets call them on
 * any bytes.
 */
#ifndef NSLAB_NETLINK_H
#define NSLAB_NETLINK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/netlink.h>

#define NL_IFNAMSIZ  16		/* IFNAMSIZ: 15 bytes and the NUL */
#define NL_EXTACK_LEN 256	/* the kernel's messages are one short line */
#define NL_MSG_MAX   1024	/* our largest request (a veth pair) is ~100 */

/* An open rtnetlink socket in the network namespace it was created in. */
struct nl_sock {
	int fd;
	uint32_t seq;			/* of the last request sent */
	char ext_ack[NL_EXTACK_LEN];	/* the kernel's words on the last reply */
};

/* An address with its prefix, as nl_cidr_parse() reads "10.0.0.1/24". */
struct nl_cidr {
	int family;			/* AF_INET or AF_INET6 */
	unsigned char addr[16];		/* network byte order; 4 bytes for IPv4 */
	unsigned prefix;
};

/*
 * Check an interface name before asking the kernel: 1 to 15 bytes, not
 * "." or "..", no '/', ':', whitespace or control character (the kernel's
 * dev_valid_name rules), and no '%' (the kernel would take "%d" as a
 * template and pick a name itself).  Returns 0, or -1 with errno EINVAL
 * and *why saying what is wrong (why may be NULL).
 */
int nl_ifname_valid(const char *name, const char **why);

/*
 * Parse "ADDRESS/PREFIX", IPv4 or IPv6.  The address goes through
 * inet_pton() only, so "1.2.3", "010.0.0.1" and "0x0a.0.0.1" are refused
 * (inet_aton would take them); PREFIX is plain decimal, 0-32 or 0-128.
 * Returns 0, or -1 with errno EINVAL and *why set (why may be NULL).
 */
int nl_cidr_parse(const char *s, struct nl_cidr *out, const char **why);

/* "10.0.0.1/24" back from a parsed CIDR, into buf (at least 64 bytes). */
const char *nl_cidr_str(const struct nl_cidr *c, char *buf, size_t len);

/* A route as nl_route_parse() reads "DEST[,via=GW][,dev=IF]". */
struct nl_route {
	struct nl_cidr dst;		/* family, network and prefix; /0 is default */
	int has_gw;
	unsigned char gw[16];		/* network byte order, dst.family's size */
	char dev[NL_IFNAMSIZ];		/* "" when none */
};

/*
 * Parse "DEST[,via=GW][,dev=IF]" (the keys in any order, each once).
 * DEST is "default" or a network ADDRESS/PREFIX with no host bits set
 * (the kernel refuses 10.0.0.1/24 as a route); "default" takes its
 * family from GW, IPv4 when only dev= is given.  A route needs GW or IF
 * or both; GW is of DEST's family.  Returns 0, or -1 with errno EINVAL
 * and *why set (why may be NULL).
 */
int nl_route_parse(const char *s, struct nl_route *out, const char **why);

/*
 * What ip(8) takes after "ip route add": "default via 10.0.0.1",
 * "10.2.0.0/24 dev veth0", "-6 default via fd00::1" ("-6" where the
 * family cannot be read from the words).  Into buf, at least 128 bytes.
 */
const char *nl_route_str(const struct nl_route *r, char *buf, size_t len);

/*
 * Requests, built into a buffer without sending.  Each returns the length
 * (nlmsg_len), or -1 with errno EINVAL (a bad name) or EMSGSIZE.  The
 * sequence number is filled in when sent; flags always hold NLM_F_REQUEST
 * and NLM_F_ACK.
 *
 * veth:       RTM_NEWLINK, NLM_F_CREATE|NLM_F_EXCL: a clash is EEXIST.
 * up:         RTM_NEWLINK IFF_UP on the link called name.
 * netns_fd:   RTM_NEWLINK IFLA_NET_NS_FD.
 * getlink:    RTM_GETLINK by name; the reply gives the index.
 * del:        RTM_DELLINK by name (a veth takes its peer along).
 * addr:       RTM_NEWADDR, NLM_F_CREATE|NLM_F_EXCL; IFA_F_NODAD for IPv6.
 * bridge:     RTM_NEWLINK kind "bridge", created up, NLM_F_CREATE|NLM_F_EXCL.
 * master:     RTM_NEWLINK IFLA_MASTER (the bridge's index) and IFF_UP:
 *             "ip link set NAME master BRIDGE up".
 * route:      RTM_NEWROUTE in the main table, NLM_F_CREATE|NLM_F_EXCL;
 *             RTA_GATEWAY when r has one, RTA_OIF when oif > 0 (the
 *             index of r->dev, looked up by the caller), link scope for an
 *             IPv4 route with no gateway, as ip(8) gives it.
 */
struct nl_msg {
	size_t len;
	union {
		struct nlmsghdr hdr;
		unsigned char buf[NL_MSG_MAX];
	} u;
};
int nl_msg_veth(struct nl_msg *m, const char *name, const char *peer);
int nl_msg_link_up(struct nl_msg *m, const char *name);
int nl_msg_link_netns_fd(struct nl_msg *m, const char *name, int fd);
int nl_msg_getlink(struct nl_msg *m, const char *name);
int nl_msg_link_del(struct nl_msg *m, const char *name);
int nl_msg_addr(struct nl_msg *m, int ifindex, const struct nl_cidr *c);
int nl_msg_bridge(struct nl_msg *m, const char *name);
int nl_msg_link_master(struct nl_msg *m, const char *name, int master);
int nl_msg_route(struct nl_msg *m, const struct nl_route *r, int oif);

/* What the replies to one request said. */
struct nl_reply {
	int done;			/* the ack (or error) for seq has come */
	int error;			/* 0, or the errno the kernel reported */
	int ifindex;			/* from an RTM_NEWLINK reply, else 0 */
	char ext_ack[NL_EXTACK_LEN];	/* NLMSGERR_ATTR_MSG, "" when none */
};

/*
 * Parse one datagram received from the kernel, looking for the replies to
 * request seq; messages with another sequence number are skipped.  Call
 * it on each datagram with the same *r (zeroed first) until r->done.
 * Pure: any bytes may be given.  Returns 0, or -1 with errno EBADMSG
 * when the datagram is malformed (a length that overruns, a truncated
 * error message, an error code that is not -errno).
 */
int nl_parse_ack(const void *buf, size_t len, uint32_t seq, struct nl_reply *r);

/*
 * Open a NETLINK_ROUTE socket (close-on-exec) in the current network
 * namespace, with extended acks asked for.  Returns 0 or -1 with errno.
 */
int nl_open(struct nl_sock *nl);
void nl_close(struct nl_sock *nl);

/*
 * Send a request built above and wait for its ack.  Returns 0, or -1
 * with errno: the kernel's error, or ETIMEDOUT, EMSGSIZE, EBADMSG when
 * the exchange itself went wrong.  *ifindex (may be NULL) gets the index
 * an RTM_NEWLINK reply carried.
 */
int nl_request(struct nl_sock *nl, struct nl_msg *m, int *ifindex);

/* The kernel's extended ack text for the last request, or NULL. */
const char *nl_ext_ack(const struct nl_sock *nl);

/* Build and send, in one call each. */
int nl_link_add_veth(struct nl_sock *nl, const char *name, const char *peer);
int nl_link_set_up(struct nl_sock *nl, const char *name);
int nl_link_set_netns_fd(struct nl_sock *nl, const char *name, int fd);
int nl_link_del(struct nl_sock *nl, const char *name);
/* The index of the link called name, or -1 with errno (ENODEV). */
int nl_link_index(struct nl_sock *nl, const char *name);
int nl_addr_add(struct nl_sock *nl, int ifindex, const struct nl_cidr *c);
int nl_link_add_bridge(struct nl_sock *nl, const char *name);
int nl_link_set_master(struct nl_sock *nl, const char *name, int master);
int nl_route_add(struct nl_sock *nl, const struct nl_route *r, int oif);

#endif
