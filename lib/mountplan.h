/* SPDX-License-Identifier: MIT */
/*
 * mountplan: the mounts a command line asks nsmount for, checked before
 * anything changes.  Each path is resolved against the current directory
 * in the host's view, so it means what the caller meant; a path in a tmpfs
 * the plan makes (--tmpfs, --dev) does not exist yet: it is checked by its
 * spelling now, and walked from that tmpfs's root at its turn (lib/bindmount's
 * bm_walk).  Each call returns a result code and the path at fault; the
 * tool words the message.  Nothing here prints or exits.
 */
#ifndef NSLAB_MOUNTPLAN_H
#define NSLAB_MOUNTPLAN_H

#include <stddef.h>

#include "bindmount.h"

enum mp_kind { MP_BIND, MP_RO_BIND, MP_TMPFS, MP_MKDIR, MP_DEV, MP_PROC, MP_SYSFS, MP_ROOT };

struct mp_entry {
	enum mp_kind kind;
	const char *opt, *arg;	/* "--bind" and its argument, to name them */
	char *src, *dst;	/* resolved on the host (dst: or below a tmpfs made) */
	int dir;		/* dst is, or is to be, a directory */
	int in;			/* the made[] tmpfs dst lies below, or -1 */
	const char *rest;	/* then dst below that tmpfs's root: "a/b" */
	int own;		/* MP_TMPFS, MP_DEV: its own entry in made[] */
};

struct mountplan {
	struct mp_entry *e;
	size_t n, max;
	struct bm_made *made;	/* the tmpfs mounts --tmpfs and --dev make */
	size_t nmade;
	unsigned long prop;	/* MS_PRIVATE, MS_SLAVE, MS_SHARED, or 0: unchanged */
};

/* What was refused; *failing, where a call sets it, is the path at fault. */
enum mp_result {
	MP_OK,
	MP_NOMEM,	/* errno */
	MP_EMPTY,	/* '' given for a path */
	MP_SRCDST,	/* not SRC:DST, two paths with no ':' in them */
	MP_CWD,		/* the current directory cannot be read: errno */
	MP_DOTDOT,	/* '..' in a path to create (--dir) */
	MP_SHARED,	/* MP_ROOT while mounts stay shared: pivot_root(2) refuses */
	MP_NOT_MADE,	/* MP_MKDIR not below a tmpfs made before it */
	MP_SOURCE,	/* the source cannot be resolved or stat'ed: errno */
	MP_TARGET,	/* the target cannot be resolved or stat'ed: errno */
	MP_SLASH,	/* the target is / */
	MP_PSEUDO,	/* MP_ROOT in a procfs or sysfs */
	MP_NOTDIR,	/* *failing is not a directory */
	MP_KINDS,	/* e->src and e->dst are not both directories or both files */
	MP_UNBINDABLE,	/* the mount on *failing is unbindable */
	MP_OPEN,	/* opening *failing: errno */
	MP_SYMLINK,	/* *failing, in a tmpfs made, is a symbolic link */
	MP_OUTSIDE,	/* *failing is not in the tmpfs made */
	MP_NOHOME,	/* HOME is not set (errno ENOENT) or empty (EINVAL) */
	MP_HOME,	/* stat of HOME, *failing: errno */
	MP_HOME_NOTDIR,	/* HOME, *failing, is not a directory */
};

/* Room for `max` entries.  -1 with errno. */
int mp_init(struct mountplan *p, size_t max);

/* Release what the plan holds (a zeroed plan too).  nsmount keeps its own. */
void mp_free(struct mountplan *p);

/* Append an entry: "SRC:DST" for MP_BIND and MP_RO_BIND, else a path. */
enum mp_result mp_add(struct mountplan *p, enum mp_kind kind, const char *opt, const char *arg);

/*
 * With no mount option, the article's step, `mount --bind $HOME /root`:
 * an MP_BIND entry "$HOME:/root", named "the default --bind".
 */
enum mp_result mp_add_home(struct mountplan *p, const char **failing);

/*
 * Check entry i against the host and the entries before it, resolving its
 * paths (e->src, e->dst) in place; call for each entry in order, before
 * anything changes.  A tmpfs entry is then in made[].
 */
enum mp_result mp_check(struct mountplan *p, size_t i, const char **failing);

/*
 * Open the entry's path once, O_PATH, at its turn: from the root of the
 * tmpfs it lies in, one name at a time (bm_walk; MP_MKDIR and MP_DEV make
 * what is missing, mkdir -p), or on the host as mp_check resolved it,
 * checked again by what the descriptor is.  *fd is -1 on failure.
 */
enum mp_result mp_open(const struct mountplan *p, const struct mp_entry *e, int *fd,
		       const char **failing);

#endif
