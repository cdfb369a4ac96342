# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# usernsselfmap: root in a new user namespace, as root and as an
# unprivileged user (as_user: uid 65534 when root runs the suite).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

setUp() { host_snapshot; rm -f "$MARKER"; }
tearDown() { assert_host_unchanged; }

testBecomesRootUnprivileged() {
	require_userns || return 0
	run as_user usernsselfmap id
	assertEquals 0 "$rc"
	assertEquals "uid=0(root) gid=0(root)" "$(printf '%s' "$out" | cut -d' ' -f1-2)"
}

testMapsUnprivileged() {
	require_userns || return 0
	run as_user usernsselfmap sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
	assertEquals 0 "$rc"
	assertEquals "0 $USER_UID 1|0 $USER_GID 1|deny" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
}

testMapsAsRoot() {
	require_root "maps the host's uid 0" || return 0
	run usernsselfmap_root sh -c 'id -u; cat /proc/self/uid_map'
	assertEquals 0 "$rc"
	assertEquals "0|0 0 1" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
}
usernsselfmap_root() { "$BIN/usernsselfmap" "$@"; }

testNewUserNamespace() {
	require_userns || return 0
	run as_user usernsselfmap readlink /proc/self/ns/user
	assertEquals 0 "$rc"
	assertNotEquals "the namespace is new" "$(readlink /proc/self/ns/user)" "$out"
}

testFileOwnedByCallerOutside() {
	require_userns || return 0
	run as_user usernsselfmap sh -c "touch '$NOBODY_HOME/made-inside'; stat -c %u:%g '$NOBODY_HOME/made-inside'"
	assertEquals "0:0" "$out"
	assertEquals "owned by the caller outside" "$USER_IDS" "$(stat -c %u:%g "$NOBODY_HOME/made-inside")"
	rm -f "$NOBODY_HOME/made-inside"
}

testKeepIds() {
	require_userns || return 0
	run as_user usernsselfmap -k sh -c 'id -u; id -g; cat /proc/self/uid_map'
	assertEquals 0 "$rc"
	assertEquals "$USER_UID|$USER_GID|$USER_UID $USER_UID 1" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
}

testChosenIds() {
	require_userns || return 0
	run as_user usernsselfmap -u 1000 --gid 2000 sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map'
	assertEquals 0 "$rc"
	assertEquals "1000|2000|1000 $USER_UID 1|2000 $USER_GID 1" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
}

testVerboseNarratesEachStep() {
	require_userns || return 0
	# sh is usernsselfmap's process after exec: its $$ is the PID narrated.
	run as_user usernsselfmap -v sh -c 'echo $$'
	assertEquals 0 "$rc"
	pid=$out
	for want in 'usernsselfmap: unshare(CLONE_NEWUSER) = 0' \
		'usernsselfmap:   $ unshare --user' \
		"usernsselfmap:   \$ echo '0 $USER_UID 1' > /proc/$pid/uid_map" \
		"usernsselfmap:   \$ echo 'deny' > /proc/$pid/setgroups" \
		"usernsselfmap:   \$ echo '0 $USER_GID 1' > /proc/$pid/gid_map" \
		'usernsselfmap: setresuid(0, 0, 0) = 0'; do
		assertTrue "missing narration: $want" "printf '%s\n' \"\$err\" | grep -qxF -- \"$want\""
	done
	# What this process did, beside what a second shell would type.
	assertContains "$err" "usernsselfmap: write /proc/self/uid_map \"0 $USER_UID 1\" = 0"
	# The order the kernel requires: uid_map, setgroups, gid_map.
	assertEquals "uid_map setgroups gid_map" \
		"$(printf '%s\n' "$err" | sed -n "s|.*\\$ echo .* > /proc/$pid/||p" | paste -sd' ')"
}

testVerboseFlowsDownTheChain() {
	require_userns || return 0
	run as_user usernsselfmap -v sh -c 'echo "$NSLAB_VERBOSE"'
	assertEquals 1 "$out"
	run as_user env NSLAB_VERBOSE=1 usernsselfmap true
	assertContains "$err" 'unshare(CLONE_NEWUSER) = 0'
	run as_user usernsselfmap true
	assertNull "quiet without -v" "$err"
}

testExitStatusIsTheCommands() {
	require_userns || return 0
	run as_user usernsselfmap sh -c 'exit 42'
	assertEquals 42 "$rc"
}

