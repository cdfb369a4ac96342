/* SPDX-License-Identifier: MIT */
/* nsprobe: try one kind of namespace in a child; see nsprobe.h. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "nsprobe.h"
#include "proc.h"

int nsprobe_privileged(void)
{
	return pr_has_cap(CAP_SYS_ADMIN) == 1;
}

const char *nsprobe_step(const struct nsprobe *r)
{
	static char buf[64];

	if (!r->in_maps)
		return "unshare";
	snprintf(buf, sizeof(buf), "write /proc/self/%s", idmap_step_file(r->map_step));
	return buf;
}

/*
 * In the child: the one step, then the diagnosis, made here because
 * diag_explain() looks at this process (its /proc/self/status, its maps).
 */
static void child(int flags, int write_maps, uid_t euid, gid_t egid, int wfd)
{
	static struct nsprobe r;
	static struct idmap uid, gid;
	enum idmap_step failed;
	ssize_t n;

	r.flags = flags;
	r.ok = 1;
	if (unshare(flags) < 0) {
		r.ok = 0;
		r.err = errno;
		diag_explain(DIAG_UNSHARE, flags, r.err, &r.h);
	} else if (write_maps) {
		/* The map an unprivileged caller may write for itself: root inside is me. */
		uid.n = gid.n = 1;
		uid.e[0] = (struct idmap_entry){ 0, euid, 1 };
		gid.e[0] = (struct idmap_entry){ 0, egid, 1 };
		if (idmap_write(0, &uid, "deny", &gid, &failed) < 0) {
			r.ok = 0;
			r.err = errno;
			r.in_maps = 1;
			r.map_step = failed;
			diag_explain(diag_idmap_op(failed), CLONE_NEWUSER, r.err, &r.h);
		}
	}
	/* Well under PIPE_BUF: one atomic write. */
	n = write(wfd, &r, sizeof(r));
	close(wfd);
	_exit(n == (ssize_t)sizeof(r) ? 0 : 1);
}

int nsprobe_run(int flags, int write_maps, uid_t euid, gid_t egid, struct nsprobe *r)
{
	int p[2], status, saved;
	ssize_t n, got = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->flags = flags;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		saved = errno;
		close(p[0]);
		close(p[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(flags, write_maps, euid, egid, p[1]);
	}
	close(p[1]);
	while ((size_t)got < sizeof(*r) &&
	       (n = read(p[0], (char *)r + got, sizeof(*r) - (size_t)got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += n;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if ((size_t)got != sizeof(*r)) {
		/* A seccomp filter may kill instead of failing (SECCOMP_RET_KILL: SIGSYS). */
		memset(r, 0, sizeof(*r));
		r->flags = flags;
		if (WIFSIGNALED(status)) {
			diag_add_hint(&r->h, "the child trying it was killed by %s", strsignal(WTERMSIG(status)));
			if (WTERMSIG(status) == SIGSYS)
				diag_add_hint(&r->h, "%s", "a seccomp filter kills the process at unshare(2) instead of failing it");
		} else {
			diag_add_hint(&r->h, "%s", "the child trying it exited without a result");
		}
	}
	return 0;
}

int nsprobe_has(const char *const *shared, int nshared, const char *line)
{
	for (int i = 0; i < nshared; i++)
		if (strcmp(shared[i], line) == 0)
			return 1;
	return 0;
}

int nsprobe_shared(const struct nsprobe *r, int n, const char **shared)
{
	int first = -1, nfail = 0, nshared = 0;

	for (int k = 0; k < n; k++)
		if (r[k].ok == 0 && nfail++ == 0)
			first = k;
	if (nfail < 2)
		return 0;
	for (int i = 0; i < r[first].h.n; i++) {
		const char *line = r[first].h.line[i];
		int all = 1;

		for (int k = first + 1; k < n && all; k++) {
			int found = r[k].ok != 0;

			for (int j = 0; j < r[k].h.n && !found; j++)
				found = strcmp(r[k].h.line[j], line) == 0;
			all = found;
		}
		if (all)
			shared[nshared++] = line;
	}
	return nshared;
}
