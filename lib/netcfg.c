/* SPDX-License-Identifier: MIT */
/*
 * netcfg: nsnet's network options checked before unshare, and its
 * rtnetlink steps after, narrated and diagnosed (netcfg.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
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
#include "idmap.h"
#include "msg.h"
#include "netcfg.h"

/*
 * Narration buffers: "nsenter --net=PATH " and an ip(8) command after it,
 * each PATH shell-quoted.
 */
#define PRELEN (ESC_SHELL_LEN(PATH_MAX) + 32)
#define SHLEN  (PRELEN + ESC_SHELL_LEN(PATH_MAX) + 256)

/*
 * An option's value refused before anything has changed: the words go to
 * cfg->why and the checking unwinds to netcfg_option or netcfg_check,
 * which return -1 (the parsers below read as if refusing ended them).
 */
static void refuse(struct netcfg *cfg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
static void refuse(struct netcfg *cfg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cfg->why, sizeof(cfg->why), fmt, ap);
	va_end(ap);
	longjmp(cfg->refused, 1);
}

static void check_name(struct netcfg *cfg, const char *opt, const char *arg, const char *name)
{
	const char *why;

	if (nl_ifname_valid(name, &why) < 0)
		refuse(cfg, "%s '%s': bad interface name '%s': %s", opt, arg, name, why);
}

/* NAME in "NAME<sep>REST", checked and copied out; REST is returned. */
static const char *split_name(struct netcfg *cfg, const char *opt, const char *arg, int sep,
			      const char *form, char name[NL_IFNAMSIZ])
{
	const char *end = strchr(arg, sep);

	if (!end)
		refuse(cfg, "%s '%s': write %s", opt, arg, form);
	if ((size_t)(end - arg) >= NL_IFNAMSIZ)
		refuse(cfg, "%s '%s': bad interface name '%.*s': longer than 15 bytes",
		       opt, arg, (int)(end - arg), arg);
	memcpy(name, arg, (size_t)(end - arg));
	name[end - arg] = '\0';
	check_name(cfg, opt, arg, name);
	return end + 1;
}

static struct netcfg_veth *last_veth(struct netcfg *cfg, const char *opt, const char *arg)
{
	if (cfg->nveths == 0)
		refuse(cfg, "%s '%s': no --veth before it (it applies to the last --veth's peer)",
		       opt, arg);
	return &cfg->veths[cfg->nveths - 1];
}

/* Is name one of the --veth ends already given? */
static int veth_has(struct netcfg *cfg, const char *name)
{
	for (int i = 0; i < cfg->nveths; i++)
		if (strcmp(cfg->veths[i].name, name) == 0 || strcmp(cfg->veths[i].peer, name) == 0)
			return 1;
	return 0;
}

static void add_veth(struct netcfg *cfg, const char *arg)
{
	struct netcfg_veth *v = &cfg->veths[cfg->nveths];
	const char *peer;

	if (cfg->nveths == NETCFG_MAX_VETHS)
		refuse(cfg, "--veth '%s': at most %d pairs", arg, NETCFG_MAX_VETHS);
	peer = split_name(cfg, "--veth", arg, ':', "NAME:PEER, e.g. veth0:veth1", v->name);
	check_name(cfg, "--veth", arg, peer);
	strcpy(v->peer, peer);
	if (strcmp(v->name, v->peer) == 0)
		refuse(cfg, "--veth '%s': the two ends need different names", arg);
	if (veth_has(cfg, v->name) || veth_has(cfg, v->peer))
		refuse(cfg, "--veth '%s': a name already given to another --veth", arg);
	v->nsfd = -1;
	cfg->nveths++;
}

static void add_addr(struct netcfg *cfg, int veth, const char *opt, const char *arg, const char *ifname,
		     const char *cidr)
{
	struct netcfg_addr *a = &cfg->addrs[cfg->naddrs];
	const char *why;

	if (cfg->naddrs == NETCFG_MAX_ADDRS)
		refuse(cfg, "%s '%s': at most %d addresses", opt, arg, NETCFG_MAX_ADDRS);
	check_name(cfg, opt, arg, ifname);
	if (nl_cidr_parse(cidr, &a->c, &why) < 0)
		refuse(cfg, "%s '%s': '%s' is not a CIDR: %s", opt, arg, cidr, why);
	a->veth = veth;
	a->arg = arg;
	strcpy(a->ifname, ifname);
	cfg->naddrs++;
}

static void add_iface_addr(struct netcfg *cfg, const char *arg)
{
	char name[NL_IFNAMSIZ];
	const char *cidr;

	cidr = split_name(cfg, "--addr", arg, '=', "IFACE=CIDR, e.g. veth0=10.0.0.1/24", name);
	add_addr(cfg, -1, "--addr", arg, name, cidr);
}

