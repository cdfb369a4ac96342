/* SPDX-License-Identifier: MIT */
/*
 * nsinfo -c: can each kind of namespace be created here, by this caller?
 * Each kind is tried in a child process, and a failure explained by the
 * shared diagnosis.
 */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "exits.h"
#include "msg.h"
#include "nsprobe.h"
#include "nsinfo.h"

/* What --check found: a probe per kind (ok -1: not asked for) and the hints all failures share. */
struct checked {
	const struct nsprobe *r;
	const char *const *shared;
	int nshared, nfail, nasked;
};

static void check_json(const struct checked *c)
{
	const struct nsprobe *r = c->r;
	char flags[128], what[192];
	struct jw w;

	jw_init(&w, stdout);
	jw_object(&w, NULL);
	jw_lines(&w, "check");
	for (int k = 0; k < PF_NSKINDS; k++) {
		if (r[k].ok < 0)
			continue;
		diag_nsflags_str(r[k].flags, flags, sizeof(flags));
		snprintf(what, sizeof(what), "unshare(%s)", flags);
		jw_object(&w, NULL);
		jw_str(&w, "type", pf_nskinds[k].name);
		jw_bool(&w, "ok", r[k].ok);
		jw_str(&w, "call", what);
		jw_bool(&w, "writes_maps", k == KIND_USER);
		if (!r[k].ok) {
			jw_str(&w, "failed", nsprobe_step(&r[k]));
			jw_int(&w, "errno", r[k].err);
			jw_str(&w, "error", r[k].err ? strerror(r[k].err) : "killed");
			jw_array(&w, "hints");
			for (int i = 0; i < r[k].h.n; i++)
				jw_str(&w, NULL, r[k].h.line[i]);
			jw_end(&w);
		}
		jw_end(&w);
	}
	jw_end(&w);
	jw_array(&w, "shared_hints");
	for (int i = 0; i < c->nshared; i++)
		jw_str(&w, NULL, c->shared[i]);
	jw_end(&w);
	jw_bool(&w, "ok", !c->nfail);
	jw_end(&w);
	putchar('\n');
}

static void check_text(const struct checked *c)
{
	const struct nsprobe *r = c->r;
	char flags[128];

	for (int k = 0; k < PF_NSKINDS; k++) {
		if (r[k].ok < 0)
			continue;
		diag_nsflags_str(r[k].flags, flags, sizeof(flags));
		if (r[k].ok) {
			printf("%-7s ok      unshare(%s)%s\n", pf_nskinds[k].name, flags,
			       k == KIND_USER ? ", then uid_map, setgroups and gid_map written" : "");
			continue;
		}
		if (!r[k].in_maps)
			printf("%-7s FAILED  unshare(%s): %s\n", pf_nskinds[k].name, flags,
			       r[k].err ? strerror(r[k].err) : "the process was killed");
		else
			printf("%-7s FAILED  %s: %s (unshare(%s) itself worked)\n", pf_nskinds[k].name,
			       nsprobe_step(&r[k]), strerror(r[k].err), flags);
		for (int i = 0; i < r[k].h.n; i++)
			if (!nsprobe_has(c->shared, c->nshared, r[k].h.line[i]))
				printf("%-7s         hint: %s\n", "", r[k].h.line[i]);
	}
	if (c->nshared)
		printf("the same hints hold for every kind that failed:\n");
	for (int i = 0; i < c->nshared; i++)
		printf("%-7s         hint: %s\n", "", c->shared[i]);
	if (c->nfail == 0)
		printf("all %d kinds of namespace%s can be created here\n", c->nasked,
		       c->nasked == PF_NSKINDS ? "" : " asked for");
}

int check_all(const struct req *q)
{
	static struct nsprobe r[PF_NSKINDS];
	uid_t euid = geteuid();
	gid_t egid = getegid();
	unsigned present = nst_present_kinds();
	int privileged = nsprobe_privileged(), nfail = 0, nasked = 0, nshared;
	const char *shared[DIAG_MAX_HINTS];

	for (int k = 0; k < PF_NSKINDS; k++) {
		/*
		 * As the caller: with CAP_SYS_ADMIN, the kind alone; without it,
		 * inside a new user namespace, the only way an unprivileged
		 * process gets one (and bitbake's disable_network()).
		 */
		int fl = pf_nskinds[k].flag | (k == KIND_USER || privileged ? 0 : CLONE_NEWUSER);

		if (!(only >> k & 1)) {
			r[k].ok = -1;	/* not asked for with -t */
			continue;
		}

		/* The child inherits our buffers: empty them first, or they print twice. */
		fflush(stdout);
		if (nsprobe_run(fl, k == KIND_USER, euid, egid, &r[k]) < 0) {
			msg_err("run the --check child");
			return INFO_EXIT_FAIL;
		}
		if (!r[k].ok && !(present & 1u << k))
			diag_add_hint(&r[k].h, "this kernel has no %s namespaces (there is no /proc/self/ns entry for it)",
				 pf_nskinds[k].name);
		nfail += !r[k].ok;
		nasked++;
	}

	nshared = nsprobe_shared(r, PF_NSKINDS, shared);
	(q->json ? check_json : check_text)(&(struct checked){ r, shared, nshared, nfail, nasked });
	if (nfail) {
		char kinds[PF_NSKINDS * 8];
		size_t o = 0;

		for (int k = 0; k < PF_NSKINDS; k++)
			if (!r[k].ok)
				o += (size_t)snprintf(kinds + o, sizeof(kinds) - o, " %s", pf_nskinds[k].name);
		msg_say("%d of %d kinds of namespace cannot be created here:%s; a tool relying on them would run without that isolation",
			nfail, nasked, kinds);
	}
	return nfail ? INFO_EXIT_FAIL : 0;
}
