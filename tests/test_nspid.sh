# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# nspid: a new PID namespace with the command as PID 1 and nspid outside as
# its keeper, as root and as an unprivileged user (uid 65534 when run as
# root) under usernsselfmap.  The oracles are the kernel's: /proc/PID/ns/pid
# and the NSpid line of /proc/PID/status on the host, the children of a
# process (/proc/PID/task/PID/children), ps(1) inside, and
# /proc/self/mountinfo inside and on the host.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

setUp() { host_snapshot; rm -f "$MARKER"; }
tearDown() {
	# A keeper a test left running (it failed half-way) goes with its namespace.
	[ -n "${kp:-}" ] && kill -KILL "$kp" 2>/dev/null
	[ -n "${bg:-}" ] && wait "$bg" 2>/dev/null
	kp='' bg=''
	assert_host_unchanged
}
unset NSLAB_VERBOSE

# The tool under test: as the caller (root, or anyone else under
# usernsselfmap: ns_root), or with U=1 as the unprivileged user under
# usernsselfmap (uid 65534 when root runs the suite).
pid_ns() {
	if [ -n "${U:-}" ]; then as_user usernsselfmap nspid "$@"; else ns_root "$BIN/nspid" "$@"; fi
}
ROOT_ONLY="CLONE_NEWPID without a user namespace takes CAP_SYS_ADMIN on the host"


# A child of process $1 whose command name is $2, in $kid.  Besides PID 1,
# the keeper's children include its watcher, an nspid too, forked first:
# with $2 nspid, the child in another PID namespace than $1 is meant.
child_is() {
	for kid in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
		[ "$(cat "/proc/$kid/comm" 2>/dev/null)" = "$2" ] || continue
		[ "$2" != nspid ] || [ "$(readlink /proc/$kid/ns/pid)" != "$(readlink /proc/$1/ns/pid)" ] ||
			continue
		return 0
	done
	kid=
	return 1
}
gone() { ! [ -e "/proc/$1" ]; }
# From the background job $bg down its first children to the first nspid:
# the keeper, in $kp (as_user and ns_root are shell functions, so $! is a subshell).
# The chain above it execs its way to nspid, so the walk may pass the keeper
# while it is still usernsselfmap and meet one of its children, PID 1 before
# exec or the watcher, both nspid: the keeper is then that one's parent.
keeper_found() {
	kp=$bg
	while [ "$(cat "/proc/$kp/comm" 2>/dev/null)" != nspid ]; do
		kp=$(cat "/proc/$kp/task/$kp/children" 2>/dev/null | awk '{print $1}')
		[ -n "$kp" ] || return 1
	done
	up=$(awk '{print $4}' "/proc/$kp/stat" 2>/dev/null)
	[ "$(cat "/proc/$up/comm" 2>/dev/null)" != nspid ] || kp=$up
}
# start ARGS...: nspid ARGS in the background; $kp is its keeper once it runs $2... .
start() {
	want=$1; shift
	pid_ns "$@" </dev/null & bg=$!
	poll keeper_found && poll child_is "$kp" "$want"
}
# stop SIG: send SIG to the keeper, and $rc is its status.
stop() {
	kill "-$1" "$kp"; wait "$bg"; rc=$?
	kp='' bg=''
}

# --- the namespace

pid1() {
	run pid_ns sh -c 'echo $$; readlink /proc/self/ns/pid; ps -e -o pid=,comm='
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "the command is PID 1" 1 "$(printf '%s\n' "$out" | sed -n 1p)"
	assertNotEquals "a new PID namespace" "$(readlink /proc/self/ns/pid)" \
		"$(printf '%s\n' "$out" | sed -n 2p)"
	# The fresh /proc shows the namespace's two processes and nothing else.
	assertEquals "ps inside: $out" "1 sh|ps" \
		"$(printf '%s\n' "$out" | sed -n '3,$p' | awk '$1 == 1 {print $1, $2; next} {print $2}' | paste -sd'|')"
}
testPid1AsRoot() { require_root "$ROOT_ONLY" || return; pid1; }
testPid1Unprivileged() { require_userns || return; U=1 pid1; }

# The keeper stays in the caller's namespace; the child is PID 1 of the
# new one, which the kernel's NSpid line shows from the host.
keeper_outside() {
	start sleep sleep 1000 || return
	assertEquals "the keeper stays outside" "$(readlink /proc/self/ns/pid)" "$(readlink /proc/$kp/ns/pid)"
	assertNotEquals "the child is inside" "$(readlink /proc/self/ns/pid)" "$(readlink /proc/$kid/ns/pid)"
	assertEquals "NSpid: outside and 1" "$kid 1" \
		"$(awk '/^NSpid:/ {print $(NF-1), $NF}' /proc/$kid/status)"
	stop TERM
	assertEquals "SIGTERM's status" 143 "$rc"
}
testKeeperOutsideAsRoot() { require_root "$ROOT_ONLY" || return; keeper_outside; }
testKeeperOutsideUnprivileged() { require_userns || return; U=1 keeper_outside; }

