# SPDX-License-Identifier: MIT
# usernsselfmap: root in a new user namespace, as root and as uid 65534.
. "$(dirname "$0")/lib.sh"

setUp() { host_snapshot; rm -f "$MARKER"; }
tearDown() { assert_host_unchanged; }

# One error line, prefixed, exit 125, nothing run.
assert_refused() {
	assertEquals "exit status; stderr: $err" 125 "$rc"
	assert_err_prefix usernsselfmap
	assert_not_run
}

testBecomesRootUnprivileged() {
	require_userns || return
	run as_nobody usernsselfmap id
	assertEquals 0 "$rc"
	assertEquals "uid=0(root) gid=0(root)" "$(printf '%s' "$out" | cut -d' ' -f1-2)"
}

testMapsUnprivileged() {
	require_userns || return
	run as_nobody usernsselfmap sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
	assertEquals 0 "$rc"
	assertEquals "0 65534 1|0 65534 1|deny" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
}

testMapsAsRoot() {
	require_root || return
	run usernsselfmap_root sh -c 'id -u; cat /proc/self/uid_map'
	assertEquals 0 "$rc"
	assertEquals "0|0 0 1" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
}
usernsselfmap_root() { "$BIN/usernsselfmap" "$@"; }

testNewUserNamespace() {
	require_userns || return
	run as_nobody usernsselfmap readlink /proc/self/ns/user
	assertEquals 0 "$rc"
	assertNotEquals "the namespace is new" "$(readlink /proc/self/ns/user)" "$out"
}

testFileOwnedByCallerOutside() {
	require_userns || return
	run as_nobody usernsselfmap sh -c "touch '$NOBODY_HOME/made-inside'; stat -c %u:%g '$NOBODY_HOME/made-inside'"
	assertEquals "0:0" "$out"
	assertEquals "owned by the caller outside" "65534:65534" "$(stat -c %u:%g "$NOBODY_HOME/made-inside")"
	rm -f "$NOBODY_HOME/made-inside"
}

testKeepIds() {
	require_userns || return
	run as_nobody usernsselfmap -k sh -c 'id -u; id -g; cat /proc/self/uid_map'
	assertEquals 0 "$rc"
	assertEquals "65534|65534|65534 65534 1" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
}

testChosenIds() {
	require_userns || return
	run as_nobody usernsselfmap -u 1000 --gid 2000 sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map'
	assertEquals 0 "$rc"
	assertEquals "1000|2000|1000 65534 1|2000 65534 1" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
}

testVerboseNarratesEachStep() {
	require_userns || return
	run as_nobody usernsselfmap -v true
	assertEquals 0 "$rc"
	for want in 'usernsselfmap: unshare(CLONE_NEWUSER) = 0' \
		'usernsselfmap:   $ unshare --user' \
		"usernsselfmap:   \$ echo '0 65534 1' > /proc/self/uid_map" \
		"usernsselfmap:   \$ echo 'deny' > /proc/self/setgroups" \
		"usernsselfmap:   \$ echo '0 65534 1' > /proc/self/gid_map" \
		'usernsselfmap: setresuid(0, 0, 0) = 0'; do
		assertTrue "missing narration: $want" "printf '%s\n' \"\$err\" | grep -qxF -- \"$want\""
	done
	# The order the kernel requires: uid_map, setgroups, gid_map.
	assertEquals "uid_map setgroups gid_map" \
		"$(printf '%s\n' "$err" | sed -n 's|.*\$ echo .* > /proc/self/||p' | paste -sd' ')"
}

testVerboseFlowsDownTheChain() {
	require_userns || return
	run as_nobody usernsselfmap -v sh -c 'echo "$NSLAB_VERBOSE"'
	assertEquals 1 "$out"
	run as_nobody env NSLAB_VERBOSE=1 usernsselfmap true
	assertContains "$err" 'unshare(CLONE_NEWUSER) = 0'
	run as_nobody usernsselfmap true
	assertNull "quiet without -v" "$err"
}

testExitStatusIsTheCommands() {
	require_userns || return
	run as_nobody usernsselfmap sh -c 'exit 42'
	assertEquals 42 "$rc"
}

