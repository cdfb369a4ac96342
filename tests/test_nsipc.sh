# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# nsipc: an IPC namespace of your own, as root and as an unprivileged user
# (uid 65534 when run as root) under usernsselfmap.  The oracles: ipcs(1)
# inside and on the host, and readlink /proc/self/ns/ipc.  A segment the
# test makes on the host is its own, found by its id, and removed in
# tearDown.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# Where the inside (the unprivileged user) and the test hand over.
HAND=$SCRATCH/markers

setUp() { host_snapshot; rm -f "$MARKER" "$HAND"/made* "$HAND/go"; HOST_SHM=; }
tearDown() {
	[ -n "$HOST_SHM" ] && ipcrm -m "$HOST_SHM"
	HOST_SHM=
	assert_host_unchanged
}
unset NSLAB_VERBOSE

# The keys of the shared-memory segments `ipcs -m` lists, one a line.
shm_keys() { ipcs -m | awk '/^0x/ { print $1 }'; }

testNewNamespaceAsRoot() {
	require_root "CLONE_NEWIPC without a user namespace takes CAP_SYS_ADMIN on the host" || return
	run "$BIN/nsipc" readlink /proc/self/ns/ipc
	assertEquals "stderr: $err" 0 "$rc"
	assertNotEquals "the IPC namespace is new" "$(readlink /proc/self/ns/ipc)" "$out"
}

# A segment of the host is out of sight inside: a new namespace starts empty.
testHostSegmentInvisible() {
	HOST_SHM=$(ipcmk -M 4096 | awk '{ print $NF }')
	key=$(ipcs -m | awk -v id="$HOST_SHM" '$2 == id { print $1 }')
	assertNotNull "ipcmk made no segment" "$key"
	run ns_root "$BIN/nsipc" ipcs -m
	assertEquals "stderr: $err" 0 "$rc"
	assertNotContains "the host's segment is visible inside" "$out" "$key"
	assertEquals "a new IPC namespace has no segment" 0 "$(printf '%s\n' "$out" | grep -c '^0x')"
	require_userns || return
	run as_user usernsselfmap nsipc ipcs -m
	assertEquals "stderr: $err" 0 "$rc"
	assertEquals "none as the unprivileged user either" 0 "$(printf '%s\n' "$out" | grep -c '^0x')"
}

# A segment made inside: seen inside, not by the host while it exists, not
# by another nsipc, and gone with the namespace.
testInsideSegmentInvisible() {
	require_userns || return
	as_user usernsselfmap nsipc sh -c '
		ipcmk -M 4096 >/dev/null || exit 1
		nsipc ipcs -m >"$1.other" || exit 1
		ipcs -m | awk "/^0x/ { print \$1 }" >"$1.tmp" && mv "$1.tmp" "$1" || exit 1
		while [ ! -e "$2" ]; do sleep 0.05; done' sh "$HAND/made" "$HAND/go" \
		>"$SCRATCH/ipc.out" 2>&1 &
	pid=$!
	while [ ! -e "$HAND/made" ] && kill -0 $pid 2>/dev/null; do sleep 0.05; done
	key=$(cat "$HAND/made" 2>/dev/null)
	host=$(shm_keys)
	touch "$HAND/go"
	wait $pid
	assertEquals "the inside shell: $(cat "$SCRATCH/ipc.out")" 0 $?
	assertNotNull "no segment was made inside" "$key"
	assertEquals "one segment inside" 1 "$(printf '%s\n' "$key" | grep -c .)"
	assertNotContains "the host sees the inside's segment" "$host" "$key"
	assertEquals "a second nsipc sees none" 0 "$(grep -c '^0x' "$HAND/made.other")"
	rm -f "$HAND"/made* "$HAND/go" "$SCRATCH/ipc.out"
}

testNarrationAndStatus() {
	require_userns || return
	run as_user usernsselfmap nsipc -v sh -c 'exit 4'
	assertEquals 4 "$rc"
	assertContains "$err" "nsipc: unshare(CLONE_NEWIPC) = 0"
	assertContains "$err" "nsipc:   \$ unshare --ipc"
	run "$BIN/nsipc" -h
	assertEquals 0 "$rc"
	assertContains "$out" "usage: nsipc"
}

testRefusedWithoutPrivilege() {
	run as_user nsipc touch "$MARKER"
	assertEquals 125 "$rc"
	assert_err_prefix nsipc
	assertContains "$err" "nsipc: unshare(CLONE_NEWIPC): Operation not permitted"
	assert_not_run
}

# shellcheck source=/dev/null
. shunit2
