/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/subid on files of our own: names and ids of a passwd
 * and a group file, /etc/subuid's ranges by name and by uid, the --subids
 * map, the line suggested to an administrator, and the hints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "subid.h"
#include "unit.h"

static char dir[] = "/tmp/nslab-unit-subid.XXXXXX";

static const char *put(const char *name, const char *text)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];
	FILE *f;

	snprintf(p, 256, "%s/%s", dir, name);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return p;
}

static int says(const struct diag_hints *h, const char *text)
{
	for (int i = 0; i < h->n; i++)
		if (strstr(h->line[i], text))
			return 1;
	return 0;
}

int main(void)
{
	static struct subid_grant g;
	static struct idmap m;
	struct diag_hints h;
	char name[LOOKUP_NAME_LEN], line[128], path[256];
	const char *pw, *sub;
	uint32_t id;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	pw = put("passwd", "root:x:0:0:root:/root:/bin/sh\n"
		 "# a comment\n"
		 "broken line\n"
		 "alice:x:1000:100::/home/alice:/bin/sh\n"
		 ":x:4343:4343:an empty name:/:/bin/sh\n"
		 "1abc:x:2001:2001:a name that begins with a digit:/:/bin/sh\n"
		 "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin");
	CHECK("name to id", lookup_account(pw, "alice", name, sizeof(name), &id) == 0 &&
	      id == 1000 && strcmp(name, "alice") == 0);
	CHECK("id to name", lookup_account(pw, "65534", name, sizeof(name), &id) == 0 &&
	      id == 65534 && strcmp(name, "nobody") == 0);
	CHECK("last line without newline", lookup_account(pw, "nobody", name, sizeof(name), &id) == 0);
	CHECK("an id without an entry is still an id", lookup_account(pw, "4242", name, sizeof(name), &id) == 0 &&
	      id == 4242 && name[0] == '\0');
	CHECK("unknown name", lookup_account(pw, "bob", name, sizeof(name), &id) == -1 && errno == ENOENT);
	CHECK("a prefix is not a name", lookup_account(pw, "alic", name, sizeof(name), &id) == -1);
	/* All digits is a number; anything else is a name, whatever it begins with. */
	CHECK("a name that begins with a digit", lookup_account(pw, "1abc", name, sizeof(name), &id) == 0 &&
	      id == 2001 && strcmp(name, "1abc") == 0);
	CHECK("digits and letters, no such name", lookup_account(pw, "12abc", name, sizeof(name), &id) == -1 &&
	      errno == ENOENT);
	CHECK("an empty key is neither", lookup_account(pw, "", name, sizeof(name), &id) == -1 && errno == EINVAL);
	CHECK("number beyond 32 bits", lookup_account(pw, "4294967296", name, sizeof(name), &id) == -1 &&
	      errno == EINVAL);
	/* lookup_uid_name reads the real /etc/passwd: a uid no entry there has reads as its number. */
	{
		uint32_t u = 4000000000u;
		char key[16];

		snprintf(key, sizeof(key), "%u", (unsigned)u);
		while (lookup_account(LOOKUP_PASSWD, key, name, sizeof(name), &id) == 0 && name[0])
			snprintf(key, sizeof(key), "%u", (unsigned)--u);
		CHECK("uid name: a uid without an entry is its number", strcmp(lookup_uid_name(u), key) == 0);
		CHECK("uid name: kept", lookup_uid_name(u) == lookup_uid_name(u));
	}
	CHECK("no file, a name", lookup_account("/nonexistent/passwd", "alice", name, sizeof(name), &id) == -1);
	CHECK("no file, a number", lookup_account("/nonexistent/passwd", "7", name, sizeof(name), &id) == 0 && id == 7);

	sub = put("subuid", "bob:100000:65536\n"
		  "alice:165536:1000\n"
		  "1000:300000:10\n"
		  "alice:x:10\n"
		  "alice:400000:0\n"
		  "alice:166536:64536\n");
	CHECK("read by name and uid", subid_read(sub, "alice", 1000, &g) == 0 && g.n == 3 &&
	      g.r[0].start == 165536 && g.r[0].count == 1000 && g.r[1].start == 300000);
	CHECK("highest end over every owner", g.end_max == 300010);
	CHECK("covers across adjoining ranges", subid_covers(&g, 165536, 65536));
	CHECK("does not cover beyond", !subid_covers(&g, 165536, 65537));
	CHECK("does not cover another's", !subid_covers(&g, 100000, 1));
	CHECK("map: first range, self first", subid_map(&g, 1000, &m) == 0 && m.n == 2 &&
	      m.e[0].inside == 0 && m.e[0].outside == 1000 && m.e[0].count == 1 &&
	      m.e[1].inside == 1 && m.e[1].outside == 165536 && m.e[1].count == 1000);
	{
		/* "1000:300000:10" grants uid 1000 whatever /etc/passwd names it. */
		struct idmap map = { 3, { { 0, 300000, 5 }, { 5, 299999, 2 }, { 7, UINT32_MAX, 1 } } };
		unsigned char granted[IDMAP_MAX_LINES];

		subid_granted(sub, 1000, &map, granted);
		CHECK("granted: inside the range, not across its start, not unmapped here",
		      granted[0] == 1 && granted[1] == 0 && granted[2] == 0);
		subid_granted("/nonexistent/subuid", 1000, &map, granted);
		CHECK("granted: no file grants nothing", granted[0] == 0);
	}
	CHECK("read, nobody's", subid_read(sub, "carol", 1001, &g) == 0 && g.n == 0);
	CHECK("map of nothing", subid_map(&g, 1001, &m) == -1 && errno == ENOENT);
	subid_suggest(&g, "carol", line, sizeof(line));
	CHECK("suggest above every range", strcmp(line, "carol:300010:65536") == 0);
	CHECK("no file", subid_read("/nonexistent/subuid", "alice", 1000, &g) == -1 && errno == ENOENT);
	g.n = 0;
	g.end_max = 0;
	subid_suggest(&g, "carol", line, sizeof(line));
	CHECK("suggest at least 100000", strcmp(line, "carol:100000:65536") == 0);
	put("big", "alice:100000:200000\n");
	snprintf(path, sizeof(path), "%s/big", dir);
	CHECK("map at most 65535", subid_read(path, "alice", 1000, &g) == 0 &&
	      subid_map(&g, 1000, &m) == 0 && m.e[1].count == SUBID_COUNT);
	put("mine", "alice:1000:65536\n");
	snprintf(path, sizeof(path), "%s/mine", dir);
	CHECK("a range holding our own id", subid_read(path, "alice", 1000, &g) == 0 &&
	      subid_map(&g, 1000, &m) == -1 && errno == EINVAL);
	{
		struct subid_owner o = { "alice", 1000 };

		CHECK("auto: a range holding our own id", subid_auto(path, &o, 1000, &m, &g) == SUBID_AUTO_OWN);
		CHECK("auto: the first range", subid_auto(sub, &o, 1000, &m, &g) == SUBID_AUTO_OK && m.n == 2 &&
		      m.e[1].outside == 165536);
		put("wraps", "alice:4294967000:65536\n");
		snprintf(path, sizeof(path), "%s/wraps", dir);
		CHECK("auto: a range past 4294967294", subid_auto(path, &o, 1000, &m, &g) == SUBID_AUTO_WRAPS);
		o = (struct subid_owner){ "carol", 1001 };
		CHECK("auto: no range", subid_auto(sub, &o, 1001, &m, &g) == SUBID_AUTO_NONE && g.n == 0);
		CHECK("auto: no file grants nothing", subid_auto("/nonexistent/subuid", &o, 1001, &m, &g) ==
		      SUBID_AUTO_NONE);
	}

	/* Hints: what is granted, or what to add. */
	idmap_self_map(&m, 0, 1000);
	m.e[1] = (struct idmap_entry){ 1, 500000, 10 };
	m.n = 2;
	h.n = 0;
	subid_explain("/usr/bin/newuidmap", 1, sub, "alice", 1000, 1000, &m, &h);
	CHECK("hint: what is granted", says(&h, "outside ids 500000-500009 are not all granted") &&
	      says(&h, "grants alice 165536-166535 (165536:1000) and more"));
	CHECK("hint: no privilege word when privileged", !says(&h, "neither setuid"));
	h.n = 0;
	subid_explain("/x/newuidmap", 0, sub, "carol", 1001, 1001, &m, &h);
	CHECK("hint: the line to add", says(&h, "has no range for carol") && says(&h, "carol:300010:65536"));
	CHECK("hint: where nslab looked", says(&h, "nslab looked only in"));
	CHECK("hint: helper without privilege", says(&h, "/x/newuidmap is neither setuid root"));
	h.n = 0;
	m.n = 1;
	subid_explain("/usr/bin/newuidmap", 1, sub, "carol", 1001, 1000, &m, &h);
	CHECK("own id needs no grant", h.n == 0);

	/* PATH search. */
	put("newuidmap", "#!/bin/sh\n");
	snprintf(path, sizeof(path), "%s/newuidmap", dir);
	CHECK("chmod", chmod(path, 0755) == 0);
	{
		char env[512], found[512];

		snprintf(env, sizeof(env), "/nonexistent:%s", dir);
		setenv("PATH", env, 1);
		CHECK("found in PATH", lookup_command("newuidmap", found, sizeof(found)) == found &&
		      strcmp(found, path) == 0);
		CHECK("not found", lookup_command("newgidmap", found, sizeof(found)) == NULL && errno == ENOENT);
		snprintf(env, sizeof(env), "%s:%s", "/", dir);
		setenv("PATH", env, 1);
		CHECK("a directory of that name is no command", mkdir("/tmp", 0755) < 0 &&
		      lookup_command("tmp", found, sizeof(found)) == NULL);
		CHECK("helper without setuid", subid_tool_privileged(path) == 0);
	}

	for (const char *f = "passwd subuid big mine newuidmap"; *f; ) {
		int n = (int)strcspn(f, " ");

		snprintf(path, sizeof(path), "%s/%.*s", dir, n, f);
		unlink(path);
		f += n + (f[n] == ' ');
	}
	rmdir(dir);
	return unit_done();
}