testNoForkCommandKeepsThePid() {
	require_userns || return
	# The command's parent is our sh: usernsselfmap exec'd, it did not fork.
	run as_nobody sh -c 'usernsselfmap sh -c "echo \$PPID"; echo $$'
	assertEquals "$(printf '%s\n' "$out" | sed -n 2p)" "$(printf '%s\n' "$out" | sed -n 1p)"
}

testSignalSeenByCaller() {
	require_userns || return
	run as_nobody usernsselfmap sh -c 'kill -TERM $$'
	assertEquals 143 "$rc"
}

testDefaultsToShell() {
	require_userns || return
	run as_nobody env SHELL=/bin/echo usernsselfmap
	assertEquals 0 "$rc"
	assertEquals "" "$out"
	printf 'id -u\n' >"$SCRATCH/script"
	run as_nobody env -u SHELL usernsselfmap <"$SCRATCH/script"
	assertEquals "/bin/sh when SHELL is unset" 0 "$out"
	run as_nobody env SHELL= usernsselfmap <"$SCRATCH/script"
	assertEquals "/bin/sh when SHELL is empty" 0 "$out"
}

testOnlyStandardFds() {
	require_userns || return
	# Whatever the caller passes down is the caller's; usernsselfmap adds none.
	direct=$(as_nobody sh -c 'ls /proc/$$/fd' | paste -sd' ')
	run as_nobody usernsselfmap sh -c 'ls /proc/$$/fd'
	assertEquals "$direct" "$(printf '%s\n' "$out" | paste -sd' ')"
	# With the caller's extra descriptors closed, the command sees 0, 1, 2.
	run as_nobody bash -c 'for fd in /proc/$$/fd/*; do n=${fd##*/}
		[ "$n" -gt 2 ] && eval "exec $n>&-"; done
		exec usernsselfmap sh -c "ls /proc/\$\$/fd"'
	assertEquals "0 1 2" "$(printf '%s\n' "$out" | paste -sd' ')"
}

testOnlyStandardFdsThroughTheHelper() {
	require_root || return
	# The map-writing helper's socket must not reach the command either.
	run bash -c 'for fd in /proc/$$/fd/*; do n=${fd##*/}
		[ "$n" -gt 2 ] && eval "exec $n>&-"; done
		exec "$1" --uid-map 0:100000:10 --setgroups allow sh -c "ls /proc/\$\$/fd"' \
		sh "$BIN/usernsselfmap"
	assertEquals "status; $err" 0 "$rc"
	assertEquals "0 1 2" "$(printf '%s\n' "$out" | paste -sd' ')"
}

testMissingCommand127() {
	require_userns || return
	run as_nobody usernsselfmap nslab-no-such-command
	assertEquals 127 "$rc"
	assertEquals "usernsselfmap: exec nslab-no-such-command: No such file or directory" "$err"
}

testNotExecutable126() {
	require_userns || return
	printf '#!/bin/sh\ntouch %s\n' "$MARKER" >"$SCRATCH/noexec"
	chmod 644 "$SCRATCH/noexec"
	run as_nobody usernsselfmap "$SCRATCH/noexec"
	assertEquals 126 "$rc"
	assertEquals "usernsselfmap: exec $SCRATCH/noexec: Permission denied" "$err"
	assert_not_run
}

testBadInputRefused() {
	require_userns || return
	for args in "-x" "--no-such-option" "-u" "-u abc" "-u -1" "-u 4294967295" \
		"-u 4294967296" "-u 12abc" "-g ''" "--setgroups maybe" \
		"--uid-map 0:1000" "--uid-map 0:1:2:3" "--uid-map 0:65534:0" \
		"--uid-map -1:65534:1" "--uid-map 4294967295:0:1" "--gid-map 0:x:1" \
		"--uid-map 0:65534:1 --uid-map 0:70000:1" \
		"--uid-map 0:65534:10 --uid-map 20:65540:1" \
		"--uid-map 5:65534:1"; do
		eval "run as_nobody usernsselfmap $args touch '$MARKER'"
		assertEquals "usernsselfmap $args: one line: $err" 1 "$(printf '%s\n' "$err" | wc -l)"
		assert_refused
	done
}

