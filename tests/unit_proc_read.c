/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/proc's readers (pr_) on this process's own /proc/self
 * and on a fake process directory: whole files past a page, stat, the
 * command (and comm for an empty cmdline), ns links and maps as the kernel
 * prints them, the reader's "unmapped here" line (4294967295 outside) among
 * them, and what each refuses.  And lib/nsprobe: a kind this process may
 * create, and a flag unshare(2) refuses, each tried in a child.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsprobe.h"
#include "proc.h"
#include "unit.h"

static char root[64];

static void put(const char *rel, const char *data)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (!(f = fopen(path, "w")) || fputs(data, f) == EOF || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

static int map_is(int dfd, const char *file, int n, uint32_t in0, uint32_t out0, uint32_t cnt0)
{
	struct idmap m;
	enum idmap_why why;
	int line;

	return idmap_read(dfd, file, &m, &why, &line) == 0 && m.n == n &&
	       (n == 0 || (m.e[0].inside == in0 && m.e[0].outside == out0 && m.e[0].count == cnt0));
}

static int map_bad(int dfd, const char *file, int want_line)
{
	struct idmap m;
	enum idmap_why why;
	int line = 0;

	errno = 0;
	return idmap_read(dfd, file, &m, &why, &line) == -1 && errno == EINVAL && line == want_line;
}

int main(void)
{
	char buf[64], big[9000], path[256], *cmd;
	struct pf_stat st;
	struct pf_nslink l;
	struct nsprobe r;
	int self, dfd;
	ssize_t n;

	self = pr_open(0);
	CHECK("open /proc/self", self >= 0);
	CHECK("stat of self", pr_stat(self, &st) == 0 && st.pid == getpid());
	CHECK("command of self", (cmd = pr_command(self)) != NULL && strstr(cmd, "unit_proc_read"));
	free(cmd);
	CHECK("ns/net of self", pr_nslink(self, "net", &l) == 0 && strcmp(l.type, "net") == 0 && l.ino > 0);
	CHECK("pid_for_children is a pid link", pr_nslink(self, "pid_for_children", &l) == 0 &&
	      strcmp(l.type, "pid") == 0);
	CHECK("no such ns link", pr_nslink(self, "bogus", &l) == -1 && errno == ENOENT);
	{
		static struct pr_nsent e[PR_MAXNS];
		int ne = pr_nsentries(self, ~0u, e), net = -1, ok = ne > 1;

		for (int i = 0; i < ne; i++) {
			if (strcmp(e[i].name, "net") == 0)
				net = i;
			if (i && strcmp(e[i - 1].name, e[i].name) >= 0)
				ok = 0;
		}
		CHECK("ns entries, sorted", ok && net >= 0 && !e[net].err &&
		      pr_nslink(self, "net", &l) == 0 && e[net].link.ino == l.ino);
		ne = pr_nsentries(self, 1u << pf_nskind_index("pid") | 1u << pf_nskind_index("user"), e);
		CHECK("ns entries of pid and user: pid_for_children counted as pid",
		      ne == 3 && strcmp(e[0].name, "pid") == 0 &&
		      strcmp(e[1].name, "pid_for_children") == 0 && strcmp(e[2].name, "user") == 0 &&
		      e[2].owner_known);
	}
	{
		struct idmap m;
		enum idmap_why why;
		int line;

		CHECK("uid_map of self parses", idmap_read(self, "uid_map", &m, &why, &line) == 0 && m.n >= 1);
	}
	CHECK("a file past a page, whole", (n = pr_read(self, "maps", big, sizeof(big))) > 0 &&
	      (size_t)n == strlen(big));
	CHECK("a buffer of one byte", pr_read(self, "stat", buf, 1) == 0 && buf[0] == '\0');
	CHECK("a buffer of none", pr_read(self, "stat", buf, 0) == -1 && errno == EINVAL);
	CHECK("a process that is not there", pr_open(2147483647) == -1 && pr_gone(errno));
	close(self);

	snprintf(root, sizeof(root), "/tmp/nslab-unit-proc-read.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/ns", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/ns/net", root);
	if (symlink("net:[4026532164]", path) < 0)
		perror(path);
	snprintf(path, sizeof(path), "%s/ns/odd", root);
	if (symlink("net[4026532164]", path) < 0)
		perror(path);
	put("cmdline", "");
	put("comm", "kthreadd\n");
	put("uid_map", "         0       1000          1\n         1     100000      65535\n");
	put("unmapped", "         0 4294967295 4294967295\n");
	put("mixed", "         0       1000          1\n         1 4294967295      65535\n");
	put("empty", "");
	put("overlap", "0 1000 10\n5 2000 10\n");
	put("garbage", "0 1000 1\nzero one two\n");
	put("wide", "0 4294967295 2\n");
	put("zero", "0 4294967295 0\n");
	dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	CHECK("ns link parsed", pr_nslink(dfd, "net", &l) == 0 && l.ino == 4026532164ull);
	CHECK("ns link not the kernel's form", pr_nslink(dfd, "odd", &l) == -1 && errno == EINVAL);
	CHECK("kernel thread: comm", (cmd = pr_command(dfd)) != NULL && strcmp(cmd, "kthreadd") == 0);
	free(cmd);
	CHECK("map of two lines", map_is(dfd, "uid_map", 2, 0, 1000, 1));
	CHECK("unmapped here, kept", map_is(dfd, "unmapped", 1, 0, 4294967295u, 4294967295u));
	CHECK("unmapped line after a mapped one", map_is(dfd, "mixed", 2, 0, 1000, 1));
	CHECK("empty map: not written yet", map_is(dfd, "empty", 0, 0, 0, 0));
	CHECK("overlap refused, line 2", map_bad(dfd, "overlap", 2));
	CHECK("garbage refused, line 2", map_bad(dfd, "garbage", 2));
	CHECK("unmapped here, a count past it: the kernel prints the count as it is",
	      map_is(dfd, "wide", 1, 0, 4294967295u, 2));
	CHECK("count 0 refused, unmapped or not", map_bad(dfd, "zero", 1));
	CHECK("missing map file", idmap_read(dfd, "nothere", &(struct idmap){ 0 }, &(enum idmap_why){ 0 },
					   &(int){ 0 }) == -1 && errno == ENOENT);
	close(dfd);
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	if (system(path) != 0)
		perror(path);

	/* nsprobe_shared: the hints every failed kind has, in the first one's order. */
	{
		static struct nsprobe p[4];
		const char *sh[DIAG_MAX_HINTS];

		memset(p, 0, sizeof(p));
		p[0].ok = 0;
		diag_add_hint(&p[0].h, "seccomp");
		diag_add_hint(&p[0].h, "max_user_namespaces");
		p[1].ok = 1;
		p[2].ok = -1;
		CHECK("shared: one failure shares nothing", nsprobe_shared(p, 4, sh) == 0);
		p[3].ok = 0;
		diag_add_hint(&p[3].h, "max_user_namespaces");
		diag_add_hint(&p[3].h, "apparmor");
		CHECK("shared: the hint both failures have",
		      nsprobe_shared(p, 4, sh) == 1 && strcmp(sh[0], "max_user_namespaces") == 0 &&
		      nsprobe_has(sh, 1, "max_user_namespaces") && !nsprobe_has(sh, 1, "seccomp"));
	}

	/* nsprobe: in a child, so this process keeps its namespaces.  CLONE_VFORK is no flag unshare(2) takes. */
	CHECK("probe: a flag unshare refuses", nsprobe_run(CLONE_NEWUTS | CLONE_VFORK, 0,
		geteuid(), getegid(), &r) == 0 && !r.ok && r.err == EINVAL &&
	      strcmp(nsprobe_step(&r), "unshare") == 0);
	CHECK("probe: user namespace and its maps, as the caller",
	      nsprobe_run(CLONE_NEWUSER, 1, geteuid(), getegid(), &r) == 0 &&
	      (r.ok || r.h.n > 0));
	return unit_done();
}
