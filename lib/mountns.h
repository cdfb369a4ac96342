/* SPDX-License-Identifier: MIT */
/*
 * mountns: the mount steps nsmount and nspid share.  Each mount(2) is
 * narrated as strace would show it, with the command a reader could type,
 * and the first step in any new mount namespace is the same: make every
 * mount private (or slave, or shared), recursively, so that nothing mounted
 * in it reaches the host (mount_namespaces(7), "Shared subtrees").
 */
#ifndef NSLAB_MOUNTNS_H
#define NSLAB_MOUNTNS_H

/*
 * The file system type the kernel ignores for a bind, a remount and a
 * propagation change; mount(8) passes "none" for a bind, and valgrind
 * checks the string even where the kernel does not read it.
 */
#define MNS_NO_TYPE "none"

/* mount(2), narrated; `shell` is the equivalent command (NULL for none). */
int mns_mount(const char *src, const char *dst, const char *type,
	      unsigned long flags, const char *data, const char *shell);

/*
 * Give every mount the propagation `flag` (MS_PRIVATE, MS_SLAVE or
 * MS_SHARED), recursively from /: `mount --make-rprivate /`.
 * 0 on success, -1 with errno set.
 */
int mns_propagate(unsigned long flag);

/* The command mns_propagate(flag) is equivalent to: "mount --make-rprivate /". */
const char *mns_propagate_shell(unsigned long flag);

/*
 * "MS_BIND|MS_REC" for narration, or as mount -o words "remount,bind,ro"
 * when as_options.  Writes into buf; returns buf, or "0" for no flag.
 */
const char *mns_flags_str(unsigned long flags, int as_options, char *buf, size_t len);

/*
 * A fresh sysfs on `dir` (normally /sys), showing the network namespace the
 * caller is in now: what `ip netns exec` does after setns (iproute2 7.1.0,
 * lib/namespace.c, netns_switch).  The sysfs on `dir` is detached first
 * (umount -l); where that is refused (EINVAL: nothing mounted there, or a
 * mount locked by a less privileged user namespace) the new one covers it.
 * Read-only when the sysfs on /sys is: the kernel mounts a sysfs in a
 * mount namespace owned by a non-initial user namespace only where one is
 * already fully visible and no more permissive (mount_too_revealing,
 * fs/namespace.c).  The caller needs CAP_SYS_ADMIN over the owner of its
 * network namespace.  Call it in a mount namespace of its own, made private
 * (mns_propagate), so the host's /sys is never covered.  Narrated.
 * 0, or -1 with errno set.
 */
int mns_fresh_sysfs(const char *dir);

#endif
