# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# nscap: only the capabilities kept.  The oracles: the Cap* lines of
# /proc/self/status as the command sees them, and the kernel itself -- an
# operation that needs the capability (a dummy link in a network namespace
# of our own, a new UTS namespace) is tried with and without it.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

setUp() { host_snapshot; rm -f "$MARKER"; }
tearDown() { assert_host_unchanged; }
unset NSLAB_VERBOSE

CAPS='grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):" /proc/self/status'
# The value of one field of the command's status, from $out.
field() { printf '%s\n' "$out" | awk -v f="$1:" '$1 == f { print $2 }'; }

# Root in a user namespace of your own keeps CAP_NET_ADMIN alone: every set
# but ambient is exactly that bit (12), and it still works on a link.
testKeepOneInUserns() {
	require_userns || return
	run as_user usernsselfmap nscap --cap-keep net_admin sh -c "$CAPS"
	assertEquals "stderr: $err" 0 "$rc"
	for f in CapInh CapPrm CapEff CapBnd; do
		assertEquals "$f" 0000000000001000 "$(field $f)"
	done
	assertEquals "CapAmb: the command is root there" 0000000000000000 "$(field CapAmb)"
	run as_user usernsselfmap nsnet nscap --cap-keep CAP_NET_ADMIN ip link add name nscap0 type veth peer name nscap1
	assertEquals "kept CAP_NET_ADMIN adds a link: $err" 0 "$rc"
}

# Dropped, the kernel refuses what the capability allowed.
testDropIsEnforced() {
	require_userns || return
	run as_user usernsselfmap nsnet nscap ip link add name nscap0 type veth peer name nscap1
	assertNotEquals "a link was added without CAP_NET_ADMIN" 0 "$rc"
	run as_user usernsselfmap nscap --cap-drop sys_admin nsuts touch "$MARKER"
	assert_refused nsuts "unshare(CLONE_NEWUTS): Operation not permitted"
	run as_user usernsselfmap nscap --cap-drop net_admin nsuts true
	assertEquals "CAP_SYS_ADMIN was not dropped: $err" 0 "$rc"
	run as_user usernsselfmap nscap --cap-drop 21 sh -c "$CAPS"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "bit 21 alone leaves CapEff" 0 $(( 0x$(field CapEff) >> 21 & 1 ))
	assertEquals "and CapBnd" 0 $(( 0x$(field CapBnd) >> 21 & 1 ))
	assertEquals "bit 12 stays" 1 $(( 0x$(field CapEff) >> 12 & 1 ))
}

# With no option every capability goes, bwrap's --cap-drop ALL.
testDefaultDropsAll() {
	require_userns || return
	run as_user usernsselfmap nscap sh -c "$CAPS"
	assertEquals "stderr: $err" 0 "$rc"
	for f in CapInh CapPrm CapEff CapBnd CapAmb; do
		assertEquals "$f" 0000000000000000 "$(field $f)"
	done
	run as_user usernsselfmap nscap --cap-drop all --cap-keep sys_chroot sh -c "$CAPS"
	assertEquals "--cap-drop all --cap-keep: $err" 0000000000040000 "$(field CapEff)"
}

# A command that is not root keeps a capability only as ambient.
testAmbientForNonRoot() {
	require_root "switches to a uid with capabilities in its permitted set" || return
	run setpriv --reuid=4242 --regid=4343 --clear-groups --inh-caps=+net_admin,+net_raw \
		--ambient-caps=+net_admin,+net_raw "$BIN/nscap" -n --cap-keep net_admin sh -c "$CAPS"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "CapAmb" 0000000000001000 "$(field CapAmb)"
	assertEquals "CapEff" 0000000000001000 "$(field CapEff)"
	run setpriv --reuid=4242 --regid=4343 --clear-groups --inh-caps=+net_admin \
		--ambient-caps=+net_admin "$BIN/nscap" -n sh -c "$CAPS"
	assertEquals "CapAmb cleared" 0000000000000000 "$(field CapAmb)"
}

# no_new_privs: set, and enough without CAP_SETPCAP; without it, a user
# who cannot shrink the bounding set is refused, with the way out.
testNoNewPrivs() {
	run as_user nscap -n sh -c "$CAPS"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "NoNewPrivs" 1 "$(field NoNewPrivs)"
	assertEquals "CapEff" 0000000000000000 "$(field CapEff)"
	run as_user nscap touch "$MARKER"
	assert_refused nscap "prctl(PR_CAPBSET_DROP, CAP_CHOWN): Operation not permitted"
	assertContains "$err" "nscap: hint: dropping from the bounding set needs CAP_SETPCAP"
}

# Fail closed: a capability the process has not cannot be kept.
testCannotKeepWhatIsNotHeld() {
	run as_user nscap -n --cap-keep net_admin touch "$MARKER"
	assert_refused -1 nscap "cannot keep CAP_NET_ADMIN: not in this process's permitted and bounding sets"
}

testBadInput() {
	run "$BIN/nscap" --cap-keep bogus touch "$MARKER"
	assert_refused -1 nscap "--cap-keep: unknown capability 'bogus'"
	run "$BIN/nscap" --cap-keep net_admin --cap-drop NET_ADMIN touch "$MARKER"
	assert_refused -1 nscap "CAP_NET_ADMIN both kept and dropped"
	run "$BIN/nscap" --cap-keep all touch "$MARKER"
	assert_refused -1 nscap "--cap-keep: unknown capability 'all'"
	run "$BIN/nscap" --cap-keep 64 touch "$MARKER"
	assert_refused -1 nscap "unknown capability '64'"
	run "$BIN/nscap" --cap-drop= touch "$MARKER"
	assert_refused -1 nscap
}

# The narrated setpriv line, typed, ends in the same capability sets.
testNarrationTypes() {
	require_userns || return
	run as_user usernsselfmap nscap -v --cap-keep net_admin,sys_chroot sh -c "$CAPS"
	assertEquals "stderr: $err" 0 "$rc"
	want=$out
	line=$(printf '%s\n' "$err" | sed -n 's/^nscap:   \$ //p')
	assertContains "$line" "setpriv --bounding-set=-all,+net_admin,+sys_chroot"
	# The line execs $SHELL: here a script that shows the sets.
	printf '#!/bin/sh\n%s\n' "$CAPS" >"$SCRATCH/caps.sh"
	chmod 755 "$SCRATCH/caps.sh"
	run as_user usernsselfmap env SHELL="$SCRATCH/caps.sh" sh -c "$line"
	assertEquals "typed: $err" 0 "$rc"
	assertEquals "the typed line ends where nscap does" "$want" "$out"
}

testHelpAndExit() {
	run "$BIN/nscap" --help
	assertEquals 0 "$rc"
	assertContains "$out" "usage: nscap"
	run as_user usernsselfmap nscap sh -c 'exit 7'
	assertEquals 7 "$rc"
}

# shellcheck source=/dev/null
. shunit2
