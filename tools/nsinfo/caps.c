/* SPDX-License-Identifier: MIT */
/*
 * nsinfo --caps [PID]: the capability sets of PID by name, and the user
 * namespace they belong to: the effective set counts there and below it,
 * never above (user_namespaces(7)).  read_who and who_json serve --can too
 * (can.c).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "msg.h"
#include "proc.h"
#include "nsinfo.h"

/* /proc/PID/status is a few KiB; the sets and the uids are in its first half. */
#define STATUS_LEN 4096

static const struct { const char *field, *name; } sets[NSETS] = {
	{ "CapEff", "effective" }, { "CapPrm", "permitted" }, { "CapInh", "inheritable" },
	{ "CapBnd", "bounding" }, { "CapAmb", "ambient" },
};

/* The sets, the euid and the user namespace of pid: 0, or -1 with the error said. */
int read_who(pid_t pid, struct who *w)
{
	char buf[STATUS_LEN];
	const char *val;
	size_t vlen;
	unsigned long r, e;
	int dfd = open_pid(pid, &w->st);

	if (dfd < 0)
		return -1;
	if (pr_read(dfd, "status", buf, sizeof(buf)) <= 0 ||
	    pf_status_field(buf, strlen(buf), "Uid", &val, &vlen) < 0 ||
	    sscanf(val, "%lu %lu", &r, &e) != 2) {
		msg_err("read /proc/%d/status", (int)w->st.pid);
		goto fail;
	}
	w->euid = (uid_t)e;
	for (size_t i = 0; i < NSETS; i++)
		if (pf_status_caps(buf, strlen(buf), sets[i].field, &w->set[i]) < 0) {
			msg_say("/proc/%d/status: no %s line", (int)w->st.pid, sets[i].field);
			goto fail;
		}
	if (pr_nslink(dfd, "user", &w->user) < 0) {
		msg_err("readlink /proc/%d/ns/user", (int)w->st.pid);
		goto fail;
	}
	w->owner_known = pr_ns_owner(dfd, &w->user, &w->owner) == 0;
	close(dfd);
	return 0;
fail:
	close(dfd);
	return -1;
}

static void set_text(uint64_t mask, int last)
{
	char names[1024];
	uint64_t all = last >= 63 ? ~0ull : (1ull << (last + 1)) - 1;

	caps_names(mask, " ", names, sizeof(names));
	if (mask == 0)
		printf("none\n");
	else if ((mask & all) == all)
		printf("all %d: %s\n", last + 1, names);
	else
		printf("%s\n", names);
}

static void set_json(struct jw *w, const char *key, uint64_t mask)
{
	char names[1024], *p = names, *name;

	caps_names(mask, " ", names, sizeof(names));
	jw_array(w, key);
	while ((name = strsep(&p, " ")))
		if (*name)
			jw_str(w, NULL, name);
	jw_end(w);
}

/* Open the JSON object with who the process is: both modes start so. */
void who_json(struct jw *w, const struct who *x)
{
	jw_init(w, stdout);
	jw_object(w, NULL);
	jw_int(w, "pid", x->st.pid);
	jw_str(w, "command", x->st.comm);
	jw_uint(w, "euid", x->euid);
	jw_object(w, "user_ns");
	jw_uint(w, "ns", x->user.ino);
	jw_bool(w, "initial", is_initial(KIND_USER, x->user.ino));
	if (x->owner_known)
		jw_uint(w, "owner_uid", x->owner);
	jw_end(w);
}

int show_caps(const struct req *q)
{
	struct who x;
	int last = caps_last();

	if (read_who(q->pid[0], &x) < 0)
		return 1;
	if (q->json) {
		struct jw w;

		who_json(&w, &x);
		for (size_t i = 0; i < NSETS; i++)
			set_json(&w, sets[i].name, x.set[i]);
		jw_int(&w, "cap_last_cap", last);
		jw_end(&w);
		putchar('\n');
		return 0;
	}
	printf("PID %d (", (int)x.st.pid);
	tstr(x.st.comm);
	printf("), euid %u, in user:[%llu], %s user namespace", (unsigned)x.euid,
	       (unsigned long long)x.user.ino, is_initial(KIND_USER, x.user.ino) ? "the initial" : "not the initial");
	if (x.owner_known)
		printf(" (owner uid %u)", (unsigned)x.owner);
	putchar('\n');
	for (size_t i = 0; i < NSETS; i++) {
		printf("%-12s ", sets[i].name);
		set_text(x.set[i], last);
	}
	printf("the effective set counts in user:[%llu] and every user namespace below it; over the\n"
	       "namespaces a user namespace above or beside it owns, it gives nothing (user_namespaces(7))\n",
	       (unsigned long long)x.user.ino);
	return 0;
}
