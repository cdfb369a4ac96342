/* SPDX-License-Identifier: MIT */
/*
 * netcfg: what nsnet sets up in its new network namespace (veth pairs and
 * where their peers go, bridges, addresses, links up, routes), checked
 * before unshare, and the rtnetlink steps that set it up after.
 *
 * netcfg_option() and netcfg_check() refuse a value before anything has
 * changed: -1 with the words in cfg->why (and cfg->err, the errno behind
 * them, or 0); the tool says them and exits 125.  netcfg_apply() takes the
 * steps, each narrated with its ip(8) equivalent and, when it fails,
 * worded with the kernel's extended ack and diag's hints through lib/msg,
 * as lib/step's steps are.
 */
#ifndef NSLAB_NETCFG_H
#define NSLAB_NETCFG_H

#include <limits.h>
#include <setjmp.h>

#include "netlink.h"

/* The options netcfg_option() takes: nsnet's getopt codes for them. */
enum netcfg_opt {
	NETCFG_VETH = 256,	/* --veth NAME:PEER */
	NETCFG_PEER_NETNS,	/* --peer-netns PID|PATH|NAME, of the last --veth */
	NETCFG_PEER_ADDR,	/* --peer-addr CIDR, of the last --veth */
	NETCFG_PEER_ROUTE,	/* --peer-route ROUTE, of the last --veth */
	NETCFG_ADDR,		/* --addr IFACE=CIDR */
	NETCFG_UP,		/* --up IFACE */
	NETCFG_BRIDGE,		/* --bridge NAME */
	NETCFG_MASTER,		/* --master IFACE=BRIDGE */
	NETCFG_ROUTE,		/* --route ROUTE */
	NETCFG_DEFAULT_VIA,	/* --default-via GW */
};

#define NETCFG_MAX_VETHS  32
#define NETCFG_MAX_ADDRS  64
#define NETCFG_MAX_UPS    64
#define NETCFG_MAX_ROUTES 64

struct netcfg_veth {
	char name[NL_IFNAMSIZ], peer[NL_IFNAMSIZ];
	const char *netns;	/* --peer-netns as given, NULL: the peer stays */
	char nspath[PATH_MAX];
	int nsfd;		/* opened before unshare, so the namespace is pinned */
};

struct netcfg_addr {
	int veth;		/* the --veth whose peer gets it, -1 for --addr */
	char ifname[NL_IFNAMSIZ];
	const char *arg;
	struct nl_cidr c;
};

struct netcfg_route {
	int veth;		/* the --veth whose peer's namespace gets it, -1 for --route */
	const char *opt, *arg;
	struct nl_route r;
};

struct netcfg_master {
	char ifname[NL_IFNAMSIZ];
	const char *bridge;
};

/* Zero it, then set lo (1 unless --no-lo) and userns (-U, for the hints). */
struct netcfg {
	int lo, userns;
	struct netcfg_veth veths[NETCFG_MAX_VETHS];
	struct netcfg_addr addrs[NETCFG_MAX_ADDRS];
	struct netcfg_route routes[NETCFG_MAX_ROUTES];
	struct netcfg_master masters[NETCFG_MAX_UPS];
	const char *ups[NETCFG_MAX_UPS], *bridges[NETCFG_MAX_UPS];
	int nveths, naddrs, nroutes, nmasters, nups, nbridges;
	char why[1024];		/* a refusal, worded */
	int err;		/* the errno behind it, or 0 */
	jmp_buf refused;	/* netcfg.c's parsers unwind here */
};

/*
 * One option of enum netcfg_opt and its value.  A --peer-netns file is
 * opened now, before unshare: its PID cannot be reused under us, and
 * after -U another user's /proc/PID/ns/net could no longer be opened.
 */
int netcfg_option(struct netcfg *cfg, int opt, const char *arg);

/* After the options: what they ask for together makes sense. */
int netcfg_check(struct netcfg *cfg);

/*
 * In the new network namespace: lo up, the bridges, each veth pair (its
 * peer moved, addressed and routed), the bridge ports, the addresses,
 * the links up, the routes.  On a failure the pairs made so far are
 * deleted (fail closed) and -1 returned after the messages.  The
 * descriptors netcfg holds are closed either way.
 */
int netcfg_apply(struct netcfg *cfg);

#endif
