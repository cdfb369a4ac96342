/* SPDX-License-Identifier: MIT */
/*
 * mountflags: the words of a mount(2) call, for narration and messages.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "mountflags.h"

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

const char *mf_str(unsigned long flags, int as_options, char *buf, size_t len)
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

const char *mf_propagate_shell(unsigned long flag)
{
	return flag == MS_SLAVE  ? "mount --make-rslave /" :
	       flag == MS_SHARED ? "mount --make-rshared /" :
				   "mount --make-rprivate /";
}

int mf_propagation(const char *name, unsigned long *flag)
{
	static const struct {
		const char *name;
		unsigned long flag;
	} modes[] = {
		{ "private", MS_PRIVATE }, { "slave", MS_SLAVE }, { "shared", MS_SHARED }, { "unchanged", 0 },
	};

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(name, modes[i].name) == 0) {
			*flag = modes[i].flag;
			return 0;
		}
	errno = EINVAL;
	return -1;
}
