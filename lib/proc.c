/* SPDX-License-Identifier: MIT */
/*
 * proc: parsers for the /proc files nslab reads, and the reads (proc.h).
 * Every byte is checked against an explicit length, never against a NUL
 * the kernel does not promise (cmdline holds NULs, a fuzzer's input holds
 * anything).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/nsfs.h>

#include "proc.h"

/* ---- pf_: parse ---- */


/*
 * init_ino is the inode the kernel gives the initial namespace of the kind
 * (enum init_ns_ino in linux/nsfs.h): fixed for ipc, uts, user, pid, cgroup
 * and time since they exist, for net and mnt only in recent kernels.  Older
 * kernels give those two an inode from the dynamic range, which starts at
 * 0xF0000000, so matching the fixed value is never a false "initial".
 */
const struct pf_nskind pf_nskinds[PF_NSKINDS] = {
	{ "user",   CLONE_NEWUSER,   "CLONE_NEWUSER",   0xEFFFFFFDu },
	{ "net",    CLONE_NEWNET,    "CLONE_NEWNET",    0xEFFFFFF9u },
	{ "mnt",    CLONE_NEWNS,     "CLONE_NEWNS",     0xEFFFFFF8u },
	{ "uts",    CLONE_NEWUTS,    "CLONE_NEWUTS",    0xEFFFFFFEu },
	{ "ipc",    CLONE_NEWIPC,    "CLONE_NEWIPC",    0xEFFFFFFFu },
	{ "pid",    CLONE_NEWPID,    "CLONE_NEWPID",    0xEFFFFFFCu },
	{ "cgroup", CLONE_NEWCGROUP, "CLONE_NEWCGROUP", 0xEFFFFFFBu },
	{ "time",   CLONE_NEWTIME,   "CLONE_NEWTIME",   0xEFFFFFFAu },
};

int pf_nskind_index(const char *name)
{
	for (int k = 0; k < PF_NSKINDS; k++)
		if (strcmp(pf_nskinds[k].name, name) == 0)
			return k;
	return -1;
}

static int fail(int err)
{
	errno = err;
	return -1;
}

int pf_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return fail(EINVAL);
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return fail(EINVAL);
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return fail(ERANGE);
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int pf_parse_pid(const char *s, pid_t *out)
{
	uint64_t v;

	if (pf_parse_u64(s, strlen(s), &v) < 0)
		return -1;
	/* pid_t is int on Linux; the kernel's PID_MAX_LIMIT is far below. */
	if (v == 0 || v > INT_MAX)
		return fail(ERANGE);
	*out = (pid_t)v;
	return 0;
}

