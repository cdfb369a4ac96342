/* SPDX-License-Identifier: MIT */
/*
 * nscap: give the command only the capabilities you name.  Drop every other
 * one from the bounding set (PR_CAPBSET_DROP), set the effective, permitted
 * and inheritable sets to what is kept (capset), raise the kept ones as
 * ambient when the command will not run as root, optionally set
 * no_new_privs; read all of it back, then exec.  Capabilities belong to a
 * user namespace: root in one you made has them only over what it owns.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "caps.h"
#include "escape.h"
#include "exits.h"
#include "keep.h"
#include "msg.h"
#include "opts.h"
#include "step.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: nscap [-hnvV] [--cap-drop all|cap,...] [--cap-keep cap,...]\n"
"             [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) with only the capabilities kept: every other\n"
"one leaves the bounding, effective, permitted, inheritable and ambient\n"
"sets.  With no --cap option, all are dropped.\n"
"\n"
"      --cap-drop CAPS         drop these, a comma list (all: every one\n"
"                              not kept)\n"
"      --cap-keep CAPS         keep these (bwrap calls it --cap-add)\n"
"  -n, --no-new-privs          set no_new_privs: setuid and file\n"
"                              capabilities give nothing at exec\n"
"\n"
"CAP is a name (CAP_NET_ADMIN, net_admin) or a number.  Dropping from the\n"
"bounding set needs CAP_SETPCAP: as a user, run nscap under usernsselfmap.\n");
}

enum { OPT_DROP = 256, OPT_KEEP };

static const struct option longopts[] = {
	{ "cap-drop",     required_argument, NULL, OPT_DROP },
	{ "cap-keep",     required_argument, NULL, OPT_KEEP },
	{ "no-new-privs", no_argument,       NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

#define BIT(c) ((uint64_t)1 << (c))

/* "net_admin,CAP_SYS_ADMIN,12" (or "all" where allowed) into *mask. */
static int parse_caps(const char *opt, const char *list, int all_ok, uint64_t *mask)
{
	char buf[1024];
	char *save = NULL;

	if (all_ok && strcasecmp(list, "all") == 0) {
		*mask = ~(uint64_t)0;
		return 0;
	}
	if (strlen(list) >= sizeof(buf) || !*list) {
		msg_say("%s: '%s' is no list of capabilities", opt, list);
		return -1;
	}
	strcpy(buf, list);
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int c = caps_parse(w);

		if (c < 0) {
			msg_say("%s: unknown capability '%s'", opt, w);
			msg_hint("names are as capabilities(7) spells them: CAP_NET_ADMIN or net_admin%s",
				 all_ok ? "; or all" : "");
			return -1;
		}
		*mask |= BIT(c);
	}
	return 0;
}

/* "net_admin,sys_admin" as setpriv(1) takes them ("-all" first). */
static void setpriv_list(uint64_t keep, int last, char *out, size_t outlen)
{
	size_t len = (size_t)snprintf(out, outlen, "-all");

	for (int c = 0; c <= last && len < outlen; c++)
		if (keep & BIT(c)) {
			const char *name = caps_name(c);

			len += (size_t)snprintf(out + len, outlen - len, ",+%s",
						name ? name + 4 : "?");
		}
	for (char *p = out; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
}

static int capget3(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(SYS_capget, &h, d);
}

/* What the sets are now, as one mask each. */
struct sets { uint64_t eff, prm, inh, bnd, amb; };

static int read_sets(struct sets *s, int last)
{
	struct __user_cap_data_struct d[2];

	memset(s, 0, sizeof(*s));
	if (capget3(d) < 0)
		return -1;
	s->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	s->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	s->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	for (int c = 0; c <= last; c++) {
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			s->bnd |= BIT(c);
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) == 1)
			s->amb |= BIT(c);
	}
	return 0;
}

/*
 * The step.  Bounding first, while CAP_SETPCAP is still effective; then
 * capset, which may only shrink the permitted set; ambient last, since the
 * kernel raises an ambient capability only while it is permitted and
 * inheritable (capabilities(7), "Ambient capability set").
 */
static int apply(uint64_t keep, int bounding, int ambient, int last, const char *shell)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	char names[1024];

	for (int c = 0; bounding && c <= last; c++) {
		int rc;

		if (keep & BIT(c) || prctl(PR_CAPBSET_READ, c, 0, 0, 0) != 1)
			continue;
		rc = prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
		msg_narrate(NULL, rc, "prctl(PR_CAPBSET_DROP, %s)", caps_name(c) ? caps_name(c) : "?");
		if (rc < 0) {
			msg_err("prctl(PR_CAPBSET_DROP, %s)", caps_name(c) ? caps_name(c) : "?");
			if (errno == EPERM)
				msg_hint("dropping from the bounding set needs CAP_SETPCAP, which this process has not: run nscap under usernsselfmap, where you are root, or add -n (no_new_privs: exec then raises nothing)");
			return -1;
		}
	}
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = d[0].inheritable = (uint32_t)keep;
	d[1].effective = d[1].permitted = d[1].inheritable = (uint32_t)(keep >> 32);
	caps_names(keep, "|", names, sizeof(names));
	if (syscall(SYS_capset, &h, d) < 0) {
		msg_narrate(shell, -1, "capset(%s)", keep ? names : "0");
		msg_err("capset(%s)", keep ? names : "0");
		return -1;
	}
	msg_narrate(shell, 0, "capset(%s)", keep ? names : "0");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
		msg_err("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
		return -1;
	}
	for (int c = 0; ambient && c <= last; c++) {
		int rc;

		if (!(keep & BIT(c)))
			continue;
		rc = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0);
		msg_narrate(NULL, rc, "prctl(PR_CAP_AMBIENT_RAISE, %s)", caps_name(c));
		if (rc < 0) {
			msg_err("prctl(PR_CAP_AMBIENT_RAISE, %s)", caps_name(c));
			return -1;
		}
	}
	return 0;
}

