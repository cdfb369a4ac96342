/* SPDX-License-Identifier: MIT */
/* step: a call, its narration and its diagnosis; and the exec.  step.h. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "diag.h"
#include "escape.h"
#include "exits.h"
#include "mountflags.h"
#include "lookup.h"
#include "msg.h"
#include "multicall.h"
#include "step.h"

int step_unshare(int flags, const char *shell)
{
	char names[128];
	int rc = unshare(flags);

	/* The names are for the narration and the failure: a silent
	 * success words nothing (≈ 1,300 instructions per tool). */
	if (rc == 0 && !msg_verbose())
		return 0;
	diag_nsflags_str(flags, names, sizeof(names));
	msg_narrate(shell, rc, "unshare(%s)", names);
	if (rc < 0)
		msg_fail(DIAG_UNSHARE, flags, "unshare(%s)", names);
	return rc;
}

int step_map(enum idmap_step s, const struct idmap *m, const char *setgroups)
{
	struct idmap_plan p = { s == IDMAP_STEP_UID ? m : NULL, s == IDMAP_STEP_GID ? m : NULL,
				s == IDMAP_STEP_SETGROUPS ? setgroups : NULL, NULL, NULL };
	int rc = idmap_write_step(0, s, m, setgroups);

	step_narrate_plan(&p, 0, rc, s, errno, -1);
	if (rc == 0)
		return 0;
	msg_fail(diag_idmap_op(s), CLONE_NEWUSER, "write /proc/self/%s", idmap_step_file(s));
	return -1;
}

int step_maps(const struct idmap *uid, const struct idmap *gid)
{
	if (step_map(IDMAP_STEP_UID, uid, NULL) < 0 ||
	    step_map(IDMAP_STEP_SETGROUPS, NULL, "deny") < 0 ||
	    step_map(IDMAP_STEP_GID, gid, NULL) < 0)
		return -1;
	return 0;
}

void step_narrate_plan(const struct idmap_plan *p, pid_t pid, int rc,
		       enum idmap_step failed, int err, int status)
{
	/* 24 KiB each: 340 triples, the call and the shell line. */
	static struct idmap_said said[3];
	int n;

	if (!msg_verbose())
		return;
	/* The writes as a second shell outside would type them, with our PID. */
	n = idmap_steps(p, pid, getpid(), rc, failed, err, status, said);
	for (int i = 0; i < n; i++) {
		errno = said[i].err;
		msg_narrate(said[i].shell, said[i].result, "%s", said[i].call);
	}
	errno = err;
}

int step_mount(const char *src, const char *dst, const char *type,
	       unsigned long flags, const char *data, const char *shell)
{
	char f[256];
	int rc = mount(src, dst, type, flags, data);

	if (!msg_verbose())
		return rc;	/* mf_str's words would be thrown away */
	msg_narrate(shell, rc, "mount(%s%s%s, \"%s\", %s%s%s, %s, %s%s%s)",
		    src ? "\"" : "", src ? src : "NULL", src ? "\"" : "", dst,
		    type ? "\"" : "", type ? type : "NULL", type ? "\"" : "",
		    mf_str(flags, 0, f, sizeof(f)),
		    data ? "\"" : "", data ? data : "NULL", data ? "\"" : "");
	return rc;
}

int step_propagate(unsigned long flag)
{
	if (step_mount(NULL, "/", MF_NO_TYPE, MS_REC | flag, NULL,
		       mf_propagate_shell(flag)) == 0)
		return 0;
	msg_fail(DIAG_MOUNT, CLONE_NEWNS, "%s", mf_propagate_shell(flag));
	return -1;
}

int step_fresh_sysfs(const char *dir)
{
	static char q[ESC_SHELL_LEN(PATH_MAX)], shell[ESC_SHELL_LEN(PATH_MAX) + 64];
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
	qd = esc_shell(dir, q, sizeof(q));
	rc = umount2(dir, MNT_DETACH);
	snprintf(shell, sizeof(shell), "umount -l %s", qd);
	if (rc == 0 || errno != EINVAL)
		msg_narrate(shell, rc, "umount2(\"%s\", MNT_DETACH)", dir);
	if (rc < 0 && errno != EINVAL)
		return -1;
	snprintf(shell, sizeof(shell), "mount -t sysfs -o %s sysfs %s",
		 flags & MS_RDONLY ? "ro,nosuid,nodev,noexec" : "nosuid,nodev,noexec", qd);
	return step_mount("sysfs", dir, "sysfs", flags, NULL, shell);
}

