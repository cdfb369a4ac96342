/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/mountinfo: the kernel's lines with and without optional
 * fields, escaped paths, malformed lines refused with their number, the
 * parent walk (loops included), this process's own mountinfo, and
 * mi_realpath against realpath(3).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mountinfo.h"
#include "unit.h"

static const char sample[] =
	"27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard\n"
	"28 27 0:25 / /mnt/a\\040b ro,nosuid,nodev,relatime - tmpfs my\\134src ro,size=4k\n"
	"29 28 0:26 /sub /mnt/a\\040b/c rw master:3 shared:7 - tmpfs none rw\n"
	"30 29 0:27 / /mnt/a\\040b/c/d rw unbindable - proc proc rw\n"
	"31 27 0:28 / /other rw - tmpfs tmpfs \n";

static int bad(const char *text, int want_line)
{
	struct mi_table t;
	int line = 0;

	errno = 0;
	return mi_parse(text, &t, &line) == -1 && errno == EINVAL &&
	       line == want_line && t.n == 0 && t.e == NULL;
}

int main(void)
{
	struct mi_table t, loop, self;

	CHECK("sample parses", mi_parse(sample, &t, NULL) == 0 && t.n == 5);
	CHECK("ids", t.e[0].id == 27 && t.e[0].parent == 1 && t.e[4].id == 31);
	CHECK("device", t.e[0].major == 254 && t.e[0].minor == 0);
	CHECK("root and target", strcmp(t.e[0].root, "/") == 0 &&
	      strcmp(t.e[0].target, "/") == 0);
	CHECK("optional shared", strcmp(t.e[0].optional, "shared:1") == 0);
	CHECK("optional empty", strcmp(t.e[1].optional, "") == 0);
	CHECK("optional two", strcmp(t.e[2].optional, "master:3 shared:7") == 0);
	CHECK("optional unbindable", strcmp(t.e[3].optional, "unbindable") == 0);
	CHECK("fstype source super", strcmp(t.e[1].fstype, "tmpfs") == 0 &&
	      strcmp(t.e[1].super, "ro,size=4k") == 0);
	CHECK("escaped space", strcmp(t.e[1].target, "/mnt/a b") == 0);
	CHECK("escaped backslash", strcmp(t.e[1].source, "my\\src") == 0);
	CHECK("bind root", strcmp(t.e[2].root, "/sub") == 0);
	CHECK("empty super options", strcmp(t.e[4].super, "") == 0);
	CHECK("options", strcmp(t.e[1].options, "ro,nosuid,nodev,relatime") == 0);

	CHECK("find", mi_find(&t, 29) == 2);
	CHECK("find missing", mi_find(&t, 99) == -1 && errno == ENOENT);
	CHECK("below parent", mi_below(&t, 2, 28));
	CHECK("below grandparent", mi_below(&t, 3, 28) && mi_below(&t, 3, 27));
	CHECK("not below itself", !mi_below(&t, 1, 28));
	CHECK("not below a sibling", !mi_below(&t, 4, 28));
	CHECK("not below a child", !mi_below(&t, 1, 29));

	CHECK("option first", mi_has_option("ro,nosuid", "ro"));
	CHECK("option last", mi_has_option("ro,nosuid", "nosuid"));
	CHECK("option prefix is not a match", !mi_has_option("rw,nosuid", "nosu"));
	CHECK("option longer is not a match", !mi_has_option("relatime", "rel"));
	CHECK("option absent", !mi_has_option("rw", "ro"));
	mi_free(&t);
	CHECK("free empties", t.n == 0 && t.e == NULL && t.text == NULL);

	CHECK("empty text", mi_parse("", &t, NULL) == 0 && t.n == 0);
	mi_free(&t);
	CHECK("no trailing newline", mi_parse("1 1 0:1 / / rw - ext4 x rw", &t, NULL) == 0 &&
	      t.n == 1 && strcmp(t.e[0].super, "rw") == 0);
	mi_free(&t);

	CHECK("no dash", bad("1 1 0:1 / / rw ext4 x rw\n", 1));
	CHECK("bad second line", bad("1 1 0:1 / / rw - ext4 x rw\n2 1 0:1 / /x\n", 2));
	CHECK("signed id", bad("-1 1 0:1 / / rw - ext4 x rw\n", 1));
	CHECK("id too big", bad("2147483648 1 0:1 / / rw - ext4 x rw\n", 1));
	CHECK("bad device", bad("1 1 0-1 / / rw - ext4 x rw\n", 1));
	CHECK("device garbage", bad("1 1 0:1x / / rw - ext4 x rw\n", 1));
	CHECK("too many fields", bad("1 1 0:1 / / rw - ext4 x rw extra\n", 1));
	CHECK("too few fields", bad("1 1 0:1 / / rw - ext4 x\n", 1));
	CHECK("empty line", bad("1 1 0:1 / / rw - ext4 x rw\n\n", 2));
	CHECK("escaped NUL", bad("1 1 0:1 / /a\\000b rw - ext4 x rw\n", 1));
	CHECK("double blank", bad("1  1 0:1 / / rw - ext4 x rw\n", 1));

	/* A parent loop must end, and answer no. */
	CHECK("loop parses", mi_parse("5 6 0:1 / /a rw - t s o\n6 5 0:1 / /b rw - t s o\n",
				      &loop, NULL) == 0);
	CHECK("loop ends", !mi_below(&loop, 0, 7));
	mi_free(&loop);

	CHECK("read self", mi_read(NULL, &self) == 0 && self.n > 0);
	CHECK("self has a root or is chrooted", self.n > 0 && self.e[0].target[0] == '/');
	mi_free(&self);
	CHECK("read missing", mi_read("/nonexistent/mountinfo", &self) == -1 &&
	      errno == ENOENT);

	/* mi_realpath is realpath(3): dots, a relative path, a symlink. */
	{
		static const char *const paths[] = { "/", "/tmp/../tmp/.", ".", "/proc/self" };
		char link[] = "/tmp/nslab-unit-mi.XXXXXX";

		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			char *a = mi_realpath(paths[i]), *b = realpath(paths[i], NULL);

			CHECK(paths[i], a && b && strcmp(a, b) == 0);
			free(a);
			free(b);
		}
		if (mkdtemp(link)) {
			char sym[64], *a, *b;

			snprintf(sym, sizeof(sym), "%s/to-tmp", link);
			CHECK("symlink made", symlink("/tmp/..//tmp", sym) == 0);
			a = mi_realpath(sym);
			b = realpath(sym, NULL);
			CHECK("symlink resolved", a && b && strcmp(a, b) == 0 && strcmp(a, "/tmp") == 0);
			free(a);
			free(b);
			unlink(sym);
			rmdir(link);
		}
		errno = 0;
		CHECK("realpath missing", !mi_realpath("/nonexistent/x") && errno == ENOENT);
	}
	return unit_done();
}