int main(int argc, char *argv[])
{
	struct opts o = { .shortopts = "n", .longopts = longopts, .usage = usage, .kind = OPTS_CHAIN };
	uint64_t drop = 0, keep = 0, all;
	int c, nnp = 0, last, ambient, bounding;
	struct sets now, after;
	char list[1024], shell[3200];

	msg_init(argv[0]);
	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case 'n':
			nnp = 1;
			break;
		case OPT_DROP:
		case OPT_KEEP:
			if (parse_caps(c == OPT_DROP ? "--cap-drop" : "--cap-keep", optarg,
				       c == OPT_DROP, c == OPT_DROP ? &drop : &keep) < 0)
				return opts_misuse(&o);
			break;
		case OPTS_EXIT:
			return o.status;
		}
	}
	last = caps_last();
	all = last >= 63 ? ~(uint64_t)0 : BIT(last + 1) - 1;
	if (drop != ~(uint64_t)0 && (keep & drop)) {
		caps_names(keep & drop, ", ", list, sizeof(list));
		msg_say("%s both kept and dropped", list);
		return opts_misuse(&o);
	}
	if (read_sets(&now, last) < 0) {
		msg_err("capget");
		return CHAIN_EXIT_FAIL;
	}
	/* Fail closed: a capability named to be kept that this process has not. */
	if (keep & ~(now.prm & now.bnd)) {
		caps_names(keep & ~(now.prm & now.bnd), ", ", list, sizeof(list));
		msg_say("cannot keep %s: not in this process's permitted and bounding sets", list);
		msg_hint("a process keeps only what it has; root in a user namespace you made has every capability there (usernsselfmap nscap ...)");
		return CHAIN_EXIT_FAIL;
	}
	/*
	 * What is kept: what --cap-keep names and, where --cap-drop names some
	 * (not all), every other one this process has; bwrap's --cap-drop ALL
	 * --cap-add CAP is --cap-keep CAP here.
	 */
	keep = ((drop && drop != ~(uint64_t)0 ? all & ~drop : 0) | keep) & now.prm & now.bnd;
	/*
	 * Root gets its permitted set from the bounding set at exec; anyone
	 * else keeps a capability across exec only as ambient (capabilities(7),
	 * "Transformation of capabilities during execve()").
	 */
	ambient = getuid() != 0 && geteuid() != 0;
	/*
	 * Without CAP_SETPCAP the bounding set cannot shrink; with
	 * no_new_privs it need not: exec then raises nothing above what the
	 * process has (prctl(2), PR_SET_NO_NEW_PRIVS).
	 */
	bounding = !(nnp && !(now.eff & BIT(CAP_SETPCAP)));
	if (!bounding)
		msg_note("bounding set left as it is: no CAP_SETPCAP to drop from it, and no_new_privs keeps exec from raising anything");
	if (nnp) {
		int rc = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);

		msg_narrate(NULL, rc, "prctl(PR_SET_NO_NEW_PRIVS, 1)");
		if (rc < 0) {
			msg_err("prctl(PR_SET_NO_NEW_PRIVS)");
			return CHAIN_EXIT_FAIL;
		}
	}
	/* The whole step as setpriv(1) would take it, narrated with capset. */
	setpriv_list(keep, last, list, sizeof(list));
	snprintf(shell, sizeof(shell), "exec setpriv%s%s --inh-caps=%s%s%s%s \"${SHELL:-/bin/sh}\"",
		 bounding ? " --bounding-set=" : "", bounding ? list : "", list, ambient ? " --ambient-caps=" : "", ambient ? list : "",
		 nnp ? " --no-new-privs" : "");
	if (apply(keep, bounding, ambient, last, shell) < 0)
		return CHAIN_EXIT_FAIL;
	/* A step that silently had no effect is a failed step: look. */
	if (read_sets(&after, last) < 0 || after.eff != keep || after.prm != keep ||
	    (bounding && (after.bnd & ~keep)) || (ambient && after.amb != keep) || (!ambient && after.amb) ||
	    (nnp && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)) {
		msg_say("the capability sets did not come out as asked (CapEff %016llx, CapBnd %016llx, CapAmb %016llx)",
			(unsigned long long)after.eff, (unsigned long long)after.bnd,
			(unsigned long long)after.amb);
		return CHAIN_EXIT_FAIL;
	}
	if (keep_after(&o, NULL, getpid(), -1, KEEP_ALL) < 0)
		return CHAIN_EXIT_FAIL;
	return step_exec(argv + optind);
}