int step_fresh_proc(const char *dir)
{
	static char q[ESC_SHELL_LEN(PATH_MAX)], shell[ESC_SHELL_LEN(PATH_MAX) + 64];

	snprintf(shell, sizeof(shell), "mount -t proc -o nosuid,nodev,noexec proc %s",
		 esc_shell(dir, q, sizeof(q)));
	return step_mount("proc", dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, shell);
}

int step_netns_exec(const char *name)
{
	static char dir[PATH_MAX], src[PATH_MAX + NAME_MAX + 2], dst[NAME_MAX + 8],
		    q1[ESC_SHELL_LEN(PATH_MAX)], q2[ESC_SHELL_LEN(PATH_MAX)],
		    shell[2 * ESC_SHELL_LEN(PATH_MAX) + 16];
	struct dirent *e;
	DIR *d;

	if (step_unshare(CLONE_NEWNS, "unshare --mount --propagation unchanged") < 0 ||
	    step_propagate(MS_SLAVE) < 0)
		return -1;
	if (step_fresh_sysfs("/sys") < 0) {
		msg_fail(DIAG_MOUNT, CLONE_NEWNET, "mount a sysfs for network namespace %s on /sys", name);
		return -1;
	}
	snprintf(dir, sizeof(dir), "/etc/netns/%s", name);
	if (!(d = opendir(dir))) {
		if (errno == ENOENT)
			return 0;
		msg_err("open %s", dir);
		return -1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, e->d_name);
		snprintf(dst, sizeof(dst), "/etc/%s", e->d_name);
		snprintf(shell, sizeof(shell), "mount --bind %s %s", esc_shell(src, q1, sizeof(q1)),
			 esc_shell(dst, q2, sizeof(q2)));
		if (step_mount(src, dst, MF_NO_TYPE, MS_BIND, NULL, shell) < 0) {
			msg_fail(DIAG_MOUNT, 0, "bind %s on %s", src, dst);
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

/*
 * POSIX execvp, and glibc's, run an executable file the kernel refuses as
 * a program (ENOEXEC: a script without "#!") with /bin/sh; musl's returns
 * ENOEXEC.  Do what glibc does: /bin/sh FILE ARG...
 */
static void exec_script(char *const argv[])
{
	char buf[PATH_MAX];
	const char *file = lookup_command(argv[0], buf, sizeof buf);
	char **sh;
	size_t n = 0;

	if (!file) {
		errno = ENOEXEC;
		return;
	}
	while (argv[n])
		n++;
	if (!(sh = malloc((n + 2) * sizeof *sh))) {
		errno = ENOEXEC;
		return;
	}
	sh[0] = "/bin/sh";
	sh[1] = (char *)file;
	memcpy(sh + 2, argv + 1, n * sizeof *sh);	/* argv[1..n-1] and NULL */
	msg_note("%s: not a program (no #!): execv(\"/bin/sh\", \"%s\", ...)", file, file);
	execv(sh[0], sh);
	free(sh);
}

int step_exec(char *const argv[])
{
	/* Static: multicall_exec may run the command as the next step of this process. */
	static char *sh[2];
	int rc;

	if (!argv[0]) {
		const char *s = getenv("SHELL");

		sh[0] = (char *)(s && *s ? s : "/bin/sh");
		argv = sh;
	}
	msg_note("execvp(\"%s\", ...)", argv[0]);
	multicall_exec(argv);
	execvp(argv[0], argv);
	if (errno == ENOEXEC)
		exec_script(argv);
	/*
	 * env(1)'s convention, 127 when there is no such command and 126
	 * otherwise, except that ENOTDIR (a path through a file) is 127 too:
	 * it names no command either.  usernsselfmap(1) documents this.
	 */
	rc = errno == ENOENT || errno == ENOTDIR ? CHAIN_EXIT_NOTFOUND : CHAIN_EXIT_NOEXEC;
	msg_err("exec %s", argv[0]);
	return rc;
}
