/* SPDX-License-Identifier: MIT */
/*
 * outbound: start slirp4netns or pasta for the caller's new network
 * namespace, wait until it is ready, stop it with the caller.
 *
 * What each helper is told, checked against slirp4netns 1.2.0 (main.c,
 * slirp4netns.c) and pasta/passt 0.0~git20230309.7c7625d (Debian 12's,
 * its pasta(1)):
 *   slirp4netns --configure --mtu=65520 --ready-fd=N PID tap0
 *     --configure brings tap0 up with 10.0.2.100/24 and a default route
 *     via 10.0.2.2; it writes "1" to the ready fd once that is done.  It
 *     joins the user namespace of PID first where it may (nsenter()).
 *   pasta -f -q --config-net -4 -a 10.0.2.100 -n 24 -g 10.0.2.2
 *     --dns-forward 10.0.2.3 -I tap0 -t none -u none -T none -U none
 *     -P /proc/self/fd/N --netns /proc/self/fd/M --no-netns-quit [--runas 0:0]
 *     This pasta configures a PID or path target only with --config-net,
 *     forks to the background unless -f, writes the -P file once
 *     initialised, forwards ports between host and namespace by default
 *     ("auto": -t/-u/-T/-U none keep the host's ports untouched), and,
 *     started by root, changes to "nobody" unless --runas says otherwise
 *     (a user namespace's root whose map has no 65534 could not).  It
 *     keeps only a few capabilities before it opens the target, without
 *     CAP_SYS_PTRACE, so root's pasta may not open another root process's
 *     /proc/PID/ns files: it is handed the namespace as a descriptor we
 *     opened, and then, a path target, it does not join the owning user
 *     namespace, which we do not need.  It does not stop by itself for a
 *     PID target, nor for ours with --no-netns-quit (it would watch
 *     /proc/self/fd for the file's deletion): PR_SET_PDEATHSIG stops it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "lookup.h"
#include "mountflags.h"
#include "msg.h"
#include "outbound.h"
#include "step.h"

static const char *const names[] = { "slirp4netns", "pasta" };

int outbound_parse(const char *name, enum outbound_kind *kind)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0) {
			*kind = (enum outbound_kind)i;
			return 0;
		}
	errno = EINVAL;
	return -1;
}

const char *outbound_name(enum outbound_kind kind)
{
	return names[kind];
}

const char *outbound_tun_mode(char *buf, size_t len)
{
	struct stat st;
	char m[11] = "?---------";
	const char *rwx = "rwxrwxrwx";

	if (stat(OUTBOUND_TUN, &st) < 0)
		return NULL;
	m[0] = S_ISCHR(st.st_mode) ? 'c' : S_ISREG(st.st_mode) ? '-' : '?';
	for (int i = 0; i < 9; i++)
		if (st.st_mode & (0400u >> i))
			m[i + 1] = rwx[i];
	snprintf(buf, len, "%s %u:%u", m, (unsigned)st.st_uid, (unsigned)st.st_gid);
	return buf;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* /proc/PID/ns/TYPE opened for the helper to inherit, as /proc/self/fd/N into path. */
static int open_ns(pid_t pid, const char *type, char *path, size_t len)
{
	char p[64];
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/ns/%s", (int)pid, type);
	fd = open(p, O_RDONLY);	/* no O_CLOEXEC: the helper opens it by path */
	if (fd < 0)
		return -1;
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return 0;
}

/* Is pid's user namespace another than ours (nsnet -U made one)? */
static int other_userns(pid_t pid)
{
	char p[64];
	struct stat a, b;

	snprintf(p, sizeof(p), "/proc/%d/ns/user", (int)pid);
	return stat(p, &a) == 0 && stat("/proc/self/ns/user", &b) == 0 &&
	       (a.st_ino != b.st_ino || a.st_dev != b.st_dev);
}

