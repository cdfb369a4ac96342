# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# nsjoin: entering namespaces that exist, by PID and by file, as root and as
# an unprivileged user (as_user: uid 65534 when root runs the suite).  The oracles: readlink /proc/PID/ns/* of the target, hostname(1),
# nsenter(1) and ip-netns(8), /proc/uptime for a time namespace.  Each
# holder process is killed, each kept namespace unmounted, each /run/netns
# name (PID-suffixed, njt*: not nslab*, which the host check of every suite
# compares, so that a second run's names are not this one's) deleted by the
# test that made it, and checked gone.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

setUp() { host_snapshot; rm -f "$MARKER"; HOLDERS=; JOBS=; }
tearDown() {
	for p in $HOLDERS; do kill -9 "$p" 2>/dev/null; done
	# A holder started through as_user is a subshell whose child is the
	# chain (a keeper, for nspid): that child goes too, or it outlives the
	# subshell.  Only the children of our own background jobs.
	for b in $JOBS; do pkill -9 -P "$b" 2>/dev/null; kill -9 "$b" 2>/dev/null; done
	assert_host_unchanged
}
unset NSLAB_VERBOSE

# hold [as_user] CMD...: start CMD, which writes its PID to $SCRATCH/markers/pid
# once its namespaces are made and then execs sleep; $P is that PID.
hold() {
	rm -f "$SCRATCH/markers/pid"
	"$@" &
	until [ -s "$SCRATCH/markers/pid" ]; do
		kill -0 $! 2>/dev/null || { fail "the holder exited: $*"; return 1; }
		sleep 0.05
	done
	P=$(cat "$SCRATCH/markers/pid") B=$!
	HOLDERS="$HOLDERS $P"
	JOBS="$JOBS $B"
}
# The text of an sh -c that reports its PID and waits.
WAIT="echo \$\$ >$SCRATCH/markers/pid; exec sleep 1000"
ns() { readlink "/proc/$1/ns/$2"; }

# An ordinary user's own experiment: user namespace first, then what it owns,
# and no setgroups (denied there), where nsenter without
# --preserve-credentials fails.
testOwnExperimentByPid() {
	require_userns || return
	hold as_user usernsselfmap nsnet nsuts --hostname exp$$ sh -c "$WAIT" || return
	run as_user nsjoin -t "$P" sh -c 'hostname; readlink /proc/self/ns/net; id -u'
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "exp$$
$(ns "$P" net)
0" "$out"
	run as_user nsenter -t "$P" --user --net true
	assertNotEquals "nsenter without --preserve-credentials" 0 "$rc"
	assertContains "$err" "setgroups failed"
	run as_user nsenter -t "$P" --user --net --preserve-credentials true
	assertEquals "nsenter --preserve-credentials: $err" 0 "$rc"
}

testOwnExperimentByFile() {
	require_userns || return
	hold as_user usernsselfmap nsuts --hostname file$$ sh -c "$WAIT" || return
	run as_user nsjoin --uts=/proc/"$P"/ns/uts --user=/proc/"$P"/ns/user hostname
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "file$$" "$out"
}

# The order, narrated: the user namespace, then the namespaces it owns.
testOrderUserFirst() {
	require_userns || return
	hold as_user usernsselfmap nsnet sh -c "$WAIT" || return
	run as_user nsjoin -v -t "$P" true
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "nsjoin: setns(pidfd of $P, CLONE_NEWUSER) = 0
nsjoin: setns(pidfd of $P, CLONE_NEWNET) = 0" "$(printf '%s\n' "$err" | grep '^nsjoin: setns')"
}

# Root entering a network namespace a process entered before it made its
# user namespace: the network namespace first, while root still has its
# capabilities over it, then the user namespace.
testOrderRootNetFirst() {
	require_root "a network namespace made before its user namespace, by the host's root" || return
	hold unshare --net --uts sh -c "hostname rootnet$$; exec unshare -U sh -c '$WAIT'" || return
	run "$BIN/nsjoin" -v -t "$P" hostname
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "rootnet$$" "$out"
	assertEquals "nsjoin: setns(pidfd of $P, CLONE_NEWNET|CLONE_NEWUTS) = 0
nsjoin: setns(pidfd of $P, CLONE_NEWUSER) = 0" "$(printf '%s\n' "$err" | grep '^nsjoin: setns')"
}

