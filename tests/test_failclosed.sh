# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Fail closed, every chain tool, every simulated environment: the command
# never runs, the exit status is 125, and the hint names the real cause.
# nsinfo --check must see the same cause before anything runs (exit 1).
#
# The simulations change nothing on the host: a seccomp filter on one process
# tree (tests/helpers/seccomp_deny_ns), namespace limits set to 0 inside a
# user namespace the test owns (limit_zero), a chroot inside a user and mount
# namespace of our own (in_chroot), bubblewrap's --disable-userns, and
# capabilities dropped by a non-zero inside uid.  Threads are covered by
# unit_diag.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

SECCOMP=$TBIN/helpers/seccomp_deny_ns

setUp() { host_snapshot; rm -f "$MARKER"; }
tearDown() { assert_host_unchanged; }

# refused TOOL HINT: exit 125, every line "TOOL: ", the hint present, not run.
refused() {
	assert_refused "$1"
	assertContains "$1: the hint" "$err" "$1: hint: $2"
}

# The chain tools, each asked for its own step, as the unprivileged user
# (as_user) where that works.
# Under a user namespace (limit_zero, in_chroot) nsnet and nsmount run as its
# root; -U and usernsselfmap make their own.
# (A list, not a pipe: assertions in a pipeline's subshell are not counted.)
CHAIN_CASES="usernsselfmap|nsnet -U|usernsselfmap nsnet --veth a:b --addr a=10.204.0.1/24|usernsselfmap nsmount"
# The tools with one kind each (nspid and nstime keep, the others exec).
KIND_TOOLS="nsuts:uts nsipc:ipc nscgroup:cgroup nspid:pid nstime:time"

testSeccompEveryChainTool() {
	require_userns || return 0
	IFS='|'; set -- $CHAIN_CASES; unset IFS
	for cmd in "$@"; do
		run as_user "$SECCOMP" $cmd touch "$MARKER"
		refused "${cmd%% *}" "a seccomp filter blocks namespace creation (Seccomp: 2 in /proc/self/status);"
		# The helper sets NoNewPrivs, which Docker does not: ranked first,
		# and a /.dockerenv (this machine may have one) proves nothing.
		assertContains "$err" "hint: NoNewPrivs: 1 as well"
		assertNotContains "$err" "looks like Docker"
		assertNotContains "$err" "as under Docker"
	done
}