testNoForkCommandKeepsThePid() {
	require_userns || return 0
	# The command's parent is our sh: usernsselfmap exec'd, it did not fork.
	run as_user sh -c 'usernsselfmap sh -c "echo \$PPID"; echo $$'
	assertEquals "$(printf '%s\n' "$out" | sed -n 2p)" "$(printf '%s\n' "$out" | sed -n 1p)"
}

testSignalSeenByCaller() {
	require_userns || return 0
	run as_user usernsselfmap sh -c 'kill -TERM $$'
	assertEquals 143 "$rc"
}

testDefaultsToShell() {
	require_userns || return 0
	run as_user env SHELL=/bin/echo usernsselfmap
	assertEquals 0 "$rc"
	assertEquals "" "$out"
	printf 'id -u\n' >"$SCRATCH/script"
	run as_user env -u SHELL usernsselfmap <"$SCRATCH/script"
	assertEquals "/bin/sh when SHELL is unset" 0 "$out"
	run as_user env SHELL= usernsselfmap <"$SCRATCH/script"
	assertEquals "/bin/sh when SHELL is empty" 0 "$out"
}

testOnlyStandardFds() {
	require_userns || return 0
	# Whatever the caller passes down is the caller's; usernsselfmap adds none.
	direct=$(as_user sh -c 'ls /proc/$$/fd' | paste -sd' ')
	run as_user usernsselfmap sh -c 'ls /proc/$$/fd'
	assertEquals "$direct" "$(printf '%s\n' "$out" | paste -sd' ')"
	# With the caller's extra descriptors closed, the command sees 0, 1, 2.
	run as_user bash -c 'for fd in /proc/$$/fd/*; do n=${fd##*/}
		[ "$n" -gt 2 ] && eval "exec $n>&-"; done
		exec usernsselfmap sh -c "ls /proc/\$\$/fd"'
	assertEquals "0 1 2" "$(printf '%s\n' "$out" | paste -sd' ')"
}

testOnlyStandardFdsThroughTheHelper() {
	require_root "maps uids other than its own, which takes CAP_SETUID on the host" || return 0
	# The map-writing helper's socket must not reach the command either.
	run bash -c 'for fd in /proc/$$/fd/*; do n=${fd##*/}
		[ "$n" -gt 2 ] && eval "exec $n>&-"; done
		exec "$1" --uid-map 0:100000:10 --setgroups allow sh -c "ls /proc/\$\$/fd"' \
		sh "$BIN/usernsselfmap"
	assertEquals "status; $err" 0 "$rc"
	assertEquals "0 1 2" "$(printf '%s\n' "$out" | paste -sd' ')"
}

testMissingCommand127() {
	require_userns || return 0
	run as_user usernsselfmap nslab-no-such-command
	assertEquals 127 "$rc"
	assertEquals "usernsselfmap: exec nslab-no-such-command: No such file or directory" "$err"
}

testNotExecutable126() {
	require_userns || return 0
	printf '#!/bin/sh\ntouch %s\n' "$MARKER" >"$SCRATCH/noexec"
	chmod 644 "$SCRATCH/noexec"
	run as_user usernsselfmap "$SCRATCH/noexec"
	assertEquals 126 "$rc"
	assertEquals "usernsselfmap: exec $SCRATCH/noexec: Permission denied" "$err"
	assert_not_run
}

# An executable file without #! runs through /bin/sh, as glibc's execvp and
# POSIX's do; musl's execvp returns ENOEXEC, so lib/chain does it itself.
# By path and found along PATH, as the unprivileged user and as root.
testScriptWithoutShebangRunsInSh() {
	require_userns || return
	printf 'echo "$0|$#|$1|$2|$(id -u)"\nexit 7\n' >"$SCRATCH/noshebang"
	chmod 755 "$SCRATCH/noshebang"
	run as_user usernsselfmap "$SCRATCH/noshebang" a 'b c'
	assertEquals "status; $err" 7 "$rc"
	assertEquals "$SCRATCH/noshebang|2|a|b c|0" "$out"
	run as_user env PATH="$SCRATCH/nope:$SCRATCH:$SYSPATH" "$NOBODY_BIN/usernsselfmap" noshebang a 'b c'
	assertEquals "status; $err" 7 "$rc"
	assertEquals "$SCRATCH/noshebang|2|a|b c|0" "$out"
}

