/* SPDX-License-Identifier: MIT */
/*
 * nsnet: run a command in a new network namespace.
 * unshare(CLONE_NEWNET); bring lo up; over rtnetlink create the bridges,
 * veth pairs, addresses, links and routes asked for; exec the command.  With -U it is one
 * unshare(CLONE_NEWUSER|CLONE_NEWNET) with your ids mapped to themselves:
 * the call bitbake's disable_network() makes, except that a failure never
 * runs the command.  bitbake leaves lo down in every release (2.2 added
 * enable_loopback_networking(), which nothing calls): that is --no-lo.  lo
 * is up by default, -U or not, as portage's, Nix's and sbuild's build
 * sandboxes have it, since most programs expect 127.0.0.1 (nsnet(1)).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>
#include <linux/nsfs.h>

#include "diag.h"
#include "escape.h"
#include "exits.h"
#include "idmap.h"
#include "msg.h"
#include "netlink.h"
#include "opts.h"
#include "step.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: nsnet [-hUvV] [--no-lo] [--bridge NAME]... [--veth NAME:PEER\n"
"             [--peer-netns PID|PATH] [--peer-addr CIDR]... [--peer-route ROUTE]...]...\n"
"             [--master IFACE=BRIDGE]... [--addr IFACE=CIDR]... [--up IFACE]...\n"
"             [--route ROUTE]... [--default-via GW] [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) in a new network namespace with lo up.\n"
"\n"
"  -U, --userns             also a new user namespace with your ids mapped to\n"
"                           themselves (bitbake's disable_network, unprivileged)\n"
"      --no-lo              leave lo down\n"
"      --bridge NAME        create a bridge, up\n"
"      --veth NAME:PEER     create a veth pair\n"
"      --peer-netns PID|PATH  move the last --veth's PEER into the network\n"
"                           namespace of PID, or of PATH (NAME: /run/netns/NAME)\n"
"      --peer-addr CIDR     add CIDR to the last --veth's PEER and set it up\n"
"      --peer-route ROUTE   add ROUTE in the last --veth's PEER's namespace\n"
"      --master IFACE=BRIDGE  make IFACE a port of BRIDGE and set it up\n"
"      --addr IFACE=CIDR    add an IPv4 or IPv6 address (ADDRESS/PREFIX) to IFACE\n"
"                           and set it up\n"
"      --up IFACE           set IFACE up\n"
"      --route ROUTE        add a route: DEST[,via=GW][,dev=IFACE], DEST an\n"
"                           ADDRESS/PREFIX network or 'default'\n"
"      --default-via GW     the same as --route default,via=GW\n"
"  -v, --verbose            narrate each step and its ip(8) equivalent\n"
"  -h, --help               show this help\n"
"  -V, --version            show the version\n"
"\n"
"Exit status: COMMAND's, or 125 if nsnet failed, 126 if COMMAND could not\n"
"be run, 127 if it was not found.  See nsnet(1).\n");
}

enum { OPT_NO_LO = 256, OPT_VETH, OPT_PEER_NETNS, OPT_PEER_ADDR, OPT_ADDR, OPT_UP,
       OPT_BRIDGE, OPT_MASTER, OPT_ROUTE, OPT_DEFAULT_VIA, OPT_PEER_ROUTE };

static const struct option longopts[] = {
	{ "userns",     no_argument,       NULL, 'U' },
	{ "no-lo",      no_argument,       NULL, OPT_NO_LO },
	{ "veth",       required_argument, NULL, OPT_VETH },
	{ "peer-netns", required_argument, NULL, OPT_PEER_NETNS },
	{ "peer-addr",  required_argument, NULL, OPT_PEER_ADDR },
	{ "addr",       required_argument, NULL, OPT_ADDR },
	{ "up",         required_argument, NULL, OPT_UP },
	{ "bridge",     required_argument, NULL, OPT_BRIDGE },
	{ "master",     required_argument, NULL, OPT_MASTER },
	{ "route",      required_argument, NULL, OPT_ROUTE },
	{ "default-via", required_argument, NULL, OPT_DEFAULT_VIA },
	{ "peer-route", required_argument, NULL, OPT_PEER_ROUTE },
	{ NULL, 0, NULL, 0 },
};

#define MAX_VETHS 32
#define MAX_ADDRS 64
#define MAX_UPS   64
#define MAX_ROUTES 64
/*
 * Narration buffers: "nsenter --net=PATH " and an ip(8) command after it,
 * each PATH shell-quoted.  Static where they are used: nsnet must run
 * under a 16 KiB stack limit (nslab(7)).
 */
