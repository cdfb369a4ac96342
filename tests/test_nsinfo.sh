# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# nsinfo: show, compare, list, explain the maps of, draw and check namespaces,
# as root and as an unprivileged user (as_user: uid 65534 when root runs
# the suite).  The oracles are readlink /proc/PID/ns/* and
# lsns -J on the same processes: sleepers this suite places in namespaces of
# its own and kills again in tearDown.  The machine runs other processes that
# come and go, so lists of the whole system are compared only where they are
# stable (see same_as_lsns).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

NSINFO=$BIN/nsinfo
SECCOMP=$TBIN/helpers/seccomp_deny_ns
# Sleepers write their PID here, also as_user.
PIDS=$SCRATCH/pids
mkdir -p "$PIDS" && chmod 1777 "$PIDS"

setUp() { host_snapshot; }
tearDown() {
	kill_sleepers 2>/dev/null	# bash reports each killed job on stderr
	assert_host_unchanged
}

# sleeper NAME [WRAPPER...]: start `sleep 600` in the background through
# WRAPPER (unshare -n, as_user unshare -Ur, ...), which must exec and not
# fork, so the PID the shell writes is the sleeper's.  Sets $spid once the
# process has become sleep; every sleeper is killed in tearDown.
sleeper() {
	f=$PIDS/$1; shift
	rm -f "$f"
	"$@" sh -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0"; exec sleep 600' "$f" \
		</dev/null >/dev/null 2>&1 &
	wait_sleeper "$f"
}
# A wrapper that fails never writes the file: the job's end says so, so the
# wait has no deadline (poll, tests/lib.sh).
wait_sleeper() {
	job=$! spid=
	poll sh -c '[ -s "$1" ] && [ "$(cat "/proc/$(cat "$1")/comm" 2>/dev/null)" = sleep ] ||
		! kill -0 "$2" 2>/dev/null' sh "$1" "$job" || return 1
	if [ -s "$1" ]; then
		spid=$(cat "$1")
		echo "$spid" >>"$SCRATCH/all.pids"
		[ "$(cat "/proc/$spid/comm" 2>/dev/null)" = sleep ] && return 0
	fi
	fail "sleeper $1 did not start"
	return 1
}
# Kill every sleeper by its PID, reap the jobs, and check that none is left.
# wait_until CONDITION: eval it every 50 ms, for at most 10 s.
wait_until() {
	i=0
	until eval "$1"; do
		i=$((i + 1))
		[ $i -lt 200 ] || return 1
		sleep 0.05
	done
}

kill_sleepers() {
	[ -f "$SCRATCH/all.pids" ] || return 0
	pids=$(sort -u "$SCRATCH/all.pids")
	rm -f "$SCRATCH/all.pids"
	# SIGKILL: the init of a PID namespace ignores SIGTERM from outside (pid_namespaces(7)).
	kill -KILL $pids
	wait
	# Those that are not our children die on their own time (SIGKILL is
	# certain, so no deadline: poll, tests/lib.sh).
	for p in $pids; do
		poll sh -c 'state=$(sed -n "s/^State:[[:space:]]*\(.\).*/\1/p" "/proc/$1/status" 2>/dev/null) &&
			[ -n "$state" ] && [ "$state" != Z ] && exit 1; exit 0' sh "$p"
	done
}

# The text of /proc/PID/ns/TYPE as nsinfo prints it: "TYPE LINK [note]".
row() { printf '%s\n' "$out" | awk -v t="$1" '$1 == t { print $2 }'; }
types() { ls /proc/self/ns; }

# --- nsinfo [PID] ---

# Every type of /proc/PID/ns, with the link readlink(2) gives, checked for pid.
assert_rows_match() {
	pid=$1
	assertEquals "rows: $out" "$(types | wc -l)" "$(printf '%s\n' "$out" | sed 1d | grep -vc '^owner uids are shown')"
	for t in $(types); do
		assertEquals "$t of $pid" "$(readlink "/proc/$pid/ns/$t")" "$(row "$t")"
	done
}

testShowsCallersNamespaces() {
	run "$NSINFO"
	assertEquals 0 "$rc"
	assertNull "$err"
	assertEquals "PID" "$(printf '%s\n' "$out" | head -n 1 | cut -d' ' -f1)"
	# nsinfo's own namespaces are its caller's: this shell's.
	assert_rows_match $$
	assertEquals "initial (owner uid 0)" "$(printf '%s\n' "$out" | awk '$1 == "user" { $1 = $2 = ""; sub(/^ +/, ""); print }')"
}

testShowsAProcessInANewNetns() {
	require_userns || return
	sleeper net ns_root unshare -n || return
	run "$NSINFO" "$spid"
	assertEquals 0 "$rc"
	assertEquals "PID $spid (sleep)" "$(printf '%s\n' "$out" | head -n 1)"
	assert_rows_match "$spid"
	assertNotEquals "a new net namespace" "$(readlink /proc/$$/ns/net)" "$(row net)"
}

testShowsUnprivileged() {
	require_userns || return
	sleeper nobody as_user unshare -Ur || return
	run as_user nsinfo "$spid"
	assertEquals 0 "$rc"
	assert_rows_match "$spid"
	assertEquals "not initial (owner uid $USER_UID)" "$(printf '%s\n' "$out" | awk '$1 == "user" { $1 = $2 = ""; sub(/^ +/, ""); print }')"
}

# Another user's namespaces: each type shown as not readable, none skipped.
testUnreadableShownAsSuch() {
	require_root "a process of root's, which the unprivileged user may not read" || return
	sleeper root unshare -n || return
	run as_user nsinfo "$spid"
	# Shown as such, and the status says the answer is not whole.
	assertEquals 1 "$rc"
	assertEquals "nsinfo: PID $spid: $(types | wc -l) of $(types | wc -l) namespace links could not be read (Permission denied)" "$err"
	assertEquals "$(types | wc -l)" "$(printf '%s\n' "$out" | grep -c '(Permission denied)$')"
	run as_user nsinfo $$ "$spid"
	assertEquals "a comparison that could not be made" 1 "$rc"
	assertContains "$out" "could not be compared"
	run as_user nsinfo -J "$spid"
	assertEquals 1 "$rc"
	assertEquals "$(types | wc -l)" "$(printf '%s' "$out" | jq '[.namespaces[] | select(.error == "Permission denied" and .ns == null)] | length')"
}

# --- nsinfo PID1 PID2 ---

# The article's comparison: a shell, and a process in a new network namespace.
testCompareOnlyNetDiffers() {
	require_root "a network namespace alone, without a user namespace, takes CAP_SYS_ADMIN on the host" || return
	sleeper net unshare -n || return
	run "$NSINFO" $$ "$spid"
	assertEquals 0 "$rc"
	assertEquals "differ: net" "$(printf '%s\n' "$out" | tail -n 1)"
	for t in $(types); do
		want=same
		[ "$t" = net ] && want=different
		line=$(printf '%s\n' "$out" | awk -v t="$t" '$1 == t')
		assertEquals "$t" "$t $(readlink /proc/$$/ns/$t) $(readlink /proc/$spid/ns/$t) $want" \
			"$(printf '%s\n' "$line" | awk '{$1 = $1; print}')"
	done
}

testCompareUserAndNetDiffer() {
	require_userns || return
	sleeper urn as_user unshare -Urn || return
	run "$NSINFO" $$ "$spid"
	assertEquals 0 "$rc"
	assertEquals "differ: net user" "$(printf '%s\n' "$out" | tail -n 1)"
	run "$NSINFO" -J "$spid" $$
	assertEquals '["net","user"]' "$(printf '%s' "$out" | jq -c .differ)"
}

