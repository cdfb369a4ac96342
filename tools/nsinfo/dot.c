/* SPDX-License-Identifier: MIT */
/*
 * nsinfo --dot: the namespaces as a Graphviz graph: ownership edges, and the
 * processes grouped by the namespaces they share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exits.h"
#include "msg.h"
#include "escape.h"
#include "nsinfo.h"

/* A label that long helps nobody: the start says enough. */
#define LABEL_MAX 255

/*
 * User namespaces as a tree by ownership (solid edges, parent to child),
 * every other namespace under the user namespace that owns it (dashed), and
 * the processes grouped by the set of namespaces they share (one ellipse per
 * set, dotted to each of its namespaces).  The same pass as -T: its nodes
 * and ownership edges are those of -T -J.
 */
int show_dot(const struct req *q)
{
	struct nstable t = { 0 };
	long *idx;

	if (scan(&t, nst_present_kinds() & (only | 1u << KIND_USER),
		 NST_OWNERS | NST_HOLDERS | NST_GROUPS | (q->fds ? NST_FDS : 0)) < 0) {
		nst_free(&t);
		return INFO_EXIT_FAIL;
	}
	if (!(idx = nst_sorted(&t, NST_BY_TREE))) {
		msg_err("draw the graph");
		nst_free(&t);
		return INFO_EXIT_FAIL;
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
			esc_fput_dot(stdout, n->held, LABEL_MAX);
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
		esc_fput_dot(stdout, g->cmd, LABEL_MAX);
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
