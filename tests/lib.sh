# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Sourced by every suite (tests/test_*.sh) before it sources shunit2.
#
#   TOP, BIN        the tree and its bin/ (as root, tests run tools from here)
#   NOBODY_BIN      a copy of bin/ that uid 65534 can read and execute
#   NOBODY_HOME     a home directory owned by 65534
#   MARKER          a path anyone may create: a command that must not run
#                   touches it, and assert_not_run checks it is absent
#   as_user CMD     run CMD as an unprivileged user: as root, uid/gid 65534
#                   with no groups (as_nobody); as anyone else, the caller
#                   itself -- already unprivileged.  The same clean
#                   environment either way (PATH=$NOBODY_BIN:..., HOME=
#                   $NOBODY_HOME, LANG=C).  For tests whose meaning is "an
#                   unprivileged user", so that they run for everyone.
#   USER_UID, USER_GID   the ids as_user runs CMD with (65534 65534 as root)
#   ns_root CMD     run CMD with the privilege to make namespaces, in this
#                   process (exec, no fork): as root CMD itself, as anyone
#                   else under $BIN/usernsselfmap, root of a new user namespace;
#                   "${NS_ROOT[@]}" CMD the same as a simple command (so that
#                   `... &` makes $! the process, not a subshell)
#   as_nobody CMD   run CMD as uid/gid 65534, no groups, PATH=$NOBODY_BIN:...;
#                   only root can switch: anyone else skips the test, saying
#                   so.  Only for tests that need that uid itself.
#   run CMD         run CMD, keep its status in $rc, stdout in $out, stderr in $err
#   closed CMD      run CMD with only descriptors 0, 1 and 2 open
#   assert_std_fds CHAIN   the command after CHAIN has only 0, 1 and 2
#   skip REASON     skip the rest of this test, saying why; under CI=true a
#                   skip is a failure, so a suite can never go green by skipping
#                   -- except, with NSLAB_USER_RUN=1 and not root, a skip whose
#                   REASON starts "needs root" (the ordinary user's CI run)
#   require_root [WHY]   skip "needs root: WHY" (or fail under CI) unless root;
#                   WHY names the privilege, e.g. "creates links in the host's
#                   network namespace"
#   require_userns  skip (or fail under CI) when user namespaces are refused
#   host_snapshot / assert_host_unchanged   the host's links, addresses,
#                   mounts and netns names this suite could have made there
#   poll CMD...     run CMD until it succeeds: for what is certain to happen,
#                   however loaded the machine (no deadline; a hang guard only)
#   $GONE CMD...    run CMD in a new PID namespace where PID $GONE_PID is a
#                   process that came and went, and cannot have been reused
#   assert_refused [-1] TOOL [TEXT]   exit 125, "TOOL: " errors (-1: one line
#                   besides hints), TEXT in the first line, $MARKER absent

TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/bin
# shellcheck disable=SC2034 # for the suites that source this file
TBIN=$TOP/build/tests
export SHUNIT_COLOR=none
NOBODY=65534
SYSPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# What tests/prereqs.sh fetched for an ordinary user, after the system's.
[ ! -d "$TOP/build/prereqs/bin" ] || SYSPATH=$SYSPATH:$TOP/build/prereqs/bin
# An ordinary user's PATH may lack the sbin directories Debian puts ip(8) in.
PATH=$PATH:$SYSPATH
# The suite's own output: a skip found inside `run` is reported there too.
exec 7>&1
# Sanitizer builds: a report is a failure, a leak too.  LeakSanitizer's
# check cannot stop the world in some of the namespaces we make (a PID
# namespace for children, a root without /proc): there a hook linked into
# every program turns it off (tests/lsan_hook.c).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# One scratch directory per suite, readable by 65534.  shunit2 takes the EXIT
# trap for itself, so the suite's oneTimeTearDown removes it; a suite that
# defines its own must call nslab_cleanup.  Under tests/run.sh it lives in
# the run's directory, which the driver removes whatever happens.
SCRATCH=$(mktemp -d "${NSLAB_SCRATCH_ROOT:-/tmp}/nslab-test.XXXXXX") || exit 1
chmod 755 "$SCRATCH"
NOBODY_BIN=$SCRATCH/bin
NOBODY_HOME=$SCRATCH/home
mkdir -p "$NOBODY_BIN" "$NOBODY_HOME" "$SCRATCH/markers"
chmod 1777 "$SCRATCH/markers"
MARKER=$SCRATCH/markers/ran
# --preserve=links: the chain tools stay one file, as bin/'s and installed
# ones are (lib/multicall.h).
cp -p --preserve=links "$BIN"/* "$NOBODY_BIN"/ 2>/dev/null
chmod -R a+rX "$NOBODY_BIN"
[ "$(id -u)" = 0 ] && chown "$NOBODY:$NOBODY" "$NOBODY_HOME"
nslab_cleanup() {
	rm -rf "$SCRATCH"
}
oneTimeTearDown() { nslab_cleanup; }

as_nobody() {
	if [ "$(id -u)" != 0 ]; then
		skip "needs root: only root can switch to uid 65534"
		return 125
	fi
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		env -i PATH="$NOBODY_BIN:$SYSPATH" HOME="$NOBODY_HOME" TMPDIR="${TMPDIR:-/tmp}" \
		ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
		LANG=C "$@"
}

# The unprivileged user of a test: 65534 when root can switch to it, else
# the caller, whose uid and gid may differ and may have no passwd entry.
if [ "$(id -u)" = 0 ]; then
	USER_UID=$NOBODY USER_GID=$NOBODY
else
	USER_UID=$(id -u) USER_GID=$(id -g)
fi
# shellcheck disable=SC2034 # for the suites
USER_IDS=$USER_UID:$USER_GID
as_user() {
	if [ "$(id -u)" = 0 ]; then
		as_nobody "$@"
		return
	fi
	env -i PATH="$NOBODY_BIN:$SYSPATH" HOME="$NOBODY_HOME" TMPDIR="${TMPDIR:-/tmp}" \
		ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
		LANG=C "$@"
}

run() {
	"$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	out=$(cat "$SCRATCH/out")
	err=$(cat "$SCRATCH/err")
	return 0
}

# closed CMD...: run CMD with every descriptor but 0, 1 and 2 closed (the
# suite's own, shunit2's), so every other one CMD has is its tools' doing.
closed() {
	(
		for fd in /proc/$BASHPID/fd/*; do
			n=${fd##*/}
			[ "$n" -gt 2 ] && eval "exec $n>&-"
		done
		"$@"
	)
}

# assert_std_fds CHAIN...: the command at the end of CHAIN starts with
# descriptors 0, 1 and 2 only, whatever the tools opened on the way.
assert_std_fds() {
	run closed "$@" sh -c 'ls /proc/$$/fd' </dev/null
	assertEquals "$*: the command's descriptors" "0 1 2" "$(echo $out)"
}

NS_ROOT=()
[ "$(id -u)" = 0 ] || NS_ROOT=("$BIN/usernsselfmap")
ns_root() { "${NS_ROOT[@]}" "$@"; }

# CI runs `make check` as root, where nothing may skip, and again as an
# ordinary user with NSLAB_USER_RUN=1, where only what needs root may.
skip_allowed() {
	[ "${CI:-}" = true ] || return 0
	[ "${NSLAB_USER_RUN:-}" = 1 ] && [ "$(id -u)" != 0 ] || return 1
	case $* in "needs root"*) return 0 ;; esac
	return 1
}

skip() {
	if ! skip_allowed "$*"; then
		fail "would skip under CI=true: $*" >&7
	else
		# A subshell that closed every descriptor (test_valgrind's closed)
		# has no 7: its skip is reported where it is.
		{ echo "SKIP: $*" >&7; } 2>/dev/null || echo "SKIP: $*"
		startSkipping
	fi
}

# Returns non-zero after skipping, so a test can say: require_root || return 0
# require_root WHY: WHY names what only root may do ("mounts on the host").
require_root() {
	[ "$(id -u)" = 0 ] && return 0
	skip "needs root: ${1:-to run as uid 65534 and to touch the host}"
	return 1
}

require_userns() {
	if ! unshare -Ur true 2>/dev/null; then
		skip "this kernel refuses user namespaces here (unshare -Ur true failed)"
		return 1
	fi
	[ "$(id -u)" = 0 ] || return 0
	if ! as_user unshare -Ur true 2>/dev/null; then
		skip "unprivileged user namespaces are disabled (unshare -Ur as 65534 failed)"
		return 1
	fi
}

