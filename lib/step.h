/* SPDX-License-Identifier: MIT */
/*
 * step: a namespace step as every tool takes it: make the call, narrate
 * it under -v (strace's form, and the shell line a reader could type),
 * and when it fails word the error and diag's hints (lib/msg).  The
 * tool then exits CHAIN_EXIT_FAIL: the command never runs after a step
 * that did not take.  And the last step of a chain: the exec.
 */
#ifndef NSLAB_STEP_H
#define NSLAB_STEP_H

#include "idmap.h"

/*
 * unshare(flags), narrated with `shell`, the unshare(1) command a reader
 * could type.  0, or -1 with errno set after the error and the hints.
 */
int step_unshare(int flags, const char *shell);

/*
 * One of the writes that give a new user namespace its ids, into this
 * process's /proc/self: the map `m` to uid_map or gid_map, or the word
 * `setgroups` ("deny") to setgroups, in one write(2).  Narrated as the
 * write and the line a second shell outside would type
 * ("echo '0 1000 1' > /proc/PID/uid_map").  0, or -1 after the error and
 * the hints.
 */
int step_map(enum idmap_step s, const struct idmap *m, const char *setgroups);

/*
 * The three in the kernel's order, as bitbake's disable_network() writes
 * them: uid_map, "deny" to setgroups, gid_map.
 */
int step_maps(const struct idmap *uid, const struct idmap *gid);

/*
 * Narrate, under -v, the writes a map-writing helper made into /proc/PID
 * from outside (maphelper_finish): rc, failed, err and status as it
 * returned them.  It words no error.
 */
void step_narrate_plan(const struct idmap_plan *p, pid_t pid, int rc,
		       enum idmap_step failed, int err, int status);

/*
 * mount(2), narrated as strace shows it, with `shell` (NULL for none).
 * It words no error: the caller knows what the mount was for.
 */
int step_mount(const char *src, const char *dst, const char *type,
	       unsigned long flags, const char *data, const char *shell);

/*
 * The first mount step in a new mount namespace: every mount given the
 * propagation `flag` (MS_PRIVATE, MS_SLAVE or MS_SHARED) recursively
 * from /, `mount --make-rprivate /`, so nothing mounted here reaches the
 * host (mount_namespaces(7), "Shared subtrees").  0, or -1 with errno set
 * after the error and the hints.
 */
int step_propagate(unsigned long flag);

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
 * (step_propagate), so the host's /sys is never covered.  Narrated; it words
 * no error.  0, or -1 with errno set.
 */
int step_fresh_sysfs(const char *dir);

/*
 * A fresh proc on `dir`, nosuid,nodev,noexec: it shows the PID namespace
 * of the process that mounts it (proc(5)), so PID 1 of a new one mounts
 * it.  The kernel's rule is sysfs's: in a mount namespace owned by a
 * non-initial user namespace, only where a proc is already fully visible
 * (mi_visible says whether one is).  Narrated; it words no error.  0, or
 * -1 with errno set.
 */
int step_fresh_proc(const char *dir);

/*
 * What ip netns exec NAME does after its setns (iproute2 7.1.0,
 * lib/namespace.c, netns_switch): a mount namespace of its own, every mount
 * a slave (so nothing mounted in it reaches the host), a fresh sysfs on
 * /sys for this network namespace (step_fresh_sysfs), and each entry of
 * /etc/netns/NAME bound over its twin in /etc (resolv.conf...).  Where ip
 * only warns about a bind that failed, this fails.  0, or -1 with errno set
 * after the error and the hints.
 */
int step_netns_exec(const char *name);

/*
 * execvp(argv[0], argv), or $SHELL (/bin/sh when unset or empty) when
 * argv[0] is NULL, narrated.  Only returns on failure, after "tool: exec
 * CMD: ...": the status to exit with, env(1)'s 127 when there is no such
 * command (ENOENT, ENOTDIR) and 126 otherwise, with errno set.
 */
int step_exec(char *const argv[]);

#endif
