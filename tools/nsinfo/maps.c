/* SPDX-License-Identifier: MIT */
/*
 * nsinfo -m [PID]: the uid_map, gid_map and setgroups of PID's user
 * namespace, each line explained, and whose subordinate range it is.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exits.h"
#include "msg.h"
#include "idmap.h"
#include "proc.h"
#include "subid.h"
#include "nsinfo.h"

/*
 * The kernel writes each line's first outside id as the reader's user
 * namespace sees it; one with no id there reads (uid_t)-1 (from_kuid(),
 * kernel/user_namespace.c).  That is a fact about where nsinfo stands, not
 * about the map.
 */
#define UNMAPPED_HERE UINT32_MAX

struct idmap_file {
	const char *file;	/* "uid_map" */
	const char *id;		/* "uid" */
	const char *subid;	/* "/etc/subuid" */
	struct idmap map;
	long overflow;		/* the id an unmapped one shows as */
	/* Per line: the /etc/subid range it lies in, when the owner has one. */
	unsigned char granted[IDMAP_MAX_LINES];
};

static void explain_entry(char *buf, size_t len, const struct idmap_file *f, int j,
			  const char *owner)
{
	const struct idmap_entry *e = &f->map.e[j];
	const char *id = f->id;
	uint64_t ilast = (uint64_t)e->inside + e->count - 1;
	uint64_t olast = (uint64_t)e->outside + e->count - 1;
	int n;

	if (e->outside == UNMAPPED_HERE && e->count == 1)
		n = snprintf(buf, len, "%s %u inside is unmapped here: its outside %s has no "
			     "%s in your user namespace", id, e->inside, id, id);
	else if (e->outside == UNMAPPED_HERE)
		n = snprintf(buf, len, "%ss %u-%llu inside are unmapped here: their outside %ss "
			     "have no %s in your user namespace", id, e->inside,
			     (unsigned long long)ilast, id, id);
	else if (e->inside == 0 && e->outside == 0 && e->count == UINT32_MAX)
		n = snprintf(buf, len, "every %s is itself: the identity map of the initial user namespace", id);
	else if (e->count == 1)
		n = snprintf(buf, len, "%s %u inside is %s %u outside", id, e->inside, id, e->outside);
	else
		n = snprintf(buf, len, "%ss %u-%llu inside are %ss %u-%llu outside", id, e->inside,
			     (unsigned long long)ilast, id, e->outside, (unsigned long long)olast);
	if (f->granted[j] && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ": the range %s grants %s", f->subid, owner);
}

static int read_map(int dfd, pid_t pid, struct idmap_file *f)
{
	enum idmap_why why;
	int line;

	if (idmap_read(dfd, f->file, &f->map, &why, &line) == 0)
		return 0;
	if (errno == EINVAL)
		msg_say("/proc/%d/%s: line %d: %s", (int)pid, f->file, line, idmap_strerror(why));
	else if (pr_gone(errno))
		msg_say("%d: the process exited while its maps were read", (int)pid);
	else
		msg_err("read /proc/%d/%s", (int)pid, f->file);
	return -1;
}

static long read_overflow(const char *id)
{
	char path[64], buf[32];
	uint64_t v;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/kernel/overflow%s", id);
	n = pr_read(AT_FDCWD, path, buf, sizeof(buf));
	if (n <= 0 || pf_parse_u64(buf, strcspn(buf, "\n"), &v) < 0 || v > UINT32_MAX)
		return 65534;	/* the kernel's default */
	return (long)v;
}

static const char *setgroups_explain(const char *word)
{
	if (strcmp(word, "deny") == 0)
		return "setgroups(2) is refused here and in every user namespace nested in it; "
		       "an unprivileged writer must deny it before writing gid_map (Linux 3.19, CVE-2014-8989)";
	if (strcmp(word, "allow") == 0)
		return "setgroups(2) is allowed here to a process with CAP_SETGID in this namespace, once gid_map is written";
	return "an unknown setgroups value";
}

