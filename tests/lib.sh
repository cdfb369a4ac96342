# SPDX-License-Identifier: MIT
# Sourced by every suite (tests/test_*.sh) before it sources shunit2.
#
#   TOP, BIN        the tree and its bin/ (as root, tests run tools from here)
#   NOBODY_BIN      a copy of bin/ that uid 65534 can read and execute
#   NOBODY_HOME     a home directory owned by 65534
#   MARKER          a path anyone may create: a command that must not run
#                   touches it, and assert_not_run checks it is absent
#   as_nobody CMD   run CMD as uid/gid 65534, no groups, PATH=$NOBODY_BIN:...
#   run CMD         run CMD, keep its status in $rc, stdout in $out, stderr in $err
#   skip REASON     skip the rest of this test, saying why; under CI=true a
#                   skip is a failure, so a suite can never go green by skipping
#   require_root, require_userns   skip (or fail under CI) when not possible
#   host_snapshot / assert_host_unchanged   mounts, links, addresses,
#                   namespaces and /tmp entries before and after

TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/bin
TBIN=$TOP/build/tests
export SHUNIT_COLOR=none
NOBODY=65534
SYSPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Sanitizer builds: a report is a failure, and leak checks cannot stop the
# world inside the namespaces we make, so they are off.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}
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
cp -p "$BIN"/* "$NOBODY_BIN"/ 2>/dev/null
chmod -R a+rX "$NOBODY_BIN"
[ "$(id -u)" = 0 ] && chown "$NOBODY:$NOBODY" "$NOBODY_HOME"
nslab_cleanup() {
	rm -rf "$SCRATCH"
}
oneTimeTearDown() { nslab_cleanup; }

as_nobody() {
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		env -i PATH="$NOBODY_BIN:$SYSPATH" HOME="$NOBODY_HOME" \
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

skip() {
	if [ "${CI:-}" = true ]; then
		fail "would skip under CI=true: $*"
	else
		echo "SKIP: $*"
		startSkipping
	fi
}

# Returns non-zero after skipping, so a test can say: require_root || return
require_root() {
	[ "$(id -u)" = 0 ] && return 0
	skip "needs root (to run as uid 65534 and to touch the host)"
	return 1
}

require_userns() {
	if ! unshare -Ur true 2>/dev/null; then
		skip "this kernel refuses user namespaces here (unshare -Ur true failed)"
		return 1
	fi
	[ "$(id -u)" = 0 ] || return 0
	if ! as_nobody unshare -Ur true 2>/dev/null; then
		skip "unprivileged user namespaces are disabled (unshare -Ur as 65534 failed)"
		return 1
	fi
}

# What a test must leave as it found: mounts, links, addresses, named network
# namespaces.  What a whole run leaves in /tmp is checked by tests/run.sh.
host_state() {
	sed 's/^[0-9]* [0-9]* //' /proc/self/mountinfo | sort
	echo '--- links'; ip -o link show 2>/dev/null | sed 's/^[0-9]*: //;s/ qlen.*//' | awk '{print $1}'
	echo '--- addrs'; ip -o addr show 2>/dev/null | awk '{print $2, $3, $4}'
	echo '--- namespaces'; ls /run/netns 2>/dev/null
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

# assert_err_prefix TOOL: stderr is non-empty and every line starts "TOOL: ".
assert_err_prefix() {
	assertNotNull "stderr is empty" "$err"
	bad=$(printf '%s\n' "$err" | grep -v "^$1: " | head -n 1)
	assertNull "an error line without the '$1: ' prefix: $bad" "$bad"
}

# in_chroot CMD...: run CMD as uid 65534 chrooted into a fresh directory of
# SCRATCH, with /usr /etc /dev /proc bound in and the tools at /nslab (first
# in PATH).  Done as "root" of a user + mount namespace we own, so it needs no
# privilege and leaves nothing behind.  The chroot itself is the simulation:
# the kernel refuses CLONE_NEWUSER to a chrooted caller (user_namespaces(7)).
# With CHROOT_BIND=1 the directory is first bound onto itself, as
# arch-chroot does, so that / is a mount inside the chroot.
in_chroot() {
	r=$(mktemp -d "$SCRATCH/chroot.XXXXXX")
	mkdir -p "$r/nslab" && cp -p "$NOBODY_BIN"/* "$r/nslab/"
	chmod -R a+rX "$r"; chown -R $NOBODY:$NOBODY "$r" 2>/dev/null
	as_nobody env PATH="$SYSPATH" CHROOT_BIND="${CHROOT_BIND:-}" unshare -Urm sh -c '
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

# limit_zero KIND CMD...: run CMD as uid 65534 in a user namespace whose
# user.max_KIND_namespaces is 0.  The limit belongs to that namespace, so
# the host's settings are untouched.
limit_zero() {
	kind=$1; shift
	as_nobody unshare -Ur sh -c 'echo 0 >"/proc/sys/user/max_$1_namespaces" || exit 125
		shift; exec "$@"' sh "$kind" "$@"
}
