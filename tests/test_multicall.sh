# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# One program, many names (lib/multicall, nslab(7) ONE PROGRAM, MANY NAMES):
# bin/'s chain tools are one file, and a tool whose command is another tool
# of that file runs it in the same process, without execve.  The oracles:
# strace(1)'s execve calls (what ran in a process of its own), and the same
# chain with NSLAB_EXEC=always (a real execve at every step), which must end
# in the same exit status, output and messages.  As root and as an
# unprivileged user (as_user; its PATH holds a copy of bin/ that keeps the
# tools one file, cp --preserve=links).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

setUp() { host_snapshot; rm -f "$MARKER"; }
tearDown() { assert_host_unchanged; }
unset NSLAB_VERBOSE NSLAB_EXEC

TRACE=$SCRATCH/markers/trace.$$
# Hard links to bin/'s program and the probe: on the tree's file system
# ($SCRATCH may be a tmpfs elsewhere: EXDEV).
LINKS=$TOP/build/tests/multicall.$$
oneTimeTearDown() { rm -rf "$LINKS"; nslab_cleanup; }

# execs CMD...: run CMD under strace; $rc, $out, $err as run sets them, and
# $ran: the programs CMD's processes execve'd, by name, one a line, in order.
execs() {
	rm -f "$TRACE"
	run "$@"
	ran=$(sed -n 's/^[0-9]* *execve("\([^"]*\)".* = 0$/\1/p' "$TRACE" | sed 's,.*/,,')
	rm -f "$TRACE"
}
# A simple command, so that as_user can run it.
TRACED=(strace -f -qq -e trace=execve -e signal=none -o "$TRACE")

CHAIN7="usernsselfmap nsuts --hostname lab nsipc nscgroup nspid nsmount nsnet"

testToolsAreOneFile() {
	first=
	for t in "$BIN"/*; do
		[ "${t##*/}" = nsinfo ] && continue
		assertTrue "${t##*/} is not executable" "[ -x '$t' ]"
		[ -z "$first" ] && first=$t && continue
		assertTrue "${t##*/} is not ${first##*/}'s file" "[ '$t' -ef '$first' ]"
	done
	assertNotNull "no chain tool in bin/" "$first"
	assertFalse "nsinfo is a program of its own" "[ '$BIN/nsinfo' -ef '$first' ]"
	assertTrue "as_user's copy is one file too" "[ '$NOBODY_BIN/nsipc' -ef '$NOBODY_BIN/nsuts' ]"
}

# The seven-step container chain execs twice: the first tool and the command.
testOneExecAsUser() {
	require_userns || return
	execs as_user "${TRACED[@]}" $CHAIN7 hostname
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "lab" "$out"
	assertEquals "what was exec'd" "usernsselfmap hostname" "$(echo $ran)"
	execs as_user env NSLAB_EXEC=always "${TRACED[@]}" $CHAIN7 hostname
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "NSLAB_EXEC=always: every step exec'd" \
		"usernsselfmap nsuts nsipc nscgroup nspid nsmount nsnet hostname" "$(echo $ran)"
}

testOneExecAsRoot() {
	require_root "runs nsnet, nsipc and nsuts without a user namespace" || return
	execs "${TRACED[@]}" env PATH="$BIN:$PATH" nsuts --hostname lab nsipc nsnet hostname
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "lab" "$out"
	assertEquals "what was exec'd" "env nsuts hostname" "$(echo $ran)"
}

# Each case where execve would do what a step in this process cannot, or
# where it was asked for, is a real exec.
testRealExecWhenAsked() {
	require_userns || return
	execs as_user env NSLAB_EXEC=always "${TRACED[@]}" usernsselfmap nsipc true
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "usernsselfmap nsipc true" "$(echo $ran)"
}

