# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# The examples and the demo: each runs to the end, exit 0, and shows the
# lines that make its point, as the caller (root or not) and as the
# unprivileged user of as_user (uid 65534 when the caller is root), in a
# clean environment; the host is left as it was.  The transcript checks themselves must be able to fail.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# A copy of what the examples use, readable by 65534.
TREE=$SCRATCH/tree
mkdir -p "$TREE/build"
cp -pr "$TOP/examples" "$TOP/bin" "$TOP/docs" "$TREE"/
[ -d "$TOP/build/examples" ] && cp -pr "$TOP/build/examples" "$TREE/build/"
[ -d "$TOP/build/tests/helpers" ] && mkdir -p "$TREE/build/tests" &&
	cp -pr "$TOP/build/tests/helpers" "$TREE/build/tests/"
chmod -R a+rX "$TREE"

setUp() { host_snapshot; }
tearDown() { assert_host_unchanged; }

# run_example NAME [as_user]: run examples/NAME.sh; $rc, $out (both streams).
run_example() {
	if [ "${2:-}" = as_nobody ] || [ "${2:-}" = as_user ]; then
		run "$2" sh "$TREE/examples/$1.sh"
	else
		run sh "$TOP/examples/$1.sh"
	fi
	out="$out$err"
	summary_line=$(printf '%s\n' "$out" | grep "^$1\\.sh: [0-9]* steps" | tail -n 1)
}

# An example shows what exists; a part left out for a missing tool is a
# skip (a failure under CI=true).
skip_if_partial() {
	case $summary_line in
	*"not shown for want of"*) skip "$1: ${summary_line#*; }" ;;
	esac
}

assert_example_ok() {
	assertEquals "$1 exit status; its last lines: $(printf '%s\n' "$out" | tail -n 15)" 0 "$rc"
	assertNotNull "$1 printed no summary line" "$summary_line"
	assertNotContains "$1 has an unexpected step" "$out" '!! unexpected'
	case $summary_line in *", 0 not"*) ;; *) fail "$1: $summary_line" ;; esac
}

# assert_shows TEXT...: each TEXT (a grep -E regex) is a line of the output.
assert_shows() {
	for want in "$@"; do
		printf '%s\n' "$out" | grep -Eq -- "$want" || fail "$name does not show /$want/"
	done
}

# check_walkthrough UID GID: the ids it ran as, which may differ.
check_walkthrough() {
	name=userns-walkthrough me=$1 mygid=$2
	assert_example_ok $name
	assert_shows '^\$ usernsselfmap id$' '^uid=0\(root\) gid=0\(root\)' \
		"^ *0 +$me +1\$" " $me +$mygid .* test\$" 'RTNETLINK answers: Operation not permitted'
	skip_if_partial $name
	assert_shows '^1: lo: ' 'veth0 +inet 10\.10\.10\.10/8' '^this-is-my-home$' '^net:\[[0-9]+\]$'
}

# As the caller: root, or a developer's own uid.
testWalkthroughAsRoot() {
	require_userns || return 0
	run_example userns-walkthrough
	check_walkthrough "$(id -u)" "$(id -g)"
}

testWalkthroughAsNobody() {
	require_userns || return 0
	run_example userns-walkthrough as_user
	check_walkthrough "$USER_UID" "$USER_GID"
	assert_shows "cannot open directory '/root': Permission denied"
}

check_bitbake() {
	name=bitbake-disable-network
	assert_example_ok $name
	assert_shows '^unshare: ret=0$' 'Network is unreachable'
	skip_if_partial $name
	# bitbake 2.2.0 and later spell it "support" (2.0's "suport", the
	# article's, was fixed with commit 0d317209d).
	assert_shows '^unshare: ret=-1$' "doesn't support disabling network" \
		'Skipping disable network for id since [0-9]+ is not a local uid\.$' \
		"^$(readlink /proc/self/ns/net | sed 's/[][]/\\&/g')\$" \
		'^task-ran-with-network$' '^nsnet: .*[Ss]eccomp' \
		'^tcp_sink: received: secret$' '^tcp_sink: nothing arrived$'
}

check_rootless() {
	name=rootless-chown
	assert_example_ok $name
	assert_shows '^\$ usernsselfmap --subids' '^\$ grep -E '
}

# As root the example grants 65534 a range in a private mount namespace and
# runs the session there: the whole of it must show.
testRootlessChownAsRoot() {
	require_root "binds a grant of subordinate ids over /etc/subuid and /etc/subgid, and switches to uid 65534" || return 0
	require_userns || return 0
	run_example rootless-chown
	check_rootless
	skip_if_partial rootless-chown
	assert_shows 'usernsselfmap:   \$ newuidmap [0-9]+ 0 65534 1 1 100000 65535$' \
		' 1000 +1000 .* a$' ' 100999 +100999 .* a$' '^100032:100032 box/b$' '^0 5 7$' \
		'^ *1 +100000 +65535$'
}

