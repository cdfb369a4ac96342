/* SPDX-License-Identifier: MIT */
/*
 * lookup: names looked up where a static program finds them: accounts in
 * /etc/passwd and /etc/group, commands along $PATH.  lookup.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idmap.h"
#include "lookup.h"

int lookup_fields(char *line, char **f, int max)
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

int lookup_account(const char *db, const char *key, char *name, size_t len,
		  uint32_t *id)
{
	/* All digits is an id; "1abc" is a name (useradd allows it). */
	int numeric = key[0] && strspn(key, "0123456789") == strlen(key);
	uint32_t want = 0, v;
	char *line = NULL, *f[4];
	size_t cap = 0;
	int found = 0;
	FILE *fp;

	/* An empty key would match a line with an empty name. */
	if (!key[0]) {
		errno = EINVAL;
		return -1;
	}
	if (numeric && idmap_parse_id(key, &want) < 0)
		return -1;	/* EINVAL: beyond 4294967295 */
	fp = fopen(db, "re");
	if (!fp && !numeric)
		return -1;
	while (fp && !found && getline(&line, &cap, fp) > 0) {
		if (lookup_fields(line, f, 4) < 3 || idmap_parse_id(f[2], &v) < 0)
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

const char *lookup_uid_name(uint32_t uid)
{
	static struct { uint32_t uid; char name[LOOKUP_NAME_LEN]; } cache[64];
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
	if (lookup_account(LOOKUP_PASSWD, key, cache[i].name, sizeof(cache[i].name), &id) < 0 ||
	    cache[i].name[0] == '\0')
		snprintf(cache[i].name, sizeof(cache[i].name), "%u", (unsigned)uid);
	return cache[i].name;
}

const char *lookup_command(const char *cmd, char *buf, size_t size)
{
	const char *path = getenv("PATH");
	struct stat st;

	if (strchr(cmd, '/'))
		return cmd;
	if (!path)
		path = "/usr/local/bin:/bin:/usr/bin";
	for (const char *p = path, *end;; p = end + 1) {
		size_t n;
		int len;

		end = strchr(p, ':');
		n = end ? (size_t)(end - p) : strlen(p);
		/* An empty entry is the current directory, as execvp reads it. */
		len = snprintf(buf, size, "%.*s%s%s", (int)n, p, n ? "/" : "", cmd);
		if (len > 0 && (size_t)len < size && stat(buf, &st) == 0 &&
		    S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return buf;
		if (!end) {
			errno = ENOENT;
			return NULL;
		}
	}
}
