/* SPDX-License-Identifier: MIT */
/*
 * usernsselfmap: become root (or the ids you ask for) in a new user namespace.
 * unshare(CLONE_NEWUSER); write uid_map; deny setgroups; write gid_map; take
 * the inside ids; exec the command.  Unlike the nsexec original, it checks
 * unshare's result, denies setgroups before gid_map, and runs your command.
 * Maps an unprivileged caller may not write itself (--subids, ranges) are
 * written from outside by a helper process, through newuidmap/newgidmap.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "escape.h"
#include "exits.h"
#include "keep.h"
#include "idmap.h"
#include "maphelper.h"
#include "msg.h"
#include "opts.h"
#include "step.h"
#include "subid.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: usernsselfmap [-khvV] [-g gid] [-u uid] [--subids] [--uid-map I:O:C]...\n"
"                     [--gid-map I:O:C]... [--setgroups allow|deny] [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) as root in a new user namespace, mapped to you.\n"
"\n"
"  -g, --gid GID          take GID (a number or a name) inside, mapped to your\n"
"                         egid (default 0)\n"
"  -k, --keep-ids         map your uid and gid to themselves (bitbake's mapping)\n"
"  -u, --uid UID          take UID (a number or a name) inside, mapped to your\n"
"                         euid (default 0)\n"
"      --subids           also map 1..65535 to your first ranges of /etc/subuid\n"
"                         and /etc/subgid (unshare --map-auto --map-root-user)\n"
"      --uid-map I:O:C    write this uid_map line instead (repeatable; ranges\n"
"                         and other ids go through newuidmap unless root)\n"
"      --gid-map I:O:C    the same for gid_map (through newgidmap)\n"
"      --setgroups WORD   deny or allow setgroups(2) inside (default deny;\n"
"                         allow when newgidmap writes gid_map)\n");
}

enum { OPT_UID_MAP = 256, OPT_GID_MAP, OPT_SETGROUPS, OPT_SUBIDS };

static const struct option longopts[] = {
	{ "gid",       required_argument, NULL, 'g' },
	{ "keep-ids",  no_argument,       NULL, 'k' },
	{ "uid",       required_argument, NULL, 'u' },
	{ "uid-map",   required_argument, NULL, OPT_UID_MAP },
	{ "gid-map",   required_argument, NULL, OPT_GID_MAP },
	{ "setgroups", required_argument, NULL, OPT_SETGROUPS },
	{ "subids",    no_argument,       NULL, OPT_SUBIDS },
	{ NULL, 0, NULL, 0 },
};

/*
 * Whose ranges (subid_owner): looked up only when a range or a helper is
 * involved, before unshare: reading /etc/passwd on every start cost the
 * plain case a dozen system calls.
 */
static struct subid_owner owner;
static int owner_found;
/* Whether newuidmap, newgidmap hold their privilege: seen before unshare. */
static int tool_privileged[2];

static uint32_t parse_id(const char *opt, const char *s, const char *db);
static void add_entry(struct idmap *m, const char *opt, const char *s);
static void subids_map(struct idmap *m, const char *file, uint32_t own, const char *kind);
static void check_map(const struct idmap *m, const char *opt, const char *kind, uint32_t inside,
		      uint32_t own);
static const char *find_tool(const char *tool, char *path, size_t len, int which);
static void tool_failed(const struct idmap_plan *plan, enum idmap_step failed,
			const struct maphelper *h, uint32_t own);
static int check_written(const struct idmap *want, enum idmap_step s, const char *tool);

