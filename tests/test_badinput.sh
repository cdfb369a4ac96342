# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# The bad-input matrix: every option of every tool given empty, malformed,
# overflowing or missing values.  Each row must: exit with its status (125
# for a chain tool, 2 for nsinfo misuse, 1 for a PID that is not there), print
# exactly one error line "tool: ..." (hint lines may follow) that names the
# offending value, never run the command, and leave the host unchanged.
# The rows run as the unprivileged user of as_user (uid 65534 when root
# runs the suite) under usernsselfmap where the tool needs privilege, so
# bad input is the only reason to fail.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

setUp() { host_snapshot; rm -f "$MARKER"; }
tearDown() { assert_host_unchanged; }

ROWS=0
# row STATUS NEEDLE ARGS...: run ARGS as_user (the command, when a chain
# tool runs one, touches $MARKER) and check the contract.  NEEDLE must appear
# in the error line: the value or option at fault.
row() {
	want=$1 needle=$2; shift 2
	ROWS=$((ROWS + 1))
	run as_user "$@"
	# The tool at fault is the last one named before the command.
	for a in "$@"; do
		case $a in usernsselfmap|nsnet|nsmount|nsinfo|nsuts|nsipc|nscgroup|nspid|nstime|nsjoin) tool=$a ;; touch) break ;; esac
	done
	what="$* -> $err"
	assertEquals "$what: status" "$want" "$rc"
	first=$(printf '%s\n' "$err" | head -n 1)
	assertEquals "$what: one error line" 1 "$(printf '%s\n' "$err" | grep -vc "^$tool: hint: ")"
	assertTrue "$what: prefix '$tool: '" "printf '%s' \"\$first\" | grep -q '^$tool: '"
	assertContains "$what: names the fault" "$first" "$needle"
	assert_not_run
}
T="touch $MARKER"

testUsernsselfmap() {
	require_userns || return 0
	for v in "" abc -1 " 12" 12abc 0x10 4294967295 4294967296 99999999999999999999; do
		row 125 "'$v'" usernsselfmap -u "$v" $T
		row 125 "'$v'" usernsselfmap -g "$v" $T
	done
	for m in "" 0 0:65534 0:1:2:3 0:65534:0 -1:65534:1 0:-1:1 " 0:65534:1" \
		0:65534:1x 4294967295:65534:1 0:4294967295:1 0:65534:4294967295 0:4294967296:1; do
		row 125 "'$m'" usernsselfmap --uid-map "$m" $T
		row 125 "'$m'" usernsselfmap --gid-map "$m" $T
	done
	row 125 "inside range overlaps" usernsselfmap --uid-map 0:65534:1 --uid-map 0:70000:1 $T
	row 125 "outside range overlaps" usernsselfmap --uid-map 0:65534:1 --uid-map 1:65534:1 $T
	row 125 "uid 0 is not mapped" usernsselfmap --uid-map 5:65534:1 $T
	# shellcheck disable=SC2046 # 341 options, split on purpose
	row 125 "more than 340 lines" usernsselfmap $(seq 0 340 | awk '{printf "--uid-map %d:%d:1 ", $1, 100000 + $1}') $T
	for v in "" maybe DENY; do
		row 125 "'$v'" usernsselfmap --setgroups "$v" $T
	done
	row 125 "'-x'" usernsselfmap -x $T
	row 125 "'--bogus'" usernsselfmap --bogus $T
	# A prefix of two options is ambiguous, not unknown, on any libc.
	row 125 "option '--ui' is ambiguous: it may be --uid, --uid-map (see" usernsselfmap --ui 0 $T
	row 125 "option '--ver' is ambiguous: it may be --verbose, --version (see" usernsselfmap --ver $T
	# The one byte getopt saw of a two-byte character is shown, escaped.
	row 125 "unknown option '-\xc3'" usernsselfmap -é $T
	assertFalse "a lone 0xC3 byte reached the terminal" "printf '%s' \"\$err\" | LC_ALL=C grep -q \"\$(printf '\\303')\""
	row 125 "'-u'" usernsselfmap -u
	# Control characters never reach the terminal: still one line, each
	# byte shown as \xHH by lib/escape.
	row 125 "'1\x0a2'" usernsselfmap -u "1
2" $T
	row 125 "'\x1b[31m'" usernsselfmap --uid-map "$(printf '\033[31m')" $T
	assertFalse "an ESC reached the terminal" "printf '%s' \"\$err\" | LC_ALL=C grep -q \"\$(printf '\\033')\""
	row 125 "'--uid-map'" usernsselfmap --uid-map
}

