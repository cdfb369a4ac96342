/* SPDX-License-Identifier: MIT */
/*
 * nsinfo --can PID CAP NS: whether PID holds CAP over a namespace, and why,
 * by the rule of user_namespaces(7): a process has a capability in its own
 * user namespace when it is in its effective set, and then in every user
 * namespace below; the owner of a user namespace (its euid), from the
 * parent, has every capability in it.  A namespace's capability checks are
 * made against the user namespace that owns it (NS_GET_USERNS), whose
 * ancestors NS_GET_PARENT walks; lib/caps decides.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/nsfs.h>

#include "caps.h"
#include "msg.h"
#include "proc.h"
#include "nsinfo.h"

/*
 * NS as typed, opened for the nsfs ioctls: "PID:KIND" is /proc/PID/ns/KIND;
 * anything else a path (/run/netns/NAME, /proc/PID/ns/net).  A path is
 * opened O_PATH and read only once it is nsfs: a FIFO or a device there
 * must not block or act.
 */
static int open_ns(const char *arg)
{
	char path[64], self[32];
	const char *colon = strchr(arg, ':');
	pid_t pid;
	struct statfs sf;
	int pfd, fd;

	if (colon && (size_t)(colon - arg) < 16) {
		char num[16];

		memcpy(num, arg, (size_t)(colon - arg));
		num[colon - arg] = '\0';
		if (pf_parse_pid(num, &pid) == 0 && pf_nskind_index(colon + 1) >= 0) {
			snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, colon + 1);
			arg = path;
		}
	}
	if ((pfd = open(arg, O_PATH | O_CLOEXEC)) < 0)
		return -1;
	if (fstatfs(pfd, &sf) < 0 || sf.f_type != NSFS_MAGIC) {
		close(pfd);
		errno = EINVAL;
		return -1;
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_CLOEXEC);
	close(pfd);
	return fd;
}

/* The kind NS_GET_NSTYPE (Linux 4.11) names, as an index of pf_nskinds, or -1. */
static int ns_kind(int fd)
{
	int type = ioctl(fd, NS_GET_NSTYPE);

	for (int k = 0; type > 0 && k < PF_NSKINDS; k++)
		if (pf_nskinds[k].flag == type)
			return k;
	return -1;
}

/*
 * From the user namespace that owns fd's namespace up through its parents:
 * the chain caps_over() walks.  NS_GET_PARENT fails with EPERM above the
 * reader's own user namespace and at the initial one: only that one is the
 * top.  Closes fd.
 */
static int owner_chain(int fd, int kind, struct caps_chain *c)
{
	int cur = kind == KIND_USER ? fd : ioctl(fd, NS_GET_USERNS);
	struct stat st;

	if (cur != fd)
		close(fd);
	if (cur < 0)
		return -1;
	memset(c, 0, sizeof(*c));
	while (c->n < sizeof(c->ns) / sizeof(c->ns[0]) && fstat(cur, &st) == 0) {
		uid_t uid = 0;	/* valgrind does not know this ioctl writes it */
		int up;

		c->ns[c->n] = st.st_ino;
		c->owner_known[c->n] = ioctl(cur, NS_GET_OWNER_UID, &uid) == 0;
		c->owner[c->n] = uid;
		c->n++;
		if ((up = ioctl(cur, NS_GET_PARENT)) < 0) {
			c->complete = is_initial(KIND_USER, st.st_ino);
			break;
		}
		close(cur);
		cur = up;
	}
	close(cur);
	return 0;
}

/*
 * 1 when the user namespace of PID is nsinfo's own or below it (its parents
 * lead to ours), 0 when not, -1 when that cannot be read.
 */
