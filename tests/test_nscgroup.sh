# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# nscgroup: a cgroup namespace of your own, as root and as an unprivileged
# user (uid 65534 when run as root) under usernsselfmap.  The oracles:
# /proc/self/cgroup inside and outside (every path reads / inside, the same
# hierarchies in the same order, whatever cgroup version the host has), and
# readlink /proc/self/ns/cgroup.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

setUp() { host_snapshot; rm -f "$MARKER"; }
tearDown() { assert_host_unchanged; }
unset NSLAB_VERBOSE

INSIDE='readlink /proc/self/ns/cgroup; cat /proc/self/cgroup'

# $out is what $INSIDE printed; $1 is /proc/self/cgroup as the caller saw it.
check_inside() {
	assertEquals "stderr: $err" 0 "$rc"
	assertNotEquals "the cgroup namespace is new" "$(readlink /proc/self/ns/cgroup)" \
		"$(printf '%s\n' "$out" | sed -n 1p)"
	lines=$(printf '%s\n' "$out" | sed 1d)
	assertNotNull "no /proc/self/cgroup inside" "$lines"
	assertEquals "a path that is not / inside" "" \
		"$(printf '%s\n' "$lines" | awk -F: '$3 != "/"')"
	# hierarchy-ID:controllers, as outside: the same cgroups, seen from their root.
	assertEquals "the hierarchies differ" "$(printf '%s\n' "$1" | cut -d: -f1-2)" \
		"$(printf '%s\n' "$lines" | cut -d: -f1-2)"
}

testEveryPathIsRootAsRoot() {
	require_root "CLONE_NEWCGROUP without a user namespace takes CAP_SYS_ADMIN on the host" || return
	run "$BIN/nscgroup" sh -c "$INSIDE"
	check_inside "$(cat /proc/self/cgroup)"
}

testEveryPathIsRootUnprivileged() {
	require_userns || return
	outside=$(as_user cat /proc/self/cgroup)
	run as_user usernsselfmap nscgroup sh -c "$INSIDE"
	check_inside "$outside"
}

# The namespace hides, it does not move: the command stays in the caller's
# cgroups, so a process outside reads the same paths of it as before.
testSameCgroupsSeenFromOutside() {
	require_userns || return
	outside=$(cat /proc/self/cgroup)
	rm -f "$SCRATCH/cg.pid"
	ns_root "$BIN/nscgroup" sh -c 'echo $$ >"$1.tmp" && mv "$1.tmp" "$1" && exec sleep 30' \
		sh "$SCRATCH/cg.pid" &
	bg=$!
	while [ ! -s "$SCRATCH/cg.pid" ] && kill -0 $bg 2>/dev/null; do sleep 0.05; done
	pid=$(cat "$SCRATCH/cg.pid" 2>/dev/null)
	assertNotNull "the command did not start" "$pid"
	assertNotEquals "no new cgroup namespace" "$(readlink /proc/self/ns/cgroup)" \
		"$(readlink "/proc/$pid/ns/cgroup")"
	assertEquals "moved to other cgroups" "$outside" "$(cat "/proc/$pid/cgroup")"
	kill "$pid"; wait $bg 2>/dev/null || :
}

testNarrationAndStatus() {
	require_userns || return
	run as_user usernsselfmap nscgroup -v sh -c 'exit 5'
	assertEquals 5 "$rc"
	assertContains "$err" "nscgroup: unshare(CLONE_NEWCGROUP) = 0"
	assertContains "$err" "nscgroup:   \$ unshare --cgroup"
	run "$BIN/nscgroup" -V
	assertContains "$out" "nscgroup (nslab) "
}

testRefusedWithoutPrivilege() {
	run as_user nscgroup touch "$MARKER"
	assertEquals 125 "$rc"
	assert_err_prefix nscgroup
	assertContains "$err" "nscgroup: unshare(CLONE_NEWCGROUP): Operation not permitted"
	assert_not_run
}

# shellcheck source=/dev/null
. shunit2