/* What nsinfo -m finds, gathered once; maps_text and maps_json show it. */
struct maps_view {
	struct pf_stat st;
	struct idmap_file f[2];
	char sg[32];		/* "allow" or "deny" */
	int sg_absent;		/* before Linux 3.19 there is no setgroups file */
	struct pf_nslink theirs, mine;
	int ns_err;		/* why PID's ns/user link could not be read, or 0 */
	int init, owner_known;
	uid_t owner;
	char owner_name[80];
	const char *relation;	/* "none", "parent", "yours", "unknown" */
};

/* Only the maps and setgroups count: 0, or -1 with the error said. */
static int gather_maps(pid_t pid, struct maps_view *v)
{
	static const struct idmap_file init_f[2] = {
		{ "uid_map", "uid", SUBID_UID_FILE, { 0 }, 0, { 0 } },
		{ "gid_map", "gid", SUBID_GID_FILE, { 0 }, 0, { 0 } } };
	int dfd;
	ssize_t n;

	memcpy(v->f, init_f, sizeof(init_f));
	if ((dfd = open_pid(pid, &v->st)) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		if (read_map(dfd, v->st.pid, &v->f[i]) < 0)
			goto fail;
		v->f[i].overflow = read_overflow(v->f[i].id);
	}
	n = pr_read(dfd, "setgroups", v->sg, sizeof(v->sg));
	if (n < 0 && errno == ENOENT && faccessat(dfd, "stat", F_OK, 0) == 0) {
		v->sg_absent = 1;
	} else if (n < 0) {
		if (pr_gone(errno))
			msg_say("%d: the process exited while its maps were read", (int)v->st.pid);
		else
			msg_err("read /proc/%d/setgroups", (int)v->st.pid);
		goto fail;
	}
	v->sg[strcspn(v->sg, "\n")] = '\0';
	if (pr_nslink(dfd, "user", &v->theirs) < 0) {
		if (pr_gone(errno)) {
			msg_say("%d: the process exited while its maps were read", (int)v->st.pid);
			goto fail;
		}
		v->ns_err = errno;
	} else {
		v->owner_known = pr_ns_owner(dfd, &v->theirs, &v->owner) == 0;
	}
	close(dfd);
	if ((dfd = pr_open(0)) < 0 || pr_nslink(dfd, "user", &v->mine) < 0) {
		msg_err("readlink /proc/self/ns/user");
		goto fail;
	}
	close(dfd);
	v->init = !v->ns_err && is_initial(KIND_USER, v->theirs.ino);
	/* Subordinate ranges mean something only for a namespace someone made. */
	if (v->owner_known && !v->init) {
		if (v->owner == geteuid())
			snprintf(v->owner_name, sizeof(v->owner_name), "you (uid %u)", (unsigned)v->owner);
		else
			snprintf(v->owner_name, sizeof(v->owner_name), "its owner, uid %u",
				 (unsigned)v->owner);
		for (int i = 0; i < 2; i++)
			subid_granted(v->f[i].subid, v->owner, &v->f[i].map, v->f[i].granted);
	}
	/*
	 * user_namespaces(7): an outside id is read relative to the parent user
	 * namespace when the reader is in the same one as PID, and relative to
	 * the reader's own user namespace otherwise.
	 */
	v->relation = v->ns_err ? "unknown" : v->init ? "none" :
		      v->theirs.ino == v->mine.ino ? "parent" : "yours";
	return 0;
fail:
	if (dfd >= 0)
		close(dfd);
	return -1;
}

/*
 * Why the ns/user link may not be read: /proc/PID/ns needs ptrace read
 * access (ptrace_may_access, security/commoncap.c), which a reader without
 * PID's uids, or in another user namespace than PID's, has only with
 * CAP_SYS_PTRACE in PID's user namespace: never from a namespace nested in it.
 */
static const char *const ns_note =
	"reading a process's ns/user link needs ptrace access to it: its uids and its user "
	"namespace, or CAP_SYS_PTRACE in that namespace";