testScriptWithoutShebangAsRoot() {
	require_root "runs usernsselfmap as the host's uid 0" || return
	printf 'echo "$0|$#|$1|$2|$(id -u)"\nexit 7\n' >"$SCRATCH/noshebang"
	chmod 755 "$SCRATCH/noshebang"
	run env PATH="$SCRATCH:$SYSPATH" "$BIN/usernsselfmap" -v noshebang a 'b c'
	assertEquals "status; $err" 7 "$rc"
	assertEquals "$SCRATCH/noshebang|2|a|b c|0" "$out"
}

testBadInputRefused() {
	require_userns || return 0
	for args in "-x" "--no-such-option" "-u" "-u abc" "-u -1" "-u 4294967295" \
		"-u 4294967296" "-u 12abc" "-g ''" "--setgroups maybe" \
		"--uid-map 0:1000" "--uid-map 0:1:2:3" "--uid-map 0:65534:0" \
		"--uid-map -1:65534:1" "--uid-map 4294967295:0:1" "--gid-map 0:x:1" \
		"--uid-map 0:65534:1 --uid-map 0:70000:1" \
		"--uid-map 0:65534:10 --uid-map 20:65540:1" \
		"--uid-map 5:65534:1" "-u nslab-no-such-user" "-g nslab-no-such-group" \
		"--subids -k" "--subids --uid-map 0:65534:1" "--gid-map 0:65534:1 --subids"; do
		eval "run as_user usernsselfmap $args touch '$MARKER'"
		assertEquals "usernsselfmap $args: one line: $err" 1 "$(printf '%s\n' "$err" | wc -l)"
		assert_refused usernsselfmap
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
	require_userns || return 0
	# Inside a first namespace only 0 is mapped: ids 3 and 4 mean nothing there.
	run as_user usernsselfmap usernsselfmap --uid-map 0:3:2 touch "$MARKER"
	assert_refused usernsselfmap
	assertEquals "usernsselfmap: --uid-map 0:3:2: outside uids 3-4 are not all mapped in this user namespace (see /proc/self/uid_map)" "$err"
	# The nested namespace the kernel would accept is accepted.
	run as_user usernsselfmap usernsselfmap -u 7 id -u
	assertEquals 0 "$rc"
	assertEquals 7 "$out"
}

# In a user namespace whose maps were never written (unshare -U), the
# caller's ids have no mapping and the kernel refuses a nested one: the
# hint says so, from /proc/self/uid_map, as the caller and as the
# unprivileged user.
testUnmappedCallerHinted() {
	require_userns || return 0
	for who in "" as_user; do
		run $who unshare -U "$BIN/usernsselfmap" touch "$MARKER"
		assert_refused usernsselfmap
		assertContains "$err" "usernsselfmap: unshare(CLONE_NEWUSER): Operation not permitted"
		assertContains "$err" "usernsselfmap: hint: your uid/gid is not mapped in the current user namespace"
	done
	# Mapped (unshare -Ur), no such hint.
	run unshare -Ur "$BIN/usernsselfmap" true
	assertEquals "stderr: $err" 0 "$rc"
}

testTooManyMapLines() {
	require_userns || return 0
	args=$(seq 0 340 | awk '{printf "--uid-map %d:%d:1 ", $1, 100000 + $1}')
	run as_user usernsselfmap $args touch "$MARKER"
	assert_refused usernsselfmap
	assertContains "$err" "more than 340 lines"
}

testRangesAsRootThroughHelper() {
	require_root "maps ranges of the host's uids and gids" || return 0
	run "$BIN/usernsselfmap" --uid-map 0:100000:65536 --gid-map 0:200000:1000 \
		sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u'
	assertEquals 0 "$rc"
	assertEquals "0 100000 65536|0 200000 1000|0" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
}

testSetgroupsAllowAsRoot() {
	require_root "setgroups allow needs CAP_SETGID on the host" || return 0
	run "$BIN/usernsselfmap" --setgroups allow sh -c 'cat /proc/self/setgroups; id -G'
	assertEquals 0 "$rc"
	assertEquals "allow|0" "$(printf '%s\n' "$out" | paste -sd'|')"
}

