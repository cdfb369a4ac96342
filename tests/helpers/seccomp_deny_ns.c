/* SPDX-License-Identifier: MIT */
/*
 * seccomp_deny_ns COMMAND [ARG]...: run COMMAND under a seccomp filter that
 * refuses namespaces the way Docker's default profile does for a container
 * without CAP_SYS_ADMIN: unshare(2) with a CLONE_NEW* flag, setns(2) and
 * clone(2) with a CLONE_NEW* flag fail with EPERM, clone3(2) with ENOSYS
 * (seccomp cannot look into its argument struct, so libc falls back to
 * clone).  Everything else is allowed.  Tests use it to reproduce, without
 * Docker, the failure bitbake's disable_network() ignores.
 *
 * seccomp_deny_ns --remount COMMAND [ARG]...: instead, mount(2) with
 * MS_REMOUNT and mount_setattr(2) fail with EPERM and namespaces are
 * allowed: nsmount -r must then fail closed, since its copy cannot be made
 * read-only.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf.h"

/* CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET}; unshare also takes CLONE_NEWTIME
 * (0x80), which clone(2) reads as part of the exit signal. */
#define NS_CLONE_FLAGS   0x7E020000u
#define NS_UNSHARE_FLAGS 0x7E020080u

#define ARG0_LO BPF_ARG_LO(0)

#define MS_REMOUNT_FLAG 32u	/* MS_REMOUNT, mount(2)'s fourth argument */

#define RET(v)        BPF_RETURN(v)
#define DENY(err)     BPF_DENY(err)
/* Another architecture's syscall numbers mean other calls: refuse them all;
 * then load the syscall number. */
#define LOAD_NR \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_ARCH, 1, 0), \
	RET(SECCOMP_RET_KILL_PROCESS), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))

int main(int argc, char *argv[])
{
	struct sock_filter filter[] = {
		LOAD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_setns, 0, 1),
		DENY(EPERM),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
		DENY(ENOSYS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_LO),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NS_UNSHARE_FLAGS, 0, 1),
		DENY(EPERM),
		RET(SECCOMP_RET_ALLOW),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_LO),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NS_CLONE_FLAGS, 0, 1),
		DENY(EPERM),
		RET(SECCOMP_RET_ALLOW),
		RET(SECCOMP_RET_ALLOW),
	};
	struct sock_filter remount[] = {
		LOAD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mount_setattr, 0, 1),
		DENY(EPERM),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mount, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_ARG_LO(3)),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, MS_REMOUNT_FLAG, 0, 1),
		DENY(EPERM),
		RET(SECCOMP_RET_ALLOW),
	};
	struct sock_filter echild[] = {
		LOAD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_wait4, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_waitid, 0, 1),
		DENY(ECHILD),
		RET(SECCOMP_RET_ALLOW),
	};
	struct sock_filter pdeathsig[] = {
		LOAD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, BPF_ARG_LO(0)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_SET_PDEATHSIG, 0, 1),
		DENY(EPERM),
		RET(SECCOMP_RET_ALLOW),
	};
#define MODE(name, f) { name, f, (unsigned short)(sizeof(f) / sizeof(f[0])) }
	const struct {
		const char *option;
		struct sock_filter *filter;
		unsigned short len;
	} modes[] = {
		MODE("--remount", remount),
		MODE("--wait-echild", echild),
		MODE("--deny-pdeathsig", pdeathsig),
	};
	struct sock_fprog prog = {
		.len = (unsigned short)(sizeof(filter) / sizeof(filter[0])),
		.filter = filter,
	};

	for (size_t i = 0; argc > 1 && i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(argv[1], modes[i].option) != 0)
			continue;
		prog.len = modes[i].len;
		prog.filter = modes[i].filter;
		argv++;
		argc--;
		break;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: seccomp_deny_ns [--remount|--wait-echild|--deny-pdeathsig] command [arg ...]\n");
		return 125;
	}
	/* Without privilege, a filter is only accepted after no_new_privs (seccomp(2)). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		fprintf(stderr, "seccomp_deny_ns: prctl(PR_SET_NO_NEW_PRIVS): %s\n", strerror(errno));
		return 125;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) {
		fprintf(stderr, "seccomp_deny_ns: prctl(PR_SET_SECCOMP): %s\n", strerror(errno));
		return 125;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "seccomp_deny_ns: exec %s: %s\n", argv[1], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