# unshare -p --fork: the parent keeps its PID namespace and only its
# children's changes; the child is in the new one.
testComparePidForChildren() {
	require_root "a PID namespace alone, without a user namespace, takes CAP_SYS_ADMIN on the host" || return
	unshare -p --fork sleep 600 </dev/null >/dev/null 2>&1 &
	parent=$!
	echo "$parent" >>"$SCRATCH/all.pids"
	i=0
	until child=$(tr -d ' ' <"/proc/$parent/task/$parent/children" 2>/dev/null) && [ -n "$child" ] &&
		[ "$(cat "/proc/$child/comm" 2>/dev/null)" = sleep ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || { fail "unshare -p --fork did not start"; return; }
		sleep 0.05
	done
	echo "$child" >>"$SCRATCH/all.pids"
	run "$NSINFO" $$ "$parent"
	assertEquals "differ: pid_for_children" "$(printf '%s\n' "$out" | tail -n 1)"
	run "$NSINFO" $$ "$child"
	assertEquals "differ: pid pid_for_children" "$(printf '%s\n' "$out" | tail -n 1)"
	assertEquals "$(readlink /proc/$child/ns/pid)" "$(printf '%s\n' "$out" | awk '$1 == "pid_for_children" { print $3 }')"
}

testCompareSameProcess() {
	run "$NSINFO" $$ $$
	assertEquals 0 "$rc"
	assertEquals "differ: none" "$(printf '%s\n' "$out" | tail -n 1)"
}

# --- nsinfo -a ---

# The rows lsns -J and nsinfo -a -J print, as the same six fields, one
# object a line.  lsns nests its JSON as a tree unless told --list.
# With a WRAPPER (as_user), both run through it.  Each runs alone, its
# output to a file: a pipeline's other processes would be counted too, and
# differently for the two.
lsns_rows() {
	"$@" lsns -J --list ${LSNS_ARGS:+"$LSNS_ARGS"} >"$SCRATCH/rows.json"
	jq -c '.namespaces[] | {ns,type,nprocs,pid,user,command}' "$SCRATCH/rows.json" | sort
}
nsinfo_rows() {
	if [ $# -gt 0 ]; then
		"$@" nsinfo -a -J ${NSINFO_ARGS:-} >"$SCRATCH/rows.json" 2>/dev/null
	else
		"$NSINFO" -a -J ${NSINFO_ARGS:-} >"$SCRATCH/rows.json" 2>/dev/null
	fi
	# What no process is in (held by a bind mount) lsns 2.38 does not list.
	jq -c '.namespaces[] | select(.nprocs > 0)' "$SCRATCH/rows.json" | sort
}

# same_as_lsns [WRAPPER]: lsns, nsinfo, lsns again.  Every row both lsns
# runs agree on (processes that neither came nor went) must be nsinfo's too,
# and nsinfo may show nothing lsns never showed.  Others' processes may
# still move at just the wrong moment: three tries.
# Namespaces come and go on a busy machine (a second make check makes
# hundreds): a try that saw one come or go between the runs is tried again.
same_as_lsns() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		lsns_rows "$@" >"$SCRATCH/lsns1"
		nsinfo_rows "$@" >"$SCRATCH/nsinfo"
		lsns_rows "$@" >"$SCRATCH/lsns2"
		comm -12 "$SCRATCH/lsns1" "$SCRATCH/lsns2" >"$SCRATCH/stable"
		missing=$(comm -23 "$SCRATCH/stable" "$SCRATCH/nsinfo")
		# The namespaces (not rows) nsinfo shows that no lsns run showed.
		extra=$(jq -r .ns "$SCRATCH/nsinfo" | sort -u | comm -23 - \
			<(cat "$SCRATCH/lsns1" "$SCRATCH/lsns2" | jq -r .ns | sort -u))
		[ -z "$missing$extra" ] && [ -s "$SCRATCH/stable" ] && return 0
	done
	fail "nsinfo -a disagrees with lsns; missing: $missing; extra: $extra"
}

# assert_row_as_lsns NS [WRAPPER]: nsinfo -a's row for one namespace is lsns's.
assert_row_as_lsns() {
	# The oracle can miss a row while others' processes come and go (seen
	# once with four make check runs at once): ask it again before calling
	# the row missing.
	for _ in 1 2 3 4 5; do
		want=$(lsns_rows "${@:2}" | jq -c --argjson ns "$1" 'select(.ns == $ns)')
		[ -n "$want" ] && break
	done
	got=$(nsinfo_rows "${@:2}" | jq -c --argjson ns "$1" 'select(.ns == $ns)')
	assertNotNull "lsns does not show $1" "$want"
	assertEquals "namespace $1" "$want" "$got"
}

ino() { readlink "$1" | tr -dc 0-9; }

testAllAgreesWithLsns() {
	require_root "processes of root and of uid 65534 in namespaces without a user namespace" || return
	# Three processes in one network namespace: the lowest PID is the first.
	f=$PIDS/three
	unshare -n sh -c 'sleep 600 & echo $! >>"$0.all"; sleep 600 & echo $! >>"$0.all"; echo $$ >"$0"; exec sleep 600' "$f" \
		</dev/null >/dev/null 2>&1 &
	wait_sleeper "$f" || return
	cat "$f.all" >>"$SCRATCH/all.pids"
	three=$spid
	sleeper u1 as_user unshare -Ur || return
	u1=$spid
	net=$(ino /proc/$three/ns/net)
	assert_row_as_lsns "$net"
	assertEquals 3 "$(nsinfo_rows | jq --argjson ns "$net" 'select(.ns == $ns) | .nprocs')"
	assertEquals "$three" "$(nsinfo_rows | jq --argjson ns "$net" 'select(.ns == $ns) | .pid')"
	assertEquals '"nobody"' "$(nsinfo_rows | jq --argjson ns "$(ino /proc/$u1/ns/user)" 'select(.ns == $ns) | .user')"
	assert_row_as_lsns "$(ino /proc/$u1/ns/user)"
	same_as_lsns
	# The text table has the same rows.
	run "$NSINFO" -a
	assertEquals 0 "$rc"
	assertEquals "NS TYPE NPROCS PID USER COMMAND" "$(printf '%s\n' "$out" | head -n 1 | awk '{$1 = $1; print}')"
	assertEquals "$net net 3 $three root sleep 600" \
		"$(printf '%s\n' "$out" | awk -v n="$net" '$1 == n { $1 = $1; print }')"
}

# A zombie stays in its pid and user namespaces until reaped (its other links
# are gone): lsns counts it there, and so must nsinfo.  Here it is in a PID
# namespace of its own, whose init (sleep) never reaps it.
testAllCountsZombiesAsLsns() {
	require_root "a PID namespace alone, without a user namespace, takes CAP_SYS_ADMIN on the host" || return
	f=$PIDS/zinit
	unshare -p --fork sh -c "$ZOMBIE_CHILD"' echo $$ >"$0"; exec sleep 600' "$f" </dev/null >/dev/null 2>&1 &
	echo $! >>"$SCRATCH/all.pids"
	# Certain to happen, however loaded the machine: poll has no deadline.
	poll sh -c 'child=$(tr -d " " <"/proc/$1/task/$1/children" 2>/dev/null) && [ -n "$child" ] &&
		[ "$(cat "/proc/$child/comm" 2>/dev/null)" = sleep ] &&
		z=$(tr -d " " <"/proc/$child/task/$child/children") && [ -n "$z" ] &&
		[ "$(sed -n "s/^State:[[:space:]]*\(.\).*/\1/p" /proc/$z/status)" = Z ]' sh $! || return
	child=$(tr -d ' ' <"/proc/$!/task/$!/children")
	echo "$child" >>"$SCRATCH/all.pids"
	pidns=$(ino /proc/$child/ns/pid)
	assert_row_as_lsns "$pidns"
	assertEquals 2 "$(nsinfo_rows | jq --argjson ns "$pidns" 'select(.ns == $ns) | .nprocs')"
}

testAllUnprivilegedAgreesWithLsns() {
	require_userns || return
	sleeper u1 as_user unshare -Ur || return
	sleeper u2 as_user unshare -Urn || return
	assert_row_as_lsns "$(ino /proc/$spid/ns/net)" as_user
	same_as_lsns as_user
	# What the unprivileged user may not read (root's) is said on stderr and in the JSON, not hidden.
	run as_user nsinfo -a
	assertEquals 0 "$rc"
	assertContains "$err" "nsinfo: the namespaces of "
	assertContains "$err" "could not be read (Permission denied)"
	run as_user nsinfo -a -J
	assertEquals 1 "$(printf '%s' "$out" | jq '[.unreadable.pids[] | select(. == 1)] | length')"
	assertEquals '"Permission denied"' "$(printf '%s' "$out" | jq .unreadable.error)"
}

testAllTypeFilter() {
	require_userns || return
	sleeper u1 as_user unshare -Urn || return
	run "$NSINFO" -a -J -t net
	assertEquals 0 "$rc"
	assertEquals '["net"]' "$(printf '%s' "$out" | jq -c '[.namespaces[].type] | unique')"
	run "$NSINFO" -a -J -t net --type user
	assertEquals '["net","user"]' "$(printf '%s' "$out" | jq -c '[.namespaces[].type] | unique')"
	NSINFO_ARGS="-t user" LSNS_ARGS="-tuser" same_as_lsns
}

# Any bytes in a command line: the JSON still parses and says the same thing.
testAllJsonEscapesCommands() {
	require_userns || return
	name=$(printf 'q"b\\s\tt\001c\377x')
	f=$PIDS/weird
	ns_root unshare -n bash -c 'echo $$ >"$0"; exec -a "$1" sleep 600' "$f" "$name" </dev/null >/dev/null 2>&1 &
	wait_sleeper "$f" || return
	run "$NSINFO" -a -J -t net
	assertEquals 0 "$rc"
	got=$(printf '%s' "$out" | jq -r --argjson p "$spid" '.namespaces[] | select(.pid == $p) | .command')
	assertEquals "$(printf 'q"b\\s\tt\001c\357\277\275x 600')" "$got"
	run "$NSINFO" -a -t net
	assertEquals "$(printf 'q"b\\s\\x09t\\x01c\\xffx 600')" \
		"$(printf '%s\n' "$out" | awk -v p="$spid" '$4 == p { sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +/, ""); print }')"
}

# --- nsinfo -m ---

testMapsExplainedUnprivileged() {
	require_userns || return
	run as_user unshare -Ur nsinfo -m
	assertEquals 0 "$rc"
	assertContains "$out" "uid 0 inside is uid $USER_UID outside"
	assertContains "$out" "gid 0 inside is gid $USER_GID outside"
	assertContains "$out" "outside ids are those of its parent user namespace"
	assertEquals "0 $USER_UID 1" "$(printf '%s\n' "$out" | awk '$1 == "0" { print $1, $2, $3; exit }')"
	assertEquals "setgroups deny" "$(printf '%s\n' "$out" | awk '$1 == "setgroups" { print $1, $2 }')"
	run as_user unshare -Ur nsinfo -m -J
	assertEquals "{\"inside\":0,\"outside\":$USER_UID,\"count\":1}" "$(printf '%s' "$out" | jq -c '.uid_map[0] | {inside,outside,count}')"
	assertEquals '"deny"' "$(printf '%s' "$out" | jq .setgroups)"
}

