/* SPDX-License-Identifier: MIT */
/* nstable: the namespaces one pass over /proc finds; see nstable.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/nsfs.h>

#include "mountinfo.h"
#include "nstable.h"
#include "proc.h"

static void *xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}

static size_t hash_ino(uint64_t ino, size_t nslot)
{
	/* Inodes come from one counter: mix them so neighbours spread. */
	ino *= 0x9E3779B97F4A7C15ull;
	return (size_t)(ino >> 32) & (nslot - 1);
}

long nst_find(const struct nstable *t, uint64_t ino)
{
	if (t->nslot == 0)
		return -1;
	for (size_t h = hash_ino(ino, t->nslot);; h = (h + 1) & (t->nslot - 1)) {
		if (t->slot[h] == 0)
			return -1;
		if (t->v[t->slot[h] - 1].ino == ino)
			return (long)t->slot[h] - 1;
	}
}

static int rehash(struct nstable *t, size_t nslot)
{
	uint32_t *s = calloc(nslot, sizeof(*s));

	if (!s)
		return -1;
	free(t->slot);
	t->slot = s;
	t->nslot = nslot;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = hash_ino(t->v[i].ino, nslot);

		while (s[h])
			h = (h + 1) & (nslot - 1);
		s[h] = (uint32_t)i + 1;
	}
	return 0;
}

static size_t hash_set(const uint64_t *ino, size_t nslot)
{
	uint64_t h = 0;

	for (int k = 0; k < PF_NSKINDS; k++)
		h = (h ^ ino[k]) * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 32) & (nslot - 1);
}

static int regroup(struct nstable *t, size_t nslot)
{
	uint32_t *s = calloc(nslot, sizeof(*s));

	if (!s)
		return -1;
	free(t->gslot);
	t->gslot = s;
	t->ngslot = nslot;
	for (size_t i = 0; i < t->ng; i++) {
		size_t h = hash_set(t->g[i].ino, nslot);

		while (s[h])
			h = (h + 1) & (nslot - 1);
		s[h] = (uint32_t)i + 1;
	}
	return 0;
}

/* Count process pid in the group of its set of namespaces. */
static int group(struct nstable *t, const uint64_t *ino, pid_t pid, const char *cmd)
{
	struct nst_group *g;
	size_t h;

	if ((t->ng + 1) * 2 > t->ngslot && regroup(t, t->ngslot ? t->ngslot * 2 : 256) < 0)
		return -1;
	for (h = hash_set(ino, t->ngslot); t->gslot[h]; h = (h + 1) & (t->ngslot - 1))
		if (memcmp(t->g[t->gslot[h] - 1].ino, ino, sizeof(t->g->ino)) == 0)
			break;
	if (t->gslot[h]) {
		g = &t->g[t->gslot[h] - 1];
	} else {
		if (t->ng == t->capg) {
			size_t cap = t->capg ? t->capg * 2 : 64;
			struct nst_group *v = xrealloc(t->g, cap, sizeof(*v));

			if (!v)
				return -1;
			t->g = v;
			t->capg = cap;
		}
		g = &t->g[t->ng];
		*g = (struct nst_group){ .nprocs = 0 };
		memcpy(g->ino, ino, sizeof(g->ino));
		t->gslot[h] = (uint32_t)++t->ng;
	}
	g->nprocs++;
	if (g->pid == 0 || g->pid > pid) {
		char *c = strdup(cmd);

		if (!c)
			return -1;
		free(g->cmd);
		g->cmd = c;
		g->pid = pid;
	}
	return 0;
}

void nst_free(struct nstable *t)
{
	for (size_t i = 0; i < t->ng; i++)
		free(t->g[i].cmd);
	free(t->g);
	free(t->gslot);
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].cmd);
		free(t->v[i].held);
		free(t->v[i].fds);
		free(t->v[i].fdcmd);
	}
	free(t->v);
	free(t->slot);
	free(t->denied);
	free(t->dents);
	memset(t, 0, sizeof(*t));
}

