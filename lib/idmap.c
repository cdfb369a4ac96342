/* SPDX-License-Identifier: MIT */
/*
 * idmap: the uid_map / setgroups / gid_map rules of user_namespaces(7),
 * checked here so that a bad map is named as the user's mistake instead of
 * surfacing as a bare EINVAL from the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idmap.h"
#include "proc.h"

const char *idmap_strerror(enum idmap_why why)
{
	switch (why) {
	case IDMAP_OK:          return "no error";
	case IDMAP_SYNTAX:      return "expected INSIDE:OUTSIDE:COUNT";
	case IDMAP_NUMBER:      return "not a plain decimal number";
	case IDMAP_RANGE:       return "number out of range (0 to 4294967295)";
	case IDMAP_COUNT_ZERO:  return "COUNT must be at least 1";
	case IDMAP_OVERFLOW:    return "range runs past 4294967294";
	case IDMAP_OVERLAP_IN:  return "inside range overlaps an earlier entry";
	case IDMAP_OVERLAP_OUT: return "outside range overlaps an earlier entry";
	case IDMAP_TOO_MANY:    return "more than 340 lines";
	case IDMAP_TOO_LONG:    return "map is longer than the kernel takes in one write";
	case IDMAP_EMPTY:       return "map is empty";
	}
	return "unknown error";
}

static int refuse(enum idmap_why *why, enum idmap_why w)
{
	if (why)
		*why = w;
	errno = EINVAL;
	return -1;
}

/* Decimal digits in [s, end), by lib/proc's one parser (no sign, no space). */
static int parse_u32(const char *s, const char *end, uint32_t *out,
		     enum idmap_why *why)
{
	uint64_t v;

	if (pf_parse_u64(s, (size_t)(end - s), &v) < 0)
		return refuse(why, errno == ERANGE ? IDMAP_RANGE : IDMAP_NUMBER);
	if (v > UINT32_MAX)
		return refuse(why, IDMAP_RANGE);
	*out = (uint32_t)v;
	return 0;
}

int idmap_parse_id(const char *s, uint32_t *out)
{
	return parse_u32(s, s + strlen(s), out, NULL);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int idmap_parse_entry(const char *s, struct idmap_entry *e, enum idmap_why *why)
{
	uint32_t v[3];
	const char *p = s, *end = s + strlen(s);
	int colon = strchr(s, ':') != NULL;

	/* The kernel's own form is padded ("%10u %10u %10u"); ours is not. */
	if (!colon) {
		while (p < end && is_blank(*p))
			p++;
		while (end > p && (is_blank(end[-1]) || end[-1] == '\n'))
			end--;
	}
	for (int i = 0; i < 3; i++) {
		const char *q = p;

		while (q < end && (colon ? *q != ':' : !is_blank(*q)))
			q++;
		if ((i < 2) != (q < end))
			return refuse(why, IDMAP_SYNTAX);
		if (parse_u32(p, q, &v[i], why) < 0)
			return -1;
		p = q;
		if (i < 2) {
			p++;
			while (!colon && p < end && is_blank(*p))
				p++;
		}
	}
	if (v[2] == 0)
		return refuse(why, IDMAP_COUNT_ZERO);
	/* The kernel refuses first+count that wraps u32 (map_write), so
	 * 4294967295 itself, the invalid id, can never be mapped. */
	if ((uint64_t)v[0] + v[2] > UINT32_MAX || (uint64_t)v[1] + v[2] > UINT32_MAX)
		return refuse(why, IDMAP_OVERFLOW);
	e->inside = v[0];
	e->outside = v[1];
	e->count = v[2];
	return 0;
}

static int ranges_overlap(uint32_t a, uint32_t na, uint32_t b, uint32_t nb)
{
	return (uint64_t)a < (uint64_t)b + nb && (uint64_t)b < (uint64_t)a + na;
}

int idmap_add(struct idmap *m, const struct idmap_entry *e, enum idmap_why *why)
{
	if (e->count == 0)
		return refuse(why, IDMAP_COUNT_ZERO);
	if ((uint64_t)e->inside + e->count > UINT32_MAX ||
	    (uint64_t)e->outside + e->count > UINT32_MAX)
		return refuse(why, IDMAP_OVERFLOW);
	if (m->n >= IDMAP_MAX_LINES)
		return refuse(why, IDMAP_TOO_MANY);
	for (int i = 0; i < m->n; i++) {
		const struct idmap_entry *o = &m->e[i];

		if (ranges_overlap(o->inside, o->count, e->inside, e->count))
			return refuse(why, IDMAP_OVERLAP_IN);
		if (ranges_overlap(o->outside, o->count, e->outside, e->count))
			return refuse(why, IDMAP_OVERLAP_OUT);
	}
	m->e[m->n++] = *e;
	return 0;
}

int idmap_parse_text(const char *text, struct idmap *m, enum idmap_why *why,
		     int *line)
{
	char buf[128];
	int ln = 0;

	m->n = 0;
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		struct idmap_entry e;
		size_t i;

		ln++;
		if (line)
			*line = ln;
		for (i = 0; i < len && is_blank(text[i]); i++)
			;
		if (i < len) {
			if (len >= sizeof(buf) || memchr(text, ':', len))
				return refuse(why, IDMAP_SYNTAX);
			memcpy(buf, text, len);
			buf[len] = '\0';
			if (idmap_parse_entry(buf, &e, why) < 0 ||
			    idmap_add(m, &e, why) < 0)
				return -1;
		}
		text += len + (nl != NULL);
	}
	return idmap_validate(m, why);
}

