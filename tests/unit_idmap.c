/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/idmap's parser and validator: good and bad entries,
 * the 32-bit boundaries, overlaps, the 340-line and one-page limits; the
 * self map, and the steps -v tells with the commands a second shell types.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idmap.h"
#include "unit.h"

static int entry_ok(const char *s, uint32_t i, uint32_t o, uint32_t c)
{
	struct idmap_entry e;
	enum idmap_why why;

	return idmap_parse_entry(s, &e, &why) == 0 && e.inside == i &&
	       e.outside == o && e.count == c;
}

static int entry_bad(const char *s, enum idmap_why want)
{
	struct idmap_entry e;
	enum idmap_why why = IDMAP_OK;

	errno = 0;
	return idmap_parse_entry(s, &e, &why) == -1 && errno == EINVAL && why == want;
}

static int add(struct idmap *m, const char *s, enum idmap_why *why)
{
	struct idmap_entry e;

	return idmap_parse_entry(s, &e, why) < 0 ? -1 : idmap_add(m, &e, why);
}

int main(void)
{
	static struct idmap m;
	enum idmap_why why;
	uint32_t id, out;
	char buf[8192];
	int line;

	/* Ids. */
	CHECK("id 0", idmap_parse_id("0", &id) == 0 && id == 0);
	CHECK("id max", idmap_parse_id("4294967295", &id) == 0 && id == 4294967295u);
	CHECK("id leading zeros", idmap_parse_id("0001000", &id) == 0 && id == 1000);
	CHECK("id 2^32 refused", idmap_parse_id("4294967296", &id) == -1);
	CHECK("id huge refused", idmap_parse_id("99999999999999999999999", &id) == -1);
	CHECK("id -1 refused", idmap_parse_id("-1", &id) == -1);
	CHECK("id +1 refused", idmap_parse_id("+1", &id) == -1);
	CHECK("id leading space refused", idmap_parse_id(" 12", &id) == -1);
	CHECK("id trailing garbage refused", idmap_parse_id("12abc", &id) == -1);
	CHECK("id empty refused", idmap_parse_id("", &id) == -1);
	CHECK("id hex refused", idmap_parse_id("0x10", &id) == -1);

	/* Entries, both forms. */
	CHECK("entry colon", entry_ok("0:1000:1", 0, 1000, 1));
	CHECK("entry kernel form", entry_ok("0 1000 1", 0, 1000, 1));
	CHECK("entry kernel padded", entry_ok("         0       1000          1\n", 0, 1000, 1));
	CHECK("entry tabs", entry_ok("1\t2\t3", 1, 2, 3));
	CHECK("entry range", entry_ok("0:100000:65536", 0, 100000, 65536));
	CHECK("entry last id", entry_ok("4294967294:0:1", 4294967294u, 0, 1));
	CHECK("entry whole space", entry_ok("0 0 4294967295", 0, 0, 4294967295u));
	CHECK("entry two fields", entry_bad("0:1000", IDMAP_SYNTAX));
	CHECK("entry four fields", entry_bad("0:1:2:3", IDMAP_SYNTAX));
	CHECK("entry empty", entry_bad("", IDMAP_SYNTAX));
	CHECK("entry empty field", entry_bad("0::1", IDMAP_NUMBER));
	CHECK("entry trailing colon", entry_bad("0:1:", IDMAP_NUMBER));
	CHECK("entry negative", entry_bad("-1:1000:1", IDMAP_NUMBER));
	CHECK("entry space in colon form", entry_bad("0: 1000:1", IDMAP_NUMBER));
	CHECK("entry garbage", entry_bad("0:1000:1x", IDMAP_NUMBER));
	CHECK("entry out of range", entry_bad("0:4294967296:1", IDMAP_RANGE));
	CHECK("entry count zero", entry_bad("0:1000:0", IDMAP_COUNT_ZERO));
	CHECK("entry inside overflow", entry_bad("4294967295:0:1", IDMAP_OVERFLOW));
	CHECK("entry outside overflow", entry_bad("0:4294967200:96", IDMAP_OVERFLOW));
	CHECK("entry count overflow", entry_bad("1 0 4294967295", IDMAP_OVERFLOW));

	/* Overlaps, inside and outside, touching ranges allowed. */
	m.n = 0;
	CHECK("add first", add(&m, "0:1000:10", &why) == 0);
	CHECK("add touching", add(&m, "10:1010:10", &why) == 0);
	CHECK("add inside overlap", add(&m, "19:5000:1", &why) == -1 && why == IDMAP_OVERLAP_IN);
	CHECK("add inside contains", add(&m, "0:9000:100", &why) == -1 && why == IDMAP_OVERLAP_IN);
	CHECK("add outside overlap", add(&m, "100:1005:1", &why) == -1 && why == IDMAP_OVERLAP_OUT);
	CHECK("add disjoint", add(&m, "100:2000:1", &why) == 0 && m.n == 3);
	CHECK("lookup inside", idmap_lookup(&m, 15, &out) == 1 && out == 1015);
	CHECK("lookup hole", idmap_lookup(&m, 50, &out) == 0);
	CHECK("validate ok", idmap_validate(&m, &why) == 0);
	CHECK("format", idmap_format(&m, buf, sizeof(buf)) > 0 &&
	      strcmp(buf, "0 1000 10\n10 1010 10\n100 2000 1\n") == 0);
	CHECK("format too small", idmap_format(&m, buf, 5) == -1 && errno == ENOSPC);

	/* 340 lines at most. */
	m.n = 0;
	for (int i = 0; i < IDMAP_MAX_LINES; i++) {
		struct idmap_entry e = { (uint32_t)i, (uint32_t)i, 1 };

		if (idmap_add(&m, &e, &why) < 0)
			break;
	}
	CHECK("340 lines", m.n == 340);
	{
		struct idmap_entry e = { 1000, 1000, 1 };

		CHECK("341st line refused", idmap_add(&m, &e, &why) == -1 && why == IDMAP_TOO_MANY);
	}
	/* 340 short lines fit a page; 340 long ones do not. */
	CHECK("340 short lines fit a page", idmap_validate(&m, &why) == 0);
	m.n = 0;
	for (int i = 0; i < IDMAP_MAX_LINES; i++) {
		struct idmap_entry e = { 4000000000u + (uint32_t)i, 4000000000u + (uint32_t)i, 1 };

		idmap_add(&m, &e, &why);
	}
	CHECK("340 long lines over a page", idmap_validate(&m, &why) == -1 && why == IDMAP_TOO_LONG);
	m.n = 0;
	CHECK("empty map refused", idmap_validate(&m, &why) == -1 && why == IDMAP_EMPTY);

	/* Whole maps as /proc prints them. */
	CHECK("text ok", idmap_parse_text("         0       1000          1\n"
					  "         1     100000      65536\n", &m, &why, &line) == 0 && m.n == 2);
	CHECK("text blank lines", idmap_parse_text("\n0 0 1\n\n", &m, &why, &line) == 0 && m.n == 1);
	CHECK("text initial ns", idmap_parse_text("0 0 4294967295\n", &m, &why, &line) == 0);
	CHECK("text bad line 2", idmap_parse_text("0 0 1\n1 x 1\n", &m, &why, &line) == -1 &&
	      line == 2 && why == IDMAP_NUMBER);
	CHECK("text overlap", idmap_parse_text("0 0 10\n5 100 1\n", &m, &why, &line) == -1 &&
	      why == IDMAP_OVERLAP_IN);
	CHECK("text colon refused", idmap_parse_text("0:0:1\n", &m, &why, &line) == -1);
	CHECK("text empty refused", idmap_parse_text("", &m, &why, &line) == -1 && why == IDMAP_EMPTY);

	/* Outside ids against the writer's own map. */
	{
		char path[] = "/tmp/nslab-unit-idmap.XXXXXX";
		int fd = mkstemp(path);
		struct idmap_entry bad;
		static const char cur[] = "0 1000 10\n10 5000 5\n100 0 1\n";

		CHECK("mkstemp", fd >= 0 && write(fd, cur, sizeof(cur) - 1) == sizeof(cur) - 1);
		close(fd);
		m.n = 0;
		add(&m, "0:0:15", &why);
		CHECK("outside ids across two adjacent ranges", idmap_outside_unmapped(&m, path, &bad) == 0);
		add(&m, "20:100:1", &why);
		CHECK("outside id in a third range", idmap_outside_unmapped(&m, path, &bad) == 0);
		add(&m, "30:15:2", &why);
		CHECK("outside ids past a range's end", idmap_outside_unmapped(&m, path, &bad) == 1 &&
		      bad.inside == 30 && bad.outside == 15 && bad.count == 2);
		unlink(path);
		CHECK("unreadable current map", idmap_outside_unmapped(&m, path, &bad) == -1 && errno == ENOENT);
	}

	/* The self map, built in one place. */
	idmap_self_map(&m, 0, 1000);
	CHECK("self map is 0 1000 1", m.n == 1 && m.e[0].inside == 0 &&
	      m.e[0].outside == 1000 && m.e[0].count == 1);
	CHECK("self map recognised", idmap_is_self(&m, 1000) && !idmap_is_self(&m, 1001));
	add(&m, "1:100000:65535", &why);
	CHECK("a range is not the self map", !idmap_is_self(&m, 1000));

	/* What the kernel holds, read back, against what was asked. */
	{
		static struct idmap a, b;

		idmap_self_map(&a, 0, 1000);
		add(&a, "1:100000:65535", &why);
		idmap_self_map(&b, 1, 100000);
		b.e[0].count = 65535;
		add(&b, "0:1000:1", &why);
		CHECK("the same entries in another order", idmap_same(&a, &b) && idmap_same(&b, &a));
		idmap_self_map(&b, 0, 1000);
		CHECK("a helper that wrote less", !idmap_same(&a, &b) && !idmap_same(&b, &a));
		b.n = 0;
		CHECK("nothing written", !idmap_same(&a, &b));
		idmap_self_map(&b, 0, 1000);
		add(&b, "1:100000:65534", &why);
		CHECK("a count one short", !idmap_same(&a, &b));
		{
			char text[64];

			CHECK("one line: entries joined", strcmp(idmap_one_line(&a, text, sizeof(text)),
								  "0 1000 1,1 100000 65535") == 0);
			b.n = 0;
			CHECK("one line: an empty map", strcmp(idmap_one_line(&b, text, sizeof(text)), "nothing") == 0);
			CHECK("one line: too long", strcmp(idmap_one_line(&a, text, 8), "(too long to show)") == 0);
		}
		/* The kernel shows a map it holds the way idmap_parse_text reads it. */
		CHECK("read back: our own uid_map as it is", idmap_read(AT_FDCWD, "/proc/self/uid_map", &a, &why, &line) == 0 &&
		      idmap_read_back(IDMAP_STEP_UID, &a, &b) == 1 && idmap_same(&a, &b));
		a.e[0].count--;
		CHECK("read back: another map", idmap_read_back(IDMAP_STEP_UID, &a, &b) == 0);
	}

	/* The steps as -v tells them: a direct write, then a tool. */
	{
		static struct idmap u, g;
		static struct idmap_said said[3];
		struct idmap_plan p = { &u, &g, "deny", NULL, NULL };
		int n;

		idmap_self_map(&u, 0, 1000);
		idmap_self_map(&g, 0, 100);
		n = idmap_steps(&p, 0, 4242, 0, IDMAP_STEP_UID, 0, -1, said);
		CHECK("three steps written", n == 3 && said[0].step == IDMAP_STEP_UID &&
		      said[1].step == IDMAP_STEP_SETGROUPS && said[2].step == IDMAP_STEP_GID);
		CHECK("the call names /proc/self", strcmp(said[0].call, "write /proc/self/uid_map \"0 1000 1\"") == 0);
		CHECK("the shell line names the PID", strcmp(said[0].shell, "echo '0 1000 1' > /proc/4242/uid_map") == 0);
		CHECK("setgroups shell line", strcmp(said[1].shell, "echo 'deny' > /proc/4242/setgroups") == 0);
		CHECK("gid shell line", strcmp(said[2].shell, "echo '0 100 1' > /proc/4242/gid_map") == 0 &&
		      said[2].result == 0);

		n = idmap_steps(&p, 0, 4242, -1, IDMAP_STEP_SETGROUPS, EPERM, -1, said);
		CHECK("steps stop at the failed one", n == 2 && said[1].result == -1 &&
		      said[1].err == EPERM && said[0].result == 0);

		add(&u, "1:100000:65535", &why);
		add(&g, "1:200000:65535", &why);
		p.uid_tool = "/usr/bin/newuidmap";
		p.gid_tool = "/usr/bin/newgidmap";
		p.setgroups = NULL;
		n = idmap_steps(&p, 4242, 4242, 0, IDMAP_STEP_UID, 0, -1, said);
		CHECK("tools: two steps, setgroups left to newgidmap", n == 2);
		CHECK("newuidmap shell line", strcmp(said[0].shell, "newuidmap 4242 0 1000 1 1 100000 65535") == 0);
		CHECK("newuidmap call", strcmp(said[0].call, "/usr/bin/newuidmap 4242 0 1000 1 1 100000 65535") == 0);
		CHECK("newgidmap shell line", strcmp(said[1].shell, "newgidmap 4242 0 100 1 1 200000 65535") == 0);
		n = idmap_steps(&p, 4242, 4242, -1, IDMAP_STEP_GID, EPERM, 1, said);
		CHECK("a failed tool says its exit status", n == 2 && said[1].result == 1);
		p.uid_tool = NULL;
		n = idmap_steps(&p, 0, 7, 0, IDMAP_STEP_UID, 0, -1, said);
		CHECK("two lines go through printf", strcmp(said[0].shell,
		      "printf '0 1000 1\\n1 100000 65535\\n' > /proc/7/uid_map") == 0);
	}

	CHECK("strerror words every reason", strcmp(idmap_strerror(IDMAP_OVERLAP_OUT),
						    "outside range overlaps an earlier entry") == 0);
	return unit_done();
}