# Root joining namespaces owned by a child user namespace: without that
# user namespace (root's capabilities reach below), and with it (after).
testRootIntoChildOwned() {
	require_root "joins as the host's root, whose capabilities reach into a child user namespace" || return
	require_userns || return
	hold as_user usernsselfmap nsnet nsuts --hostname child$$ sh -c "$WAIT" || return
	run "$BIN/nsjoin" -t "$P" -n -u sh -c 'hostname; readlink /proc/self/ns/net /proc/self/ns/user'
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "child$$
$(ns "$P" net)
$(ns $$ user)" "$out"
	run "$BIN/nsjoin" -t "$P" readlink /proc/self/ns/user
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "$(ns "$P" user)" "$out"
}

# A PID namespace through the keeper: the command is a child in it, its
# status is nsjoin's.
testPidNamespace() {
	require_userns || return
	hold as_user usernsselfmap nspid sh -c "$WAIT" || return
	# $$ said 1, its PID in there; the keeper is $B, its only child the holder.
	P=$(pgrep -P "$B")
	run as_user nsjoin -t "$P" sh -c 'readlink /proc/self/ns/pid; exit 7'
	assertEquals "stderr: $err" 7 "$rc"
	assertEquals "$(ns "$P" pid)" "$out"
}

# A time namespace joined by setns switches nsjoin at once: the command
# sees the offset.
testTimeNamespace() {
	require_userns || return
	hold as_user unshare -Ur -T --monotonic 86400000 --boottime 86400000 --fork sh -c "$WAIT" || return
	run as_user nsjoin -t "$P" cat /proc/uptime
	assertEquals "stderr: $err" 0 "$rc"
	assertTrue "uptime from the time namespace: $out" "[ ${out%%.*} -ge 86400000 ]"
}

# After a mount namespace, the working directory is the target's (nsenter -w).
testMountFollowsCwd() {
	require_userns || return
	mkdir -p "$SCRATCH/cwd$$" && chmod 755 "$SCRATCH/cwd$$"
	hold as_user unshare -Ur -m sh -c "cd $SCRATCH/cwd$$ && $WAIT" || return
	run as_user nsjoin -t "$P" sh -c 'pwd; readlink /proc/self/ns/mnt'
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "$SCRATCH/cwd$$
$(ns "$P" mnt)" "$out"
}

# Fail closed: each one line naming the file or the PID, 125, nothing run.
testTargetExited() {
	run "$GONE" "$BIN/nsjoin" -t "$GONE_PID" touch "$MARKER"
	assert_refused -1 nsjoin "process $GONE_PID: no such process"
}

testNotANamespace() {
	run "$BIN/nsjoin" --net=/etc/hostname touch "$MARKER"
	assert_refused -1 nsjoin "--net: /etc/hostname is a regular file, not a namespace"
	run "$BIN/nsjoin" --net=/ touch "$MARKER"
	assert_refused -1 nsjoin "--net: / is a directory, not a namespace"
}

testStaleFile() {
	: >"$SCRATCH/stale"
	run "$BIN/nsjoin" --net="$SCRATCH/stale" touch "$MARKER"
	assert_refused -1 nsjoin "--net: $SCRATCH/stale is an empty file, not a namespace (stale"
	run "$BIN/nsjoin" --net="$SCRATCH/absent" touch "$MARKER"
	assert_refused -1 nsjoin "--net: open $SCRATCH/absent: No such file or directory"
}

testWrongKind() {
	run "$BIN/nsjoin" --net=/proc/self/ns/uts touch "$MARKER"
	assert_refused -1 nsjoin "--net: /proc/self/ns/uts is a uts namespace, not a net one"
}

