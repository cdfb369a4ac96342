/* SPDX-License-Identifier: MIT */
/*
 * nsinfo: look at namespaces; the one nslab tool that changes nothing.
 * It shows a process's namespaces the way /proc/PID/ns names them, puts two
 * processes side by side, lists every namespace in one pass over /proc as
 * lsns(8) does, explains the id maps, draws the user-namespace tree, and
 * checks, before a build relies on it, that each kind can be created here.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "diag.h"
#include "escape.h"
#include "idmap.h"
#include "jsonw.h"
#include "nsprobe.h"
#include "nstable.h"
#include "procfs.h"
#include "procread.h"
#include "subid.h"

#define EXIT_MISUSE 2

static void usage(FILE *f)
{
	fprintf(f,
"usage: nsinfo [-J] [-t type]... [[-p] pid [[-p] pid2]]\n"
"       nsinfo -a [-J] [-t type]...\n"
"       nsinfo -m [-J] [[-p] pid]\n"
"       nsinfo -T|--tree[=owner|parent] [-J] [-t type]...\n"
"       nsinfo -c [-J] [-t type]...\n"
"       nsinfo --dot [-t type]...\n"
"\n"
"Show the namespaces of PID (default: nsinfo's own, which are its caller's),\n"
"or two processes side by side, each type marked same or different.\n"
"\n"
"  -a, --all          list every namespace on the system, like lsns(8)\n"
"  -c, --check        try to create each kind of namespace here, and say why not\n"
"      --dot          write the namespaces as a Graphviz graph (dot -Tsvg)\n"
"  -J, --json         print JSON instead of text\n"
"  -m, --maps         explain the uid_map, gid_map and setgroups of PID\n"
"  -p, --task PID     the PID argument, as lsns(8) spells it\n"
"  -T, --tree[=owner] draw the user-namespace tree and what each one owns\n"
"      --tree=parent  draw the pid (and user) namespaces by parent\n"
"  -t, --type TYPE    only namespaces of TYPE (repeatable): cgroup, ipc,\n"
"                     mnt, net, pid, time, user, uts\n"
"  -h, --help         show this help\n"
"  -V, --version      show the version\n"
"\n"
"Exit status: 0; 1 on failure, or when --check finds a kind that cannot be\n"
"created; 2 on misuse.  See nsinfo(1).\n");
}

static const struct option longopts[] = {
	{ "all",     no_argument,       NULL, 'a' },
	{ "check",   no_argument,       NULL, 'c' },
	{ "dot",     no_argument,       NULL, 'D' },
	{ "help",    no_argument,       NULL, 'h' },
	{ "json",    no_argument,       NULL, 'J' },
	{ "maps",    no_argument,       NULL, 'm' },
	{ "task",    required_argument, NULL, 'p' },
	{ "tree",    optional_argument, NULL, 'T' },
	{ "type",    required_argument, NULL, 't' },
	{ "version", no_argument,       NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* pf_nskinds (lib/procfs) lists the kinds in the order --check tries them. */
#define KIND_USER NST_USER

static int is_initial(int kind, uint64_t ino)
{
	return kind >= 0 && ino == pf_nskinds[kind].init_ino;
}

/*
 * NS_GET_OWNER_UID answers in the caller's user namespace (ioctl_ns(2)):
 * the same owner reads "uid 0" from inside and "uid 1001" from the host.
 * Text output says so once, after the rows that show one.
 */
static void owner_footnote(void)
{
	struct pf_nslink mine;
	int dfd = pr_open(0);

	if (dfd >= 0 && pr_nslink(dfd, "user", &mine) == 0)
		printf("owner uids are shown as your user namespace, user:[%llu], sees them\n",
		       (unsigned long long)mine.ino);
	else
		printf("owner uids are shown as your user namespace sees them\n");
	if (dfd >= 0)
		close(dfd);
}

/* Terminal-safe text (lib/escape); the columns it took. */
static size_t tstr(const char *s)
{
	return esc_fput_text(stdout, s);
}

/*
 * Open /proc/PID (0: /proc/self) and read its stat.  Prints the error and
 * returns -1 when there is no such process.
 */
static int open_pid(pid_t pid, struct pf_stat *st)
{
	int fd = pr_open(pid);

	if (fd < 0) {
		if (pr_gone(errno))
			diag_msg("%d: no such process", (int)pid);
		else
			diag_err("open /proc/%d", (int)pid);
		return -1;
	}
	if (pr_stat(fd, st) < 0) {
		if (pr_gone(errno))
			diag_msg("%d: no such process (it has just exited)", (int)pid);
		else
			diag_err("read /proc/%d/stat", (int)pid);
		close(fd);
		return -1;
	}
	/*
	 * A zombie has left its namespaces but pid and user (exit_task_namespaces
	 * ran): what it still has is not what it was in.
	 */
	if (st->state == 'Z' || st->state == 'X') {
		diag_msg("%d: the process has exited (a zombie, not yet reaped)",
			 (int)st->pid);
		close(fd);
		return -1;
	}
	return fd;
}