#define PRELEN (ESC_SHELL_LEN(PATH_MAX) + 32)
#define SHLEN  (PRELEN + ESC_SHELL_LEN(PATH_MAX) + 256)

struct veth {
	char name[NL_IFNAMSIZ], peer[NL_IFNAMSIZ];
	const char *netns;	/* --peer-netns as given, NULL: the peer stays */
	char nspath[PATH_MAX];
	int nsfd;		/* opened before unshare, so the namespace is pinned */
};

struct addr {
	int veth;		/* the --veth whose peer gets it, -1 for --addr */
	char ifname[NL_IFNAMSIZ];
	const char *arg;
	struct nl_cidr c;
};

struct route {
	int veth;		/* the --veth whose peer's namespace gets it, -1 for --route */
	const char *opt, *arg;
	struct nl_route r;
};

struct master {
	char ifname[NL_IFNAMSIZ];
	const char *bridge;
};

static struct veth veths[MAX_VETHS];
static struct addr addrs[MAX_ADDRS];
static struct route routes[MAX_ROUTES];
static struct master masters[MAX_UPS];
static const char *ups[MAX_UPS], *bridges[MAX_UPS];
static int nveths, naddrs, nroutes, nmasters, nups, nbridges;
static int userns;	/* -U */

/* Input is refused before anything has changed: one line and exit 125. */
static void refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void refuse(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	msg_say("%s", msg);	/* which keeps it one line */
	exit(CHAIN_EXIT_FAIL);
}

static void check_name(const char *opt, const char *arg, const char *name)
{
	const char *why;

	if (nl_ifname_valid(name, &why) < 0)
		refuse("%s '%s': bad interface name '%s': %s", opt, arg, name, why);
}

/* NAME in "NAME<sep>REST", checked and copied out; REST is returned. */
static const char *split_name(const char *opt, const char *arg, int sep,
			      const char *form, char name[NL_IFNAMSIZ])
{
	const char *end = strchr(arg, sep);

	if (!end)
		refuse("%s '%s': write %s", opt, arg, form);
	if ((size_t)(end - arg) >= NL_IFNAMSIZ)
		refuse("%s '%s': bad interface name '%.*s': longer than 15 bytes",
		       opt, arg, (int)(end - arg), arg);
	memcpy(name, arg, (size_t)(end - arg));
	name[end - arg] = '\0';
	check_name(opt, arg, name);
	return end + 1;
}

static struct veth *last_veth(const char *opt, const char *arg)
{
	if (nveths == 0)
		refuse("%s '%s': no --veth before it (it applies to the last --veth's peer)",
		       opt, arg);
	return &veths[nveths - 1];
}

/* Is name one of the --veth ends already given? */
static int veth_has(const char *name)
{
	for (int i = 0; i < nveths; i++)
		if (strcmp(veths[i].name, name) == 0 || strcmp(veths[i].peer, name) == 0)
			return 1;
	return 0;
}

static void add_veth(const char *arg)
{
	struct veth *v = &veths[nveths];
	const char *peer;

	if (nveths == MAX_VETHS)
		refuse("--veth '%s': at most %d pairs", arg, MAX_VETHS);
	peer = split_name("--veth", arg, ':', "NAME:PEER, e.g. veth0:veth1", v->name);
	check_name("--veth", arg, peer);
	strcpy(v->peer, peer);
	if (strcmp(v->name, v->peer) == 0)
		refuse("--veth '%s': the two ends need different names", arg);
	if (veth_has(v->name) || veth_has(v->peer))
		refuse("--veth '%s': a name already given to another --veth", arg);
	v->nsfd = -1;
	nveths++;
}

