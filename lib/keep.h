/* SPDX-License-Identifier: MIT */
/*
 * keep: what a chain tool may do once its step is done and before the
 * command starts, for whoever runs it: bind its namespace to a file so it
 * outlives the command (--keep FILE, unshare --net=FILE), make it an
 * ip netns name (nsnet --name), report the PID and the namespaces as JSON
 * (--info-fd N) and wait for a go-ahead (--block-fd N), as bubblewrap's
 * --info-fd and --block-fd do.  Each mount(2) is narrated; nothing is
 * printed otherwise: -1 with errno set, and the tool words it.
 */
#ifndef NSLAB_KEEP_H
#define NSLAB_KEEP_H

#include <sys/types.h>

#include "opts.h"

/*
 * Bind `src` (a /proc/PID/ns file) onto `file`, which must exist.  When
 * oldmnt >= 0 (an fd of the mount namespace the caller was in before a
 * step that made a new one) the bind is made there, by a child that joins
 * it: a mount namespace can be kept only from an older one (the kernel
 * refuses a bind of a mount namespace into itself or a newer one, ELOOP
 * or EINVAL; unshare(1) binds it from a child for that reason).
 */
int keep_bind(const char *src, const char *file, int oldmnt);

/*
 * What ip netns add NAME does before its bind (iproute2 7.1.0,
 * ip/ipnetns.c, netns_add): mkdir /run/netns (0755), make it a shared
 * mount point bound on itself (under flock, so parallel adds make one),
 * create /run/netns/NAME (O_EXCL: an existing name is EEXIST).  path gets
 * /run/netns/NAME.  Bind onto it next with keep_bind; on failure
 * keep_netns_undo(path) removes the file.
 */
int keep_netns_prepare(const char *name, char *path, size_t len);

/* NAME can be a file of /run/netns: not empty, ".", ".." nor holding '/'. */
int keep_netns_name_ok(const char *name);
void keep_netns_undo(const char *path);

/*
 * One line of JSON on fd, then close it:
 *   {"tool": "nsnet", "pid": 4242, "namespaces": {"cgroup": 4026531835, ...}}
 * pid is the process a host process reaches the namespaces through (the
 * child, for a keeper), each namespace its inode as /proc/pid/ns shows it.
 */
int keep_info(int fd, const char *tool, pid_t pid);

/*
 * The hint for a keep an unprivileged user was refused: words for the
 * tools, which print it.
 */
#define KEEP_HINT_UNPRIVILEGED \
	"a bind mount keeps a namespace, and mount(2) needs CAP_SYS_ADMIN over the " \
	"mount namespace it changes: as a user, keep it inside a mount namespace of your own " \
	"(usernsselfmap nsmount ...), or keep a process in it and join that with nsjoin -t PID"

/* Wait for one byte or end of file on fd, then close it. */
int keep_block(int fd);

/* What keep_after does in this process: a keeper reports, its child waits. */
enum { KEEP_BIND = 1, KEEP_INFO = 2, KEEP_BLOCK = 4, KEEP_ALL = 7 };

/*
 * The common chain options (opts.h), once the tool's step is done and
 * before its command: --keep binds /proc/self/ns/`nsfile` ("net",
 * "pid_for_children"; NULL for a tool that makes none) on its FILE, from
 * the mount namespace before the step when oldmnt >= 0 (keep_oldmnt);
 * --info-fd reports `pid`; --block-fd waits.  Like a step (step.h) it
 * narrates and words its own errors: 0, or -1 and the tool exits 125.
 */
int keep_after(const struct opts *o, const char *nsfile, pid_t pid, int oldmnt, int what);

/* A tool making a mount namespace: its fd before the step, when --keep asks. */
int keep_oldmnt(const struct opts *o);

#endif
