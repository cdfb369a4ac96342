/* SPDX-License-Identifier: MIT */
/*
 * usernsselfmap: become root (or the ids you ask for) in a new user namespace.
 * unshare(CLONE_NEWUSER); write uid_map; deny setgroups; write gid_map; take
 * the inside ids; exec the command.  Unlike the nsexec original, it checks
 * unshare's result, denies setgroups before gid_map, and runs your command.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "diag.h"
#include "idmap.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: usernsselfmap [-khvV] [-g gid] [-u uid] [--uid-map I:O:C]...\n"
"                     [--gid-map I:O:C]... [--setgroups allow|deny] [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) as root in a new user namespace, mapped to you.\n"
"\n"
"  -g, --gid GID          take GID inside, mapped to your egid (default 0)\n"
"  -k, --keep-ids         map your uid and gid to themselves (bitbake's mapping)\n"
"  -u, --uid UID          take UID inside, mapped to your euid (default 0)\n"
"      --uid-map I:O:C    write this uid_map line instead (repeatable; ranges\n"
"                         and other ids need privilege in the parent namespace)\n"
"      --gid-map I:O:C    the same for gid_map\n"
"      --setgroups WORD   deny (default) or allow setgroups(2) inside\n"
"  -v, --verbose          narrate each step and its shell equivalent\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Exit status: COMMAND's, or 125 if usernsselfmap failed, 126 if COMMAND\n"
"could not be run, 127 if it was not found.  See usernsselfmap(1).\n");
}

enum { OPT_UID_MAP = 256, OPT_GID_MAP, OPT_SETGROUPS };

static const struct option longopts[] = {
	{ "gid",       required_argument, NULL, 'g' },
	{ "help",      no_argument,       NULL, 'h' },
	{ "keep-ids",  no_argument,       NULL, 'k' },
	{ "uid",       required_argument, NULL, 'u' },
	{ "verbose",   no_argument,       NULL, 'v' },
	{ "version",   no_argument,       NULL, 'V' },
	{ "uid-map",   required_argument, NULL, OPT_UID_MAP },
	{ "gid-map",   required_argument, NULL, OPT_GID_MAP },
	{ "setgroups", required_argument, NULL, OPT_SETGROUPS },
	{ NULL, 0, NULL, 0 },
};

static uint32_t parse_id(const char *opt, const char *s)
{
	uint32_t id;

	/* (uid_t)-1 means "no change" to setresuid(2): never a real id. */
	if (idmap_parse_id(s, &id) < 0 || id == UINT32_MAX) {
		diag_msg("%s '%s': not an id (0 to 4294967294)", opt, s);
		exit(CHAIN_EXIT_FAIL);
	}
	return id;
}

static void add_entry(struct idmap *m, const char *opt, const char *s)
{
	struct idmap_entry e;
	enum idmap_why why;

	if (idmap_parse_entry(s, &e, &why) < 0 || idmap_add(m, &e, &why) < 0) {
		diag_msg("%s '%s': %s", opt, s, idmap_strerror(why));
		exit(CHAIN_EXIT_FAIL);
	}
}

/* The map the kernel lets a process write for itself: "ID <own id> 1". */
static void self_map(struct idmap *m, uint32_t inside, uint32_t outside)
{
	m->n = 1;
	m->e[0] = (struct idmap_entry){ inside, outside, 1 };
}

static int is_self_map(const struct idmap *m, uint32_t own)
{
	return m->n == 1 && m->e[0].outside == own && m->e[0].count == 1;
}

static void check_map(const struct idmap *m, const char *opt, const char *kind,
		      uint32_t inside)
{
	enum idmap_why why;

	if (idmap_validate(m, &why) < 0) {
		diag_msg("%s: %s", opt, idmap_strerror(why));
		exit(CHAIN_EXIT_FAIL);
	}
	if (!idmap_lookup(m, inside, NULL)) {
		diag_msg("%s %u is not mapped by %s; choose one that is with -%c",
			 kind, inside, opt, kind[0]);
		exit(CHAIN_EXIT_FAIL);
	}
}

/*
 * Each outside id of a map given with --uid-map/--gid-map must mean
 * something where we stand, or the kernel answers a bare EPERM.  (Our own
 * ids need no check: unshare(CLONE_NEWUSER) itself refuses a caller whose
 * ids are unmapped.)  An unreadable map (no /proc) leaves the kernel to judge.
 */
static void check_outside(const struct idmap *m, const char *file,
			  const char *kind)
{
	struct idmap_entry bad;

	if (idmap_outside_unmapped(m, file, &bad) != 1)
		return;
	diag_msg("--%s-map %u:%u:%u: outside %ss %u-%u are not all mapped in this user namespace (see %s)",
		 kind, bad.inside, bad.outside, bad.count, kind, bad.outside,
		 bad.outside + bad.count - 1, file);
	exit(CHAIN_EXIT_FAIL);
}