# As root too: privilege does not get past the filter.
testSeccompEveryChainToolAsRoot() {
	require_root "the tools' own steps without a user namespace take CAP_SYS_ADMIN on the host" || return 0
	for cmd in "nsnet" "nsmount" "nsnet -U" "nsuts --hostname x" "nsipc" "nscgroup"; do
		run "$SECCOMP" "$BIN/${cmd%% *}" ${cmd#"${cmd%% *}"} touch "$MARKER"
		refused "${cmd%% *}" "a seccomp filter blocks namespace creation"
	done
}

# nspid and nstime behind the filter: installed inside the user namespace,
# so that they, not usernsselfmap, meet it; and as root.
testSeccompPidAndTime() {
	require_userns || return
	for cmd in nspid "nspid --init" nstime "nstime --fork"; do
		run as_user usernsselfmap "$SECCOMP" $cmd touch "$MARKER"
		refused "${cmd%% *}" "a seccomp filter blocks namespace creation (Seccomp: 2 in /proc/self/status);"
	done
}

testSeccompPidAndTimeAsRoot() {
	require_root "nspid and nstime without a user namespace take CAP_SYS_ADMIN on the host" || return
	for cmd in nspid nstime; do
		run "$SECCOMP" "$BIN/$cmd" touch "$MARKER"
		refused "$cmd" "a seccomp filter blocks namespace creation"
	done
}

testSeccompCheckTellsFirst() {
	run as_user "$SECCOMP" nsinfo --check
	assertEquals 1 "$rc"
	for kind in user net mnt uts ipc pid cgroup time; do
		assertTrue "$kind not reported as failing" \
			"printf '%s\n' \"\$out\" | grep -Eq '^$kind +FAILED'"
	done
	assertContains "$out" "hint: a seccomp filter blocks namespace creation"
	run as_user "$SECCOMP" nsinfo --check --json
	assertEquals 1 "$rc"
	assertEquals "every kind failed in JSON" 0 \
		"$(printf '%s' "$out" | jq '[.. | objects | select(has("ok")) | select(.ok)] | length')"
}

testLimitsAtZero() {
	require_userns || return 0
	run limit_zero user usernsselfmap touch "$MARKER"
	refused usernsselfmap "user.max_user_namespaces is 0 here"
	run limit_zero net nsnet touch "$MARKER"
	refused nsnet "user.max_net_namespaces is 0 here"
	run limit_zero net nsnet -U touch "$MARKER"
	refused nsnet "user.max_net_namespaces is 0 here"
	run limit_zero user nsnet -U touch "$MARKER"
	refused nsnet "user.max_user_namespaces is 0 here"
	run limit_zero mnt nsmount touch "$MARKER"
	refused nsmount "user.max_mnt_namespaces is 0 here"
	for tk in $KIND_TOOLS; do
		run limit_zero "${tk#*:}" "${tk%:*}" touch "$MARKER"
		refused "${tk%:*}" "user.max_${tk#*:}_namespaces is 0 here"
	done
	run limit_zero uts nsuts --hostname pwned touch "$MARKER"
	refused nsuts "user.max_uts_namespaces is 0 here"
	# PID 1 makes the mount namespace for its /proc: it fails after the
	# fork, and the keeper still exits 125 with nothing run.
	run limit_zero mnt nspid touch "$MARKER"
	refused nspid "user.max_mnt_namespaces is 0 here"
	run limit_zero time nstime --fork touch "$MARKER"
	refused nstime "user.max_time_namespaces is 0 here"
	run limit_zero net nsinfo --check
	assertEquals 1 "$rc"
	assertTrue "net reported failing" "printf '%s\n' \"\$out\" | grep -Eq '^net +FAILED'"
	assertTrue "user still ok" "printf '%s\n' \"\$out\" | grep -Eq '^user +ok'"
	assertContains "$out" "user.max_net_namespaces is 0 here"
}

testChroot() {
	require_userns || return 0
	run in_chroot usernsselfmap touch /tmp/ran
	refused usernsselfmap "the caller is in a chroot"
	run in_chroot nsnet -U touch /tmp/ran
	refused nsnet "the caller is in a chroot"
	run in_chroot nsmount -b /tmp:/tmp touch /tmp/ran
	refused nsmount "the caller is in a chroot (no mount of / in /proc/self/mountinfo): / is not a mount point here"
	# A PID namespace is allowed in a chroot; its /proc's private-first step is not.
	run in_chroot nspid touch /tmp/ran
	refused nspid "the caller is in a chroot (no mount of / in /proc/self/mountinfo): / is not a mount point here"
	assertFalse "a command ran in the chroot" "ls '$SCRATCH'/chroot.*/tmp/ran"
	# In a chroot only the user namespace is refused: the others are made
	# by the root of one, and the command runs with the name it asked for.
	run in_chroot usernsselfmap nsuts --hostname x touch /tmp/ran
	refused usernsselfmap "the caller is in a chroot"
	run in_chroot nsuts --hostname inchroot hostname
	assertEquals "nsuts in a chroot: $err" "0 inchroot" "$rc $out"
	run in_chroot nsinfo --check
	assertEquals 1 "$rc"
	assertTrue "user reported failing" "printf '%s\n' \"\$out\" | grep -Eq '^user +FAILED'"
	assertContains "$out" "the caller is in a chroot"
	# arch-chroot's way: the directory bound onto itself first, so / is a
	# mount.  What shows it is the root field of that mount: said as likely.
	CHROOT_BIND=1
	run in_chroot usernsselfmap touch /tmp/ran
	CHROOT_BIND=
	refused usernsselfmap "the mount at / is the directory /"
	assertContains "$err" "/chroot."
	assertContains "$err" "(root field in /proc/self/mountinfo): a chroot into a directory bound onto itself (as arch-chroot makes) looks like this, and the kernel refuses CLONE_NEWUSER there"
	assertFalse "a command ran in the chroot" "ls '$SCRATCH'/chroot.*/tmp/ran"
}

testCapabilitiesDroppedAtExec() {
	require_userns || return 0
	run as_user usernsselfmap -k nsnet touch "$MARKER"
	refused nsnet "uid $USER_UID is not 0 inside this user namespace: capabilities were dropped at exec"
	run as_user usernsselfmap -k nsmount touch "$MARKER"
	refused nsmount "uid $USER_UID is not 0 inside this user namespace: capabilities were dropped at exec"
	for tk in $KIND_TOOLS; do
		run as_user usernsselfmap -k "${tk%:*}" touch "$MARKER"
		refused "${tk%:*}" "uid $USER_UID is not 0 inside this user namespace: capabilities were dropped at exec"
	done
	run as_user usernsselfmap -u 1000 nsnet touch "$MARKER"
	refused nsnet "uid 1000 is not 0 inside this user namespace"
	assertNotContains "no -k was used" "$err" "to itself"
	# No -k anywhere: the hint says what it saw, and the way out.
	run as_user nsnet -U nsnet touch "$MARKER"
	refused nsnet "uid $USER_UID is not 0 inside this user namespace: capabilities were dropped at exec (its uid_map maps it to itself); start the chain with usernsselfmap, which maps you to root"
	assertNotContains "$err" "-k"
}

# bwrap --disable-userns reaches the user namespace limit in the namespace
# enclosing the sandbox; inside, the limit reads as a new namespace's.
testLimitInEnclosingNamespace() {
	require_userns || return
	run as_user bwrap --ro-bind / / --dev /dev --proc /proc --unshare-user \
		--disable-userns nsnet -U touch "$MARKER"
	refused nsnet "user.max_user_namespaces and user.max_net_namespaces are 2147483647 here, the value a new user namespace starts with: the limit reached is that of an enclosing user namespace (sandboxes such as bwrap --disable-userns set max_user_namespaces there)"
	assertNotContains "$err" "(2147483647 here)"
	run as_user bwrap --ro-bind / / --dev /dev --proc /proc --unshare-user \
		--disable-userns usernsselfmap touch "$MARKER"
	refused usernsselfmap "user.max_user_namespaces is 2147483647 here, the value a new user namespace starts with: the limit reached is that of an enclosing user namespace"
}

testNoPrivilegeOnTheHost() {
	require_userns || return 0
	run as_user nsnet touch "$MARKER"
	refused nsnet "creating this namespace needs CAP_SYS_ADMIN, which you do not have: run it under usernsselfmap, or use nsnet -U"
	run as_user nsmount touch "$MARKER"
	refused nsmount "creating this namespace needs CAP_SYS_ADMIN, which you do not have: run it under usernsselfmap"
	assertNotContains "nsmount has no -U" "$err" "-U"
	for tk in $KIND_TOOLS; do
		run as_user "${tk%:*}" touch "$MARKER"
		refused "${tk%:*}" "creating this namespace needs CAP_SYS_ADMIN, which you do not have: run it under usernsselfmap"
		assertNotContains "${tk%:*} has no -U" "$err" "-U"
	done
}

# An overflow is a SIGSEGV, which no tool can turn into 125: so every tool,
# and the default chain, must work from a 64 KiB stack limit up (nslab(7),
# STACK), on its way to exec and on its ways to 125 alike.
STACK_CASES="0 usernsselfmap true|0 nsnet -U true|0 usernsselfmap nsmount true|0 usernsselfmap nsnet nsmount|0 usernsselfmap --uid-map 0:USERUID:1 true|0 usernsselfmap -v nsnet -v --veth a:b --addr a=10.204.0.1/24 --addr b=fd00:204::2/64 nsmount -v -r /usr:HOME -t HOME/.. true|125 usernsselfmap --ui 0|125 usernsselfmap nsmount -t / true|125 usernsselfmap -k nsmount true|125 usernsselfmap nsnet --addr nope=10.0.0.1/8 true|125 SECCOMP nsnet -U true|125 SECCOMP usernsselfmap true|0 usernsselfmap nspid -v true|0 usernsselfmap nspid --init true|0 usernsselfmap nstime -v --monotonic 5 true|0 usernsselfmap nstime --fork --boottime 5 true|125 usernsselfmap nstime --monotonic -999999999 true|125 usernsselfmap -k nspid true"
STACK=65536
testSmallStack() {
	require_userns || return
	IFS='|'; set -- $STACK_CASES; unset IFS
	for c in "$@"; do
		want=${c%% *}; c=${c#* }
		c=$(printf '%s' "$c" | sed "s|SECCOMP|$SECCOMP|; s|HOME|$NOBODY_HOME|g; s|USERUID|$USER_UID|g")
		run as_user env SHELL=/bin/true prlimit --stack=$STACK $c
		assertEquals "as uid $USER_UID at a $STACK-byte stack: $c; stderr: $err" "$want" "$rc"
	done
}

testSmallStackAsRoot() {
	require_root "nsnet, nsmount and a map of the host's uid 0 without a user namespace" || return
	for c in "nsnet --veth a:b --addr a=10.204.0.1/24 true" \
		"nsmount -v -r /usr:$SCRATCH/markers true" \
		"usernsselfmap --uid-map 0:0:10 --gid-map 0:0:10 true" \
		"nsnet -v --veth a:b --up nope true"; do
		run prlimit --stack=$STACK "$BIN"/$c
		assertTrue "as root at a $STACK-byte stack: $c: status $rc; stderr: $err" \
			"[ $rc = 0 ] || [ $rc = 125 ]"
	done
	assertEquals "the last one failed as it should" 125 "$rc"
}

# bubblewrap's --disable-userns: the sandbox may make no user namespace
# (ENOSPC, a limit in an enclosing namespace), where bitbake's function
# carries on with the network (docs/05-why-it-fails.md).
testBwrapDisableUserns() {
	require_userns || return
	command -v bwrap >/dev/null || fail "bwrap (bubblewrap) is missing: see prereqs.txt"
	for cmd in "usernsselfmap" "nsnet -U"; do
		run as_user bwrap --unshare-user --disable-userns --dev-bind / / $cmd touch "$MARKER"
		tool=${cmd%% *}
		assertEquals "$tool: exit status; stderr: $err" 125 "$rc"
		assert_err_prefix "$tool"
		assertTrue "$tool: the hint names the limit: $err" \
			"printf '%s\n' \"\$err\" | grep -q '^$tool: hint: .*user\.max_user_namespaces'"
		assert_not_run
	done
	run as_user bwrap --unshare-user --disable-userns --dev-bind / / nsinfo --check
	assertEquals 1 "$rc"
	assertTrue "user reported failing" "printf '%s\n' \"\$out\" | grep -Eq '^user +FAILED'"
}

# shellcheck source=/dev/null
. shunit2