long nst_add(struct nstable *t, uint64_t ino, int kind)
{
	size_t h;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct nst_ns *v;

		if (cap > UINT32_MAX - 1) {
			errno = ENOMEM;
			return -1;
		}
		if (!(v = xrealloc(t->v, cap, sizeof(*v))))
			return -1;
		t->v = v;
		t->cap = cap;
	}
	/* Keep the table at most half full, so probes stay short. */
	if ((t->n + 1) * 2 > t->nslot && rehash(t, t->nslot ? t->nslot * 2 : 1024) < 0)
		return -1;
	t->v[t->n] = (struct nst_ns){ .ino = ino, .kind = kind };
	for (h = hash_ino(ino, t->nslot); t->slot[h]; h = (h + 1) & (t->nslot - 1))
		;
	t->slot[h] = (uint32_t)t->n + 1;
	return (long)t->n++;
}

/* The inode of the namespace fd up refers to, added as kind if new; closes up. */
static long meet(struct nstable *t, int up, int kind, int *fresh)
{
	struct stat st;
	long j;

	*fresh = 0;
	if (fstat(up, &st) < 0) {
		close(up);
		return -2;	/* nothing to follow, not an error */
	}
	j = nst_find(t, st.st_ino);
	if (j < 0) {
		if ((j = nst_add(t, st.st_ino, kind)) < 0) {
			close(up);
			return -1;
		}
	}
	*fresh = !t->v[j].explored;
	return j;
}

/*
 * Who owns namespace i, and a user or pid namespace's parent.
 * NS_GET_USERNS gives the owning user namespace of any namespace,
 * NS_GET_PARENT the parent of a user or pid namespace (ioctl_ns(2)); both
 * fail with EPERM beyond the caller's own user namespace (or pid namespace),
 * and the initial ones have no parent.  A namespace met this way may hold
 * no process at all (a user namespace that only owns others): it is added
 * with none.  At most 32 levels of either (user_namespaces(7),
 * pid_namespaces(7)) bound the recursion.
 */
static int explore(struct nstable *t, long i, int fd)
{
	int kind = t->v[i].kind, up, fresh;
	long j;

	t->v[i].explored = 1;
	if (kind == NST_USER) {
		uid_t uid = 0;	/* valgrind does not know this ioctl writes it */

		if (ioctl(fd, NS_GET_OWNER_UID, &uid) == 0) {
			t->v[i].owner_uid_known = 1;
			t->v[i].owner_uid = uid;
		}
	}
	if (kind == NST_PID && (up = ioctl(fd, NS_GET_PARENT)) >= 0) {
		j = meet(t, up, NST_PID, &fresh);
		if (j == -1) {
			close(fd);
			return -1;
		}
		if (j >= 0) {
			t->v[i].parent = t->v[j].ino;
			if (fresh && explore(t, j, up) < 0) {
				close(fd);
				return -1;
			}
			if (!fresh)
				close(up);
		}
	}
	up = ioctl(fd, kind == NST_USER ? NS_GET_PARENT : NS_GET_USERNS);
	close(fd);
	if (up < 0)
		return 0;
	j = meet(t, up, NST_USER, &fresh);
	if (j < 0)
		return j == -1 ? -1 : 0;
	t->v[i].owner = t->v[j].ino;
	if (!fresh) {
		close(up);
		return 0;
	}
	return explore(t, j, up);
}

static int note_denied(struct nstable *t, pid_t pid, int err)
{
	if (t->ndenied == t->capdenied) {
		size_t cap = t->capdenied ? t->capdenied * 2 : 64;
		pid_t *d = xrealloc(t->denied, cap, sizeof(*d));

		if (!d)
			return -1;
		t->denied = d;
		t->capdenied = cap;
	}
	t->denied[t->ndenied++] = pid;
	t->denied_err = err;
	return 0;
}