testOptionErrorsNameTheOption() {
	run "$BIN/usernsselfmap" --uid-map
	assertEquals 125 "$rc"
	assertEquals "usernsselfmap: option '--uid-map' needs an argument (see 'usernsselfmap --help')" "$err"
	run "$BIN/usernsselfmap" -vu
	assertEquals "usernsselfmap: option '-u' needs an argument (see 'usernsselfmap --help')" "$err"
	# Inside a bundle, the option is the bundle's, not the word before it.
	run "$BIN/usernsselfmap" --uid-map=0:0:1 -zk true
	assertEquals "usernsselfmap: unknown option '-z' (see 'usernsselfmap --help')" "$err"
	run "$BIN/usernsselfmap" --help=x
	assertEquals "usernsselfmap: option '--help' takes no argument (see 'usernsselfmap --help')" "$err"
	run "$BIN/usernsselfmap" --no-such=deny true
	assertEquals "usernsselfmap: unknown option '--no-such' (see 'usernsselfmap --help')" "$err"
}

testUnmappedOutsideIdsNamedFirst() {
	require_userns || return
	# Inside a first namespace only 0 is mapped: ids 3 and 4 mean nothing there.
	run as_nobody usernsselfmap usernsselfmap --uid-map 0:3:2 touch "$MARKER"
	assert_refused
	assertEquals "usernsselfmap: --uid-map 0:3:2: outside uids 3-4 are not all mapped in this user namespace (see /proc/self/uid_map)" "$err"
	# The nested namespace the kernel would accept is accepted.
	run as_nobody usernsselfmap usernsselfmap -u 7 id -u
	assertEquals 0 "$rc"
	assertEquals 7 "$out"
}

testTooManyMapLines() {
	require_userns || return
	args=$(seq 0 340 | awk '{printf "--uid-map %d:%d:1 ", $1, 100000 + $1}')
	run as_nobody usernsselfmap $args touch "$MARKER"
	assert_refused
	assertContains "$err" "more than 340 lines"
}

testRangesNeedPrivilege() {
	require_userns || return
	run as_nobody usernsselfmap --uid-map 0:100000:65536 touch "$MARKER"
	assert_refused
	assertTrue "the helper's target named: $err" \
		"printf '%s' \"\$err\" | grep -Eq '^usernsselfmap: write /proc/[0-9]+/uid_map: Operation not permitted\$'"
	assertContains "$err" "usernsselfmap: hint: "
}

testRangesAsRootThroughHelper() {
	require_root || return
	run "$BIN/usernsselfmap" --uid-map 0:100000:65536 --gid-map 0:200000:1000 \
		sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u'
	assertEquals 0 "$rc"
	assertEquals "0 100000 65536|0 200000 1000|0" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
}

testSetgroupsAllow() {
	require_root || return
	run "$BIN/usernsselfmap" --setgroups allow sh -c 'cat /proc/self/setgroups; id -G'
	assertEquals 0 "$rc"
	assertEquals "allow|0" "$(printf '%s\n' "$out" | paste -sd'|')"
	require_userns || return
	run as_nobody usernsselfmap --setgroups allow touch "$MARKER"
	assert_refused
}

testUnshareFailureNeverRunsCommand() {
	require_userns || return
	run limit_zero user usernsselfmap touch "$MARKER"
	assert_refused
	assertContains "$err" "usernsselfmap: unshare(CLONE_NEWUSER): No space left on device"
	assertContains "$err" "usernsselfmap: hint: user.max_user_namespaces is 0 here"
}

testChrootDiagnosed() {
	require_root || return
	require_userns || return
	run in_chroot usernsselfmap touch /tmp/marker
	assertEquals 125 "$rc"
	assertContains "$err" "usernsselfmap: unshare(CLONE_NEWUSER): Operation not permitted"
	assertContains "$err" "usernsselfmap: hint: the caller is in a chroot"
	assertFalse "the command ran" "ls '$SCRATCH'/chroot.*/tmp/marker"
}

testHelpAndVersion() {
	run "$BIN/usernsselfmap" --help
	assertEquals 0 "$rc"
	assertContains "$out" "usage: usernsselfmap"
	assertContains "$out" "--keep-ids"
	run "$BIN/usernsselfmap" -V
	assertEquals 0 "$rc"
	assertContains "$out" "usernsselfmap (nslab) "
}

. shunit2