int main(int argc, char *argv[])
{
	struct opts o = { .shortopts = "g:ku:", .longopts = longopts, .usage = usage, .kind = OPTS_CHAIN };
	static struct idmap uidmap, gidmap;
	static struct maphelper helper;
	uint32_t euid = geteuid(), egid = getegid(), uid = 0, gid = 0;
	const char *setgroups_word = NULL;
	char uid_tool[4096], gid_tool[4096];
	struct idmap_plan plan = { &uidmap, &gidmap, NULL, NULL, NULL };
	enum idmap_step failed = IDMAP_STEP_UID;
	int c, use_helper, keep = 0, subids = 0, allow, rc;

	msg_init(argv[0]);
	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case 'g': gid = parse_id("-g", optarg, LOOKUP_GROUP); break;
		case 'k':
			keep = 1;
			uid = euid;
			gid = egid;
			break;
		case 'u': uid = parse_id("-u", optarg, LOOKUP_PASSWD); break;
		case OPT_UID_MAP: add_entry(&uidmap, "--uid-map", optarg); break;
		case OPT_GID_MAP: add_entry(&gidmap, "--gid-map", optarg); break;
		case OPT_SETGROUPS:
			if (strcmp(optarg, "allow") != 0 && strcmp(optarg, "deny") != 0) {
				msg_say("--setgroups '%s': expected allow or deny", optarg);
				return CHAIN_EXIT_FAIL;
			}
			setgroups_word = optarg;
			break;
		case OPT_SUBIDS: subids = 1; break;
		case OPTS_EXIT: return o.status;
		}
	}
	if (subids && (keep || uidmap.n || gidmap.n)) {
		msg_say("--subids writes the maps itself: it does not combine with %s",
			 keep ? "-k" : uidmap.n ? "--uid-map" : "--gid-map");
		return CHAIN_EXIT_FAIL;
	}
	if (subids) {
		subids_map(&uidmap, SUBID_UID_FILE, euid, "uid");
		subids_map(&gidmap, SUBID_GID_FILE, egid, "gid");
	}
	if (!uidmap.n)
		idmap_self_map(&uidmap, uid, euid);
	if (!gidmap.n)
		idmap_self_map(&gidmap, gid, egid);
	check_map(&uidmap, "--uid-map", "uid", uid, euid);
	check_map(&gidmap, "--gid-map", "gid", gid, egid);

	/*
	 * After unshare we hold no capability in the parent namespace, so the
	 * kernel takes from us only "X <own id> 1" with setgroups denied.
	 * Anything else is written by a helper forked beforehand: directly when
	 * we are root, else through the setuid newuidmap/newgidmap, which map
	 * what /etc/subuid and /etc/subgid grant us.
	 */
	if (euid != 0 && !idmap_is_self(&uidmap, euid))
		plan.uid_tool = find_tool("newuidmap", uid_tool, sizeof(uid_tool), 0);
	if (euid != 0 && !idmap_is_self(&gidmap, egid))
		plan.gid_tool = find_tool("newgidmap", gid_tool, sizeof(gid_tool), 1);
	/* Before unshare: getuid() is then still our outside uid. */
	if ((plan.uid_tool || plan.gid_tool) && !owner_found++)
		subid_owner(&owner);
	/* newgidmap allows setgroups itself where /etc/subgid grants the
	 * range (rootless package managers call setgroups); deny is ours. */
	if (plan.gid_tool)
		plan.setgroups = setgroups_word && strcmp(setgroups_word, "deny") == 0 ?
				 "deny" : NULL;
	else
		plan.setgroups = setgroups_word ? setgroups_word : "deny";
	allow = !plan.setgroups || strcmp(plan.setgroups, "allow") == 0;
	use_helper = !idmap_is_self(&uidmap, euid) || !idmap_is_self(&gidmap, egid) || allow;
	if (use_helper && maphelper_start(&helper, &plan) < 0) {
		msg_err("fork map-writing helper");
		return CHAIN_EXIT_FAIL;
	}

	if (step_unshare(CLONE_NEWUSER, "unshare --user") < 0) {
		if (use_helper)
			maphelper_cancel(&helper);
		return CHAIN_EXIT_FAIL;
	}
	if (!use_helper) {
		/*
		 * Unprivileged, we may map only our own id, one line, each map
		 * written once (user_namespaces(7)): uid_map first.
		 */
		if (step_map(IDMAP_STEP_UID, &uidmap, NULL) < 0)
			return CHAIN_EXIT_FAIL;
		/*
		 * "deny" to setgroups before gid_map: since Linux 3.19 the kernel
		 * takes an unprivileged gid_map only with setgroups(2) off, or
		 * dropping a group could grant access a negative ACL or mode
		 * denied to it (CVE-2014-8989; user_namespaces(7)).
		 */
		if (step_map(IDMAP_STEP_SETGROUPS, NULL, plan.setgroups) < 0)
			return CHAIN_EXIT_FAIL;
		if (step_map(IDMAP_STEP_GID, &gidmap, NULL) < 0)
			return CHAIN_EXIT_FAIL;
	} else {
		/* The helper forked before writes the same into /proc/OUR_PID. */
		helper.status = -1;
		rc = maphelper_finish(&helper, &failed);
		step_narrate_plan(&plan, getpid(), rc, failed, errno, helper.status);
		if (rc < 0 && helper.status == MAPHELPER_NOT_RUN)
			msg_err("exec %s", failed == IDMAP_STEP_UID ? plan.uid_tool : plan.gid_tool);
		else if (rc < 0 && helper.status >= 0)
			tool_failed(&plan, failed, &helper, failed == IDMAP_STEP_UID ? euid : egid);
		else if (rc < 0)
			msg_fail(diag_idmap_op(failed), CLONE_NEWUSER, "write /proc/%d/%s",
				 (int)getpid(), idmap_step_file(failed));
		if (rc < 0)
			return CHAIN_EXIT_FAIL;
	}

	if (check_written(&uidmap, IDMAP_STEP_UID, plan.uid_tool) < 0 ||
	    check_written(&gidmap, IDMAP_STEP_GID, plan.gid_tool) < 0)
		return CHAIN_EXIT_FAIL;

	/* Group first: once the uid is not 0 we may lose the right to change it. */
	rc = setresgid(gid, gid, gid);
	msg_narrate(NULL, rc, "setresgid(%u, %u, %u)", gid, gid, gid);
	if (rc < 0) {
		msg_fail(DIAG_SETID, 0, "setresgid(%u)", gid);
		return CHAIN_EXIT_FAIL;
	}
	/* With setgroups denied the kernel refuses this; the groups we came
	 * with then show as the overflow gid (nogroup) inside. */
	if (allow) {
		rc = setgroups(0, NULL);
		msg_narrate(NULL, rc, "setgroups(0, NULL)");
		if (rc < 0) {
			msg_fail(DIAG_SETID, 0, "setgroups(0, NULL)");
			return CHAIN_EXIT_FAIL;
		}
	}
	rc = setresuid(uid, uid, uid);
	msg_narrate(NULL, rc, "setresuid(%u, %u, %u)", uid, uid, uid);
	if (rc < 0) {
		msg_fail(DIAG_SETID, 0, "setresuid(%u)", uid);
		return CHAIN_EXIT_FAIL;
	}
	if (uid != 0)
		msg_note("note: uid %u is not 0 here: execve(2) drops the capabilities of the namespace", uid);

	if (keep_after(&o, "user", getpid(), -1, KEEP_ALL) < 0)
		return CHAIN_EXIT_FAIL;
	return step_exec(argv + optind);
}

