/* SPDX-License-Identifier: MIT */
/* nsfile: what a namespace file is, through ioctl_nsfs(2).  nsfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/nsfs.h>

#include "nsfile.h"

static enum nsfile_result not_ns(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
		return NSFILE_OTHER;
	if (S_ISDIR(st.st_mode))
		return NSFILE_DIR;
	return st.st_size == 0 ? NSFILE_STALE : NSFILE_REGULAR;
}

enum nsfile_result nsfile_open(const char *path, int flag, int *fd, int *other)
{
	enum nsfile_result r = NSFILE_OK;
	int type;

	*other = 0;
	if ((*fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NSFILE_OPEN;
	type = ioctl(*fd, NS_GET_NSTYPE);
	if (type < 0)
		r = not_ns(*fd);
	else if (type != flag) {
		*other = type;
		r = NSFILE_KIND;
	}
	if (r != NSFILE_OK) {
		close(*fd);
		*fd = -1;
	}
	return r;
}

int nsfile_is_own(int fd, const char *name, unsigned long long *ino)
{
	char self[64];
	struct stat st, own;

	snprintf(self, sizeof(self), "/proc/self/ns/%s", name);
	*ino = 0;
	if (fstat(fd, &st) == 0)
		*ino = (unsigned long long)st.st_ino;
	return fstat(fd, &st) == 0 && stat(self, &own) == 0 &&
	       st.st_ino == own.st_ino && st.st_dev == own.st_dev;
}

int nsfile_owned_below(int fd, int userfd)
{
	int owner = ioctl(fd, NS_GET_USERNS), up, found = 0;
	struct stat st, user;

	if (fstat(userfd, &user) < 0) {
		if (owner >= 0)
			close(owner);
		return 0;
	}
	while (owner >= 0 && !found) {
		found = fstat(owner, &st) == 0 && st.st_ino == user.st_ino &&
			st.st_dev == user.st_dev;
		up = ioctl(owner, NS_GET_PARENT);
		close(owner);
		owner = up;
	}
	if (owner >= 0)
		close(owner);
	return found;
}

int nsfile_owner_uid(int fd, uid_t *uid)
{
	int owner = ioctl(fd, NS_GET_USERNS), rc = -1;

	/* close(2) of a descriptor we hold succeeds and leaves errno alone. */
	if (owner >= 0) {
		rc = ioctl(owner, NS_GET_OWNER_UID, uid);
		close(owner);
	}
	return rc < 0 ? -1 : 0;
}
