/* SPDX-License-Identifier: MIT */
/*
 * diag: the diagnosis of why a namespace step failed, as hint lines that
 * lib/msg prints.
 * Every hint is backed by something read from /proc, never by a guess;
 * a file such as /.dockerenv is mentioned as context, never as proof.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/capability.h>

#include "diag.h"
#include "mountinfo.h"
#include "proc.h"


/* What a sysctl under /proc/sys/user holds in a new user namespace. */
#define UCOUNT_NEW_NS 2147483647L

static const char *root = "";

void diag_set_root(const char *r)
{
	root = r ? r : "";
}

/*
 * Read a small file below root into buf; -1 when it cannot be read, or
 * when it does not fit (a cut file would be read as a different one).
 * Static buffers, as the files read below can be 16 KiB: lib/ is
 * single-threaded.
 */
static int slurp(const char *path, char *buf, size_t len)
{
	static char full[PATH_MAX];
	ssize_t n;

	if ((size_t)snprintf(full, sizeof(full), "%s%s", root, path) >= sizeof(full))
		return -1;
	n = pr_read(AT_FDCWD, full, buf, len);
	/* A full buffer may be a cut file, which would read as another one. */
	if (n < 0 || (size_t)n >= len - 1)
		return -1;
	return (int)n;
}

