/* SPDX-License-Identifier: MIT */
/*
 * nstable: the namespaces one pass over /proc finds, as lsns(8) finds them.
 *
 * nst_scan() reads the ns links of every process below a /proc directory
 * (the real one, or a fake tree a unit test builds) into a hash table on
 * inode: per namespace, its kind, how many processes are in it, the lowest
 * PID, that process's owner and command.  With NST_OWNERS it also asks the
 * kernel who owns each namespace and, for user and PID namespaces, which is
 * the parent (ioctl_ns(2)); with NST_HOLDERS it adds the namespaces no
 * process is in but a bind mount keeps alive (nsfs in mountinfo, as `ip
 * netns add` makes), with NST_FDS those an open descriptor keeps
 * (/proc/PID/fd), and says where.  nst_forest() arranges the table as the
 * ownership tree or the parent tree.  Never prints; -1 with errno.
 */
#ifndef NSLAB_NSTABLE_H
#define NSLAB_NSTABLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proc.h"

/* pf_nskinds[] lists user first and pid fifth. */
#define NST_USER 0
#define NST_PID  5

/* An open descriptor that holds a namespace: fd of process pid. */
struct nst_fd {
	pid_t pid;
	int fd;
};

struct nst_ns {
	uint64_t ino;
	int kind;		/* index in pf_nskinds[] */
	int nprocs;
	pid_t pid;		/* the lowest PID in it; 0 when no process we saw is */
	uid_t uid;		/* the owner of that process */
	char *cmd;		/* its command line */
	char *held;		/* no process: the bind mount that keeps it, or NULL */
	struct nst_fd *fds;	/* NST_HOLDERS: the descriptors that hold it */
	size_t nfds;
	char *fdcmd;		/* the command of fds[0].pid */
	/* NST_OWNERS only */
	int explored;		/* its owner and parent have been looked up */
	uint64_t owner;		/* the user namespace owning it (a user namespace's
				   parent); 0 when beyond the caller's view */
	uint64_t parent;	/* a pid namespace's parent; 0 when none or not visible */
	int owner_uid_known;
	uid_t owner_uid;	/* user: the euid of its creator, as the caller sees it */
};

/* NST_GROUPS: the processes that share one set of namespaces. */
struct nst_group {
	uint64_t ino[PF_NSKINDS];	/* 0 for a kind not scanned or not readable */
	int nprocs;
	pid_t pid;			/* the lowest PID */
	char *cmd;			/* its command line */
};

struct nstable {
	struct nst_ns *v;
	size_t n, cap;
	uint32_t *slot;		/* open addressing on ino: index + 1, 0 when free */
	size_t nslot;
	pid_t *denied;		/* processes whose ns links could not be read */
	size_t ndenied, capdenied;
	int denied_err;
	struct nst_group *g;	/* NST_GROUPS only */
	size_t ng, capg;
	uint32_t *gslot;	/* open addressing on the set, as slot */
	size_t ngslot;
	char *dents;		/* NST_FDS: where /proc/PID/fd is read, one for the scan */
};

#define NST_OWNERS  1	/* look up owners, parents and owner uids */
#define NST_HOLDERS 2	/* add namespaces held only by a bind mount */
#define NST_GROUPS  4	/* group processes by the set of namespaces they share */
#define NST_FDS     8	/* add namespaces held only by an open descriptor: reads every /proc/PID/fd */

/*
 * Scan the processes below proc ("/proc", or a test's tree) for the kinds
 * in mask (bit k: pf_nskinds[k]).  mountinfo is the file NST_HOLDERS reads
 * (NULL: /proc/self/mountinfo).  A process that exits during the scan
 * leaves no trace; one whose links cannot be read is listed in denied.
 */
int nst_scan(struct nstable *t, const char *proc, const char *mountinfo,
	     unsigned mask, int flags);

/* The kinds this kernel has: a kernel without time namespaces has no ns/time link. */
unsigned nst_present_kinds(void);

/* The index of the namespace with inode ino, or -1. */
long nst_find(const struct nstable *t, uint64_t ino);

/* Add a namespace seen for the first time; its index, or -1 (ENOMEM). */
long nst_add(struct nstable *t, uint64_t ino, int kind);

void nst_free(struct nstable *t);

/* The indexes of t->v by inode (NST_BY_INO) or owners' order (NST_BY_TREE:
 * the namespaces a user namespace owns, then its children, each by inode). */
enum nst_order { NST_BY_INO, NST_BY_TREE };
long *nst_sorted(const struct nstable *t, enum nst_order order);

/*
 * A forest over t: up[i] is the index of what i hangs below (-1 for a
 * root), and kids[first[i] .. first[i]+count[i]) its children in
 * NST_BY_TREE order.  NST_TREE_OWNER hangs every namespace below the user
 * namespace that owns it (a user namespace below its parent);
 * NST_TREE_PARENT hangs pid namespaces below their parents and user
 * namespaces below theirs, and every other namespace is a root.
 */
enum nst_tree { NST_TREE_OWNER, NST_TREE_PARENT };
struct nst_forest {
	long *order;		/* nst_sorted(t, NST_BY_TREE) */
	long *up, *kids;
	size_t *first, *count;
};
int nst_forest(const struct nstable *t, enum nst_tree how, struct nst_forest *f);
void nst_forest_free(struct nst_forest *f);

/* A process in one namespace (nst_members). */
struct nst_member {
	pid_t pid, ppid;
	uid_t uid;
	char *cmd;
};

/*
 * The processes below proc whose link of a kind in mask is the namespace
 * ino, by PID, and that kind (-1 when none is).  One pass, reading each
 * process's links until one matches; a process that exits meanwhile is
 * left out.  *m is malloc'd: nst_members_free.
 */
int nst_members(const char *proc, uint64_t ino, unsigned mask,
		struct nst_member **m, size_t *n, int *kind);
void nst_members_free(struct nst_member *m, size_t n);

#endif