static void add_addr(int veth, const char *opt, const char *arg, const char *ifname,
		     const char *cidr)
{
	struct addr *a = &addrs[naddrs];
	const char *why;

	if (naddrs == MAX_ADDRS)
		refuse("%s '%s': at most %d addresses", opt, arg, MAX_ADDRS);
	check_name(opt, arg, ifname);
	if (nl_cidr_parse(cidr, &a->c, &why) < 0)
		refuse("%s '%s': '%s' is not a CIDR: %s", opt, arg, cidr, why);
	a->veth = veth;
	a->arg = arg;
	strcpy(a->ifname, ifname);
	naddrs++;
}

static void add_iface_addr(const char *arg)
{
	char name[NL_IFNAMSIZ];
	const char *cidr;

	cidr = split_name("--addr", arg, '=', "IFACE=CIDR, e.g. veth0=10.0.0.1/24", name);
	add_addr(-1, "--addr", arg, name, cidr);
}

static void add_up(const char *arg)
{
	if (nups == MAX_UPS)
		refuse("--up '%s': at most %d", arg, MAX_UPS);
	check_name("--up", arg, arg);
	ups[nups++] = arg;
}

static void add_bridge(const char *arg)
{
	if (nbridges == MAX_UPS)
		refuse("--bridge '%s': at most %d", arg, MAX_UPS);
	check_name("--bridge", arg, arg);
	if (veth_has(arg))
		refuse("--bridge '%s': a name already given to a --veth", arg);
	for (int i = 0; i < nbridges; i++)
		if (strcmp(bridges[i], arg) == 0)
			refuse("--bridge '%s': given twice", arg);
	bridges[nbridges++] = arg;
}

static void add_master(const char *arg)
{
	struct master *m = &masters[nmasters];

	if (nmasters == MAX_UPS)
		refuse("--master '%s': at most %d", arg, MAX_UPS);
	m->bridge = split_name("--master", arg, '=', "IFACE=BRIDGE, e.g. veth0=br0", m->ifname);
	check_name("--master", arg, m->bridge);
	if (strcmp(m->ifname, m->bridge) == 0)
		refuse("--master '%s': a bridge cannot be its own port", arg);
	nmasters++;
}

static void add_route(int veth, const char *opt, const char *arg, const char *spec)
{
	struct route *r = &routes[nroutes];
	const char *why;

	if (nroutes == MAX_ROUTES)
		refuse("%s '%s': at most %d routes", opt, arg, MAX_ROUTES);
	if (nl_route_parse(spec, &r->r, &why) < 0)
		refuse("%s '%s': not a route: %s", opt, arg, why);
	r->veth = veth;
	r->opt = opt;
	r->arg = arg;
	nroutes++;
}

static void add_default_via(const char *arg)
{
	static char spec[64];	/* "default,via=" and an address, checked by the parser */

	if (strlen(arg) > 48)
		refuse("--default-via '%s': not an IPv4 or IPv6 address", arg);
	snprintf(spec, sizeof(spec), "default,via=%s", arg);
	add_route(-1, "--default-via", arg, spec);
}

/*
 * Open the namespace file now, before unshare: the PID cannot be reused
 * under us, and after -U we could no longer open another user's
 * /proc/PID/ns/net (ptrace access rules).
 */
