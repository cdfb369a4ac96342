/* SPDX-License-Identifier: MIT */
/*
 * diag: error lines and the diagnosis of why a namespace step failed.
 * Every hint is backed by something read from /proc, never by a guess;
 * a file such as /.dockerenv is mentioned as context, never as proof.
 */
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "diag.h"
#include "procfs.h"

#define CAP_SYS_ADMIN_BIT 21
#define CAP_NET_ADMIN_BIT 12

static const char *root = "";

void diag_set_root(const char *r)
{
	root = r ? r : "";
}

/* Read a small file below root into buf; -1 when it cannot be read. */
static int slurp(const char *path, char *buf, size_t len)
{
	char full[4096];
	ssize_t n = 0;
	size_t got;
	int fd;

	snprintf(full, sizeof(full), "%s%s", root, path);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* A /proc seq file gives at most a page per read(2): read to EOF. */
	for (got = 0; got < len - 1; got += (size_t)n) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			break;
	}
	close(fd);
	if (n < 0)
		return -1;
	buf[got] = '\0';
	return (int)got;
}

/* An integer sysctl, or -1 when the file is absent (the kernel lacks it). */
static long sysctl_long(const char *path)
{
	char buf[64], *end;
	long v;

	if (slurp(path, buf, sizeof(buf)) < 0)
		return -1;
	v = strtol(buf, &end, 10);
	return end == buf ? -1 : v;
}

/* A field of /proc/self/status, as text. */
static int status_field(const char *name, char *out, size_t len)
{
	char buf[8192], *p;
	size_t n = strlen(name);

	if (slurp("/proc/self/status", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			p += strspn(p, " \t");
			snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
			return 0;
		}
	}
	return -1;
}

static long status_long(const char *name)
{
	char v[64];

	return status_field(name, v, sizeof(v)) < 0 ? -1 : strtol(v, NULL, 10);
}

/* The effective uid as /proc says it (so a test root can fake it too). */
static long status_euid(void)
{
	char v[128];
	long r, e;

	if (status_field("Uid", v, sizeof(v)) < 0 ||
	    sscanf(v, "%ld %ld", &r, &e) != 2)
		return (long)geteuid();
	return e;
}

static int has_cap(int bit)
{
	char v[64];

	if (status_field("CapEff", v, sizeof(v)) < 0)
		return -1;
	return (int)((strtoull(v, NULL, 16) >> bit) & 1);
}

/* In the initial user namespace, uid_map is "0 0 4294967295". */
static int in_initial_userns(void)
{
	char buf[256], *nl;
	unsigned a, b, c;

	if (slurp("/proc/self/uid_map", buf, sizeof(buf)) < 0)
		return -1;
	nl = strchr(buf, '\n');
	return sscanf(buf, "%u %u %u", &a, &b, &c) == 3 && a == 0 && b == 0 &&
	       c == 4294967295u && (!nl || nl[1] == '\0');
}

/* A chroot hides the mount of "/" from /proc/self/mountinfo. */
static int in_chroot(void)
{
	char buf[65536], *line;

	if (slurp("/proc/self/mountinfo", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char mnt[4096];

		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 &&
		    strcmp(mnt, "/") == 0)
			return 0;
	}
	return 1;
}

void diag_add_hint(struct diag_hints *h, const char *fmt, ...)
{
	va_list ap;

	if (h->n >= DIAG_MAX_HINTS)
		return;
	va_start(ap, fmt);
	vsnprintf(h->line[h->n++], DIAG_HINT_LEN, fmt, ap);
	va_end(ap);
}

const char *diag_nsflags_str(int nsflags, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < PF_NSKINDS; i++)
		if ((nsflags & pf_nskinds[i].flag) && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
						off ? "|" : "", pf_nskinds[i].clone);
	return buf;
}

static void explain_seccomp(struct diag_hints *h)
{
	char path[64];

	if (status_long("Seccomp") != 2)
		return;
	diag_add_hint(h, "a seccomp filter blocks namespace creation (Seccomp: 2 in /proc/self/status);");
	/* A filter may only be installed without privilege after no_new_privs. */
	if (status_long("NoNewPrivs") == 1)
		diag_add_hint(h, "NoNewPrivs: 1 as well: it may have been installed without privilege (systemd's RestrictNamespaces=, a sandbox such as bubblewrap or Flatpak);");
	snprintf(path, sizeof(path), "%s/.dockerenv", root);
	if (access(path, F_OK) == 0)
		diag_add_hint(h, "this looks like Docker (/.dockerenv), whose default profile does this; see nslab(7), WHY IT FAILS");
	else
		diag_add_hint(h, "inside Docker the default profile does this; see nslab(7), WHY IT FAILS");
}