/* In the helper's process: wait for the go, then become the helper. */
static void child(struct outbound *o, pid_t parent, int go_r, int ready_w)
{
	static char ready[32], netns[32], userns[32], pid[32], pidfile[32];
	char c;
	ssize_t n;
	int null;

	/* Tied to the caller, which becomes the command at its exec. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
		_exit(0);
	do
		n = read(go_r, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(0);	/* the caller failed before the go: nothing to do */
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null >= 0)
		dup2(null, 0);
	/* slirp4netns prints its settings on stdout: never into the command's. */
	if (o->log >= 0) {
		dup2(o->log, 1);
		dup2(o->log, 2);
	} else {
		dup2(2, 1);
	}
	if (fcntl(ready_w, F_SETFD, 0) < 0)
		_exit(126);
	snprintf(ready, sizeof(ready), "%d", ready_w);
	snprintf(pid, sizeof(pid), "%d", (int)parent);
	if (o->kind == OUTBOUND_SLIRP4NETNS) {
		char rfd[48];

		snprintf(rfd, sizeof(rfd), "--ready-fd=%s", ready);
		execl(o->path, "slirp4netns", "--configure", "--mtu=65520", rfd, pid,
		      OUTBOUND_IFNAME, (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (open_ns(parent, "net", netns, sizeof(netns)) < 0)
		_exit(126);
	snprintf(pidfile, sizeof(pidfile), "/proc/self/fd/%d", ready_w);
	{
		const char *argv[48] = { "pasta", "-f", "-q", "--config-net", "-4",
			"-a", OUTBOUND_ADDR, "-n", "24", "-g", OUTBOUND_GW,
			"--dns-forward", OUTBOUND_DNS, "-I", OUTBOUND_IFNAME,
			"-t", "none", "-u", "none", "-T", "none", "-U", "none",
			"-P", pidfile, "--netns", netns, "--no-netns-quit" };
		int k = 28;

		/* A namespace owned by the user namespace -U made: pasta joins that first. */
		if (other_userns(parent) && open_ns(parent, "user", userns, sizeof(userns)) == 0) {
			argv[k++] = "--userns";
			argv[k++] = userns;
		}
		if (geteuid() == 0) {
			argv[k++] = "--runas";
			argv[k++] = "0:0";
		}
		argv[k] = NULL;
		execv(o->path, (char *const *)argv);
	}
	_exit(errno == ENOENT ? 127 : 126);
}

int outbound_fork(struct outbound *o, enum outbound_kind kind, int verbose)
{
	int go[2], ready[2], tun, saved;
	pid_t parent = getpid();

	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->pid = -1;
	o->go = o->ready = o->log = -1;
	if (!lookup_command(names[kind], o->path, sizeof(o->path))) {
		o->path[0] = '\0';
		return -1;
	}
	/* The helper opens it as we would: fail here, before any namespace. */
	tun = open(OUTBOUND_TUN, O_RDWR | O_CLOEXEC);
	if (tun < 0) {
		o->tun_failed = 1;
		return -1;
	}
	close(tun);
	if (!verbose && (o->log = memfd_create("nslab-outbound", MFD_CLOEXEC)) < 0)
		return -1;
	if (pipe2(go, O_CLOEXEC) < 0)
		goto fail;
	if (pipe2(ready, O_CLOEXEC) < 0) {
		saved = errno;
		close(go[0]);
		close(go[1]);
		errno = saved;
		goto fail;
	}
	o->pid = fork();
	if (o->pid == 0)
		child(o, parent, go[0], ready[1]);
	saved = errno;
	close(go[0]);
	close(ready[1]);
	o->go = go[1];
	o->ready = ready[0];
	if (o->pid > 0)
		return 0;
	errno = saved;
fail:
	saved = errno;
	outbound_stop(o);
	errno = saved;
	return -1;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

int outbound_start(struct outbound *o, int timeout_ms, int *status)
{
	struct pollfd p = { .fd = o->ready, .events = POLLIN };
	long end = now_ms() + timeout_ms;
	char buf[64];
	ssize_t n = -1;
	int rc;

	*status = 0;
	if (write(o->go, "g", 1) != 1)
		return -1;
	close_fd(&o->go);
	for (;;) {
		long left = end - now_ms();

		rc = poll(&p, 1, left > 0 ? (int)left : 0);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			break;
		n = read(o->ready, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	if (n > 0)
		return 0;
	/* No word from it: silent too long, or gone (end of file). */
	if (rc == 0 || n < 0) {
		int err = rc == 0 ? ETIMEDOUT : errno;

		outbound_stop(o);
		errno = err;
		return -1;
	}
	for (int i = 0; i < 100; i++) {
		pid_t w = waitpid(o->pid, status, WNOHANG);

		if (w == o->pid || (w < 0 && errno != EINTR)) {
			o->pid = -1;
			break;
		}
		usleep(10000);
	}
	outbound_stop(o);
	errno = ECHILD;
	return -1;
}

const char *outbound_shell(const struct outbound *o, pid_t pid, char *buf, size_t len)
{
	if (o->kind == OUTBOUND_SLIRP4NETNS)
		snprintf(buf, len, "slirp4netns --configure --mtu=65520 %d %s &", (int)pid,
			 OUTBOUND_IFNAME);
	else
		snprintf(buf, len, "pasta -f -q --config-net -4 -a %s -n 24 -g %s --dns-forward %s"
			 " -I %s -t none -u none -T none -U none --netns /proc/self/fd/3"
			 " --no-netns-quit%s 3</proc/%d/ns/net &", OUTBOUND_ADDR, OUTBOUND_GW,
			 OUTBOUND_DNS, OUTBOUND_IFNAME, geteuid() == 0 ? " --runas 0:0" : "",
			 (int)pid);
	return buf;
}

const char *outbound_said(const struct outbound *o, char *buf, size_t len)
{
	char all[4096];
	off_t size;
	ssize_t n;
	char *end, *start;

	if (o->log < 0 || len == 0 || (size = lseek(o->log, 0, SEEK_END)) <= 0)
		return NULL;
	n = pread(o->log, all, sizeof(all) - 1,
		  size > (off_t)sizeof(all) - 1 ? size - (off_t)sizeof(all) + 1 : 0);
	if (n <= 0)
		return NULL;
	all[n] = '\0';
	end = all + n;
	while (end > all && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	if (end == all)
		return NULL;
	start = strrchr(all, '\n');
	snprintf(buf, len, "%s", start ? start + 1 : all);
	return buf;
}

void outbound_stop(struct outbound *o)
{
	close_fd(&o->go);
	close_fd(&o->ready);
	if (o->pid > 0) {
		kill(o->pid, SIGTERM);
		while (waitpid(o->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	o->pid = -1;
}

void outbound_detach(struct outbound *o)
{
	close_fd(&o->go);
	close_fd(&o->ready);
	close_fd(&o->log);
}

int outbound_resolv(const char **what)
{
	static const char file[] = "/tmp/resolv.conf";
	ssize_t len = (ssize_t)strlen(OUTBOUND_RESOLV);
	int fd, rc, err, u;

	*what = "mount tmpfs on /tmp";
	if (step_mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755",
		      "mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs /tmp") < 0)
		return -1;
	*what = "write /tmp/resolv.conf";
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	rc = fd < 0 ? -1 : write(fd, OUTBOUND_RESOLV, (size_t)len) == len ? 0 : -1;
	err = errno;
	if (fd >= 0 && close(fd) < 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	errno = err;
	msg_narrate("echo 'nameserver " OUTBOUND_DNS "' > /tmp/resolv.conf", rc,
		      "write(\"%s\", \"nameserver %s\\n\")", file, OUTBOUND_DNS);
	if (rc == 0) {
		*what = "bind /tmp/resolv.conf on /etc/resolv.conf";
		rc = step_mount(file, "/etc/resolv.conf", MF_NO_TYPE, MS_BIND, NULL,
			       "mount --bind /tmp/resolv.conf /etc/resolv.conf");
	}
	/* The bind holds the file: the tmpfs goes from /tmp, failed or not. */
	err = errno;
	u = umount2("/tmp", MNT_DETACH);
	msg_narrate("umount -l /tmp", u, "umount2(\"/tmp\", MNT_DETACH)");
	if (u < 0 && rc == 0) {
		*what = "umount -l /tmp";
		err = errno;
		rc = -1;
	}
	errno = err;
	return rc;
}

int outbound_step_fork(struct outbound *o, enum outbound_kind kind)
{
	const char *name = outbound_name(kind);
	char mode[64];

	if (outbound_fork(o, kind, msg_verbose()) == 0)
		return 0;
	if (!o->path[0]) {
		msg_say("--outbound %s: %s: not found in PATH", name, name);
		msg_hint("Debian and Ubuntu have it in the package %s",
			 kind == OUTBOUND_PASTA ? "passt" : "slirp4netns");
	} else if (o->tun_failed) {
		msg_err("--outbound %s: open %s", name, OUTBOUND_TUN);
		if (outbound_tun_mode(mode, sizeof(mode)))
			msg_hint("%s is %s (stat): %s needs it to make its tap device, and only"
				 " those the mode lets may open it", OUTBOUND_TUN, mode, name);
	} else {
		msg_err("--outbound %s: start the helper", name);
	}
	return -1;
}

int outbound_step_start(struct outbound *o)
{
	static char sh[1024];
	char said[256];
	const char *name = outbound_name(o->kind);
	int status, rc = outbound_start(o, 10000, &status);

	msg_narrate(outbound_shell(o, getpid(), sh, sizeof(sh)), rc,
		    "fork(), execv(\"%s\", ...), ready", o->path);
	if (rc == 0)
		return 0;
	if (errno == ECHILD && WIFEXITED(status))
		msg_say("--outbound %s: the helper exited with status %d before it was ready",
			name, WEXITSTATUS(status));
	else if (errno == ECHILD)
		msg_say("--outbound %s: the helper was killed by signal %d before it was ready",
			name, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	else
		msg_err("--outbound %s: waiting for the helper", name);
	if (outbound_said(o, said, sizeof(said)))
		msg_say("%s says: %s", name, said);
	return -1;
}

int outbound_step_resolv(void)
{
	const char *what;

	if (outbound_resolv(&what) == 0)
		return 0;
	msg_fail(DIAG_MOUNT, CLONE_NEWNS, "--outbound: %s", what);
	return -1;
}
