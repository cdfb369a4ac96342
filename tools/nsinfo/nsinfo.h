/* SPDX-License-Identifier: MIT */
/*
 * nsinfo: one file per mode (pid.c, inode.c, maps.c, all.c, tree.c, dot.c,
 * check.c, caps.c, can.c), main.c that checks the command line into a request and
 * runs one, and common.c for what two modes share.  This header is what
 * they share; everything else in a file is static.
 */
#ifndef NSINFO_H
#define NSINFO_H

#include <stdint.h>
#include <sys/types.h>

#include "jsonw.h"
#include "nstable.h"
#include "proc.h"

/* pf_nskinds (lib/proc) lists the kinds in the order --check tries them. */
#define KIND_USER NST_USER

/* What the command line asked for, checked: a mode runs on it. */
struct req {
	int json, npids;
	pid_t pid[2];
	uint64_t ino;		/* nsinfo INODE: a namespace, not a PID */
	const char *arg;	/* the first PID argument, as typed */
	enum nst_tree how;
	int fds;		/* -F: look through every open descriptor too (NST_FDS) */
	int cap;		/* --can: the capability */
	const char *nsarg;	/* --can: NSFILE or PID:KIND, as typed */
};

/* caps.c: what --caps and --can read of a process. */
#define NSETS 5		/* effective, permitted, inheritable, bounding, ambient */
struct who {
	struct pf_stat st;
	uint64_t set[NSETS];	/* in that order: set[0] is the effective set */
	uid_t euid;
	struct pf_nslink user;
	int owner_known;
	uid_t owner;
};
int read_who(pid_t pid, struct who *w);	/* 0, or -1 with the error said */
void who_json(struct jw *w, const struct who *x);	/* opens the JSON object */

/* -t: the kinds asked for; every kind when there was no -t. */
extern unsigned only;

/* The modes (main.c's table runs one). */
int show_pids(const struct req *q);	/* pid.c: PID, PID PID; inode.c: INODE */
int show_inode(const struct req *q);
int show_maps(const struct req *q);	/* maps.c: -m */
int list_all(const struct req *q);	/* all.c: -a */
int show_tree(const struct req *q);	/* tree.c: -T */
int show_dot(const struct req *q);	/* dot.c: --dot */
int check_all(const struct req *q);	/* check.c: -c */
int show_caps(const struct req *q);	/* caps.c: --caps */
int show_can(const struct req *q);	/* can.c: --can */

/* common.c */
int is_initial(int kind, uint64_t ino);
void owner_footnote(void);
size_t tstr(const char *s);
int open_pid(pid_t pid, struct pf_stat *st);
int scan(struct nstable *t, unsigned mask, int flags);
void denied_note(const struct nstable *t);
void json_denied(struct jw *w, const struct nstable *t);
void held_where(const struct nst_ns *n);
void json_who(struct jw *w, const struct nst_ns *n);

#endif