int main(int argc, char *argv[])
{
	static struct idmap uidmap, gidmap;
	uint32_t euid = geteuid(), egid = getegid(), uid = 0, gid = 0;
	const char *setgroups_word = "deny", *cmd;
	struct idmap_helper helper;
	enum idmap_step failed;
	int c, use_helper, given_uidmap, given_gidmap, rc;

	chain_init(argv[0]);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:g:hku:vV", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			gid = parse_id("-g", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'k':
			uid = euid;
			gid = egid;
			break;
		case 'u':
			uid = parse_id("-u", optarg);
			break;
		case 'v':
			chain_set_verbose();
			break;
		case 'V':
			printf("usernsselfmap (nslab) %s\n", NSLAB_VERSION);
			return 0;
		case OPT_UID_MAP:
			add_entry(&uidmap, "--uid-map", optarg);
			break;
		case OPT_GID_MAP:
			add_entry(&gidmap, "--gid-map", optarg);
			break;
		case OPT_SETGROUPS:
			if (strcmp(optarg, "allow") != 0 && strcmp(optarg, "deny") != 0) {
				diag_msg("--setgroups '%s': expected allow or deny", optarg);
				return CHAIN_EXIT_FAIL;
			}
			setgroups_word = optarg;
			break;
		default:
			diag_getopt_error(c, argv);
			return CHAIN_EXIT_FAIL;
		}
	}
	given_uidmap = uidmap.n > 0;
	given_gidmap = gidmap.n > 0;
	if (!given_uidmap)
		self_map(&uidmap, uid, euid);
	if (!given_gidmap)
		self_map(&gidmap, gid, egid);
	check_map(&uidmap, "--uid-map", "uid", uid);
	check_map(&gidmap, "--gid-map", "gid", gid);
	if (given_uidmap)
		check_outside(&uidmap, "/proc/self/uid_map", "uid");
	if (given_gidmap)
		check_outside(&gidmap, "/proc/self/gid_map", "gid");

	/*
	 * After unshare we hold no capability in the parent namespace, so the
	 * kernel takes from us only "X <own id> 1" with setgroups denied.
	 * Anything else is written by a helper forked beforehand.
	 */
	use_helper = !is_self_map(&uidmap, euid) || !is_self_map(&gidmap, egid) ||
		     strcmp(setgroups_word, "allow") == 0;
	if (use_helper && idmap_helper_start(&helper, &uidmap, setgroups_word,
					     &gidmap) < 0) {
		diag_err("fork map-writing helper");
		return CHAIN_EXIT_FAIL;
	}

	rc = unshare(CLONE_NEWUSER);
	chain_narrate("unshare --user", rc, "unshare(CLONE_NEWUSER)");
	if (rc < 0) {
		if (use_helper)
			idmap_helper_cancel(&helper);
		diag_fail(DIAG_UNSHARE, CLONE_NEWUSER, "unshare(CLONE_NEWUSER)");
		return CHAIN_EXIT_FAIL;
	}

	rc = use_helper ? idmap_helper_finish(&helper, &failed)
			: idmap_write(0, &uidmap, setgroups_word, &gidmap, &failed);
	if (rc < 0) {
		if (use_helper)
			diag_fail(diag_idmap_op(failed), CLONE_NEWUSER, "write /proc/%d/%s",
				  (int)getpid(), idmap_step_file(failed));
		else
			diag_fail(diag_idmap_op(failed), CLONE_NEWUSER, "write /proc/self/%s",
				  idmap_step_file(failed));
		return CHAIN_EXIT_FAIL;
	}

	/* Group first: once the uid is not 0 we may lose the right to change it. */
	rc = setresgid(gid, gid, gid);
	chain_narrate(NULL, rc, "setresgid(%u, %u, %u)", gid, gid, gid);
	if (rc < 0) {
		diag_fail(DIAG_SETID, 0, "setresgid(%u)", gid);
		return CHAIN_EXIT_FAIL;
	}
	/* With setgroups denied the kernel refuses this; the groups we came
	 * with then show as the overflow gid (nogroup) inside. */
	if (strcmp(setgroups_word, "allow") == 0) {
		rc = setgroups(0, NULL);
		chain_narrate(NULL, rc, "setgroups(0, NULL)");
		if (rc < 0) {
			diag_fail(DIAG_SETID, 0, "setgroups(0, NULL)");
			return CHAIN_EXIT_FAIL;
		}
	}
	rc = setresuid(uid, uid, uid);
	chain_narrate(NULL, rc, "setresuid(%u, %u, %u)", uid, uid, uid);
	if (rc < 0) {
		diag_fail(DIAG_SETID, 0, "setresuid(%u)", uid);
		return CHAIN_EXIT_FAIL;
	}
	if (uid != 0 && chain_verbose())
		diag_msg("note: uid %u is not 0 here: execve(2) drops the capabilities of the namespace", uid);

	rc = chain_exec(argv + optind, &cmd);
	diag_err("exec %s", cmd);
	return rc;
}
