# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# nsmount: a private mount namespace with bind mounts, as root and as an
# unprivileged user (as_user: uid 65534 when root runs the suite) under
# usernsselfmap; the tests of nsmount itself (ns) run as the caller, under
# usernsselfmap when that is not root.  The oracle is the kernel: what the command
# sees, the errno of its writes, and /proc/self/mountinfo inside and on the
# host.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# The fixtures: a source with a marker file and a submount point, an empty
# target, a non-empty directory, two plain files, and a home.  Owned by the
# user of as_user so that, as root of its user namespace, it may write where
# a test wants the write refused by the mount and not by the permissions.
M=$SCRATCH/m
MARKER=$M/marker

# Undo every mount this suite made below the scratch directory, deepest first.
unmount_scratch() {
	awk -v s="$SCRATCH/" 'index($5, s) == 1 { print $5 }' /proc/self/mountinfo |
		sort -r | while read -r m; do umount -l "$m"; done
}

setUp() {
	unmount_scratch
	rm -rf "$M"
	mkdir -p "$M/src/sub" "$M/dst" "$M/full" "$M/home" "$M/locked" "$M/ub"
	echo hello >"$M/src/marker"
	echo file >"$M/file"
	echo other >"$M/file2"
	touch "$M/full/old" "$M/home/this-is-my-home"
	printf '#!/bin/sh\necho ran\n' >"$M/noexec"
	chmod 644 "$M/noexec"
	chmod -R a+rX "$M"
	[ "$(id -u)" = 0 ] && chown -R "$NOBODY:$NOBODY" "$M"
	host_snapshot
}
tearDown() {
	unmount_scratch
	assert_host_unchanged
}
oneTimeTearDown() {
	unmount_scratch
	nslab_cleanup
}

ns() { ns_root "$BIN/nsmount" "$@"; }
# The same, as words for a `sh -c` line.
NS_SH="'$BIN/nsmount'"
[ "$(id -u)" = 0 ] || NS_SH="'$BIN/usernsselfmap' $NS_SH"
ROOT_ONLY="nsmount without a user namespace takes CAP_SYS_ADMIN on the host"
# Narration is asserted where it is asked for, and only there.
unset NSLAB_VERBOSE

# A refusal (assert_refused, tests/lib.sh) names the marker the commands of
# the error tests touch: it is in the fixtures, owned by as_user's user.

# --- what the command sees

testBindVisibleAsRoot() {
	require_root "$ROOT_ONLY" || return 0
	run ns -b "$M/src:$M/dst" cat "$M/dst/marker"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals hello "$out"
	assertFalse "the host's target was touched" "[ -e '$M/dst/marker' ]"
}

testBindVisibleUnprivileged() {
	require_userns || return 0
	run as_user usernsselfmap nsmount -b "$M/src:$M/dst" cat "$M/dst/marker"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals hello "$out"
	assertFalse "the host's target was touched" "[ -e '$M/dst/marker' ]"
}

testBindIsWritableThrough() {
	require_userns || return 0
	run as_user usernsselfmap nsmount -b "$M/src:$M/dst" sh -c "echo new >'$M/dst/new'"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "written through to the source" new "$(cat "$M/src/new" 2>/dev/null)"
}

testFileOntoFile() {
	require_userns || return 0
	run as_user usernsselfmap nsmount -b "$M/file:$M/file2" cat "$M/file2"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals file "$out"
	assertEquals "the host's file is as it was" other "$(cat "$M/file2")"
}

# check_ro RUNNER...: a write below the read-only bind fails with EROFS, the
# same write through a plain bind works (so the assertion can fail).
check_ro() {
	run "$@" nsmount -r "$M/src:$M/dst" sh -c "cat '$M/dst/marker'; : >'$M/dst/new'"
	assertNotEquals "the write succeeded" 0 "$rc"
	assertEquals hello "$out"
	assertContains "$err" "Read-only file system"
	assertFalse "the write went through" "[ -e '$M/src/new' ]"
	run "$@" nsmount -b "$M/src:$M/dst" sh -c ": >'$M/dst/new'"
	assertEquals "a plain bind refused the write: $err" 0 "$rc"
	assertTrue "the write through a plain bind did not happen" "[ -e '$M/src/new' ]"
}
testRoBindRefusesWritesAsRoot() {
	require_root "$ROOT_ONLY" || return 0
	check_ro env PATH="$BIN:$PATH"
}
testRoBindRefusesWritesUnprivileged() {
	require_userns || return 0
	check_ro as_user usernsselfmap
}

# Mounts below the source are copied by the recursive bind, and made
# read-only too: a remount changes one mount only.
testRoBindCoversSubmounts() {
	require_userns || return 0
	run as_user usernsselfmap nsmount -t "$M/src/sub" \
		nsmount -r "$M/src:$M/dst" sh -c ": >'$M/dst/sub/new'"
	assertNotEquals "a write below a submount succeeded" 0 "$rc"
	assertContains "$err" "Read-only file system"
	run as_user usernsselfmap nsmount -t "$M/src/sub" \
		nsmount -b "$M/src:$M/dst" sh -c ": >'$M/dst/sub/new' && grep -c ' $M/dst/sub ' /proc/self/mountinfo"
	assertEquals "the submount is not copied, or not writable: $err" 1 "$out"
}

# Two mounts stacked on one point: the lower one is reached by no path, and
# the command (root in its user namespace) could unmount the upper one to
# reach it.  The copy is made read-only whole while it is still detached,
# the hidden mount too.
testRoBindWithStackedSubmounts() {
	require_userns || return 0
	run as_user usernsselfmap nsmount -t "$M/src/sub" -t "$M/src/sub" \
		nsmount -v -r "$M/src:$M/dst" awk -v d="$M/dst/sub" '$5 == d { print $6 }' /proc/self/mountinfo
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$err" "AT_EMPTY_PATH|AT_RECURSIVE, {.attr_set = MOUNT_ATTR_RDONLY}) = 0"
	assertEquals "both mounts on sub, read-only" "ro ro" "$(printf '%s\n' "$out" | cut -d, -f1 | paste -sd' ')"
}