testSetgroupsAllowRefusedUnprivileged() {
	require_userns || return 0
	run as_user usernsselfmap --setgroups allow touch "$MARKER"
	assert_refused usernsselfmap
}

testUnshareFailureNeverRunsCommand() {
	require_userns || return 0
	run limit_zero user usernsselfmap touch "$MARKER"
	assert_refused usernsselfmap
	assertContains "$err" "usernsselfmap: unshare(CLONE_NEWUSER): No space left on device"
	assertContains "$err" "usernsselfmap: hint: user.max_user_namespaces is 0 here"
}

testChrootDiagnosed() {
	require_userns || return 0
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

# --- subordinate ids: newuidmap and newgidmap -------------------------------

# with_subids WHO UIDS GIDS CMD...: run CMD with /etc/subuid and /etc/subgid
# reading UIDS and GIDS (lines, or "" for none), bound over the host's files
# in a private mount namespace made as root, so the setuid newuidmap reads
# them there and the host's files are never touched; then as uid 65534
# (WHO=nobody, the environment as_nobody gives) or as root (WHO=root).
with_subids() {
	who=$1
	printf '%s' "$2" >"$SCRATCH/subuid"
	printf '%s' "$3" >"$SCRATCH/subgid"
	chmod 644 "$SCRATCH/subuid" "$SCRATCH/subgid"
	shift 3
	unshare --mount --propagation private sh -c '
		mount --bind "$1" /etc/subuid && mount --bind "$2" /etc/subgid || exit 99
		who=$3; shift 3
		[ "$who" = root ] && exec "$@"
		exec setpriv --reuid=65534 --regid=65534 --clear-groups \
			env -i PATH="$NB:$SP" HOME="$NH" ASAN_OPTIONS="$ASAN_OPTIONS" \
			UBSAN_OPTIONS="$UBSAN_OPTIONS" LANG=C "$@"' \
		sh "$SCRATCH/subuid" "$SCRATCH/subgid" "$who" "$@"
}
# The suite's paths, for with_subids' inner shell.
export NB="$NOBODY_BIN" SP="$SYSPATH" NH="$NOBODY_HOME"

# The user name of 65534 and the group name of 65534, whatever they are here.
nobody_name() { getent passwd $NOBODY | cut -d: -f1; }
nobody_group() { getent group $NOBODY | cut -d: -f1; }

require_subids() {
	require_root "binds test grants over /etc/subuid and /etc/subgid in a mount namespace of its own, then switches to uid 65534" || return 1
	require_userns || return 1
	if [ ! -e /etc/subuid ] || [ ! -e /etc/subgid ]; then
		skip "no /etc/subuid or /etc/subgid to bind a test file over (shadow's useradd creates them)"
		return 1
	fi
	for t in newuidmap newgidmap; do
		if ! command -v $t >/dev/null; then
			skip "$t is not installed (package uidmap)"
			return 1
		fi
	done
	GRANT_U="$(nobody_name):100000:65536
"
	GRANT_G="$(nobody_name):200000:65536
"
}

flat() { printf '%s\n' "$1" | awk '{$1=$1; print}' | paste -sd'|'; }

testSubidsMapsAsUnshareMapAuto() {
	require_subids || return
	run with_subids nobody "$GRANT_U" "$GRANT_G" usernsselfmap --subids \
		sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; id -u; id -g'
	assertEquals "status; $err" 0 "$rc"
	assertEquals "0 65534 1|1 100000 65535|0 65534 1|1 200000 65535|allow|0|0" "$(flat "$out")"
	ours=$out
	# util-linux as the oracle: the same maps from the same files.
	run with_subids nobody "$GRANT_U" "$GRANT_G" unshare --map-auto --map-root-user \
		sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; id -u; id -g'
	assertEquals "unshare --map-auto -r; $err" "$(flat "$out")" "$(flat "$ours")"
}

testSubidsChownWorksInside() {
	require_subids || return
	d=$NOBODY_HOME/chown
	run with_subids nobody "$GRANT_U" "$GRANT_G" usernsselfmap --subids \
		sh -c "mkdir '$d' && cd '$d' && touch f && chown 1000:1000 f && stat -c %u:%g f"
	assertEquals "status; $err" 0 "$rc"
	assertEquals "1000:1000" "$out"
	# Outside the ids are shifted as the files say: 100000+999, 200000+999.
	assertEquals "100999:200999" "$(stat -c %u:%g "$d/f")"
	rm -rf "$d"
}

testSubidsCommandKeepsThePid() {
	require_subids || return
	# Still no fork: the helper is a child that waits for newuidmap.
	run with_subids nobody "$GRANT_U" "$GRANT_G" sh -c 'usernsselfmap --subids sh -c "echo \$PPID"; echo $$'
	assertEquals "$(printf '%s\n' "$out" | sed -n 2p)" "$(printf '%s\n' "$out" | sed -n 1p)"
}

testSubidsSetgroupsDenyHonoured() {
	require_subids || return
	run with_subids nobody "$GRANT_U" "$GRANT_G" usernsselfmap --subids --setgroups deny \
		sh -c 'cat /proc/self/setgroups /proc/self/gid_map'
	assertEquals "status; $err" 0 "$rc"
	assertEquals "deny|0 65534 1|1 200000 65535" "$(flat "$out")"
	# Allowed (the default with newgidmap), a package manager may set groups.
	run with_subids nobody "$GRANT_U" "$GRANT_G" usernsselfmap --subids \
		sh -c 'setpriv --groups 5,7 id -G'
	assertEquals "status; $err" 0 "$rc"
	assertEquals "0 5 7" "$out"
}

testSubidsVerboseNarratesNewuidmap() {
	require_subids || return
	run with_subids nobody "$GRANT_U" "$GRANT_G" usernsselfmap -v --subids sh -c 'echo $$'
	assertEquals "status; $err" 0 "$rc"
	pid=$out
	for want in "usernsselfmap:   \$ newuidmap $pid 0 65534 1 1 100000 65535" \
		"usernsselfmap:   \$ newgidmap $pid 0 65534 1 1 200000 65535"; do
		assertTrue "missing narration: $want; $err" "printf '%s\n' \"\$err\" | grep -qxF -- \"$want\""
	done
	assertNotContains "newgidmap writes setgroups itself" "$err" "setgroups\" = "
}

testSubidsNamesForIds() {
	require_subids || return
	run with_subids nobody "$GRANT_U" "$GRANT_G" usernsselfmap --subids \
		-u "$(nobody_name)" -g "$(nobody_group)" sh -c 'id -u; id -g'
	assertEquals "status; $err" 0 "$rc"
	assertEquals "65534|65534" "$(flat "$out")"
	run with_subids nobody "$GRANT_U" "$GRANT_G" usernsselfmap --subids -u 1000 -g 1000 \
		sh -c 'id -u; id -g'
	assertEquals "1000|1000" "$(flat "$out")"
	# Without --subids a name is an id like any other: the one mapped to you.
	run as_nobody usernsselfmap -u "$(nobody_name)" -g "$(nobody_group)" cat /proc/self/uid_map
	assertEquals "status; $err" 0 "$rc"
	assertEquals "65534 65534 1" "$(flat "$out")"
}

testSubidsByUidAndFirstRange() {
	require_subids || return
	# shadow matches the owner by uid as well, and --subids takes the first range.
	run with_subids nobody "65534:300000:1000
65534:400000:65536
" "65534:500000:65536
" usernsselfmap --subids sh -c 'cat /proc/self/uid_map /proc/self/gid_map'
	assertEquals "status; $err" 0 "$rc"
	assertEquals "0 65534 1|1 300000 1000|0 65534 1|1 500000 65535" "$(flat "$out")"
}

testRootSubidsWritesDirectly() {
	require_subids || return
	run with_subids root "root:100000:65536
" "root:200000:65536
" "$BIN/usernsselfmap" -v --subids sh -c 'cat /proc/self/uid_map /proc/self/setgroups'
	assertEquals "status; $err" 0 "$rc"
	assertEquals "0 0 1|1 100000 65535|deny" "$(flat "$out")"
	assertNotContains "root needs no newuidmap" "$err" "newuidmap"
}

testNoRangeDiagnosed() {
	require_subids || return
	run with_subids nobody "" "" usernsselfmap --subids touch "$MARKER"
	assert_refused usernsselfmap
	assertEquals "usernsselfmap: --subids: /etc/subuid grants no range to $(nobody_name) (uid 65534)
usernsselfmap: hint: an administrator would add this line to /etc/subuid: $(nobody_name):100000:65536
usernsselfmap: hint: nslab looked only in /etc/subuid; shadow may also take ranges from NSS (a subid: line in /etc/nsswitch.conf)" "$err"
	# The line suggested lies above every range granted so far.
	run with_subids nobody "other:100000:65536
" "" usernsselfmap --subids touch "$MARKER"
	assert_refused usernsselfmap
	assertContains "$err" "this line to /etc/subuid: $(nobody_name):165536:65536"
	# A map of ranges: newuidmap refuses, its words and the same hints follow.
	run with_subids nobody "" "" usernsselfmap --uid-map 0:65534:1 --uid-map 1:100000:10 touch "$MARKER"
	assert_refused usernsselfmap
	assertContains "$err" "usernsselfmap: newuidmap: uid range [1-11) -> [100000-100010) not allowed"
	assertContains "$err" "usernsselfmap: hint: /etc/subuid has no range for $(nobody_name)"
}

testRangeOutsideGrantDiagnosed() {
	require_subids || return
	run with_subids nobody "$GRANT_U" "$GRANT_G" usernsselfmap \
		--uid-map 0:65534:1 --uid-map 1:300000:10 touch "$MARKER"
	assert_refused usernsselfmap
	assertTrue "first line names the helper: $err" \
		"printf '%s\n' \"\$err\" | head -n 1 | grep -Eq '^usernsselfmap: /[^ ]*/newuidmap for /proc/[0-9]+/uid_map failed with exit status 1\$'"
	assertContains "$err" "usernsselfmap: hint: outside ids 300000-300009 are not all granted: /etc/subuid grants $(nobody_name) 100000-165535 (100000:65536)"
	# Narrated, the refused command is there with newuidmap's exit status.
	run with_subids nobody "$GRANT_U" "$GRANT_G" usernsselfmap -v \
		--uid-map 0:65534:1 --uid-map 1:300000:10 touch "$MARKER"
	assert_refused usernsselfmap
	printf '%s\n' "$err" | grep -Eq '^usernsselfmap: /[^ ]*/newuidmap [0-9]+ 0 65534 1 1 300000 10 = 1$' ||
		fail "the failed newuidmap is not narrated with its status: $err"
	# gids the same way, through newgidmap.
	run with_subids nobody "$GRANT_U" "$GRANT_G" usernsselfmap \
		--gid-map 0:65534:1 --gid-map 1:100000:10 touch "$MARKER"
	assert_refused usernsselfmap
	assertContains "$err" "/etc/subgid grants $(nobody_name) 200000-265535 (200000:65536)"
}

testNoNewuidmapDiagnosed() {
	require_subids || return
	# A PATH with the tools and without newuidmap: refused before unshare.
	run with_subids nobody "$GRANT_U" "$GRANT_G" env PATH="$NOBODY_BIN" \
		usernsselfmap --subids /usr/bin/touch "$MARKER"
	assert_refused usernsselfmap
	assertEquals "usernsselfmap: newuidmap: not found in PATH; it writes maps an unprivileged user may not write
usernsselfmap: hint: it comes with shadow: the package uidmap (Debian, Ubuntu) or shadow-utils (Fedora)" "$err"
}

testHelperWithoutPrivilegeDiagnosed() {
	require_subids || return
	# A copy has neither the setuid bit nor a file capability.
	mkdir -p "$SCRATCH/plain"
	cp "$(command -v newuidmap)" "$(command -v newgidmap)" "$SCRATCH/plain/"
	chmod 755 "$SCRATCH/plain"/*
	run with_subids nobody "$GRANT_U" "$GRANT_G" env PATH="$SCRATCH/plain:$NOBODY_BIN:$SYSPATH" \
		usernsselfmap --subids touch "$MARKER"
	assert_refused usernsselfmap
	assertContains "$err" "usernsselfmap: newuidmap: write to uid_map failed: Operation not permitted"
	assertContains "$err" "usernsselfmap: hint: $SCRATCH/plain/newuidmap is neither setuid root nor has a file capability"
	assertNotContains "$err" "NoNewPrivs"
}

testNoNewPrivsDiagnosed() {
	require_subids || return
	run with_subids nobody "$GRANT_U" "$GRANT_G" setpriv --no-new-privs \
		usernsselfmap --subids touch "$MARKER"
	assert_refused usernsselfmap
	assertContains "$err" "usernsselfmap: newuidmap: write to uid_map failed: Operation not permitted"
	assertContains "$err" "usernsselfmap: hint: NoNewPrivs is set on this process"
	assertNotContains "the installed helper is setuid" "$err" "neither setuid"
}

# The article's user (uid 1000, gid 100, supplementary groups, README):
# inside, gid 100 is 0 and every other group 65534, the overflow gid, by
# number; its name is the distribution's (nogroup, nobody), so not matched.
testArticlesSupplementaryGroups() {
	require_root "switches to uid 1000, gid 100 and supplementary groups" || return
	require_userns || return
	run setpriv --reuid=1000 --regid=100 --groups=100,26,44 \
		env -i PATH="$NOBODY_BIN:$SYSPATH" ASAN_OPTIONS="$ASAN_OPTIONS" \
		usernsselfmap sh -c 'id -u; id -g; id -G'
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "0
0
0 65534" "$out"
}


# --- hostile helpers: a newuidmap first in PATH that is not shadow's ------

# fake NAME BODY: an executable script NAME in $SCRATCH/fake, for PATH.
fake() {
	mkdir -p "$SCRATCH/fake"
	printf '#!/bin/sh\n%s\n' "$2" >"$SCRATCH/fake/$1"
	chmod 755 "$SCRATCH/fake/$1"
}
FAKEPATH() { printf '%s' "$SCRATCH/fake:$NOBODY_BIN:$SYSPATH"; }

# A newuidmap that exits 0 having written only the caller's own id: the
# maps are read back, the command never runs, and the message says what
# differs -- not a refused setgroups(2) later.
testLyingHelperRefused() {
	require_subids || return
	rm -rf "$SCRATCH/fake"
	fake newuidmap 'echo "0 65534 1" >/proc/$1/uid_map'
	run with_subids nobody "$GRANT_U" "$GRANT_G" env PATH="$(FAKEPATH)" \
		usernsselfmap --subids touch "$MARKER"
	assert_refused usernsselfmap \
		"usernsselfmap: /proc/self/uid_map holds 0 65534 1, not the map asked for: 0 65534 1,1 100000 65535"
	assertContains "$err" "usernsselfmap: hint: $SCRATCH/fake/newuidmap exited 0 but did not write it"
	assertNotContains "$err" "setgroups"
	# One that writes nothing at all.
	fake newuidmap 'exit 0'
	run with_subids nobody "$GRANT_U" "$GRANT_G" env PATH="$(FAKEPATH)" \
		usernsselfmap --subids touch "$MARKER"
	assert_refused usernsselfmap "usernsselfmap: /proc/self/uid_map holds nothing, not the map asked for"
	# newgidmap lies too: the gid map is checked as well.
	rm -rf "$SCRATCH/fake"
	fake newgidmap 'echo deny >/proc/$1/setgroups; echo "0 65534 1" >/proc/$1/gid_map'
	run with_subids nobody "$GRANT_U" "$GRANT_G" env PATH="$(FAKEPATH)" \
		usernsselfmap --subids touch "$MARKER"
	assert_refused usernsselfmap \
		"usernsselfmap: /proc/self/gid_map holds 0 65534 1, not the map asked for: 0 65534 1,1 200000 65535"
	rm -rf "$SCRATCH/fake"
}

# What cannot run is skipped as execvp skips it (a directory, a file that
# is not executable); one that is executable but no program (ENOEXEC) is
# named as the exec that failed, not as a write to uid_map.
testHelperThatCannotRun() {
	require_subids || return
	rm -rf "$SCRATCH/fake" "$SCRATCH/skip"
	mkdir -p "$SCRATCH/skip/newuidmap" "$SCRATCH/fake"
	printf 'not a program\n' >"$SCRATCH/skip/newgidmap"; chmod 644 "$SCRATCH/skip/newgidmap"
	run with_subids nobody "$GRANT_U" "$GRANT_G" env PATH="$SCRATCH/skip:$NOBODY_BIN:$SYSPATH" \
		usernsselfmap --subids cat /proc/self/uid_map
	assertEquals "skipped; stderr: $err" 0 "$rc"
	printf '\177ELF garbage\n' >"$SCRATCH/fake/newuidmap"; chmod 755 "$SCRATCH/fake/newuidmap"
	run with_subids nobody "$GRANT_U" "$GRANT_G" env PATH="$(FAKEPATH)" \
		usernsselfmap --subids touch "$MARKER"
	assert_refused usernsselfmap "usernsselfmap: exec $SCRATCH/fake/newuidmap: Exec format error"
	assertNotContains "$err" "write /proc"
	rm -rf "$SCRATCH/fake" "$SCRATCH/skip"
}

# Killed while newuidmap hangs, by SIGTERM or SIGKILL: the helper and the
# newuidmap it started go too (the helper's death signal; it kills the
# tool, whose own the kernel cleared at a setuid exec).
killed_while_helper_hangs() {
	rm -rf "$SCRATCH/fake"; rm -f "$SCRATCH/markers/hang"
	fake newuidmap "echo \$\$ >$SCRATCH/markers/hang; exec sleep 1000"
	with_subids nobody "$GRANT_U" "$GRANT_G" env PATH="$(FAKEPATH)" \
		usernsselfmap --subids touch "$MARKER" </dev/null >/dev/null 2>&1 & bg=$!
	poll test -s "$SCRATCH/markers/hang" || return
	tool=$(cat "$SCRATCH/markers/hang")
	helper=$(awk '{print $4}' /proc/$tool/stat)
	self=$(awk '{print $4}' /proc/$helper/stat)
	assertEquals "the chain's process" usernsselfmap "$(cat /proc/$self/comm)"
	kill "-$1" "$self"
	wait $bg
	gone_soon() { n=0; while [ -e "/proc/$1" ] && [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" != Z ]; do
		n=$((n + 1)); [ $n -lt 1200 ] || { kill -KILL "$1"; return 1; }; sleep 0.05; done; }
	assertTrue "$1: the helper ($helper) outlived usernsselfmap" "gone_soon $helper"
	assertTrue "$1: newuidmap ($tool) outlived usernsselfmap" "gone_soon $tool"
	assert_not_run
	rm -rf "$SCRATCH/fake"
}
testTermWhileHelperHangs() { require_subids || return; killed_while_helper_hangs TERM; }
testKillWhileHelperHangs() { require_subids || return; killed_while_helper_hangs KILL; }


# A first range whose end wraps 32 bits is said to, not as "holds your own uid".
testRangePastTheLastId() {
	require_subids || return
	run with_subids nobody "$(nobody_name):4294967000:65536
" "$GRANT_G" usernsselfmap --subids touch "$MARKER"
	assert_refused -1 usernsselfmap \
		"usernsselfmap: --subids: your first range in /etc/subuid, 4294967000:65536, runs past uids 4294967294, the last the kernel maps"
}

# with_passwd TEXT CMD...: CMD with /etc/passwd reading TEXT, bound over the
# host's in a private mount namespace (as root), so the host's is untouched.
with_passwd() {
	printf '%s' "$1" >"$SCRATCH/passwd"; chmod 644 "$SCRATCH/passwd"; shift
	unshare --mount --propagation private sh -c \
		'mount --bind "$1" /etc/passwd || exit 99; shift; exec "$@"' sh "$SCRATCH/passwd" "$@"
}

# -u '' is no name, even where a passwd line has an empty one; a name may
# begin with a digit (all digits is a number).
testNamesAndNumbers() {
	require_root "binds a test file over /etc/passwd in a mount namespace of its own" || return
	pw="root:x:0:0:root:/root:/bin/sh
:x:4343:4343:an empty name:/:/bin/sh
1abc:x:2001:2001:a digit first:/:/bin/sh
"
	run with_passwd "$pw" "$BIN/usernsselfmap" -u '' touch "$MARKER"
	assert_refused -1 usernsselfmap "usernsselfmap: -u '': not an id (0 to 4294967294) or a name"
	run with_passwd "$pw" "$BIN/usernsselfmap" -u 1abc id -u
	assertEquals "1abc is a name; stderr: $err" 2001 "$out"
	run with_passwd "$pw" "$BIN/usernsselfmap" -u 2001 id -u
	assertEquals "2001 is a number; stderr: $err" 2001 "$out"
	run with_passwd "$pw" "$BIN/usernsselfmap" -u 12abc touch "$MARKER"
	assert_refused -1 usernsselfmap "usernsselfmap: -u '12abc': no such name in /etc/passwd"
}

# shellcheck source=/dev/null
. shunit2