int idmap_validate(const struct idmap *m, enum idmap_why *why)
{
	char buf[8192];
	long page = sysconf(_SC_PAGESIZE);
	int len;

	if (m->n == 0)
		return refuse(why, IDMAP_EMPTY);
	/* map_write() takes the whole map in one write of less than a page. */
	len = idmap_format(m, buf, sizeof(buf));
	if (len < 0 || len >= (page > 0 ? page : 4096))
		return refuse(why, IDMAP_TOO_LONG);
	return 0;
}

int idmap_format(const struct idmap *m, char *buf, size_t len)
{
	size_t off = 0;

	if (len == 0) {
		errno = ENOSPC;
		return -1;
	}
	buf[0] = '\0';
	for (int i = 0; i < m->n; i++) {
		int r = snprintf(buf + off, len - off, "%u %u %u\n",
				 m->e[i].inside, m->e[i].outside, m->e[i].count);

		if (r < 0 || (size_t)r >= len - off) {
			errno = ENOSPC;
			return -1;
		}
		off += (size_t)r;
	}
	return (int)off;
}

int idmap_lookup(const struct idmap *m, uint32_t inside, uint32_t *outside)
{
	for (int i = 0; i < m->n; i++) {
		const struct idmap_entry *e = &m->e[i];

		if (inside >= e->inside && inside - e->inside < e->count) {
			if (outside)
				*outside = e->outside + (inside - e->inside);
			return 1;
		}
	}
	return 0;
}

/* Put `data` as a reader types it: echo for one line, printf for more. */
static void shell_write(char *sh, size_t len, const char *data, const char *path)
{
	size_t off = 0;
	int oneline = strchr(data, '\n') == strrchr(data, '\n');

	off += (size_t)snprintf(sh, len, oneline ? "echo '" : "printf '");
	for (const char *p = data; *p && off + 4 < len; p++) {
		if (*p == '\n' && oneline)
			continue;
		if (*p == '\n') {
			sh[off++] = '\\';
			sh[off++] = 'n';
		} else {
			sh[off++] = *p;
		}
	}
	snprintf(sh + off, len - off, "' > %s", path);
}

static int write_file(const char *path, const char *data)
{
	size_t len = strlen(data);
	ssize_t n;
	int fd, saved;

	/*
	 * openat, not open: musl's open(2) follows O_CLOEXEC with an
	 * fcntl(F_SETFD) for kernels older than 2.6.23, one system call per
	 * map file; its openat trusts the flag, as glibc's open does.
	 */
	fd = openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* One write: the kernel refuses a map given in pieces. */
	n = write(fd, data, len);
	saved = errno;
	close(fd);
	errno = saved;
	if (n >= 0 && (size_t)n != len) {
		errno = EIO;
		n = -1;
	}
	return n < 0 ? -1 : 0;
}

static void proc_path(char *buf, size_t len, pid_t pid, const char *file)
{
	if (pid)
		snprintf(buf, len, "/proc/%d/%s", (int)pid, file);
	else
		snprintf(buf, len, "/proc/self/%s", file);
}

static int write_map(pid_t pid, const char *file, const struct idmap *m)
{
	static char buf[8192];
	char path[64];

	proc_path(path, sizeof(path), pid, file);
	if (idmap_format(m, buf, sizeof(buf)) < 0)
		return -1;
	return write_file(path, buf);
}

int idmap_tool_argv(const char *tool, pid_t pid, const struct idmap *m,
		    char *buf, size_t len, char **argv)
{
	const char *base = strrchr(tool, '/') ? strrchr(tool, '/') + 1 : tool;
	size_t off = 0;
	int n = 0;

	for (int i = -2; i < 3 * m->n; i++) {
		const struct idmap_entry *e = i >= 0 ? &m->e[i / 3] : NULL;
		int r;

		if (i == -2)
			r = snprintf(buf + off, len - off, "%s", base);
		else if (i == -1)
			r = snprintf(buf + off, len - off, "%d", (int)pid);
		else
			r = snprintf(buf + off, len - off, "%u",
				     i % 3 == 0 ? e->inside : i % 3 == 1 ? e->outside : e->count);
		if (r < 0 || (size_t)r >= len - off) {
			errno = ENOSPC;
			return -1;
		}
		argv[n++] = buf + off;
		off += (size_t)r + 1;
	}
	argv[n] = NULL;
	return n;
}