static void add_up(struct netcfg *cfg, const char *arg)
{
	if (cfg->nups == NETCFG_MAX_UPS)
		refuse(cfg, "--up '%s': at most %d", arg, NETCFG_MAX_UPS);
	check_name(cfg, "--up", arg, arg);
	cfg->ups[cfg->nups++] = arg;
}

static void add_bridge(struct netcfg *cfg, const char *arg)
{
	if (cfg->nbridges == NETCFG_MAX_UPS)
		refuse(cfg, "--bridge '%s': at most %d", arg, NETCFG_MAX_UPS);
	check_name(cfg, "--bridge", arg, arg);
	if (veth_has(cfg, arg))
		refuse(cfg, "--bridge '%s': a name already given to a --veth", arg);
	for (int i = 0; i < cfg->nbridges; i++)
		if (strcmp(cfg->bridges[i], arg) == 0)
			refuse(cfg, "--bridge '%s': given twice", arg);
	cfg->bridges[cfg->nbridges++] = arg;
}

static void add_master(struct netcfg *cfg, const char *arg)
{
	struct netcfg_master *m = &cfg->masters[cfg->nmasters];

	if (cfg->nmasters == NETCFG_MAX_UPS)
		refuse(cfg, "--master '%s': at most %d", arg, NETCFG_MAX_UPS);
	m->bridge = split_name(cfg, "--master", arg, '=', "IFACE=BRIDGE, e.g. veth0=br0", m->ifname);
	check_name(cfg, "--master", arg, m->bridge);
	if (strcmp(m->ifname, m->bridge) == 0)
		refuse(cfg, "--master '%s': a bridge cannot be its own port", arg);
	cfg->nmasters++;
}

static void add_route(struct netcfg *cfg, int veth, const char *opt, const char *arg, const char *spec)
{
	struct netcfg_route *r = &cfg->routes[cfg->nroutes];
	const char *why;

	if (cfg->nroutes == NETCFG_MAX_ROUTES)
		refuse(cfg, "%s '%s': at most %d cfg->routes", opt, arg, NETCFG_MAX_ROUTES);
	if (nl_route_parse(spec, &r->r, &why) < 0)
		refuse(cfg, "%s '%s': not a route: %s", opt, arg, why);
	r->veth = veth;
	r->opt = opt;
	r->arg = arg;
	cfg->nroutes++;
}

static void add_default_via(struct netcfg *cfg, const char *arg)
{
	static char spec[64];	/* "default,via=" and an address, checked by the parser */

	if (strlen(arg) > 48)
		refuse(cfg, "--default-via '%s': not an IPv4 or IPv6 address", arg);
	snprintf(spec, sizeof(spec), "default,via=%s", arg);
	add_route(cfg, -1, "--default-via", arg, spec);
}

/*
 * Open the namespace file now, before unshare: the PID cannot be reused
 * under us, and after -U we could no longer open another user's
 * /proc/PID/ns/net (ptrace access rules).
 */