/* What the command line asked for, checked: a mode runs on it. */
struct req {
	int json, npids;
	pid_t pid[2];
	uint64_t ino;		/* nsinfo INODE: a namespace, not a PID */
	const char *arg;	/* the first PID argument, as typed */
	enum nst_tree how;
};

/* ---- nsinfo [PID [PID2]]: the namespaces of one process, or two side by side ---- */

struct procns {
	pid_t pid;
	char comm[PF_COMM_LEN];
	int n;
	struct pr_nsent e[PR_MAXNS];
};

/* -t: the kinds asked for; every kind when there was no -t. */
static unsigned only = ~0u;

/* Read every ns link of pid; all of them, or an error and nothing. */
static int read_procns(pid_t pid, struct procns *p)
{
	struct pf_stat st;
	int dfd;

	if ((dfd = open_pid(pid, &st)) < 0)
		return -1;
	p->pid = st.pid;
	snprintf(p->comm, sizeof(p->comm), "%s", st.comm);
	p->n = pr_nsentries(dfd, only, p->e);
	if (p->n < 0 && pr_gone(errno))
		diag_msg("%d: the process exited while its namespaces were read", (int)p->pid);
	else if (p->n < 0)
		diag_err("read /proc/%d/ns", (int)p->pid);
	close(dfd);
	return p->n < 0 ? -1 : 0;
}

/* "initial", "not initial (owner uid 1000)", or nothing when the kernel cannot tell us. */
static void initial_note(const struct pr_nsent *e, char *buf, size_t len)
{
	int init = is_initial(e->kind, e->link.ino);

	buf[0] = '\0';
	if (e->kind == KIND_USER && e->owner_known)
		snprintf(buf, len, "%s (owner uid %u)", init ? "initial" : "not initial",
			 (unsigned)e->owner);
	else if (e->kind == KIND_USER || init)
		snprintf(buf, len, "%s", init ? "initial" : "not initial");
}