/* [s, s+len) without the blanks around it. */
static void trim(const char **s, size_t *len)
{
	while (*len && strchr(" \t\n", **s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && strchr(" \t\n", (*s)[*len - 1]))
		(*len)--;
}

/*
 * The n-th blank-separated decimal field of [s, s+len) (0-based), parsed
 * with lib/proc's strict parser.  -1 when absent or not a number.
 */
static long long field_u64(const char *s, size_t len, int n)
{
	uint64_t v;
	size_t i = 0, start;

	for (int f = 0;; f++) {
		while (i < len && strchr(" \t\n", s[i]))
			i++;
		start = i;
		while (i < len && !strchr(" \t\n", s[i]))
			i++;
		if (start == i)
			return -1;
		if (f == n)
			break;
	}
	if (pf_parse_u64(s + start, i - start, &v) < 0 || v > INT64_MAX)
		return -1;
	return (long long)v;
}

/* An integer sysctl, or -1 when the file is absent (the kernel lacks it). */
static long sysctl_long(const char *path)
{
	char buf[64];
	int n = slurp(path, buf, sizeof(buf));
	const char *s = buf;
	size_t len = n < 0 ? 0 : (size_t)n;
	uint64_t v;

	trim(&s, &len);
	if (n < 0 || pf_parse_u64(s, len, &v) < 0 || v > LONG_MAX)
		return -1;
	return (long)v;
}

/* /proc/self/status, read afresh for each field asked (it is small). */
static const char *status_text(size_t *len)
{
	static char buf[16384];
	int n = slurp("/proc/self/status", buf, sizeof(buf));

	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return buf;
}

/* Field number `n` of a status line such as "Uid:", or -1. */
static long long status_num(const char *name, int n)
{
	const char *buf, *v;
	size_t len, vlen;

	if (!(buf = status_text(&len)) || pf_status_field(buf, len, name, &v, &vlen) < 0)
		return -1;
	return field_u64(v, vlen, n);
}

static long status_long(const char *name)
{
	return (long)status_num(name, 0);
}

/* The effective uid as /proc says it (so a test root can fake it too). */
static long status_euid(void)
{
	long long e = status_num("Uid", 1);

	return e < 0 ? (long)geteuid() : (long)e;
}

static int has_cap(int cap)
{
	const char *buf;
	size_t len;

	return (buf = status_text(&len)) ? pf_status_has_cap(buf, len, cap) : -1;
}

/*
 * The one line of /proc/self/uid_map when it has exactly one: 1, with
 * its three numbers in e[]; 0 for more lines; -1 when unreadable.
 */
static int uid_map_line(long long e[3])
{
	/* Up to 340 lines of three numbers (user_namespaces(7)). */
	static char buf[16384];
	const char *s = buf, *nl;
	int n = slurp("/proc/self/uid_map", buf, sizeof(buf));
	size_t len;

	if (n < 0)
		return -1;
	len = (size_t)n;
	trim(&s, &len);
	if ((nl = memchr(s, '\n', len)))
		return 0;
	for (int i = 0; i < 3; i++)
		if ((e[i] = field_u64(s, len, i)) < 0)
			return -1;
	return field_u64(s, len, 3) < 0 ? 1 : -1;
}

/* In the initial user namespace, uid_map is "0 0 4294967295". */
static int in_initial_userns(void)
{
	long long e[3];
	int r = uid_map_line(e);

	if (r < 0)
		return -1;
	return r == 1 && e[0] == 0 && e[1] == 0 && e[2] == 4294967295LL;
}

/* Does this user namespace map our uid, and only it, to itself? */
static int maps_uid_to_itself(long uid)
{
	long long e[3];

	return uid_map_line(e) == 1 && e[0] == uid && e[1] == uid && e[2] == 1;
}

/*
 * Whether `id` as /proc/self/status shows it lies in the inside range of a
 * line of `map` (/proc/self/uid_map or gid_map): 1 yes, 0 no (an empty
 * map maps nothing), -1 unreadable.  An id with no mapping reads as the
 * overflow id, 65534, which the test below then finds unmapped too.
 */
static int id_mapped(const char *map, long long id)
{
	static char buf[16384];
	const char *s = buf, *nl;
	int n = slurp(map, buf, sizeof(buf));
	size_t left;

	if (n < 0 || id < 0)
		return -1;
	for (left = (size_t)n; left; left -= (size_t)(nl - s), s = nl) {
		size_t len = (nl = memchr(s, '\n', left)) ? (size_t)(nl - s) : left;
		long long in = field_u64(s, len, 0), count = field_u64(s, len, 2);

		nl = nl ? nl + 1 : s + left;
		if (in >= 0 && count >= 0 && id >= in && id - in < count)
			return 1;
	}
	return 0;
}

/*
 * How sure we are that the caller is in a chroot, from what an
 * unprivileged process can read; the hint's words carry the certainty.
 */
enum chroot_evidence { CHROOT_NONE, CHROOT_LIKELY, CHROOT_SURE };

static enum chroot_evidence chroot_evidence(char *why, size_t len)
{
	static char path[PATH_MAX];
	struct mi_table self, init;
	struct stat r1, r;
	const struct mi_entry *top = NULL;
	enum chroot_evidence ev = CHROOT_NONE;

	snprintf(path, sizeof(path), "%s/proc/self/mountinfo", root);
	if (mi_read(path, &self) < 0)
		return CHROOT_NONE;
	/* The mount at / that nothing covers: our root's. */
	for (size_t i = 0; i < self.n; i++) {
		int covered = 0;

		if (strcmp(self.e[i].target, "/") != 0)
			continue;
		for (size_t j = 0; j < self.n; j++)
			covered |= self.e[j].parent == self.e[i].id &&
				   strcmp(self.e[j].target, "/") == 0 && j != i;
		if (!covered)
			top = &self.e[i];
	}
	if (!top) {
		/* The root of a mount namespace is always a mount's root. */
		snprintf(why, len, "no mount of / in /proc/self/mountinfo");
		ev = CHROOT_SURE;
		goto out;
	}
	/* PID 1, where we may look at it, sees the same mount elsewhere. */
	snprintf(path, sizeof(path), "%s/proc/1/mountinfo", root);
	if (mi_read(path, &init) == 0) {
		int i = mi_find(&init, top->id);

		if (i >= 0 && strcmp(init.e[i].target, "/") != 0) {
			snprintf(why, len, "the mount at / here is mount %d, which PID 1 has at %.200s (/proc/1/mountinfo)",
				 top->id, init.e[i].target);
			ev = CHROOT_SURE;
		}
		mi_free(&init);
		if (ev)
			goto out;
	}
	/* Where we may look at PID 1 (ptrace rules), and it shares our mount
	 * namespace, its root directory is that namespace's root. */
	snprintf(path, sizeof(path), "%s/proc/1/ns/mnt", root);
	if (stat(path, &r1) < 0)
		goto bound;
	snprintf(path, sizeof(path), "%s/proc/self/ns/mnt", root);
	if (stat(path, &r) < 0 || r.st_ino != r1.st_ino || r.st_dev != r1.st_dev)
		goto bound;
	snprintf(path, sizeof(path), "%s/proc/1/root/", root);
	if (stat(path, &r1) == 0 && stat(*root ? root : "/", &r) == 0 &&
	    (r1.st_dev != r.st_dev || r1.st_ino != r.st_ino)) {
		snprintf(why, len, "/ is not the root directory of PID 1, in the same mount namespace (/proc/1/root)");
		ev = CHROOT_SURE;
		goto out;
	}
bound:
	/* A directory bound onto itself, then chrooted into (arch-chroot). */
	if (strcmp(top->root, "/") != 0) {
		snprintf(why, len, "the mount at / is the directory %.200s of its file system (root field in /proc/self/mountinfo)",
			 top->root);
		ev = CHROOT_LIKELY;
	}
out:
	mi_free(&self);
	return ev;
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

/*
 * A filter refusing namespaces, and who may have installed it, ranked by
 * what /proc shows.  NoNewPrivs: 1 is evidence of a filter installed
 * without privilege (systemd, bubblewrap, Flatpak); Docker installs its
 * own with privilege and leaves NoNewPrivs 0.  /.dockerenv is context and
 * is said to be no more: anyone can create it, and some machines carry
 * one without being Docker.
 */
static void explain_seccomp(struct diag_hints *h)
{
	static char path[PATH_MAX];
	int nnp = status_long("NoNewPrivs") == 1, dockerenv;

	if (status_long("Seccomp") != 2)
		return;
	diag_add_hint(h, "a seccomp filter blocks namespace creation (Seccomp: 2 in /proc/self/status);");
	snprintf(path, sizeof(path), "%s/.dockerenv", root);
	dockerenv = access(path, F_OK) == 0;
	if (nnp)
		diag_add_hint(h, "NoNewPrivs: 1 as well: it may have been installed without privilege (systemd's RestrictNamespaces=, a sandbox such as bubblewrap or Flatpak);");
	if (nnp && dockerenv)
		diag_add_hint(h, "/.dockerenv exists, but Docker leaves NoNewPrivs 0 unless run with no-new-privileges: the file alone proves nothing; see nslab(7), WHY IT FAILS");
	else if (dockerenv)
		diag_add_hint(h, "/.dockerenv exists and NoNewPrivs is 0, as under Docker, whose default profile does this (the file is a hint, not proof); see nslab(7), WHY IT FAILS");
	else if (nnp)
		diag_add_hint(h, "see nslab(7), WHY IT FAILS");
	else
		diag_add_hint(h, "container runtimes' default profiles (Docker's, Podman's) do this; see nslab(7), WHY IT FAILS");
}

/*
 * AppArmor's restriction (kernel.apparmor_restrict_unprivileged_userns=1,
 * Ubuntu 23.10 and later): a program no profile allows may still create a
 * user namespace, but AppArmor then confines it to the unprivileged_userns
 * profile, which denies every capability there.  So the map write fails
 * (EPERM; EACCES where the file itself is refused), or a later step fails
 * while CapEff still lists the capability.  Evidence, strongest first: the
 * process's label (/proc/self/attr/apparmor/current since Linux 5.8, else
 * /proc/self/attr/current in AppArmor's "NAME (MODE)" form only: SELinux
 * keeps its context there), then the sysctl.  A label that reads
 * "unconfined" says AppArmor moved nothing: not its doing.
 */
enum aa_evidence { AA_NONE, AA_SYSCTL, AA_PROFILE, AA_CONFINED };

static enum aa_evidence apparmor_evidence(char *label, size_t len, const char **file)
{
	static char buf[512];
	const char *s = buf;
	size_t n;
	int r, on = sysctl_long("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1;

	label[0] = '\0';
	*file = "/proc/self/attr/apparmor/current";
	if ((r = slurp(*file, buf, sizeof(buf))) <= 0) {
		*file = "/proc/self/attr/current";
		r = slurp(*file, buf, sizeof(buf));
	}
	n = r < 0 ? 0 : (size_t)r;
	while (n && buf[n - 1] == '\0')
		n--;
	trim(&s, &n);
	/* AppArmor's form: "unconfined", or "NAME (MODE)". */
	if (n == 0 || n >= len || memchr(s, '\n', n) ||
	    !((n == 10 && memcmp(s, "unconfined", 10) == 0) || s[n - 1] == ')'))
		return on ? AA_SYSCTL : AA_NONE;
	memcpy(label, s, n);
	label[n] = '\0';
	if (strncmp(label, "unprivileged_userns ", 20) == 0)
		return AA_CONFINED;
	if (strcmp(label, "unconfined") == 0)
		return AA_NONE;
	return on ? AA_PROFILE : AA_NONE;
}

/*
 * The AppArmor hints, as sure as the evidence, and the fixes: a profile
 * for the one program, or the sysctl for all.  `refused` says what was
 * refused, and why that points at AppArmor.  Returns the evidence.
 */
static enum aa_evidence explain_apparmor(struct diag_hints *h, const char *refused)
{
	char label[256];
	const char *file;
	enum aa_evidence ev = apparmor_evidence(label, sizeof(label), &file);

	switch (ev) {
	case AA_NONE:
		return ev;
	case AA_CONFINED:
		diag_add_hint(h, "%s: AppArmor confined this process to its unprivileged_userns profile when it made the user namespace (%s reads '%s'), and that profile denies the namespace's capabilities",
			      refused, file, label);
		break;
	case AA_PROFILE:
		diag_add_hint(h, "%s: this process runs under the AppArmor profile '%s' (%s) and kernel.apparmor_restrict_unprivileged_userns is 1: a profile without a 'userns,' rule gets no capabilities in a user namespace it makes",
			      refused, label, file);
		break;
	case AA_SYSCTL:
		diag_add_hint(h, "%s: AppArmor may have confined the namespace (kernel.apparmor_restrict_unprivileged_userns is 1): a program no profile allows gets no capabilities in a user namespace it makes",
			      refused);
		break;
	}
	diag_add_hint(h, "for one program, an AppArmor profile for it with a 'userns,' rule lifts this; for all, sysctl kernel.apparmor_restrict_unprivileged_userns=0; see nslab(7), WHY IT FAILS");
	if (sysctl_long("/proc/sys/kernel/apparmor_restrict_unprivileged_unconfined") == 1)
		diag_add_hint(h, "kernel.apparmor_restrict_unprivileged_unconfined is 1 too: an unconfined shell cannot aa-exec into a profile that allows userns; the profile must attach to the program's path");
	return ev;
}

/*
 * Why a step that needs a capability here (CAP_SYS_ADMIN, CAP_NET_ADMIN) got
 * EPERM.  `what` names the step, `alt` is a second way out or "".  With the
 * capability in CapEff, something other than capabilities refused it:
 * AppArmor, where there is evidence of it.
 */
static void explain_no_cap(struct diag_hints *h, int cap, const char *what,
			   const char *alt)
{
	const char *name = cap == CAP_NET_ADMIN ? "CAP_NET_ADMIN" : "CAP_SYS_ADMIN";
	long uid = status_euid();
	int initial = in_initial_userns();
	char refused[256];

	if (has_cap(cap) == 1) {
		snprintf(refused, sizeof(refused), "%s was refused although CapEff lists %s", what, name);
		explain_apparmor(h, refused);
	}
	if (has_cap(cap) != 0)
		return;
	/* execve(2) clears the capabilities of a non-zero uid (capabilities(7)). */
	if (initial == 0 && uid != 0)
		diag_add_hint(h, "uid %ld is not 0 inside this user namespace: capabilities were dropped at exec%s; start the chain with usernsselfmap, which maps you to root",
			      uid, maps_uid_to_itself(uid) ? " (its uid_map maps it to itself)" : "");
	else if (initial == 0)
		diag_add_hint(h, "%s needs %s, which this process lacks in its user namespace", what, name);
	else
		diag_add_hint(h, "%s needs %s, which you do not have: run it under usernsselfmap%s", what, name, alt);
}

/*
 * A chroot, said as sure as the evidence.  `likely` is 0 where another
 * cause was seen for certain: a / mount whose root is a directory is also
 * what a btrfs subvolume looks like, and would only lead away from it.
 */
static void explain_chroot(struct diag_hints *h, const char *refused, int likely)
{
	char why[512];

	switch (chroot_evidence(why, sizeof(why))) {
	case CHROOT_SURE:
		diag_add_hint(h, "the caller is in a chroot (%s); %s", why, refused);
		break;
	case CHROOT_LIKELY:
		if (likely)
			diag_add_hint(h, "%s: a chroot into a directory bound onto itself (as arch-chroot makes) looks like this, and %s",
				      why, refused);
		break;
	case CHROOT_NONE:
		break;
	}
}

/*
 * ENOSPC: a limit is reached.  Each kind asked for has its limit here and
 * in every enclosing user namespace; from inside, only ours can be read,
 * and a new user namespace starts at 2147483647, so a limit still at that
 * value was reached further out.
 */
static void explain_limits(struct diag_hints *h, int nsflags)
{
	static char path[128], far[512];
	size_t off = 0;
	int initial = in_initial_userns(), nfar = 0, zero = 0;

	far[0] = '\0';
	for (int i = 0; i < PF_NSKINDS; i++) {
		const char *kind = pf_nskinds[i].name;
		long v;

		if (!(nsflags & pf_nskinds[i].flag))
			continue;
		snprintf(path, sizeof(path), "/proc/sys/user/max_%s_namespaces", kind);
		v = sysctl_long(path);
		if (v == 0 && ++zero)
			diag_add_hint(h, "user.max_%s_namespaces is 0 here: %s namespaces are disabled", kind, kind);
		else if (v > 0 && (v < UCOUNT_NEW_NS || initial != 0))
			diag_add_hint(h, "the limit user.max_%s_namespaces (%ld here) or that of an enclosing user namespace is reached, or user namespaces are nested 32 deep", kind, v);
		else if (v > 0 && off < sizeof(far) && ++nfar)
			off += (size_t)snprintf(far + off, sizeof(far) - off, "%suser.max_%s_namespaces",
						off ? " and " : "", kind);
	}
	/* A limit of 0 here explains the failure: none further out is needed. */
	if (far[0] && !zero)
		diag_add_hint(h, "%s %s %ld here, the value a new user namespace starts with: the limit reached is that of an enclosing user namespace (sandboxes such as bwrap --disable-userns set max_user_namespaces there), or user namespaces are nested 32 deep",
			      far, nfar > 1 ? "are" : "is", UCOUNT_NEW_NS);
}

static void explain_unshare(struct diag_hints *h, int nsflags, int err)
{
	switch (err) {
	case EPERM:
		explain_seccomp(h);
		if (nsflags & CLONE_NEWUSER) {
			int off = sysctl_long("/proc/sys/kernel/unprivileged_userns_clone") == 0 &&
				  status_euid() != 0;

			explain_chroot(h, "the kernel refuses CLONE_NEWUSER there",
				       !off && status_long("Seccomp") != 2);
			if (off)
				diag_add_hint(h, "unprivileged user namespaces are disabled: kernel.unprivileged_userns_clone is 0");
			/* create_user_ns() refuses an owner whose uid or gid has no
			 * mapping (as under "unshare -U" with no maps written). */
			if (id_mapped("/proc/self/uid_map", status_num("Uid", 1)) == 0 ||
			    id_mapped("/proc/self/gid_map", status_num("Gid", 1)) == 0)
				diag_add_hint(h, "your uid/gid is not mapped in the current user namespace (/proc/self/uid_map or gid_map has no line for it): a new user namespace needs an owner with a mapping; write the maps first, as usernsselfmap does");
		}
		/* With CLONE_NEWUSER in the same call, the new user namespace owns
		 * the others and gives the capability: it is not the cause. */
		if ((nsflags & ~CLONE_NEWUSER) && !(nsflags & CLONE_NEWUSER))
			explain_no_cap(h, CAP_SYS_ADMIN, "creating this namespace",
				       nsflags & CLONE_NEWNET ? ", or use nsnet -U" : "");
		break;
	case ENOSPC:
	case EUSERS:
		explain_limits(h, nsflags);
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
	enum aa_evidence ev;

	if (err != EPERM && err != EACCES)
		return;
	ev = explain_apparmor(h, err == EPERM ? "the map write was refused (EPERM)"
					      : "the map file was refused (EACCES)");
	/* Confined for certain, or EACCES: the rules below are not the lesson. */
	if (ev == AA_CONFINED || err != EPERM)
		return;
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
	char why[512];

	out->n = 0;
	switch (op) {
	case DIAG_UNSHARE:
		explain_unshare(out, nsflags, err);
		break;
	case DIAG_SETNS:
		if (err == EPERM) {
			explain_seccomp(out);
			explain_no_cap(out, CAP_SYS_ADMIN, "joining a namespace", "");
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
		else if (err == EPERM && has_cap(CAP_SETUID) == 1)
			explain_apparmor(out, "changing ids was refused although CapEff lists CAP_SETUID");
		break;
	case DIAG_MOUNT:
		/* Whether the filter looks at mount(2) cannot be read from inside. */
		if (err == EPERM && status_long("Seccomp") == 2)
			diag_add_hint(out, "a seccomp filter may refuse mount(2) (Seccomp: 2 in /proc/self/status)");
		/* Locks come with a mount namespace owned by a less privileged
		 * user namespace than the mount's: never in the initial one.
		 * Under a filter, the filter is the likelier cause: one hint. */
		if (err == EPERM && has_cap(CAP_SYS_ADMIN) == 1 && in_initial_userns() == 0) {
			/* Confined for certain, every mount is refused: not a lock. */
			if (explain_apparmor(out, "mounting was refused although CapEff lists CAP_SYS_ADMIN") != AA_CONFINED &&
			    status_long("Seccomp") != 2)
				diag_add_hint(out, "the mount's nosuid/nodev/noexec/atime flags are locked (it came from a more privileged mount namespace): a remount must keep them");
		} else if (err == EPERM && has_cap(CAP_SYS_ADMIN) != 1)
			explain_no_cap(out, CAP_SYS_ADMIN, "mounting", "");
		else if (err == EINVAL && chroot_evidence(why, sizeof(why)) == CHROOT_SURE)
			diag_add_hint(out, "the caller is in a chroot (%s): / is not a mount point here, so its propagation cannot be changed", why);
		else if (err == EINVAL)
			diag_add_hint(out, "the mount is locked: mounts inherited from a more privileged namespace keep their flags and submounts; bind recursively, or keep nosuid/nodev/noexec");
		break;
	case DIAG_NETLINK:
		if (err == EPERM)
			explain_no_cap(out, CAP_NET_ADMIN, "changing links", ", or use nsnet -U");
		else if (err == ENODEV)
			diag_add_hint(out, "no interface of that name here: a new network namespace holds only lo and the bridges and veth ends made in it (ip link lists them)");
		break;
	}
	return out->n;
}
