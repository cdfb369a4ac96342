# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# nstime: a new time namespace with shifted CLOCK_MONOTONIC and
# CLOCK_BOOTTIME, as root and as an unprivileged user (uid 65534 when run
# as root) under usernsselfmap, on both paths: exec (where execve(2) enters the namespace) and fork-and-keep
# (--fork).  The oracles are the kernel's: /proc/self/timens_offsets and
# /proc/uptime inside, /proc/PID/ns/time and the process tree outside.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

setUp() { host_snapshot; rm -f "$MARKER"; }
tearDown() { assert_host_unchanged; }
unset NSLAB_VERBOSE

# As the caller (root, or anyone else under usernsselfmap: ns_root), or with
# U=1 as the unprivileged user under usernsselfmap.
time_ns() {
	if [ -n "${U:-}" ]; then as_user usernsselfmap nstime "$@"; else ns_root "$BIN/nstime" "$@"; fi
}
ROOT_ONLY="CLONE_NEWTIME without a user namespace takes CAP_SYS_ADMIN on the host"

offsets() {
	for path in "" --fork; do
		up=$(cut -d' ' -f1 /proc/uptime)
		run time_ns $path --monotonic 86400 --boottime -5 sh -c \
			'readlink /proc/self/ns/time; cat /proc/self/timens_offsets; cut -d" " -f1 /proc/uptime'
		assertEquals "$path: stderr: $err" 0 "$rc"
		assertNotEquals "$path: a new time namespace" "$(readlink /proc/self/ns/time)" \
			"$(printf '%s\n' "$out" | sed -n 1p)"
		assertEquals "$path: the kernel's offsets" "monotonic 86400 0|boottime -5 0" \
			"$(printf '%s\n' "$out" | sed -n 2,3p | awk '{print $1, $2, $3}' | paste -sd'|')"
		# uptime is CLOCK_BOOTTIME: 5 s less than the host's a moment before
		# would be impossible without the offset, whatever the load.
		inside=$(printf '%s\n' "$out" | sed -n 4p)
		assertTrue "$path: uptime $inside is behind the host's $up" \
			"awk -v a='$inside' -v b='$up' 'BEGIN { exit !(a + 0 < b + 0) }'"
	done
	run time_ns --boottime 172800 cat /proc/uptime
	assertTrue "two days more uptime: $out" \
		"awk -v a='$(cut -d' ' -f1 <<<"$out")' -v b='$up' 'BEGIN { exit !(a + 0 >= b + 172800) }'"
}
testOffsetsAsRoot() { require_root "$ROOT_ONLY" || return; offsets; }
testOffsetsUnprivileged() { require_userns || return; U=1 offsets; }

# Where exec enters the namespace, nstime is the command: same PID, no
# keeper.  With --fork it is the command's parent, outside the namespace.
paths() {
	run time_ns -v sh -c 'echo $$; echo $PPID'
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$err" "nstime: execve(2) moves this process into the new time namespace: no fork"
	assertNotContains "no keeper" "$err" "nstime: fork() ="
	run time_ns -v --fork sh -c 'echo $PPID; readlink /proc/$PPID/ns/time'
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$err" "nstime: --fork: the child enters the new time namespace; the parent keeps"
	assertContains "$err" "nstime: fork() = "
	assertEquals "the keeper stays in the caller's time namespace" \
		"$(readlink /proc/self/ns/time)" "$(printf '%s\n' "$out" | sed -n 2p)"
}
testPathsAsRoot() { require_root "$ROOT_ONLY" || return; paths; }
testPathsUnprivileged() { require_userns || return; U=1 paths; }

testOnlyStandardDescriptors() {
	require_userns || return
	for path in "" --fork; do
		assert_std_fds "${NS_ROOT[@]}" "$BIN/nstime" $path
	done
}

testExecPathKeepsThePid() {
	require_userns || return
	out=$(sh -c '"$@" sh -c "echo \$\$" & echo $!; wait' sh "${NS_ROOT[@]}" "$BIN/nstime")
	assertEquals "nstime became the command: $out" 1 "$(printf '%s\n' "$out" | sort -u | wc -l)"
}

statuses() {
	for path in "" --fork; do
		run time_ns $path sh -c 'exit 7'
		assertEquals "$path: the command's status" 7 "$rc"
		run time_ns $path nslab-no-such-command
		assertEquals "$path: not found" 127 "$rc"
		assertEquals "$path: one line" "nstime: exec nslab-no-such-command: No such file or directory" "$err"
		printf '#!/bin/sh\ntouch %s\n' "$MARKER" >"$SCRATCH/noexec"; chmod 644 "$SCRATCH/noexec"
		run time_ns $path "$SCRATCH/noexec"
		assertEquals "$path: not executable" 126 "$rc"
		assert_not_run
		run time_ns $path sh -c 'kill -KILL $$'
		assertEquals "$path: 128+9" 137 "$rc"
	done
}
testStatusesAsRoot() { require_root "$ROOT_ONLY" || return; statuses; }
testStatusesUnprivileged() { require_userns || return; U=1 statuses; }