/*
 * Explore namespace i through path (under dirfd), only if that is still
 * namespace i when opened: what names it may have changed since it was read.
 * Opened O_PATH first, and for reading only once it is that nsfs file: a
 * FIFO mounted over the nsfs mount (or a descriptor number reused for one)
 * would block open(O_RDONLY) for ever, and opening a device may do
 * something.  The reopen goes through /proc/self/fd, which opens the very
 * file the O_PATH descriptor holds, whatever path now names.
 */
static int explore_at(struct nstable *t, long i, int dirfd, const char *path)
{
	int pfd = openat(dirfd, path, O_PATH | O_CLOEXEC), fd;
	char self[32];
	struct statfs sf;
	struct stat st;

	if (pfd < 0)
		return 0;
	if (fstat(pfd, &st) < 0 || st.st_ino != t->v[i].ino ||
	    fstatfs(pfd, &sf) < 0 || sf.f_type != NSFS_MAGIC) {
		close(pfd);
		return 0;
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_CLOEXEC);
	close(pfd);
	if (fd < 0)
		return 0;
	return explore(t, i, fd);
}

/* A page: a hundred and more descriptors a call. */
#define NST_DENTS 4096

/* What getdents64(2) writes. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Note that descriptor fd of pid holds namespace i; the first holder's command too. */
static int note_fd(struct nstable *t, long i, int dfd, pid_t pid, int fd)
{
	struct nst_ns *n = &t->v[i];
	struct nst_fd *f = xrealloc(n->fds, n->nfds + 1, sizeof(*f));

	if (!f)
		return -1;
	n->fds = f;
	f[n->nfds].pid = pid;
	f[n->nfds].fd = fd;
	if (n->nfds++ == 0 && !(n->fdcmd = pr_command(dfd))) {
		if (!pr_gone(errno) && errno != EACCES)
			return -1;
		n->fdcmd = NULL;	/* gone meanwhile: the PID still says who */
	}
	return 0;
}

/*
 * The namespaces a process holds by an open descriptor: one readlinkat(2)
 * per entry of /proc/PID/fd, whose text for a namespace is the ns link's,
 * "net:[4026532164]".  getdents64(2) into one buffer for the whole scan
 * rather than opendir(3): no allocation per process, none per descriptor,
 * and off the stack, which explore() below needs.  A directory
 * we may not open (another user's process, one that exited) is skipped:
 * what it holds is not ours to see.
 */
