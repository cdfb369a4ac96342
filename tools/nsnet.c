/* SPDX-License-Identifier: MIT */
/*
 * nsnet: run a command in a new network namespace.
 * unshare(CLONE_NEWNET); bring lo up; over rtnetlink create the bridges,
 * veth pairs, addresses, links and routes asked for; exec the command.
 * With -U it is one
 * unshare(CLONE_NEWUSER|CLONE_NEWNET) with your ids mapped to themselves:
 * the call bitbake's disable_network() makes, except that a failure never
 * runs the command.  bitbake leaves lo down in every release (2.2 added
 * enable_loopback_networking(), which nothing calls): that is --no-lo.  lo
 * is up by default, -U or not, as portage's, Nix's and sbuild's build
 * sandboxes have it, since most programs expect 127.0.0.1 (nsnet(1)).
 * The network options and their rtnetlink steps are lib/netcfg's;
 * --outbound starts slirp4netns or pasta (lib/outbound), --sys mounts a
 * fresh /sys in a mount namespace of the command's own.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include "diag.h"
#include "exits.h"
#include "idmap.h"
#include "keep.h"
#include "msg.h"
#include "netcfg.h"
#include "opts.h"
#include "outbound.h"
#include "step.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: nsnet [-hUvV] [--no-lo] [--bridge NAME]... [--veth NAME:PEER\n"
"             [--peer-netns PID|PATH] [--peer-addr CIDR]... [--peer-route ROUTE]...]...\n"
"             [--master IFACE=BRIDGE]... [--addr IFACE=CIDR]... [--up IFACE]...\n"
"             [--route ROUTE]... [--default-via GW] [--outbound slirp4netns|pasta]\n"
"             [--sys] [command [arg ...]]\n"
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
"      --name NAME          keep the namespace as /run/netns/NAME, as\n"
"                           ip netns add NAME (root: the host's /run)\n"
"      --outbound HELPER    a way out through slirp4netns or pasta, started\n"
"                           before the command and stopped when it ends: tap0\n"
"                           10.0.2.100/24, gateway 10.0.2.2 (the host's\n"
"                           127.0.0.1 too), DNS 10.0.2.3\n"
"      --sys                also a private mount namespace with a fresh sysfs\n"
"                           on /sys (and the helper's DNS in /etc/resolv.conf)\n");
}

/* The network's options are netcfg's (lib/netcfg), by their codes there. */
enum { OPT_NO_LO = 128, OPT_NAME, OPT_OUTBOUND, OPT_SYS };

static const struct option longopts[] = {
	{ "userns",     no_argument,       NULL, 'U' },
	{ "no-lo",      no_argument,       NULL, OPT_NO_LO },
	{ "veth",       required_argument, NULL, NETCFG_VETH },
	{ "peer-netns", required_argument, NULL, NETCFG_PEER_NETNS },
	{ "peer-addr",  required_argument, NULL, NETCFG_PEER_ADDR },
	{ "addr",       required_argument, NULL, NETCFG_ADDR },
	{ "up",         required_argument, NULL, NETCFG_UP },
	{ "bridge",     required_argument, NULL, NETCFG_BRIDGE },
	{ "master",     required_argument, NULL, NETCFG_MASTER },
	{ "route",      required_argument, NULL, NETCFG_ROUTE },
	{ "default-via", required_argument, NULL, NETCFG_DEFAULT_VIA },
	{ "peer-route", required_argument, NULL, NETCFG_PEER_ROUTE },
	{ "name",       required_argument, NULL, OPT_NAME },
	{ "outbound",   required_argument, NULL, OPT_OUTBOUND },
	{ "sys",        no_argument,       NULL, OPT_SYS },
	{ NULL, 0, NULL, 0 },
};

/* An option's value refused before anything changed: one line, 125. */
static int refused(const struct netcfg *cfg)
{
	errno = cfg->err;
	if (cfg->err)
		msg_err("%s", cfg->why);
	else
		msg_say("%s", cfg->why);
	return CHAIN_EXIT_FAIL;
}

/* /run/netns/NAME once made, until the namespace is bound there: undone at exit. */
static char netns_path[PATH_MAX];

static void undo_netns(void)
{
	if (*netns_path)
		keep_netns_undo(netns_path);
}

static int fresh_sys(void)
{
	if (step_fresh_sysfs("/sys") == 0)
		return 0;
	msg_fail(DIAG_MOUNT, CLONE_NEWNET, "--sys: mount sysfs on /sys");
	return -1;
}

