/* SPDX-License-Identifier: MIT */
/*
 * mountplan: the mounts asked for, checked on the host before anything
 * changes (mountplan.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "bindmount.h"
#include "mountinfo.h"
#include "mountplan.h"

static char failed[PATH_MAX];

int mp_init(struct mountplan *p, size_t max)
{
	*p = (struct mountplan){ .max = max, .prop = MS_PRIVATE };
	p->e = calloc(max, sizeof(*p->e));
	p->made = calloc(max, sizeof(*p->made));
	return p->e && p->made ? 0 : -1;
}

void mp_free(struct mountplan *p)
{
	for (size_t i = 0; p->e && i < p->n; i++) {
		if (p->e[i].src != p->e[i].dst)
			free(p->e[i].src);
		free(p->e[i].dst);
	}
	for (size_t i = 0; p->made && i < p->nmade; i++)
		free((char *)p->made[i].spelled);
	free(p->e);
	free(p->made);
	*p = (struct mountplan){ 0 };
}

enum mp_result mp_add(struct mountplan *p, enum mp_kind kind, const char *opt, const char *arg)
{
	const char *colon = strchr(arg, ':');
	const int bind = kind == MP_BIND || kind == MP_RO_BIND;
	struct mp_entry *e = &p->e[p->n];

	if (!bind && !*arg)
		return MP_EMPTY;
	/* One colon, two paths: a path with a colon cannot be told apart. */
	if (bind && (!colon || colon == arg || !colon[1] || strchr(colon + 1, ':')))
		return MP_SRCDST;
	if (p->n == p->max) {
		errno = ENOMEM;
		return MP_NOMEM;
	}
	*e = (struct mp_entry){ .kind = kind, .opt = opt, .arg = arg, .dir = !bind, .in = -1 };
	e->src = bind ? strndup(arg, (size_t)(colon - arg)) : NULL;
	e->dst = strdup(bind ? colon + 1 : arg);
	if (!e->dst || (bind && !e->src)) {
		free(e->src);
		free(e->dst);
		errno = ENOMEM;
		return MP_NOMEM;
	}
	p->n++;
	return MP_OK;
}

enum mp_result mp_add_home(struct mountplan *p, const char **failing)
{
	const char *home = getenv("HOME");
	static char arg[PATH_MAX + 8];
	enum mp_result r;
	struct stat st;

	*failing = home;
	if (!home || !*home) {
		errno = home ? EINVAL : ENOENT;
		return MP_NOHOME;
	}
	if (stat(home, &st) < 0)
		return MP_HOME;
	if (!S_ISDIR(st.st_mode))
		return MP_HOME_NOTDIR;
	if (snprintf(arg, sizeof(arg), "%s:/root", home) >= (int)sizeof(arg)) {
		errno = ENAMETOOLONG;
		return MP_HOME;
	}
	if ((r = mp_add(p, MP_BIND, "the default --bind", arg)) == MP_OK)
		p->e[p->n - 1].arg = "$HOME:/root";
	return r;
}

/* realpath(3) and stat(2): the path as the host sees it now. */
static char *resolve(const char *path, struct stat *st)
{
	char *r = mi_realpath(path);
	int err;

	if (r && stat(r, st) == 0)
		return r;
	err = errno;
	free(r);
	errno = err;
	return NULL;
}

/* What must be refused on the host, e->dst resolved into `d`. */
static enum mp_result refused(const struct mountplan *p, const struct mp_entry *e,
			      const struct stat *s, const struct stat *d, const char **failing)
{
	struct statfs sf;
	char *where = NULL;

	/*
	 * A mount on / does not change a process's root: the root directory is
	 * pinned to the mount that was there when it was set, so the command
	 * would go on seeing the old one.  That is pivot_root(2)'s work.
	 */
	if (strcmp(e->dst, "/") == 0)
		return MP_SLASH;
	/* procfs or sysfs as the root would lead back to the host's tree. */
	if (e->kind == MP_ROOT && (bm_at_or_below(e->dst, "/proc") || bm_at_or_below(e->dst, "/sys") ||
				   (statfs(e->dst, &sf) == 0 && (sf.f_type == PROC_SUPER_MAGIC ||
								 sf.f_type == SYSFS_MAGIC))))
		return MP_PSEUDO;
	if (!e->src && !S_ISDIR(d->st_mode))
		return MP_NOTDIR;
	/* The kernel binds a directory only onto a directory, a file onto a file. */
	if (e->src && S_ISDIR(s->st_mode) != S_ISDIR(d->st_mode))
		return MP_KINDS;
	/* Making a mount private, slave or shared also ends its being unbindable. */
	if (e->src && !p->prop && mi_unbindable(e->src, &where) == 1) {
		snprintf(failed, sizeof(failed), "%s", where);
		free(where);
		*failing = failed;
		return MP_UNBINDABLE;
	}
	free(where);
	return MP_OK;
}