testNsnet() {
	require_userns || return 0
	for v in "" a :b a: a:b:c 0123456789abcdef:b a:0123456789abcdef "a%d:b" "a/b:c" "a b:c"; do
		row 125 "$v" usernsselfmap nsnet --veth "$v" $T
	done
	# A control character is shown as \xHH, never sent to the terminal.
	row 125 "contains whitespace" usernsselfmap nsnet --veth "a	b:c" $T
	for v in "" a a= =10.0.0.1/8 a=1.2.3/24 a=010.0.0.1/8 a=0x0a.0.0.1/8 a=10.0.0.1/33 \
		a=10.0.0.1/ a=10.0.0.1/24x a=10.0.0.1/-1 "a=10.0.0.1/ 8" a=fd00::1/129 a=fd00:::1/64 \
		a=300.0.0.1/8 "a%d=10.0.0.1/8"; do
		row 125 "$v" usernsselfmap nsnet --veth a:b --addr "$v" $T
	done
	for v in "" "x%d" 0123456789abcdef "a/b"; do
		row 125 "$v" usernsselfmap nsnet --up "$v" $T
	done
	for v in "" 0 -1 abc 12abc 99999999999 4194304 /nonexistent/netns nslab-no-such-netns; do
		row 125 "$v" usernsselfmap nsnet --veth a:b --peer-netns "$v" $T
	done
	row 125 "--peer-netns" usernsselfmap nsnet --peer-netns 1 $T
	row 125 "--peer-addr" usernsselfmap nsnet --peer-addr 10.0.0.2/8 $T
	row 125 "1.2.3/24" usernsselfmap nsnet --veth a:b --peer-addr 1.2.3/24 $T
	row 125 "a" usernsselfmap nsnet --veth a:b --veth a:c $T
	row 125 "nope" usernsselfmap nsnet --up nope $T
	row 125 "'--bogus'" usernsselfmap nsnet --bogus $T
	row 125 "option '--pe' is ambiguous: it may be --peer-netns, --peer-addr" usernsselfmap nsnet --pe 1 $T
	row 125 "option '--ver' is ambiguous: it may be --verbose, --version" usernsselfmap nsnet --ver $T
	row 125 "'--veth'" usernsselfmap nsnet --veth
}

testNsmount() {
	require_userns || return 0
	d=$NOBODY_HOME/d f=$NOBODY_HOME/f
	mkdir -p "$d"; : >"$f"; chown -R "$USER_IDS" "$d" "$f"
	for opt in -b -r; do
		for v in "" a "$d" ":$d" "$d:" "$d:$d:$d" "/nonexistent:$d" "$d:/nonexistent" \
			"$f:$d" "$d:$f" "nonexistent-relative:$d"; do
			row 125 "${v:-$opt}" usernsselfmap nsmount "$opt" "$v" $T
		done
	done
	for v in "" /nonexistent "$f" nonexistent-relative; do
		row 125 "${v:--t}" usernsselfmap nsmount -t "$v" $T
	done
	for v in "" bogus PRIVATE rprivate; do
		row 125 "'$v'" usernsselfmap nsmount --propagation "$v" $T
	done
	# --dir, --dev and --root: nothing made on the host, no pivot with a
	# shared root, one root.
	for v in "" "$d/new" "$d/../x"; do
		row 125 "${v:---dir}" usernsselfmap nsmount --dir "$v" $T
	done
	row 125 "'..'" usernsselfmap nsmount -t "$d" --dir "$d/a/../b" $T
	for opt in --dev --root; do
		for v in "" /nonexistent "$f" nonexistent-relative; do
			row 125 "${v:-$opt}" usernsselfmap nsmount "$opt" "$v" $T
		done
	done
	row 125 "a second --root" usernsselfmap nsmount --root "$d" --root "$d" $T
	for p in shared unchanged; do
		row 125 "--propagation $p" usernsselfmap nsmount --propagation $p --root "$d" $T
	done
	row 125 "HOME" usernsselfmap env -u HOME nsmount $T
	row 125 "HOME" usernsselfmap env HOME= nsmount $T
	row 125 "$f" usernsselfmap env HOME="$f" nsmount $T
	row 125 "/nonexistent" usernsselfmap env HOME=/nonexistent nsmount $T
	row 125 "'--bogus'" usernsselfmap nsmount --bogus $T
	row 125 "option '--ver' is ambiguous: it may be --verbose, --version" usernsselfmap nsmount --ver $T
	row 125 "'-b'" usernsselfmap nsmount -b
	rm -rf "$d" "$f"
}

