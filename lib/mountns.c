/* SPDX-License-Identifier: MIT */
/*
 * mountns: narrated mount(2) and the propagation step every new mount
 * namespace of nslab starts with.
 */
#include <stddef.h>
#include <stdio.h>
#include <errno.h>
#include <limits.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "chain.h"
#include "mountns.h"

static const struct {
	unsigned long flag;
	const char *name, *option;
} msflags[] = {
	{ MS_REMOUNT,     "MS_REMOUNT",     "remount" },
	{ MS_BIND,        "MS_BIND",        "bind" },
	{ MS_REC,         "MS_REC",         NULL },
	{ MS_PRIVATE,     "MS_PRIVATE",     NULL },
	{ MS_SLAVE,       "MS_SLAVE",       NULL },
	{ MS_SHARED,      "MS_SHARED",      NULL },
	{ MS_RDONLY,      "MS_RDONLY",      "ro" },
	{ MS_NOSUID,      "MS_NOSUID",      "nosuid" },
	{ MS_NODEV,       "MS_NODEV",       "nodev" },
	{ MS_NOEXEC,      "MS_NOEXEC",      "noexec" },
	{ MS_NOATIME,     "MS_NOATIME",     "noatime" },
	{ MS_NODIRATIME,  "MS_NODIRATIME",  "nodiratime" },
	{ MS_RELATIME,    "MS_RELATIME",    "relatime" },
	{ MS_STRICTATIME, "MS_STRICTATIME", "strictatime" },
#ifdef MS_NOSYMFOLLOW
	{ MS_NOSYMFOLLOW, "MS_NOSYMFOLLOW", "nosymfollow" },
#endif
};

const char *mns_flags_str(unsigned long flags, int as_options, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(msflags) / sizeof(msflags[0]); i++) {
		const char *w = as_options ? msflags[i].option : msflags[i].name;
		int n;

		if (!(flags & msflags[i].flag) || !w)
			continue;
		n = snprintf(buf + o, len - o, "%s%s", o ? (as_options ? "," : "|") : "", w);
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += (size_t)n;
	}
	return o || as_options ? buf : "0";
}

int mns_mount(const char *src, const char *dst, const char *type,
	      unsigned long flags, const char *data, const char *shell)
{
	char f[256];
	int rc = mount(src, dst, type, flags, data);

	chain_narrate(shell, rc, "mount(%s%s%s, \"%s\", %s%s%s, %s, %s%s%s)",
		      src ? "\"" : "", src ? src : "NULL", src ? "\"" : "", dst,
		      type ? "\"" : "", type ? type : "NULL", type ? "\"" : "",
		      mns_flags_str(flags, 0, f, sizeof(f)),
		      data ? "\"" : "", data ? data : "NULL", data ? "\"" : "");
	return rc;
}

const char *mns_propagate_shell(unsigned long flag)
{
	return flag == MS_SLAVE  ? "mount --make-rslave /" :
	       flag == MS_SHARED ? "mount --make-rshared /" :
				   "mount --make-rprivate /";
}

int mns_propagate(unsigned long flag)
{
	return mns_mount(NULL, "/", MNS_NO_TYPE, MS_REC | flag, NULL,
			 mns_propagate_shell(flag));
}

int mns_fresh_sysfs(const char *dir)
{
	/* Static: a tool must still run under a small stack limit (nslab(7)). */
	static char q[CHAIN_SHQUOTE_LEN(PATH_MAX)], shell[CHAIN_SHQUOTE_LEN(PATH_MAX) + 64];
	unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	struct statvfs sv;
	const char *qd;
	int rc;

	/*
	 * iproute2 keeps read-only only when it could not detach the old
	 * sysfs; keeping it always also keeps a read-only /sys read-only.
	 */
	if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
		flags |= MS_RDONLY;
	qd = chain_shquote(dir, q, sizeof(q));
	rc = umount2(dir, MNT_DETACH);
	snprintf(shell, sizeof(shell), "umount -l %s", qd);
	if (rc == 0 || errno != EINVAL)
		chain_narrate(shell, rc, "umount2(\"%s\", MNT_DETACH)", dir);
	if (rc < 0 && errno != EINVAL)
		return -1;
	snprintf(shell, sizeof(shell), "mount -t sysfs -o %s sysfs %s",
		 flags & MS_RDONLY ? "ro,nosuid,nodev,noexec" : "nosuid,nodev,noexec", qd);
	return mns_mount("sysfs", dir, "sysfs", flags, NULL, shell);
}
