# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# nsseccomp: Docker's refusal of namespaces, as a step.  Each call the
# filter names is made the raw way (tests/helpers/try_ns) with and without
# the filter, so a refusal is the filter's and not the kernel's; a shell
# and its children (fork, posix_spawn, pipes) must still work.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

TRY=$TBIN/helpers/try_ns
NEWNET=0x40000000
NEWUSER=0x10000000
NEWUTS=0x04000000

setUp() { host_snapshot; rm -f "$MARKER"; cp -p "$TRY" "$NOBODY_BIN/"; }
tearDown() { assert_host_unchanged; }
unset NSLAB_VERBOSE

# Inside a user and UTS namespace of your own every one of these succeeds without
# the filter; under it each is refused with Docker's errno.
testRefusesEachNamedCall() {
	require_userns || return
	for call in "unshare 0" "unshare $NEWUTS" "clone $NEWUTS" "clone $NEWNET" "clone3 0" \
		"setns /proc/self/ns/uts"; do
		run as_user usernsselfmap nsuts try_ns $call
		assertEquals "without the filter, $call: $out" ok "$out"
	done
	for call in "unshare 0:EPERM" "unshare $NEWUTS:EPERM" "clone $NEWUTS:EPERM" \
		"clone $NEWNET:EPERM" "clone 0x7E020000:EPERM" "clone3 0:ENOSYS" \
		"clone3 $NEWUTS:ENOSYS" "setns /proc/self/ns/uts:EPERM"; do
		run as_user usernsselfmap nsuts nsseccomp try_ns ${call%:*}
		assertEquals "under the filter, ${call%:*}" "${call#*:}" "$out"
	done
}

# And nothing else a shell needs: fork (clone without a namespace flag),
# posix_spawn (clone3, refused with ENOSYS, then clone), pipes, exec.
testShellStillWorks() {
	run as_user nsseccomp sh -c 'echo a | cat; (true); sleep 0 & wait; ls / >/dev/null; try_ns clone 0; try_ns clone 0x80; env true && echo done'
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "$(printf 'a\nok\nok\ndone')" "$out"
}

# The Yocto article's Docker case: nsnet -U refuses, with the seccomp hint.
testNsnetRefusesUnderTheFilter() {
	run as_user nsseccomp nsnet -U touch "$MARKER"
	assert_refused nsnet "unshare(CLONE_NEWUSER|CLONE_NEWNET): Operation not permitted"
	assertContains "$err" "nsnet: hint: a seccomp filter blocks namespace creation"
}

# --no-userns: only new user namespaces are refused.
testNoUserns() {
	require_userns || return
	run as_user nsseccomp -u try_ns unshare $NEWUSER
	assertEquals EPERM "$out"
	run as_user nsseccomp -u try_ns clone $NEWUSER
	assertEquals EPERM "$out"
	run as_user nsseccomp -u usernsselfmap touch "$MARKER"
	assert_refused usernsselfmap "unshare(CLONE_NEWUSER): Operation not permitted"
	run as_user usernsselfmap nsseccomp -u sh -c "try_ns unshare $NEWUTS; try_ns clone $NEWNET; try_ns unshare $NEWUSER"
	assertEquals "other kinds are allowed: $err" "$(printf 'ok\nok\nEPERM')" "$out"
}

# no_new_privs is set unless -s, which needs CAP_SYS_ADMIN.
testNoNewPrivs() {
	run as_user nsseccomp grep NoNewPrivs /proc/self/status
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$out" "1"
	run as_user nsseccomp -s touch "$MARKER"
	assert_refused nsseccomp "prctl(PR_SET_SECCOMP): Permission denied"
	assertContains "$err" "nsseccomp: hint: without no_new_privs the kernel takes a filter only from a process with CAP_SYS_ADMIN"
	require_userns || return
	run as_user usernsselfmap nsseccomp -s sh -c 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status'
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "$(printf 'NoNewPrivs:\t0\nSeccomp:\t2')" "$out"
}

testNarrationAndStatus() {
	run as_user nsseccomp -v sh -c 'exit 3'
	assertEquals 3 "$rc"
	assertContains "$err" "nsseccomp: prctl(PR_SET_NO_NEW_PRIVS, 1) = 0"
	assertContains "$err" "nsseccomp: prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER"
	assertContains "$err" "nsseccomp: unshare(0) = -1 (Operation not permitted)"
	run "$BIN/nsseccomp" --bogus touch "$MARKER"
	assert_refused -1 nsseccomp "unknown option '--bogus'"
	run "$BIN/nsseccomp" -V
	assertEquals 0 "$rc"
}

# shellcheck source=/dev/null
. shunit2