# A mount whose remount a seccomp filter refuses: the bind is made but not
# made read-only, so the command must not run.
testRoBindRemountDenied() {
	require_userns || return
	SECCOMP=$TBIN/helpers/seccomp_deny_ns
	run as_user "$SECCOMP" --remount usernsselfmap nsmount -r "$M/src:$M/dst" touch "$MARKER"
	assert_refused nsmount "--ro-bind $M/src:$M/dst: make read-only the copy on $M/dst: Operation not permitted"
	assertContains "$err" "nsmount: hint: a seccomp filter may refuse mount(2)"
	# The filter explains the EPERM: no locked flags are blamed beside it.
	assertNotContains "no locked-flags hint under the filter: $err" "$err" "flags are locked"
}

testRoBindRemountDeniedAsRoot() {
	require_root "$ROOT_ONLY" || return
	SECCOMP=$TBIN/helpers/seccomp_deny_ns
	run "$SECCOMP" --remount "$BIN/nsmount" -r "$M/src:$M/dst" touch "$MARKER"
	assert_refused nsmount "--ro-bind $M/src:$M/dst: make read-only the copy on $M/dst: Operation not permitted"
	assertNotContains "as root in the initial user namespace, nothing is locked" \
		"$err" "locked"
}

# -r binds the namespace's view, not the command: a command that is root in
# its user namespace may remount the copy read-write (nsmount(1) says so).
check_ro_undone() {
	run "$@" nsmount -r "$M/src:$M/dst" sh -c "mount -o remount,bind,rw '$M/dst' && : >'$M/dst/new'"
	assertEquals "the remount or the write failed: $err" 0 "$rc"
	assertTrue "the write after remount,rw did not go through" "[ -e '$M/src/new' ]"
}
testRoBindIsTheNamespacesView() {
	require_userns || return
	check_ro_undone as_user usernsselfmap
}

testRoBindIsTheNamespacesViewAsRoot() {
	require_root "$ROOT_ONLY" || return
	check_ro_undone env PATH="$BIN:$PATH"
}

# The kernel locks nosuid, nodev, noexec and the atime flags of mounts that
# came from a more privileged namespace: a remount must keep them, or EPERM.
testRoBindKeepsLockedFlags() {
	require_root "mounts a tmpfs in a mount namespace of the host's root, then switches to uid 65534" || return 0
	require_userns || return 0
	run unshare -m sh -c "mount -t tmpfs -o nosuid,nodev,noexec,noatime,mode=0777 nslab-test '$M/locked' &&
		setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups env PATH='$NOBODY_BIN:$SYSPATH' \
		usernsselfmap nsmount -r '$M/locked:$M/dst' sh -c \"grep ' $M/dst ' /proc/self/mountinfo\""
	assertEquals "stderr: $err" 0 "$rc"
	for o in ro nosuid nodev noexec noatime; do
		assertTrue "$o is lost: $out" "printf '%s' '$out' | awk '{print \$6}' | tr , '\n' | grep -qx $o"
	done
	# What the kernel does to a remount that drops one: mount(8) carries
	# them too, unless told otherwise ("exec" drops noexec).
	run unshare -m sh -c "mount -t tmpfs -o nosuid,nodev,noexec,noatime nslab-test '$M/locked' &&
		setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups env PATH='$NOBODY_BIN:$SYSPATH' \
		usernsselfmap nsmount -b '$M/locked:$M/dst' mount -o remount,bind,ro,exec '$M/dst'"
	assertNotEquals "the kernel took a remount that drops locked flags" 0 "$rc"
	assertContains "$err" "ermission denied"
}

testTmpfsEmptyAndWritable() {
	require_userns || return 0
	run as_user usernsselfmap nsmount -t "$M/full" sh -c "ls -A '$M/full' | wc -l; : >'$M/full/new' && echo written"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "0|written" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
	assertEquals "the host's directory changed" old "$(ls -A "$M/full")"
}

testTmpfsAsRoot() {
	require_root "$ROOT_ONLY" || return 0
	run ns -t "$M/full" sh -c "ls -A '$M/full'; grep ' $M/full ' /proc/self/mountinfo"
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$out" " - tmpfs tmpfs "
	assertNotContains "$out" "old"
}

# The mounts happen in the order given: the last one on a target wins.
testOrderIsKept() {
	require_userns || return 0
	run ns -t "$M/dst" -b "$M/src:$M/dst" ls "$M/dst"
	assertContains "the bind made last is not on top: $out" "$out" marker
	run ns -b "$M/src:$M/dst" -t "$M/dst" ls -A "$M/dst"
	assertEquals "the tmpfs made last is not on top" "" "$out"
}

testDefaultBindsHomeOnRootAsRoot() {
	require_root "$ROOT_ONLY" || return 0
	run env HOME="$M/home" "$BIN/nsmount" ls /root
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals this-is-my-home "$out"
}

# The article's step: as the user, /root is refused; $HOME is on it after.
testDefaultBindsHomeUnprivileged() {
	require_userns || return 0
	touch "$NOBODY_HOME/nobodys-home"
	if [ "$(stat -c %a /root)" = 700 ]; then
		run as_user usernsselfmap ls /root
		assertNotEquals "root of a user namespace read the host's /root" 0 "$rc"
		assertContains "$err" "Permission denied"
	fi
	run as_user usernsselfmap nsmount ls /root
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals nobodys-home "$out"
	rm -f "$NOBODY_HOME/nobodys-home"
}