static void open_peer_netns(struct veth *v, const char *arg)
{
	uint32_t pid;
	struct statfs sfs;
	int type, by_pid = arg[0] && arg[strspn(arg, "0123456789")] == '\0';

	if (v->netns)
		refuse("--peer-netns '%s': the peer of --veth %s:%s is moved already",
		       arg, v->name, v->peer);
	v->netns = arg;
	if (by_pid && (idmap_parse_id(arg, &pid) < 0 || pid == 0 || pid > INT_MAX))
		refuse("--peer-netns '%s': not a PID", arg);
	if (by_pid)
		snprintf(v->nspath, sizeof(v->nspath), "/proc/%u/ns/net", pid);
	else if (arg[0] == '\0')
		refuse("--peer-netns '': neither a PID nor a path");
	/* A bare NAME is /run/netns/NAME, as ip(8) reads it. */
	else if (!strchr(arg, '/') &&
		 (size_t)snprintf(v->nspath, sizeof(v->nspath), "/run/netns/%s", arg) >= sizeof(v->nspath))
		refuse("--peer-netns '%s': the name is too long", arg);
	else if (strchr(arg, '/') &&
		 (size_t)snprintf(v->nspath, sizeof(v->nspath), "%s", arg) >= sizeof(v->nspath))
		refuse("--peer-netns '%s': the path is too long", arg);
	/* Whatever the path names, opening it must neither block (a FIFO) nor
	 * take a terminal: it is checked to be a namespace only after. */
	v->nsfd = open(v->nspath, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (v->nsfd < 0 && errno == ENOENT && by_pid)
		refuse("--peer-netns '%s': no such process", arg);
	if (v->nsfd < 0) {
		msg_err("--peer-netns '%s': open %s", arg, v->nspath);
		exit(CHAIN_EXIT_FAIL);
	}
	if (fstatfs(v->nsfd, &sfs) < 0 || sfs.f_type != NSFS_MAGIC)
		refuse("--peer-netns '%s': %s is not a namespace file (see /proc/PID/ns/net, /run/netns/NAME)",
		       arg, v->nspath);
	/* NS_GET_NSTYPE came in Linux 4.11; before it the kernel judges later. */
	type = ioctl(v->nsfd, NS_GET_NSTYPE);
	if (type >= 0 && type != CLONE_NEWNET)
		refuse("--peer-netns '%s': %s is not a network namespace", arg, v->nspath);
}

/*
 * Does the peer's namespace path mean the same to a command typed after
 * "unshare --net"?  /proc/self (and thread-self, /dev/fd) names the
 * process that opens it: nsnet, before its unshare, but typed, ip(8) or
 * nsenter(1) itself, in the new namespace.  Such steps get no shell line.
 */
static int typable(const struct veth *v)
{
	static const char *const self[] = { "/proc/self/", "/proc/thread-self/", "/dev/fd/" };

	if (!v || !v->netns)
		return 1;
	for (size_t i = 0; i < sizeof(self) / sizeof(self[0]); i++)
		if (strncmp(v->nspath, self[i], strlen(self[i])) == 0)
			return 0;
	return 1;
}

/* The ip(8) command for the peer's namespace: "nsenter --net=PATH ". */
static const char *in_peer(const struct veth *v, char *buf, size_t len)
{
	static char q[ESC_SHELL_LEN(PATH_MAX)];	/* 16 KiB stack: nslab(7) */

	if (!v || !v->netns)
		return "";
	snprintf(buf, len, "nsenter --net=%s ", esc_shell(v->nspath, q, sizeof(q)));
	return buf;
}

/*
 * EPERM on a peer namespace: we hold CAP_NET_ADMIN only over namespaces
 * owned by our user namespace or one below it.  Walk up from the owner
 * (NS_GET_PARENT stops with EPERM where our view ends) to find out.
 */
static void hint_peer_owner(const struct veth *v)
{
	struct stat self, st;
	int u, p, ours = 0;

	if (!v || v->nsfd < 0 || stat("/proc/self/ns/user", &self) < 0)
		return;
	u = ioctl(v->nsfd, NS_GET_USERNS);
	for (int depth = 0; u >= 0 && depth < 33 && !ours; depth++) {
		ours = fstat(u, &st) == 0 && st.st_ino == self.st_ino &&
		       st.st_dev == self.st_dev;
		p = ours ? -1 : ioctl(u, NS_GET_PARENT);
		close(u);
		u = p;
	}
	if (u >= 0)
		close(u);
	if (ours)
		return;
	msg_hint("--peer-netns %s belongs to a user namespace outside ours, where we hold no CAP_NET_ADMIN;", v->netns);
	if (userns)
		msg_hint("-U made a user namespace that owns nothing but the new network namespace;");
	msg_hint("create both network namespaces inside one user namespace: usernsselfmap sh -c 'nsnet sleep 60 & nsnet --veth a:b --peer-netns $! ...'");
}

/* After a failed step that touched the peer's namespace: is it ours to change? */
static void hint_peer(const struct veth *peer_of)
{
	if (errno == EPERM)
		hint_peer_owner(peer_of);
}

static int link_up(struct nl_sock *nl, const struct veth *peer_of, const char *name)
{
	static char sh[SHLEN], pre[PRELEN];
	int rc = nl_link_set_up(nl, name);

	snprintf(sh, sizeof(sh), "%sip link set %.15s up", in_peer(peer_of, pre, sizeof(pre)), name);
	msg_narrate(typable(peer_of) ? sh : NULL, rc, "RTM_NEWLINK(ifname=\"%s\", IFF_UP)", name);
	if (rc < 0) {
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_NEWLINK %s up", name);
		hint_peer(peer_of);
	}
	return rc;
}

/* --addr and --peer-addr: the address, then the link up, as ifconfig did. */
static int addr_add(struct nl_sock *nl, const struct veth *peer_of, const struct addr *a)
{
	static char sh[SHLEN], pre[PRELEN];
	char cidr[64];
	int index, rc;

	nl_cidr_str(&a->c, cidr, sizeof(cidr));
	index = nl_link_index(nl, a->ifname);
	msg_narrate(NULL, index, "RTM_GETLINK(ifname=\"%s\")", a->ifname);
	if (index < 0) {
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_GETLINK %s", a->ifname);
		hint_peer(peer_of);
		return -1;
	}
	rc = nl_addr_add(nl, index, &a->c);
	snprintf(sh, sizeof(sh), "%sip addr add %s dev %.15s%s", in_peer(peer_of, pre, sizeof(pre)),
		 cidr, a->ifname, a->c.family == AF_INET6 ? " nodad" : "");
	msg_narrate(typable(peer_of) ? sh : NULL, rc, "RTM_NEWADDR(index=%d, %s)", index, cidr);
	if (rc < 0) {
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_NEWADDR %s dev %s",
			       cidr, a->ifname);
		hint_peer(peer_of);
		return -1;
	}
	return link_up(nl, peer_of, a->ifname);
}

