/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/nstable on a fake /proc: a directory with numbered
 * process directories whose ns/ entries are symlinks to the text the kernel
 * gives ("net:[5000]"), cmdline files, a link that is not what the kernel
 * writes, and a mountinfo with an nsfs bind mount.  Counts, lowest PIDs and
 * commands, denied processes, held namespaces, groups by shared set, and
 * both forests (owner, parent) built on owners and parents set by hand.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstable.h"
#include "unit.h"

#define NET 1
#define PIDK NST_PID
#define INIT_USER 4026531837ull

static char root[64];

static void put(const char *rel, const char *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (!(f = fopen(path, "w")) || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

static void proc(const char *pid, const char *cmdline, size_t len, const char *user,
		 const char *net, const char *pidns)
{
	char path[256], rel[64];

	snprintf(path, sizeof(path), "%s/%s", root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/ns", root, pid);
	mkdir(path, 0755);
	snprintf(rel, sizeof(rel), "%s/cmdline", pid);
	put(rel, cmdline, len);
	snprintf(rel, sizeof(rel), "%s/stat", pid);
	put(rel, "1 (x) S 0", 9);
	if (user) {
		snprintf(path, sizeof(path), "%s/%s/ns/user", root, pid);
		if (symlink(user, path) < 0)
			perror(path);
	}
	if (net) {
		snprintf(path, sizeof(path), "%s/%s/ns/net", root, pid);
		if (symlink(net, path) < 0)
			perror(path);
	}
	if (pidns) {
		snprintf(path, sizeof(path), "%s/%s/ns/pid", root, pid);
		if (symlink(pidns, path) < 0)
			perror(path);
	}
}

static const struct nst_ns *ns(const struct nstable *t, uint64_t ino)
{
	long i = nst_find(t, ino);

	return i < 0 ? NULL : &t->v[i];
}

static int rm_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

int main(void)
{
	unsigned mask = 1u << NST_USER | 1u << NET | 1u << PIDK;
	struct nstable t = { 0 };
	struct nst_forest f;
	const struct nst_ns *n;
	char mi[128];
	const char *mountinfo =
		"22 1 0:21 / / rw - ext4 /dev/vda rw\n"
		"36 22 0:4 net:[7000] /run/netns/a\\040b rw shared:5 - nsfs nsfs rw\n"
		"37 22 0:4 net:[5000] /run/netns/busy rw - nsfs nsfs rw\n"
		"38 22 0:4 uts:[8000] /run/uts rw - nsfs nsfs rw\n";
	long iu, in, ip;
	size_t big = 0;

	CHECK("pf_nskinds: user is NST_USER", strcmp(pf_nskinds[NST_USER].name, "user") == 0);
	CHECK("pf_nskinds: pid is NST_PID", strcmp(pf_nskinds[NST_PID].name, "pid") == 0);
	CHECK("pf_nskinds: net is 1", strcmp(pf_nskinds[NET].name, "net") == 0);

	snprintf(root, sizeof(root), "/tmp/nslab-unit-nstable.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	proc("100", "a\0-x\0", 5, "user:[4026531837]", "net:[5000]", "pid:[6000]");
	proc("200", "b", 1, "user:[4026531837]", "net:[5000]", "pid:[6001]");
	proc("400", "d\0", 2, "user:[4026531837]", "net:[5000]", "pid:[6000]");
	proc("50", "e\0", 2, "user:[9000]", "net:[5001]", "pid:[6001]");
	proc("300", "c", 1, "user:[4026531837]", "net[5000]", "pid:[6000]");
	proc("7", "", 0, "user:[4026531837]", "net:[5000]", "pid:[6000]");
	put("7/comm", "kthread\n", 8);
	mkdir(strcat(strcpy(mi, root), "/sys"), 0755);
	snprintf(mi, sizeof(mi), "%s/mountinfo", root);
	put("mountinfo", mountinfo, strlen(mountinfo));

	CHECK("scan", nst_scan(&t, root, mi, mask, NST_HOLDERS | NST_GROUPS) == 0);
	CHECK("7 namespaces: 2 user, 3 net, 2 pid", t.n == 7);
	n = ns(&t, 5000);
	CHECK("net 5000: 7 100 200 400 (not 300, whose link is bad)", n && n->nprocs == 4);
	CHECK("net 5000: lowest PID 7", n && n->pid == 7);
	CHECK("a kernel thread's command is its comm", n && n->cmd && strcmp(n->cmd, "kthread") == 0);
	CHECK("a process in it: not held", n && n->held == NULL);
	n = ns(&t, 6000);
	CHECK("pid 6000: 100, 300, 400, 7", n && n->nprocs == 4 && n->pid == 7);
	n = ns(&t, 6001);
	CHECK("pid 6001: lowest PID 50, command e", n && n->nprocs == 2 && n->pid == 50 &&
	      strcmp(n->cmd, "e") == 0);
	n = ns(&t, 5001);
	CHECK("net 5001", n && n->nprocs == 1 && n->kind == NET);
	n = ns(&t, INIT_USER);
	CHECK("initial user: 5 processes", n && n->nprocs == 5 && n->kind == NST_USER);
	CHECK("300's bad link: denied, EINVAL", t.ndenied == 1 && t.denied[0] == 300 &&
	      t.denied_err == EINVAL);
	n = ns(&t, 7000);
	CHECK("a bind mount holds net 7000, target unescaped", n && n->nprocs == 0 &&
	      n->held && strcmp(n->held, "/run/netns/a b") == 0 && n->pid == 0);
	CHECK("a kind not asked for is not added (uts 8000)", ns(&t, 8000) == NULL);
	/*
	 * Groups: {user, 5000, 6000} is 7 100 400; {user, 5000, 6001} is 200;
	 * {9000, 5001, 6001} is 50; 300 is {user, -, 6000}: its net unread.
	 */
	for (size_t i = 0; i < t.ng; i++)
		if (t.g[i].nprocs > (int)big)
			big = (size_t)t.g[i].nprocs;
	CHECK("groups: 4 sets", t.ng == 4);
	CHECK("groups: the biggest is 3 processes", big == 3);
	CHECK("present kinds include user", nst_present_kinds() & 1u << NST_USER);

	/* Forests, on owners and parents as ioctl_ns(2) would give them. */
	iu = nst_find(&t, 9000);
	in = nst_find(&t, 5001);
	ip = nst_find(&t, 6001);
	t.v[iu].owner = INIT_USER;
	t.v[in].owner = 9000;
	t.v[nst_find(&t, 5000)].owner = INIT_USER;
	t.v[ip].parent = 6000;
	t.v[ip].owner = INIT_USER;
	CHECK("owner forest", nst_forest(&t, NST_TREE_OWNER, &f) == 0);
	CHECK("owner: 9000 below the initial user", f.up[iu] == nst_find(&t, INIT_USER));
	CHECK("owner: net 5001 below 9000", f.up[in] == iu);
	CHECK("owner: initial user is a root", f.up[nst_find(&t, INIT_USER)] == -1);
	CHECK("owner: net 7000 without an owner is a root", f.up[nst_find(&t, 7000)] == -1);
	{
		long u = nst_find(&t, INIT_USER);
		int owned_first = f.count[u] == 3 &&
			t.v[f.kids[f.first[u]]].kind != NST_USER &&
			t.v[f.kids[f.first[u] + 2]].kind == NST_USER;

		CHECK("owner: what a user namespace owns comes before its children", owned_first);
	}
	nst_forest_free(&f);
	CHECK("parent forest", nst_forest(&t, NST_TREE_PARENT, &f) == 0);
	CHECK("parent: pid 6001 below pid 6000", f.up[ip] == nst_find(&t, 6000));
	CHECK("parent: net 5001 is a root", f.up[in] == -1);
	CHECK("parent: user 9000 below its parent", f.up[iu] == nst_find(&t, INIT_USER));
	nst_forest_free(&f);

	{
		long *o = nst_sorted(&t, NST_BY_INO);
		int ok = o != NULL;

		for (size_t i = 1; ok && i < t.n; i++)
			ok = t.v[o[i - 1]].ino < t.v[o[i]].ino;
		CHECK("sorted by inode", ok);
		free(o);
	}
	nst_free(&t);
	{
		struct nst_member *m;
		size_t nm;
		int kind;

		/* A stat the kernel could write, for the members' PIDs and parents. */
		static const char *const pids[] = { "400", "100", "7", "200" };
		char line[160], rel[32];

		for (size_t i = 0; i < 4; i++) {
			snprintf(rel, sizeof(rel), "%s/stat", pids[i]);
			snprintf(line, sizeof(line), "%s (x) S 1 1 1 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 "
				 "575630 3133440 361 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1\n", pids[i]);
			put(rel, line, strlen(line));
		}
		/* 300's link is not the kernel's form: it is in no namespace we can name. */
		CHECK("members of net:[5000]", nst_members(root, 5000, mask, &m, &nm, &kind) == 0 &&
		      nm == 4 && kind == pf_nskind_index("net"));
		nst_members_free(m, nm);
		CHECK("members of no namespace", nst_members(root, 4242, mask, &m, &nm, &kind) == 0 &&
		      nm == 0 && kind == -1);
		nst_members_free(m, nm);
		CHECK("members: a missing /proc", nst_members("/nonexistent-nslab", 5000, mask, &m, &nm,
							      &kind) == -1 && errno == ENOENT);
	}
	CHECK("a missing /proc", nst_scan(&t, "/nonexistent-nslab", NULL, mask, 0) == -1 && errno == ENOENT);
	nst_free(&t);
	rm_tree();
	return unit_done();
}