/*
 * Why a step that needs a capability here (CAP_SYS_ADMIN, CAP_NET_ADMIN) got
 * EPERM.  `what` names the step, `alt` is a second way out or "".
 */
static void explain_no_cap(struct diag_hints *h, int bit, const char *what,
			   const char *alt)
{
	const char *cap = bit == CAP_NET_ADMIN_BIT ? "CAP_NET_ADMIN" : "CAP_SYS_ADMIN";
	long uid = status_euid();

	if (has_cap(bit) != 0)
		return;
	if (in_initial_userns() == 0 && uid != 0)
		diag_add_hint(h, "uid %ld is not 0 inside this user namespace: capabilities were dropped at exec; map yourself to root (usernsselfmap without -k)", uid);
	else if (in_initial_userns() == 0)
		diag_add_hint(h, "%s needs %s, which this process lacks in its user namespace", what, cap);
	else
		diag_add_hint(h, "%s needs %s, which you do not have: run it under usernsselfmap%s", what, cap, alt);
}

static void explain_unshare(struct diag_hints *h, int nsflags, int err)
{
	long v;
	char path[128];

	switch (err) {
	case EPERM:
		explain_seccomp(h);
		if (nsflags & CLONE_NEWUSER) {
			if (in_chroot() == 1)
				diag_add_hint(h, "the caller is in a chroot (no mount of / in /proc/self/mountinfo); the kernel refuses CLONE_NEWUSER there");
			v = sysctl_long("/proc/sys/kernel/unprivileged_userns_clone");
			if (v == 0 && status_euid() != 0)
				diag_add_hint(h, "unprivileged user namespaces are disabled: kernel.unprivileged_userns_clone is 0");
		}
		/* With CLONE_NEWUSER in the same call, the new user namespace owns
		 * the others and gives the capability: it is not the cause. */
		if ((nsflags & ~CLONE_NEWUSER) && !(nsflags & CLONE_NEWUSER))
			explain_no_cap(h, CAP_SYS_ADMIN_BIT, "creating this namespace",
				       nsflags & CLONE_NEWNET ? ", or use nsnet -U" : "");
		break;
	case ENOSPC:
	case EUSERS:
		for (int i = 0; i < PF_NSKINDS; i++) {
			const char *kind = pf_nskinds[i].name;

			if (!(nsflags & pf_nskinds[i].flag))
				continue;
			snprintf(path, sizeof(path), "/proc/sys/user/max_%s_namespaces",
				 kind);
			v = sysctl_long(path);
			if (v == 0)
				diag_add_hint(h, "user.max_%s_namespaces is 0 here: %s namespaces are disabled", kind, kind);
			else if (v > 0)
				diag_add_hint(h, "the limit user.max_%s_namespaces (%ld here) or that of an enclosing user namespace is reached, or user namespaces are nested 32 deep", kind, v);
		}
		break;
	case EINVAL:
		if ((nsflags & CLONE_NEWUSER) && status_long("Threads") > 1)
			diag_add_hint(h, "the caller has %ld threads; CLONE_NEWUSER needs a single-threaded process", status_long("Threads"));
		break;
	case ENOMEM:
		diag_add_hint(h, "the kernel is out of memory, or the caller's user namespace is nested too deep");
		break;
	}
}