# The working directory follows the mounts: a command started in a target
# sees the mount, and one whose directory a tmpfs hid starts at /.
testWorkingDirectoryFollowsMounts() {
	require_userns || return 0
	run sh -c "cd '$M/dst' && $NS_SH -b '$M/src:$M/dst' sh -c 'pwd; ls'"
	assertEquals "stderr: $err" "$M/dst|marker|sub" "$(printf '%s\n' "$out" | paste -sd'|')"
	run sh -c "cd '$M/src/sub' && $NS_SH -t '$M/src' pwd"
	assertEquals "stderr: $err" / "$out"
}

testRelativePathsResolved() {
	require_userns || return 0
	run sh -c "cd '$M' && ln -s src link && $NS_SH -b link:./dst -r ../m/file:file2 cat dst/marker file2"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "hello|file" "$(printf '%s\n' "$out" | paste -sd'|')"
	run sh -c "cd '$M' && $NS_SH -b nope:dst touch '$MARKER'"
	assert_refused -1 nsmount "source nope: No such file or directory"
}

# --- no leak to the host

# shared_scratch: a tmpfs on the host, shared, with an empty directory in it.
shared_scratch() {
	S=$M/shared
	mkdir -p "$S" && mount -t tmpfs nslab-test "$S" && mount --make-shared "$S" &&
		mkdir "$S/target" || fail "cannot make a shared scratch mount"
}
host_sees() {
	awk -v t="$S/target" '$5 == t' /proc/self/mountinfo | grep -q .
}
inside_check() {
	echo "sh -c \"grep -q ' $S/target ' /proc/self/mountinfo && echo mounted\""
}

testNoLeakToSharedHostMount() {
	require_root "mounts a shared tmpfs on the host" || return 0
	shared_scratch
	for p in "" "--propagation=private" "--propagation=slave"; do
		eval "run ns $p -b '$M/src:$S/target' $(inside_check)"
		assertEquals "${p:-default}: not mounted inside: $err" mounted "$out"
		assertFalse "${p:-default}: the bind leaked to the host" host_sees
		if host_sees; then umount "$S/target"; fi
	done
}

# The proof can fail: without the step, the bind reaches the host.
testLeaksWhenPropagationUnchanged() {
	require_root "mounts a shared tmpfs on the host" || return 0
	shared_scratch
	for p in unchanged shared; do
		eval "run ns --propagation $p -b '$M/src:$S/target' $(inside_check)"
		assertEquals "$p: not mounted inside: $err" mounted "$out"
		assertEquals "$p: the warning" "nsmount: warning: --propagation $p: mounts made below a shared mount may appear on the host too" "$err"
		assertTrue "$p: the host does not see the bind" host_sees
		if host_sees; then umount "$S/target"; fi
	done
}

# In a user namespace the kernel itself turns shared mounts into slaves
# (mount_namespaces(7)): nothing leaks even with --propagation unchanged.
testUnprivilegedCannotLeak() {
	require_root "mounts a shared tmpfs on the host" || return 0
	require_userns || return 0
	shared_scratch
	chmod 777 "$S/target"
	run as_user usernsselfmap nsmount --propagation unchanged -b "$M/src:$S/target" \
		sh -c "grep -q ' $S/target ' /proc/self/mountinfo && echo mounted"
	assertEquals "not mounted inside: $err" mounted "$out"
	assertFalse "the bind leaked to the host" host_sees
}

# The command starts with 0, 1, 2 only, whatever nsmount opened on the way
# (mountinfo for a read-only bind, the current directory).
testOnlyStandardFds() {
	require_userns || return 0
	run as_user bash -c 'for fd in /proc/$$/fd/*; do n=${fd##*/}
		[ "$n" -gt 2 ] && eval "exec $n>&-"; done
		exec usernsselfmap nsmount -r "$1:$2" -t "$3" sh -c "ls /proc/\$\$/fd"' \
		sh "$M/src" "$M/dst" "$M/full"
	assertEquals "status; $err" 0 "$rc"
	assertEquals "0 1 2" "$(printf '%s\n' "$out" | paste -sd' ')"
}

# --- errors: 125, one line naming what was wrong, nothing run

testMissingSource() {
	run ns -b "$M/nope:$M/dst" touch "$MARKER"
	assert_refused -1 nsmount "--bind $M/nope:$M/dst: source $M/nope: No such file or directory"
}

testMissingTarget() {
	run ns -r "$M/src:$M/nope" touch "$MARKER"
	assert_refused -1 nsmount "--ro-bind $M/src:$M/nope: target $M/nope: No such file or directory"
}

testFileOntoDirectory() {
	run ns -b "$M/file:$M/dst" touch "$MARKER"
	assert_refused -1 nsmount "cannot bind file $M/file onto directory $M/dst"
}

testDirectoryOntoFile() {
	run ns -b "$M/src:$M/file" touch "$MARKER"
	assert_refused -1 nsmount "cannot bind directory $M/src onto file $M/file"
}

testTmpfsOnFile() {
	run ns -t "$M/file" touch "$MARKER"
	assert_refused -1 nsmount "--tmpfs $M/file: $M/file is not a directory"
	run ns -t "$M/nope" touch "$MARKER"
	assert_refused -1 nsmount "--tmpfs $M/nope: directory $M/nope: No such file or directory"
}

testBadSrcDst() {
	for a in nocolon :x x: a:b:c; do
		run ns -b "$a" touch "$MARKER"
		assert_refused -1 nsmount "--bind '$a': expected SRC:DST"
	done
}

# A mount on / does not change the command's root: refused, whatever the
# path that resolves to /, with the way to change the root as a hint.
testTargetIsRoot() {
	ln -s / "$M/toroot"
	for o in "--tmpfs /" "--tmpfs $M/toroot" "--tmpfs /.." "--ro-bind /:/" "--bind $M/src:$M/toroot/"; do
		run ns $o touch "$MARKER"
		assert_refused -1 nsmount "$o: the target is /, and a mount on / does not change the command's root: it would still see the old one"
		assertContains "$err" "nsmount: hint: --root DIR is how to give the command another root"
	done
	require_userns || return
	run as_user usernsselfmap nsmount -t / touch "$MARKER"
	assert_refused -1 nsmount "--tmpfs /: the target is /"
	run as_user usernsselfmap nsmount -r /:/ touch "$MARKER"
	assert_refused -1 nsmount "--ro-bind /:/: the target is /"
}