static void open_peer_netns(struct netcfg *cfg, struct netcfg_veth *v, const char *arg)
{
	uint32_t pid;
	struct statfs sfs;
	int type, by_pid = arg[0] && arg[strspn(arg, "0123456789")] == '\0';

	if (v->netns)
		refuse(cfg, "--peer-netns '%s': the peer of --veth %s:%s is moved already",
		       arg, v->name, v->peer);
	v->netns = arg;
	if (by_pid && (idmap_parse_id(arg, &pid) < 0 || pid == 0 || pid > INT_MAX))
		refuse(cfg, "--peer-netns '%s': not a PID", arg);
	if (by_pid)
		snprintf(v->nspath, sizeof(v->nspath), "/proc/%u/ns/net", pid);
	else if (arg[0] == '\0')
		refuse(cfg, "--peer-netns '': neither a PID nor a path");
	/* A bare NAME is /run/netns/NAME, as ip(8) reads it. */
	else if (!strchr(arg, '/') &&
		 (size_t)snprintf(v->nspath, sizeof(v->nspath), "/run/netns/%s", arg) >= sizeof(v->nspath))
		refuse(cfg, "--peer-netns '%s': the name is too long", arg);
	else if (strchr(arg, '/') &&
		 (size_t)snprintf(v->nspath, sizeof(v->nspath), "%s", arg) >= sizeof(v->nspath))
		refuse(cfg, "--peer-netns '%s': the path is too long", arg);
	/* Whatever the path names, opening it must neither block (a FIFO) nor
	 * take a terminal: it is checked to be a namespace only after. */
	v->nsfd = open(v->nspath, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (v->nsfd < 0 && errno == ENOENT && by_pid)
		refuse(cfg, "--peer-netns '%s': no such process", arg);
	if (v->nsfd < 0) {
		cfg->err = errno;
		refuse(cfg, "--peer-netns '%s': open %s", arg, v->nspath);
	}
	if (fstatfs(v->nsfd, &sfs) < 0 || sfs.f_type != NSFS_MAGIC)
		refuse(cfg, "--peer-netns '%s': %s is not a namespace file (see /proc/PID/ns/net, /run/netns/NAME)",
		       arg, v->nspath);
	/* NS_GET_NSTYPE came in Linux 4.11; before it the kernel judges later. */
	type = ioctl(v->nsfd, NS_GET_NSTYPE);
	if (type >= 0 && type != CLONE_NEWNET)
		refuse(cfg, "--peer-netns '%s': %s is not a network namespace", arg, v->nspath);
}

/*
 * Does the peer's namespace path mean the same to a command typed after
 * "unshare --net"?  /proc/self (and thread-self, /dev/fd) names the
 * process that opens it: nsnet, before its unshare, but typed, ip(8) or
 * nsenter(1) itself, in the new namespace.  Such steps get no shell line.
 */
static int typable(const struct netcfg_veth *v)
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
static const char *in_peer(const struct netcfg_veth *v, char *buf, size_t len)
{
	static char q[ESC_SHELL_LEN(PATH_MAX)];

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
static void hint_peer_owner(struct netcfg *cfg, const struct netcfg_veth *v)
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
	if (cfg->userns)
		msg_hint("-U made a user namespace that owns nothing but the new network namespace;");
	msg_hint("create both network namespaces inside one user namespace: usernsselfmap sh -c 'nsnet sleep 60 & nsnet --veth a:b --peer-netns $! ...'");
}

/* After a failed step that touched the peer's namespace: is it ours to change? */
static void hint_peer(struct netcfg *cfg, const struct netcfg_veth *peer_of)
{
	if (errno == EPERM)
		hint_peer_owner(cfg, peer_of);
}

static int link_up(struct netcfg *cfg, struct nl_sock *nl, const struct netcfg_veth *peer_of, const char *name)
{
	static char sh[SHLEN], pre[PRELEN];
	int rc = nl_link_set_up(nl, name);

	snprintf(sh, sizeof(sh), "%sip link set %.15s up", in_peer(peer_of, pre, sizeof(pre)), name);
	msg_narrate(typable(peer_of) ? sh : NULL, rc, "RTM_NEWLINK(ifname=\"%s\", IFF_UP)", name);
	if (rc < 0) {
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_NEWLINK %s up", name);
		hint_peer(cfg, peer_of);
	}
	return rc;
}

/* --addr and --peer-addr: the address, then the link up, as ifconfig did. */
static int addr_add(struct netcfg *cfg, struct nl_sock *nl, const struct netcfg_veth *peer_of, const struct netcfg_addr *a)
{
	static char sh[SHLEN], pre[PRELEN];
	char cidr[64];
	int index, rc;

	nl_cidr_str(&a->c, cidr, sizeof(cidr));
	index = nl_link_index(nl, a->ifname);
	msg_narrate(NULL, index, "RTM_GETLINK(ifname=\"%s\")", a->ifname);
	if (index < 0) {
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_GETLINK %s", a->ifname);
		hint_peer(cfg, peer_of);
		return -1;
	}
	rc = nl_addr_add(nl, index, &a->c);
	snprintf(sh, sizeof(sh), "%sip addr add %s dev %.15s%s", in_peer(peer_of, pre, sizeof(pre)),
		 cidr, a->ifname, a->c.family == AF_INET6 ? " nodad" : "");
	msg_narrate(typable(peer_of) ? sh : NULL, rc, "RTM_NEWADDR(index=%d, %s)", index, cidr);
	if (rc < 0) {
		msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_NEWADDR %s dev %s",
			       cidr, a->ifname);
		hint_peer(cfg, peer_of);
		return -1;
	}
	return link_up(cfg, nl, peer_of, a->ifname);
}

/* --route and --peer-route: the device's index first, when one is named. */
static int route_add(struct netcfg *cfg, struct nl_sock *nl, const struct netcfg_veth *peer_of, const struct netcfg_route *r)
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
		hint_peer(cfg, peer_of);
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

static int master_set(struct nl_sock *nl, const struct netcfg_master *m)
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