# As the user of as_user it uses what this host grants: the session, or the
# diagnosis of a missing range (the host's /etc/subuid is not the test's to
# change).
testRootlessChownAsNobody() {
	require_userns || return 0
	run_example rootless-chown as_user
	case $out in *"(not shown: needs newuidmap"*)
		skip "needs root: newuidmap and newgidmap installed setuid root (as root: apt-get install uidmap)"
		return 0 ;;
	esac
	check_rootless
	case $out in
	*"# Nothing granted"*) assert_shows 'hint: an administrator would add this line to /etc/subuid: ' ;;
	*) assert_shows ' 1000 +1000 .* a$' ;;
	esac
}

testBitbakeAsRoot() {
	require_userns || return 0
	run_example bitbake-disable-network
	check_bitbake
	# The sanity test stops a build whose uid_map write was refused (root
	# only: a real uid other than the effective one is what refuses it here).
	if [ "$(id -u)" = 0 ]; then
		assert_shows \
			'^ERROR: User namespaces are not usable by BitBake, possibly due to AppArmor\.$' \
			'^disable_network: writing the maps: '
	fi
}

testBitbakeAsNobody() {
	require_userns || return 0
	run_example bitbake-disable-network as_user
	check_bitbake
	assert_shows "^$USER_UID\$"
}

testExperimentShell() {
	require_userns || return 0
	name=experiment-shell
	run_example $name
	assert_example_ok $name
	skip_if_partial $name
	assert_shows '^uid=0\(root\) gid=0\(root\)' '^notes\.txt$' '^1: lo: '
}

testExperimentShellAsNobody() {
	require_userns || return 0
	name=experiment-shell
	run_example $name as_user
	assert_example_ok $name
	skip_if_partial $name
	assert_shows '^uid=0\(root\) gid=0\(root\)' '^notes\.txt$'
}

testTwoHostLabAsNobody() {
	require_userns || return 0
	name=two-host-lab
	run_example $name as_user
	assert_example_ok $name
	skip_if_partial $name
	assert_shows ' 0% packet loss' 'b0 +inet 10\.0\.0\.2/24'
	assertEquals "both pings" 2 "$(printf '%s\n' "$out" | grep -c ' 0% packet loss')"
}

testTwoHostLabAsRoot() {
	require_userns || return 0
	name=two-host-lab
	run_example $name
	assert_example_ok $name
	skip_if_partial $name
	assert_shows ' 0% packet loss'
}

# A LAN, a router that forwards and masquerades, a WAN with a listener,
# all inside a user namespace: the listener sees the router's address.
check_router() {
	assert_example_ok $name
	skip_if_partial $name
	assert_shows '^default via 10\.1\.0\.1 dev h0' '^net\.ipv4\.ip_forward = 1$' \
		'oifname "r1" masquerade' '^tcp_sink: from 10\.2\.0\.1$' \
		'^tcp_sink: received: hello from 10\.1\.0\.2$'
	assertFalse "the listener saw the host's address" \
		"printf '%s\n' \"\$out\" | grep -q '^tcp_sink: from 10\.1\.0\.2'"
}
testRouterLabAsUser() {
	require_userns || return 0
	name=router-lab
	run_example $name as_user
	check_router
}
testRouterLabAsRoot() {
	require_userns || return 0
	name=router-lab
	run_example $name
	check_router
}

# The container lesson: every kind but time, unprivileged, and nsinfo on
# the host says so; then the pivoted shell: its own hostname, only its
# processes in ps, a read-only root without the host's files.
check_container() {
	assert_example_ok $name
	skip_if_partial $name
	assert_shows '^lab$' '^ +1 +0 nspid$' '^ +2 +1 sh$' '^1: lo: ' '^notes\.txt$' \
		'^differ: cgroup ipc mnt net pid pid_for_children user uts$' '^time +time:.* same$' \
		'^box$' '^ +1 sh$' '^ +2 ps$' '^refused$' '^written$' \
		'/bin/cat: /etc/hostname: No such file or directory'
}
testContainerShell() {
	require_userns || return 0
	name=container-shell
	run_example $name
	check_container
}
testContainerShellAsNobody() {
	require_userns || return 0
	name=container-shell
	run_example $name as_user
	check_container
}