# --dev and --root on a path that resolves to / are refused the same way,
# before unshare: a tmpfs on / would leave --dev's files and a --dir below
# it in the old root, the host's.
# --dev is tried unprivileged only: were the check ever lost again, root would
# write into the host's real /.
testDevAndRootOnRootRefused() {
	ln -s / "$M/toroot"
	for o in "--root /" "--root $M/toroot"; do
		run ns -t "$M/dst" $o touch "$MARKER"
		assert_refused -1 nsmount "$o: the directory is / itself, the root already"
		assertContains "$err" "nsmount: hint: --root DIR is how to give the command another root"
	done
	require_userns || return 0
	for o in "--dev /" "--dev /tmp/.." "--dev $M/toroot"; do
		run as_user usernsselfmap nsmount $o --dir /made-on-host touch "$MARKER"
		assert_refused -1 nsmount "$o: the target is /, and a mount on / does not change the command's root"
		assertContains "$err" "nsmount: hint: --root DIR is how to give the command another root"
	done
	run as_user usernsselfmap nsmount --root / touch "$MARKER"
	assert_refused -1 nsmount "--root /: the directory is / itself"
	# The review's case: a directory of the unprivileged user's plays /, nsmount runs in it.
	# The system's libraries too, for a build that is not static (SAN=1).
	D=$M/fakeroot libs=
	mkdir "$D" "$D/bin" "$D/dev" "$D/proc"
	for l in usr lib lib64; do
		[ -e "/$l" ] && mkdir "$D/$l" && libs="$libs -r /$l:$D/$l"
	done
	want=$(ls "$D" | paste -sd' ')
	chmod -R a+rwx "$D"
	run as_user usernsselfmap nsmount -r "$BIN:$D/bin" -b "/dev:$D/dev" -b "/proc:$D/proc" \
		$libs --root "$D" /bin/nsmount --dev / --dir /made-on-host /bin/nsuts -V
	assertEquals "stderr: $err" 125 "$rc"
	assertContains "$err" "nsmount: --dev /: the target is /"
	assertEquals "written in the directory playing /" "$want" "$(ls "$D" | paste -sd' ')"
}

# Every mount is checked before the first one is made.
testLaterBadMountChangesNothing() {
	run ns -t "$M/full" -b "$M/src:$M/dst" -b "$M/src:$M/nope" touch "$MARKER"
	assert_refused -1 nsmount "target $M/nope"
}

testHomeUnsetEmptyOrNotADirectory() {
	run env -u HOME "$BIN/nsmount" touch "$MARKER"
	assert_refused nsmount "HOME is not set"
	assertContains "$err" "nsmount: hint: "
	run env HOME= "$BIN/nsmount" touch "$MARKER"
	assert_refused nsmount "HOME is empty"
	run env HOME="$M/file" "$BIN/nsmount" touch "$MARKER"
	assert_refused -1 nsmount "HOME=$M/file: not a directory"
	run env HOME="$M/nope" "$BIN/nsmount" touch "$MARKER"
	assert_refused -1 nsmount "HOME=$M/nope: No such file or directory"
}

testBadPropagation() {
	run ns --propagation=sharde touch "$MARKER"
	assert_refused -1 nsmount "--propagation 'sharde': expected private, slave, shared or unchanged"
}

testBadOptions() {
	run ns --frobnicate touch "$MARKER"
	assert_refused -1 nsmount "unknown option '--frobnicate'"
	run ns -b
	assert_refused -1 nsmount "option '-b' needs an argument"
	run ns -x touch "$MARKER"
	assert_refused -1 nsmount "unknown option '-x'"
}

# An unbindable mount cannot be bound: with --propagation unchanged that is
# said before anything is done.  By default it is made private first, which
# also makes it bindable (as unshare(1) does).
testUnbindableSource() {
	require_userns || return 0
	run ns_root unshare -m sh -c "mount -t tmpfs nslab-test '$M/ub' && mount --make-unbindable '$M/ub' &&
		'$BIN/nsmount' --propagation unchanged -b '$M/ub:$M/dst' touch '$MARKER'"
	assert_refused -1 nsmount "--bind $M/ub:$M/dst: the mount on $M/ub is unbindable"
	run ns_root unshare -m sh -c "mount -t tmpfs nslab-test '$M/ub' && mount --make-unbindable '$M/ub' &&
		'$BIN/nsmount' -b '$M/ub:$M/dst' true"
	assertEquals "made private, the mount is bindable: $err" 0 "$rc"
}

# Without CAP_SYS_ADMIN: the kernel's EPERM, and the way out.
testNotPermittedUnprivileged() {
	run as_user nsmount -b "$M/src:$M/dst" touch "$MARKER"
	assert_refused nsmount "unshare(CLONE_NEWNS): Operation not permitted"
	assertContains "$err" "hint: "
	assertContains "$err" "usernsselfmap"
}

# Fail closed: where the propagation cannot be changed (in a chroot, / is no
# mount point), no mount is made and the command does not run.
testFailsClosedWhenPropagationFails() {
	require_root "mounts a proc for the chroot, which takes CAP_SYS_ADMIN over the host's PID namespace" || return 0
	C=$M/chroot
	for f in /bin/sh "$BIN/nsmount"; do
		for l in "$f" $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
			mkdir -p "$C${l%/*}" && cp -L "$l" "$C$l"
		done
	done
	mkdir -p "$C/work" "$C/proc"
	# Sanitizer builds read /proc/self/maps; the proc mount dies with unshare's namespace.
	run unshare -m sh -c "mount -t proc proc '$C/proc' && chroot '$C' '$BIN/nsmount' -t /work sh -c ': >/marker'"
	assertEquals "stderr: $err" 125 "$rc"
	assertContains "$err" "nsmount: mount --make-rprivate /: Invalid argument"
	assertFalse "the command ran" "[ -e '$C/marker' ]"
	run unshare -m sh -c "mount -t proc proc '$C/proc' && chroot '$C' '$BIN/nsmount' --propagation unchanged -t /work sh -c ': >/marker'"
	assertEquals "stderr: $err" 0 "$rc"
	assertTrue "the command did not run without the step" "[ -e '$C/marker' ]"
}