static int veth_add(struct nl_sock *nl, const struct netcfg_veth *v)
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

static int veth_move_peer(struct netcfg *cfg, struct nl_sock *nl, const struct netcfg_veth *v)
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
		hint_peer(cfg, v);
	}
	return rc;
}

/*
 * Fail closed: delete the pairs made so far.  Left to the namespace's
 * teardown, which the kernel does later and asynchronously, a peer moved
 * out would linger, addressed and up, and a retry at once would find its
 * name taken.  Deleting one end takes the other along, wherever it is.
 */
static int undo_veths(struct netcfg *cfg, struct nl_sock *nl, int made)
{
	static char sh[SHLEN];

	while (made-- > 0) {
		const struct netcfg_veth *v = &cfg->veths[made];
		int rc = nl_link_del(nl, v->name);

		snprintf(sh, sizeof(sh), "ip link del %.15s", v->name);
		msg_narrate(sh, rc, "RTM_DELLINK(ifname=\"%s\")", v->name);
		if (rc < 0)
			msg_fail_said(DIAG_NETLINK, 0, nl_ext_ack(nl), "RTM_DELLINK %s (undoing --veth %s:%s)",
				       v->name, v->name, v->peer);
	}
	return -1;
}

static int enter(struct netcfg *cfg, int fd, const char *path, const struct netcfg_veth *v)
{
	int rc = setns(fd, CLONE_NEWNET);

	/* No shell line: nsenter(1) appears on each ip command instead. */
	msg_narrate(NULL, rc, "setns(%s, CLONE_NEWNET)", path);
	if (rc < 0) {
		msg_fail(DIAG_SETNS, CLONE_NEWNET, "setns %s", path);
		if (errno == EPERM)
			hint_peer_owner(cfg, v);
	}
	return rc;
}

/*
 * The peer's addresses are set from a socket made in the peer's namespace:
 * a netlink socket keeps the namespace it was created in, so we visit it
 * only for socket(2) and come straight back through a saved fd of ours.
 */
static int peer_configure(struct netcfg *cfg, const struct netcfg_veth *v, int v_index, int self_fd)
{
	struct nl_sock nl;
	int rc = 0, n = 0;

	for (int i = 0; i < cfg->naddrs; i++)
		n += cfg->addrs[i].veth == v_index;
	for (int i = 0; i < cfg->nroutes; i++)
		n += cfg->routes[i].veth == v_index;
	if (!v->netns || n == 0)
		return 0;
	if (enter(cfg, v->nsfd, v->nspath, v) < 0)
		return -1;
	rc = nl_open(&nl);
	if (rc < 0)
		msg_fail(DIAG_NETLINK, 0, "socket(AF_NETLINK, NETLINK_ROUTE) in %s", v->nspath);
	/* No way back would leave the command in the wrong namespace. */
	if (enter(cfg, self_fd, "our own network namespace", NULL) < 0) {
		if (rc == 0)
			nl_close(&nl);
		return -1;
	}
	for (int i = 0; i < cfg->naddrs && rc == 0; i++)
		if (cfg->addrs[i].veth == v_index)
			rc = addr_add(cfg, &nl, v, &cfg->addrs[i]);
	for (int i = 0; i < cfg->nroutes && rc == 0; i++)
		if (cfg->routes[i].veth == v_index)
			rc = route_add(cfg, &nl, v, &cfg->routes[i]);
	if (nl.fd >= 0)
		nl_close(&nl);
	return rc;
}

int netcfg_option(struct netcfg *cfg, int opt, const char *arg)
{
	const struct netcfg_veth *v;

	cfg->err = 0;
	if (setjmp(cfg->refused))
		return -1;
	switch (opt) {
	case NETCFG_VETH:
		add_veth(cfg, arg);
		break;
	case NETCFG_PEER_NETNS:
		open_peer_netns(cfg, last_veth(cfg, "--peer-netns", arg), arg);
		break;
	case NETCFG_PEER_ADDR:
		v = last_veth(cfg, "--peer-addr", arg);
		add_addr(cfg, (int)(v - cfg->veths), "--peer-addr", arg, v->peer, arg);
		break;
	case NETCFG_PEER_ROUTE:
		v = last_veth(cfg, "--peer-route", arg);
		add_route(cfg, (int)(v - cfg->veths), "--peer-route", arg, arg);
		break;
	case NETCFG_ADDR:
		add_iface_addr(cfg, arg);
		break;
	case NETCFG_UP:
		add_up(cfg, arg);
		break;
	case NETCFG_BRIDGE:
		add_bridge(cfg, arg);
		break;
	case NETCFG_MASTER:
		add_master(cfg, arg);
		break;
	case NETCFG_ROUTE:
		add_route(cfg, -1, "--route", arg, arg);
		break;
	case NETCFG_DEFAULT_VIA:
		add_default_via(cfg, arg);
		break;
	}
	return 0;
}