static int scan_fds(struct nstable *t, int dfd, pid_t pid, unsigned mask, int flags)
{
	char link[PF_NSTYPE_LEN + 32];
	int k, fdd = openat(dfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ssize_t got;

	if (fdd < 0)
		return 0;
	if (!t->dents && !(t->dents = malloc(NST_DENTS))) {
		close(fdd);
		return -1;
	}
	/* The raw call: glibc and musl (nslab builds with both) declare it differently. */
	while ((got = syscall(SYS_getdents64, fdd, t->dents, NST_DENTS)) > 0) {
		for (ssize_t off = 0; off < got;) {
			struct linux_dirent64 *de = (struct linux_dirent64 *)(void *)(t->dents + off);
			struct pf_nslink ns;
			uint64_t fd;
			ssize_t n;
			long i;

			off += de->d_reclen;
			if (pf_parse_u64(de->d_name, strlen(de->d_name), &fd) < 0 || fd > INT_MAX)
				continue;	/* "." and ".." */
			n = readlinkat(fdd, de->d_name, link, sizeof(link));
			if (n <= 0 || (size_t)n == sizeof(link) ||
			    pf_parse_nslink(link, (size_t)n, &ns) < 0 ||
			    (k = pf_nskind_index(ns.type)) < 0 || !(mask & 1u << k))
				continue;	/* a file, a pipe, a socket, or closed meanwhile */
			if ((i = nst_find(t, ns.ino)) < 0 && (i = nst_add(t, ns.ino, k)) < 0)
				goto fail;
			if (note_fd(t, i, dfd, pid, (int)fd) < 0)
				goto fail;
			/* The fd may have been closed and its number reused meanwhile. */
			if ((flags & NST_OWNERS) && !t->v[i].explored &&
			    explore_at(t, i, fdd, de->d_name) < 0)
				goto fail;
		}
		/*
		 * procfs fills the buffer until an entry does not fit, and an
		 * entry here is under 64 bytes: room left over means that was
		 * all, and the call that would return 0 (a third of this
		 * function's syscalls for most processes) is not made.
		 */
		if (got <= NST_DENTS - 64)
			break;
	}
	close(fdd);
	return 0;
fail:
	k = errno;
	close(fdd);
	errno = k;
	return -1;
}

/*
 * One process: the inode of each ns link, and its owner and command line
 * only when it is the lowest PID of one of its namespaces.  The inode is
 * read from the link's text, which is the st_ino stat(2) would give: the
 * kernel formats the text without what following the link costs (finding
 * the namespace's nsfs dentry), and on 2000 processes the whole pass takes
 * 40% less time for it.  Nothing is counted until all of it has been read:
 * a process that is gone by then leaves no trace.  A zombie is still there
 * and still in its pid and user namespaces (its other links answer ENOENT):
 * it is counted in those, as lsns(8) counts it.
 */
static int scan_process(struct nstable *t, int procfd, const char *name, pid_t pid,
			unsigned mask, int flags)
{
	uint64_t ino[PF_NSKINDS];
	unsigned have = 0, fresh = 0;
	int dfd, need_cmd = 0, denied = 0, absent = 0, rc = 0;
	char path[16], *cmd = NULL;
	struct stat st, alive;

	dfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	for (int k = 0; k < PF_NSKINDS; k++) {
		struct pf_nslink link;
		long i;

		if (!(mask & 1u << k))
			continue;
		if (pr_nslink(dfd, pf_nskinds[k].name, &link) < 0) {
			if (pr_gone(errno))
				absent = 1;
			else
				denied = errno;
			continue;
		}
		if (strcmp(link.type, pf_nskinds[k].name) != 0) {
			denied = EINVAL;	/* not what the kernel writes: never guess */
			continue;
		}
		have |= 1u << k;
		ino[k] = link.ino;
		i = nst_find(t, ino[k]);
		if (i < 0 || t->v[i].pid == 0 || t->v[i].pid > pid)
			need_cmd = 1;
	}
	/* Exited (or exiting), or reaped: only a reaped one has no stat left. */
	if (absent && fstatat(dfd, "stat", &alive, 0) < 0)
		goto out;
	/* A group's lowest PID is not known before the whole pass: every command is read. */
	if ((flags & NST_GROUPS) && have)
		need_cmd = 1;
	/* The owner of /proc/PID, as lsns(8) takes it. */
	if (need_cmd && (fstat(dfd, &st) < 0 || !(cmd = pr_command(dfd))))
		goto out;
	if (denied && note_denied(t, pid, denied) < 0)
		goto fail;
	if ((flags & NST_FDS) && scan_fds(t, dfd, pid, mask, flags) < 0)
		goto fail;
	for (int k = 0; k < PF_NSKINDS; k++) {
		long i;

		if (!(have & 1u << k))
			continue;
		if ((i = nst_find(t, ino[k])) < 0) {
			if ((i = nst_add(t, ino[k], k)) < 0)
				goto fail;
		}
		if (!t->v[i].explored)
			fresh |= 1u << k;
		t->v[i].nprocs++;
		if (t->v[i].pid == 0 || t->v[i].pid > pid) {
			char *c = strdup(cmd);

			if (!c)
				goto fail;
			free(t->v[i].cmd);
			t->v[i].cmd = c;
			t->v[i].pid = pid;
			t->v[i].uid = st.st_uid;
		}
	}
	if ((flags & NST_GROUPS) && have) {
		uint64_t set[PF_NSKINDS];

		for (int k = 0; k < PF_NSKINDS; k++)
			set[k] = have & 1u << k ? ino[k] : 0;
		if (group(t, set, pid, cmd) < 0)
			goto fail;
	}
	/* Ask each namespace met for the first time who owns it. */
	for (int k = 0; (flags & NST_OWNERS) && k < PF_NSKINDS; k++) {
		long i;
		int fd;

		if (!(fresh & 1u << k))
			continue;
		i = nst_find(t, ino[k]);
		snprintf(path, sizeof(path), "ns/%s", pf_nskinds[k].name);
		fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && explore(t, i, fd) < 0)
			goto fail;
	}
	goto out;
fail:
	rc = -1;
out:
	free(cmd);
	close(dfd);
	return rc;
}