# --- the chain

testCommandNotFoundOrNotExecutable() {
	require_userns || return 0
	run ns -b "$M/src:$M/dst" nslab-no-such-command
	assertEquals 127 "$rc"
	assertEquals "nsmount: exec nslab-no-such-command: No such file or directory" "$err"
	run ns -b "$M/src:$M/dst" "$M/noexec"
	assertEquals 126 "$rc"
	assertEquals "nsmount: exec $M/noexec: Permission denied" "$err"
	# A script without #! runs through /bin/sh (lib/chain, whichever libc).
	printf 'echo "$0|$#|$1"\n' >"$M/noshebang"
	chmod 755 "$M/noshebang"
	run ns -b "$M/src:$M/dst" "$M/noshebang" 'a b'
	assertEquals "status; $err" 0 "$rc"
	assertEquals "$M/noshebang|1|a b" "$out"
}

testExitStatusIsTheCommands() {
	require_userns || return 0
	run ns -b "$M/src:$M/dst" sh -c 'exit 7'
	assertEquals 7 "$rc"
}

testShellWhenNoCommand() {
	require_userns || return 0
	run env SHELL=/bin/echo "${NS_ROOT[@]}" "$BIN/nsmount" -b "$M/src:$M/dst"
	assertEquals 0 "$rc"
	assertEquals "" "$out"
	run env SHELL="$M/nope" "${NS_ROOT[@]}" "$BIN/nsmount" -b "$M/src:$M/dst"
	assertEquals 127 "$rc"
}

# --- --root, --dir, --dev: a root of its own, built in a tmpfs nsmount made

# The options that build a minimal root on $M/dst: the system read-only,
# /proc, a /dev and a writable /tmp, all below a tmpfs on it.  The callers
# split its output into words on purpose (no path in it has a blank).
root_opts() {
	R=$M/dst
	echo "-t $R --dir $R/usr -r /usr:$R/usr --dir $R/etc -r /etc:$R/etc"
	for l in bin lib lib64 sbin; do
		[ -e "/$l" ] && echo "--dir $R/$l -r /$l:$R/$l"
	done
	echo "--dir $R/proc -b /proc:$R/proc --dev $R/dev --dir $R/tmp --root $R"
}
# What the command in the new root reports: its directory, /, the mounts
# by target and type, and whether the host's tree is still in reach.
IN_ROOT='pwd; ls / | paste -sd" "
	awk "{ for (i = 7; \$i != \"-\"; i++); print \$5, \$(i + 1) }" /proc/self/mountinfo | sort | paste -sd" "
	[ -e "$1" ] && echo "the host is in reach"; echo x >/tmp/made-inside; echo ok'

# check_root: $out of IN_ROOT, as the command in the new root saw it.
check_root() {
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "starts at /" / "$(printf '%s\n' "$out" | sed -n 1p)"
	want=$(for d in bin dev etc lib lib64 proc sbin tmp usr; do
		case $d in bin|lib|lib64|sbin) [ -e "/$d" ] || continue ;; esac
		echo "$d"; done | paste -sd' ')
	assertEquals "the new root holds what was bound" "$want" "$(printf '%s\n' "$out" | sed -n 2p)"
	mounts=$(printf '%s\n' "$out" | sed -n 3p)
	assertContains "/ is the tmpfs: $mounts" " $mounts" " / tmpfs "
	for d in /dev /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /proc /usr; do
		assertContains "$d is not a mount inside: $mounts" " $mounts " " $d "
	done
	# The old root was detached: no mount of the host's tree is left but
	# those bound in, and no path reaches the host's scratch directory.
	assertNotContains "the host's tree is in reach: $mounts" " $mounts" "$M"
	assertEquals "the host's scratch directory is in reach" ok "$(printf '%s\n' "$out" | sed -n 4p)"
	assertFalse "the new root's file reached the host" "[ -e '$M/dst/tmp/made-inside' ]"
	assertEquals "the host's directory was written to" "" "$(ls -A "$M/dst")"
}

testRootUnprivileged() {
	require_userns || return
	# shellcheck disable=SC2046
	run as_user usernsselfmap nsmount $(root_opts) /bin/sh -c "$IN_ROOT" sh "$M"
	check_root
}

testRootAsRoot() {
	require_root "$ROOT_ONLY" || return
	# shellcheck disable=SC2046
	run ns $(root_opts) /bin/sh -c "$IN_ROOT" sh "$M"
	check_root
}

# The system is read-only, the device files are the host's and work.
testRootDevices() {
	require_userns || return
	# shellcheck disable=SC2046
	run as_user usernsselfmap nsmount $(root_opts) /bin/sh -c '
		echo gone >/dev/null && head -c 2 /dev/zero | od -An -tx1 | tr -d " "
		head -c 4 /dev/urandom | wc -c; echo x 2>/dev/null >/dev/full || echo full
		stat -c "%t:%T" /dev/null /dev/zero /dev/tty | paste -sd" "; : >/usr/x'
	assertEquals "0000|4|full|1:3 1:5 5:0" "$(printf '%s\n' "$out" | paste -sd'|')"
	assertContains "/usr is writable: $err" "$err" "Read-only file system"
}

