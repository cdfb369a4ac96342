/* SPDX-License-Identifier: MIT */
/*
 * nsinfo: what two or more modes share: the initial namespaces, the owner
 * footnote, terminal-safe text, opening a PID, and the one pass over /proc
 * with the words for its failure and for who holds a namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exits.h"
#include "msg.h"
#include "escape.h"
#include "proc.h"
#include "subid.h"
#include "nsinfo.h"

/* -t: the kinds asked for; every kind when there was no -t. */
unsigned only = ~0u;

int is_initial(int kind, uint64_t ino)
{
	return kind >= 0 && ino == pf_nskinds[kind].init_ino;
}

/*
 * NS_GET_OWNER_UID answers in the caller's user namespace (ioctl_ns(2)):
 * the same owner reads "uid 0" from inside and "uid 1001" from the host.
 * Text output says so once, after the rows that show one.
 */
void owner_footnote(void)
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
size_t tstr(const char *s)
{
	return esc_fput_text(stdout, s);
}

/*
 * Open /proc/PID (0: /proc/self) and read its stat.  Prints the error and
 * returns -1 when there is no such process.
 */
int open_pid(pid_t pid, struct pf_stat *st)
{
	int fd = pr_open(pid);

	if (fd < 0) {
		if (pr_gone(errno))
			msg_say("%d: no such process", (int)pid);
		else
			msg_err("open /proc/%d", (int)pid);
		return -1;
	}
	if (pr_stat(fd, st) < 0) {
		if (pr_gone(errno))
			msg_say("%d: no such process (it has just exited)", (int)pid);
		else
			msg_err("read /proc/%d/stat", (int)pid);
		close(fd);
		return -1;
	}
	/*
	 * A zombie has left its namespaces but pid and user (exit_task_namespaces
	 * ran): what it still has is not what it was in.
	 */
	if (st->state == 'Z' || st->state == 'X') {
		msg_say("%d: the process has exited (a zombie, not yet reaped)",
			 (int)st->pid);
		close(fd);
		return -1;
	}
	return fd;
}


/* The pass itself is lib/nstable's; this words its failure. */
int scan(struct nstable *t, unsigned mask, int flags)
{
	if (nst_scan(t, "/proc", NULL, mask, flags) == 0)
		return 0;
	msg_err("read /proc");
	return -1;
}

void denied_note(const struct nstable *t)
{
	size_t shown = t->ndenied < 8 ? t->ndenied : 8, o = 0;
	char pids[8 * 12 + 8];

	if (t->ndenied == 0)
		return;
	for (size_t i = 0; i < shown; i++)
		o += (size_t)snprintf(pids + o, sizeof(pids) - o, " %d", (int)t->denied[i]);
	snprintf(pids + o, sizeof(pids) - o, "%s", t->ndenied > shown ? " ..." : "");
	msg_say("the namespaces of %zu process%s could not be read (%s), so %s not counted: PID%s",
		t->ndenied, t->ndenied == 1 ? "" : "es", strerror(t->denied_err),
		t->ndenied == 1 ? "it is" : "they are", pids);
}

void json_denied(struct jw *w, const struct nstable *t)
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
void held_where(const struct nst_ns *n)
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

void json_who(struct jw *w, const struct nst_ns *n)
{
	jw_int(w, "nprocs", n->nprocs);
	if (n->nprocs == 0) {
		jw_null(w, "pid");
		jw_null(w, "user");
		jw_null(w, "command");
	} else {
		jw_int(w, "pid", n->pid);
		jw_str(w, "user", lookup_uid_name(n->uid));
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