/* --route and --peer-route: the device's index first, when one is named. */
static int route_add(struct nl_sock *nl, const struct veth *peer_of, const struct route *r)
{
	static char sh[SHLEN], pre[PRELEN];
	char spec[128];
	int oif = 0, rc;

	nl_route_str(&r->r, spec, sizeof(spec));
	if (r->r.dev[0]) {
		oif = nl_link_index(nl, r->r.dev);
		msg_narrate(NULL, oif, "RTM_GETLINK(ifname=\"%s\")", r->r.dev);
		if (oif < 0) {
			msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_GETLINK %s", r->r.dev);
			return -1;
		}
	}
	rc = nl_route_add(nl, &r->r, oif);
	snprintf(sh, sizeof(sh), "%sip route add %s", in_peer(peer_of, pre, sizeof(pre)), spec);
	if (oif)
		msg_narrate(typable(peer_of) ? sh : NULL, rc, "RTM_NEWROUTE(%s, RTA_OIF=%d)", spec, oif);
	else
		msg_narrate(typable(peer_of) ? sh : NULL, rc, "RTM_NEWROUTE(%s)", spec);
	if (rc < 0) {
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_NEWROUTE %s", spec);
		/* The kernel wants a gateway on a network it already reaches. */
		if ((errno == ENETUNREACH || errno == EHOSTUNREACH) && r->r.has_gw)
			msg_hint("no address here is on the gateway's network: give one with %s first",
				 peer_of ? "--peer-addr" : "--addr");
		hint_peer(peer_of);
	}
	return rc;
}

static int bridge_add(struct nl_sock *nl, const char *name)
{
	static char sh[SHLEN];
	int rc = nl_link_add_bridge(nl, name);

	snprintf(sh, sizeof(sh), "ip link add name %.15s up type bridge", name);
	msg_narrate(sh, rc, "RTM_NEWLINK(ifname=\"%s\", kind=\"bridge\", IFF_UP, NLM_F_CREATE|NLM_F_EXCL)", name);
	if (rc < 0)
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_NEWLINK %s type bridge", name);
	return rc;
}