# Someone else's: root's kept network namespace, and root's process.
testOwnedBySomeoneElse() {
	require_root "a network namespace of root's, kept by a bind mount" || return
	: >"$SCRATCH/rootnet"
	chmod 644 "$SCRATCH/rootnet"
	unshare --net="$SCRATCH/rootnet" true || fail "unshare --net=FILE"
	run as_user nsjoin --net="$SCRATCH/rootnet" touch "$MARKER"
	umount "$SCRATCH/rootnet"
	assert_refused -1 nsjoin "setns $SCRATCH/rootnet (a net namespace): Operation not permitted"
	assertContains "$err" "nsjoin: hint: its user namespace belongs to uid 0"
	run as_user nsjoin -t 1 touch "$MARKER"
	assert_refused -1 nsjoin "process 1: open /proc/1/ns/"
}

testMisuse() {
	run "$BIN/nsjoin" touch "$MARKER"
	assert_refused -1 nsjoin "nothing to join"
	run "$BIN/nsjoin" --net -v touch "$MARKER"
	assert_refused -1 nsjoin "--net: say --net FILE, or -t PID"
	run "$BIN/nsjoin" --net
	assert_refused -1 nsjoin "--net: say --net FILE, or -t PID"
	run "$BIN/nsjoin" -t 0 touch "$MARKER"
	assert_refused -1 nsjoin "-t '0': expected a process ID"
	run "$BIN/nsjoin" --netns ../x touch "$MARKER"
	assert_refused -1 nsjoin "--netns '../x'"
}

# --KIND FILE as two words: the next word is the FILE when it is no option
# and no -t came before it; after -t it is the command.  By the user who made
# the experiment and by the caller (root, when root runs the suite).
testFileAsNextWord() {
	require_userns || return
	hold as_user usernsselfmap nsnet nsuts --hostname word$$ sh -c "$WAIT" || return
	for who in "as_user nsjoin" "$BIN/nsjoin"; do
		run $who --user /proc/"$P"/ns/user --uts /proc/"$P"/ns/uts hostname
		assertEquals "$who; stderr: $err" 0 "$rc"
		assertEquals "word$$" "$out"
		# -t first: sh is the command, --net the target's (with its owner).
		run $who -t "$P" --user --net sh -c 'readlink /proc/self/ns/net /proc/self/ns/uts'
		assertEquals "$who; stderr: $err" 0 "$rc"
		assertEquals "$(ns "$P" net)
$(ns $$ uts)" "$out"
		# FILE then -t: the kinds named come from their files, none from PID.
		run $who --user /proc/"$P"/ns/user --net /proc/"$P"/ns/net -t "$P" \
			readlink /proc/self/ns/net /proc/self/ns/uts
		assertEquals "$who; stderr: $err" 0 "$rc"
		assertEquals "$(ns "$P" net)
$(ns $$ uts)" "$out"
		run $who --user=/proc/"$P"/ns/user --net=/proc/"$P"/ns/net readlink /proc/self/ns/net
		assertEquals "--net=FILE as before: $err" "$(ns "$P" net)" "$out"
	done
}

# A stale file as the next word is refused by name, never run as a command.
testStaleFileAsNextWord() {
	: >"$SCRATCH/markers/stale$$"
	chmod 755 "$SCRATCH/markers/stale$$"
	for who in "$BIN/nsjoin" "as_user nsjoin"; do
		run $who --net "$SCRATCH/markers/stale$$" touch "$MARKER"
		assert_refused -1 nsjoin "--net: $SCRATCH/markers/stale$$ is an empty file, not a namespace (stale"
	done
	rm -f "$SCRATCH/markers/stale$$"
}

# A kept network namespace by its file, as an unprivileged user: kept and
# joined inside a mount namespace of their own.
testKeptNetAsNextWordUnprivileged() {
	require_userns || return
	# shellcheck disable=SC2016 # expanded by the sh -c as_user runs
	run as_user usernsselfmap nsmount -t /mnt sh -c '
		: >/mnt/net && nsnet --keep /mnt/net true &&
		nsjoin --net /mnt/net readlink /proc/self/ns/net &&
		readlink /proc/self/ns/net'
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "two lines: $out" 2 "$(printf '%s\n' "$out" | grep -c '^net:')"
	assertNotEquals "the kept namespace, not the caller's" \
		"$(printf '%s\n' "$out" | head -n 1)" "$(printf '%s\n' "$out" | tail -n 1)"
}

