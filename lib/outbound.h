/* SPDX-License-Identifier: MIT */
/*
 * outbound: a way out for a new network namespace, as rootless podman
 * gives one, through the real user-mode network helper: slirp4netns or
 * pasta (passt).  Each opens a tap device in the namespace and carries
 * its packets out as ordinary sockets of the user who runs it, so nothing
 * on the host changes and no privilege is needed beyond an openable
 * /dev/net/tun.
 *
 * The helper must run in the namespace that has the way out, so its
 * process is forked before the caller's unshare (outbound_fork) and
 * waits; after it the caller lets it attach (outbound_start) and waits
 * until it is ready.  The helper is tied to the caller's life by
 * PR_SET_PDEATHSIG: the caller execs the command, so the helper gets
 * SIGTERM when the command's process ends.  slirp4netns's --exit-fd is not
 * used: its write end would have to stay open in the command, and every
 * child the command starts would inherit it and keep the helper alive.
 *
 * Both helpers get slirp4netns's addresses: the namespace has tap0 with
 * 10.0.2.100/24, a default route via 10.0.2.2, which is also the host's
 * 127.0.0.1 seen from inside, and DNS at 10.0.2.3.  IPv4 only.
 *
 * The outbound_step_ functions are the steps as nsnet takes them: each
 * narrated, and worded through lib/msg when it fails (one line, hints
 * on evidence), as lib/step's are.  The others print nothing and return
 * -1 with errno set.
 */
#ifndef NSLAB_OUTBOUND_H
#define NSLAB_OUTBOUND_H

#include <stddef.h>
#include <sys/types.h>

enum outbound_kind { OUTBOUND_SLIRP4NETNS, OUTBOUND_PASTA };

#define OUTBOUND_IFNAME "tap0"
#define OUTBOUND_ADDR   "10.0.2.100"
#define OUTBOUND_GW     "10.0.2.2"
#define OUTBOUND_DNS    "10.0.2.3"
#define OUTBOUND_TUN    "/dev/net/tun"

struct outbound {
	enum outbound_kind kind;
	pid_t pid;		/* the helper's process, -1 when none */
	int go;			/* write end: the waiting helper's signal to attach */
	int ready;		/* read end: what the helper writes once ready */
	int log;		/* a memfd with the helper's output, -1 under -v */
	char path[256];		/* the helper's executable, found in $PATH */
	int tun_failed;		/* outbound_fork failed to open the tun device */
};

/* "slirp4netns" or "pasta" to a kind; -1 with errno EINVAL otherwise. */
int outbound_parse(const char *name, enum outbound_kind *kind);
const char *outbound_name(enum outbound_kind kind);

/*
 * Check what the helper needs (its executable in $PATH: ENOENT and an
 * empty o->path; the tun device openable by us: open's errno and
 * o->tun_failed), then fork its process, which
 * waits.  verbose: the helper's own output goes to our stderr, else it
 * is kept for outbound_said().  0, or -1 with errno.
 */
int outbound_fork(struct outbound *o, enum outbound_kind kind, int verbose);

/*
 * "crw------- 0:0" for the tun device, as stat(2) sees it, into buf: why
 * opening it failed.  NULL when stat fails too.
 */
const char *outbound_tun_mode(char *buf, size_t len);

/*
 * Let the helper attach to the caller's network namespace now (after its
 * unshare), and wait until it is ready, at most timeout_ms.  0, or -1
 * with errno ETIMEDOUT, or ECHILD when the helper ended first (*status
 * then holds its wait status), the helper stopped in either case.
 */
int outbound_start(struct outbound *o, int timeout_ms, int *status);

/* The command line outbound_start runs, with PID for the namespace's holder. */
const char *outbound_shell(const struct outbound *o, pid_t pid, char *buf, size_t len);

/* The last line the helper wrote, into buf; NULL when none was kept. */
const char *outbound_said(const struct outbound *o, char *buf, size_t len);

/* Stop the helper (SIGTERM) and reap it; what it said stays for outbound_said(). */
void outbound_stop(struct outbound *o);

/* Close our descriptors before exec, leaving the helper running. */
void outbound_detach(struct outbound *o);

/* The resolv.conf that names the helper's DNS. */
#define OUTBOUND_RESOLV "nameserver " OUTBOUND_DNS "\n"

/*
 * In a private mount namespace of the caller's: a file saying
 * OUTBOUND_RESOLV bound over /etc/resolv.conf.  The file is made on a
 * tmpfs mounted on /tmp for the moment and detached after the bind, which
 * keeps it: only /etc/resolv.conf changes.  Narrated.  0, or -1 with
 * errno and *what naming the step that failed.
 */
int outbound_resolv(const char **what);

/* outbound_fork, then the error and hints when it fails: 0 or -1. */
int outbound_step_fork(struct outbound *o, enum outbound_kind kind);

/* outbound_start, narrated, then the error and what the helper said: 0 or -1. */
int outbound_step_start(struct outbound *o);

/* outbound_resolv, and its error: 0 or -1. */
int outbound_step_resolv(void);

#endif