testNsuts() {
	require_userns || return
	n65=$(printf '%065d' 0)
	for opt in --hostname --domainname; do
		row 125 "$opt '': expected a name of 1 to 64 bytes" usernsselfmap nsuts "$opt" "" $T
		row 125 "'$n65': 65 bytes; the kernel allows at most 64" usernsselfmap nsuts "$opt" "$n65" $T
		row 125 "'$n65$n65': 130 bytes" usernsselfmap nsuts "$opt" "$n65$n65" $T
		row 125 "'$opt'" usernsselfmap nsuts "$opt"
	done
	# A later good name does not excuse an earlier bad one.
	row 125 "'$n65'" usernsselfmap nsuts --hostname "$n65" --hostname ok $T
	row 125 "'-x'" usernsselfmap nsuts -x $T
	row 125 "'--bogus'" usernsselfmap nsuts --bogus $T
	# A prefix of two options is ambiguous, not unknown.
	row 125 "option '--h' is ambiguous: it may be --help, --hostname (see" usernsselfmap nsuts --h x $T
	row 125 "option '--v' is ambiguous: it may be --verbose, --version (see" usernsselfmap nsuts --v $T
	row 125 "option '--ver' is ambiguous: it may be --verbose, --version (see" usernsselfmap nsuts --ver $T
}

# nsipc and nscgroup take no option of their own.
testNsipcNscgroup() {
	require_userns || return
	for tool in nsipc nscgroup; do
		row 125 "'-x'" usernsselfmap $tool -x $T
		row 125 "'--bogus'" usernsselfmap $tool --bogus $T
		row 125 "option '--verbose' takes no argument" usernsselfmap $tool --verbose=1 $T
		row 125 "'--hostname'" usernsselfmap $tool --hostname x $T
	done
}

testNspid() {
	require_userns || return
	row 125 "'--bogus'" usernsselfmap nspid --bogus $T
	row 125 "'-x'" usernsselfmap nspid -x $T
	row 125 "'--init'" usernsselfmap nspid --init=yes $T
	row 125 "'--no-proc'" usernsselfmap nspid --no-proc=1 $T
	row 125 "option '--ver' is ambiguous: it may be --verbose, --version (see" usernsselfmap nspid --ver $T
}

testNstime() {
	require_userns || return
	for v in "" - abc 1.5 " 1" +1 --1 1x 0x10 1e3 9223372037 -9223372037 99999999999999999999; do
		row 125 "'$v'" usernsselfmap nstime --monotonic "$v" $T
		row 125 "'$v'" usernsselfmap nstime --boottime "$v" $T
	done
	# Well formed, but the kernel refuses a clock moved below zero.
	row 125 "'monotonic -999999999 0'" usernsselfmap nstime --monotonic -999999999 $T
	row 125 "'boottime -999999999 0'" usernsselfmap nstime --boottime -999999999 $T
	row 125 "'--monotonic'" usernsselfmap nstime --monotonic
	row 125 "'--fork'" usernsselfmap nstime --fork=1 $T
	row 125 "'--bogus'" usernsselfmap nstime --bogus $T
	row 125 "option '--ver' is ambiguous: it may be --verbose, --version (see" usernsselfmap nstime --ver $T
}

testNsinfo() {
	for v in abc 12abc -1 " 1" 1x ""; do
		row 2 "$v" nsinfo "$v"
	done
	# Well formed but out of range: no such process, like a PID that is gone.
	row 1 "99999999999" nsinfo 99999999999
	row 2 "'-x'" nsinfo -x
	row 2 "bogus" nsinfo -a -t bogus
	row 2 "'-t'" nsinfo -a -t
	row 2 "3" nsinfo 1 2 3
	row 1 "4194304" nsinfo 4194304
	row 1 "4194304" nsinfo -m 4194304
	row 1 "4194304" nsinfo 1 4194304
	row 1 "4194304" nsinfo --json 4194304
}

