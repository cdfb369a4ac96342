/* SPDX-License-Identifier: MIT */
/*
 * nsinfo -T, --tree=owner|parent: the user-namespace tree with what each
 * user namespace owns, or the pid namespaces by parent.
 */
#include <stdio.h>

#include "exits.h"
#include "msg.h"
#include "nsinfo.h"

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
	/* "initial, owner uid 0  (", "initial  (", "owner uid 1000  (": commas only between. */
	if (is_initial(n->kind, n->ino) && (n->kind == KIND_USER || n->kind == NST_PID))
		printf("initial%s", n->kind == KIND_USER && n->owner_uid_known ? ", " : "  ");
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
int show_tree(const struct req *q)
{
	struct nstable t = { 0 };
	struct forest f = { &t, { 0 }, q->how, nst_present_kinds() & (only | 1u << KIND_USER), NULL };

	/* The user namespaces are the owner tree itself: -t picks what hangs on it. */
	if (q->how == NST_TREE_PARENT)
		f.mask &= only & (1u << KIND_USER | 1u << NST_PID);
	if (scan(&t, f.mask, NST_OWNERS | NST_HOLDERS | (q->fds ? NST_FDS : 0)) < 0) {
		nst_free(&t);
		return INFO_EXIT_FAIL;
	}
	if (nst_forest(&t, q->how, &f.f) < 0) {
		msg_err("draw the tree");
		nst_free(&t);
		return INFO_EXIT_FAIL;
	}
	(q->json ? tree_json : tree_text)(&f);
	denied_note(&t);
	nst_forest_free(&f.f);
	nst_free(&t);
	return 0;
}