testRootNarrated() {
	require_userns || return
	# shellcheck disable=SC2046
	run as_user usernsselfmap nsmount -v $(root_opts) /bin/true
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$err" "nsmount: open_tree(fd, \"$M/dst\", OPEN_TREE_CLONE|AT_RECURSIVE) = "
	assertContains "$err" "nsmount:   \$ mount --rbind $M/dst $M/dst"
	assertContains "$err" 'nsmount: pivot_root(".", ".") = 0'
	assertContains "$err" 'nsmount: umount2(".", MNT_DETACH) = 0'
	assertContains "$err" "nsmount:   \$ umount -l ."
	assertContains "$err" "nsmount:   \$ mkdir $M/dst/usr"
	assertContains "$err" "nsmount:   \$ mount --rbind /dev/null $M/dst/dev/null"
}

# --root comes last wherever it is given, and may be a directory of the host.
testRootOrderAndHostDirectory() {
	require_userns || return
	mkdir -p "$M/full/usr" "$M/full/lib" "$M/full/lib64"
	run as_user usernsselfmap nsmount --root "$M/full" -r /usr:"$M/full/usr" \
		-r /lib:"$M/full/lib" -r /lib64:"$M/full/lib64" /usr/bin/ls /
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "lib lib64 old usr" "$(printf '%s\n' "$out" | paste -sd' ')"
}

# --dir and --dev never create on the host: not outside a tmpfs nsmount
# made, and not through a bind mounted below one.
testDirCreatesOnlyInItsOwnTmpfs() {
	require_userns || return
	run as_user usernsselfmap nsmount --dir "$M/dst/new" touch "$MARKER"
	assert_refused -1 nsmount "--dir $M/dst/new: not below a --tmpfs or --dev given before it"
	assertFalse "made on the host" "[ -e '$M/dst/new' ]"
	run as_user usernsselfmap nsmount -t "$M/dst" --dir "$M/dst/s" -b "$M/src:$M/dst/s" \
		--dir "$M/dst/s/new" touch "$MARKER"
	assert_refused nsmount "--dir $M/dst/s/new: $M/dst/s is not in the tmpfs nsmount made on $M/dst"
	assertFalse "made in the bound host directory" "[ -e '$M/src/new' ]"
	# A later tmpfs below the first one: --dir may create in either.
	run as_user usernsselfmap nsmount -t "$M/dst" --dir "$M/dst/a" -t "$M/dst/a" \
		--dir "$M/dst/a/b/c" --dir "$M/dst/d" sh -c "cd '$M/dst' && find . | sort | paste -sd' '"
	assertEquals "stderr: $err" ". ./a ./a/b ./a/b/c ./d" "$out"
	assertEquals "the host's directory was written to" "" "$(ls -A "$M/dst")"
}

# --dev /dev: the tmpfs covers the devices it binds; they come from the
# descriptors opened before it, not from the new, empty tmpfs.
testDevOverDev() {
	require_userns || return
	run as_user usernsselfmap nsmount --dev /dev sh -c \
		'stat -c "%F %t:%T" /dev/null /dev/zero; echo x >/dev/null && ls /dev | wc -l'
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "character special file 1:3|character special file 1:5|10" \
		"$(printf '%s\n' "$out" | paste -sd'|')"
}

# ".." is refused only where nsmount would create: elsewhere the host
# resolves it as before.
testDotDotOutsideMadeTmpfs() {
	require_userns || return
	run as_user usernsselfmap sh -c "cd '$M/src' && nsmount -b ../src:../dst -t ../full --dev ../home cat ../dst/marker"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals hello "$out"
}

# --dev on a directory of the host: a tmpfs over it, nothing made below it.
testDevOnHostDirectory() {
	require_userns || return
	run as_user usernsselfmap nsmount --dev "$M/dst" sh -c "ls '$M/dst' | paste -sd' '"
	assertEquals "stderr: $err" "fd full null random stderr stdin stdout tty urandom zero" "$out"
	assertEquals "the host's directory was written to" "" "$(ls -A "$M/dst")"
}

testRootRefused() {
	require_userns || return
	run as_user usernsselfmap nsmount -t "$M/dst" --root "$M/dst" --propagation unchanged touch "$MARKER"
	assert_refused -1 nsmount "--root $M/dst: pivot_root(2) refuses shared mounts, which --propagation unchanged keeps"
	run as_user usernsselfmap nsmount --root "$M/dst" --root "$M/full" touch "$MARKER"
	assert_refused -1 nsmount "--root $M/full: a second --root"
	run as_user usernsselfmap nsmount -t "$M/dst" --root "$M/dst/none" touch "$MARKER"
	assert_refused nsmount "--root $M/dst/none: $M/dst/none: No such file or directory"
	assertContains "$err" "nsmount: hint: make it first: --dir $M/dst/none before --root"
	# A root without /bin: the command is not found there, 127.
	run as_user usernsselfmap nsmount -t "$M/dst" --root "$M/dst" touch "$MARKER"
	assertEquals "stderr: $err" 127 "$rc"
	assertContains "$err" "nsmount: hint: after --root the command, its libraries and its loader are looked up in $M/dst"
	# The binary is there, its loader (/lib64/ld-linux-*.so.2) is not: ENOENT too.
	run as_user usernsselfmap nsmount -t "$M/dst" --dir "$M/dst/usr" -r /usr:"$M/dst/usr" \
		--root "$M/dst" /usr/bin/true
	assertEquals "stderr: $err" 127 "$rc"
	assertContains "$err" "nsmount: exec /usr/bin/true: No such file or directory"
}

# The links --dev makes (fd -> /proc/self/fd, stdin ...) are followed by
# nothing nsmount does after: a mount on one would land on the process's
# own descriptors, or wherever the link points.
testDevSymlinksNotFollowed() {
	require_userns || return 0
	for o in "-t $M/dst/d/fd" "-t $M/dst/d/fd/x" "-b $M/file:$M/dst/d/stdin" "--root $M/dst/d/fd"; do
		run as_user usernsselfmap nsmount -t "$M/dst" --dev "$M/dst/d" $o touch "$MARKER"
		assert_refused nsmount "is a symbolic link, in the tmpfs nsmount made on $M/dst/d; nsmount follows none there"
	done
	run ns -t "$M/dst" --dev "$M/dst/d" -t "$M/dst/d/fd" touch "$MARKER"
	assert_refused nsmount "--tmpfs $M/dst/d/fd: $M/dst/d/fd is a symbolic link"
}

# "make it first: --dir" only where --dir could: it makes directories.
testDirHintOnlyForDirectories() {
	require_userns || return 0
	run as_user usernsselfmap nsmount -t "$M/dst" -r "$M/file:$M/dst/x" touch "$MARKER"
	assert_refused nsmount "--ro-bind $M/file:$M/dst/x: $M/dst/x: No such file or directory"
	assertNotContains "no --dir hint for a file: $err" "$err" "--dir"
	run as_user usernsselfmap nsmount -t "$M/dst" -r "$M/src:$M/dst/x" touch "$MARKER"
	assert_refused nsmount "--ro-bind $M/src:$M/dst/x: $M/dst/x: No such file or directory"
	assertContains "$err" "nsmount: hint: make it first: --dir $M/dst/x before --ro-bind"
}

# Over /dev, each device is bound from a descriptor: no "$ mount" line names
# /proc/self/fd, which typed would be the shell's own.
testDevOverDevNarrated() {
	require_userns || return 0
	run as_user usernsselfmap nsmount -v --dev /dev true
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$err" 'nsmount: open_tree(fd, "/dev/null", OPEN_TREE_CLONE|AT_RECURSIVE) = '
	assertContains "$err" "nsmount: note: the tmpfs on /dev covers the host's /dev"
	assertNull "a shell line names /proc/self/fd/N" \
		"$(printf '%s\n' "$err" | grep '^nsmount:   \$ mount .*/proc/self/fd/')"
}

testOptionsStopAtTheCommand() {
	require_userns || return 0
	run ns -b "$M/src:$M/dst" ls -A -t "$M/dst"
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$out" marker
}

has_line() { printf '%s\n' "$err" | grep -qxF -- "$1"; }

testVerboseNarratesEachMount() {
	require_userns || return 0
	run ns -v -b "$M/src:$M/dst" -r "$M/src:$M/full" -t "$M/home" true
	assertEquals "stderr: $err" 0 "$rc"
	for want in 'nsmount: unshare(CLONE_NEWNS) = 0' \
		'nsmount: mount(NULL, "/", "none", MS_REC|MS_PRIVATE, NULL) = 0' \
		'nsmount:   $ mount --make-rprivate /' \
		"nsmount: open_tree(AT_FDCWD, \"$M/src\", OPEN_TREE_CLONE|AT_RECURSIVE) = 4" \
		"nsmount:   \$ mount --rbind $M/src $M/dst" \
		"nsmount:   \$ mount --rbind $M/src $M/full" \
		"nsmount:   \$ mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs $M/home"; do
		assertTrue "missing narration: $want" 'has_line "$want"'
	done
	assertTrue "no remount narrated: $err" 'has_line "nsmount:   \$ mount -o remount,bind,ro $M/full"'
	run ns -b "$M/src:$M/dst" true
	assertEquals "narrated without -v" "" "$err"
}

testVerboseFlowsDownTheChain() {
	require_userns || return 0
	run as_user usernsselfmap -v nsmount -b "$M/src:$M/dst" true
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$err" "usernsselfmap: unshare(CLONE_NEWUSER) = 0"
	assertContains "$err" "nsmount:   \$ mount --rbind $M/src $M/dst"
}

testVerboseQuotesOddPaths() {
	require_userns || return 0
	mkdir "$M/a b" "$M/it's"
	run ns -v -b "$M/a b:$M/it's" true
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$err" "\$ mount --rbind '$M/a b' '$M/it'\\''s'"
}

# --- a concurrent attacker: nothing is ever made outside nsmount's tmpfs

# A parent directory of the path, swapped again and again for a symbolic
# link to a directory of the host (tests/helpers/swapdir, renameat2
# RENAME_EXCHANGE): --dev and --dir must create only in the tmpfs nsmount
# mounted, whichever it sees.  Each nsmount may fail (125) or succeed; the
# host's directories must hold what they held.
race_runs() {
	D=$M/race
	mkdir -p "$D/a/vict" "$D/out/vict"
	ln -s "$D/out" "$D/b"
	"$TBIN/helpers/swapdir" "$D/a" "$D/b" 4000000 &
	swapper=$!
	for _ in $(seq 150); do
		"$@" --dev "$D/a/vict" true
		"$@" -t "$D/a" --dev "$D/a/dev" true
		"$@" -t "$D/a" --dir "$D/a/x/y" --dev "$D/a/x/y/dev" true
	done >/dev/null 2>&1
	kill "$swapper" 2>/dev/null
	wait "$swapper" 2>/dev/null
	[ -L "$D/a" ] && mv -T "$D/a" "$D/c" && mv -T "$D/b" "$D/a" && mv -T "$D/c" "$D/b"
	assertEquals "made in the host's directory the link leads to" "vict" "$(ls -A "$D/out")"
	assertEquals "made in the host's directory the link leads to" "" "$(ls -A "$D/out/vict")"
	assertEquals "made in the host's directory" "vict" "$(ls -A "$D/a")"
	assertEquals "made in the host's directory" "" "$(ls -A "$D/a/vict")"
}

testRaceCreatesNothingOutsideAsRoot() {
	require_root "$ROOT_ONLY" || return 0
	race_runs "$BIN/nsmount"
}

testRaceCreatesNothingOutsideUnprivileged() {
	require_userns || return 0
	[ "$(id -u)" = 0 ] && chown -R "$NOBODY:$NOBODY" "$M"
	race_runs as_user "$BIN/usernsselfmap" "$BIN/nsmount"
}

# --- --sys: a fresh sysfs for the current network namespace

# The host's links are not the new network namespace's: /sys/class/net
# lists only lo after nsnet and --sys, as `ip link` does.
testSysShowsTheNewNetnsAsRoot() {
	require_root "nsnet and nsmount without a user namespace take CAP_SYS_ADMIN on the host" || return 0
	run "$BIN/nsnet" "$BIN/nsmount" --sys /sys ls /sys/class/net
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals lo "$out"
}

testSysShowsTheNewNetnsUnprivileged() {
	require_userns || return 0
	run as_user usernsselfmap nsnet nsmount -v --sys /sys ls /sys/class/net
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals lo "$out"
	assertContains "$err" '$ mount -t sysfs -o nosuid,nodev,noexec sysfs /sys'
}

# A read-only /sys gives a read-only fresh one: the kernel would refuse a
# more permissive one where the old one is locked read-only.  The last
# mount on /sys is the one a path reaches.
testSysKeepsReadOnly() {
	require_userns || return 0
	run ns -r /sys:/sys "$BIN/nsnet" "$BIN/nsmount" --sys /sys \
		awk '$5 == "/sys" { o = $6 } END { print o }' /proc/self/mountinfo
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$out" "ro,"
	assertNotContains "$out" "rw,"
}

# In a tmpfs, for a new root: the sysfs is mounted on a directory --dir made.
testSysInATmpfs() {
	require_userns || return 0
	run as_user usernsselfmap nsnet nsmount -t "$M/dst" --dir "$M/dst/sys" \
		--sys "$M/dst/sys" ls "$M/dst/sys/class/net"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals lo "$out"
}

# -n: a bare mount namespace, as unshare -m: no $HOME on /root.
testNoHomeIsBare() {
	require_userns || return 0
	run as_user usernsselfmap nsmount -n sh -c 'ls -A /root 2>&1; readlink /proc/self/ns/mnt'
	assertEquals "stderr: $err" 0 "$rc"
	assertNotContains "the home was bound: $out" "$out" "$(ls -A "$NOBODY_HOME" | head -1)x"
	assertNotEquals "no new mount namespace" "$(readlink /proc/self/ns/mnt)" "$(printf '%s\n' "$out" | tail -1)"
	run as_user usernsselfmap nsmount -n -v true
	assertNotContains "$err" "mount --rbind"
	assertContains "$err" '$ mount --make-rprivate /'
	run as_user usernsselfmap env HOME= nsmount --no-home true
	assertEquals "HOME is not needed with -n: $err" 0 "$rc"
}

# A root of procfs or sysfs would give the host's tree back: refused.
testRootOnProcOrSysRefused() {
	require_userns || return 0
	for r in /proc /proc/self/task /proc/sys /sys /sys/fs/cgroup; do
		run as_user usernsselfmap nsmount --root "$r" touch "$MARKER"
		assert_refused -1 nsmount "--root $r: "
		assertContains "$err" "is in a procfs or sysfs"
	done
	require_root "$ROOT_ONLY" || return 0
	run ns --root /proc touch "$MARKER"
	assert_refused -1 nsmount "--root /proc: /proc is in a procfs or sysfs"
}

# --proc after nspid: the new root's proc shows only the new PID namespace.
testProcOfTheNewPidNamespace() {
	require_userns || return 0
	run as_user usernsselfmap nspid --no-proc nsmount -t "$M/dst" --dir "$M/dst/proc" \
		--proc "$M/dst/proc" sh -c "ls '$M/dst/proc' | grep -c '^[0-9]*\$'"
	assertEquals "stderr: $err" 0 "$rc"
	assertTrue "more than a few processes in the new proc: $out" "[ '$out' -le 3 ]"
}

# After --root no proc is visible: a proc mounted then is refused, with why.
# The tools are bound in with what a dynamic build (SAN=1) needs to run.
# A sanitized tool cannot end cleanly without a /proc (LeakSanitizer's exit
# reads /proc/PID/task, fails, and exits 1 whatever detect_leaks says): there
# the messages are asserted, not the status.
san_build() { ldd "$BIN/nsmount" 2>/dev/null | grep -q libasan; }
bare_root_opts() {
	R=$M/dst
	echo "-t $R --dir $R/proc --dir $R/nsbin -r $BIN:$R/nsbin --dir $R/usr -r /usr:$R/usr"
	for l in lib lib64; do
		[ -e "/$l" ] && echo "--dir $R/$l -r /$l:$R/$l"
	done
	echo "--root $R"
}
testProcRefusedWithoutAVisibleOne() {
	require_userns || return 0
	# shellcheck disable=SC2046
	run as_user usernsselfmap nsmount $(bare_root_opts) /nsbin/nsmount -n --proc /proc true
	san_build || assertEquals "stderr: $err" 125 "$rc"
	assertContains "$err" "nsmount: --proc /proc: mount proc on /proc: Operation not permitted"
	assertContains "$err" "nsmount: hint: no proc is fully visible in this mount namespace"
	# nspid placed after --root: its /proc is refused the same way, and says so.
	# shellcheck disable=SC2046
	run as_user usernsselfmap nsmount $(bare_root_opts) /nsbin/nspid true
	san_build || assertEquals "stderr: $err" 125 "$rc"
	assertContains "$err" "nspid: mount proc on /proc: Operation not permitted"
	assertContains "$err" "nspid: hint: no proc is fully visible in this mount namespace"
}

testHelpAndVersion() {
	run ns --help
	assertEquals 0 "$rc"
	for o in --bind --ro-bind --tmpfs --propagation --verbose --sys --proc --no-home; do
		assertContains "--help lacks $o" "$out" "$o"
	done
	run ns -V
	assertEquals 0 "$rc"
	assertContains "$out" "nsmount (nslab) "
}

# shellcheck source=/dev/null
. shunit2
