/* SPDX-License-Identifier: MIT */
/*
 * keep: --keep FILE, nsnet --name, --info-fd and --block-fd (keep.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"
#include "keep.h"
#include "mountflags.h"
#include "msg.h"
#include "proc.h"
#include "step.h"

#define NETNS_RUN_DIR "/run/netns"

static int bind_here(const char *src, const char *file)
{
	char q1[ESC_SHELL_LEN(PATH_MAX)], q2[ESC_SHELL_LEN(PATH_MAX)];
	char shell[sizeof(q1) + sizeof(q2) + 16];

	snprintf(shell, sizeof(shell), "mount --bind %s %s", esc_shell(src, q1, sizeof(q1)),
		 esc_shell(file, q2, sizeof(q2)));
	return step_mount(src, file, MF_NO_TYPE, MS_BIND, NULL, shell);
}

int keep_bind(const char *src, const char *file, int oldmnt)
{
	char self[64];
	pid_t pid;
	int status, err;

	if (oldmnt < 0)
		return bind_here(src, file);
	/* The child names our namespace by our PID: its own /proc/self is not us. */
	if (strncmp(src, "/proc/self/", 11) == 0) {
		snprintf(self, sizeof(self), "/proc/%d/%s", (int)getpid(), src + 11);
		src = self;
	}
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int rc = setns(oldmnt, CLONE_NEWNS);

		msg_narrate(NULL, rc, "setns(the mount namespace before, CLONE_NEWNS) in a child");
		if (rc == 0)
			rc = bind_here(src, file);
		_exit(rc < 0 ? errno & 0xff : 0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	err = WIFEXITED(status) ? WEXITSTATUS(status) : ECHILD;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int keep_netns_prepare(const char *name, char *path, size_t len)
{
	int lock, fd, made = 0, rc = 0;

	int rc0 = mkdir(NETNS_RUN_DIR, 0755);

	msg_narrate("mkdir -p " NETNS_RUN_DIR, rc0, "mkdir(\"" NETNS_RUN_DIR "\", 0755)");
	if (rc0 < 0 && errno != EEXIST)
		return -1;
	lock = open(NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock < 0)
		return -1;
	/* ip goes on without the lock when it cannot take it; so do we. */
	flock(lock, LOCK_EX);
	/*
	 * Shared, so that ip netns del (an unmount) in one mount namespace
	 * unmounts the name in every other; EINVAL when /run/netns is no mount
	 * point yet: make it one, bound on itself, in a peer group of its own.
	 */
	while (step_mount("", NETNS_RUN_DIR, MF_NO_TYPE, MS_SHARED | MS_REC, NULL,
			 "mount --make-rshared " NETNS_RUN_DIR) < 0) {
		if (errno != EINVAL || made ||
		    step_mount(NETNS_RUN_DIR, NETNS_RUN_DIR, MF_NO_TYPE, MS_BIND | MS_REC, NULL,
			      "mount --rbind " NETNS_RUN_DIR " " NETNS_RUN_DIR) < 0 ||
		    step_mount(NETNS_RUN_DIR, NETNS_RUN_DIR, MF_NO_TYPE, MS_PRIVATE | MS_REC, NULL,
			      "mount --make-rprivate " NETNS_RUN_DIR) < 0) {
			rc = -1;
			break;
		}
		made = 1;
	}
	if (rc == 0) {
		snprintf(path, len, NETNS_RUN_DIR "/%s", name);
		fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
		msg_narrate(NULL, fd, "open(\"%s\", O_RDONLY|O_CREAT|O_EXCL, 0)", path);
		if (fd < 0)
			rc = -1;
		else
			close(fd);
	}
	int saved = errno;
	flock(lock, LOCK_UN);
	close(lock);
	errno = saved;
	return rc;
}

int keep_netns_name_ok(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..") &&
	       strlen(name) < NAME_MAX;
}

void keep_netns_undo(const char *path)
{
	int saved = errno;

	umount2(path, MNT_DETACH);
	unlink(path);
	errno = saved;
}

int keep_info(int fd, const char *tool, pid_t pid)
{
	char buf[1024], p[64];
	struct stat st;
	size_t o;
	int first = 1;

	o = (size_t)snprintf(buf, sizeof(buf), "{\"tool\": \"%s\", \"pid\": %d, \"namespaces\": {",
			     tool, (int)pid);
	for (int k = 0; k < PF_NSKINDS; k++) {
		snprintf(p, sizeof(p), "/proc/%d/ns/%s", (int)pid, pf_nskinds[k].name);
		if (stat(p, &st) < 0)
			continue;
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s\"%s\": %llu", first ? "" : ", ",
				      pf_nskinds[k].name, (unsigned long long)st.st_ino);
		first = 0;
	}
	o += (size_t)snprintf(buf + o, sizeof(buf) - o, "}}\n");
	for (size_t w = 0; w < o;) {
		ssize_t n = write(fd, buf + w, o - w);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		w += (size_t)n;
	}
	msg_narrate(NULL, 0, "write(%d, \"{\\\"tool\\\": \\\"%s\\\", \\\"pid\\\": %d, ...}\")",
		      fd, tool, (int)pid);
	return close(fd);
}

int keep_block(int fd)
{
	char c;
	ssize_t n;

	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	msg_narrate(NULL, (int)n, "read(%d, ..., 1): waited for --block-fd", fd);
	if (n < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

int keep_oldmnt(const struct opts *o)
{
	return o->keep ? open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC) : -1;
}

int keep_after(const struct opts *o, const char *nsfile, pid_t pid, int oldmnt, int what)
{
	char src[64];

	if ((what & KEEP_BIND) && o->keep) {
		if (!nsfile) {
			msg_say("--keep %s: %s makes no namespace to keep", o->keep, msg_prog);
			return -1;
		}
		snprintf(src, sizeof(src), "/proc/self/ns/%s", nsfile);
		if (keep_bind(src, o->keep, oldmnt) < 0) {
			msg_err("--keep %s: bind %s on it", o->keep, src);
			if (errno == ENOENT)
				msg_hint("the file must exist: touch it first (nslab creates nothing on the host)");
			else if (errno == EACCES || errno == EPERM)
				msg_hint("%s", KEEP_HINT_UNPRIVILEGED);
			return -1;
		}
	}
	if ((what & KEEP_INFO) && o->has_info && keep_info(o->info_fd, msg_prog, pid) < 0) {
		msg_err("--info-fd %d: write", o->info_fd);
		return -1;
	}
	if ((what & KEEP_BLOCK) && o->has_block && keep_block(o->block_fd) < 0) {
		msg_err("--block-fd %d: read", o->block_fd);
		return -1;
	}
	return 0;
}
