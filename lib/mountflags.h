/* SPDX-License-Identifier: MIT */
/*
 * mountflags: the words of a mount(2) call: its flags as strace and
 * mount(8) say them, and the command a propagation change is.  lib/step
 * makes and narrates the mounts; lib/mountinfo reads the mount table back.
 */
#ifndef NSLAB_MOUNTFLAGS_H
#define NSLAB_MOUNTFLAGS_H

/*
 * The file system type the kernel ignores for a bind, a remount and a
 * propagation change; mount(8) passes "none" for a bind, and valgrind
 * checks the string even where the kernel does not read it.
 */
#define MF_NO_TYPE "none"

/*
 * --propagation's words: "private", "slave", "shared" (MS_PRIVATE,
 * MS_SLAVE, MS_SHARED) or "unchanged" (0) into *flag.  0, or -1 with
 * errno = EINVAL for another word.
 */
int mf_propagation(const char *name, unsigned long *flag);

/* The command step_propagate(flag) is equivalent to: "mount --make-rprivate /". */
const char *mf_propagate_shell(unsigned long flag);

/*
 * "MS_BIND|MS_REC" for narration, or as mount -o words "remount,bind,ro"
 * when as_options.  Writes into buf; returns buf, or "0" for no flag.
 */
const char *mf_str(unsigned long flags, int as_options, char *buf, size_t len);

#endif
