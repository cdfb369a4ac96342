/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/mountplan and mf_propagation (lib/mountflags): what
 * nsmount refuses before any mount, each with its result code and the path
 * at fault, over a scratch directory of this process's own; and opening a
 * target once.  Nothing is mounted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mountflags.h"
#include "mountplan.h"
#include "unit.h"

static char dir[] = "/tmp/nslab-unit-mp.XXXXXX";
static char path[4][512];

/* One entry added and checked in a fresh plan: its result. */
static enum mp_result one(enum mp_kind kind, const char *arg, unsigned long prop,
			  struct mountplan *p, const char **failing)
{
	enum mp_result r;

	mp_free(p);
	if (mp_init(p, 4) < 0)
		return MP_NOMEM;
	p->prop = prop;
	*failing = NULL;
	if ((r = mp_add(p, kind, "--opt", arg)) != MP_OK)
		return r;
	return mp_check(p, 0, failing);
}

int main(void)
{
	struct mountplan p = { 0 };
	const char *failing;
	char arg[1200];
	unsigned long flag = 1;
	int fd;

	CHECK("propagation: slave", mf_propagation("slave", &flag) == 0 && flag == MS_SLAVE);
	CHECK("propagation: unchanged is 0", mf_propagation("unchanged", &flag) == 0 && flag == 0);
	CHECK("propagation: another word", mf_propagation("rprivate", &flag) == -1 && errno == EINVAL);

	CHECK("add: '' for a path", one(MP_TMPFS, "", MS_PRIVATE, &p, &failing) == MP_EMPTY);
	CHECK("add: no colon", one(MP_BIND, "/a", MS_PRIVATE, &p, &failing) == MP_SRCDST);
	CHECK("add: empty source", one(MP_BIND, ":/a", MS_PRIVATE, &p, &failing) == MP_SRCDST);
	CHECK("add: empty target", one(MP_BIND, "/a:", MS_PRIVATE, &p, &failing) == MP_SRCDST);
	CHECK("add: two colons", one(MP_BIND, "/a:/b:/c", MS_PRIVATE, &p, &failing) == MP_SRCDST);
	mp_free(&p);
	CHECK("add: full", mp_init(&p, 1) == 0 && mp_add(&p, MP_TMPFS, "-t", "/a") == MP_OK &&
	      mp_add(&p, MP_TMPFS, "-t", "/b") == MP_NOMEM);

	if (!mkdtemp(dir)) {
		CHECK("mkdtemp", 0);
		return unit_done();
	}
	snprintf(path[0], sizeof(path[0]), "%s/d", dir);
	snprintf(path[1], sizeof(path[1]), "%s/f", dir);
	snprintf(path[2], sizeof(path[2]), "%s/gone", dir);
	snprintf(path[3], sizeof(path[3]), "%s/link", dir);
	CHECK("scratch made", mkdir(path[0], 0700) == 0 && fclose(fopen(path[1], "w")) == 0 &&
	      symlink("d", path[3]) == 0);

	snprintf(arg, sizeof(arg), "%s:%s", path[3], path[0]);
	CHECK("bind: a directory onto a directory, the source resolved",
	      one(MP_BIND, arg, MS_PRIVATE, &p, &failing) == MP_OK && strcmp(p.e[0].src, path[0]) == 0 &&
	      p.e[0].dir == 1 && p.e[0].in == -1);
	CHECK("open: the target, once", mp_open(&p, &p.e[0], &fd, &failing) == MP_OK && fd >= 0 &&
	      close(fd) == 0);
	snprintf(arg, sizeof(arg), "%s:%s", path[1], path[0]);
	CHECK("bind: a file onto a directory", one(MP_BIND, arg, MS_PRIVATE, &p, &failing) == MP_KINDS &&
	      p.e[0].dir == 0 && strcmp(p.e[0].dst, path[0]) == 0);
	snprintf(arg, sizeof(arg), "%s:%s", path[2], path[0]);
	CHECK("bind: a missing source", one(MP_BIND, arg, MS_PRIVATE, &p, &failing) == MP_SOURCE &&
	      errno == ENOENT && strcmp(failing, path[2]) == 0);
	CHECK("tmpfs: a missing directory", one(MP_TMPFS, path[2], MS_PRIVATE, &p, &failing) == MP_TARGET &&
	      errno == ENOENT);
	CHECK("tmpfs: on a file", one(MP_TMPFS, path[1], MS_PRIVATE, &p, &failing) == MP_NOTDIR &&
	      strcmp(failing, path[1]) == 0);
	CHECK("tmpfs: on /", one(MP_TMPFS, "/", MS_PRIVATE, &p, &failing) == MP_SLASH);
	CHECK("root: /", one(MP_ROOT, "/", MS_PRIVATE, &p, &failing) == MP_SLASH);
	CHECK("root: in a procfs", one(MP_ROOT, "/proc/self/fd", MS_PRIVATE, &p, &failing) == MP_PSEUDO);
	CHECK("root: mounts left shared", one(MP_ROOT, path[0], MS_SHARED, &p, &failing) == MP_SHARED &&
	      one(MP_ROOT, path[0], 0, &p, &failing) == MP_SHARED);
	CHECK("root: a directory", one(MP_ROOT, path[0], MS_SLAVE, &p, &failing) == MP_OK);
	CHECK("dir: not below a tmpfs made", one(MP_MKDIR, path[0], MS_PRIVATE, &p, &failing) == MP_NOT_MADE);
	CHECK("dir: '..'", one(MP_MKDIR, "/a/../b", MS_PRIVATE, &p, &failing) == MP_DOTDOT);

	/* A --dir below a --tmpfs given before it is spelled from the tmpfs. */
	snprintf(arg, sizeof(arg), "%s/./x//y", path[3]);
	mp_free(&p);
	CHECK("dir below a tmpfs: planned", mp_init(&p, 4) == 0 &&
	      mp_add(&p, MP_TMPFS, "-t", path[3]) == MP_OK && mp_add(&p, MP_MKDIR, "--dir", arg) == MP_OK &&
	      mp_check(&p, 0, &failing) == MP_OK && mp_check(&p, 1, &failing) == MP_OK);
	CHECK("dir below a tmpfs: in it, the rest kept", p.nmade == 1 && p.e[0].own == 0 && p.e[1].in == 0 &&
	      strcmp(p.e[1].rest, "x/y") == 0 && strcmp(p.made[0].dir, path[0]) == 0);

	mp_free(&p);
	CHECK("home: unset", mp_init(&p, 2) == 0 && unsetenv("HOME") == 0 &&
	      mp_add_home(&p, &failing) == MP_NOHOME && errno == ENOENT);
	CHECK("home: empty", setenv("HOME", "", 1) == 0 && mp_add_home(&p, &failing) == MP_NOHOME &&
	      errno == EINVAL);
	CHECK("home: a file", setenv("HOME", path[1], 1) == 0 && mp_add_home(&p, &failing) == MP_HOME_NOTDIR);
	CHECK("home: gone", setenv("HOME", path[2], 1) == 0 && mp_add_home(&p, &failing) == MP_HOME &&
	      errno == ENOENT);
	CHECK("home: onto /root", setenv("HOME", path[0], 1) == 0 && mp_add_home(&p, &failing) == MP_OK &&
	      p.n == 1 && strcmp(p.e[0].src, path[0]) == 0 && strcmp(p.e[0].dst, "/root") == 0 &&
	      strcmp(p.e[0].arg, "$HOME:/root") == 0);

	mp_free(&p);
	unlink(path[3]);
	unlink(path[1]);
	rmdir(path[0]);
	rmdir(dir);
	return unit_done();
}