# What a test must leave as it found: the host's links, addresses, mounts
# and named network namespaces -- only those it could have made there, so
# that other work on the machine (a second `make check`, a container
# starting, an `ip netns add`) is none of its business.  Matched by name:
#   links      the interface names nslab's suites, examples and guides use
#              (--veth NAME:PEER, --addr IFACE=, --up IFACE, veth/dev NAME),
#              read from their text
#   addresses  those on these links, and the literal addresses that text names
#   mounts     /, /root, /mnt, /tmp, /home, $HOME, and anything below this
#              suite's scratch directory (not another suite's: a second run's
#              tests may mount in theirs)
#   netns      /run/netns/nslab*PID, PID this suite's ($$): a test names what
#              it makes so (nslabjoin$$), as a second run's are not ours
# What a whole run leaves in /tmp is checked by tests/run.sh.
HOST_TEXT="$0 $(ls "$TOP"/examples/*.sh "$TOP"/docs/0*.md 2>/dev/null | tr '\n' ' ')"
# shellcheck disable=SC2086 # one word per file
HOST_LINKS=$(cat $HOST_TEXT 2>/dev/null |
	grep -oE -- '(--veth|--addr|--up|[ (]veth|[ (]dev)[ =]+[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?' |
	sed -E 's/^[ (]?[-a-z]*[ =]+//' | tr ':' '\n' | grep -vx lo | sort -u)
# shellcheck disable=SC2086
HOST_ADDRS=$(cat $HOST_TEXT 2>/dev/null |
	grep -oE '[0-9]+(\.[0-9]+){3}|[0-9a-fA-F]{1,4}(:[0-9a-fA-F]{0,4}){2,7}' | sort -u)
host_state() {
	links=$(printf '%s\n' "$HOST_LINKS" | paste -sd' ')
	addrs=$(printf '%s\n' "$HOST_ADDRS" | paste -sd' ')
	sed 's/^[0-9]* [0-9]* //' /proc/self/mountinfo |
		awk -v s="$SCRATCH/" -v h="${HOME:-/}" '
		$3 == "/" || $3 == "/root" || $3 == "/mnt" || $3 == "/tmp" ||
		$3 == "/home" || $3 == h || index($3, s) == 1' | sort
	echo '--- links'
	ip -o link show 2>/dev/null | awk -v w=" $links " '{ n = $2; sub(/:$/, "", n); sub(/@.*/, "", n)
		if (index(w, " " n " ")) print n }' | sort
	echo '--- addrs'
	ip -o addr show 2>/dev/null | awk -v w=" $links " -v a=" $addrs " '{ x = $4; sub(/\/.*/, "", x)
		if (index(w, " " $2 " ") || index(a, " " x " ")) print $2, $3, $4 }' | sort
	echo '--- namespaces'
	for n in /run/netns/nslab*"$$"; do [ -e "$n" ] && echo "${n##*/}"; done
	return 0
}
host_snapshot() {
	# Without ip(8) the links and addresses would compare empty to empty.
	command -v ip >/dev/null || fail "ip(8) is missing: the host's links cannot be checked"
	host_state >"$SCRATCH/host.before"
}
# Each snapshot is compared once: shunit2 calls tearDown again at exit.
assert_host_unchanged() {
	[ -f "$SCRATCH/host.before" ] || return 0
	host_state >"$SCRATCH/host.after"
	if ! cmp -s "$SCRATCH/host.before" "$SCRATCH/host.after"; then
		fail "the host changed: $(diff "$SCRATCH/host.before" "$SCRATCH/host.after" | head -n 10 | tr '\n' ' ')"
	fi
	rm -f "$SCRATCH/host.before" "$SCRATCH/host.after"
}

# The command must never have run: it would have created $MARKER.
assert_not_run() {
	assertFalse "the command ran although a step failed" "[ -e '$MARKER' ]"
	rm -f "$MARKER"
}

# assert_refused [-1] TOOL [TEXT]: the tool refused -- exit 125, stderr
# non-empty with every line "TOOL: ", TEXT (when given) in its first line,
# the command never run.  With -1, also exactly one line besides the
# "TOOL: hint: " lines, as bad input must read.
assert_refused() {
	one=
	[ "$1" = -1 ] && { one=1; shift; }
	assertEquals "exit status; stderr: $err" 125 "$rc"
	assert_err_prefix "$1"
	[ $# -lt 2 ] ||
		assertContains "first line of: $err" "$(printf '%s
' "$err" | head -n 1)" "$2"
	[ -z "$one" ] ||
		assertEquals "one error line: $err" 1 "$(printf '%s
' "$err" | grep -vc "^$1: hint: ")"
	assert_not_run
}

# assert_err_prefix TOOL: stderr is non-empty and every line starts "TOOL: ".
assert_err_prefix() {
	assertNotNull "stderr is empty" "$err"
	bad=$(printf '%s\n' "$err" | grep -v "^$1: " | head -n 1)
	assertNull "an error line without the '$1: ' prefix: $bad" "$bad"
}

# catches PID SIGNUM: PID has a handler for the signal (its SigCgt mask).
catches() {
	m=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null)
	[ -n "$m" ] && [ $(( (0x$m >> ($2 - 1)) & 1 )) = 1 ]
}