# Another process's maps, read from outside: against /proc/PID/uid_map itself.
testMapsOfAnotherProcess() {
	require_userns || return
	sleeper m as_user unshare -Ur || return
	run "$NSINFO" -m "$spid"
	assertEquals 0 "$rc"
	assertEquals "$(awk '{print $1, $2, $3}' /proc/$spid/uid_map)" \
		"$(printf '%s\n' "$out" | sed -n '/^uid_map/,/^gid_map/p' | awk '$1 ~ /^[0-9]+$/ {print $1, $2, $3}')"
	assertContains "$out" "outside ids are those of your own user namespace"
	assertContains "$out" "PID $spid (sleep) in $(readlink /proc/$spid/ns/user), not the initial user namespace"
}

testMapsIdentityAndRanges() {
	require_root "maps ranges of the host's uids and gids" || return
	run "$NSINFO" -m
	assertContains "$out" "every uid is itself: the identity map of the initial user namespace"
	[ -x "$BIN/usernsselfmap" ] || { skip "usernsselfmap is not built"; return; }
	run "$BIN/usernsselfmap" --uid-map 0:100000:65536 --gid-map 0:100000:65536 "$NSINFO" -m
	assertEquals 0 "$rc"
	assertContains "$out" "uids 0-65535 inside are uids 100000-165535 outside"
	assertContains "$out" "gids 0-65535 inside are gids 100000-165535 outside"
}

testMapsEmptyBeforeWritten() {
	require_userns || return
	sleeper bare unshare -U || return
	run "$NSINFO" -m "$spid"
	assertEquals 0 "$rc"
	assertContains "$out" "(empty: nothing is mapped yet"
	run "$NSINFO" -m -J "$spid"
	assertEquals "[]" "$(printf '%s' "$out" | jq -c .uid_map)"
}

# --- nsinfo -T ---

# The unprivileged user makes a user namespace and another inside it, and a
# network namespace
# in the inner one; the outer holds no process (unshare execs the next one).
testTreeShowsNestedUserns() {
	require_userns || return
	sleeper nest as_user unshare -Ur unshare -Urn || return
	inner=$(ino /proc/$spid/ns/user)
	net=$(ino /proc/$spid/ns/net)
	run "$NSINFO" -T -J
	assertEquals 0 "$rc"
	node=$(printf '%s' "$out" | jq -c --argjson u "$inner" \
		'.tree[] | select(.initial) | .children[] | select(any(.children[]; .ns == $u))')
	assertNotNull "no user namespace under the initial one holds $inner" "$node"
	assertEquals "$USER_UID" "$(printf '%s' "$node" | jq .owner_uid)"
	assertEquals 0 "$(printf '%s' "$node" | jq .nprocs)"
	assertEquals "$USER_UID" "$(printf '%s' "$node" | jq --argjson u "$inner" '.children[] | select(.ns == $u) | .owner_uid')"
	assertEquals "$net" "$(printf '%s' "$node" | jq --argjson u "$inner" '.children[] | select(.ns == $u) | .owns[] | select(.type == "net") | .ns')"
	outer=$(printf '%s' "$node" | jq .ns)
	# The same in text: the outer one level down, the inner two, its net three.
	run "$NSINFO" -T
	assertEquals 0 "$rc"
	assertEquals "user:[4026531837] initial, owner uid 0" "$(printf '%s\n' "$out" | head -n 1 | sed 's/  *(.*//; s/  */ /g')"
	printf '%s\n' "$out" | grep -qE "^[|\`]-- user:\[$outer\]  owner uid $USER_UID  \(no process\)\$" ||
		fail "outer user namespace not at depth 1: $(printf '%s\n' "$out" | grep -F "$outer")"
	printf '%s\n' "$out" | grep -qE "^[| ]   [|\`]-- user:\[$inner\]  owner uid $USER_UID  \(1 process, PID $spid sleep 600\)\$" ||
		fail "inner user namespace not at depth 2: $(printf '%s\n' "$out" | grep -F "$inner")"
	printf '%s\n' "$out" | grep -qE "^[| ]   [| ]   [|\`]-- net:\[$net\]  \(1 process, PID $spid sleep 600\)\$" ||
		fail "its net namespace not at depth 3: $(printf '%s\n' "$out" | grep -F "$net")"
}

testTreeUnprivileged() {
	require_userns || return
	sleeper t as_user unshare -Ur || return
	run as_user nsinfo -T -J
	assertEquals 0 "$rc"
	assertEquals "$(ino /proc/$spid/ns/user)" "$(printf '%s' "$out" | jq --argjson p "$spid" '.tree[] | select(.initial) | .children[] | select(.pid == $p) | .ns')"
	# From inside a user namespace its parent is out of reach: it is a root,
	# and its owner is uid 0, as ids are seen from where nsinfo runs.
	run as_user unshare -Ur sh -c 'readlink /proc/self/ns/user; nsinfo -T -J'
	assertEquals 0 "$rc"
	me=$(printf '%s\n' "$out" | head -n 1 | tr -dc 0-9)
	node=$(printf '%s\n' "$out" | sed 1d | jq -c --argjson u "$me" '.tree[] | select(.ns == $u)')
	assertEquals "false 0" "$(printf '%s' "$node" | jq -r '"\(.initial) \(.owner_uid)"')"
}

# --- nsinfo --check ---

testCheckPassesAsRoot() {
	require_root "creating every kind of namespace without a user namespace takes CAP_SYS_ADMIN on the host" || return
	run "$NSINFO" --check
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals 8 "$(printf '%s\n' "$out" | grep -cE '^(user|net|mnt|uts|ipc|pid|cgroup|time) +ok +unshare\(CLONE_NEW[A-Z]+\)')"
	assertContains "$out" "all 8 kinds of namespace can be created here"
	run "$NSINFO" -c -J
	assertEquals 0 "$rc"
	assertEquals "true 8" "$(printf '%s' "$out" | jq -r '"\(.ok) \([.check[] | select(.ok)] | length)"')"
}

testCheckPassesUnprivileged() {
	require_userns || return
	run as_user nsinfo --check
	assertEquals "stderr: $err" 0 "$rc"
	assertNull "$err"
	assertEquals 7 "$(printf '%s\n' "$out" | grep -cE ' ok +unshare\(CLONE_NEWUSER\|CLONE_NEW')"
}

# Docker's default seccomp profile, without Docker: every kind fails, and says why.
testCheckNamesSeccomp() {
	[ -x "$SECCOMP" ] || { skip "build/tests/helpers/seccomp_deny_ns is not built (make check builds it)"; return; }
	for who in "" as_user; do
		run $who "$SECCOMP" "$NSINFO" --check
		assertEquals "$who exit status" 1 "$rc"
		assertEquals "$who" 8 "$(printf '%s\n' "$out" | grep -cE '^[a-z]+ +FAILED +unshare\(.*\): Operation not permitted$')"
		# One cause fails all eight: its hints are said once, not eight times.
		assertEquals "$who" 1 "$(printf '%s\n' "$out" | grep -c 'hint: a seccomp filter blocks namespace creation (Seccomp: 2')"
		assertContains "$who" "$out" "the same hints hold for every kind that failed:"
		assertNull "$who: a hint repeated: $out" "$(printf '%s\n' "$out" | grep 'hint:' | sort | uniq -d)"
		assert_err_prefix nsinfo
		assertContains "$err" "8 of 8 kinds of namespace cannot be created here"
	done
	run "$SECCOMP" "$NSINFO" --check --json
	assertEquals 1 "$rc"
	assertEquals "false 0" "$(printf '%s' "$out" | jq -r '"\(.ok) \([.check[] | select(.ok)] | length)"')"
	assertEquals 8 "$(printf '%s' "$out" | jq '[.check[] | select(.errno == 1 and (.hints | any(test("seccomp"))))] | length')"
}

# user.max_net_namespaces=0 (in a user namespace of our own): only net fails, with ENOSPC and the sysctl named.
testCheckNamesTheLimit() {
	require_userns || return
	run limit_zero net nsinfo --check
	assertEquals 1 "$rc"
	assertEquals "net FAILED unshare(CLONE_NEWNET): No space left on device" \
		"$(printf '%s\n' "$out" | grep '^net ' | awk '{$1 = $1; print}')"
	assertContains "$out" "user.max_net_namespaces is 0 here"
	assertEquals 7 "$(printf '%s\n' "$out" | grep -c ' ok ')"
}

# A chroot: the kernel refuses CLONE_NEWUSER there.
testCheckNamesTheChroot() {
	require_userns || return
	run in_chroot nsinfo --check
	assertEquals 1 "$rc"
	assertEquals "user FAILED unshare(CLONE_NEWUSER): Operation not permitted" \
		"$(printf '%s\n' "$out" | grep '^user ' | awk '{$1 = $1; print}')"
	assertContains "$out" "hint: the caller is in a chroot"
}

# --- JSON for every mode ---