int netcfg_check(struct netcfg *cfg)
{
	cfg->err = 0;
	if (setjmp(cfg->refused))
		return -1;
	/* A peer moved away is not here for --addr or --up to find. */
	for (int i = 0; i < cfg->nveths; i++) {
		const char *peer = cfg->veths[i].peer;

		if (!cfg->veths[i].netns)
			continue;
		for (int j = 0; j < cfg->naddrs; j++)
			if (cfg->addrs[j].veth < 0 && strcmp(cfg->addrs[j].ifname, peer) == 0)
				refuse(cfg, "--addr '%s': %s is moved by --peer-netns; use --peer-addr",
				       cfg->addrs[j].arg, peer);
		for (int j = 0; j < cfg->nups; j++)
			if (strcmp(cfg->ups[j], peer) == 0)
				refuse(cfg, "--up '%s': %s is moved by --peer-netns; --peer-addr sets it up",
				       cfg->ups[j], peer);
		for (int j = 0; j < cfg->nmasters; j++)
			if (strcmp(cfg->masters[j].ifname, peer) == 0)
				refuse(cfg, "--master '%s': %s is moved by --peer-netns",
				       cfg->masters[j].ifname, peer);
	}
	/* A route through a peer that stays here is ours; a moved peer's needs --peer-netns. */
	for (int j = 0; j < cfg->nroutes; j++)
		if (cfg->routes[j].veth >= 0 && !cfg->veths[cfg->routes[j].veth].netns)
			cfg->routes[j].veth = -1;
	return 0;
}

static int steps(struct netcfg *cfg, struct nl_sock *nl, int *self_fd)
{
	if (cfg->lo && link_up(cfg, nl, NULL, "lo") < 0)
		return -1;
	/* Bridges go with the namespace; nothing of them is outside to undo. */
	for (int i = 0; i < cfg->nbridges; i++)
		if (bridge_add(nl, cfg->bridges[i]) < 0)
			return -1;
	for (int i = 0; i < cfg->nveths; i++) {
		const struct netcfg_veth *v = &cfg->veths[i];

		if (veth_add(nl, v) < 0)
			return undo_veths(cfg, nl, i);
		if (v->netns && veth_move_peer(cfg, nl, v) < 0)
			return undo_veths(cfg, nl, i + 1);
		if (v->netns && *self_fd < 0) {
			*self_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
			if (*self_fd < 0) {
				msg_err("open /proc/self/ns/net");
				return undo_veths(cfg, nl, i + 1);
			}
		}
		if (peer_configure(cfg, v, i, *self_fd) < 0)
			return undo_veths(cfg, nl, i + 1);
	}
	for (int i = 0; i < cfg->nmasters; i++)
		if (master_set(nl, &cfg->masters[i]) < 0)
			return undo_veths(cfg, nl, cfg->nveths);
	for (int i = 0; i < cfg->naddrs; i++) {
		const struct netcfg_addr *a = &cfg->addrs[i];

		/* Peers that stayed here are configured with the --addr ones. */
		if ((a->veth < 0 || !cfg->veths[a->veth].netns) && addr_add(cfg, nl, NULL, a) < 0)
			return undo_veths(cfg, nl, cfg->nveths);
	}
	for (int i = 0; i < cfg->nups; i++)
		if (link_up(cfg, nl, NULL, cfg->ups[i]) < 0)
			return undo_veths(cfg, nl, cfg->nveths);
	/* Last: a gateway must be on a network an address here has made reachable. */
	for (int i = 0; i < cfg->nroutes; i++)
		if (cfg->routes[i].veth < 0 && route_add(cfg, nl, NULL, &cfg->routes[i]) < 0)
			return undo_veths(cfg, nl, cfg->nveths);
	return 0;
}

int netcfg_apply(struct netcfg *cfg)
{
	struct nl_sock nl;
	int self_fd = -1, rc = -1;

	if (nl_open(&nl) == 0) {
		rc = steps(cfg, &nl, &self_fd);
		nl_close(&nl);
	} else {
		msg_fail(DIAG_NETLINK, 0, "socket(AF_NETLINK, NETLINK_ROUTE)");
	}
	if (self_fd >= 0)
		close(self_fd);
	for (int i = 0; i < cfg->nveths; i++)
		if (cfg->veths[i].nsfd >= 0)
			close(cfg->veths[i].nsfd);
	return rc;
}