testFreshProcInPrivateMountNamespace() {
	require_userns || return
	run pid_ns sh -c 'readlink /proc/self/ns/mnt; cat /proc/self/mountinfo'
	assertEquals "stderr: $err" 0 "$rc"
	assertNotEquals "a mount namespace of its own" "$(readlink /proc/self/ns/mnt)" \
		"$(printf '%s\n' "$out" | sed -n 1p)"
	# Every mount private (no shared: tag) before the new /proc was made.
	assertEquals "shared mounts inside: $out" 0 \
		"$(printf '%s\n' "$out" | sed 1d | grep -c ' shared:')"
	assertTrue "a proc on /proc inside" \
		"printf '%s\n' \"\$out\" | sed 1d | awk '\$5 == \"/proc\" && / - proc /' | grep -q ."
}

testNoProcKeepsTheOldOne() {
	require_userns || return
	run pid_ns --no-proc sh -c "echo \$\$; readlink /proc/self/ns/mnt; test -d /proc/$$ && echo host-visible"
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "PID 1 all the same" 1 "$(printf '%s\n' "$out" | sed -n 1p)"
	assertEquals "no mount namespace" "$(readlink /proc/self/ns/mnt)" "$(printf '%s\n' "$out" | sed -n 2p)"
	assertEquals "the host's processes show" host-visible "$(printf '%s\n' "$out" | sed -n 3p)"
}

# --- statuses and signals

statuses() {
	run pid_ns sh -c 'exit 7'
	assertEquals "the command's status" 7 "$rc"
	run pid_ns --init sh -c 'exit 7'
	assertEquals "--init: the command's status" 7 "$rc"
	# PID 1 cannot kill itself; PID 2 under --init can.
	run pid_ns --init sh -c 'kill -KILL $$'
	assertEquals "--init: 128+9" 137 "$rc"
	for init in "" --init; do
		run pid_ns $init nslab-no-such-command
		assertEquals "$init: not found" 127 "$rc"
		assertEquals "$init: one line: $err" "nspid: exec nslab-no-such-command: No such file or directory" "$err"
		printf '#!/bin/sh\ntouch %s\n' "$MARKER" >"$SCRATCH/noexec"; chmod 644 "$SCRATCH/noexec"
		run pid_ns $init "$SCRATCH/noexec"
		assertEquals "$init: not executable" 126 "$rc"
		assert_not_run
	done
}
testStatusesAsRoot() { require_root "$ROOT_ONLY" || return; statuses; }
testStatusesUnprivileged() { require_userns || return; U=1 statuses; }

# PID 1 with no handler ignores SIGTERM even from the keeper: the keeper
# sends SIGKILL in its place, says why under -v, and exits 128+15.
no_handler() {
	start sleep -v sleep 1000 2>"$SCRATCH/v" || return
	stop TERM
	assertEquals "128+SIGTERM" 143 "$rc"
	assertTrue "PID 1 is gone" "gone $kid"
	assertContains "$(cat "$SCRATCH/v")" "nspid: SIGTERM: PID 1 (pid $kid here) has no handler for it and would ignore it: kill($kid, SIGKILL) = 0"
}
testNoHandlerKilledAsRoot() { require_root "$ROOT_ONLY" || return; no_handler; }
testNoHandlerKilledUnprivileged() { require_userns || return; U=1 no_handler; }

# A PID 1 that traps the signal gets it relayed, once, and exits its own way.
# SIGTERM is sent once the USR1 trap has run: dash runs pending traps at the
# start of every command, so a TERM arriving just as the USR1 trap begins
# would run first (usr1=0), whatever order the keeper relayed them in.
testHandlerRelayed() {
	require_userns || return
	start sh sh -c 'n=0; trap "n=\$((n+1)); echo >>'"$SCRATCH"'/usr1" USR1
		trap "echo usr1=\$n; exit 5" TERM
		sleep 1000 & while :; do wait; done' >"$SCRATCH/o" || return
	poll catches "$kid" 15 || return
	kill -USR1 "$kp"
	poll test -s "$SCRATCH/usr1" || return
	stop TERM
	assertEquals "the trap's status" 5 "$rc"
	assertEquals "USR1 relayed once" "usr1=1" "$(cat "$SCRATCH/o")"
}