testEveryModeIsJson() {
	require_userns || return
	sleeper j as_user unshare -Urn || return
	for args in "" "$spid" "$$ $spid" "-a" "-a -t net" "-m" "-m $spid" "-T" "-c"; do
		for who in "" as_user; do
			cmd=$NSINFO
			[ -n "$who" ] && cmd=nsinfo
			# 65534 cannot read root's shell's links: shown as such, status 1.
			want=0
			[ -n "$who" ] && [ "$args" = "$$ $spid" ] && [ "$(id -u)" = 0 ] && want=1
			run $who $cmd -J $args
			assertEquals "$who nsinfo -J $args: $err" "$want" "$rc"
			assertTrue "$who nsinfo -J $args is not JSON: $out" "printf '%s' \"\$out\" | jq -e . >/dev/null"
		done
	done
}

# Every kind, the two _for_children links included: a process unshare(1)
# put in a new namespace of one kind differs from this shell in that kind
# alone.  unshare -p without --fork changes only what the process's
# children get, pid_for_children; after unshare -T the exec of the command
# enters the new time namespace too on a kernel that switches at exec (5.8
# and later), so time and time_for_children differ, and only the latter
# before that.
testEveryKindComparedAlone() {
	require_root "each kind alone, without a user namespace, takes CAP_SYS_ADMIN on the host" || return
	for pair in "u uts" "i ipc" "C cgroup" "n net" "m mnt" "U user" \
		"p pid_for_children" "T time time_for_children"; do
		flag=${pair%% *} kinds=${pair#* }
		for kind in $kinds; do
			[ -e "/proc/self/ns/$kind" ] || fail "this kernel has no $kind namespace"
		done
		sleeper "k$flag" unshare "-$flag" || return
		run "$NSINFO" $$ "$spid"
		assertEquals "unshare -$flag: $err" 0 "$rc"
		got=$(printf '%s\n' "$out" | tail -n 1)
		if [ "$flag" = T ] && [ "$got" = "differ: time_for_children" ]; then
			kinds=time_for_children	# a kernel that does not switch at exec
		fi
		assertEquals "unshare -$flag" "differ: $kinds" "$got"
		run "$NSINFO" -J -p $$ -p "$spid"
		assertEquals "unshare -$flag" "$kinds" "$(printf '%s' "$out" | jq -r '.differ | join(" ")')"
		kill_sleepers 2>/dev/null
	done
}

# --- beyond lsns: the parent tree, namespaces no process is in, inodes, a picture ---

# Nested PID namespaces hang below their parents, not flat below the first.
testTreeParentNestsPidNamespaces() {
	require_root "nested PID namespaces without a user namespace" || return
	# The sleeper's own $$ would be a PID of the new namespace: find it by
	# walking down from the outer unshare instead.
	unshare -pf --mount-proc unshare -pf sleep 600 </dev/null >/dev/null 2>&1 &
	echo $! >>"$SCRATCH/all.pids"
	top=$! spid='' mid=''
	nested_sleep() {
		mid=$(tr -d ' ' <"/proc/$top/task/$top/children" 2>/dev/null)
		[ -n "$mid" ] && spid=$(tr -d ' ' <"/proc/$mid/task/$mid/children" 2>/dev/null)
		[ -n "$spid" ] && [ "$(cat "/proc/$spid/comm" 2>/dev/null)" = sleep ]
	}
	wait_until nested_sleep || { fail "no sleep in a nested PID namespace"; return; }
	echo "$mid" >>"$SCRATCH/all.pids"
	echo "$spid" >>"$SCRATCH/all.pids"
	inner=$(ino /proc/$spid/ns/pid)
	outer=$(ino "/proc/$(cut -d' ' -f4 "/proc/$spid/stat")/ns/pid")
	assertNotEquals "$outer" "$inner"
	run "$NSINFO" --tree=parent -J
	assertEquals 0 "$rc"
	assertEquals "$inner" "$(printf '%s' "$out" | jq --argjson o "$outer" \
		'.. | objects | select(.ns? == $o) | .children[] | .ns')"
	assertEquals "true" "$(printf '%s' "$out" | jq --argjson o "$outer" \
		'[.tree[] | select(.type == "pid" and .initial) | .children[] | .ns] | index($o) != null')"
	run "$NSINFO" --tree=parent -t pid
	assertEquals 0 "$rc"
	printf '%s\n' "$out" | grep -qE "^[| ]   [|\`]-- pid:\[$inner\]  \(1 process, PID $spid sleep 600\)\$" ||
		fail "inner pid namespace not at depth 2: $(printf '%s\n' "$out" | grep -F "$inner")"
	assertNull "a user namespace in -t pid: $out" "$(printf '%s\n' "$out" | grep 'user:\[')"
	run "$NSINFO" --tree=bogus
	assertEquals 2 "$rc"
}

# `unshare --net=FILE` bind-mounts the new network namespace on FILE, as
# `ip netns add` does under /run/netns; no process is in it.  Done in a
# mount namespace of the test's own, which takes the mount (and with it the
# namespace) away when it ends.
testHeldByABindMount() {
	require_root "binds a network namespace made without a user namespace" || return
	: >"$SCRATCH/netns"
	run unshare -m sh -c 'unshare --net="$1" true || exit 125
		readlink "$1" 2>/dev/null; stat -L -c %i "$1"; echo ---
		"$2" -a -J -t net; echo ---; "$2" -a -t net; echo ---; "$2" -T -J' sh "$SCRATCH/netns" "$NSINFO"
	assertEquals "$err" 0 "$rc"
	held=$(printf '%s\n' "$out" | sed -n 1p)
	assertNotNull "$held"
	part() { printf '%s\n' "$out" | awk -v n="$1" '/^---$/ { i++; next } i == n'; }
	assertEquals "{\"ns\":$held,\"type\":\"net\",\"nprocs\":0,\"pid\":null,\"user\":null,\"command\":null,\"nsfs\":\"$SCRATCH/netns\"}" \
		"$(part 1 | jq -c --argjson n "$held" '.namespaces[] | select(.ns == $n)')"
	part 2 | grep -qE "^ *$held +net +0 +- +- +\(held by the bind mount $SCRATCH/netns\)\$" ||
		fail "no row for the held namespace: $(part 2)"
	assertEquals "\"$SCRATCH/netns\"" "$(part 3 | jq --argjson n "$held" '.. | objects | select(.ns? == $n) | .nsfs')"
}

# $HOLD CMD...: CMD (which must exec) with fd 7 the only thing keeping a
# network namespace alive: a child made it and was its only member, and has
# exited.  Not root, the child is root of a new user namespace too.  A
# script, so that as_user can run it and sleeper can wait for it.
HOLD=$SCRATCH/hold
cat >"$HOLD" <<'EOF'
#!/bin/sh
u=; [ "$(id -u)" = 0 ] || u=-r
unshare $u -n sleep 600 </dev/null &
c=$!
until [ "$(cat /proc/$c/comm 2>/dev/null)" = sleep ]; do
	kill -0 $c 2>/dev/null || exit 125
	sleep 0.01
done
exec 7</proc/$c/ns/net || exit 125
kill $c; wait $c
exec "$@"
EOF
chmod 755 "$HOLD"

# assert_held_by_fd PID [WRAPPER]: what PID holds on fd 7 (read by root from
# /proc/PID/fd/7, the oracle) is listed by `nsinfo -a` (JSON and text) and
# `nsinfo -T` (JSON and text), run through WRAPPER, as held by that fd.
assert_held_by_fd() {
	hpid=$1; shift
	held=$(readlink "/proc/$hpid/fd/7" | sed -n 's/^net:\[\([0-9]*\)\]$/\1/p')
	assertNotNull "fd 7 of $hpid is not a network namespace" "$held" || return
	run "$@" "$NSINFO" -a -F -J -t net
	assertEquals "{\"ns\":$held,\"type\":\"net\",\"nprocs\":0,\"pid\":null,\"user\":null,\"command\":null,\"fd\":[{\"pid\":$hpid,\"fd\":7}]}" \
		"$(printf '%s' "$out" | jq -c --argjson n "$held" '.namespaces[] | select(.ns == $n)')"
	run "$@" "$NSINFO" -a -F -t net
	printf '%s\n' "$out" | grep -qE "^ *$held +net +0 +- +- +\(held by fd 7 of PID $hpid \(sleep 600\)\)\$" ||
		fail "no row for the namespace fd 7 holds: $out"
	run "$@" "$NSINFO" -T -F -J
	assertEquals "[{\"pid\":$hpid,\"fd\":7}]" \
		"$(printf '%s' "$out" | jq -c --argjson n "$held" '.. | objects | select(.ns? == $n) | .fd')"
	run "$@" "$NSINFO" -T -F
	printf '%s\n' "$out" | grep -qF "net:[$held]  (no process; held by fd 7 of PID $hpid (sleep 600))" ||
		fail "not in the tree: $out"
	# Without -F, nsinfo reads no descriptor, as lsns 2.38 (docs/performance.md).
	run "$@" "$NSINFO" -a -J -t net
	assertEquals "listed without -F" "" \
		"$(printf '%s' "$out" | jq -c --argjson n "$held" '.namespaces[] | select(.ns == $n)')"
}

# A namespace no process is in, kept only by a descriptor (lsns lists it
# from util-linux 2.41, 2.38 does not): with -F, listed with the PID and fd
# that hold it.
testHeldByADescriptor() {
	sleeper hold "$HOLD" || return
	assert_held_by_fd "$spid"
}

testHeldByADescriptorUnprivileged() {
	require_userns || return
	sleeper hold-nobody as_user "$HOLD" || return
	assert_held_by_fd "$spid" as_user
}

# A FIFO bind-mounted over an nsfs mount: -T and --dot explore what the
# mount holds, and opening the FIFO for reading would wait for a writer for
# ever.  They open the path O_PATH first and find it is not that namespace.
assert_fifo_over_nsfs() {
	mkdir -p "$SCRATCH/fifo" && chmod 777 "$SCRATCH/fifo"
	run "$@" timeout 30 sh -c 'd=$1; mount -t tmpfs none "$d" && : >"$d/f" && mkfifo "$d/p" &&
		unshare --net="$d/f" true && mount --bind "$d/p" "$d/f" &&
		"$2" -T -t net && "$2" --dot -t net' sh "$SCRATCH/fifo" "$NSINFO"
	assertEquals "stderr: $err" 0 "$rc"
	printf '%s\n' "$out" | grep -q '^digraph' || fail "no graph: $out"
}

testFifoOverAHeldNamespace() {
	require_root "a mount namespace without a user namespace takes CAP_SYS_ADMIN on the host" || return 0
	assert_fifo_over_nsfs unshare -m --propagation private
}

testFifoOverAHeldNamespaceUnprivileged() {
	require_userns || return
	assert_fifo_over_nsfs as_user unshare -Urm --propagation private
}

# A bare number beyond any PID that is a namespace's inode: its processes.
testInodeListsItsProcesses() {
	require_root "a process of root's in a UTS namespace of its own, which the unprivileged user may not read" || return 0
	sleeper in1 unshare -u || return
	a=$spid
	uts=$(ino /proc/$a/ns/uts)
	run "$NSINFO" "$uts"
	assertEquals 0 "$rc"
	assertEquals "uts:[$uts], 1 process" "$(printf '%s\n' "$out" | head -n 1)"
	printf '%s\n' "$out" | grep -qE "^ *$a +[0-9]+ +root +sleep 600\$" || fail "no row for $a: $out"
	run "$NSINFO" -J "$uts"
	assertEquals "uts $a" "$(printf '%s' "$out" | jq -r '"\(.type) \([.processes[].pid] | join(" "))"')"
	run as_user nsinfo "$uts"
	assertEquals 1 "$rc"
	assertEquals "nsinfo: $uts: no such process, nor a namespace a process is in" "$err"
}

# The picture and the tree are one pass over the same namespaces: in a PID
# namespace of its own (so nothing else comes and goes), the graph's nodes
# are the namespaces of -T -J and its solid and dashed edges their ownership.
testDotMatchesJson() {
	require_userns || return
	command -v dot >/dev/null || fail "dot(1) is missing (graphviz, prereqs.txt)"
	run as_user unshare -Urpf --mount-proc sh -c 'unshare -n sleep 600 & while [ "$(cat /proc/2/comm 2>/dev/null)" != sleep ]; do sleep 0.01; done
		nsinfo --dot; echo ---; nsinfo -T -J; kill $!' 
	assertEquals "$err" 0 "$rc"
	printf '%s\n' "$out" | sed '/^---$/,$d' >"$SCRATCH/g.dot"
	printf '%s\n' "$out" | sed '1,/^---$/d' >"$SCRATCH/t.json"
	grep -oE '^	ns[0-9]+ \[' "$SCRATCH/g.dot" | tr -dc '0-9\n' | sort >"$SCRATCH/dot.nodes"
	jq '.. | objects | select(has("ns")) | .ns' "$SCRATCH/t.json" | sort -u >"$SCRATCH/json.nodes"
	assertEquals "nodes" "$(cat "$SCRATCH/json.nodes")" "$(cat "$SCRATCH/dot.nodes")"
	sed -nE 's/^	ns([0-9]+) -> ns([0-9]+).*/\1 \2/p' "$SCRATCH/g.dot" | sort >"$SCRATCH/dot.edges"
	jq -r '.. | objects | select(.type? == "user") | . as $u | ((.owns // [])[], (.children // [])[]) | "\($u.ns) \(.ns)"' \
		"$SCRATCH/t.json" | sort >"$SCRATCH/json.edges"
	assertEquals "edges" "$(cat "$SCRATCH/json.edges")" "$(cat "$SCRATCH/dot.edges")"
	assertNotNull "no edges" "$(cat "$SCRATCH/dot.edges")"
	# Two sets of namespaces: sh and nsinfo, and the sleeper in its own net.
	assertEquals 2 "$(grep -cE '^	g[0-9]+ \[shape=ellipse' "$SCRATCH/g.dot")"
	dot -Tsvg "$SCRATCH/g.dot" -o "$SCRATCH/g.svg"
	assertEquals "dot -Tsvg" 0 $?
	grep -q '<svg' "$SCRATCH/g.svg" || fail "no SVG from dot"
	# The picture guide 4 speaks of, drawn from what was just checked.
	mkdir -p "$TOP/build/docs" && cp "$SCRATCH/g.svg" "$TOP/build/docs/namespaces.svg"
}

testDotEscapesLabels() {
	# A command line with a quote, a backslash and an escape byte in it.
	bash -c 'exec -a "$1" sleep 600' sh "$(printf 'x"y\\z\033')" </dev/null >/dev/null 2>&1 &
	echo $! >>"$SCRATCH/all.pids"
	wait_until "[ \"\$(cat /proc/$!/comm 2>/dev/null)\" = sleep ]" || { fail "the sleeper did not start"; return; }
	run "$NSINFO" --dot
	assertEquals 0 "$rc"
	printf '%s\n' "$out" | dot -Tcanon >/dev/null 2>"$SCRATCH/dot.err"
	assertEquals "dot parses it: $(cat "$SCRATCH/dot.err")" 0 $?
	assertNull "a control byte in the graph" "$(printf '%s' "$out" | tr -d '\n\t' | tr -d '[:print:]')"
}

# --- names a terminal would act on: C1 controls and bidi overrides ---

# A comm and a command line holding U+009B (CSI, a C1 control: "\233[31m"
# recolours a terminal that takes 8-bit controls) and U+202E (RLO, which
# reverses what follows it on the line).  Both are valid UTF-8: text shows
# the \xHH of their bytes, as for ESC; JSON carries them \u-escaped, the same
# string to a parser.  comm is the name of the file exec'd: a symlink's.
HOSTILE=$(printf 'x\302\233[31m\342\200\256y')
HOSTILE_SHOWN='x\xc2\x9b[31m\xe2\x80\xaey'

# hostile_sleeper WRAPPER...: a sleep 600 named $HOSTILE, in the namespaces WRAPPER makes.
hostile_sleeper() {
	mkdir -p "$SCRATCH/hostile" && chmod 755 "$SCRATCH/hostile"
	ln -sf "$(command -v sleep)" "$SCRATCH/hostile/$HOSTILE"
	f=$PIDS/hostile
	rm -f "$f"
	"$@" bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0"; exec -a "$1 arg" "$2" 600' \
		"$f" "$HOSTILE" "$SCRATCH/hostile/$HOSTILE" </dev/null >/dev/null 2>&1 &
	job=$! spid=
	poll sh -c '[ -s "$1" ] && [ "$(cat "/proc/$(cat "$1")/comm" 2>/dev/null)" = "$3" ] ||
		! kill -0 "$2" 2>/dev/null' sh "$f" "$job" "$HOSTILE" || return 1
	spid=$(cat "$f" 2>/dev/null)
	[ -n "$spid" ] && echo "$spid" >>"$SCRATCH/all.pids"
	[ -n "$spid" ] && [ "$(cat "/proc/$spid/comm" 2>/dev/null)" = "$HOSTILE" ] && return 0
	fail "the hostile sleeper did not start"
	return 1
}

# assert_no_raw WHAT: neither character reached $out raw.
assert_no_raw() {
	if printf '%s' "$out" | LC_ALL=C grep -qF -e "$(printf '\302\233')" -e "$(printf '\342\200\256')"; then
		fail "$1: a raw U+009B or U+202E: $(printf '%s' "$out" | od -c | head -n 5)"
	fi
}

# assert_hostile_escaped [as_user]: every mode that shows a name, in text,
# JSON and dot, for the hostile sleeper $spid in a network namespace of its own.
assert_hostile_escaped() {
	net=$(ino "/proc/$spid/ns/net")
	run "$@" "$NSINFO" "$spid"
	assertEquals "PID: $err" 0 "$rc"
	assertEquals "PID $spid ($HOSTILE_SHOWN)" "$(printf '%s\n' "$out" | head -n 1)"
	assert_no_raw "nsinfo PID"
	run "$@" "$NSINFO" "$spid" $$
	assert_no_raw "nsinfo PID PID"
	printf '%s\n' "$out" | grep -qF "PID $spid ($HOSTILE_SHOWN)" || fail "PID PID: $out"
	run "$@" "$NSINFO" -m "$spid"
	assert_no_raw "nsinfo -m"
	run "$@" "$NSINFO" -a -t net
	assert_no_raw "nsinfo -a"
	printf '%s\n' "$out" | grep -qF " $spid " || fail "-a: no row for $spid: $out"
	printf '%s\n' "$out" | grep -F " $spid " | grep -qF "$HOSTILE_SHOWN arg 600" || fail "-a: $out"
	run "$@" "$NSINFO" -T
	assert_no_raw "nsinfo -T"
	printf '%s\n' "$out" | grep -qF "net:[$net]  (1 process, PID $spid $HOSTILE_SHOWN arg 600)" ||
		fail "-T: $out"
	run "$@" "$NSINFO" "$net"
	assertEquals "INODE: $err" 0 "$rc"
	assert_no_raw "nsinfo INODE"
	printf '%s\n' "$out" | grep -qE "^ *$spid .*$(printf '%s' "$HOSTILE_SHOWN" | sed 's/[][\\.]/\\&/g') arg 600\$" ||
		fail "INODE: $out"
	run "$@" "$NSINFO" --dot
	assert_no_raw "nsinfo --dot"
	printf '%s\n' "$out" | dot -Tcanon >/dev/null 2>"$SCRATCH/dot.err"
	assertEquals "dot parses it: $(cat "$SCRATCH/dot.err")" 0 $?
	printf '%s\n' "$out" | grep -qF 'x\\xc2\\x9b[31m\\xe2\\x80\\xaey arg 600' || fail "--dot: $out"
	# JSON: valid, \u-escaped, and the very string /proc holds.
	for mode in "$spid" "-a" "-T" "$net"; do
		run "$@" "$NSINFO" -J $mode
		assert_no_raw "nsinfo -J $mode"
		printf '%s' "$out" | jq -e . >/dev/null || fail "-J $mode: not JSON: $out"
		printf '%s' "$out" | grep -q 'u009b' || fail "-J $mode: no \\u009b: $out"
		want=$HOSTILE; [ "$mode" = "$spid" ] || want="$HOSTILE arg 600"
		printf '%s' "$out" | jq -r '.. | objects | .command? // empty' | grep -qxF "$want" ||
			fail "-J $mode: the command is not the bytes /proc holds: $out"
	done
	# What lists only the sleeper's own says nothing was replaced (-a and -T list other processes).
	for mode in "$spid" "$net"; do
		run "$@" "$NSINFO" -J $mode
		printf '%s' "$out" | jq -e 'has("invalid_utf8_replaced") | not' >/dev/null ||
			fail "-J $mode: says it replaced bytes of valid UTF-8: $out"
	done
}

testHostileNamesEscaped() {
	require_root "a network namespace alone, without a user namespace, takes CAP_SYS_ADMIN on the host" || return 0
	hostile_sleeper unshare -n || return
	assert_hostile_escaped
}

testHostileNamesEscapedUnprivileged() {
	require_userns || return
	hostile_sleeper as_user unshare -rn || return
	assert_hostile_escaped as_user
}

# Invalid UTF-8 is the one thing JSON cannot carry: U+FFFD, and the output says how many bytes.
testInvalidUtf8InJsonSaidSo() {
	bash -c 'exec -a "$1" sleep 600' sh "$(printf 'bad\377\376name')" </dev/null >/dev/null 2>&1 &
	bad=$!
	echo $bad >>"$SCRATCH/all.pids"
	wait_until "[ \"\$(cat /proc/$bad/comm 2>/dev/null)\" = sleep ]" || { fail "the sleeper did not start"; return; }
	uts=$(ino "/proc/$bad/ns/uts")
	run "$NSINFO" -J "$uts"
	assertEquals 0 "$rc"
	printf '%s' "$out" | jq -e . >/dev/null || fail "not JSON: $out"
	n=$(printf '%s' "$out" | jq '.invalid_utf8_replaced')
	[ "$n" -ge 2 ] 2>/dev/null || fail "invalid_utf8_replaced: '$n'"
	assertEquals "$(printf 'bad\357\277\275\357\277\275name 600')" \
		"$(printf '%s' "$out" | jq -r --argjson p "$bad" '.processes[] | select(.pid == $p) | .command')"
	run "$NSINFO" "$uts"
	printf '%s\n' "$out" | grep -qE "^ *$bad .*bad\\\\xff\\\\xfename 600\$" || fail "text: $out"
}

# A passwd name holding them (nsinfo reads /etc/passwd itself, lib/subid):
# the USER column escapes it too.  A private mount namespace binds a passwd
# naming root so; as the unprivileged user, uid 0 of a user namespace of its own.
assert_hostile_user() {
	printf '%s:x:0:0::/:/bin/sh\n' "$HOSTILE" >"$SCRATCH/passwd"
	chmod 644 "$SCRATCH/passwd"
	run "$@" sh -c 'mount --bind "$1" /etc/passwd && exec "$2" -a -t mnt' sh "$SCRATCH/passwd" "$NSINFO"
	assertEquals "-a: $err" 0 "$rc"
	assert_no_raw "USER column of -a"
	printf '%s\n' "$out" | grep -qF " $HOSTILE_SHOWN " || fail "-a: no escaped user: $out"
	run "$@" sh -c 'mount --bind "$1" /etc/passwd && exec "$2" -J -a -t mnt' sh "$SCRATCH/passwd" "$NSINFO"
	printf '%s' "$out" | jq -r '.namespaces[].user' | grep -qxF "$HOSTILE" || fail "-J: $out"
	assert_no_raw "USER in -J"
}

testHostileUserNameEscaped() {
	require_root "binds over /etc/passwd in a mount namespace without a user namespace" || return 0
	assert_hostile_user unshare -m
}

testHostileUserNameEscapedUnprivileged() {
	require_userns || return
	assert_hostile_user as_user unshare -Urm
}

testTypeErrorEscaped() {
	run "$NSINFO" -t "$(printf '\377\033[31m\302\233')"
	assertEquals 2 "$rc"
	assertEquals "nsinfo: -t '\\xff\\x1b[31m\\xc2\\x9b': not a namespace type (cgroup, ipc, mnt, net, pid, time, user, uts)" "$err"
	run "$NSINFO" "$(printf '1\342\200\256')"
	assertEquals 2 "$rc"
	assertEquals "nsinfo: '1\\xe2\\x80\\xae': not a process ID (see 'nsinfo --help')" "$err"
}

# --- what lsns(8) users expect: -p/--task, -t in every mode ---

testTaskAndTypeFilter() {
	require_userns || return
	sleeper tf ns_root unshare -n || return
	run "$NSINFO" "$spid"
	plain=$out
	run "$NSINFO" -p "$spid"
	assertEquals 0 "$rc"
	assertEquals "-p PID is PID" "$plain" "$out"
	run "$NSINFO" --task="$spid" -t net
	assertEquals 0 "$rc"
	assertEquals "PID $spid (sleep)
net                $(readlink /proc/$spid/ns/net)" "$out"
	# pid_for_children is a pid namespace: -t pid keeps it.
	run "$NSINFO" -J -t pid -p "$spid"
	assertEquals "pid pid_for_children" "$(printf '%s' "$out" | jq -r '[.namespaces[].type] | join(" ")')"
	# Two processes, one kind: the new network namespace differs from ours.
	run "$NSINFO" -t net -t uts $$ "$spid"
	assertEquals 0 "$rc"
	assertEquals "differ: net" "$(printf '%s\n' "$out" | tail -n 1)"
	assertEquals 4 "$(printf '%s\n' "$out" | wc -l)"
	run "$NSINFO" -c -t net -J
	assertEquals "net" "$(printf '%s' "$out" | jq -r '[.check[].type] | join(" ")')"
	run "$NSINFO" -T -t net -J
	assertEquals 0 "$rc"
	assertEquals "net" "$(printf '%s' "$out" | jq -r '[.. | objects | select(has("type")) | .type | select(. != "user")] | unique | join(" ")')"
}

# ioctl_ns(2): NS_GET_OWNER_UID answers as the reader's user namespace sees it;
# the text says whose view it is.
testOwnerUidIsTheReadersView() {
	require_userns || return
	run "$NSINFO" -t user
	assertContains "$out" "owner uids are shown as your user namespace, $(readlink /proc/self/ns/user), sees them"
	run as_user unshare -Ur sh -c 'readlink /proc/self/ns/user; nsinfo -t user'
	me=$(printf '%s\n' "$out" | head -n 1)
	assertContains "$out" "not initial (owner uid 0)"
	assertContains "$out" "owner uids are shown as your user namespace, $me, sees them"
	run as_user unshare -Ur nsinfo -T
	assertContains "$out" "owner uids are shown as your user namespace, "
}

# --- nsinfo -m from where the map's outside ids do not reach ---

# From inside a user namespace, the host's map reads "0 4294967295 4294967295":
# the kernel's (uid_t)-1 for an outside id with no id here.  nsinfo says
# "unmapped here"; the ns/user link of a host process cannot be read from
# in there, but -m asks for the maps, which were read: exit 0, and a note
# line says why the namespace is unknown (issue 12).
NS_NOTE="note: reading a process's ns/user link needs ptrace access to it: its uids and its user namespace, or CAP_SYS_PTRACE in that namespace"
testMapsUnmappedHere() {
	require_userns || return
	for who in "" as_user; do
		sleeper um $who || return
		run as_user usernsselfmap nsinfo -m "$spid"
		assertEquals "$who: $err" 0 "$rc"
		assertContains "$who" "$out" "uids 0-4294967294 inside are unmapped here"
		assertContains "$who" "$out" "gids 0-4294967294 inside are unmapped here"
		assertEquals "$who" "$NS_NOTE" "$(printf '%s\n' "$out" | tail -n 1)"
		assertNull "$who" "$err"
		run as_user usernsselfmap nsinfo -J -m "$spid"
		assertEquals "$who" 0 "$rc"
		assertEquals "$who" "true 4294967295 null Permission denied" "$(printf '%s' "$out" | jq -r '"\(.uid_map[0].unmapped_here) \(.uid_map[0].outside) \(.user_ns.ns) \(.user_ns.error)"')"
		assertEquals "$who" "${NS_NOTE#note: }" "$(printf '%s' "$out" | jq -r .user_ns.note)"
	done
}

# nsinfo PID asks for the links: one that cannot be read is exit 1.  nsinfo -m
# asks for the maps: read, they are exit 0, the link a note (nsinfo(1) EXIT STATUS).
testMapsUnreadableLinkIsANote() {
	require_root "a process of root's, which the unprivileged user may not read" || return
	sleeper rootproc || return
	run as_user nsinfo "$spid"
	assertEquals 1 "$rc"
	run as_user nsinfo -m "$spid"
	assertEquals "$err" 0 "$rc"
	assertContains "$out" "in a user namespace that cannot be read (Permission denied)"
	assertContains "$out" "$NS_NOTE"
	assertNull "$err"
	# The same PID twice: one process, one line about it.
	run as_user nsinfo "$spid" "$spid"
	assertEquals 1 "$rc"
	assertEquals "nsinfo: PID $spid: 10 of 10 namespace links could not be read (Permission denied)" \
		"$(printf '%s\n' "$err" | sed 's/[0-9]* of [0-9]*/10 of 10/')"
	assertEquals 1 "$(printf '%s\n' "$err" | wc -l)"
}

# -m fails when the maps themselves cannot be read: a process that is gone,
# or a zombie, is testExitedProcesses; an unreadable uid_map is this.
testMapsUnreadableMapExits1() {
	require_root "binds over a process's uid_map in a mount namespace of the host's root, then switches to uid 65534" || return
	sleeper unreadable || return
	: >"$SCRATCH/unreadable" && chmod 000 "$SCRATCH/unreadable"
	# Bound over the sleeper's uid_map in a mount namespace of the test's own.
	run unshare -m sh -c 'mount --bind "$1" "/proc/$2/uid_map" &&
		exec setpriv --reuid=65534 --regid=65534 --clear-groups "$3" -m "$2"' \
		sh "$SCRATCH/unreadable" "$spid" "$NOBODY_BIN/nsinfo"
	assertEquals "$err" 1 "$rc"
	assertNull "$out"
	assertEquals "nsinfo: read /proc/$spid/uid_map: Permission denied" "$err"
}

# A map line inside a range /etc/subuid grants the owner is named as such.
# The files are bound over /etc/subuid and /etc/subgid in a mount namespace
# of the test's own, so the host's stay as they are.
testMapsNamesSubordinateRange() {
	require_root "binds test grants over /etc/subuid and /etc/subgid, and maps ranges of the host's uids" || return
	[ -e /etc/subuid ] && [ -e /etc/subgid ] || { skip "no /etc/subuid or /etc/subgid to bind over"; return; }
	sleeper sub "$BIN/usernsselfmap" --uid-map 0:0:1 --uid-map 1:100000:65535 \
		--gid-map 0:0:1 --gid-map 1:100000:65535 || return
	echo "root:100000:65536" >"$SCRATCH/subuid"
	echo "0:100000:65536" >"$SCRATCH/subgid"
	run unshare -m sh -c 'mount --bind "$1/subuid" /etc/subuid && mount --bind "$1/subgid" /etc/subgid &&
		exec "$2" -m "$3"' sh "$SCRATCH" "$NSINFO" "$spid"
	assertEquals "$err" 0 "$rc"
	assertContains "$out" "uids 1-65535 inside are uids 100000-165534 outside: the range /etc/subuid grants you (uid 0)"
	assertContains "$out" "gids 1-65535 inside are gids 100000-165534 outside: the range /etc/subgid grants you (uid 0)"
	assertContains "$out" "uid 0 inside is uid 0 outside"
	assertNotContains "$out" "uid 0 inside is uid 0 outside: the range"
	# Without a grant, no such words.
	run "$NSINFO" -m "$spid"
	assertNotContains "$out" "grants"
}

# --- a 64 KiB stack, as prlimit --stack=65536 sets it (nslab(7), STACK) ---

# The kernel puts the stack's start at a random offset (up to 8 KiB on x86),
# so each mode runs several times; a crash is a signal, never an answer.
testSmallStack() {
	stack=65536
	for who in "" as_user; do
		tool=$NSINFO
		[ -n "$who" ] && tool=nsinfo
		for mode in "" "-J" "$$ $$" "-a" "-a -J" "-m" "-T" "-T -J" "-c" "-c -J"; do
			i=0
			while [ $i -lt 6 ]; do
				run $who prlimit --stack=$stack "$tool" $mode
				[ "$rc" -lt 128 ] || { fail "$who nsinfo $mode: killed at a $stack-byte stack (status $rc)"; break; }
				i=$((i + 1))
			done
		done
	done
}

# --- capabilities: --caps and --can, each answer checked against the kernel ---

# The sets of this shell by name; setpriv(1) names the bounding set too.
testCapsNamesTheSets() {
	run "$NSINFO" --caps $$
	assertEquals "$err" 0 "$rc"
	user=$(ino /proc/$$/ns/user)
	printf '%s\n' "$out" | head -n 1 | grep -qE "^PID $$ \(bash\), euid $(id -u), in user:\[$user\]" ||
		fail "first line: $out"
	for set in effective permitted inheritable bounding ambient; do
		printf '%s\n' "$out" | grep -qE "^$set +" || fail "no $set line: $out"
	done
	run "$NSINFO" -J --caps $$
	want=$(setpriv -d | sed -n 's/^Capability bounding set: //p' | tr ',' '\n' | sed 's/^/CAP_/' | tr a-z A-Z)
	assertEquals "bounding set as setpriv -d names it" "$want" "$(printf '%s' "$out" | jq -r '.bounding[]')"
	eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/$$/status)
	n=0; v=$((16#$eff)); while [ "$v" != 0 ]; do n=$((n + (v & 1))); v=$((v >> 1)); done
	assertEquals "as many names as CapEff has bits" "$n" "$(printf '%s' "$out" | jq '.effective | length')"
	assertEquals "$user" "$(printf '%s' "$out" | jq '.user_ns.ns')"
}

testCapsUnprivileged() {
	require_userns || return
	run as_user nsinfo --caps
	assertEquals "$err" 0 "$rc"
	printf '%s\n' "$out" | grep -qE '^effective +none$' || fail "an ordinary user has effective capabilities: $out"
	# Root in a user namespace of its own: a full effective set, counting there and below.
	run as_user usernsselfmap nsinfo -J --caps
	assertEquals "$err" 0 "$rc"
	assertEquals "CAP_SYS_ADMIN in the new user namespace" true \
		"$(printf '%s' "$out" | jq '.effective | index("CAP_SYS_ADMIN") != null')"
	assertEquals false "$(printf '%s' "$out" | jq '.user_ns.initial')"
}

# with_bin CMD...: CMD with bin/ first in PATH, as as_user has it for its copy.
with_bin() { env PATH="$BIN:$PATH" "$@"; }

# can_try WRAPPER... -- CAP KIND OPERATION: in the shell WRAPPER starts,
# ask nsinfo --can about that shell and its own KIND namespace, then do the
# operation: $out holds the answer, then "can=N" and "op=N".
can_try() {
	w=
	while [ "$1" != -- ]; do w="$w $1"; shift; done
	shift
	# shellcheck disable=SC2086
	run $w sh -c 'nsinfo --can $$ "$1" "$$:$2"; echo "can=$?"; sh -c "$3" >/dev/null 2>&1; echo "op=$?"' \
		sh "$1" "$2" "$3"
}

# The TenForward article: root in a new user namespace, still in the
# host's network namespace, is refused what CAP_NET_ADMIN allows there
# (the article downs eth0; `ip link set lo up` asks the same check and
# changes nothing were it allowed).
assert_tenforward() {
	can_try "$@" usernsselfmap -- CAP_NET_ADMIN net 'ip link set lo up'
	assertEquals "$err" 0 "$rc"
	assertEquals "no: PID" "$(printf '%s\n' "$out" | head -n 1 | cut -c1-7)"
	printf '%s\n' "$out" | grep -qF 'has capabilities only in its own user namespace and those below it' ||
		fail "no why: $out"
	printf '%s\n' "$out" | grep -qx 'can=1' || fail "--can exit status: $out"
	printf '%s\n' "$out" | grep -qx 'op=0' && fail "the kernel allowed it: $out"
	run "$@" usernsselfmap sh -c 'nsinfo -J --can $$ CAP_NET_ADMIN $$:net'
	assertEquals "false not_ancestor" "$(printf '%s' "$out" | jq -r '"\(.answer) \(.rule)"')"
}

testCanTenForwardRefused() {
	require_root "the same question asked as the host's root (the Unprivileged test asks it as you)" || return 0
	assert_tenforward with_bin
}

testCanTenForwardRefusedUnprivileged() {
	require_userns || return
	assert_tenforward as_user
}

# The veth of the article works in a network namespace the new user namespace owns.
assert_veth_allowed() {
	can_try "$@" usernsselfmap nsnet -- CAP_NET_ADMIN net 'ip link add nsinfo-v0 type veth peer name nsinfo-v1'
	assertEquals "$err" 0 "$rc"
	assertEquals "yes: PID" "$(printf '%s\n' "$out" | head -n 1 | cut -c1-8)"
	printf '%s\n' "$out" | grep -qF 'the owner, and CAP_NET_ADMIN is in its effective set' || fail "no why: $out"
	printf '%s\n' "$out" | grep -qx 'can=0' || fail "--can exit status: $out"
	printf '%s\n' "$out" | grep -qx 'op=0' || fail "the kernel refused the veth: $out"
}

testCanVethInOwnNetns() {
	require_root "the same question asked as the host's root (the Unprivileged test asks it as you)" || return 0
	assert_veth_allowed with_bin
}

testCanVethInOwnNetnsUnprivileged() {
	require_userns || return
	assert_veth_allowed as_user
}

# mount(2) on a host path: refused in the host's mount namespace, allowed in one nsmount made.
assert_mount() {
	mkdir -p "$SCRATCH/mnt" && chmod 777 "$SCRATCH/mnt"
	can_try "$@" usernsselfmap -- CAP_SYS_ADMIN mnt "mount -t tmpfs none '$SCRATCH/mnt'"
	assertEquals "$err" 0 "$rc"
	assertEquals "no: PID" "$(printf '%s\n' "$out" | head -n 1 | cut -c1-7)"
	printf '%s\n' "$out" | grep -qx 'can=1' || fail "--can exit status: $out"
	printf '%s\n' "$out" | grep -qx 'op=0' && fail "the kernel allowed the mount: $out"
	can_try "$@" usernsselfmap nsmount -t "$SCRATCH/mnt" -- CAP_SYS_ADMIN mnt "mount -t tmpfs none '$SCRATCH/mnt'"
	assertEquals "yes: PID" "$(printf '%s\n' "$out" | head -n 1 | cut -c1-8)"
	printf '%s\n' "$out" | grep -qx 'can=0' || fail "--can exit status: $out"
	printf '%s\n' "$out" | grep -qx 'op=0' || fail "the kernel refused the mount: $out"
}

testCanMountOnAHostPath() {
	require_root "the same question asked as the host's root (the Unprivileged test asks it as you)" || return 0
	assert_mount with_bin
}

testCanMountOnAHostPathUnprivileged() {
	require_userns || return
	assert_mount as_user
}

# The owner's euid, from the parent: every capability in the user namespace
# it made, which setns(2) into it then needs (CAP_SYS_ADMIN there; nsenter
# keeps its credentials: setgroups is denied in the namespace unshare -r made).
testCanOwnerFromTheParent() {
	require_userns || return
	run as_user sh -c 'unshare -Ur sleep 600 & p=$!; until [ "$(readlink /proc/$p/ns/user)" != "$(readlink /proc/$$/ns/user)" ]; do sleep 0.05; done
		nsinfo --can $$ CAP_SYS_ADMIN $p:user; echo "can=$?"; nsenter --preserve-credentials --user --target $p true; echo "op=$?"; kill $p'
	assertEquals "$err" 0 "$rc"
	printf '%s\n' "$out" | head -n 1 | grep -q '^yes: ' || fail "$out"
	printf '%s\n' "$out" | grep -qF "owns user:[" || fail "no owner rule: $out"
	printf '%s\n' "$out" | grep -qx 'can=0' || fail "$out"
	printf '%s\n' "$out" | grep -qx 'op=0' || fail "the kernel refused setns: $out"
}

testCanMisuse() {
	run "$NSINFO" --can $$ CAP_BOGUS $$:net
	assertEquals 2 "$rc"
	assertEquals "nsinfo: 'CAP_BOGUS': not a capability (CAP_NET_ADMIN, net_admin or 12)" "$err"
	run "$NSINFO" --can $$
	assertEquals 2 "$rc"
	run "$NSINFO" --can $$ CAP_NET_ADMIN /etc/passwd
	assertEquals 1 "$rc"
	assertEquals "nsinfo: /etc/passwd: not a namespace (a file of nsfs: /proc/PID/ns/TYPE, /run/netns/NAME, or PID:TYPE)" "$err"
	# A FIFO is not opened for reading: no wait for a writer.
	mkfifo "$SCRATCH/can.fifo"
	run timeout 10 "$NSINFO" --can $$ CAP_NET_ADMIN "$SCRATCH/can.fifo"
	assertEquals 1 "$rc"
	run "$NSINFO" --caps 1 2
	assertEquals 2 "$rc"
	run "$NSINFO" --caps -t net
	assertEquals 2 "$rc"
}

# --- errors ---

# assert_error STATUS ARG...: one line on stderr, "nsinfo: ", nothing on stdout.
assert_error() {
	want=$1; shift
	run "$NSINFO" "$@"
	assertEquals "nsinfo $*: exit status; stderr: $err" "$want" "$rc"
	assertNull "nsinfo $*: printed on stdout: $out" "$out"
	assert_err_prefix nsinfo
	assertEquals "nsinfo $*: one line: $err" 1 "$(printf '%s\n' "$err" | wc -l)"
}

# A PID no process has: below pid_max, not in /proc.
free_pid() {
	p=$(($(cat /proc/sys/kernel/pid_max) - 1))
	while [ -e "/proc/$p" ]; do p=$((p - 1)); done
	echo $p
}

testBadPids() {
	assert_error 1 0
	assert_error 1 99999999999
	assert_error 1 "$(free_pid)"
	assert_error 2 abc
	assert_error 2 12abc
	assert_error 2 ' 12'
	assert_error 2 ''
	assert_error 2 -1
	assert_error 2 -- -1
	assert_error 2 -m abc
	assert_error 1 -m 0
	assert_error 1 $$ "$(free_pid)"
	assert_error 2 $$ abc
	run "$NSINFO" abc
	assertContains "$err" "'abc': not a process ID"
	run "$NSINFO" "$(free_pid)"
	assertContains "$err" "no such process"
}

testMisuse() {
	assert_error 2 --bogus
	assert_error 2 --t
	assertEquals "nsinfo: option '--t' is ambiguous: it may be --task, --tree, --type (see 'nsinfo --help')" "$err"
	assert_error 2 -x
	assert_error 2 -a -t bogus
	assert_error 2 -m -t net
	assert_error 2 -p
	assert_error 2 -p abc
	assert_error 2 -p 1 -p 2 3
	assert_error 2 -a -p 1
	assert_error 2 --dot -J
	assert_error 2 --dot 1
	assert_error 2 --dot -a
	assert_error 2 --tree=bogus
	assert_error 2 -a -t
	assert_error 2 -a 1
	assert_error 2 -T 1
	assert_error 2 -c 1
	assert_error 2 -m 1 2
	assert_error 2 1 2 3
	assert_error 2 -a -c
	assert_error 2 -m -T
}

# A process that has gone, or is a zombie: an error, never stale rows.
testExitedProcesses() {
	# Gone in a PID namespace of its own ($GONE): its number is not reused.
	real=$NSINFO NSINFO=$GONE
	assert_error 1 "$real" $GONE_PID
	assert_error 1 "$real" -m $GONE_PID
	NSINFO=$real
	# The child exits once its parent is sleep, which never reaps it.
	f=$PIDS/zparent
	sh -c "$ZOMBIE_CHILD"' echo $! >"$0.child"; echo $$ >"$0"; exec sleep 600' "$f" </dev/null >/dev/null 2>&1 &
	wait_sleeper "$f" || return
	zombie=$(cat "$f.child")
	poll sh -c '[ "$(sed -n "s/^State:[[:space:]]*\(.\).*/\1/p" /proc/$1/status)" = Z ]' sh "$zombie" || return
	assert_error 1 "$zombie"
	assertContains "$err" "zombie"
	assert_error 1 $$ "$zombie"
	assert_error 1 -m "$zombie"
}

testWriteErrorReported() {
	[ -w /dev/full ] || { skip "no /dev/full"; return; }
	"$NSINFO" -a >/dev/full 2>"$SCRATCH/err"
	rc=$?
	assertEquals 1 "$rc"
	assertContains "$(cat "$SCRATCH/err")" "nsinfo: write standard output: No space left on device"
	# -h and -V too: their output is all they do.
	for opt in -h -V; do
		"$NSINFO" $opt >/dev/full 2>"$SCRATCH/err"
		assertEquals "$opt >/dev/full" 1 $?
		assertEquals "nsinfo: write standard output: No space left on device" "$(cat "$SCRATCH/err")"
		"$NSINFO" $opt >&- 2>"$SCRATCH/err"
		assertEquals "$opt >&-" 1 $?
		assertEquals "nsinfo: write standard output: Bad file descriptor" "$(cat "$SCRATCH/err")"
	done
}

testHelpAndVersion() {
	run "$NSINFO" --help
	assertEquals 0 "$rc"
	assertContains "$out" "usage: nsinfo"
	run "$NSINFO" -V
	assertEquals 0 "$rc"
	assertContains "$out" "nsinfo (nslab) "
}

# shellcheck source=/dev/null
. shunit2