check_demo() {
	assertEquals "demo exit status; its last lines: $(printf '%s\n' "$out" | tail -n 8)" 0 "$rc"
	assert_shows '^======== summary \([0-9]+s\) ========$' \
		'^demo: everything shown happened as described$'
	for ex in userns-walkthrough bitbake-disable-network experiment-shell two-host-lab \
		router-lab container-shell; do
		printf '%s\n' "$out" | grep -q "^$ex\\.sh: [0-9]* steps, [0-9]* as expected, 0 not" ||
			fail "the demo's summary lacks $ex"
	done
	# The closing line names every guide docs/ has, first to last.
	set -- "$TOP"/docs/[0-9][0-9]-*.md
	first=${1##*/}; eval "last=\${$#}"; last=${last##*/}
	assert_shows "^demo: to learn each step, read the $# guides, docs/$first to docs/$last\$"
	# How long it took is the README's to report (measured there), not a
	# test's to assert: a loaded machine is slower, and no less correct.
	case $out in *"not shown for want of"*) skip "the demo is partial: tools are missing" ;; esac
}

testDemoAsRoot() {
	require_userns || return 0
	name=demo
	run_example demo
	check_demo
}

testDemoAsNobody() {
	require_userns || return 0
	name=demo
	run_example demo as_user
	check_demo
}

# uid 65534's home is /nonexistent: the demo brings its own.  (As the user
# of as_user, with that home.)
testDemoWithoutAHome() {
	require_userns || return 0
	name=demo sw=()
	[ "$(id -u)" = 0 ] && sw=(setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups)
	run "${sw[@]}" env -i PATH="$SYSPATH" HOME=/nonexistent TMPDIR="${TMPDIR:-/tmp}" LANG=C \
		ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
		sh "$TREE/examples/demo.sh"
	out="$out$err"
	assertContains "$out" "# HOME=/nonexistent cannot be used; the tour uses ${TMPDIR:-/tmp}/nslab-demo."
	check_demo
}

# The checks can fail: a wrong regex, a command that should fail but
# succeeds, a line that should be absent, a wrong status, each counts.
testTranscriptChecksCanFail() {
	run sh -c ". '$TOP/examples/transcript.sh'
		step 'echo hello' '^goodbye\$'
		step_fails 'true'
		step_lacks 'echo secret' 'secret'
		step 'echo a secret' 'secret' 'a '
		step_status 125 'exit 3'
		step 'echo fine' '^fine\$'
		summary"
	assertEquals "summary's exit status" 1 "$rc"
	assertEquals "the five wrong steps" 5 "$(printf '%s\n' "$out" | grep -c '^!! unexpected')"
	assertContains "$out" "wanted /^goodbye\$/"
	assertContains "$out" "wanted no /a /"
	assertContains "$out" ": 6 steps, 1 as expected, 5 not"
}

# And the demo says so when an example goes wrong.
testDemoFailsWhenAnExampleFails() {
	broken=$SCRATCH/broken
	rm -rf "$broken"; cp -pr "$TREE" "$broken"
	printf '%s\n' '. "$(dirname "$0")/transcript.sh"' 'step "echo one" "^two$"' summary \
		>"$broken/examples/experiment-shell.sh"
	run sh "$broken/examples/demo.sh"
	rm -rf "$broken"
	assertNotEquals "the demo passed although an example failed" 0 "$rc"
	assertContains "$out" "experiment-shell.sh: 1 steps, 0 as expected, 1 not"
	assertContains "$out" "did not go as described"
	assertContains "the total counts the failed step" "$out" ", 1 not as expected"
}

# Every example, whoever wrote it: exit 0, a summary with no failed step,
# as the caller and as the user of as_user (an example that cannot run
# unprivileged says so with a failed step, which fails here).
check_any_example() {
	name=$1
	require_userns || return 0
	run_example "$name" ${2:-}
	assert_example_ok "$name"
	skip_if_partial "$name"
}

suite() {
	for f in $(grep -l '^[^#]*\bsummary\b' "$TOP"/examples/*.sh); do
		n=${f##*/}; n=${n%.sh}
		case $n in transcript|demo) continue ;; esac
		t=$(printf '%s' "$n" | tr -c 'A-Za-z0-9_\n' _)
		eval "testExample_${t}_AsRoot() { check_any_example '$n'; }"
		eval "testExample_${t}_AsNobody() { check_any_example '$n' as_user; }"
		suite_addTest "testExample_${t}_AsRoot"
		suite_addTest "testExample_${t}_AsNobody"
	done
	for t in $(grep -o '^test[A-Za-z0-9_]*()' "$0" | tr -d '()'); do
		suite_addTest "$t"
	done
}

# shellcheck source=/dev/null
. shunit2
