/* SPDX-License-Identifier: MIT */
/*
 * nsinfo -a: every namespace on the system, as lsns(8) lists them, and
 * those no process is in but a bind mount or a descriptor holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exits.h"
#include "msg.h"
#include "escape.h"
#include "subid.h"
#include "nsinfo.h"

/* The USER column: the owner of the lowest PID, or "-" for a namespace no process is in. */
static const char *row_user(const struct nst_ns *n)
{
	return n->nprocs ? lookup_uid_name(n->uid) : "-";
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
 * in but a bind mount holds (lsns does from util-linux 2.39, --persistent)
 * and, with -F, a descriptor (from 2.41): 2.38 lists neither.
 */
int list_all(const struct req *q)
{
	struct nstable t = { 0 };
	long *idx;

	if (scan(&t, nst_present_kinds() & only, NST_HOLDERS | (q->fds ? NST_FDS : 0)) < 0) {
		nst_free(&t);
		return INFO_EXIT_FAIL;
	}
	if (!(idx = nst_sorted(&t, NST_BY_INO))) {
		msg_err("list namespaces");
		nst_free(&t);
		return INFO_EXIT_FAIL;
	}
	(q->json ? all_json : all_text)(&t, idx);
	denied_note(&t);
	free(idx);
	nst_free(&t);
	return 0;
}
