/* SPDX-License-Identifier: MIT */
/* procread: read below a /proc/PID directory fd; see procread.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/nsfs.h>

#include "procread.h"

/* The most pr_command keeps, as lsns(8) and ps(1) cut long command lines too. */
#define CMD_MAX 8192

int pr_gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

int pr_open(pid_t pid)
{
	char path[32];

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self");
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

ssize_t pr_read(int dirfd, const char *name, char *buf, size_t len)
{
	ssize_t n = 0, total = 0;
	int fd, saved;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)total < len - 1) {
		n = read(fd, buf + total, len - 1 - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
	}
	saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	buf[total] = '\0';
	return total;
}

int pr_stat(int dirfd, struct pf_stat *st)
{
	char buf[1024];
	ssize_t n = pr_read(dirfd, "stat", buf, sizeof(buf));

	return n < 0 ? -1 : pf_parse_stat(buf, (size_t)n, st);
}

char *pr_command(int dirfd)
{
	/*
	 * Static, not on the heap: a scan reads thousands of command lines,
	 * and 16 KiB taken and given back each time, between the small copies
	 * kept, let the heap grow with every one (nsinfo -a's peak RSS grew by half at
	 * 8,000 processes).  Not reentrant, like the rest of a one-thread tool.
	 */
	static char buf[CMD_MAX], line[CMD_MAX];
	ssize_t n;

	if ((n = pr_read(dirfd, "cmdline", buf, CMD_MAX)) < 0)
		return NULL;
	if (pf_cmdline(buf, (size_t)n, line, CMD_MAX) == 0) {
		if (pr_read(dirfd, "comm", line, CMD_MAX) < 0)
			return NULL;
		line[strcspn(line, "\n")] = '\0';
	}
	return strdup(line);
}

int pr_nslink(int dirfd, const char *type, struct pf_nslink *out)
{
	char path[PF_NSTYPE_LEN + 4], buf[PF_NSTYPE_LEN + 32];
	ssize_t n;

	if (snprintf(path, sizeof(path), "ns/%s", type) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((n = readlinkat(dirfd, path, buf, sizeof(buf))) < 0)
		return -1;
	/* A link that filled the buffer may have been cut: never guess. */
	if ((size_t)n == sizeof(buf) || pf_parse_nslink(buf, (size_t)n, out) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int pr_ns_owner(int dirfd, const struct pf_nslink *ns, uid_t *owner)
{
	int fd = openat(dirfd, "ns/user", O_RDONLY | O_CLOEXEC), rc = -1;
	struct stat sb;

	*owner = 0;	/* valgrind does not know this ioctl writes it */
	if (fd < 0)
		return -1;
	/* Only if it is still the namespace the link was read of. */
	if (fstat(fd, &sb) == 0 && sb.st_ino == ns->ino) {
		if (ioctl(fd, NS_GET_OWNER_UID, owner) == 0)
			rc = 0;
	} else {
		errno = ESRCH;
	}
	close(fd);
	return rc;
}

/* An entry is wanted when its kind is: pid_for_children is a pid one. */
static int wanted(const char *entry, unsigned mask)
{
	size_t len = strcspn(entry, "_");

	for (int k = 0; k < PF_NSKINDS; k++)
		if (strlen(pf_nskinds[k].name) == len && strncmp(pf_nskinds[k].name, entry, len) == 0)
			return (mask >> k) & 1;
	return mask == ~0u;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(((const struct pr_nsent *)a)->name, ((const struct pr_nsent *)b)->name);
}

int pr_nsentries(int dirfd, unsigned mask, struct pr_nsent *e)
{
	DIR *d = opendir("/proc/self/ns");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL && n < PR_MAXNS) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= PF_NSTYPE_LEN ||
		    !wanted(de->d_name, mask))
			continue;
		memset(&e[n], 0, sizeof(e[n]));
		snprintf(e[n++].name, PF_NSTYPE_LEN, "%s", de->d_name);
	}
	closedir(d);
	qsort(e, (size_t)n, sizeof(e[0]), cmp_names);
	for (int i = 0; i < n; i++) {
		e[i].kind = -1;
		if (pr_nslink(dirfd, e[i].name, &e[i].link) < 0) {
			if (pr_gone(errno))
				return -1;
			e[i].err = errno;
			continue;
		}
		e[i].kind = pf_nskind_index(e[i].link.type);
		if (e[i].kind == pf_nskind_index("user"))
			e[i].owner_known = pr_ns_owner(dirfd, &e[i].link, &e[i].owner) == 0;
	}
	return n;
}

int pr_has_cap(int cap)
{
	static char buf[8192];
	ssize_t n = pr_read(AT_FDCWD, "/proc/self/status", buf, sizeof(buf));

	return n < 0 ? -1 : pf_status_has_cap(buf, (size_t)n, cap);
}
