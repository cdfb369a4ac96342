/* SPDX-License-Identifier: MIT */
/*
 * procfs: parsers for the /proc files nslab reads.  Every byte is checked
 * against an explicit length, never against a NUL the kernel does not
 * promise (cmdline holds NULs, a fuzzer's input holds anything).
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <string.h>

#include "procfs.h"

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
