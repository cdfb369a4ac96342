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

#include "lookup.h"
#include "subid.h"


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
		if (lookup_fields(line, f, 3) != 3 || idmap_parse_id(f[1], &r.start) < 0 ||
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

void subid_suggest(const struct subid_grant *g, const char *owner, char *buf,
		   size_t len)
{
	uint64_t start = g->end_max > 100000 ? g->end_max : 100000;

	snprintf(buf, len, "%s:%llu:65536", owner, (unsigned long long)start);
}

void subid_owner(struct subid_owner *o)
{
	char key[16];

	snprintf(key, sizeof(key), "%u", (unsigned)getuid());
	if (lookup_account(LOOKUP_PASSWD, key, o->name, sizeof(o->name), &o->uid) < 0) {
		o->name[0] = '\0';
		o->uid = getuid();
	}
}

enum subid_auto subid_auto(const char *file, const struct subid_owner *o, uint32_t own,
			   struct idmap *m, struct subid_grant *g)
{
	uint32_t count;

	if (subid_read(file, o->name, o->uid, g) < 0 && errno != ENOENT)
		return SUBID_AUTO_READ;
	if (subid_map(g, own, m) == 0)
		return SUBID_AUTO_OK;
	if (g->n == 0)
		return SUBID_AUTO_NONE;
	count = g->r[0].count < SUBID_COUNT ? g->r[0].count : SUBID_COUNT;
	/* The kernel maps no range whose end wraps 32 bits (map_write). */
	return (uint64_t)g->r[0].start + count > UINT32_MAX ? SUBID_AUTO_WRAPS : SUBID_AUTO_OWN;
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

void subid_granted(const char *db, uint32_t owner, const struct idmap *map,
		   unsigned char granted[IDMAP_MAX_LINES])
{
	struct subid_grant g;
	char key[16], name[LOOKUP_NAME_LEN];
	uint32_t id;

	memset(granted, 0, IDMAP_MAX_LINES);
	snprintf(key, sizeof(key), "%u", (unsigned)owner);
	if (lookup_account(LOOKUP_PASSWD, key, name, sizeof(name), &id) < 0)
		name[0] = '\0';
	if (subid_read(db, name, owner, &g) < 0)
		return;
	for (int j = 0; j < map->n; j++)
		if (map->e[j].outside != UINT32_MAX &&
		    subid_covers(&g, map->e[j].outside, map->e[j].count))
			granted[j] = 1;
}