# As root: /run/netns/NAME as the next word, as ip netns exec sees it.
testRunNetnsAsNextWord() {
	require_root "makes /run/netns names in the host's mount namespace" || return
	name=njtword$$
	run "$BIN/nsnet" --name "$name" true
	assertEquals "stderr: $err" 0 "$rc"
	run "$BIN/nsjoin" --net /run/netns/"$name" readlink /proc/self/ns/net
	want=$(ip netns exec "$name" readlink /proc/self/ns/net)
	ip netns del "$name" || fail "ip netns del"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "$want" "$out"
	run "$BIN/nsjoin" --net /run/netns/"$name" touch "$MARKER"
	assert_refused -1 nsjoin "--net: open /run/netns/$name: No such file or directory"
}

# ip netns add makes it, nsjoin --netns enters it as ip netns exec does:
# the same network namespace, a /sys that shows it, /etc/netns/NAME/* on /etc.
testIpNetnsAddThenJoin() {
	require_root "ip netns add, and /etc/netns/NAME" || return
	name=njtjoin$$
	ip netns add "$name" || fail "ip netns add"
	mkdir -p "/etc/netns/$name" && echo "nameserver 127.0.0.53 # $name" >"/etc/netns/$name/resolv.conf"
	run "$BIN/nsjoin" --netns "$name" sh -c 'readlink /proc/self/ns/net; ls /sys/class/net; cat /etc/resolv.conf'
	want=$(ip netns exec "$name" sh -c 'readlink /proc/self/ns/net; ls /sys/class/net; cat /etc/resolv.conf')
	rm -rf "/etc/netns/$name"
	ip netns del "$name"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "as ip netns exec" "$want" "$out"
	assertContains "$out" "# $name"
	assertNotContains "$(grep -c . /etc/resolv.conf 2>/dev/null; cat /etc/resolv.conf 2>/dev/null)" "# $name"
}

# nsnet --name makes what ip netns add makes: ip netns list, exec and del
# see it, nsjoin --netns enters it, and nothing is left.
testNsnetNameThenIpNetns() {
	require_root "makes /run/netns names in the host's mount namespace" || return
	name=njtname$$
	run "$BIN/nsnet" --name "$name" true
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "$(ip netns list)" "$name"
	assertEquals "lo up, as nsnet left it" "1: lo: <LOOPBACK,UP,LOWER_UP>" \
		"$(ip netns exec "$name" ip -o link | cut -d' ' -f1-3)"
	run "$BIN/nsjoin" --netns "$name" readlink /proc/self/ns/net
	assertEquals "$(ip netns exec "$name" readlink /proc/self/ns/net)" "$out"
	ip netns del "$name" || fail "ip netns del"
	assertFalse "ip netns del removed it" "[ -e /run/netns/$name ]"
	run "$BIN/nsnet" --name "$name" --up nslabnoif touch "$MARKER"
	assert_refused nsnet
	assertFalse "a failed --name leaves no file" "[ -e /run/netns/$name ]"
}

# An unprivileged user cannot keep one in the host's mount namespace: said why.
testNsnetNameUnprivileged() {
	require_userns || return
	run as_user nsnet -U --name njtu$$ touch "$MARKER"
	assert_refused nsnet "--name njtu$$: make /run/netns/njtu$$ as ip netns add does"
	assertContains "$err" "nsnet: hint: a bind mount keeps a namespace"
	assertFalse "[ -e /run/netns/njtu$$ ]"
}