# A tool's file-scope state is fresh once a process: a tool named twice
# runs the second time after a real exec.
testRealExecForATwice() {
	require_userns || return
	execs as_user "${TRACED[@]}" usernsselfmap nsuts --hostname a nsipc nsuts --hostname b hostname
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "b" "$out"
	assertEquals "usernsselfmap nsuts hostname" "$(echo $ran)"
}

# Another file, even a copy: it is what execve would run.
testRealExecForACopy() {
	require_userns || return
	mkdir -p "$SCRATCH/copy"
	cp "$NOBODY_BIN/nsipc" "$SCRATCH/copy/nsipc"
	chmod -R a+rX "$SCRATCH/copy"
	execs as_user "${TRACED[@]}" usernsselfmap "$SCRATCH/copy/nsipc" true
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "usernsselfmap nsipc true" "$(echo $ran)"
	# The same file by its path: no exec.
	execs as_user "${TRACED[@]}" usernsselfmap "$NOBODY_BIN/nsipc" true
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "usernsselfmap true" "$(echo $ran)"
	rm -rf "$SCRATCH/copy"
}

# Capabilities exec would change: root's permitted set comes from the
# bounding set at exec; here nscap kept one capability and could not shrink
# the bounding set (no CAP_SETPCAP, no_new_privs instead).
testRealExecWhenCapabilitiesWouldChange() {
	require_userns || return
	execs as_user "${TRACED[@]}" usernsselfmap setpriv --bounding-set=-setpcap \
		nscap -n --cap-keep sys_admin nsipc grep ^CapEff /proc/self/status
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "usernsselfmap setpriv nscap nsipc grep" "$(echo $ran)"
	# usernsselfmap -u 1000 maps no uid 0, so setresuid kept every
	# capability (the kernel drops them only on leaving uid 0): exec drops
	# them (a uid other than 0 gets only the ambient ones), so nsnet is
	# exec'd and fails just as it always did.
	execs as_user "${TRACED[@]}" usernsselfmap -u 1000 nsnet true
	assertEquals 125 "$rc"
	assertContains "$err" "nsnet: unshare(CLONE_NEWNET): Operation not permitted"
	assertEquals "usernsselfmap nsnet" "$(echo $ran)"
}

# The same file on a noexec mount: execve refuses it (126), and so the
# next step is no step in this process either.
testNoexecMountRefused() {
	require_userns || return
	d=$SCRATCH/markers/noexec.$$
	mkdir -p "$d"
	for mode in multi always; do
		run as_user env NSLAB_EXEC=$mode usernsselfmap nsmount -n sh -c '
			mount --bind "$1" "$2" && mount -o remount,bind,noexec "$2" &&
			exec nsipc "$2/nsuts" touch "$3"' sh "$NOBODY_BIN" "$d" "$MARKER"
		assertEquals "$mode: $err" 126 "$rc"
		assertContains "$mode" "$err" "nsipc: exec $d/nsuts: Permission denied"
		assert_not_run
	done
	rmdir "$d"
}

# A seccomp filter may judge execve itself: once nsseccomp loaded one,
# real execs (nsseccomp itself ran in usernsselfmap's process).
testRealExecAfterSeccomp() {
	require_userns || return
	execs as_user "${TRACED[@]}" usernsselfmap nsseccomp nsuts true
	assertEquals 125 "$rc"
	assertContains "$err" "nsuts: unshare(CLONE_NEWUTS): Operation not permitted"
	assertEquals "usernsselfmap nsuts" "$(echo $ran)"
}

# execve enters the time namespace nstime made for the children: the next
# tool reports (--info-fd) the namespace its command then runs in.
testNextToolInTheNewTimeNamespace() {
	require_userns || return
	for mode in multi always; do
		run as_user env NSLAB_EXEC=$mode usernsselfmap nstime --monotonic 5 nsipc --info-fd 3 \
			readlink /proc/self/ns/time 3>"$SCRATCH/info"
		assertEquals "$mode: stderr: $err" 0 "$rc"
		reported=$(jq -r .namespaces.time "$SCRATCH/info")
		assertEquals "$mode: nsipc's time namespace is its command's" "$out" "time:[$reported]"
	done
}