/* A tool's argv as the shell line that runs it: its words joined by spaces. */
static void join(char *out, size_t len, char **argv)
{
	size_t off = 0;

	out[0] = '\0';
	for (int i = 0; argv[i] && off < len; i++) {
		int r = snprintf(out + off, len - off, "%s%s", i ? " " : "", argv[i]);

		if (r < 0)
			break;
		off += (size_t)r;
	}
}

static char tool_buf[IDMAP_SAID_LEN];
static char *tool_args[3 * IDMAP_MAX_LINES + 3];

int idmap_write_step(pid_t pid, enum idmap_step s, const struct idmap *m,
		     const char *setgroups)
{
	char path[64];

	if (s != IDMAP_STEP_SETGROUPS)
		return write_map(pid, idmap_step_file(s), m);
	proc_path(path, sizeof(path), pid, "setgroups");
	/* Before Linux 3.19 there is no setgroups file and nothing to deny. */
	return write_file(path, setgroups) < 0 && errno != ENOENT ? -1 : 0;
}

int idmap_write(pid_t pid, const struct idmap *uid, const char *setgroups,
		const struct idmap *gid, enum idmap_step *failed)
{
	*failed = IDMAP_STEP_UID;
	if (uid && idmap_write_step(pid, IDMAP_STEP_UID, uid, NULL) < 0)
		return -1;
	*failed = IDMAP_STEP_SETGROUPS;
	if (setgroups && idmap_write_step(pid, IDMAP_STEP_SETGROUPS, NULL, setgroups) < 0)
		return -1;
	*failed = IDMAP_STEP_GID;
	return gid ? idmap_write_step(pid, IDMAP_STEP_GID, gid, NULL) : 0;
}

int idmap_steps(const struct idmap_plan *p, pid_t pid, pid_t shown, int rc,
		enum idmap_step failed, int err, int status,
		struct idmap_said out[3])
{
	static const enum idmap_step order[3] = {
		IDMAP_STEP_UID, IDMAP_STEP_SETGROUPS, IDMAP_STEP_GID
	};
	char data[8192];
	char path[64], shpath[64];
	int n = 0;

	for (int i = 0; i < 3; i++) {
		enum idmap_step s = order[i];
		const struct idmap *m = s == IDMAP_STEP_UID ? p->uid :
					s == IDMAP_STEP_GID ? p->gid : NULL;
		const char *tool = s == IDMAP_STEP_UID ? p->uid_tool :
				   s == IDMAP_STEP_GID ? p->gid_tool : NULL;
		struct idmap_said *o = &out[n];
		int last = rc < 0 && s == failed;

		if (s == IDMAP_STEP_SETGROUPS ? !p->setgroups : !m)
			continue;
		o->step = s;
		o->result = last ? -1 : 0;
		o->err = last ? err : 0;
		proc_path(path, sizeof(path), pid, idmap_step_file(s));
		proc_path(shpath, sizeof(shpath), shown, idmap_step_file(s));
		if (tool) {
			if (idmap_tool_argv(tool, shown, m, tool_buf, sizeof(tool_buf), tool_args) < 0)
				return -1;
			join(o->shell, sizeof(o->shell), tool_args);
			snprintf(o->call, sizeof(o->call), "%s%s", tool,
				 strchr(o->shell, ' '));
			/* A tool that ran says its exit status, not an errno. */
			if (last && status >= 0)
				o->result = status;
		} else {
			if (m) {
				if (idmap_format(m, data, sizeof(data)) < 0)
					return -1;
			} else {
				snprintf(data, sizeof(data), "%s", p->setgroups);
			}
			shell_write(o->shell, sizeof(o->shell), data, shpath);
			snprintf(o->call, sizeof(o->call), "write %s \"%.*s\"", path,
				 (int)strcspn(data, "\n"), data);
		}
		n++;
		if (last)
			break;
	}
	return n;
}

/*
 * The kernel shows each line's first outside id as the reader's user
 * namespace sees it, and (uid_t)-1 where it has none there (from_kuid,
 * kernel/user_namespace.c): idmap_parse_entry rightly refuses that as a
 * map to write, but as a map read it is the kernel's word, kept as it is.
 */
