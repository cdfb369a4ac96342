/* SPDX-License-Identifier: MIT */
/*
 * floor_veth: the floor of `nsnet --veth a:b --addr a=10.201.0.1/24
 * --addr b=10.201.0.2/24 COMMAND` (already root in a user namespace).
 * unshare(CLONE_NEWNET); over one rtnetlink socket: lo up, create the veth
 * pair, then for each end add the address and set it up; execvp.  The
 * namespace is new, so the floor asks for ifindexes 2 and 3 in the create
 * request instead of looking the names up.
 */
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/veth.h>
#include <sched.h>

#include "floor.h"

static struct rtattr *attr(struct nlmsghdr *h, unsigned short type,
			   const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void nest_end(struct nlmsghdr *h, struct rtattr *a)
{
	a->rta_len = (unsigned short)((char *)h + h->nlmsg_len - (char *)a);
}

static void add_veth(int fd, const char *name, int index, const char *peer,
		     int peer_index)
{
	struct floor_link_req r = {
		.h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		       .nlmsg_type = RTM_NEWLINK,
		       .nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL },
		.i = { .ifi_family = AF_UNSPEC, .ifi_index = index },
	};
	struct ifinfomsg pi = { .ifi_family = AF_UNSPEC, .ifi_index = peer_index };
	struct rtattr *info, *data, *p;

	attr(&r.h, IFLA_IFNAME, name, strlen(name) + 1);
	info = attr(&r.h, IFLA_LINKINFO, NULL, 0);
	attr(&r.h, IFLA_INFO_KIND, "veth", 4);
	data = attr(&r.h, IFLA_INFO_DATA, NULL, 0);
	p = attr(&r.h, VETH_INFO_PEER, &pi, sizeof(pi));
	attr(&r.h, IFLA_IFNAME, peer, strlen(peer) + 1);
	nest_end(&r.h, p);
	nest_end(&r.h, data);
	nest_end(&r.h, info);
	floor_nl_talk(fd, &r.h, "RTM_NEWLINK veth");
}

static void add_addr(int fd, int index, const char *ip, unsigned char plen)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg a;
		char attrs[64];
	} r = {
		.h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
		       .nlmsg_type = RTM_NEWADDR,
		       .nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL },
		.a = { .ifa_family = AF_INET, .ifa_prefixlen = plen,
		       .ifa_index = (unsigned)index },
	};
	struct in_addr in;

	if (inet_pton(AF_INET, ip, &in) != 1)
		floor_die(ip);
	attr(&r.h, IFA_LOCAL, &in, sizeof(in));
	attr(&r.h, IFA_ADDRESS, &in, sizeof(in));
	floor_nl_talk(fd, &r.h, "RTM_NEWADDR");
}

int main(int argc, char *argv[])
{
	int fd;

	(void)argc;
	if (unshare(CLONE_NEWNET) < 0)
		floor_die("unshare(CLONE_NEWNET)");
	fd = floor_nl_open();
	floor_link_up(fd, 1);
	add_veth(fd, "a", 2, "b", 3);
	add_addr(fd, 2, "10.201.0.1", 24);
	floor_link_up(fd, 2);
	add_addr(fd, 3, "10.201.0.2", 24);
	floor_link_up(fd, 3);
	close(fd);
	floor_exec(argv + 1);
}
