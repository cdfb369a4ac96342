/* SPDX-License-Identifier: MIT */
/*
 * subid: /etc/subuid, /etc/subgid, and the names of /etc/passwd and
 * /etc/group, read the way shadow's newuidmap(1) reads them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "subid.h"

/*
 * Split a colon-separated line in place into at most `max` fields; the
 * newline goes.  Returns the number of fields.
 */
static int split(char *line, char **f, int max)
{
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	while (n < max) {
		f[n++] = line;
		line = strchr(line, ':');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

int subid_account(const char *db, const char *key, char *name, size_t len,
		  uint32_t *id)
{
	int numeric = key[0] >= '0' && key[0] <= '9';
	uint32_t want = 0, v;
	char *line = NULL, *f[4];
	size_t cap = 0;
	int found = 0;
	FILE *fp;

	if (numeric && idmap_parse_id(key, &want) < 0)
		return -1;	/* EINVAL: "12abc", or beyond 4294967295 */
	fp = fopen(db, "re");
	if (!fp && !numeric)
		return -1;
	while (fp && !found && getline(&line, &cap, fp) > 0) {
		if (split(line, f, 4) < 3 || idmap_parse_id(f[2], &v) < 0)
			continue;
		found = numeric ? v == want : strcmp(f[0], key) == 0;
		if (found) {
			snprintf(name, len, "%s", f[0]);
			*id = v;
		}
	}
	free(line);
	if (fp)
		fclose(fp);
	if (found)
		return 0;
	if (numeric) {
		/* An id needs no name: ids without an entry are ordinary. */
		snprintf(name, len, "%s", "");
		*id = want;
		return 0;
	}
	errno = ENOENT;
	return -1;
}

int subid_read(const char *file, const char *name, uint32_t id,
	       struct subid_grant *g)
{
	char *line = NULL, *f[3], idstr[16];
	struct subid_range r;
	size_t cap = 0;
	FILE *fp;

	g->n = 0;
	g->end_max = 0;
	fp = fopen(file, "re");
	if (!fp)
		return -1;
	snprintf(idstr, sizeof(idstr), "%u", id);
	while (getline(&line, &cap, fp) > 0) {
		if (split(line, f, 3) != 3 || idmap_parse_id(f[1], &r.start) < 0 ||
		    idmap_parse_id(f[2], &r.count) < 0 || r.count == 0)
			continue;
		if ((uint64_t)r.start + r.count > g->end_max)
			g->end_max = (uint64_t)r.start + r.count;
		/* shadow matches the owner by name, or by the uid as text. */
		if ((name[0] && strcmp(f[0], name) == 0) || strcmp(f[0], idstr) == 0)
			if (g->n < SUBID_MAX)
				g->r[g->n++] = r;
	}
	free(line);
	fclose(fp);
	return 0;
}

int subid_covers(const struct subid_grant *g, uint32_t start, uint32_t count)
{
	uint64_t pos = start, end = (uint64_t)start + count;

	/* Ranges may be listed in any order and adjoin: walk through them. */
	while (pos < end) {
		int i;

		for (i = 0; i < g->n; i++)
			if (pos >= g->r[i].start &&
			    pos < (uint64_t)g->r[i].start + g->r[i].count)
				break;
		if (i == g->n)
			return 0;
		pos = (uint64_t)g->r[i].start + g->r[i].count;
	}
	return 1;
}

int subid_map(const struct subid_grant *g, uint32_t own, struct idmap *m)
{
	struct idmap_entry e;
	enum idmap_why why;

	if (g->n == 0) {
		errno = ENOENT;
		return -1;
	}
	idmap_self_map(m, 0, own);
	e.inside = 1;
	e.outside = g->r[0].start;
	e.count = g->r[0].count < SUBID_COUNT ? g->r[0].count : SUBID_COUNT;
	/* EINVAL when the range holds our own id: the kernel refuses overlaps. */
	return idmap_add(m, &e, &why);
}

int subid_find_tool(const char *tool, char *path, size_t len)
{
	const char *p = getenv("PATH");

	if (!p)
		p = "/bin:/usr/bin";
	while (*p) {
		size_t n = strcspn(p, ":");
		int r;

		/* An empty PATH element is the current directory, as execvp says. */
		r = n ? snprintf(path, len, "%.*s/%s", (int)n, p, tool)
		      : snprintf(path, len, "%s", tool);
		if (r > 0 && (size_t)r < len && access(path, X_OK) == 0)
			return 0;
		p += n + (p[n] == ':');
	}
	errno = ENOENT;
	return -1;
}

void subid_suggest(const struct subid_grant *g, const char *owner, char *buf,
		   size_t len)
{
	uint64_t start = g->end_max > 100000 ? g->end_max : 100000;

	snprintf(buf, len, "%s:%llu:65536", owner, (unsigned long long)start);
}

int subid_tool_privileged(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	if ((st.st_mode & S_ISUID) && st.st_uid == 0)
		return 1;
	/* Fedora installs them with file capabilities instead of setuid. */
	return getxattr(path, "security.capability", NULL, 0) > 0;
}

int subid_explain(const char *tool_path, int privileged, const char *file,
		  const char *name, uint32_t id, uint32_t own,
		  const struct idmap *m, struct diag_hints *h)
{
	const char *tool = strrchr(tool_path, '/') ? strrchr(tool_path, '/') + 1 : tool_path;
	static struct subid_grant g;
	const char *owner = name[0] ? name : "";
	char line[128], ownerbuf[16];

	/* The kernel ignores the setuid bit and file capabilities under
	 * no_new_privs (prctl(2), PR_SET_NO_NEW_PRIVS). */
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		diag_add_hint(h, "NoNewPrivs is set on this process (see /proc/self/status): %s runs without its privilege; sandboxes and docker --security-opt no-new-privileges set it", tool);
	if (privileged == 0)
		diag_add_hint(h, "%s is neither setuid root nor has a file capability (security.capability): it writes maps with your privilege only (reinstall it: chown root %s; chmod u+s %s)",
			      tool_path, tool_path, tool_path);
	if (!owner[0]) {
		snprintf(ownerbuf, sizeof(ownerbuf), "%u", id);
		owner = ownerbuf;
	}
	if (subid_read(file, name, id, &g) < 0) {
		diag_add_hint(h, "%s cannot be read (%s): it grants nothing", file, strerror(errno));
		return h->n;
	}
	for (int i = 0; i < m->n; i++) {
		const struct idmap_entry *e = &m->e[i];

		/* newuidmap maps the caller's own id without a grant. */
		if ((e->count == 1 && e->outside == own) || subid_covers(&g, e->outside, e->count))
			continue;
		if (g.n == 0) {
			subid_suggest(&g, owner, line, sizeof(line));
			diag_add_hint(h, "%s has no range for %s (uid or gid %u); an administrator would add the line: %s",
				      file, owner, id, line);
			diag_add_hint(h, "nslab looked only in %s; shadow may also take ranges from NSS (a subid: line in /etc/nsswitch.conf)", file);
		} else {
			diag_add_hint(h, "outside ids %u-%u are not all granted: %s grants %s %u-%u (%u:%u)%s",
				      e->outside, e->outside + e->count - 1, file, owner,
				      g.r[0].start, g.r[0].start + g.r[0].count - 1,
				      g.r[0].start, g.r[0].count, g.n > 1 ? " and more" : "");
		}
		break;
	}
	return h->n;
}

const char *subid_uid_name(uint32_t uid)
{
	static struct { uint32_t uid; char name[SUBID_NAME_LEN]; } cache[64];
	static int n, next;
	char key[16];
	uint32_t id;
	int i;

	for (i = 0; i < n; i++)
		if (cache[i].uid == uid)
			return cache[i].name;
	i = n < 64 ? n++ : next++ % 64;
	cache[i].uid = uid;
	/*
	 * From /etc/passwd itself, not NSS: nsinfo is linked static like the
	 * other tools, which keeps it within 2 MiB of memory;
	 * an account only LDAP or sssd knows shows as its number.
	 */
	snprintf(key, sizeof(key), "%u", (unsigned)uid);
	if (subid_account(SUBID_PASSWD, key, cache[i].name, sizeof(cache[i].name), &id) < 0 ||
	    cache[i].name[0] == '\0')
		snprintf(cache[i].name, sizeof(cache[i].name), "%u", (unsigned)uid);
	return cache[i].name;
}

void subid_granted(const char *db, uint32_t owner, const struct idmap *map,
		   unsigned char granted[IDMAP_MAX_LINES])
{
	struct subid_grant g;
	char key[16], name[SUBID_NAME_LEN];
	uint32_t id;

	memset(granted, 0, IDMAP_MAX_LINES);
	snprintf(key, sizeof(key), "%u", (unsigned)owner);
	if (subid_account(SUBID_PASSWD, key, name, sizeof(name), &id) < 0)
		name[0] = '\0';
	if (subid_read(db, name, owner, &g) < 0)
		return;
	for (int j = 0; j < map->n; j++)
		if (map->e[j].outside != UINT32_MAX &&
		    subid_covers(&g, map->e[j].outside, map->e[j].count))
			granted[j] = 1;
}