# After nsmount --root the next tool is looked up in the new root: not
# there, it is not found, as execvp says.
testNotFoundAfterRoot() {
	require_userns || return
	r=$SCRATCH/markers/root.$$
	mkdir -p "$r"
	chmod 777 "$r"
	execs as_user "${TRACED[@]}" usernsselfmap nsmount -t "$r" --root "$r" nsipc true
	assertEquals 127 "$rc"
	assertContains "$err" "nsmount: exec nsipc: No such file or directory"
	assertEquals "usernsselfmap" "$(echo $ran)"
	rmdir "$r"
}

# What a step of the chain starts with, in this process or after an exec:
# its comm, caught signals back to default, ignored ones still ignored,
# close-on-exec descriptors closed, getopt started over.
testProcessAsAfterExec() {
	p=$LINKS/probe
	mkdir -p "$p"
	ln -f "$TBIN/helpers/multicall_probe" "$p/probe_set"
	ln -f "$TBIN/helpers/multicall_probe" "$p/probe_show"
	run env PATH="$p:$PATH" probe_set -x probe_show -y w
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$out" "comm probe_show"
	assertContains "$out" "y w"
	assertContains "SIGUSR1 was caught, is default" "$out" "SIGUSR1 default"
	assertContains "SIGUSR2 is still ignored" "$out" "SIGUSR2 ignored"
	assertContains "$out" "fd 20 closed"
	assertContains "$out" "fd 21 open"
	inprocess=$out
	run env PATH="$p:$PATH" NSLAB_EXEC=always probe_set -x probe_show -y w
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "the same after a real exec" "$inprocess" "$out"
	rm -rf "$p"
}

# The command starts with 0, 1 and 2 only, whatever the steps before had.
testCommandHasOnlyStdFds() {
	require_userns || return
	assert_std_fds as_user $CHAIN7
}

# compare CHAIN...: the chain as_user, in one process and with
# NSLAB_EXEC=always: the same status, output and messages.
compare() {
	run as_user "$@"
	a_rc=$rc a_out=$out a_err=$err
	run as_user env NSLAB_EXEC=always "$@"
	assertEquals "$*: status" "$rc" "$a_rc"
	assertEquals "$*: stdout" "$out" "$a_out"
	assertEquals "$*: stderr" "$err" "$a_err"
	assert_not_run
}

testSameOutcomeBothWays() {
	require_userns || return
	m=$MARKER
	compare usernsselfmap nsuts --hostname lab nsipc hostname
	compare usernsselfmap nsipc sh -c 'exit 7'
	compare usernsselfmap nsuts --bogus nsipc touch "$m"
	compare usernsselfmap nsipc nscgroup --bogus touch "$m"
	compare usernsselfmap nsipc nsuts --hostname '' touch "$m"
	compare usernsselfmap nsipc nosuch-command-$$
	compare usernsselfmap nsipc /etc/passwd
	compare usernsselfmap -u 1000 nsnet touch "$m"
	compare usernsselfmap nspid nsmount --bogus touch "$m"
	compare usernsselfmap nspid nsipc sh -c 'echo $$; exit 3'
	compare usernsselfmap nsmount -b "/nonexistent-$$:/mnt" touch "$m"
	compare usernsselfmap nsnet --veth a:b --addr a=300.1.1.1/8 touch "$m"
	compare usernsselfmap nsnet nsnet true
	compare usernsselfmap nsipc -h
	compare usernsselfmap nsipc -V
	compare usernsselfmap nscap --cap-drop all nsipc touch "$m"
	compare usernsselfmap nsseccomp nsipc touch "$m"
	compare nsipc touch "$m"
	# Every tool once, nsuts twice, from a 64 KiB stack: no step grows it.
	compare prlimit --stack=65536 usernsselfmap nsuts --hostname lab nsipc nscgroup nspid nsmount -n \
		nsnet nsuts --hostname x nscap --cap-drop all nsseccomp nsipc touch "$m"
	compare prlimit --stack=65536 usernsselfmap nsuts --hostname lab nsipc nscgroup nspid nsmount -n \
		nsnet nstime --boottime 7 nsuts --hostname x sh -c 'hostname; tr -s " " </proc/self/timens_offsets'
	compare usernsselfmap nsuts nsipc nscgroup nstime --monotonic 5 nspid nsmount nsnet \
		sh -c 'cat /proc/self/timens_offsets; hostname; echo $$'
}

