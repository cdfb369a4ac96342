/* SPDX-License-Identifier: MIT */
/*
 * bpf: the words a seccomp filter of nslab is written in (seccomp(2),
 * "Filters"), for nsseccomp and the test helpers that simulate refusals.
 * Only macros: a filter is a table of instructions the kernel checks and
 * runs; nothing here runs in the program.
 */
#ifndef NSLAB_BPF_H
#define NSLAB_BPF_H

#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* The architecture the numbers of <sys/syscall.h> belong to. */
#if defined(__x86_64__)
#define BPF_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define BPF_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define BPF_ARCH AUDIT_ARCH_I386
#elif defined(__riscv) && __riscv_xlen == 64
#define BPF_ARCH AUDIT_ARCH_RISCV64
#else
#error "lib/bpf.h: add this architecture's AUDIT_ARCH_*; clone's flags are not its first argument on s390"
#endif

#ifndef __NR_clone3
#define __NR_clone3 435
#endif

/* The low 32 bits of argument n: where the flags of unshare, clone, mount are. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BPF_ARG_LO(n) offsetof(struct seccomp_data, args[n])
#else
#define BPF_ARG_LO(n) (offsetof(struct seccomp_data, args[n]) + 4)
#endif

#define BPF_LOAD(off)     BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define BPF_RETURN(v)     BPF_STMT(BPF_RET | BPF_K, (v))
#define BPF_DENY(err)     BPF_RETURN(SECCOMP_RET_ERRNO | ((err) & SECCOMP_RET_DATA))
/* The next instruction when the call is nr; else skip n of them. */
#define BPF_IF_NR(nr, n)  BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, (n))

#endif
