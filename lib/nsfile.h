/* SPDX-License-Identifier: MIT */
/*
 * nsfile: a namespace file (a /proc/PID/ns link, a file a namespace was
 * bound to) opened and told apart through ioctl_nsfs(2): whether it is a
 * namespace, of which kind, the caller's own already, and which user
 * namespace owns it.  Results, never messages: the tool words them.
 */
#ifndef NSLAB_NSFILE_H
#define NSLAB_NSFILE_H

#include <sys/types.h>

enum nsfile_result {
	NSFILE_OK,	/* a namespace of the kind asked */
	NSFILE_OPEN,	/* open(2) failed: errno says why */
	NSFILE_STALE,	/* an empty regular file: a keep's mount point, the namespace gone */
	NSFILE_REGULAR,	/* a regular file with something in it */
	NSFILE_DIR,	/* a directory */
	NSFILE_OTHER,	/* anything else that is no namespace (a FIFO, a device) */
	NSFILE_KIND,	/* a namespace of another kind: *other has its CLONE_NEW* flag */
};

/*
 * Open path (O_RDONLY, close-on-exec) into *fd and check it is a namespace
 * of the kind `flag` (CLONE_NEWNET...): NS_GET_NSTYPE, which a file of any
 * other file system refuses.  Anything but NSFILE_OK leaves *fd at -1.
 */
enum nsfile_result nsfile_open(const char *path, int flag, int *fd, int *other);

/*
 * 1 when fd is the namespace /proc/self/ns/`name` is ("net"), else 0; *ino
 * gets its inode, as /proc/PID/ns shows it ("net:[4026531840]").
 */
int nsfile_is_own(int fd, const char *name, unsigned long long *ino);

/*
 * 1 when the namespace of fd is owned by the user namespace of userfd or by
 * one below it (NS_GET_USERNS, then NS_GET_PARENT up to the caller's own,
 * above which the kernel answers EPERM), else 0.
 */
int nsfile_owned_below(int fd, int userfd);

/* The uid that made the user namespace owning fd's namespace: 0, or -1 with errno. */
int nsfile_owner_uid(int fd, uid_t *uid);

#endif