int main(int argc, char *argv[])
{
	const char *name = NULL;
	struct opts o = { .shortopts = "U", .longopts = longopts, .usage = usage, .kind = OPTS_CHAIN };
	static struct netcfg cfg;	/* in .bss: an initializer would put its 145 KiB in the file */
	static struct idmap um, gm;
	static struct outbound ob = { .pid = -1, .go = -1, .ready = -1, .log = -1 };
	enum outbound_kind helper;
	int c, flags, outbound = 0, sys = 0;

	msg_init(argv[0]);
	cfg.lo = 1;
	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case 'U':
			cfg.userns = 1;
			break;
		case OPT_NO_LO:
			cfg.lo = 0;
			break;
		case OPT_NAME:
			if (!keep_netns_name_ok(optarg)) {
				msg_say("--name '%s': expected a file name for /run/netns", optarg);
				return opts_misuse(&o);
			}
			name = optarg;
			break;
		case OPT_OUTBOUND:
			if (outbound_parse(optarg, &helper) < 0) {
				msg_say("--outbound '%s': write slirp4netns or pasta", optarg);
				return opts_misuse(&o);
			}
			outbound = 1;
			break;
		case OPT_SYS:
			sys = 1;
			break;
		case OPTS_EXIT:
			return o.status;
		default:
			if (netcfg_option(&cfg, c, optarg) < 0)
				return refused(&cfg);
		}
	}
	if (netcfg_check(&cfg) < 0)
		return refused(&cfg);

	/* bitbake's disable_network(): "uid uid 1", deny, "gid gid 1", our
	 * ids read now: after unshare they are the overflow id 65534. */
	if (cfg.userns) {
		idmap_self_map(&um, geteuid(), geteuid());
		idmap_self_map(&gm, getegid(), getegid());
	}
	/*
	 * Typed, the -U step is one unshare(1) that writes the maps itself
	 * (a shell in the new namespace may not: exec dropped its
	 * capabilities) and keeps the namespace's capabilities for the shell
	 * (--keep-caps), or "ip link set lo up" would be refused to a uid
	 * other than 0.  nsnet's command itself gets none.
	 */
	/* As ip netns add: /run/netns ready and NAME created before the unshare. */
	if (name) {
		if (keep_netns_prepare(name, netns_path, sizeof(netns_path)) < 0) {
			msg_err("--name %s: make /run/netns/%s as ip netns add does", name, name);
			if (errno == EACCES || errno == EPERM)
				msg_hint("%s", KEEP_HINT_UNPRIVILEGED);
			*netns_path = '\0';
			return CHAIN_EXIT_FAIL;
		}
		atexit(undo_netns);
	}
	/* The helper must stay where the way out is: its process comes first. */
	if (outbound && outbound_step_fork(&ob, helper) < 0)
		return CHAIN_EXIT_FAIL;
	flags = CLONE_NEWNET | (cfg.userns ? CLONE_NEWUSER : 0);
	if (step_unshare(flags, cfg.userns ? "unshare --user --net --map-current-user --keep-caps"
					   : "unshare --net") < 0)
		return CHAIN_EXIT_FAIL;
	/* The maps are in the unshare(1) line already: no shell lines. */
	msg_narrate_shell(0);
	if (cfg.userns && step_maps(&um, &gm) < 0)
		return CHAIN_EXIT_FAIL;
	msg_narrate_shell(1);

	/* The helper's tap, address and route first: nothing to undo if it fails. */
	if (outbound && outbound_step_start(&ob) < 0)
		return CHAIN_EXIT_FAIL;
	if (netcfg_apply(&cfg) < 0) {
		outbound_stop(&ob);
		return CHAIN_EXIT_FAIL;
	}
	/* Last, as ip does, so a watcher of /run/netns sees it ready. */
	if (name) {
		if (keep_bind("/proc/self/ns/net", netns_path, -1) < 0) {
			msg_err("--name %s: bind /proc/self/ns/net on %s", name, netns_path);
			outbound_stop(&ob);
			return CHAIN_EXIT_FAIL;
		}
		*netns_path = '\0';
	}
	/*
	 * --sys: what ip netns exec does for its command, after --name's
	 * bind, which belongs to the host's mount namespace: a mount namespace
	 * of the command's own, private first so nothing mounted in it
	 * reaches the host; /sys then lists this namespace's links.
	 */
	if (sys && (step_unshare(CLONE_NEWNS, "unshare --mount") < 0 ||
		    step_propagate(MS_PRIVATE) < 0 || fresh_sys() < 0 ||
		    (outbound && outbound_step_resolv() < 0))) {
		outbound_stop(&ob);
		return CHAIN_EXIT_FAIL;
	}
	outbound_detach(&ob);
	/*
	 * The typed shell kept every capability (--keep-caps) for the lines
	 * above; the command inherits none (exec gives a uid other than 0 no
	 * capabilities, and nothing is in CapInh or CapAmb here), so the
	 * typed session gives them up before it goes on.
	 */
	if (cfg.userns) {
		msg_note("the command inherits no capabilities (CapInh and CapAmb are 0)");
		msg_note("  $ exec setpriv --inh-caps=-all --ambient-caps=-all \"$SHELL\"");
	}

	if (keep_after(&o, "net", getpid(), -1, KEEP_ALL) < 0)
		return CHAIN_EXIT_FAIL;
	return step_exec(argv + optind);
}