static int master_set(struct nl_sock *nl, const struct master *m)
{
	static char sh[SHLEN];
	int index = nl_link_index(nl, m->bridge), rc;

	msg_narrate(NULL, index, "RTM_GETLINK(ifname=\"%s\")", m->bridge);
	if (index < 0) {
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_GETLINK %s", m->bridge);
		return -1;
	}
	rc = nl_link_set_master(nl, m->ifname, index);
	snprintf(sh, sizeof(sh), "ip link set %.15s master %.15s up", m->ifname, m->bridge);
	msg_narrate(sh, rc, "RTM_NEWLINK(ifname=\"%s\", IFLA_MASTER=%d, IFF_UP)", m->ifname, index);
	if (rc < 0)
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_NEWLINK %s master %s",
			      m->ifname, m->bridge);
	return rc;
}

static int veth_add(struct nl_sock *nl, const struct veth *v)
{
	static char sh[SHLEN];
	int rc = nl_link_add_veth(nl, v->name, v->peer);

	snprintf(sh, sizeof(sh), "ip link add name %.15s type veth peer name %.15s", v->name, v->peer);
	msg_narrate(sh, rc, "RTM_NEWLINK(ifname=\"%s\", kind=\"veth\", peer=\"%s\", NLM_F_CREATE|NLM_F_EXCL)",
		      v->name, v->peer);
	if (rc < 0)
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_NEWLINK %s type veth peer %s",
			       v->name, v->peer);
	return rc;
}

static int veth_move_peer(struct nl_sock *nl, const struct veth *v)
{
	static char sh[SHLEN], q[ESC_SHELL_LEN(PATH_MAX)];
	int rc = nl_link_set_netns_fd(nl, v->peer, v->nsfd);

	/* ip(8) takes a PID, a NAME under /run/netns or a PATH, as we do. */
	snprintf(sh, sizeof(sh), "ip link set %s netns %s", v->peer,
		 esc_shell(v->netns, q, sizeof(q)));
	msg_narrate(typable(v) ? sh : NULL, rc,
		      "RTM_NEWLINK(ifname=\"%s\", IFLA_NET_NS_FD=%d (%s%s))", v->peer, v->nsfd,
		      v->nspath, typable(v) ? "" : ", as nsnet opened it before unshare");
	if (rc < 0) {
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_NEWLINK %s netns %s",
			       v->peer, v->netns);
		hint_peer(v);
	}
	return rc;
}

/*
 * Fail closed: delete the pairs made so far.  Left to the namespace's
 * teardown, which the kernel does later and asynchronously, a peer moved
 * out would linger, addressed and up, and a retry at once would find its
 * name taken.  Deleting one end takes the other along, wherever it is.
 */
static int undo_veths(struct nl_sock *nl, int made)
{
	static char sh[SHLEN];

	while (made-- > 0) {
		const struct veth *v = &veths[made];
		int rc = nl_link_del(nl, v->name);

		snprintf(sh, sizeof(sh), "ip link del %.15s", v->name);
		msg_narrate(sh, rc, "RTM_DELLINK(ifname=\"%s\")", v->name);
		if (rc < 0)
			msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_DELLINK %s (undoing --veth %s:%s)",
				       v->name, v->name, v->peer);
	}
	return CHAIN_EXIT_FAIL;
}

static int enter(int fd, const char *path, const struct veth *v)
{
	int rc = setns(fd, CLONE_NEWNET);

	/* No shell line: nsenter(1) appears on each ip command instead. */
	msg_narrate(NULL, rc, "setns(%s, CLONE_NEWNET)", path);
	if (rc < 0) {
		msg_fail(DIAG_SETNS, CLONE_NEWNET, "setns %s", path);
		if (errno == EPERM)
			hint_peer_owner(v);
	}
	return rc;
}

/*
 * The peer's addresses are set from a socket made in the peer's namespace:
 * a netlink socket keeps the namespace it was created in, so we visit it
 * only for socket(2) and come straight back through a saved fd of ours.
 */