# poll CMD...: CMD until it succeeds, 20 times a second.  What is polled for
# is certain to happen (a process to exit, a namespace to appear), so there
# is no deadline that a loaded machine could miss; after ten minutes it is a
# hang, said as a failure rather than waited on forever.
poll() {
	n=0
	until "$@"; do
		n=$((n + 1))
		[ $n -lt 12000 ] || { fail "still not true after ten minutes: $*"; return 1; }
		sleep 0.05
	done
}

# ZOMBIE_CHILD, in the text of an `sh -c` that then execs sleep: a child that
# exits only once its parent has become sleep, which never reaps it -- a
# zombie for certain.  (A child that exited sooner could be reaped by the
# shell before its exec.)  Its parent is read from its own /proc/self/stat,
# since $$ is no use in a new PID namespace seen through the host's /proc.
# shellcheck disable=SC2016 # expanded by the sh -c it is written into
# shellcheck disable=SC2034
ZOMBIE_CHILD='( read -r s </proc/self/stat; set -- $s
	until [ "$(cat /proc/$4/comm)" = sleep ]; do sleep 0.01; done ) &'

# $GONE CMD...: CMD in a new PID namespace with its own /proc, after a
# process there came and went: PID 2 ($GONE_PID).  Only that namespace hands
# out its numbers, in order, so unlike a PID that exited on the host, 2
# cannot have been given to another process since.  Not root, it is done as
# root of a new user namespace.  A script, so that as_user and as_nobody can run it.
GONE=$SCRATCH/gone
# shellcheck disable=SC2034
GONE_PID=2
cat >"$GONE" <<'EOF'
#!/bin/sh
u=; [ "$(id -u)" = 0 ] || u=-Ur
exec unshare $u -pf --mount-proc sh -c '/bin/true; exec "$@"' sh "$@"
EOF
chmod 755 "$GONE"

# in_chroot CMD...: run CMD as the unprivileged user (as_user) chrooted into a fresh directory of
# SCRATCH, with /usr /etc /dev /proc bound in and the tools at /nslab (first
# in PATH).  Done as "root" of a user + mount namespace we own, so it needs no
# privilege and leaves nothing behind.  The chroot itself is the simulation:
# the kernel refuses CLONE_NEWUSER to a chrooted caller (user_namespaces(7)).
# With CHROOT_BIND=1 the directory is first bound onto itself, as
# arch-chroot does, so that / is a mount inside the chroot.
in_chroot() {
	r=$(mktemp -d "$SCRATCH/chroot.XXXXXX")
	mkdir -p "$r/nslab" && cp -p "$NOBODY_BIN"/* "$r/nslab/"
	chmod -R a+rX "$r"; chown -R "$USER_IDS" "$r" 2>/dev/null
	as_user env PATH="$SYSPATH" CHROOT_BIND="${CHROOT_BIND:-}" unshare -Urm sh -c '
		r=$1; shift
		[ -z "$CHROOT_BIND" ] || mount --bind "$r" "$r" || exit 125
		for d in usr etc dev proc tmp; do mkdir -p "$r/$d"; done
		for d in usr etc dev proc; do mount --rbind "/$d" "$r/$d" || exit 125; done
		for l in bin lib lib64 sbin; do
			if [ -L "/$l" ]; then ln -sfn "$(readlink "/$l")" "$r/$l"
			elif [ -d "/$l" ]; then mkdir -p "$r/$l" && mount --rbind "/$l" "$r/$l"; fi
		done
		exec env PATH="/nslab:$PATH" chroot "$r" "$@"' sh "$r" "$@"
}

# limit_zero KIND CMD...: run CMD as the unprivileged user in a user namespace whose
# user.max_KIND_namespaces is 0.  The limit belongs to that namespace, so
# the host's settings are untouched.
limit_zero() {
	kind=$1; shift
	as_user unshare -Ur sh -c 'echo 0 >"/proc/sys/user/max_$1_namespaces" || exit 125
		shift; exec "$@"' sh "$kind" "$@"
}
