/* SPDX-License-Identifier: MIT */
/*
 * mountinfo: a strict parser of /proc/PID/mountinfo, so a tool can find
 * the mounts a recursive bind copied and check what the kernel did.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mountinfo.h"
#include "proc.h"

/*
 * The kernel's mangle(): "\ooo" for space, tab, newline and backslash.
 * "\000" is never written, and would cut the path short: refused.
 */
static int unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			if (!*w++)
				return -1;
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return 0;
}

/* Plain decimal digits up to `stop`, at most `max`: no sign, no blank. */
static int number(const char *s, char stop, const char **end,
		  unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > max)
			return -1;
	}
	if (p == s || *p != stop)
		return -1;
	*out = v;
	if (end)
		*end = p + 1;
	return 0;
}

/* Cut the next space-separated field off *s; NULL when there is none. */
static char *field(char **s)
{
	return *s ? strsep(s, " ") : NULL;
}

static int parse_line(char *line, struct mi_entry *e)
{
	unsigned long long id, parent, major, minor;
	const char *p;
	char *f, *dash;

	if (!(f = field(&line)) || number(f, '\0', NULL, 0x7fffffff, &id) < 0 ||
	    !(f = field(&line)) || number(f, '\0', NULL, 0x7fffffff, &parent) < 0 ||
	    !(f = field(&line)) || number(f, ':', &p, 0xffffffff, &major) < 0 ||
	    number(p, '\0', NULL, 0xffffffff, &minor) < 0)
		return -1;
	e->id = (int)id;
	e->parent = (int)parent;
	e->major = (unsigned)major;
	e->minor = (unsigned)minor;
	if (!(e->root = field(&line)) || !(e->target = field(&line)) ||
	    !(e->options = field(&line)) || !line)
		return -1;
	/* Zero or more optional fields, then a lone "-". */
	e->optional = line;
	if (strncmp(line, "- ", 2) == 0) {
		*line = '\0';
		line += 2;
	} else if ((dash = strstr(line, " - "))) {
		*dash = '\0';
		line = dash + 3;
	} else {
		return -1;
	}
	if (!(e->fstype = field(&line)) || !(e->source = field(&line)) ||
	    !(e->super = field(&line)) || line)
		return -1;
	if (!*e->root || !*e->target || !*e->options || !*e->fstype)
		return -1;
	return unescape(e->root) < 0 || unescape(e->target) < 0 ||
	       unescape(e->source) < 0 ? -1 : 0;
}

int mi_parse(const char *text, struct mi_table *t, int *line)
{
	size_t lines = 0, i = 0;
	const char *c;
	char *s, *l;
	int no = 0;

	t->n = 0;
	t->e = NULL;
	if (!(t->text = strdup(text)))
		return -1;
	for (c = text; *c; c++)
		lines += *c == '\n';
	if (!(t->e = calloc(lines + 1, sizeof(*t->e)))) {
		mi_free(t);
		return -1;
	}
	for (s = t->text; (l = strsep(&s, "\n"));) {
		no++;
		if (!*l && !s)
			break;	/* after the last newline */
		if (parse_line(l, &t->e[i]) < 0) {
			if (line)
				*line = no;
			mi_free(t);
			errno = EINVAL;
			return -1;
		}
		i++;
	}
	t->n = i;
	return 0;
}

int mi_read(const char *path, struct mi_table *t)
{
	size_t len;
	char *buf;
	int rc, saved;

	t->n = 0;
	t->e = NULL;
	t->text = NULL;
	if (!(buf = pr_read_all(AT_FDCWD, path ? path : "/proc/self/mountinfo", &len)))
		return -1;
	/* A NUL inside would hide the rest of the file from the parser. */
	if (strlen(buf) != len) {
		free(buf);
		errno = EINVAL;
		return -1;
	}
	rc = mi_parse(buf, t, NULL);
	saved = errno;
	free(buf);
	errno = saved;
	return rc;
}

void mi_free(struct mi_table *t)
{
	free(t->e);
	free(t->text);
	t->e = NULL;
	t->text = NULL;
	t->n = 0;
}

int mi_find(const struct mi_table *t, int id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].id == id)
			return (int)i;
	errno = ENOENT;
	return -1;
}

int mi_below(const struct mi_table *t, size_t i, int ancestor)
{
	int at;

	/* A chain longer than the table has a loop in it. */
	for (size_t steps = 0; steps < t->n && i < t->n; steps++) {
		if (t->e[i].parent == t->e[i].id)
			return 0;	/* the root of the tree is its own parent */
		if (t->e[i].parent == ancestor)
			return 1;
		if ((at = mi_find(t, t->e[i].parent)) < 0)
			return 0;
		i = (size_t)at;
	}
	return 0;
}

int mi_has_option(const char *list, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = list; p; p = strchr(p, ','), p = p ? p + 1 : NULL)
		if (strncmp(p, opt, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/*
 * By the system call: musl 1.2.3 has no statx() wrapper (glibc has had one
 * since 2.28), and <linux/stat.h> gives both libcs struct statx.
 */
int mi_mount_id(const char *path, int *id)
{
	struct statx stx;

	if (syscall(SYS_statx, AT_FDCWD, path, AT_NO_AUTOMOUNT, STATX_MNT_ID, &stx) < 0)
		return -1;
	*id = stx.stx_mask & STATX_MNT_ID ? (int)stx.stx_mnt_id : -1;
	return 0;
}

/*
 * musl's realpath(3) keeps two PATH_MAX buffers on the stack, and calls
 * getcwd with a third: 12 KiB, more than a tool kept small needs.  The kernel names what an O_PATH descriptor reaches, resolved as
 * realpath would; without /proc to ask, realpath(3) it is.
 */
char *mi_realpath(const char *path)
{
	static char buf[PATH_MAX];
	char link[32];
	ssize_t n;
	int fd = openat(AT_FDCWD, path, O_PATH | O_CLOEXEC);	/* no fcntl: idmap.c */

	if (fd < 0)
		return NULL;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf));
	close(fd);
	if (n < 0 || (size_t)n >= sizeof(buf) || buf[0] != '/')
		return realpath(path, NULL);
	buf[n] = '\0';
	return strdup(buf);
}

int mi_visible(const char *fstype)
{
	struct mi_table t;
	int found = 0;

	if (mi_read(NULL, &t) < 0)
		return errno == ENOENT ? 0 : -1;
	for (size_t i = 0; i < t.n && !found; i++)
		found = strcmp(t.e[i].fstype, fstype) == 0 && strcmp(t.e[i].root, "/") == 0;
	mi_free(&t);
	return found;
}

int mi_unbindable(const char *path, char **where)
{
	struct mi_table t;
	int i, id, r = 0;

	if (mi_mount_id(path, &id) < 0)
		return -1;
	if (id < 0 || mi_read(NULL, &t) < 0)
		return 0;
	i = mi_find(&t, id);
	if (i >= 0 && strstr(t.e[i].optional, "unbindable")) {
		*where = strdup(t.e[i].target);
		r = *where ? 1 : -1;
	}
	mi_free(&t);
	return r;
}