# Ctrl-C at a terminal (script(1) gives us one): the kernel signals the
# whole foreground group, keeper and PID 1.  A PID 1 without a handler is
# killed in its place (130); one with a handler gets SIGINT once, not twice.
# $1: the command for nspid, which touches $SCRATCH/ready once it may be hit.
# script(1) runs its command with $SHELL, which gets the SIGINT too: bash
# waits for nspid and goes on when it exited (130) rather than died of the
# signal; dash, /bin/sh where $SHELL is unset, dies at once and never writes
# the status.  A run started in the background (`make check &`) ignores
# SIGINT, and so would everything it starts: env(1) restores the default.
ctrl_c() {
	rm -f "$SCRATCH/ready" "$SCRATCH/rc"
	{
		poll test -e "$SCRATCH/ready"
		printf '\003'
		poll test -e "$SCRATCH/rc"
	} | SHELL=/bin/bash script -qec "env --default-signal=INT ${NS_ROOT[*]:+'${NS_ROOT[*]}' }'$BIN/nspid' $1; echo \$? >'$SCRATCH/rc'" /dev/null >"$SCRATCH/tty" 2>&1
	rc=$(cat "$SCRATCH/rc")
}
testCtrlCFromTheTerminal() {
	require_userns || return
	ctrl_c "sh -c 'touch $SCRATCH/ready; exec sleep 1000'"
	assertEquals "no handler: killed, as by SIGINT" 130 "$rc"
	# Not `sleep 1000 & wait`: a SIGINT that lands between the touch and the
	# wait runs the trap before wait starts, and wait then waits for ever.
	ctrl_c "sh -c 'trap \"echo INT; got=1\" INT; touch $SCRATCH/ready; while [ -z \"\$got\" ]; do sleep 0.1; done; exit 3'"
	assertEquals "the handler's shell went on" 3 "$rc"
	assertEquals "SIGINT once: $(cat "$SCRATCH/tty")" 1 "$(tr -d '\r' <"$SCRATCH/tty" | grep -c 'INT$')"
}

# timeout(1) stops a PID 1 that has no handler: the keeper makes it work.
testTimeout() {
	require_userns || return
	run timeout -s INT 1 "${NS_ROOT[@]}" "$BIN/nspid" sleep 1000
	assertEquals "timeout's status" 124 "$rc"
	run timeout 1 "${NS_ROOT[@]}" "$BIN/nspid" --init sleep 1000
	assertEquals "--init: timeout's status" 124 "$rc"
}

# The child dies with the keeper (PR_SET_PDEATHSIG), and so does the namespace.
testChildDiesWithKeeper() {
	require_userns || return
	start sleep sleep 1000 || return
	stop KILL
	poll gone "$kid"
}

# --- dying with the keeper, whatever the command does