# nsjoin: what it is given to join, each refused before the first setns.
testNsjoin() {
	for v in "" abc -1 0 " 12" 12abc 4294967296; do
		row 125 "'$v'" nsjoin -t "$v" $T
	done
	row 125 "nothing to join" nsjoin $T
	for k in user net mnt uts ipc pid cgroup time; do
		row 125 "--$k: say --$k FILE, or -t PID" nsjoin "--$k"
		row 125 "--$k: say --$k FILE, or -t PID" nsjoin "--$k" -v $T
		# No -t before it: the next word is the FILE, never the command.
		row 125 "--$k: open touch: No such file or directory" nsjoin "--$k" $T
		row 125 "--$k: /etc/passwd is a regular file, not a namespace" nsjoin "--$k=/etc/passwd" $T
	done
	row 125 "--net: /proc/self/ns/uts is a uts namespace, not a net one" nsjoin --net=/proc/self/ns/uts $T
	row 125 "--user: / is a directory, not a namespace" nsjoin --user=/ $T
	row 125 "No such file or directory" nsjoin --ipc= $T
	for n in "" . .. a/b "$(printf '%0256d' 0)"; do
		row 125 "--netns '$n'" nsjoin --netns "$n" $T
	done
	row 125 "--netns and --net" nsjoin --net=/proc/self/ns/net --netns x $T
	row 125 "'--bogus'" nsjoin --bogus $T
	row 125 "option '--n' is ambiguous" nsjoin --n $T
}

# --help and --version whose output cannot be written fail like any step
# that did not happen: a full device, a closed stdout.
testHelpVersionWriteError() {
	for tool in usernsselfmap nsnet nsmount nsuts nsipc nscgroup nspid nstime nsjoin; do
		for opt in --help -V; do
			"$BIN/$tool" $opt >/dev/full 2>"$SCRATCH/err"
			rc=$? err=$(cat "$SCRATCH/err")
			assertEquals "$tool $opt >/dev/full: $err" 125 "$rc"
			assertEquals "$tool $opt >/dev/full" \
				"$tool: write stdout: No space left on device" "$err"
			"$BIN/$tool" $opt >&- 2>"$SCRATCH/err"
			rc=$? err=$(cat "$SCRATCH/err")
			assertEquals "$tool $opt >&-: $err" 125 "$rc"
			assertEquals "$tool $opt >&-" "$tool: write stdout: Bad file descriptor" "$err"
		done
	done
}

# Before the command: 127 and 126 from every chain tool; after: the
# command's own status, a signal's 128+n as the caller's shell sees it.
testExecStatuses() {
	require_userns || return 0
	printf '#!/bin/sh\ntouch %s\n' "$MARKER" >"$SCRATCH/noexec"; chmod 644 "$SCRATCH/noexec"
	for chain in "usernsselfmap" "nsnet -U" "usernsselfmap nsnet" "usernsselfmap nsmount" \
		"usernsselfmap nsuts" "usernsselfmap nsipc" "usernsselfmap nscgroup" \
		"usernsselfmap nspid" "usernsselfmap nspid --init" "usernsselfmap nstime" \
		"usernsselfmap nstime --fork" "nsjoin --uts=/proc/self/ns/uts"; do
		run as_user $chain nslab-no-such-command
		assertEquals "$chain: missing command" 127 "$rc"
		run as_user $chain "$SCRATCH/noexec"
		assertEquals "$chain: not executable" 126 "$rc"
		assert_not_run
		run as_user $chain sh -c 'exit 3'
		assertEquals "$chain: the command's status" 3 "$rc"
		run as_user sh -c "$chain sh -c 'kill -KILL \$\$'; echo \$?"
		# PID 1 of a PID namespace cannot kill itself: the kernel drops it.
		case $chain in *nspid) want=0 ;; *) want=137 ;; esac
		assertEquals "$chain: killed by SIGKILL" "$want" "$out"
	done
}

oneTimeTearDown() {
	echo "bad-input rows tried: $ROWS (docs/reliability.md quotes this)"
	nslab_cleanup
}

# shellcheck source=/dev/null
. shunit2