static void json_procns(struct jw *w, const struct procns *p)
{
	jw_object(w, NULL);
	jw_int(w, "pid", p->pid);
	jw_str(w, "command", p->comm);
	jw_array(w, "namespaces");
	for (int i = 0; i < p->n; i++) {
		const struct pr_nsent *e = &p->e[i];
		char link[64];

		jw_object(w, NULL);
		jw_str(w, "type", e->name);
		if (e->err) {
			jw_str(w, "error", strerror(e->err));
		} else {
			jw_uint(w, "ns", e->link.ino);
			snprintf(link, sizeof(link), "%s:[%llu]", e->link.type, (unsigned long long)e->link.ino);
			jw_str(w, "link", link);
			/* Known for user always; for the others when the kernel fixes the inode. */
			if (e->kind == KIND_USER || is_initial(e->kind, e->link.ino))
				jw_bool(w, "initial", is_initial(e->kind, e->link.ino));
			if (e->owner_known)
				jw_uint(w, "owner_uid", e->owner);
		}
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
}

static void link_text(const struct pr_nsent *e, char *buf, size_t len)
{
	if (e->err)
		snprintf(buf, len, "(%s)", strerror(e->err));
	else
		snprintf(buf, len, "%s:[%llu]", e->link.type, (unsigned long long)e->link.ino);
}

/*
 * Links that could not be read are shown as such, and then the status is 1
 * with one line saying so: a script must not take "(Permission denied)"
 * rows, or a comparison that could not be made, for an answer.
 */
static int unreadable(const struct procns *p)
{
	int n = 0, err = 0;

	for (int i = 0; i < p->n; i++)
		if (p->e[i].err) {
			n++;
			err = p->e[i].err;
		}
	if (n)
		diag_msg("PID %d: %d of %d namespace links could not be read (%s)",
			 (int)p->pid, n, p->n, strerror(err));
	return n ? 1 : 0;
}

/* The same verdict without a second line: "nsinfo 2 2" says its error once. */
static int unreadable_quiet(const struct procns *p)
{
	for (int i = 0; i < p->n; i++)
		if (p->e[i].err)
			return 1;
	return 0;
}

static void one_json(const struct procns *p)
{
	struct jw w;

	jw_init(&w, stdout);
	json_procns(&w, p);
	putchar('\n');
}

static void one_text(const struct procns *p)
{
	char link[128], note[128];
	int owners = 0;

	printf("PID %d (", (int)p->pid);
	tstr(p->comm);
	printf(")\n");
	for (int i = 0; i < p->n; i++) {
		link_text(&p->e[i], link, sizeof(link));
		initial_note(&p->e[i], note, sizeof(note));
		if (note[0])
			printf("%-18s %-20s %s\n", p->e[i].name, link, note);
		else
			printf("%-18s %s\n", p->e[i].name, link);
		owners += p->e[i].owner_known;
	}
	if (owners)
		owner_footnote();
}

static int show_one(pid_t pid, int json)
{
	static struct procns p;

	if (read_procns(pid, &p) < 0)
		return 1;
	(json ? one_json : one_text)(&p);
	return unreadable(&p);
}

/* 1 same, 0 different, -1 cannot tell (a link could not be read). */
static int same(const struct pr_nsent *a, const struct pr_nsent *b)
{
	if (a->err || b->err)
		return -1;
	return a->link.ino == b->link.ino;
}

static void two_json(const struct procns *a, const struct procns *b)
{
	struct jw w;

	jw_init(&w, stdout);
	jw_object(&w, NULL);
	jw_array(&w, "processes");
	json_procns(&w, a);
	json_procns(&w, b);
	jw_end(&w);
	jw_array(&w, "compare");
	for (int i = 0; i < a->n; i++) {
		jw_object(&w, NULL);
		jw_str(&w, "type", a->e[i].name);
		jw_bool(&w, "same", same(&a->e[i], &b->e[i]));
		jw_end(&w);
	}
	jw_end(&w);
	jw_array(&w, "differ");
	for (int i = 0; i < a->n; i++)
		if (same(&a->e[i], &b->e[i]) == 0)
			jw_str(&w, NULL, a->e[i].name);
	jw_end(&w);
	jw_end(&w);
	putchar('\n');
}

/* "PID 1 (init)" and the columns it takes. */
static int head_width(const struct procns *p)
{
	char num[16];

	return snprintf(num, sizeof(num), "%d", (int)p->pid) + 7 + (int)esc_fput_text(NULL, p->comm);
}

static void two_text(const struct procns *a, const struct procns *b)
{
	static const char *word[] = { "unknown", "different", "same" };
	char la[128], lb[128];
	int hw[2] = { head_width(a), head_width(b) };
	int w1 = hw[0] > 20 ? hw[0] : 20, w2 = hw[1] > 20 ? hw[1] : 20, ndiff = 0, nunknown = 0;

	/* Both come from the same /proc/self/ns listing, so the rows line up. */
	printf("%-18s PID %d (", "TYPE", (int)a->pid);
	tstr(a->comm);
	printf(")%*s PID %d (", w1 - hw[0], "", (int)b->pid);
	tstr(b->comm);
	printf(")\n");
	for (int i = 0; i < a->n; i++) {
		link_text(&a->e[i], la, sizeof(la));
		link_text(&b->e[i], lb, sizeof(lb));
		printf("%-18s %-*s %-*s %s\n", a->e[i].name, w1, la, w2, lb,
		       word[same(&a->e[i], &b->e[i]) + 1]);
	}
	printf("differ:");
	for (int i = 0; i < a->n; i++) {
		int s = same(&a->e[i], &b->e[i]);

		if (s == 0)
			printf(" %s", a->e[i].name);
		ndiff += s == 0;
		nunknown += s < 0;
	}
	printf("%s", ndiff ? "" : " none");
	if (nunknown)
		printf(" (%d type%s could not be compared)", nunknown, nunknown == 1 ? "" : "s");
	putchar('\n');
}

static int show_two(pid_t pid1, pid_t pid2, int json)
{
	static struct procns a, b;

	if (read_procns(pid1, &a) < 0 || read_procns(pid2, &b) < 0)
		return 1;
	(json ? two_json : two_text)(&a, &b);
	return unreadable(&a) | (b.pid == a.pid ? unreadable_quiet(&b) : unreadable(&b));
}

/* ---- nsinfo -m: the id maps of a user namespace, explained ---- */

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

	if (pr_idmap(dfd, f->file, &f->map, &why, &line) == 0)
		return 0;
	if (errno == EINVAL)
		diag_msg("/proc/%d/%s: line %d: %s", (int)pid, f->file, line, idmap_strerror(why));
	else if (pr_gone(errno))
		diag_msg("%d: the process exited while its maps were read", (int)pid);
	else
		diag_err("read /proc/%d/%s", (int)pid, f->file);
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
			diag_msg("%d: the process exited while its maps were read", (int)v->st.pid);
		else
			diag_err("read /proc/%d/setgroups", (int)v->st.pid);
		goto fail;
	}
	v->sg[strcspn(v->sg, "\n")] = '\0';
	if (pr_nslink(dfd, "user", &v->theirs) < 0) {
		if (pr_gone(errno)) {
			diag_msg("%d: the process exited while its maps were read", (int)v->st.pid);
			goto fail;
		}
		v->ns_err = errno;
	} else {
		v->owner_known = pr_ns_owner(dfd, &v->theirs, &v->owner) == 0;
	}
	close(dfd);
	if ((dfd = pr_open(0)) < 0 || pr_nslink(dfd, "user", &v->mine) < 0) {
		diag_err("readlink /proc/self/ns/user");
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
static int show_maps(const struct req *q)
{
	static struct maps_view v;	/* 3 KiB of maps: off the stack (see main) */

	if (gather_maps(q->pid[0], &v) < 0)
		return 1;
	(q->json ? maps_json : maps_text)(&v);
	return 0;
}

/* ---- nsinfo -a and -T: one pass over /proc ---- */

/* The pass itself is lib/nstable's; this words its failure. */
static int scan(struct nstable *t, unsigned mask, int flags)
{
	if (nst_scan(t, "/proc", NULL, mask, flags) == 0)
		return 0;
	diag_err("read /proc");
	return -1;
}

static void denied_note(const struct nstable *t)
{
	size_t shown = t->ndenied < 8 ? t->ndenied : 8;

	if (t->ndenied == 0)
		return;
	fprintf(stderr, "%s: the namespaces of %zu process%s could not be read (%s), so %s not counted: PID",
		chain_prog, t->ndenied, t->ndenied == 1 ? "" : "es", strerror(t->denied_err),
		t->ndenied == 1 ? "it is" : "they are");
	for (size_t i = 0; i < shown; i++)
		fprintf(stderr, " %d", (int)t->denied[i]);
	fprintf(stderr, "%s\n", t->ndenied > shown ? " ..." : "");
}

static void json_denied(struct jw *w, const struct nstable *t)
{
	jw_object(w, "unreadable");
	jw_str(w, "error", t->ndenied ? strerror(t->denied_err) : "");
	jw_array(w, "pids");
	for (size_t i = 0; i < t->ndenied; i++)
		jw_int(w, NULL, t->denied[i]);
	jw_end(w);
	jw_end(w);
}

/*
 * Where a namespace no process is in is held: "the bind mount /run/netns/a"
 * or "fd 7 of PID 1234 (sh)", the first descriptor found, and how many more.
 */
static void held_where(const struct nst_ns *n)
{
	if (n->held) {
		printf("the bind mount ");
		tstr(n->held);
	} else if (n->nfds) {
		printf("fd %d of PID %d (", n->fds[0].fd, (int)n->fds[0].pid);
		tstr(n->fdcmd ? n->fdcmd : "?");
		putchar(')');
		if (n->nfds > 1)
			printf(" and %zu more descriptor%s", n->nfds - 1, n->nfds == 2 ? "" : "s");
	} else {
		putchar('?');
	}
}

static void tree_who(const struct nst_ns *n)
{
	if (n->nprocs == 0 && (n->held || n->nfds)) {
		printf("(no process; held by ");
		held_where(n);
		putchar(')');
		return;
	}
	if (n->nprocs == 0) {
		printf("(no process)");
		return;
	}
	printf("(%d process%s, PID %d ", n->nprocs, n->nprocs == 1 ? "" : "es", (int)n->pid);
	tstr(n->cmd);
	putchar(')');
}

static void json_who(struct jw *w, const struct nst_ns *n)
{
	jw_int(w, "nprocs", n->nprocs);
	if (n->nprocs == 0) {
		jw_null(w, "pid");
		jw_null(w, "user");
		jw_null(w, "command");
	} else {
		jw_int(w, "pid", n->pid);
		jw_str(w, "user", subid_uid_name(n->uid));
		jw_str(w, "command", n->cmd);
	}
	if (n->held)
		jw_str(w, "nsfs", n->held);
	/* Only for what no process is in, as nsfs: a member's own descriptors say nothing new. */
	if (n->nprocs == 0 && n->nfds) {
		jw_array(w, "fd");
		for (size_t f = 0; f < n->nfds; f++) {
			jw_object(w, NULL);
			jw_int(w, "pid", n->fds[f].pid);
			jw_int(w, "fd", n->fds[f].fd);
			jw_end(w);
		}
		jw_end(w);
	}
}

/* The USER column: the owner of the lowest PID, or "-" for a namespace no process is in. */
static const char *row_user(const struct nst_ns *n)
{
	return n->nprocs ? subid_uid_name(n->uid) : "-";
}

static void all_json(const struct nstable *t, const long *idx)
{
	struct jw w;

	jw_init(&w, stdout);
	jw_object(&w, NULL);
	jw_lines(&w, "namespaces");
	for (size_t j = 0; j < t->n; j++) {
		const struct nst_ns *n = &t->v[idx[j]];

		jw_object(&w, NULL);
		jw_uint(&w, "ns", n->ino);
		jw_str(&w, "type", pf_nskinds[n->kind].name);
		json_who(&w, n);
		jw_end(&w);
	}
	jw_end(&w);
	json_denied(&w, t);
	jw_end(&w);
	putchar('\n');
}

static void widen(int *w, int width)
{
	if (width > *w)
		*w = width;
}

static void all_text(const struct nstable *t, const long *idx)
{
	int wns = 2, wtype = 4, wn = 6, wpid = 3, wuser = 4;
	char num[32];

	/* Columns as lsns(8) draws them: numbers to the right, words to the left. */
	for (size_t j = 0; j < t->n; j++) {
		const struct nst_ns *n = &t->v[idx[j]];

		widen(&wns, snprintf(num, sizeof(num), "%llu", (unsigned long long)n->ino));
		widen(&wtype, (int)strlen(pf_nskinds[n->kind].name));
		widen(&wn, snprintf(num, sizeof(num), "%d", n->nprocs));
		widen(&wpid, snprintf(num, sizeof(num), "%d", (int)n->pid));
		widen(&wuser, (int)esc_fput_text(NULL, row_user(n)));
	}
	printf("%*s %-*s %*s %*s %-*s COMMAND\n", wns, "NS", wtype, "TYPE",
	       wn, "NPROCS", wpid, "PID", wuser, "USER");
	for (size_t j = 0; j < t->n; j++) {
		const struct nst_ns *n = &t->v[idx[j]];

		printf("%*llu %-*s %*d ", wns, (unsigned long long)n->ino,
		       wtype, pf_nskinds[n->kind].name, wn, n->nprocs);
		if (n->nprocs)
			printf("%*d ", wpid, (int)n->pid);
		else
			printf("%*s ", wpid, "-");
		printf("%*s ", wuser - (int)tstr(row_user(n)), "");
		if (n->nprocs) {
			tstr(n->cmd);
		} else {
			printf("(held by ");
			held_where(n);
			putchar(')');
		}
		putchar('\n');
	}
}

/*
 * -a: every namespace, as lsns(8) lists them, and then those no process is
 * in but a bind mount holds (lsns 2.38 shows none of them; util-linux #1881).
 */
static int list_all(const struct req *q)
{
	struct nstable t = { 0 };
	long *idx;

	if (scan(&t, nst_present_kinds() & only, NST_HOLDERS) < 0) {
		nst_free(&t);
		return 1;
	}
	if (!(idx = nst_sorted(&t, NST_BY_INO))) {
		diag_err("list namespaces");
		nst_free(&t);
		return 1;
	}
	(q->json ? all_json : all_text)(&t, idx);
	denied_note(&t);
	free(idx);
	nst_free(&t);
	return 0;
}

struct forest {
	const struct nstable *t;
	struct nst_forest f;
	enum nst_tree how;
	unsigned mask;		/* the kinds shown */
	struct jw *w;		/* tree_json's writer */
};

static void json_node(const struct forest *f, long i);

/* The children of i that are user namespaces (want 1) or not (want 0), or all (-1). */
static void json_kids(const struct forest *f, long i, const char *key, int want)
{
	jw_array(f->w, key);
	for (size_t c = 0; c < f->f.count[i]; c++) {
		long k = f->f.kids[f->f.first[i] + c];

		if (want < 0 || (f->t->v[k].kind == KIND_USER) == want)
			json_node(f, k);
	}
	jw_end(f->w);
}

static void json_node(const struct forest *f, long i)
{
	const struct nst_ns *n = &f->t->v[i];
	struct jw *w = f->w;

	jw_object(w, NULL);
	jw_uint(w, "ns", n->ino);
	jw_str(w, "type", pf_nskinds[n->kind].name);
	if (n->kind == KIND_USER || n->kind == NST_PID)
		jw_bool(w, "initial", is_initial(n->kind, n->ino));
	if (n->kind == KIND_USER && n->owner_uid_known)
		jw_uint(w, "owner_uid", n->owner_uid);
	else if (n->kind == KIND_USER)
		jw_null(w, "owner_uid");
	json_who(w, n);
	if (f->how == NST_TREE_PARENT) {
		json_kids(f, i, "children", -1);
	} else if (n->kind == KIND_USER) {
		json_kids(f, i, "owns", 0);
		json_kids(f, i, "children", 1);
	}
	jw_end(w);
}

static void print_node(const struct forest *f, long i, const char *prefix, int last, int root)
{
	const struct nst_ns *n = &f->t->v[i];
	char sub[256];

	printf("%s%s%s:[%llu]  ", prefix, root ? "" : last ? "`-- " : "|-- ",
	       pf_nskinds[n->kind].name, (unsigned long long)n->ino);
	if (is_initial(n->kind, n->ino) && (n->kind == KIND_USER || n->kind == NST_PID))
		printf("initial, ");
	if (n->kind == KIND_USER && n->owner_uid_known)
		printf("owner uid %u  ", (unsigned)n->owner_uid);
	tree_who(n);
	putchar('\n');
	/* 32 levels of four columns fit; deeper is impossible (user_namespaces(7)). */
	snprintf(sub, sizeof(sub), "%s%s", prefix, root ? "" : last ? "    " : "|   ");
	for (size_t c = 0; c < f->f.count[i]; c++)
		print_node(f, f->f.kids[f->f.first[i] + c], sub, c + 1 == f->f.count[i], 0);
}

/*
 * 1 when i is drawn at the top: a user namespace nothing is above (by parent,
 * a pid namespace too); 2 when its owner lies beyond our own user namespace;
 * 0 when it hangs below another, or -t did not ask for it (exploring owners
 * meets user namespaces -t may not have asked for).
 */
static int tree_top(const struct forest *f, long i)
{
	const struct nst_ns *n = &f->t->v[i];

	if (!(f->mask & 1u << n->kind) || f->f.up[i] >= 0)
		return 0;
	return n->kind == KIND_USER || f->how == NST_TREE_PARENT ? 1 : 2;
}

static void tree_json(struct forest *f)
{
	struct jw w;

	f->w = &w;
	jw_init(&w, stdout);
	jw_object(&w, NULL);
	jw_array(&w, "tree");
	for (size_t j = 0; j < f->t->n; j++)
		if (tree_top(f, f->f.order[j]) == 1)
			json_node(f, f->f.order[j]);
	jw_end(&w);
	/* By parent, every pid namespace whose parent is out of sight is a root. */
	if (f->how == NST_TREE_OWNER) {
		jw_array(&w, "owner_not_visible");
		for (size_t j = 0; j < f->t->n; j++)
			if (tree_top(f, f->f.order[j]) == 2)
				json_node(f, f->f.order[j]);
		jw_end(&w);
	}
	json_denied(&w, f->t);
	jw_end(&w);
	putchar('\n');
}

static void tree_text(struct forest *f)
{
	size_t nlost = 0, lost = 0;
	int owners = 0;

	for (size_t j = 0; j < f->t->n; j++) {
		long i = f->f.order[j];

		if (f->mask & 1u << f->t->v[i].kind)
			owners += f->t->v[i].owner_uid_known;
		nlost += tree_top(f, i) == 2;
		if (tree_top(f, i) == 1)
			print_node(f, i, "", 1, 1);
	}
	if (nlost)
		printf("owned by a user namespace outside yours:\n");
	for (size_t j = 0; j < f->t->n; j++)
		if (tree_top(f, f->f.order[j]) == 2)
			print_node(f, f->f.order[j], "", ++lost == nlost, 0);
	if (owners)
		owner_footnote();
}

/*
 * -T, --tree=owner: user namespaces by parent, each with what it owns.
 * --tree=parent: pid namespaces by parent (a nested pid namespace under the
 * one it was made in), and user namespaces by parent beside them.
 */
static int show_tree(const struct req *q)
{
	struct nstable t = { 0 };
	struct forest f = { &t, { 0 }, q->how, nst_present_kinds() & (only | 1u << KIND_USER), NULL };

	/* The user namespaces are the owner tree itself: -t picks what hangs on it. */
	if (q->how == NST_TREE_PARENT)
		f.mask &= only & (1u << KIND_USER | 1u << NST_PID);
	if (scan(&t, f.mask, NST_OWNERS | NST_HOLDERS) < 0) {
		nst_free(&t);
		return 1;
	}
	if (nst_forest(&t, q->how, &f.f) < 0) {
		diag_err("draw the tree");
		nst_free(&t);
		return 1;
	}
	(q->json ? tree_json : tree_text)(&f);
	denied_note(&t);
	nst_forest_free(&f.f);
	nst_free(&t);
	return 0;
}

/* ---- nsinfo --dot: the namespaces as a Graphviz graph ---- */

/*
 * Text inside a dot(1) quoted string: terminal-safe first, then '"' and '\'
 * escaped for dot, so "\x1b" reaches the picture as the four characters.
 */
static void dtext(const char *s)
{
	char buf[256];

	/* A label that long helps nobody: the start says enough. */
	if (esc_text(s, strlen(s), buf, sizeof(buf)) >= sizeof(buf))
		memcpy(buf + sizeof(buf) - 4, "...", 4);
	for (const char *p = buf; *p; p++) {
		if (*p == '"' || *p == '\\')
			putchar('\\');
		putchar(*p);
	}
}

/*
 * User namespaces as a tree by ownership (solid edges, parent to child),
 * every other namespace under the user namespace that owns it (dashed), and
 * the processes grouped by the set of namespaces they share (one ellipse per
 * set, dotted to each of its namespaces).  The same pass as -T: its nodes
 * and ownership edges are those of -T -J.
 */
static int show_dot(const struct req *q)
{
	(void)q;	/* --dot takes no -J and no PID */
	struct nstable t = { 0 };
	long *idx;

	if (scan(&t, nst_present_kinds() & (only | 1u << KIND_USER),
		 NST_OWNERS | NST_HOLDERS | NST_GROUPS) < 0) {
		nst_free(&t);
		return 1;
	}
	if (!(idx = nst_sorted(&t, NST_BY_TREE))) {
		diag_err("draw the graph");
		nst_free(&t);
		return 1;
	}
	printf("digraph namespaces {\n"
	       "\tnode [shape=box, fontname=\"monospace\", fontsize=10];\n"
	       "\tedge [fontname=\"monospace\", fontsize=9];\n");
	for (size_t j = 0; j < t.n; j++) {
		const struct nst_ns *n = &t.v[idx[j]];

		printf("\tns%llu [label=\"%s:[%llu]", (unsigned long long)n->ino,
		       pf_nskinds[n->kind].name, (unsigned long long)n->ino);
		if (is_initial(n->kind, n->ino) && (n->kind == KIND_USER || n->kind == NST_PID))
			printf("\\ninitial");
		if (n->kind == KIND_USER && n->owner_uid_known)
			printf("\\nowner uid %u", (unsigned)n->owner_uid);
		if (n->held) {
			printf("\\nheld by ");
			dtext(n->held);
		} else if (n->nprocs == 0 && n->nfds) {
			printf("\\nheld by fd %d of PID %d", n->fds[0].fd, (int)n->fds[0].pid);
		}
		printf("\"%s];\n", n->kind == KIND_USER ? ", style=bold" : "");
	}
	for (size_t j = 0; j < t.n; j++) {
		const struct nst_ns *n = &t.v[idx[j]];

		if (n->owner && nst_find(&t, n->owner) >= 0)
			printf("\tns%llu -> ns%llu%s;\n", (unsigned long long)n->owner,
			       (unsigned long long)n->ino,
			       n->kind == KIND_USER ? "" : " [style=dashed, label=\"owns\"]");
	}
	for (size_t i = 0; i < t.ng; i++) {
		const struct nst_group *g = &t.g[i];

		printf("\tg%zu [shape=ellipse, label=\"%d process%s\\nPID %d ", i, g->nprocs,
		       g->nprocs == 1 ? "" : "es", (int)g->pid);
		dtext(g->cmd);
		printf("\"];\n");
		for (int k = 0; k < PF_NSKINDS; k++)
			if (g->ino[k] && nst_find(&t, g->ino[k]) >= 0)
				printf("\tg%zu -> ns%llu [style=dotted, arrowhead=none];\n", i,
				       (unsigned long long)g->ino[k]);
	}
	printf("}\n");
	denied_note(&t);
	free(idx);
	nst_free(&t);
	return 0;
}

/* ---- nsinfo INODE: the processes of one namespace, as lsns(8) NS shows them ---- */

static void inode_json(uint64_t ino, int kind, const struct nst_member *m, size_t n)
{
	struct jw w;

	jw_init(&w, stdout);
	jw_object(&w, NULL);
	jw_uint(&w, "ns", ino);
	jw_str(&w, "type", pf_nskinds[kind].name);
	jw_lines(&w, "processes");
	for (size_t i = 0; i < n; i++) {
		jw_object(&w, NULL);
		jw_int(&w, "pid", m[i].pid);
		jw_int(&w, "ppid", m[i].ppid);
		jw_str(&w, "user", subid_uid_name(m[i].uid));
		jw_str(&w, "command", m[i].cmd);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
	putchar('\n');
}

static void inode_text(uint64_t ino, int kind, const struct nst_member *m, size_t n)
{
	printf("%s:[%llu], %zu process%s\n", pf_nskinds[kind].name, (unsigned long long)ino,
	       n, n == 1 ? "" : "es");
	printf("%7s %7s %-8s COMMAND\n", "PID", "PPID", "USER");
	for (size_t i = 0; i < n; i++) {
		printf("%7d %7d ", (int)m[i].pid, (int)m[i].ppid);
		printf("%*s ", 8 - (int)tstr(subid_uid_name(m[i].uid)), "");
		tstr(m[i].cmd);
		putchar('\n');
	}
}

/*
 * A number beyond any PID may be a namespace's inode (nsfs numbers them from
 * 0xF0000000): list the processes in it, as lsns(8) NS does.
 */
static int show_inode(uint64_t ino, const char *arg, int json)
{
	struct nst_member *m = NULL;
	size_t n = 0;
	int kind = -1, rc = 1;

	if (nst_members("/proc", ino, nst_present_kinds() & only, &m, &n, &kind) < 0) {
		diag_err("list the processes of %s", arg);
		return 1;
	}
	if (n == 0) {
		diag_msg("%s: no such process, nor a namespace a process is in", arg);
		goto out;
	}
	(json ? inode_json : inode_text)(ino, kind, m, n);
	rc = 0;
out:
	nst_members_free(m, n);
	return rc;
}

/* ---- nsinfo -c: can each kind of namespace be created here, by this caller? ---- */

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

static int check_all(const struct req *q)
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
		fflush(stderr);
		if (nsprobe_run(fl, k == KIND_USER, euid, egid, &r[k]) < 0) {
			diag_err("run the --check child");
			return 1;
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
		fprintf(stderr, "%s: %d of %d kinds of namespace cannot be created here:",
			chain_prog, nfail, nasked);
		for (int k = 0; k < PF_NSKINDS; k++)
			if (!r[k].ok)
				fprintf(stderr, " %s", pf_nskinds[k].name);
		fprintf(stderr, "; a tool relying on them would run without that isolation\n");
	}
	return nfail ? 1 : 0;
}

/* ---- main ---- */

/* A PID argument: 2 for what is not a number, 1 for a number no process can have. */
static int parse_pid_arg(const char *s, pid_t *pid, uint64_t *ino)
{
	uint64_t v;

	if (pf_parse_pid(s, pid) == 0)
		return 0;
	if (errno == ERANGE) {
		/* Beyond any PID: a namespace's inode, where the caller allows one. */
		if (ino && pf_parse_u64(s, strlen(s), &v) == 0 && v > INT_MAX) {
			*ino = v;
			return 0;
		}
		diag_msg("%s: no such process (a PID is 1 to %d)", s, INT_MAX);
		return 1;
	}
	diag_msg("'%s': not a process ID (see '%s --help')", s, chain_prog);
	return EXIT_MISUSE;
}

/* PID, PID PID, or a namespace inode. */
static int show_pids(const struct req *q)
{
	return q->ino ? show_inode(q->ino, q->arg, q->json) :
	       q->npids == 2 ? show_two(q->pid[0], q->pid[1], q->json) : show_one(q->pid[0], q->json);
}

/* The modes: the option that picks one, how it is spelled, how many PIDs it takes. */
static const struct mode {
	int c;
	const char *name;
	int maxpids;
	int (*run)(const struct req *);
} modes[] = {
	{ 0,   "",      2, show_pids },	/* the default: first, for find_mode(0) */
	{ 'a', "-a",    0, list_all },
	{ 'c', "-c",    0, check_all },
	{ 'D', "--dot", 0, show_dot },
	{ 'm', "-m",    1, show_maps },
	{ 'T', "-T",    0, show_tree },
};

static const struct mode *find_mode(int c)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (modes[i].c == c)
			return &modes[i];
	return &modes[0];
}