enum mp_result mp_check(struct mountplan *p, size_t i, const char **failing)
{
	struct mp_entry *e = &p->e[i];
	char *lex = bm_lexical(e->dst), *r;
	enum mp_result why = MP_OK;
	struct stat s = { 0 }, d;
	int err;

	*failing = e->dst;
	if (!lex && errno != EINVAL)
		return MP_CWD;
	if (!lex && e->kind == MP_MKDIR)
		why = MP_DOTDOT;
	/* pivot_root(2): new_root and the current root's mount must not be shared. */
	else if (e->kind == MP_ROOT && (p->prop == MS_SHARED || p->prop == 0))
		why = MP_SHARED;
	else if ((e->in = lex ? bm_made_find(p->made, p->nmade, lex, &e->rest) : -1) < 0 &&
		 e->kind == MP_MKDIR)
		why = MP_NOT_MADE;
	if (!why && e->src) {
		if (!(r = resolve(e->src, &s))) {
			*failing = e->src;
			why = MP_SOURCE;
		} else {
			free(e->src);
			e->src = r;
			e->dir = S_ISDIR(s.st_mode);
		}
	}
	if (!why && e->in < 0) {
		if (!(r = resolve(e->dst, &d))) {
			why = MP_TARGET;
		} else {
			free(e->dst);
			*failing = e->dst = r;
			why = refused(p, e, &s, &d, failing);
		}
	} else if (!why) {
		/* Spelled from the tmpfs's resolved directory; rest kept in it. */
		const char *dir = strcmp(p->made[e->in].dir, "/") == 0 ? "" : p->made[e->in].dir;

		if (asprintf(&r, "%s/%s", dir, e->rest) < 0) {
			why = MP_NOMEM;
		} else {
			free(e->dst);
			*failing = e->dst = r;
			e->rest = r + strlen(dir) + 1;
		}
	}
	if (why) {
		err = errno;
		free(lex);
		errno = err;
		return why;
	}
	if (e->kind == MP_TMPFS || e->kind == MP_DEV) {
		e->own = (int)p->nmade;
		p->made[p->nmade++] = (struct bm_made){ .dir = e->dst, .spelled = lex, .fd = -1, .id = -1 };
	} else {
		free(lex);
	}
	return MP_OK;
}

enum mp_result mp_open(const struct mountplan *p, const struct mp_entry *e, int *fd,
		       const char **failing)
{
	const struct bm_made *t = e->in >= 0 ? &p->made[e->in] : NULL;
	enum bm_walk w = BMW_OK;
	struct stat st;
	int err;

	*fd = -1;
	*failing = e->dst;
	if (!t && ((*fd = open(e->dst, O_PATH | O_CLOEXEC | (e->dir ? O_DIRECTORY : 0))) < 0 ||
		   fstat(*fd, &st) < 0))
		w = BMW_OPEN;
	else if (t)
		w = bm_walk(t->fd, t->id, t->dir, e->rest, e->kind == MP_MKDIR || e->kind == MP_DEV,
			    fd, &st, failing);
	if (w == BMW_OK && e->dir == S_ISDIR(st.st_mode))
		return MP_OK;
	err = errno;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	errno = err;
	return w == BMW_OPEN ? MP_OPEN : w == BMW_SYMLINK ? MP_SYMLINK : w == BMW_OUTSIDE ? MP_OUTSIDE :
	       e->src ? MP_KINDS : MP_NOTDIR;
}
