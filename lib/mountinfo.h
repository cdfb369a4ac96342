/* SPDX-License-Identifier: MIT */
/*
 * mountinfo: read /proc/PID/mountinfo into a table of mounts.
 *
 * Each line is (proc(5), mount_namespaces(7)):
 *   ID PARENT MAJOR:MINOR ROOT TARGET OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
 * ROOT, TARGET and SOURCE have space, tab, newline and backslash escaped as
 * \040 \011 \012 \134; the table holds them unescaped, ready for a path
 * call.  OPTIONAL is the propagation ("shared:1 master:2", or empty).
 * Also the questions nslab asks of the table; lib/mountflags words the
 * mount(2) calls that change it.
 */
#ifndef NSLAB_MOUNTINFO_H
#define NSLAB_MOUNTINFO_H

#include <stddef.h>

struct mi_entry {
	int id, parent;
	unsigned major, minor;
	char *root;	/* the directory of the file system mounted here */
	char *target;	/* the mount point, relative to our root directory */
	char *options;	/* per-mount options: "rw,nosuid,relatime" */
	char *optional;	/* "shared:N", "master:N", "unbindable", space-separated */
	char *fstype, *source, *super;
};

struct mi_table {
	size_t n;
	struct mi_entry *e;
	char *text;	/* owns every string of e[] */
};

/*
 * Parse the text of a mountinfo file into t (which mi_free releases).
 * Returns 0, or -1 with errno = EINVAL for a malformed line (*line is
 * then its 1-based number) or ENOMEM.  t is left empty on failure.
 */
int mi_parse(const char *text, struct mi_table *t, int *line);

/* Read and parse a mountinfo file; NULL means /proc/self/mountinfo. */
int mi_read(const char *path, struct mi_table *t);

void mi_free(struct mi_table *t);

/* The index of the mount with this ID, or -1 with errno = ENOENT. */
int mi_find(const struct mi_table *t, int id);

/*
 * Is mount i below the mount with id `ancestor` in the tree (following
 * PARENT, and never looping on a malformed table)?  A mount is not below
 * itself.
 */
int mi_below(const struct mi_table *t, size_t i, int ancestor);

/*
 * The ID of the mount `path` is on, as mountinfo numbers it (statx(2)
 * STATX_MNT_ID, not triggering an automount): 0 with *id set, or with
 * *id = -1 before Linux 5.8, which does not say; -1 with errno on failure.
 */
int mi_mount_id(const char *path, int *id);

/*
 * realpath(path, NULL), in a few hundred bytes of stack: the path the
 * kernel gives /proc/self/fd/N for `path` opened O_PATH, or realpath(3)
 * when /proc cannot say.  Malloc'd; NULL with errno on failure.
 */
char *mi_realpath(const char *path);

/* Is `opt` one of the comma-separated words of `list` ("ro" in "ro,nodev")? */
int mi_has_option(const char *list, const char *opt);

/*
 * Is the mount `path` is on marked unbindable (mount --make-unbindable),
 * which the kernel refuses to bind with a bare EINVAL (mount_namespaces(7))?
 * 1 with its mount point in *where (malloc'd), 0 (also where statx or
 * /proc cannot say: the kernel will), -1 with errno.
 */
int mi_unbindable(const char *path, char **where);

/*
 * Is a file system of type `fstype` ("proc", "sysfs") visible whole in this
 * mount namespace: a mount of it whose root is the file system's own?  The
 * kernel mounts a new proc or sysfs in a mount namespace owned by a
 * non-initial user namespace only then (mount_too_revealing in
 * fs/namespace.c; it also wants what covers its subdirectories empty).
 * 1 or 0; 0 also when /proc/self/mountinfo cannot be read for want of a
 * /proc; -1 with errno on another failure.
 */
int mi_visible(const char *fstype);

#endif
