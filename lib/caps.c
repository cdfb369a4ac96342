/* SPDX-License-Identifier: MIT */
/* caps: capability names, and whose they are; see caps.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "caps.h"
#include "proc.h"

/* <linux/capability.h>, in its order. */
static const char *const names[CAPS_LAST_KNOWN + 1] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

const char *caps_name(int cap)
{
	return cap >= 0 && cap <= CAPS_LAST_KNOWN ? names[cap] : NULL;
}

int caps_parse(const char *s)
{
	uint64_t v;

	if (pf_parse_u64(s, strlen(s), &v) == 0) {
		if (v > 63)
			goto bad;
		return (int)v;
	}
	if (strncasecmp(s, "CAP_", 4) == 0)
		s += 4;
	for (int c = 0; c <= CAPS_LAST_KNOWN; c++)
		if (*s && strcasecmp(s, names[c] + 4) == 0)
			return c;
bad:
	errno = EINVAL;
	return -1;
}

int caps_last(void)
{
	char buf[16];
	uint64_t v;
	ssize_t n = pr_read(AT_FDCWD, "/proc/sys/kernel/cap_last_cap", buf, sizeof(buf));

	if (n <= 0 || pf_parse_u64(buf, strcspn(buf, "\n"), &v) < 0 || v > 63)
		return CAPS_LAST_KNOWN;
	return (int)v;
}

size_t caps_names(uint64_t mask, const char *sep, char *out, size_t outlen)
{
	size_t len = 0;

	if (outlen)
		out[0] = '\0';
	for (int c = 0; c < 64; c++) {
		char num[16];
		const char *name = caps_name(c);
		int n;

		if (!(mask >> c & 1))
			continue;
		if (!name) {
			snprintf(num, sizeof(num), "CAP_%d", c);
			name = num;
		}
		n = snprintf(len < outlen ? out + len : NULL, len < outlen ? outlen - len : 0, "%s%s",
			     len ? sep : "", name);
		len += n > 0 ? (size_t)n : 0;
	}
	return len;
}

/*
 * cap_capable() (security/commoncap.c, Linux 3.8 and since), walked over
 * the chain: at each user namespace from the target up, the process's own
 * is decided by its effective set; one whose parent is the process's and
 * whose owner is its euid gives it every capability; anything at or above
 * the process's level that is not its own gives none.
 */
struct caps_verdict caps_over(const struct caps_chain *c, uint64_t self, uid_t euid,
			      uint64_t effective, int cap)
{
	struct caps_verdict v = { -1, CAPS_UNKNOWN, 0 };
	int has = cap >= 0 && cap < 64 && (effective >> cap & 1);

	for (size_t i = 0; i < c->n; i++) {
		v.at = i;
		if (c->ns[i] == self) {
			v.yes = has;
			v.why = i == 0 ? CAPS_SAME_NS : CAPS_ANCESTOR;
			return v;
		}
		if (i + 1 < c->n && c->ns[i + 1] == self && c->owner_known[i] && c->owner[i] == euid) {
			v.yes = 1;
			v.why = CAPS_OWNER;
			return v;
		}
	}
	if (c->complete) {
		v.yes = 0;
		v.why = CAPS_NOT_ANCESTOR;
	}
	return v;
}