int pf_parse_nslink(const char *s, size_t len, struct pf_nslink *out)
{
	const char *colon = memchr(s, ':', len);
	size_t tlen;

	if (!colon)
		return fail(EINVAL);
	tlen = (size_t)(colon - s);
	if (tlen == 0 || tlen >= sizeof(out->type))
		return fail(EINVAL);
	for (size_t i = 0; i < tlen; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return fail(EINVAL);
	/* After the colon: "[" digits "]" and nothing more. */
	len -= tlen + 1;
	s = colon + 1;
	if (len < 3 || s[0] != '[' || s[len - 1] != ']')
		return fail(EINVAL);
	if (pf_parse_u64(s + 1, len - 2, &out->ino) < 0)
		return -1;
	memcpy(out->type, colon - tlen, tlen);
	out->type[tlen] = '\0';
	return 0;
}

/* A signed decimal pid field ("-1" is not a pid; 0 is, for a kernel thread's parent). */
static int parse_pid_field(const char *s, size_t len, pid_t *out)
{
	uint64_t v;

	if (pf_parse_u64(s, len, &v) < 0)
		return -1;
	if (v > INT_MAX)
		return fail(ERANGE);
	*out = (pid_t)v;
	return 0;
}

int pf_parse_stat(const char *buf, size_t len, struct pf_stat *st)
{
	const char *open = memchr(buf, '(', len), *close = NULL, *p, *end;
	size_t clen;
	int field;

	if (!open || open == buf || open[-1] != ' ')
		return fail(EINVAL);
	if (parse_pid_field(buf, (size_t)(open - 1 - buf), &st->pid) < 0)
		return -1;
	/* The last ')' ends comm: the name itself may hold ')'. */
	for (p = buf + len; p > open; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (!close)
		return fail(EINVAL);
	clen = (size_t)(close - open - 1);
	if (clen >= sizeof(st->comm))
		clen = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, clen);
	st->comm[clen] = '\0';

	/* ") S PPID ...": field 3 is the state, 4 the parent, 22 the start time. */
	end = buf + len;
	p = close + 1;
	for (field = 3; field <= 22; field++) {
		const char *f;
		size_t flen;

		if (p >= end || *p != ' ')
			return fail(EINVAL);
		f = ++p;
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		flen = (size_t)(p - f);
		if (flen == 0)
			return fail(EINVAL);
		if (field == 3) {
			if (flen != 1)
				return fail(EINVAL);
			st->state = *f;
		} else if (field == 4) {
			if (parse_pid_field(f, flen, &st->ppid) < 0)
				return -1;
		} else if (field == 22) {
			if (pf_parse_u64(f, flen, &st->starttime) < 0)
				return -1;
		}
	}
	return 0;
}

int pf_status_field(const char *buf, size_t len, const char *name,
		    const char **val, size_t *vlen)
{
	size_t nlen = strlen(name), off = 0;

	while (off < len) {
		const char *line = buf + off, *nl = memchr(line, '\n', len - off);
		size_t llen = nl ? (size_t)(nl - line) : len - off;

		if (llen > nlen && memcmp(line, name, nlen) == 0 && line[nlen] == ':') {
			size_t i = nlen + 1;

			while (i < llen && (line[i] == ' ' || line[i] == '\t'))
				i++;
			*val = line + i;
			*vlen = llen - i;
			return 0;
		}
		off += llen + 1;
	}
	return fail(ENOENT);
}

int pf_status_caps(const char *buf, size_t len, const char *name, uint64_t *caps)
{
	const char *v;
	size_t vlen;
	uint64_t c = 0;

	if (pf_status_field(buf, len, name, &v, &vlen) < 0)
		return -1;
	/* The kernel prints exactly 16 hex digits (fs/proc/array.c). */
	if (vlen == 0 || vlen > 16)
		return fail(vlen ? ERANGE : EINVAL);
	for (size_t i = 0; i < vlen; i++) {
		char ch = v[i];
		unsigned d;

		if (ch >= '0' && ch <= '9')
			d = (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else
			return fail(EINVAL);
		c = c << 4 | d;
	}
	*caps = c;
	return 0;
}

size_t pf_cmdline(const char *buf, size_t len, char *out, size_t outlen)
{
	size_t n = 0;

	if (outlen == 0)
		return 0;
	/* Each argument ends in a NUL; a process that rewrote its title may pad with more. */
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len && n + 1 < outlen; i++)
		out[n++] = buf[i] == '\0' ? ' ' : buf[i];
	out[n] = '\0';
	return n;
}

int pf_status_has_cap(const char *buf, size_t len, int cap)
{
	uint64_t eff;

	if (cap < 0 || cap > 63 || pf_status_caps(buf, len, "CapEff", &eff) < 0)
		return -1;
	return (int)(eff >> cap & 1);
}

/* ---- pr_: read below a /proc/PID directory fd ---- */


/* The same number on every architecture but alpha since Linux 5.1. */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* The most pr_command keeps, as lsns(8) and ps(1) cut long command lines too. */
#define CMD_MAX 8192

int pr_gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

int pr_open(pid_t pid)
{
	char path[32];

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self");
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int pr_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int pr_pidfd_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/*
 * The one /proc read loop: read(2) into buf until `want` bytes or the end
 * of the file (a seq file gives a page per call).  The count, or -1.
 */
static ssize_t read_to(int fd, char *buf, size_t want)
{
	size_t total = 0;

	while (total < want) {
		ssize_t n = read(fd, buf + total, want - total);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		total += (size_t)n;
	}
	return (ssize_t)total;
}

ssize_t pr_read(int dirfd, const char *name, char *buf, size_t len)
{
	ssize_t n;
	int fd, saved;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read_to(fd, buf, len - 1);
	saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	buf[n] = '\0';
	return n;
}

char *pr_read_all(int dirfd, const char *name, size_t *len)
{
	size_t cap = 16384;
	char *buf = malloc(cap), *more;
	ssize_t n;
	int fd, saved;

	*len = 0;
	if (!buf)
		return NULL;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	/* A buffer filled may not be the end: grow it and read on. */
	while ((n = read_to(fd, buf + *len, cap - *len - 1)) == (ssize_t)(cap - *len - 1)) {
		*len += (size_t)n;
		if (!(more = realloc(buf, cap * 2)))
			goto fail;
		buf = more;
		cap *= 2;
	}
	if (n < 0)
		goto fail;
	*len += (size_t)n;
	close(fd);
	buf[*len] = '\0';
	return buf;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	free(buf);
	errno = saved;
	return NULL;
}

int pr_stat(int dirfd, struct pf_stat *st)
{
	char buf[1024];
	ssize_t n = pr_read(dirfd, "stat", buf, sizeof(buf));

	return n < 0 ? -1 : pf_parse_stat(buf, (size_t)n, st);
}

char *pr_command(int dirfd)
{
	/*
	 * Static, not on the heap: a scan reads thousands of command lines,
	 * and 16 KiB taken and given back each time, between the small copies
	 * kept, let the heap grow with every one (nsinfo -a's peak RSS grew by half at
	 * 8,000 processes).  Not reentrant, like the rest of a one-thread tool.
	 */
	static char buf[CMD_MAX], line[CMD_MAX];
	ssize_t n;

	if ((n = pr_read(dirfd, "cmdline", buf, CMD_MAX)) < 0)
		return NULL;
	if (pf_cmdline(buf, (size_t)n, line, CMD_MAX) == 0) {
		if (pr_read(dirfd, "comm", line, CMD_MAX) < 0)
			return NULL;
		line[strcspn(line, "\n")] = '\0';
	}
	return strdup(line);
}

int pr_nslink(int dirfd, const char *type, struct pf_nslink *out)
{
	char path[PF_NSTYPE_LEN + 4], buf[PF_NSTYPE_LEN + 32];
	ssize_t n;

	if (snprintf(path, sizeof(path), "ns/%s", type) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((n = readlinkat(dirfd, path, buf, sizeof(buf))) < 0)
		return -1;
	/* A link that filled the buffer may have been cut: never guess. */
	if ((size_t)n == sizeof(buf) || pf_parse_nslink(buf, (size_t)n, out) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int pr_ns_owner(int dirfd, const struct pf_nslink *ns, uid_t *owner)
{
	int fd = openat(dirfd, "ns/user", O_RDONLY | O_CLOEXEC), rc = -1;
	struct stat sb;

	*owner = 0;	/* valgrind does not know this ioctl writes it */
	if (fd < 0)
		return -1;
	/* Only if it is still the namespace the link was read of. */
	if (fstat(fd, &sb) == 0 && sb.st_ino == ns->ino) {
		if (ioctl(fd, NS_GET_OWNER_UID, owner) == 0)
			rc = 0;
	} else {
		errno = ESRCH;
	}
	close(fd);
	return rc;
}

/* An entry is wanted when its kind is: pid_for_children is a pid one. */
static int wanted(const char *entry, unsigned mask)
{
	size_t len = strcspn(entry, "_");

	for (int k = 0; k < PF_NSKINDS; k++)
		if (strlen(pf_nskinds[k].name) == len && strncmp(pf_nskinds[k].name, entry, len) == 0)
			return (mask >> k) & 1;
	return mask == ~0u;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(((const struct pr_nsent *)a)->name, ((const struct pr_nsent *)b)->name);
}

int pr_nsentries(int dirfd, unsigned mask, struct pr_nsent *e)
{
	DIR *d = opendir("/proc/self/ns");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL && n < PR_MAXNS) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= PF_NSTYPE_LEN ||
		    !wanted(de->d_name, mask))
			continue;
		memset(&e[n], 0, sizeof(e[n]));
		snprintf(e[n++].name, PF_NSTYPE_LEN, "%s", de->d_name);
	}
	closedir(d);
	qsort(e, (size_t)n, sizeof(e[0]), cmp_names);
	for (int i = 0; i < n; i++) {
		e[i].kind = -1;
		if (pr_nslink(dirfd, e[i].name, &e[i].link) < 0) {
			if (pr_gone(errno))
				return -1;
			e[i].err = errno;
			continue;
		}
		e[i].kind = pf_nskind_index(e[i].link.type);
		if (e[i].kind == pf_nskind_index("user"))
			e[i].owner_known = pr_ns_owner(dirfd, &e[i].link, &e[i].owner) == 0;
	}
	return n;
}

int pr_has_cap(int cap)
{
	static char buf[8192];
	ssize_t n = pr_read(AT_FDCWD, "/proc/self/status", buf, sizeof(buf));

	return n < 0 ? -1 : pf_status_has_cap(buf, (size_t)n, cap);
}