static void explain_map(struct diag_hints *h, enum diag_op op, int err)
{
	char buf[64];

	if (err != EPERM)
		return;
	if (sysctl_long("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
		diag_add_hint(h, "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns is 1): the namespace was created without capabilities");
	if (op == DIAG_GID_MAP && slurp("/proc/self/setgroups", buf, sizeof(buf)) > 0 &&
	    strncmp(buf, "allow", 5) == 0)
		diag_add_hint(h, "setgroups is 'allow': an unprivileged writer must write 'deny' to /proc/PID/setgroups before gid_map (setgroups allow needs CAP_SETGID in the parent namespace)");
	diag_add_hint(h, "without CAP_SETUID/CAP_SETGID in the parent namespace only one line mapping your own id may be written; ranges need newuidmap(1) and /etc/subuid");
}

enum diag_op diag_idmap_op(enum idmap_step s)
{
	return s == IDMAP_STEP_UID ? DIAG_UID_MAP :
	       s == IDMAP_STEP_GID ? DIAG_GID_MAP : DIAG_SETGROUPS;
}

int diag_explain(enum diag_op op, int nsflags, int err, struct diag_hints *out)
{
	out->n = 0;
	switch (op) {
	case DIAG_UNSHARE:
		explain_unshare(out, nsflags, err);
		break;
	case DIAG_SETNS:
		if (err == EPERM) {
			explain_seccomp(out);
			explain_no_cap(out, CAP_SYS_ADMIN_BIT, "joining a namespace", "");
		}
		break;
	case DIAG_UID_MAP:
	case DIAG_GID_MAP:
	case DIAG_SETGROUPS:
		explain_map(out, op, err);
		break;
	case DIAG_SETID:
		if (err == EINVAL)
			diag_add_hint(out, "the id is not mapped in the new user namespace");
		break;
	case DIAG_MOUNT:
		if (err == EPERM && has_cap(CAP_SYS_ADMIN_BIT) == 1)
			diag_add_hint(out, "the mount's nosuid/nodev/noexec/atime flags are locked (it came from a more privileged mount namespace): a remount must keep them");
		else if (err == EPERM)
			explain_no_cap(out, CAP_SYS_ADMIN_BIT, "mounting", "");
		else if (err == EINVAL && in_chroot() == 1)
			diag_add_hint(out, "the caller is in a chroot (no mount of / in /proc/self/mountinfo): / is not a mount point here, so its propagation cannot be changed");
		else if (err == EINVAL)
			diag_add_hint(out, "the mount is locked: mounts inherited from a more privileged namespace keep their flags and submounts; bind recursively, or keep nosuid/nodev/noexec");
		break;
	case DIAG_NETLINK:
		if (err == EPERM)
			explain_no_cap(out, CAP_NET_ADMIN_BIT, "changing links", ", or use nsnet -U");
		else if (err == ENODEV)
			diag_add_hint(out, "no interface of that name here: a new network namespace holds only lo and the veth ends made in it (ip link lists them)");
		break;
	}
	return out->n;
}

/*
 * Every message is one line whatever the user typed: a newline or escape
 * in an argument is shown as '?', never passed to the terminal.
 */
static void vmsg(const char *prefix, const char *fmt, va_list ap, const char *tail)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fprintf(stderr, "%s: %s%s%s%s\n", chain_prog, prefix, msg,
		tail ? ": " : "", tail ? tail : "");
}

void diag_err(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void diag_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap, NULL);
	va_end(ap);
}

void diag_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("hint: ", fmt, ap, NULL);
	va_end(ap);
}

void diag_getopt_error(int c, char *const argv[])
{
	/*
	 * getopt_long has moved optind past the faulty word, unless it is in
	 * the middle of a bundle such as "-zk", whose word is argv[optind].
	 */
	const char *cur = argv[optind], *word = optind > 0 ? argv[optind - 1] : "?";
	char opt[64];

	if (optopt > 0 && optopt < 128 && cur && cur[0] == '-' && cur[1] &&
	    cur[1] != '-' && strchr(cur + 1, optopt))
		word = cur;
	/* A long option is named as typed (without "=value"); optopt then
	 * holds its code, which is no character at all. */
	if (strncmp(word, "--", 2) == 0)
		snprintf(opt, sizeof(opt), "%.*s", (int)strcspn(word, "="), word);
	else
		snprintf(opt, sizeof(opt), "-%c", optopt);
	if (c == ':')
		diag_msg("option '%s' needs an argument (see '%s --help')", opt, chain_prog);
	else if (strncmp(word, "--", 2) == 0 && strchr(word, '=') && optopt)
		diag_msg("option '%s' takes no argument (see '%s --help')", opt, chain_prog);
	else
		diag_msg("unknown option '%s' (see '%s --help')", opt, chain_prog);
}

void diag_fail(enum diag_op op, int nsflags, const char *fmt, ...)
{
	int saved = errno;
	struct diag_hints h;
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap, strerror(saved));
	va_end(ap);
	diag_explain(op, nsflags, saved, &h);
	for (int i = 0; i < h.n; i++)
		diag_hint("%s", h.line[i]);
	errno = saved;
}
