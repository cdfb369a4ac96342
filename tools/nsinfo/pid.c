/* SPDX-License-Identifier: MIT */
/*
 * nsinfo [PID [PID2]]: the namespaces of one process as /proc/PID/ns names
 * them, or two processes side by side, each kind marked same or different.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exits.h"
#include "msg.h"
#include "escape.h"
#include "proc.h"
#include "nsinfo.h"

struct procns {
	pid_t pid;
	char comm[PF_COMM_LEN];
	int n;
	struct pr_nsent e[PR_MAXNS];
};

/* -t: the kinds asked for; every kind when there was no -t. */
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
		msg_say("%d: the process exited while its namespaces were read", (int)p->pid);
	else if (p->n < 0)
		msg_err("read /proc/%d/ns", (int)p->pid);
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
		msg_say("PID %d: %d of %d namespace links could not be read (%s)",
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
		return INFO_EXIT_FAIL;
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
		return INFO_EXIT_FAIL;
	(json ? two_json : two_text)(&a, &b);
	return unreadable(&a) | (b.pid == a.pid ? unreadable_quiet(&b) : unreadable(&b));
}

int show_pids(const struct req *q)
{
	return q->npids == 2 ? show_two(q->pid[0], q->pid[1], q->json) : show_one(q->pid[0], q->json);
}
