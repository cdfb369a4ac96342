/* SPDX-License-Identifier: MIT */
/*
 * nsseccomp: refuse namespaces to a command the way Docker's default seccomp
 * profile refuses them to a container without CAP_SYS_ADMIN.  Set
 * no_new_privs, load a seccomp filter (unshare and setns: EPERM whatever
 * their flags; clone with a CLONE_NEW* flag: EPERM; clone3: ENOSYS), check
 * that it bites, then exec.  With --no-userns only new user namespaces are
 * refused.  Everything else is allowed.
 */
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "bpf.h"
#include "exits.h"
#include "keep.h"
#include "msg.h"
#include "opts.h"
#include "proc.h"
#include "step.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: nsseccomp [-hsuvV] [command [arg ...]]\n"
"\n"
"Run COMMAND (default $SHELL) under a seccomp filter that refuses\n"
"namespaces as Docker's default profile does: unshare(2) and setns(2)\n"
"fail with EPERM, clone(2) with a CLONE_NEW* flag with EPERM, clone3(2)\n"
"with ENOSYS.  The filter stays for COMMAND and all it starts.\n"
"\n"
"  -u, --no-userns     refuse only new user namespaces (unshare and clone\n"
"                      with CLONE_NEWUSER; clone3), as bwrap --disable-userns\n"
"                      means, by a filter instead of a limit\n"
"  -s, --keep-setuid   do not set no_new_privs, as Docker does not: needs\n"
"                      CAP_SYS_ADMIN; setuid programs then still work\n");
}

static const struct option longopts[] = {
	{ "keep-setuid", no_argument, NULL, 's' },
	{ "no-userns",   no_argument, NULL, 'u' },
	{ NULL, 0, NULL, 0 }
};

/*
 * CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET}: Docker's mask 0x7E020000
 * (2114060288 in moby's profiles/seccomp/default.json).  clone(2) reads the
 * low byte as the exit signal, so CLONE_NEWTIME (0x80) is not in it.
 */
#define NS_CLONE_FLAGS 0x7E020000u

#define LD(off)        BPF_LOAD(off)
#define IF_NR(nr, n)   BPF_IF_NR(nr, n)
#define RET(v)         BPF_RETURN(v)
#define DENY(err)      BPF_DENY(err)
/* Allow unless the low word of argument 0 has one of `flags`. */
#define DENY_FLAGS(flags) \
	LD(BPF_ARG_LO(0)), BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, (flags), 0, 1), \
	DENY(EPERM), RET(SECCOMP_RET_ALLOW)

/*
 * Another architecture's numbers name other calls (a 32-bit program on a
 * 64-bit kernel; x32's calls carry bit 30 on x86-64), so a filter written
 * in this one's numbers would let them through: they are refused as calls
 * this filter does not know (ENOSYS), fail closed.
 */
#define ARCH_GUARD \
	LD(offsetof(struct seccomp_data, arch)), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_ARCH, 1, 0), DENY(ENOSYS), \
	LD(offsetof(struct seccomp_data, nr)), \
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1), DENY(ENOSYS)

static struct sock_filter docker[] = {
	ARCH_GUARD,
	IF_NR(__NR_unshare, 1), DENY(EPERM),
	IF_NR(__NR_setns, 1), DENY(EPERM),
	IF_NR(__NR_clone3, 1), DENY(ENOSYS),
	IF_NR(__NR_clone, 4), DENY_FLAGS(NS_CLONE_FLAGS),
	RET(SECCOMP_RET_ALLOW),
};

static struct sock_filter no_userns[] = {
	ARCH_GUARD,
	IF_NR(__NR_unshare, 4), DENY_FLAGS(CLONE_NEWUSER),
	IF_NR(__NR_clone, 4), DENY_FLAGS(CLONE_NEWUSER),
	IF_NR(__NR_clone3, 1), DENY(ENOSYS),
	RET(SECCOMP_RET_ALLOW),
};

int main(int argc, char *argv[])
{
	struct opts o = { .shortopts = "su", .longopts = longopts, .usage = usage, .kind = OPTS_CHAIN };
	struct sock_fprog prog = { sizeof(docker) / sizeof(docker[0]), docker };
	int c, nnp = 1, userns_only = 0, rc, probe;

	msg_init(argv[0]);
	while ((c = opts_next(&o, argc, argv)) != OPTS_END) {
		switch (c) {
		case 's':
			nnp = 0;
			break;
		case 'u':
			userns_only = 1;
			prog.len = sizeof(no_userns) / sizeof(no_userns[0]);
			prog.filter = no_userns;
			break;
		case OPTS_EXIT:
			return o.status;
		}
	}
	/* Without CAP_SYS_ADMIN the kernel takes a filter only after no_new_privs (seccomp(2)). */
	if (nnp) {
		rc = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		msg_narrate(NULL, rc, "prctl(PR_SET_NO_NEW_PRIVS, 1)");
		if (rc < 0) {
			msg_err("prctl(PR_SET_NO_NEW_PRIVS)");
			return CHAIN_EXIT_FAIL;
		}
	}
	rc = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
	msg_narrate(NULL, rc, "prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {%u instructions: %s})",
		    prog.len, userns_only ? "no new user namespaces" : "no namespaces, as Docker's profile");
	if (rc < 0) {
		msg_err("prctl(PR_SET_SECCOMP)");
		if (errno == EACCES && !nnp)
			msg_hint("without no_new_privs the kernel takes a filter only from a process with CAP_SYS_ADMIN in its user namespace%s; drop -s",
				 pr_has_cap(CAP_SYS_ADMIN) == 0 ? ", which this one has not" : "");
		else if (errno == EINVAL)
			msg_hint("this kernel has no seccomp filters (CONFIG_SECCOMP_FILTER)");
		return CHAIN_EXIT_FAIL;
	}
	/*
	 * A filter that silently did not bite is a failed step: unshare(0)
	 * changes nothing if it runs, and the Docker filter refuses it; the
	 * user-namespace one must refuse unshare(CLONE_NEWUSER), which would
	 * otherwise make one (then nothing runs: 125).
	 */
	probe = userns_only ? CLONE_NEWUSER : 0;
	rc = unshare(probe);
	msg_narrate(NULL, rc, "unshare(%s)", probe ? "CLONE_NEWUSER" : "0");
	if (rc == 0 || errno != EPERM) {
		msg_say("the filter does not refuse unshare(%s): %s", probe ? "CLONE_NEWUSER" : "0",
			rc == 0 ? "it succeeded" : strerror(errno));
		return CHAIN_EXIT_FAIL;
	}
	if (keep_after(&o, NULL, getpid(), -1, KEEP_ALL) < 0)
		return CHAIN_EXIT_FAIL;
	return step_exec(argv + optind);
}