/*
 * Namespaces a bind mount keeps (nsfs in mountinfo; `ip netns add` makes
 * one under /run/netns): the mount's root is the link text, "net:[N]".
 * Only the mounts of the caller's mount namespace are visible here.
 */
static int scan_mounts(struct nstable *t, const char *mountinfo, unsigned mask, int flags)
{
	struct mi_table m;

	if (mi_read(mountinfo, &m) < 0)
		return pr_gone(errno) ? 0 : -1;
	for (size_t e = 0; e < m.n; e++) {
		struct pf_nslink link;
		int k;
		long i;

		if (strcmp(m.e[e].fstype, "nsfs") != 0 ||
		    pf_parse_nslink(m.e[e].root, strlen(m.e[e].root), &link) < 0 ||
		    (k = pf_nskind_index(link.type)) < 0 || !(mask & 1u << k))
			continue;
		if ((i = nst_find(t, link.ino)) < 0 && (i = nst_add(t, link.ino, k)) < 0)
			goto fail;
		if (t->v[i].nprocs || t->v[i].held)
			continue;	/* a process is in it, or an earlier mount said so */
		if (!(t->v[i].held = strdup(m.e[e].target)))
			goto fail;
		/* A mount can move meanwhile. */
		if ((flags & NST_OWNERS) && !t->v[i].explored &&
		    explore_at(t, i, AT_FDCWD, m.e[e].target) < 0)
			goto fail;
	}
	mi_free(&m);
	return 0;
fail:
	mi_free(&m);
	return -1;
}

int nst_scan(struct nstable *t, const char *proc, const char *mountinfo,
	     unsigned mask, int flags)
{
	struct dirent *de;
	DIR *d = opendir(proc);
	int saved;

	if (!d)
		return -1;
	/* readdir(3) of /proc gives only the thread-group leaders: processes, as lsns counts them. */
	while ((de = readdir(d)) != NULL) {
		pid_t pid;

		if (pf_parse_pid(de->d_name, &pid) < 0)
			continue;
		if (scan_process(t, dirfd(d), de->d_name, pid, mask, flags) < 0)
			goto fail;
	}
	closedir(d);
	if ((flags & NST_HOLDERS) && scan_mounts(t, mountinfo, mask, flags) < 0)
		return -1;
	return 0;
fail:
	saved = errno;
	closedir(d);
	errno = saved;
	return -1;
}

unsigned nst_present_kinds(void)
{
	char path[32];
	unsigned mask = 0;

	for (int k = 0; k < PF_NSKINDS; k++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", pf_nskinds[k].name);
		if (access(path, F_OK) == 0)
			mask |= 1u << k;
	}
	return mask;
}

static int cmp_ino(const void *a, const void *b, void *arg)
{
	const struct nst_ns *v = arg;
	uint64_t x = v[*(const long *)a].ino, y = v[*(const long *)b].ino;

	return x < y ? -1 : x > y;
}

/* The owner-tree order: namespaces a user namespace owns first, then its children, each by inode. */
static int cmp_tree(const void *a, const void *b, void *arg)
{
	const struct nst_ns *v = arg;
	int ua = v[*(const long *)a].kind == NST_USER, ub = v[*(const long *)b].kind == NST_USER;

	return ua != ub ? ua - ub : cmp_ino(a, b, arg);
}