/* An id inside: a number, or a name of `db` (/etc/passwd, /etc/group). */
static uint32_t parse_id(const char *opt, const char *s, const char *db)
{
	char name[LOOKUP_NAME_LEN];
	uint32_t id;

	if (lookup_account(db, s, name, sizeof(name), &id) < 0) {
		if (s[0] == '\0' || errno == EINVAL)
			msg_say("%s '%s': not an id (0 to 4294967294) or a name", opt, s);
		else if (errno == ENOENT)
			msg_say("%s '%s': no such name in %s", opt, s, db);
		else
			msg_err("%s '%s': read %s", opt, s, db);
		exit(CHAIN_EXIT_FAIL);
	}
	/* (uid_t)-1 means "no change" to setresuid(2): never a real id. */
	if (id == UINT32_MAX) {
		msg_say("%s '%s': not an id (0 to 4294967294)", opt, s);
		exit(CHAIN_EXIT_FAIL);
	}
	return id;
}

static void add_entry(struct idmap *m, const char *opt, const char *s)
{
	struct idmap_entry e;
	enum idmap_why why;

	if (idmap_parse_entry(s, &e, &why) < 0 || idmap_add(m, &e, &why) < 0) {
		msg_say("%s '%s': %s", opt, s, idmap_strerror(why));
		exit(CHAIN_EXIT_FAIL);
	}
}

/* --subids: "0 <own id> 1" and "1 START N" from our first range in `file`. */
static void subids_map(struct idmap *m, const char *file, uint32_t own, const char *kind)
{
	static struct subid_grant g;
	char line[128], key[16];
	enum subid_auto r;

	if (!owner_found++)
		subid_owner(&owner);
	if ((r = subid_auto(file, &owner, own, m, &g)) == SUBID_AUTO_OK)
		return;
	snprintf(key, sizeof(key), "%u", owner.uid);
	if (r == SUBID_AUTO_READ) {
		msg_err("--subids: read %s", file);
	} else if (r == SUBID_AUTO_NONE) {
		subid_suggest(&g, owner.name[0] ? owner.name : key, line, sizeof(line));
		msg_say("--subids: %s grants no range to %s (uid %u)", file,
			 owner.name[0] ? owner.name : "you", owner.uid);
		msg_hint("an administrator would add this line to %s: %s", file, line);
		msg_hint("nslab looked only in %s; shadow may also take ranges from NSS (a subid: line in /etc/nsswitch.conf)", file);
	} else if (r == SUBID_AUTO_WRAPS) {
		msg_say("--subids: your first range in %s, %u:%u, runs past %ss 4294967294, the last the kernel maps",
			 file, g.r[0].start, g.r[0].count, kind);
	} else {
		msg_say("--subids: your first range in %s, %u:%u, holds your own %s %u",
			 file, g.r[0].start, g.r[0].count, kind, own);
	}
	exit(CHAIN_EXIT_FAIL);
}