static int peer_configure(const struct veth *v, int v_index, int self_fd)
{
	struct nl_sock nl;
	int rc = 0, n = 0;

	for (int i = 0; i < naddrs; i++)
		n += addrs[i].veth == v_index;
	for (int i = 0; i < nroutes; i++)
		n += routes[i].veth == v_index;
	if (!v->netns || n == 0)
		return 0;
	if (enter(v->nsfd, v->nspath, v) < 0)
		return -1;
	rc = nl_open(&nl);
	if (rc < 0)
		msg_fail(DIAG_NETLINK, 0, "socket(AF_NETLINK, NETLINK_ROUTE) in %s", v->nspath);
	/* No way back would leave the command in the wrong namespace. */
	if (enter(self_fd, "our own network namespace", NULL) < 0) {
		if (rc == 0)
			nl_close(&nl);
		return -1;
	}
	for (int i = 0; i < naddrs && rc == 0; i++)
		if (addrs[i].veth == v_index)
			rc = addr_add(&nl, v, &addrs[i]);
	for (int i = 0; i < nroutes && rc == 0; i++)
		if (routes[i].veth == v_index)
			rc = route_add(&nl, v, &routes[i]);
	if (nl.fd >= 0)
		nl_close(&nl);
	return rc;
}

static int write_maps(uid_t uid, gid_t gid)
{
	static struct idmap um, gm;
	static struct idmap_said said[3];
	struct idmap_plan plan = { &um, &gm, "deny", NULL, NULL };
	enum idmap_step failed = IDMAP_STEP_UID;
	int rc, n, err;

	/* bitbake's disable_network(): "uid uid 1", deny, "gid gid 1". */
	idmap_self_map(&um, uid, uid);
	idmap_self_map(&gm, gid, gid);
	rc = idmap_write(0, &um, plan.setgroups, &gm, &failed);
	err = errno;
	n = msg_verbose() ? idmap_steps(&plan, 0, getpid(), rc, failed, err, -1, said) : 0;
	for (int i = 0; i < n; i++) {
		errno = said[i].err;
		msg_narrate(said[i].shell, said[i].result, "%s", said[i].call);
	}
	errno = err;
	if (rc == 0)
		return 0;
	msg_fail(diag_idmap_op(failed), CLONE_NEWUSER, "write /proc/self/%s",
		  idmap_step_file(failed));
	return -1;
}