# ends_soon PID: PID is gone within a minute (a hang guard, not a timing:
# the kernel ends it as soon as it runs); else it is killed, and false.
ends_soon() {
	n=0
	while [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; do
		n=$((n + 1))
		[ $n -lt 1200 ] || { kill -KILL "$1" 2>/dev/null; return 1; }
		sleep 0.05
	done
}

# A command that changes its uids loses PR_SET_PDEATHSIG; the watcher,
# outside, kills PID 1 when the keeper dies of SIGKILL.
testPid1DiesWithKilledKeeperAfterUidChange() {
	require_root "setpriv --reuid=65534 takes CAP_SETUID on the host" || return
	start sleep setpriv --reuid=65534 --regid=65534 --clear-groups sleep 1000 || return
	assertEquals "the command changed its uid" 65534 "$(awk '/^Uid:/ {print $2}' /proc/$kid/status)"
	stop KILL
	assertTrue "PID 1 ($kid) outlived its killed keeper" "ends_soon $kid"
}

# A filter that makes wait4 fail: the keeper kills the child and exits
# 125, rather than waiting for ever.
testWaitFailureEnds() {
	"$TBIN/helpers/seccomp_deny_ns" --wait-echild "${NS_ROOT[@]}" "$BIN/nspid" sleep 1000 \
		</dev/null >"$SCRATCH/o" 2>"$SCRATCH/e" & bg=$!
	poll keeper_found && poll child_is "$kp" sleep || return
	kill -TERM "$kp"
	if ends_soon "$bg"; then wait "$bg"; rc=$?; else rc=hung; fi
	kp='' bg=''
	err=$(cat "$SCRATCH/e")
	assertEquals "stderr: $err" 125 "$rc"
	assertContains "$err" "nspid: wait for PID "
	assertTrue "PID 1 is gone" "ends_soon $kid"
}

# A refused PR_SET_PDEATHSIG is a step that failed: 125, not run.
testDeathSignalRefused() {
	for init in "" --init; do
		run "$TBIN/helpers/seccomp_deny_ns" --deny-pdeathsig "${NS_ROOT[@]}" "$BIN/nspid" $init touch "$MARKER"
		assert_refused nspid "prctl(PR_SET_PDEATHSIG, SIGKILL): Operation not permitted"
	done
}

# kill -TSTP (as the terminal's Ctrl-Z sends it): PID 1 without a handler
# would ignore it, so the keeper stops it with SIGSTOP, then stops itself;
# SIGCONT to the keeper continues both.
state() { awk '{print $3}' "/proc/$1/stat" 2>/dev/null; }
stopped() { [ "$(state "$1")" = T ]; }
running() { [ "$(state "$1")" != T ]; }
stops() {
	start sleep sleep 1000 || return
	kill -TSTP "$kp"
	poll stopped "$kp" || return
	assertTrue "PID 1 stopped with its keeper" "poll stopped $kid"
	kill -CONT "$kp"
	poll running "$kp" || return
	assertTrue "PID 1 continued with its keeper" "poll running $kid"
	stop TERM
	assertEquals "128+SIGTERM" 143 "$rc"
}
testStopAndContinueAsRoot() { require_root "$ROOT_ONLY" || return; stops; }
testStopAndContinueUnprivileged() { require_userns || return; U=1 stops; }

# With /proc of another PID namespace (nspid is PID 1 of unshare's), the
# keeper still finds PID 1's handlers, through its pidfd: SIGTERM to a
# sleep is SIGKILL in its place, and the keeper ends with 143.
testForeignProc() {
	u=; [ "$(id -u)" = 0 ] || u=-Ur
	unshare $u -p -f "$BIN/nspid" --no-proc sleep 1000 </dev/null & bg=$!
	poll keeper_found && poll child_is "$kp" sleep || return
	kill -TERM "$kp"
	if ends_soon "$bg"; then wait "$bg"; rc=$?; else rc=hung; kill -KILL "$kid"; fi
	kp='' bg=''
	assertEquals "128+SIGTERM" 143 "$rc"
}

# --- init and reaping

# Without --init an orphan's zombie stays: PID 1 (sleep) never waits for it.
# The orphan outlives its parent and ends once the command has become sleep,
# so that the shell it was cannot reap it first.
ORPHAN='(sh -c "until grep -q sleep /proc/$$/comm; do sleep 0.01; done" &); exec sleep 1000'
testZombieWithoutInit() {
	require_userns || return
	start sleep sh -c "$ORPHAN" || return
	p1=$kid
	poll child_is "$p1" sh || return
	poll eval "[ \"\$(awk '{print \$3}' /proc/$kid/stat)\" = Z ]"
}

# With --init, PID 1 reaps it: only the command is left below PID 1.
init_reaps() {
	start nspid --init sh -c "$ORPHAN" || return
	p1=$kid
	poll child_is "$p1" sleep || return
	poll eval "[ \"\$(cat /proc/$p1/task/$p1/children)\" = '$kid ' ]"
	assertEquals "PID 1 is the init" nspid "$(cat /proc/$p1/comm)"
	assertEquals "the command is PID 2" "$kid 2" "$(awk '/^NSpid:/ {print $(NF-1), $NF}' /proc/$kid/status)"
	# The init forwards what the keeper relays: sleep dies of SIGTERM.
	stop TERM
	assertEquals "128+SIGTERM" 143 "$rc"
}
testInitReapsAsRoot() { require_root "$ROOT_ONLY" || return; init_reaps; }
testInitReapsUnprivileged() { require_userns || return; U=1 init_reaps; }

# The keeper's pipes and signalfd are close-on-exec: the command starts
# with 0, 1 and 2 only, as after every chain tool.
testOnlyStandardDescriptors() {
	require_userns || return
	for init in "" --init; do
		assert_std_fds "${NS_ROOT[@]}" "$BIN/nspid" $init
	done
}

testVerboseNarrates() {
	require_userns || return
	run pid_ns -v true
	assertEquals "stderr: $err" 0 "$rc"
	for s in 'nspid: unshare(CLONE_NEWPID) = 0' 'nspid:   $ unshare --pid --fork' \
		'nspid: fork() = ' 'nspid:   $ mount --make-rprivate /' \
		'nspid: mount("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL) = 0' \
		'nspid: execvp("true", ...)'; do
		assertContains "$err" "$s"
	done
	# --mount-proc would make a second mount namespace and /proc when typed
	# before the narrated mount steps.
	assertNotContains "$err" "--mount-proc"
	run pid_ns true
	assertNull "quiet without -v: $err" "$err"
}

# shellcheck source=/dev/null
. shunit2