/*
 * Every mode, -h and -V too: output that could not be written is a failure.
 * As chain_output_done (lib/chain), but nsinfo's status is 1, not 125: a
 * write that failed mid-text left its errno; otherwise fflush reports it.
 */
static int flush_stdout(int rc)
{
	if (!ferror(stdout)) {
		errno = 0;
		if (fflush(stdout) == 0 && !ferror(stdout))
			return rc;
	}
	if (!errno)
		errno = EIO;
	diag_err("write standard output");
	return 1;
}

int main(int argc, char *argv[])
{
	struct req q = { 0, 0, { 0, 0 }, 0, NULL, NST_TREE_OWNER };
	const struct mode *mode = &modes[0];
	int c, rc, ntasks = 0;
	unsigned mask = 0;
	const char *task[3];

	chain_init(argv[0]);
	/*
	 * nsinfo works with a 16 KiB stack (prlimit --stack=16384): glibc
	 * formats into an 8 KiB buffer on the stack for an unbuffered stream,
	 * so stderr gets a line buffer of its own, on the heap.
	 */
	setvbuf(stderr, NULL, _IOLBF, 0);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":acJhmp:Tt:V", longopts, NULL)) != -1) {
		switch (c) {
		case 'T':
			/* --tree=owner|parent; -T (and --tree) is the owner tree. */
			if (optarg && strcmp(optarg, "parent") == 0) {
				q.how = NST_TREE_PARENT;
			} else if (optarg && strcmp(optarg, "owner") != 0) {
				diag_msg("--tree='%s': not a tree (owner, parent)", optarg);
				return EXIT_MISUSE;
			}
			/* fall through */
		case 'a':
		case 'c':
		case 'D':
		case 'm':
			if (mode->c && mode->c != c) {
				diag_msg("%s and %s cannot be combined (see '%s --help')",
					 mode->name, find_mode(c)->name, chain_prog);
				return EXIT_MISUSE;
			}
			mode = find_mode(c);
			break;
		case 'J':
			q.json = 1;
			break;
		case 'h':
			usage(stdout);
			return flush_stdout(0);
		case 'p':
			if (ntasks < 3)
				task[ntasks++] = optarg;
			break;
		case 't': {
			int k = pf_nskind_index(optarg);

			if (k < 0) {
				diag_msg("-t '%s': not a namespace type (cgroup, ipc, mnt, net, pid, time, user, uts)",
					 optarg);
				return EXIT_MISUSE;
			}
			mask |= 1u << k;
			break;
		}
		case 'V':
			printf("nsinfo (nslab) %s\n", NSLAB_VERSION);
			return flush_stdout(0);
		default:
			diag_getopt(c, argv, longopts);
			return EXIT_MISUSE;
		}
	}
	if (q.json && mode->c == 'D') {
		diag_msg("--dot writes a graph, not JSON: -J does not go with it (see '%s --help')",
			 chain_prog);
		return EXIT_MISUSE;
	}
	if (mask && mode->c == 'm') {
		diag_msg("-t does not go with -m: the maps are those of a user namespace (see '%s --help')",
			 chain_prog);
		return EXIT_MISUSE;
	}
	/* -p PID is the positional PID spelled as lsns(8) spells it: they count together. */
	for (int i = optind; i < argc; i++)
		if (ntasks < 3)
			task[ntasks++] = argv[i];
	if (ntasks > mode->maxpids) {
		if (mode->maxpids)
			diag_msg("too many process IDs: '%s' (see '%s --help')", task[ntasks - 1], chain_prog);
		else
			diag_msg("%s takes no PID: '%s' (see '%s --help')", mode->name, task[0], chain_prog);
		return EXIT_MISUSE;
	}
	/* Every argument is checked before any work: a bad second PID must not leave half an answer. */
	q.npids = ntasks;
	q.arg = ntasks ? task[0] : NULL;
	for (int i = 0; i < ntasks; i++)
		if ((rc = parse_pid_arg(task[i], &q.pid[i],
					mode->c == 0 && ntasks == 1 ? &q.ino : NULL)) != 0)
			return rc;
	if (mask)
		only = mask;
	return flush_stdout(mode->run(&q));
}
