# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# nsuts: a UTS namespace with a host name of its own, as root and as an
# unprivileged user (uid 65534 when run as root) under usernsselfmap.  The
# oracles: hostname(1), the kernel's /proc/sys/kernel/domainname, and
# readlink /proc/self/ns/uts, inside and on the host, whose names must
# never change.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

setUp() {
	host_snapshot; rm -f "$MARKER"
	HOST_NAME=$(hostname) HOST_DOMAIN=$(cat /proc/sys/kernel/domainname)
}
tearDown() {
	assert_host_unchanged
	assertEquals "the host's name changed" "$HOST_NAME" "$(hostname)"
	assertEquals "the host's domain name changed" "$HOST_DOMAIN" "$(cat /proc/sys/kernel/domainname)"
}
unset NSLAB_VERBOSE

INSIDE='hostname; cat /proc/sys/kernel/domainname; readlink /proc/self/ns/uts'

# check_inside NAME DOMAIN: $out is what $INSIDE printed in the namespace.
check_inside() {
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "hostname inside" "$1" "$(printf '%s\n' "$out" | sed -n 1p)"
	assertEquals "domainname inside" "$2" "$(printf '%s\n' "$out" | sed -n 2p)"
	assertNotEquals "the UTS namespace is new" "$(readlink /proc/self/ns/uts)" \
		"$(printf '%s\n' "$out" | sed -n 3p)"
}

testNamesAsRoot() {
	require_root "CLONE_NEWUTS without a user namespace takes CAP_SYS_ADMIN on the host" || return
	run "$BIN/nsuts" --hostname lab --domainname example.test sh -c "$INSIDE"
	check_inside lab example.test
}

testNamesUnprivileged() {
	require_userns || return
	run as_user usernsselfmap nsuts --hostname labuser --domainname d sh -c "$INSIDE"
	check_inside labuser d
}

# With no option the names are copies of the caller's.
testCopiesByDefault() {
	require_userns || return
	run as_user usernsselfmap nsuts sh -c "$INSIDE"
	check_inside "$HOST_NAME" "$HOST_DOMAIN"
}

# The kernel's limit, 64 bytes, and not one less: multibyte names count bytes.
testSixtyFourBytes() {
	require_userns || return
	n64=$(printf '%064d' 0)
	run as_user usernsselfmap nsuts --hostname "$n64" hostname
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "$n64" "$out"
	run as_user usernsselfmap nsuts --hostname "${n64}x" touch "$MARKER"
	assertEquals 125 "$rc"
	assertContains "$err" "nsuts: --hostname '${n64}x': 65 bytes; the kernel allows at most 64"
	assert_not_run
	u=$(printf '%032d' 0 | sed 's/0/é/g')
	run as_user usernsselfmap nsuts --domainname "$u" cat /proc/sys/kernel/domainname
	assertEquals "32 two-byte characters fit: $err" 0 "$rc"
	assertEquals "$u" "$out"
	run as_user usernsselfmap nsuts --domainname "${u}x" touch "$MARKER"
	assertContains "$err" "65 bytes; the kernel allows at most 64"
	assertEquals 125 "$rc"
	rm -f "$MARKER"
}

# Chained: an inner nsuts renames only its own namespace.
testNested() {
	require_userns || return
	run as_user usernsselfmap nsuts --hostname outer sh -c \
		'nsuts --hostname inner hostname; hostname'
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "inner|outer" "$(printf '%s\n' "$out" | paste -sd'|')"
}

testNarration() {
	require_userns || return 0
	run as_user usernsselfmap nsuts -v --hostname lab true
	assertEquals 0 "$rc"
	assertContains "$err" "nsuts: unshare(CLONE_NEWUTS) = 0"
	assertContains "$err" "nsuts:   \$ unshare --uts"
	assertContains "$err" 'nsuts: sethostname("lab", 3) = 0'
	assertContains "$err" "nsuts:   \$ hostname -- lab"
	# Each shell line is one valid command: a quote, a leading '-'.
	run as_user usernsselfmap nsuts -v --hostname "it's" --domainname -x true
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$err" "nsuts:   \$ hostname -- 'it'\\''s'"
	assertContains "$err" "nsuts:   \$ domainname -- -x"
	line=$(printf '%s\n' "$err" | sed -n 's/^nsuts:   \$ hostname -- //p')
	assertEquals "the quoted word reads back" "it's" "$(eval "printf '%s' $line")"
	# A newline would split the line: the call shows it escaped, no shell line.
	run as_user usernsselfmap nsuts -v --hostname "$(printf 'a\nb')" true
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$err" 'nsuts: sethostname("a\x0ab", 3) = 0'
	assertEquals "every line prefixed: $err" 0 "$(printf '%s\n' "$err" | grep -vc '^nsuts: ')"
	run as_user usernsselfmap nsuts true
	assertNull "quiet without -v: $err" "$err"
}

# Without privilege nothing is renamed and nothing runs: the kernel's word,
# then the hint.
testRefusedWithoutPrivilege() {
	run as_user nsuts --hostname pwned touch "$MARKER"
	assertEquals 125 "$rc"
	assert_err_prefix nsuts
	assertContains "$err" "nsuts: unshare(CLONE_NEWUTS): Operation not permitted"
	assert_not_run
}

testHelpVersionStatus() {
	run "$BIN/nsuts" --help
	assertEquals 0 "$rc"
	assertContains "$out" "usage: nsuts"
	run "$BIN/nsuts" -V
	assertContains "$out" "nsuts (nslab) "
	require_userns || return
	run as_user usernsselfmap nsuts sh -c 'exit 7'
	assertEquals 7 "$rc"
}

# shellcheck source=/dev/null
. shunit2