/*
 * A map must be valid and give the inside id a meaning; and each outside
 * id of a map given with --uid-map/--gid-map must mean something where we
 * stand, or the kernel answers a bare EPERM.  (Our own ids need no check:
 * unshare(CLONE_NEWUSER) itself refuses a caller whose ids are unmapped.)
 * An unreadable map (no /proc) leaves the kernel to judge.
 */
static void check_map(const struct idmap *m, const char *opt, const char *kind, uint32_t inside,
		      uint32_t own)
{
	struct idmap_entry bad;
	enum idmap_why why;

	if (idmap_validate(m, &why) < 0) {
		msg_say("%s: %s", opt, idmap_strerror(why));
	} else if (!idmap_lookup(m, inside, NULL)) {
		msg_say("%s %u is not mapped by %s; choose one that is with -%c", kind, inside, opt, kind[0]);
	} else if (!idmap_is_self(m, own) &&
		   idmap_outside_unmapped(m, kind[0] == 'u' ? "/proc/self/uid_map" : "/proc/self/gid_map", &bad) == 1) {
		msg_say("--%s-map %u:%u:%u: outside %ss %u-%u are not all mapped in this user namespace (see /proc/self/%s_map)",
			 kind, bad.inside, bad.outside, bad.count, kind, bad.outside,
			 bad.outside + bad.count - 1, kind);
	} else {
		return;
	}
	exit(CHAIN_EXIT_FAIL);
}

/* newuidmap or newgidmap, or 125 with a word on where to get it. */
static const char *find_tool(const char *tool, char *path, size_t len, int which)
{
	const char *found = lookup_command(tool, path, len);

	if (found) {
		/* Now, while root's files still look like root's. */
		tool_privileged[which] = subid_tool_privileged(found);
		return found;
	}
	msg_say("%s: not found in PATH; it writes maps an unprivileged user may not write", tool);
	msg_hint("it comes with shadow: the package uidmap (Debian, Ubuntu) or shadow-utils (Fedora)");
	exit(CHAIN_EXIT_FAIL);
}

/* A map-writing tool failed: its words, then why, found by looking. */
/* `own` is our outside id: by now geteuid() would say the overflow uid. */
static void tool_failed(const struct idmap_plan *plan, enum idmap_step failed,
			const struct maphelper *h, uint32_t own)
{
	int uid = failed == IDMAP_STEP_UID;
	struct diag_hints hints = { 0 };
	const char *p = h->msg;

	msg_say("%s for /proc/%d/%s failed with exit status %d", uid ? plan->uid_tool : plan->gid_tool,
		 (int)getpid(), idmap_step_file(failed), h->status);
	while (*p) {
		int n = (int)strcspn(p, "\n");

		if (n)
			msg_say("%.*s", n, p);
		p += n + (p[n] == '\n');
	}
	subid_explain(uid ? plan->uid_tool : plan->gid_tool, tool_privileged[!uid],
		      uid ? SUBID_UID_FILE : SUBID_GID_FILE, owner.name, owner.uid, own,
		      uid ? plan->uid : plan->gid, &hints);
	msg_hints(&hints);
}

/*
 * Read back what the kernel holds.  A newuidmap that exits 0 having
 * written less (or a "newuidmap" that is not shadow's), or any writer that
 * did not do what was asked, must not run the command with a map nobody
 * asked for; and said here, it is not mistaken later for a refused
 * setgroups(2) or setresuid(2).
 */
static int check_written(const struct idmap *want, enum idmap_step s, const char *tool)
{
	static struct idmap got;
	static char a[IDMAP_SAID_LEN], b[IDMAP_SAID_LEN];
	const int rc = idmap_read_back(s, want, &got);

	if (rc < 0)
		msg_err("read /proc/self/%s back", idmap_step_file(s));
	if (rc != 0)
		return rc > 0 ? 0 : -1;
	msg_say("/proc/self/%s holds %s, not the map asked for: %s", idmap_step_file(s),
		idmap_one_line(&got, b, sizeof(b)), idmap_one_line(want, a, sizeof(a)));
	if (tool)
		msg_hint("%s exited 0 but did not write it: it is not shadow's, or failed without saying so", tool);
	return -1;
}