int main(int argc, char *argv[])
{
	struct opts o = { "U", longopts, usage, OPTS_CHAIN, 0 };
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int c, rc, lo = 1, flags, self_fd;
	struct nl_sock nl;
	const struct veth *v;
	char fl[64];

	msg_init(argv[0]);
	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case OPTS_EXIT:
			return o.status;
		case 'U':
			userns = 1;
			break;
		case OPT_NO_LO:
			lo = 0;
			break;
		case OPT_VETH:
			add_veth(optarg);
			break;
		case OPT_PEER_NETNS:
			open_peer_netns(last_veth("--peer-netns", optarg), optarg);
			break;
		case OPT_PEER_ADDR:
			v = last_veth("--peer-addr", optarg);
			add_addr((int)(v - veths), "--peer-addr", optarg, v->peer, optarg);
			break;
		case OPT_ADDR:
			add_iface_addr(optarg);
			break;
		case OPT_UP:
			add_up(optarg);
			break;
		case OPT_BRIDGE:
			add_bridge(optarg);
			break;
		case OPT_MASTER:
			add_master(optarg);
			break;
		case OPT_ROUTE:
			add_route(-1, "--route", optarg, optarg);
			break;
		case OPT_DEFAULT_VIA:
			add_default_via(optarg);
			break;
		case OPT_PEER_ROUTE:
			v = last_veth("--peer-route", optarg);
			add_route((int)(v - veths), "--peer-route", optarg, optarg);
			break;
		}
	}
	/* A peer moved away is not here for --addr or --up to find. */
	for (int i = 0; i < nveths; i++) {
		if (!veths[i].netns)
			continue;
		for (int j = 0; j < naddrs; j++)
			if (addrs[j].veth < 0 && strcmp(addrs[j].ifname, veths[i].peer) == 0)
				refuse("--addr '%s': %s is moved by --peer-netns; use --peer-addr",
				       addrs[j].arg, veths[i].peer);
		for (int j = 0; j < nups; j++)
			if (strcmp(ups[j], veths[i].peer) == 0)
				refuse("--up '%s': %s is moved by --peer-netns; --peer-addr sets it up",
				       ups[j], veths[i].peer);
		for (int j = 0; j < nmasters; j++)
			if (strcmp(masters[j].ifname, veths[i].peer) == 0)
				refuse("--master '%s': %s is moved by --peer-netns",
				       masters[j].ifname, veths[i].peer);
	}
	/* A route through a peer that stays here is ours; a moved peer's needs --peer-netns. */
	for (int j = 0; j < nroutes; j++)
		if (routes[j].veth >= 0 && !veths[routes[j].veth].netns)
			routes[j].veth = -1;

	flags = CLONE_NEWNET | (userns ? CLONE_NEWUSER : 0);
	rc = unshare(flags);
	/*
	 * Typed, the -U step is one unshare(1) that writes the maps itself
	 * (a shell in the new namespace may not: exec dropped its
	 * capabilities) and keeps the namespace's capabilities for the shell
	 * (--keep-caps), or "ip link set lo up" would be refused to a uid
	 * other than 0.  nsnet's command itself gets none.
	 */
	msg_narrate(userns ? "unshare --user --net --map-current-user --keep-caps" : "unshare --net",
		      rc, "unshare(%s)", diag_nsflags_str(flags, fl, sizeof(fl)));
	if (rc < 0) {
		msg_fail(DIAG_UNSHARE, flags, "unshare(%s)", fl);
		return CHAIN_EXIT_FAIL;
	}
	/* The maps are in the unshare(1) line already: no shell lines. */
	msg_narrate_shell(0);
	if (userns && write_maps(uid, gid) < 0)
		return CHAIN_EXIT_FAIL;
	msg_narrate_shell(1);

	if (nl_open(&nl) < 0) {
		msg_fail(DIAG_NETLINK, 0, "socket(AF_NETLINK, NETLINK_ROUTE)");
		return CHAIN_EXIT_FAIL;
	}
	if (lo && link_up(&nl, NULL, "lo") < 0)
		return CHAIN_EXIT_FAIL;
	/* Bridges go with the namespace; nothing of them is outside to undo. */
	for (int i = 0; i < nbridges; i++)
		if (bridge_add(&nl, bridges[i]) < 0)
			return CHAIN_EXIT_FAIL;
	self_fd = -1;
	for (int i = 0; i < nveths; i++) {
		v = &veths[i];
		if (veth_add(&nl, v) < 0)
			return undo_veths(&nl, i);
		if (v->netns && veth_move_peer(&nl, v) < 0)
			return undo_veths(&nl, i + 1);
		if (v->netns && self_fd < 0) {
			self_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
			if (self_fd < 0) {
				msg_err("open /proc/self/ns/net");
				return undo_veths(&nl, i + 1);
			}
		}
		if (peer_configure(v, i, self_fd) < 0)
			return undo_veths(&nl, i + 1);
	}
	for (int i = 0; i < nmasters; i++)
		if (master_set(&nl, &masters[i]) < 0)
			return undo_veths(&nl, nveths);
	for (int i = 0; i < naddrs; i++) {
		const struct addr *a = &addrs[i];

		/* Peers that stayed here are configured with the --addr ones. */
		if ((a->veth < 0 || !veths[a->veth].netns) && addr_add(&nl, NULL, a) < 0)
			return undo_veths(&nl, nveths);
	}
	for (int i = 0; i < nups; i++)
		if (link_up(&nl, NULL, ups[i]) < 0)
			return undo_veths(&nl, nveths);
	/* Last: a gateway must be on a network an address here has made reachable. */
	for (int i = 0; i < nroutes; i++)
		if (routes[i].veth < 0 && route_add(&nl, NULL, &routes[i]) < 0)
			return undo_veths(&nl, nveths);
	nl_close(&nl);
	if (self_fd >= 0)
		close(self_fd);
	for (int i = 0; i < nveths; i++)
		if (veths[i].nsfd >= 0)
			close(veths[i].nsfd);
	/*
	 * The typed shell kept every capability (--keep-caps) for the lines
	 * above; the command inherits none (exec gives a uid other than 0 no
	 * capabilities, and nothing is in CapInh or CapAmb here), so the
	 * typed session gives them up before it goes on.
	 */
	if (userns) {
		msg_note("the command inherits no capabilities (CapInh and CapAmb are 0)");
		msg_note("  $ exec setpriv --inh-caps=-all --ambient-caps=-all \"$SHELL\"");
	}

	return step_exec(argv + optind);
}