long *nst_sorted(const struct nstable *t, enum nst_order order)
{
	long *idx = xrealloc(NULL, t->n ? t->n : 1, sizeof(*idx));

	if (!idx)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		idx[i] = (long)i;
	qsort_r(idx, t->n, sizeof(*idx), order == NST_BY_TREE ? cmp_tree : cmp_ino, t->v);
	return idx;
}

void nst_forest_free(struct nst_forest *f)
{
	free(f->order);
	free(f->up);
	free(f->kids);
	free(f->first);
	free(f->count);
	memset(f, 0, sizeof(*f));
}

int nst_forest(const struct nstable *t, enum nst_tree how, struct nst_forest *f)
{
	size_t n = t->n + 1;

	memset(f, 0, sizeof(*f));
	f->order = nst_sorted(t, NST_BY_TREE);
	f->up = xrealloc(NULL, n, sizeof(*f->up));
	f->kids = xrealloc(NULL, n, sizeof(*f->kids));
	f->first = calloc(n, sizeof(*f->first));
	f->count = calloc(n, sizeof(*f->count));
	if (!f->order || !f->up || !f->kids || !f->first || !f->count) {
		nst_forest_free(f);
		errno = ENOMEM;
		return -1;
	}
	/* Group children by what they hang below, keeping the sorted order within each group. */
	for (size_t i = 0; i < t->n; i++) {
		const struct nst_ns *v = &t->v[i];
		uint64_t up = how == NST_TREE_OWNER ? v->owner :
			      v->kind == NST_PID ? v->parent :
			      v->kind == NST_USER ? v->owner : 0;

		f->up[i] = up ? nst_find(t, up) : -1;
		if (f->up[i] >= 0)
			f->count[f->up[i]]++;
	}
	for (size_t i = 1; i < t->n; i++)
		f->first[i] = f->first[i - 1] + f->count[i - 1];
	memset(f->count, 0, n * sizeof(*f->count));
	for (size_t j = 0; j < t->n; j++) {
		long i = f->order[j];

		if (f->up[i] >= 0)
			f->kids[f->first[f->up[i]] + f->count[f->up[i]]++] = i;
	}
	return 0;
}

static int cmp_member(const void *a, const void *b)
{
	pid_t x = ((const struct nst_member *)a)->pid, y = ((const struct nst_member *)b)->pid;

	return x < y ? -1 : x > y;
}

void nst_members_free(struct nst_member *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(m[i].cmd);
	free(m);
}

int nst_members(const char *proc, uint64_t ino, unsigned mask,
		struct nst_member **out, size_t *nout, int *kind)
{
	struct nst_member *m = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir(proc);

	*kind = -1;
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		struct pf_stat st;
		struct stat sb;
		struct pf_nslink link;
		pid_t pid;
		int dfd, k, hit = -1;

		if (pf_parse_pid(de->d_name, &pid) < 0 ||
		    (dfd = openat(dirfd(d), de->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		for (k = 0; k < PF_NSKINDS && hit < 0; k++)
			if ((mask & 1u << k) && pr_nslink(dfd, pf_nskinds[k].name, &link) == 0 &&
			    link.ino == ino)
				hit = k;
		if (hit >= 0 && fstat(dfd, &sb) == 0 && pr_stat(dfd, &st) == 0) {
			if (n == cap) {
				struct nst_member *g = xrealloc(m, cap = cap ? cap * 2 : 64, sizeof(*m));

				if (!g) {
					close(dfd);
					nst_members_free(m, n);
					closedir(d);
					errno = ENOMEM;
					return -1;
				}
				m = g;
			}
			m[n] = (struct nst_member){ st.pid, st.ppid, sb.st_uid, pr_command(dfd) };
			if (m[n].cmd)
				n++, *kind = hit;
		}
		close(dfd);
	}
	closedir(d);
	if (n)	/* qsort(NULL, 0, ...) is undefined (C11 7.22.5) */
		qsort(m, n, sizeof(*m), cmp_member);
	*out = m;
	*nout = n;
	return 0;
}