static int unmapped_here(const char *line, struct idmap_entry *e)
{
	char copy[96], *save, *f[4];
	uint32_t v[3];
	int n = 0;

	if (strlen(line) >= sizeof(copy))
		return 0;
	strcpy(copy, line);
	for (char *t = strtok_r(copy, " \t", &save); t && n < 4; t = strtok_r(NULL, " \t", &save))
		f[n++] = t;
	if (n != 3)
		return 0;
	for (int i = 0; i < 3; i++)
		if (idmap_parse_id(f[i], &v[i]) < 0)
			return 0;
	if (v[1] != UINT32_MAX || v[2] == 0 || (uint64_t)v[0] + v[2] > UINT32_MAX)
		return 0;
	*e = (struct idmap_entry){ v[0], v[1], v[2] };
	return 1;
}

int idmap_read(int dirfd, const char *file, struct idmap *map,
	       enum idmap_why *why, int *line)
{
	/*
	 * 340 lines of three ten-digit numbers fit (IDMAP_MAX_LINES).  At
	 * file scope: musl serves a 16 KiB malloc with mmap(2) and munmap(2),
	 * four system calls for usernsselfmap's two read-backs.
	 */
	static char buf[16384];

	if (pr_read(dirfd, file, buf, sizeof(buf)) < 0)
		return -1;
	map->n = 0;
	*line = 0;
	for (char *p = buf, *nl; *p; p = nl ? nl + 1 : p + strlen(p)) {
		struct idmap_entry e;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		++*line;
		if (p[strspn(p, " \t")] == '\0')
			continue;
		if (unmapped_here(p, &e)) {
			if (map->n >= IDMAP_MAX_LINES) {
				*why = IDMAP_TOO_MANY;
				goto bad;
			}
			map->e[map->n++] = e;
			continue;
		}
		if (idmap_parse_entry(p, &e, why) < 0 || idmap_add(map, &e, why) < 0)
			goto bad;
	}
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

int idmap_outside_unmapped(const struct idmap *m, const char *current,
			   struct idmap_entry *bad)
{
	static struct idmap cur;
	enum idmap_why why;
	static char text[16384];

	if (pr_read(AT_FDCWD, current, text, sizeof(text)) < 0)
		return -1;
	if (idmap_parse_text(text, &cur, &why, NULL) < 0)
		return -1;
	for (int i = 0; i < m->n; i++) {
		/* Walk the entry's outside range through the current map's
		 * inside ranges, which need not be adjacent or in order. */
		uint64_t pos = m->e[i].outside, end = pos + m->e[i].count;

		while (pos < end) {
			int j;

			for (j = 0; j < cur.n; j++)
				if (pos >= cur.e[j].inside &&
				    pos < (uint64_t)cur.e[j].inside + cur.e[j].count)
					break;
			if (j == cur.n) {
				*bad = m->e[i];
				return 1;
			}
			pos = (uint64_t)cur.e[j].inside + cur.e[j].count;
		}
	}
	return 0;
}

void idmap_self_map(struct idmap *m, uint32_t inside, uint32_t own)
{
	m->n = 1;
	m->e[0] = (struct idmap_entry){ inside, own, 1 };
}

int idmap_is_self(const struct idmap *m, uint32_t own)
{
	return m->n == 1 && m->e[0].outside == own && m->e[0].count == 1;
}

int idmap_same(const struct idmap *a, const struct idmap *b)
{
	if (a->n != b->n)
		return 0;
	/* Entries of a valid map never overlap, so none can match twice. */
	for (int i = 0; i < a->n; i++) {
		int j;

		for (j = 0; j < b->n; j++)
			if (a->e[i].inside == b->e[j].inside &&
			    a->e[i].outside == b->e[j].outside &&
			    a->e[i].count == b->e[j].count)
				break;
		if (j == b->n)
			return 0;
	}
	return 1;
}

const char *idmap_step_file(enum idmap_step s)
{
	return s == IDMAP_STEP_UID ? "uid_map" :
	       s == IDMAP_STEP_GID ? "gid_map" : "setgroups";
}

int idmap_read_back(enum idmap_step s, const struct idmap *want, struct idmap *got)
{
	char path[32];
	enum idmap_why why;
	int line;

	snprintf(path, sizeof(path), "/proc/self/%s", idmap_step_file(s));
	if (idmap_read(AT_FDCWD, path, got, &why, &line) < 0)
		return -1;
	return idmap_same(want, got);
}

const char *idmap_one_line(const struct idmap *m, char *buf, size_t len)
{
	int n = m->n ? idmap_format(m, buf, len) : -1;

	if (n <= 0)
		return m->n ? "(too long to show)" : "nothing";
	buf[n - 1] = '\0';
	for (char *p = buf; (p = strchr(p, '\n')); )
		*p = ',';
	return buf;
}