# --info-fd and --block-fd, driven by a script: the JSON names the PID and
# its namespaces before the command starts; the command waits for the byte.
testInfoAndBlockFd() {
	require_userns || return
	d=$SCRATCH/markers/fds$$; mkdir -p "$d" && chmod 777 "$d"
	mkfifo -m 666 "$d/info" "$d/block"
	# shellcheck disable=SC2016 # expanded by the script as_user runs
	run as_user sh -c '
		nsnet -U --info-fd 3 --block-fd 4 sh -c "touch $1/ran; readlink /proc/self/ns/net" 3>"$1/info" 4<"$1/block" &
		exec 5<>"$1/block"
		read -r info <"$1/info"
		pid=$(echo "$info" | sed -n "s/^{\"tool\": \"nsnet\", \"pid\": \([0-9]*\),.*/\1/p")
		net=$(echo "$info" | sed -n "s/.*\"net\": \([0-9]*\).*/\1/p")
		echo "before: $(ls "$1")"
		echo "info net: net:[$net]"
		echo "pid net: $(readlink /proc/$pid/ns/net)"
		echo go >&5
		wait' sh "$d"
	assertEquals "stderr: $err" 0 "$rc"
	assertContains "the command waited" "$out" "before: block
info"
	net=$(printf '%s\n' "$out" | sed -n 's/^info net: //p')
	assertContains "$out" "pid net: $net"
	assertEquals "the command's namespace is the one reported" "$net" "$(printf '%s\n' "$out" | tail -n 1)"
	assertTrue "it ran after the byte" "[ -e $d/ran ]"
	rm -rf "$d"
}

# A keeper tool reports its child, PID 1 in there, as the host sees it.
testInfoFdKeeper() {
	require_userns || return
	# shellcheck disable=SC2016 # expanded by the sh -c as_user runs
	run as_user sh -c 'usernsselfmap nspid --info-fd 3 sh -c "sleep 1; readlink /proc/1/ns/pid >&2" 3>&1 | cat'
	assertEquals "stderr: $err" 0 "$rc"
	pid=$(printf '%s\n' "$out" | sed -n 's/^{"tool": "nspid", "pid": \([0-9]*\),.*/\1/p')
	assertNotNull "the keeper's child: $out" "$pid"
	ino=${err#pid:\[}
	assertContains "PID 1's namespace reported" "$out" "\"pid\": ${ino%]}"
}

# --keep FILE, as unshare --uts=FILE: the namespace outlives the command,
# nsjoin joins it by the file; a mount namespace is kept from the one before.
testKeep() {
	require_root "binds namespaces in the host's mount namespace" || return
	: >"$SCRATCH/uts" && : >"$SCRATCH/mnt"
	run "$BIN/nsuts" --keep "$SCRATCH/uts" --hostname kept$$ true
	assertEquals "stderr: $err" 0 "$rc"
	run "$BIN/nsjoin" --uts="$SCRATCH/uts" hostname
	assertEquals "kept$$" "$out"
	run "$BIN/nsmount" --keep "$SCRATCH/mnt" -t /mnt true
	assertEquals "stderr: $err" 0 "$rc"
	run "$BIN/nsjoin" --mnt="$SCRATCH/mnt" findmnt -n -o FSTYPE /mnt
	assertEquals "tmpfs" "$out"
	umount "$SCRATCH/uts" "$SCRATCH/mnt"
	run "$BIN/nsuts" --keep "$SCRATCH/absent" touch "$MARKER"
	assert_refused nsuts "--keep $SCRATCH/absent: bind /proc/self/ns/uts on it: No such file or directory"
}

testKeepUnprivileged() {
	require_userns || return
	: >"$SCRATCH/markers/k$$"
	run as_user nsnet -U --keep "$SCRATCH/markers/k$$" touch "$MARKER"
	assert_refused nsnet "--keep $SCRATCH/markers/k$$: bind /proc/self/ns/net on it"
	assertContains "$err" "nsnet: hint: a bind mount keeps a namespace"
	rm -f "$SCRATCH/markers/k$$"
}

# The guide's order of things, by hand: nothing of the suite is left.
testNothingLeft() {
	for n in /run/netns/njt*$$; do assertFalse "left: $n" "[ -e '$n' ]"; done
	assertEquals "" "$(grep -c "$SCRATCH" /proc/self/mountinfo | grep -v '^0$')"
}

# shellcheck source=/dev/null
. shunit2
