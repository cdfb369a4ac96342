/* SPDX-License-Identifier: MIT */
/*
 * floor_seccomp: the floor of `nsseccomp COMMAND`: no_new_privs, a filter
 * refusing unshare, setns, clone with a CLONE_NEW* flag and clone3, then
 * execvp.  No architecture check and no probe: the least a filter of the
 * same refusals costs.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "floor.h"

/* Go on to the next instruction when the call is n, else skip `skip`. */
#define NR(n, skip) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, (skip))
#define IS(n, to)   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), (to), 0)
#define RET(v)      BPF_STMT(BPF_RET | BPF_K, (v))

int main(int argc, char *argv[])
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		IS(SYS_unshare, 1), NR(SYS_setns, 1), RET(SECCOMP_RET_ERRNO | EPERM),
		NR(435, 1), RET(SECCOMP_RET_ERRNO | ENOSYS),
		NR(SYS_clone, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x7E020000u, 0, 1),
		RET(SECCOMP_RET_ERRNO | EPERM),
		RET(SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	(void)argc;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		floor_die("prctl(PR_SET_NO_NEW_PRIVS)");
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		floor_die("prctl(PR_SET_SECCOMP)");
	floor_exec(argv + 1);
}