static void maps_json(const struct maps_view *v)
{
	struct jw w;
	char ex[256], link[64];

	jw_init(&w, stdout);
	jw_object(&w, NULL);
	jw_int(&w, "pid", v->st.pid);
	jw_str(&w, "command", v->st.comm);
	jw_object(&w, "user_ns");
	if (v->ns_err) {
		jw_str(&w, "error", strerror(v->ns_err));
		jw_str(&w, "note", ns_note);
	} else {
		jw_uint(&w, "ns", v->theirs.ino);
		snprintf(link, sizeof(link), "user:[%llu]", (unsigned long long)v->theirs.ino);
		jw_str(&w, "link", link);
		jw_bool(&w, "initial", v->init);
		if (v->owner_known)
			jw_uint(&w, "owner_uid", v->owner);
	}
	jw_end(&w);
	jw_object(&w, "outside");
	jw_str(&w, "relative_to", v->relation);
	jw_uint(&w, "your_user_ns", v->mine.ino);
	jw_end(&w);
	for (int i = 0; i < 2; i++) {
		const struct idmap_file *f = &v->f[i];

		jw_array(&w, f->file);
		for (int j = 0; j < f->map.n; j++) {
			const struct idmap_entry *e = &f->map.e[j];

			explain_entry(ex, sizeof(ex), f, j, v->owner_name);
			jw_object(&w, NULL);
			jw_uint(&w, "inside", e->inside);
			jw_uint(&w, "outside", e->outside);
			jw_uint(&w, "count", e->count);
			jw_bool(&w, "unmapped_here", e->outside == UNMAPPED_HERE);
			if (f->granted[j])
				jw_str(&w, "granted_by", f->subid);
			jw_str(&w, "explain", ex);
			jw_end(&w);
		}
		jw_end(&w);
	}
	jw_str(&w, "setgroups", v->sg_absent ? NULL : v->sg);
	if (!v->sg_absent)
		jw_str(&w, "setgroups_explain", setgroups_explain(v->sg));
	jw_end(&w);
	putchar('\n');
}

static void maps_text(const struct maps_view *v)
{
	char ex[256];

	printf("PID %d (", (int)v->st.pid);
	tstr(v->st.comm);
	if (v->ns_err)
		printf(") in a user namespace that cannot be read (%s)\n", strerror(v->ns_err));
	else
		printf(") in user:[%llu], %s user namespace\n", (unsigned long long)v->theirs.ino,
		       v->init ? "the initial" : "not the initial");
	if (strcmp(v->relation, "parent") == 0)
		printf("outside ids are those of its parent user namespace (you are in the same one)\n");
	else if (strcmp(v->relation, "yours") == 0)
		printf("outside ids are those of your own user namespace, user:[%llu]\n",
		       (unsigned long long)v->mine.ino);
	else if (strcmp(v->relation, "unknown") == 0)
		printf("outside ids are those of its parent user namespace if you are in its user\n"
		       "namespace, else those of yours, user:[%llu]\n", (unsigned long long)v->mine.ino);
	for (int i = 0; i < 2; i++) {
		const struct idmap_file *f = &v->f[i];

		printf("%-10s %10s %10s %10s\n", f->file, "INSIDE", "OUTSIDE", "COUNT");
		if (f->map.n == 0)
			printf("%-10s (empty: nothing is mapped yet; every %s shows as %ld and none can be taken)\n",
			       "", f->id, f->overflow);
		for (int j = 0; j < f->map.n; j++) {
			const struct idmap_entry *e = &f->map.e[j];
			char out[16];

			explain_entry(ex, sizeof(ex), f, j, v->owner_name);
			if (e->outside == UNMAPPED_HERE)
				snprintf(out, sizeof(out), "%s", "-");
			else
				snprintf(out, sizeof(out), "%u", e->outside);
			printf("%-10s %10u %10s %10u  %s\n", "", e->inside, out, e->count, ex);
		}
	}
	if (v->sg_absent)
		printf("%-10s (absent: this kernel predates Linux 3.19)\n", "setgroups");
	else
		printf("%-10s %-10s %s\n", "setgroups", v->sg, setgroups_explain(v->sg));
	if (v->ns_err)
		printf("note: %s\n", ns_note);
}

/*
 * -m asks for the maps: read, they are the answer (exit 0), even when
 * PID's ns/user link cannot be, which a note says (nsinfo(1) EXIT STATUS).
 */
int show_maps(const struct req *q)
{
	static struct maps_view v;	/* 3 KiB of maps: off the stack (see main) */

	if (gather_maps(q->pid[0], &v) < 0)
		return INFO_EXIT_FAIL;
	(q->json ? maps_json : maps_text)(&v);
	return 0;
}