static int at_or_below_mine(pid_t pid)
{
	char path[64];
	struct stat me, st;
	int fd, up, n = 0;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	if (stat("/proc/self/ns/user", &me) < 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while (fstat(fd, &st) == 0 && st.st_ino != me.st_ino && n++ < 33 &&
	       (up = ioctl(fd, NS_GET_PARENT)) >= 0) {
		close(fd);
		fd = up;
	}
	close(fd);
	return st.st_ino == me.st_ino;
}

static void explain(char *buf, size_t len, const struct who *x, const struct caps_chain *c,
		    struct caps_verdict v, const char *cap)
{
	unsigned long long self = x->user.ino, owner = c->ns[0], at = c->ns[v.at];

	switch (v.why) {
	case CAPS_SAME_NS:
		snprintf(buf, len, "PID %d is in user:[%llu], the owner, and %s %s in its effective set",
			 (int)x->st.pid, self, cap, v.yes ? "is" : "is not");
		break;
	case CAPS_ANCESTOR:
		snprintf(buf, len, "PID %d is in user:[%llu], an ancestor of user:[%llu], and %s %s in its "
			 "effective set: a capability in a process's own user namespace counts in every one below it",
			 (int)x->st.pid, self, owner, cap, v.yes ? "is" : "is not");
		break;
	case CAPS_OWNER:
		snprintf(buf, len, "PID %d is in user:[%llu], the parent of user:[%llu], and its euid %u "
			 "owns user:[%llu]: from the parent, a user namespace's owner has every capability in it "
			 "and below it", (int)x->st.pid, self, at, (unsigned)x->euid, at);
		break;
	case CAPS_NOT_ANCESTOR:
		if (c->n == 0) {
			snprintf(buf, len, "PID %d is in user:[%llu], nsinfo's own user namespace or below it, and "
				 "the owner is above or beside that (NS_GET_USERNS refuses to name it): a process has "
				 "capabilities only in its own user namespace and those below it, so its effective set "
				 "counts for nothing here", (int)x->st.pid, self);
			break;
		}
		snprintf(buf, len, "PID %d is in user:[%llu], which is neither user:[%llu] nor above it: a "
			 "process has capabilities only in its own user namespace and those below it, so its "
			 "effective set counts for nothing here", (int)x->st.pid, self, owner);
		break;
	case CAPS_UNKNOWN:
		snprintf(buf, len, "the user namespaces above user:[%llu] are beyond nsinfo's own: it cannot "
			 "see whether PID %d's user:[%llu] is one of them", (unsigned long long)c->ns[c->n - 1],
			 (int)x->st.pid, self);
		break;
	}
}

int show_can(const struct req *q)
{
	static const char *answer[] = { "cannot tell", "no", "yes" };
	struct caps_chain c;
	struct caps_verdict v;
	struct stat st;
	struct who x;
	char why[512], capname[32];
	int fd, kind;

	if (caps_name(q->cap))
		snprintf(capname, sizeof(capname), "%s", caps_name(q->cap));
	else
		snprintf(capname, sizeof(capname), "CAP_%d", q->cap);
	if (read_who(q->pid[0], &x) < 0)
		return 1;
	if ((fd = open_ns(q->nsarg)) < 0 && errno == EINVAL) {
		msg_say("%s: not a namespace (a file of nsfs: /proc/PID/ns/TYPE, /run/netns/NAME, or PID:TYPE)",
			q->nsarg);
		return 1;
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		msg_err("open %s", q->nsarg);
		return 1;
	}
	if ((kind = ns_kind(fd)) < 0) {
		msg_err("ask %s what it is (ioctl NS_GET_NSTYPE)", q->nsarg);
		close(fd);
		return 1;
	}
	if (owner_chain(fd, kind, &c) == 0) {
		v = caps_over(&c, x.user.ino, x.euid, x.set[0], q->cap);
	} else if (errno == EPERM && at_or_below_mine(x.st.pid) == 1) {
		/*
		 * The owner is beyond nsinfo's own user namespace (ioctl_ns(2)),
		 * so beyond PID's too, which is there or below: the TenForward
		 * article's root in a new user namespace and the host's eth0.
		 */
		memset(&c, 0, sizeof(c));
		v = (struct caps_verdict){ 0, CAPS_NOT_ANCESTOR, 0 };
	} else {
		msg_err("ask %s who owns it (ioctl NS_GET_USERNS)", q->nsarg);
		return 1;
	}
	explain(why, sizeof(why), &x, &c, v, capname);
	if (q->json) {
		struct jw w;

		who_json(&w, &x);
		jw_str(&w, "capability", capname);
		jw_object(&w, "namespace");
		jw_str(&w, "type", pf_nskinds[kind].name);
		jw_uint(&w, "ns", st.st_ino);
		if (c.n)
			jw_uint(&w, "owner_user_ns", c.ns[0]);
		else
			jw_str(&w, "owner_user_ns", "beyond nsinfo's own user namespace");
		jw_end(&w);
		jw_array(&w, "owners");	/* the owner and its ancestors, as far as nsinfo sees */
		for (size_t i = 0; i < c.n; i++) {
			jw_object(&w, NULL);
			jw_uint(&w, "ns", c.ns[i]);
			if (c.owner_known[i])
				jw_uint(&w, "owner_uid", c.owner[i]);
			jw_end(&w);
		}
		jw_end(&w);
		jw_bool(&w, "answer", v.yes);
		jw_str(&w, "rule", (const char *[]){ "same_user_ns", "owner", "ancestor",
					      "not_ancestor", "unknown" }[v.why]);
		jw_str(&w, "why", why);
		jw_end(&w);
		putchar('\n');
	} else {
		printf("%s: PID %d (", answer[v.yes + 1], (int)x.st.pid);
		tstr(x.st.comm);
		printf(") %s %s over %s:[%llu]\n", v.yes < 0 ? "may have" : v.yes ? "has" : "does not have",
		       capname, pf_nskinds[kind].name, (unsigned long long)st.st_ino);
		printf("  %s:[%llu] is owned by ", pf_nskinds[kind].name, (unsigned long long)st.st_ino);
		if (c.n == 0)
			printf("a user namespace above or beside nsinfo's own");
		else
			printf("user:[%llu]", (unsigned long long)c.ns[0]);
		if (c.n && c.owner_known[0])
			printf(" (owner uid %u)", (unsigned)c.owner[0]);
		printf("%s\n", c.n && is_initial(KIND_USER, c.ns[0]) ? ", the initial user namespace" : "");
		printf("  %s\n", why);
		if (strcmp(pf_nskinds[kind].name, "mnt") == 0 && v.yes == 1)
			printf("  mount(2) also wants a filesystem type a user namespace may mount (tmpfs, proc, "
			       "sysfs, a bind mount...) when the owner is not the initial user namespace\n");
	}
	return v.yes == 1 ? 0 : 1;
}