# nsnet's exit handler undoes /run/netns/NAME only until its bind is done:
# a later step that fails in the same process leaves the name, as after an
# exec.
testNamedNetnsOutlivesALaterFailure() {
	require_root "makes /run/netns/NAME in the host's mount namespace" || return
	for mode in multi always; do
		run env NSLAB_EXEC=$mode PATH="$BIN:$PATH" nsnet --name "nslabmc$$" nsipc --bogus touch "$MARKER"
		assertEquals "$mode: $err" 125 "$rc"
		assertTrue "$mode: /run/netns/nslabmc$$ is gone" "[ -e /run/netns/nslabmc$$ ]"
		ip netns delete "nslabmc$$"
		assert_not_run
	done
}

# Narration: each step narrates as before; the skipped exec says so in a
# line of its own, with no shell line ("$ ") to type.
testNarration() {
	require_userns || return
	run as_user usernsselfmap -v nsipc nsuts --hostname lab true
	assertEquals "stderr: $err" 0 "$rc"
	a_err=$(printf '%s\n' "$err" | grep -v 'is this program: its step runs in this process' | tr -s '0-9' '#')
	assertContains "$err" "usernsselfmap: execvp(\"nsipc\", ...)"
	assertContains "$err" "/nsipc is this program: its step runs in this process, no execve"
	assertContains "$err" "nsipc: unshare(CLONE_NEWIPC) = 0"
	assertContains "$err" "nsuts:   \$ hostname -- lab"
	run as_user env NSLAB_EXEC=always usernsselfmap -v nsipc nsuts --hostname lab true
	assertEquals "the same narration, but for the skips" "$(printf '%s\n' "$err" | tr -s '0-9' '#')" "$a_err"
}

# A name that is no tool of the program: nothing runs, 125.
testUnknownName() {
	mkdir -p "$LINKS/other"
	ln -f "$BIN/nsipc" "$LINKS/other/nsfoo"
	run "$LINKS/other/nsfoo" touch "$MARKER"
	assertEquals 125 "$rc"
	assertContains "$err" "nsfoo: no nslab tool has this name"
	assertContains "$err" "nsfoo:   usernsselfmap"
	assert_not_run
	rm -rf "$LINKS/other"
}

# A symbolic link of another name to a tool runs that tool, under the name
# it was run by, as when each tool was a program of its own; through a
# relative link and a chain of two too.  A renamed hard link (above) has no
# tool's name to follow.
testSymlinkAlias() {
	mkdir -p "$LINKS/alias"
	ln -sf "$BIN/nsipc" "$LINKS/alias/myipc"
	ln -sf myipc "$LINKS/alias/myipc2"
	nsipc_v=$("$BIN/nsipc" --version)
	for a in myipc myipc2; do
		run "$LINKS/alias/$a" --version
		assertEquals "$a --version" 0 "$rc"
		assertEquals "$a: runs nsipc under its own name" "$a ${nsipc_v#nsipc }" "$out"
		run "$LINKS/alias/$a" -z
		assertEquals "$a -z" 125 "$rc"
		assertContains "$a: a misuse is nsipc's: $err" "$err" "$a: unknown option '-z'"
	done
	rm -rf "$LINKS/alias"
}

# shellcheck source=/dev/null
. shunit2
