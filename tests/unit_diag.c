/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/diag: each diagnosis branch against a fake /proc tree
 * (diag_set_root), including the sysctls this kernel may not have, and one
 * real failure: unshare(CLONE_NEWUSER) from a process with two threads.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "unit.h"

static char root[] = "/tmp/nslab-unit-diag.XXXXXX";

static void put(const char *path, const char *text)
{
	char full[512], dir[512], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	snprintf(dir, sizeof(dir), "%s", full);
	for (slash = strchr(dir + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	if (!(f = fopen(full, "w"))) {
		perror(full);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

/* A plain host: uid 1000, no capabilities, no seccomp, "/" mounted. */
static void host(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'/proc '%s'/.dockerenv", root, root);
	if (system(cmd) != 0)
		exit(2);
	put("/proc/self/status", "Name:\tx\nUid:\t1000\t1000\t1000\t1000\nThreads:\t1\n"
	    "CapEff:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\n");
	put("/proc/self/uid_map", "         0          0 4294967295\n");
	put("/proc/self/setgroups", "allow\n");
	put("/proc/self/mountinfo", "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n");
	put("/proc/sys/user/max_user_namespaces", "63000\n");
	put("/proc/sys/user/max_net_namespaces", "63000\n");
}

/* Does any hint of op/flags/err contain text? */
static int says(enum diag_op op, int flags, int err, const char *text)
{
	struct diag_hints h;

	diag_explain(op, flags, err, &h);
	for (int i = 0; i < h.n; i++)
		if (strstr(h.line[i], text))
			return 1;
	return 0;
}

static void *sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

int main(void)
{
	char buf[128];
	pthread_t t;
	int rc;

	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	diag_set_root(root);

	host();
	CHECK("plain host: no seccomp hint", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "seccomp"));
	CHECK("plain host: no chroot hint", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "chroot"));

	put("/proc/self/status", "Uid:\t1000\t1000\t1000\t1000\nSeccomp:\t2\nCapEff:\t0\n");
	CHECK("seccomp named", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "Seccomp: 2 in /proc/self/status"));
	CHECK("seccomp points to WHY IT FAILS", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "nslab(7), WHY IT FAILS"));
	CHECK("no docker context without /.dockerenv", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "/.dockerenv"));
	put("/.dockerenv", "");
	CHECK("docker context with /.dockerenv", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "/.dockerenv exists and NoNewPrivs is 0, as under Docker"));
	CHECK("/.dockerenv is context, not proof", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "the file is a hint, not proof"));
	CHECK("seccomp on setns too", says(DIAG_SETNS, 0, EPERM, "seccomp"));
	CHECK("NoNewPrivs 0: no unprivileged-sandbox hint", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "NoNewPrivs: 1"));
	put("/proc/self/status", "Uid:\t1000\t1000\t1000\t1000\nSeccomp:\t2\nNoNewPrivs:\t1\nCapEff:\t0\n");
	CHECK("NoNewPrivs 1 named with seccomp", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "NoNewPrivs: 1 as well"));
	CHECK("NoNewPrivs 1 and /.dockerenv: the file proves nothing",
	      says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "/.dockerenv exists, but Docker leaves NoNewPrivs 0"));
	CHECK("NoNewPrivs 1 and /.dockerenv: Docker not named as the cause",
	      !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "as under Docker"));
	CHECK("seccomp may refuse a remount", says(DIAG_MOUNT, CLONE_NEWNS, EPERM, "a seccomp filter may refuse mount(2)"));

	host();
	put("/proc/self/mountinfo", "22 1 8:1 /srv /srv rw - ext4 /dev/sda1 rw\n");
	CHECK("chroot named", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "the caller is in a chroot (no mount of / in /proc/self/mountinfo)"));
	/* arch-chroot: /srv bound onto itself, then chroot /srv. */
	put("/proc/self/mountinfo", "23 22 8:1 /srv / rw - ext4 /dev/sda1 rw\n");
	CHECK("a bound chroot: said as likely", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM,
	      "the mount at / is the directory /srv of its file system (root field in /proc/self/mountinfo): a chroot into a directory bound onto itself"));
	CHECK("a bound chroot: not said as sure", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "the caller is in a chroot"));
	put("/proc/self/status", "Uid:\t1000\t1000\t1000\t1000\nSeccomp:\t2\nCapEff:\t0\n");
	CHECK("a filter seen: no 'looks like a chroot' to lead away from it",
	      !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "arch-chroot"));
	put("/proc/self/status", "Uid:\t1000\t1000\t1000\t1000\nSeccomp:\t0\nCapEff:\t0\n");
	put("/proc/1/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n23 22 8:1 /srv /srv rw - ext4 /dev/sda1 rw\n");
	CHECK("PID 1 sees our / elsewhere: sure", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM,
	      "the caller is in a chroot (the mount at / here is mount 23, which PID 1 has at /srv (/proc/1/mountinfo))"));
	put("/proc/1/mountinfo", "40 39 8:1 / / rw - ext4 /dev/sda1 rw\n");
	CHECK("PID 1 in another mount namespace: no more than likely", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "the caller is in a chroot"));
	/* PID 1's root is another directory: sure only in our mount namespace
	 * (a hard link stands for the same namespace inode). */
	host();
	put("/proc/self/ns/mnt", "");
	put("/proc/1/ns/mnt", "");
	put("/proc/1/root/x", "");
	CHECK("PID 1's root elsewhere, another mount namespace: no chroot", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "chroot"));
	snprintf(buf, sizeof(buf), "%s/proc/1/ns/mnt", root);
	unlink(buf);
	{
		char self[600];

		snprintf(self, sizeof(self), "%s/proc/self/ns/mnt", root);
		CHECK("hard link", link(self, buf) == 0);
	}
	CHECK("PID 1's root elsewhere, our mount namespace: sure", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM,
	      "the caller is in a chroot (/ is not the root directory of PID 1, in the same mount namespace (/proc/1/root))"));

	host();
	put("/proc/sys/kernel/unprivileged_userns_clone", "0\n");
	CHECK("unprivileged_userns_clone=0 named", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "kernel.unprivileged_userns_clone is 0"));
	put("/proc/sys/kernel/unprivileged_userns_clone", "1\n");
	CHECK("unprivileged_userns_clone=1 silent", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "unprivileged_userns_clone"));
	put("/proc/self/status", "Uid:\t0\t0\t0\t0\nSeccomp:\t0\nCapEff:\t000001ffffffffff\n");
	put("/proc/sys/kernel/unprivileged_userns_clone", "0\n");
	CHECK("unprivileged_userns_clone does not apply to root", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "unprivileged_userns_clone"));

	host();
	put("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1\n");
	CHECK("apparmor named on uid_map", says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "apparmor_restrict_unprivileged_userns is 1"));
	put("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "0\n");
	CHECK("apparmor=0 silent", !says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "AppArmor"));

	/*
	 * Ubuntu's AppArmor restriction, wherever it shows.  These machines
	 * have no AppArmor: the label files and sysctls are faked.
	 */
	host();
	put("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1\n");
	CHECK("apparmor sysctl only: said as may", says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "AppArmor may have confined the namespace"));
	CHECK("apparmor: the profile fix is taught", says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "an AppArmor profile for it with a 'userns,' rule"));
	CHECK("apparmor: the sysctl beside it", says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "sysctl kernel.apparmor_restrict_unprivileged_userns=0"));
	CHECK("apparmor sysctl only: the map rules still follow", says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "only one line mapping your own id"));
	CHECK("apparmor on a map write with EACCES", says(DIAG_UID_MAP, CLONE_NEWUSER, EACCES, "the map file was refused (EACCES)"));
	CHECK("EACCES: no map-rule lesson", !says(DIAG_UID_MAP, CLONE_NEWUSER, EACCES, "only one line"));
	CHECK("no unconfined hint while that sysctl is absent", !says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "restrict_unprivileged_unconfined"));
	put("/proc/sys/kernel/apparmor_restrict_unprivileged_unconfined", "1\n");
	CHECK("restrict_unprivileged_unconfined named", says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "kernel.apparmor_restrict_unprivileged_unconfined is 1 too"));
	/* The label says it for certain. */
	put("/proc/self/attr/apparmor/current", "unprivileged_userns (enforce)\n");
	CHECK("confined: the label read", says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM,
	      "confined this process to its unprivileged_userns profile when it made the user namespace (/proc/self/attr/apparmor/current reads 'unprivileged_userns (enforce)')"));
	CHECK("confined: no map-rule lesson", !says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "only one line"));
	CHECK("confined: gid_map too", says(DIAG_GID_MAP, CLONE_NEWUSER, EPERM, "unprivileged_userns profile"));
	/* Confined with CapEff full: a later step refused despite it. */
	put("/proc/self/status", "Uid:\t0\t0\t0\t0\nSeccomp:\t0\nCapEff:\t000001ffffffffff\n");
	put("/proc/self/uid_map", "         0       1000          1\n");
	CHECK("later step: netlink refused despite CapEff", says(DIAG_NETLINK, 0, EPERM,
	      "changing links was refused although CapEff lists CAP_NET_ADMIN: AppArmor confined this process"));
	CHECK("later step: a mount refused despite CapEff", says(DIAG_MOUNT, CLONE_NEWNS, EPERM,
	      "mounting was refused although CapEff lists CAP_SYS_ADMIN: AppArmor confined"));
	CHECK("later step confined: no lock lesson", !says(DIAG_MOUNT, CLONE_NEWNS, EPERM, "locked"));
	CHECK("later step: setresuid refused despite CapEff", says(DIAG_SETID, CLONE_NEWUSER, EPERM, "changing ids was refused although CapEff lists CAP_SETUID"));
	CHECK("later step: unshare of another kind", says(DIAG_UNSHARE, CLONE_NEWNET, EPERM, "creating this namespace was refused although CapEff lists CAP_SYS_ADMIN"));
	/* The older file, where AppArmor is the only LSM. */
	put("/proc/self/attr/apparmor/current", "");
	put("/proc/self/attr/current", "unprivileged_userns (enforce)\n");
	CHECK("label in /proc/self/attr/current", says(DIAG_NETLINK, 0, EPERM, "(/proc/self/attr/current reads 'unprivileged_userns (enforce)')"));
	/* SELinux keeps its context there: no AppArmor label, the sysctl decides. */
	put("/proc/self/attr/current", "unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023");
	CHECK("an SELinux context is no AppArmor label", !says(DIAG_NETLINK, 0, EPERM, "reads '"));
	CHECK("an SELinux context: the sysctl still says may", says(DIAG_NETLINK, 0, EPERM, "AppArmor may have confined"));
	/* Unconfined: AppArmor moved nothing, whatever the sysctl. */
	put("/proc/self/attr/current", "unconfined\n");
	CHECK("unconfined label: not AppArmor's doing", !says(DIAG_NETLINK, 0, EPERM, "AppArmor"));
	CHECK("unconfined label: the map rules stay", says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "only one line") &&
	      !says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "AppArmor"));
	/* A profile of the program's own, without userns. */
	put("/proc/self/attr/current", "/usr/bin/build-tool (enforce)\n");
	CHECK("a program's own profile named", says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM,
	      "runs under the AppArmor profile '/usr/bin/build-tool (enforce)'"));
	put("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "0\n");
	CHECK("a profile, sysctl 0: no hint", !says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "AppArmor"));
	/* No evidence at all: CapEff full and EPERM is no AppArmor lesson. */
	host();
	put("/proc/self/status", "Uid:\t0\t0\t0\t0\nSeccomp:\t0\nCapEff:\t000001ffffffffff\n");
	CHECK("no evidence: no AppArmor hint", !says(DIAG_NETLINK, 0, EPERM, "AppArmor"));

	host();
	CHECK("setgroups order on gid_map", says(DIAG_GID_MAP, CLONE_NEWUSER, EPERM, "write 'deny' to /proc/PID/setgroups before gid_map"));
	put("/proc/self/setgroups", "deny\n");
	CHECK("setgroups denied: no order hint", !says(DIAG_GID_MAP, CLONE_NEWUSER, EPERM, "before gid_map"));
	CHECK("ranges need newuidmap", says(DIAG_UID_MAP, CLONE_NEWUSER, EPERM, "newuidmap(1)"));

	host();
	put("/proc/sys/user/max_net_namespaces", "0\n");
	CHECK("max_net_namespaces=0 named", says(DIAG_UNSHARE, CLONE_NEWNET, ENOSPC, "user.max_net_namespaces is 0"));
	CHECK("only the types asked for", !says(DIAG_UNSHARE, CLONE_NEWNET, ENOSPC, "max_user_namespaces"));
	CHECK("limit reached named", says(DIAG_UNSHARE, CLONE_NEWUSER, ENOSPC, "user.max_user_namespaces (63000 here) or that of an enclosing user namespace is reached"));
	/* bwrap --disable-userns: the limit is 1 outside, untouched inside. */
	put("/proc/self/uid_map", "         0       1000          1\n");
	put("/proc/sys/user/max_user_namespaces", "2147483647\n");
	put("/proc/sys/user/max_net_namespaces", "2147483647\n");
	CHECK("an enclosing limit named as such", says(DIAG_UNSHARE, CLONE_NEWUSER | CLONE_NEWNET, ENOSPC,
	      "user.max_user_namespaces and user.max_net_namespaces are 2147483647 here, the value a new user namespace starts with: the limit reached is that of an enclosing user namespace (sandboxes such as bwrap --disable-userns"));
	CHECK("an enclosing limit: not blamed on this one", !says(DIAG_UNSHARE, CLONE_NEWUSER | CLONE_NEWNET, ENOSPC, "(2147483647 here)"));
	/* A kind's own limit of 0 explains it: no enclosing limit is blamed. */
	put("/proc/sys/user/max_net_namespaces", "0\n");
	CHECK("a zero limit here named", says(DIAG_UNSHARE, CLONE_NEWUSER | CLONE_NEWNET, ENOSPC,
	      "user.max_net_namespaces is 0 here"));
	CHECK("a zero limit here: no enclosing one blamed", !says(DIAG_UNSHARE, CLONE_NEWUSER | CLONE_NEWNET, ENOSPC,
	      "enclosing"));
	put("/proc/sys/user/max_net_namespaces", "2147483647\n");
	put("/proc/self/uid_map", "         0          0 4294967295\n");
	CHECK("in the initial namespace there is no enclosing one", says(DIAG_UNSHARE, CLONE_NEWUSER, ENOSPC, "(2147483647 here)"));

	host();
	CHECK("no CAP_SYS_ADMIN on the host: suggest usernsselfmap or nsnet -U",
	      says(DIAG_UNSHARE, CLONE_NEWNET, EPERM, "run it under usernsselfmap, or use nsnet -U"));
	CHECK("mounts: no -U to suggest", !says(DIAG_UNSHARE, CLONE_NEWNS, EPERM, "-U"));
	CHECK("CLONE_NEWUSER in the same call: capabilities are not the cause",
	      !says(DIAG_UNSHARE, CLONE_NEWUSER | CLONE_NEWNET, EPERM, "CAP_SYS_ADMIN"));
	CHECK("CLONE_NEWUSER alone needs no capability", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "CAP_SYS_ADMIN"));
	put("/proc/self/uid_map", "      1000       1000          1\n");
	CHECK("non-zero uid in a user namespace: caps dropped at exec",
	      says(DIAG_UNSHARE, CLONE_NEWNET, EPERM, "uid 1000 is not 0 inside this user namespace"));
	CHECK("the same for netlink", says(DIAG_NETLINK, 0, EPERM, "capabilities were dropped at exec"));
	CHECK("the same for mount", says(DIAG_MOUNT, CLONE_NEWNS, EPERM, "capabilities were dropped at exec"));
	CHECK("a map to itself named as such", says(DIAG_NETLINK, 0, EPERM, "capabilities were dropped at exec (its uid_map maps it to itself)"));
	CHECK("the way out is the default map", says(DIAG_NETLINK, 0, EPERM, "start the chain with usernsselfmap, which maps you to root"));
	CHECK("no -k named: nothing shows it was used", !says(DIAG_NETLINK, 0, EPERM, "-k"));
	put("/proc/self/uid_map", "      1000          0          1\n");
	CHECK("no map to itself named when there is none", !says(DIAG_NETLINK, 0, EPERM, "to itself"));
	put("/proc/self/uid_map", "      1000       1000          1\n");
	put("/proc/self/status", "Uid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\nSeccomp:\t0\n");
	CHECK("with CAP_SYS_ADMIN: no capability hint", !says(DIAG_UNSHARE, CLONE_NEWNET, EPERM, "CAP_"));
	CHECK("a missing interface explained", says(DIAG_NETLINK, 0, ENODEV, "holds only lo and the bridges and veth ends"));
	CHECK("locked mount explained", says(DIAG_MOUNT, CLONE_NEWNS, EINVAL, "locked"));
	put("/proc/self/mountinfo", "22 1 8:1 /srv /srv rw - ext4 /dev/sda1 rw\n");
	CHECK("EINVAL in a chroot: / is no mount point", says(DIAG_MOUNT, CLONE_NEWNS, EINVAL, "/ is not a mount point here"));
	CHECK("EINVAL in a chroot: not a locked mount", !says(DIAG_MOUNT, CLONE_NEWNS, EINVAL, "locked"));
	put("/proc/self/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
	CHECK("locked flags explained", says(DIAG_MOUNT, CLONE_NEWNS, EPERM, "flags are locked"));
	put("/proc/self/status", "Uid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\nSeccomp:\t2\n");
	CHECK("under seccomp: the filter named", says(DIAG_MOUNT, CLONE_NEWNS, EPERM, "a seccomp filter may refuse mount(2)"));
	CHECK("under seccomp: no locked flags", !says(DIAG_MOUNT, CLONE_NEWNS, EPERM, "locked"));
	put("/proc/self/status", "Uid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\nSeccomp:\t0\n");
	put("/proc/self/uid_map", "         0          0 4294967295\n");
	CHECK("nothing is locked in the initial user namespace", !says(DIAG_MOUNT, CLONE_NEWNS, EPERM, "locked"));

	/* unshare -U with no maps: ids read as 65534, and nothing maps them. */
	host();
	put("/proc/self/status", "Uid:\t65534\t65534\t65534\t65534\nGid:\t65534\t65534\t65534\t65534\n"
	    "CapEff:\t000001ffffffffff\nSeccomp:\t0\n");
	put("/proc/self/uid_map", "");
	put("/proc/self/gid_map", "");
	CHECK("an unmapped uid named", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM,
	      "your uid/gid is not mapped in the current user namespace"));
	put("/proc/self/uid_map", "         0       1000          1\n");
	CHECK("an unmapped gid named", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "not mapped"));
	put("/proc/self/gid_map", "     65530          0         10\n");
	CHECK("a mapped gid does not excuse the uid", says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "not mapped"));
	put("/proc/self/uid_map", "     65534       1000          1\n");
	CHECK("both in range: no unmapped hint", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "not mapped"));
	put("/proc/self/uid_map", "         0          0 4294967295\n");
	put("/proc/self/gid_map", "         0          0 4294967295\n");
	CHECK("mapped ids: no unmapped hint", !says(DIAG_UNSHARE, CLONE_NEWUSER, EPERM, "not mapped"));

	CHECK("flags named", strcmp(diag_nsflags_str(CLONE_NEWUSER | CLONE_NEWNET, buf, sizeof(buf)),
				    "CLONE_NEWUSER|CLONE_NEWNET") == 0);

	/* A real kernel refusal: a second thread makes CLONE_NEWUSER EINVAL. */
	diag_set_root(NULL);
	if (pthread_create(&t, NULL, sleeper, NULL) == 0) {
		errno = 0;
		rc = unshare(CLONE_NEWUSER);
		CHECK("threaded unshare(CLONE_NEWUSER) is EINVAL", rc == -1 && errno == EINVAL);
		CHECK("threads explained", says(DIAG_UNSHARE, CLONE_NEWUSER, EINVAL, "threads; CLONE_NEWUSER needs a single-threaded process"));
	} else {
		CHECK("pthread_create", 0);
	}

	snprintf(buf, sizeof(buf), "rm -rf '%s'", root);
	if (system(buf) != 0)
		CHECK("cleanup", 0);
	return unit_done();
}