# The keeper of the fork path relays signals; its child is no PID 1, so
# no SIGKILL in their place.
testForkPathRelays() {
	require_userns || return
	"${NS_ROOT[@]}" "$BIN/nstime" -v --fork sh -c 'trap "echo got TERM; kill \$!; exit 5" TERM; sleep 1000 & wait' \
		</dev/null >"$SCRATCH/o" 2>"$SCRATCH/v" & bg=$!
	# The keeper's children: its watcher (an nstime) and the command.
	trapped() {
		for kid in $(cat /proc/$bg/task/$bg/children 2>/dev/null); do
			[ "$(cat /proc/$kid/comm 2>/dev/null)" = sh ] && catches "$kid" 15 && return
		done
		return 1
	}
	poll trapped || { kill -KILL $bg; return; }
	kill -TERM $bg; wait $bg
	assertEquals "the trap's status" 5 $?
	assertEquals "got TERM" "$(cat "$SCRATCH/o")"
	assertContains "$(cat "$SCRATCH/v")" "nstime: kill($kid, SIGTERM) = 0"
	assertNotContains "$(cat "$SCRATCH/v")" SIGKILL
}

# At RLIMIT_NPROC the probe's vfork is refused with EAGAIN, which says
# nothing about the kernel: before 6.1 EINVAL comes first.  The command
# runs, exec'd, with no fork.  Root switches to a uid of its own, so that
# no other process of that user counts towards the limit of 1; any other
# caller has processes enough already.
testProcessLimitNeedsNoFork() {
	require_userns || return
	u=$((40000 + $$ % 20000)) sw=()
	[ "$(id -u)" = 0 ] && sw=(setpriv "--reuid=$u" "--regid=$u" --clear-groups)
	run "${sw[@]}" env -i PATH="$NOBODY_BIN:$SYSPATH" \
		prlimit --nproc=1 usernsselfmap nstime -v --monotonic 5 sh -c \
		'exec awk "/monotonic/ {print \$2}" /proc/self/timens_offsets'
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "the offset is set" 5 "$out"
	assertContains "$err" "nstime: vfork() = -1"
	assertContains "$err" "nstime: execve(2) moves this process into the new time namespace: no fork"
}

# The kernel takes an offset that keeps the clock, as the host reads it,
# within 0 and KTIME_SEC_MAX / 2: the hint gives those bounds for the clock
# now, and they hold (a little inside them: the clock moves on meanwhile;
# the high bound only tightens, so one past it stays refused).
bounds() {
	run time_ns --boottime -9999999999 true
	assert_refused nstime "--boottime '-9999999999': not a number of seconds (-4611686018 to 4611686018)"
	run time_ns --boottime -4611686018 true
	assert_refused nstime "write /proc/self/timens_offsets 'boottime -4611686018 0'"
	hint=$(printf '%s\n' "$err" | sed -n 's/^nstime: hint: an offset must keep the clock between 0 and 4611686018 s .*, so --boottime takes \(-[0-9]*\) to \([0-9]*\)$/\1 \2/p')
	assertNotNull "the hint gives the bounds: $err" "$hint"
	set -- $hint
	lo=$1 hi=$2
	assertTrue "the low bound is minus the uptime: $lo" \
		"awk -v a='$lo' -v b='$(cut -d' ' -f1 /proc/uptime)' 'BEGIN { exit !(-a <= b + 0 && -a > b - 60) }'"
	run time_ns --boottime $((hi - 60)) true
	assertEquals "just below the high bound: $err" 0 "$rc"
	run time_ns --boottime $((hi + 1)) true
	assert_refused nstime "write /proc/self/timens_offsets 'boottime $((hi + 1)) 0'"
	# The low bound only loosens as the clock runs: an hour below it.
	run time_ns --boottime $((lo - 3600)) true
	assert_refused nstime "write /proc/self/timens_offsets 'boottime $((lo - 3600)) 0'"
	run time_ns --boottime $((lo + 60)) true
	assertEquals "just above the low bound: $err" 0 "$rc"
}
testBoundsAsRoot() { require_root "$ROOT_ONLY" || return; bounds; }
testBoundsUnprivileged() { require_userns || return; U=1 bounds; }

# shellcheck source=/dev/null
. shunit2
