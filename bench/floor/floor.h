/* SPDX-License-Identifier: MIT */
/*
 * floor.h: the few steps the floor programs share, written as directly as
 * the kernel allows.  A floor program makes the system calls its tool must
 * make for the same result and nothing else: no option parsing, no
 * narration, no diagnosis.  It still checks every result (a branch costs
 * nothing next to a system call) and exits 125 when a step fails, so a
 * floor that silently did less work can never look fast.
 */
#ifndef FLOOR_H
#define FLOOR_H

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static inline void floor_die(const char *what)
{
	perror(what);
	exit(125);
}

/* open, one write, close: the kernel takes a map only in one write(2). */
static inline void floor_write(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		floor_die(path);
	close(fd);
}

/* "INSIDE OUTSIDE 1\n" for uid_map and gid_map, setgroups denied between. */
static inline void floor_maps(unsigned uin, unsigned uout, unsigned gin, unsigned gout)
{
	char buf[64];
	int n;

	n = snprintf(buf, sizeof(buf), "%u %u 1\n", uin, uout);
	floor_write("/proc/self/uid_map", buf, (size_t)n);
	floor_write("/proc/self/setgroups", "deny", 4);
	n = snprintf(buf, sizeof(buf), "%u %u 1\n", gin, gout);
	floor_write("/proc/self/gid_map", buf, (size_t)n);
}

/*
 * usernsselfmap's floor: unshare(FLAGS, with CLONE_NEWUSER); map root to
 * the caller's ids; setresgid(0); setresuid(0).
 */
static inline void floor_root(int flags, const char *what)
{
	unsigned uid = geteuid(), gid = getegid();

	if (unshare(flags) < 0)
		floor_die(what);
	floor_maps(0, uid, 0, gid);
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		floor_die("setresgid/setresuid");
}

static inline int floor_nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		floor_die("socket(AF_NETLINK)");
	return fd;
}

/* One request with NLM_F_ACK, one recv for its ack: two system calls. */
static inline void floor_nl_talk(int fd, struct nlmsghdr *req, const char *what)
{
	static unsigned seq;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char buf[1024];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	ssize_t n;

	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	req->nlmsg_seq = ++seq;
	if (sendto(fd, req, req->nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) != (ssize_t)req->nlmsg_len)
		floor_die(what);
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
	    h->nlmsg_type != NLMSG_ERROR || h->nlmsg_seq != seq)
		floor_die(what);
	if (((struct nlmsgerr *)NLMSG_DATA(h))->error) {
		errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
		floor_die(what);
	}
}

struct floor_link_req {
	struct nlmsghdr h;
	struct ifinfomsg i;
	char attrs[256];
};

/* Set a link up by index: RTM_NEWLINK with IFF_UP in flags and change. */
static inline void floor_link_up(int fd, int ifindex)
{
	struct floor_link_req r = {
		.h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		       .nlmsg_type = RTM_NEWLINK },
		.i = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex,
		       .ifi_flags = IFF_UP, .ifi_change = IFF_UP },
	};

	floor_nl_talk(fd, &r.h, "RTM_NEWLINK up");
}

/* In a new network namespace lo is always ifindex 1 (LOOPBACK_IFINDEX). */
static inline void floor_lo_up(void)
{
	int fd = floor_nl_open();

	floor_link_up(fd, 1);
	close(fd);
}

/*
 * nspid's floor: unshare(CLONE_NEWPID); fork; the parent waits and exits
 * with the child's status (128+N for a signal); the child, PID 1, sets its
 * death signal, makes a private mount namespace, mounts a fresh /proc and
 * returns.
 */
static inline void floor_pid1(void)
{
	pid_t pid;
	int status;

	if (unshare(CLONE_NEWPID) < 0)
		floor_die("unshare(CLONE_NEWPID)");
	pid = fork();
	if (pid < 0)
		floor_die("fork");
	if (pid > 0) {
		if (waitpid(pid, &status, 0) < 0)
			floor_die("waitpid");
		exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		floor_die("prctl(PR_SET_PDEATHSIG)");
	if (unshare(CLONE_NEWNS) < 0)
		floor_die("unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		floor_die("mount --make-rprivate /");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		floor_die("mount -t proc proc /proc");
}

/*
 * nsmount's floor: unshare(CLONE_NEWNS); every mount private, recursively,
 * before any mount; $HOME bound onto /root (recursive).
 */
static inline void floor_mount_home(void)
{
	const char *home = getenv("HOME");

	if (!home || !*home)
		floor_die("HOME");
	if (unshare(CLONE_NEWNS) < 0)
		floor_die("unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		floor_die("mount --make-rprivate /");
	if (mount(home, "/root", NULL, MS_BIND | MS_REC, NULL) < 0)
		floor_die("mount --rbind $HOME /root");
}

static inline void floor_exec(char *argv[])
{
	int err;

	if (!argv[0]) {
		fputs("usage: floor command [arg ...]\n", stderr);
		exit(125);
	}
	execvp(argv[0], argv);
	err = errno;
	perror(argv[0]);
	exit(err == ENOENT ? 127 : 126);	/* as the tools, and env(1) */
}

#endif
