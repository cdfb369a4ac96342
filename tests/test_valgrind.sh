# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Each tool's common path under valgrind: no memory error, and no descriptor
# of ours open when the command starts or the tool exits.  valgrind cannot run
# sanitizer builds, so the suite compiles plain copies of the tools itself.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

VG=$SCRATCH/vg
oneTimeSetUp() {
	mkdir -p "$VG"
	# A tool is tools/NAME.c or a folder tools/NAME/ (nsinfo), as the Makefile has it.
	for src in "$TOP"/tools/*.c "$TOP"/tools/*/main.c; do
		case $src in
		*/main.c) d=${src%/main.c}; t=${d##*/}; set -- -I"$d" "$d"/*.c ;;
		*) t=${src##*/}; t=${t%.c}; set -- "$src" ;;
		esac
		${CC:-cc} -std=c11 -D_GNU_SOURCE -DNSLAB_VERSION=\"vg\" -I"$TOP/lib" -O1 -g \
			-o "$VG/$t" "$@" "$TOP"/lib/*.c || fail "cannot build $t for valgrind"
	done
	chmod -R a+rX "$VG"
}

# vg CMD...: valgrind follows the chain (each tool exec'ing the next) but not
# into the final command, and keeps no vgdb pipes in /tmp.
vg() {
	valgrind -q --error-exitcode=99 --track-fds=yes --vgdb=no --trace-children=yes \
		--trace-children-skip='*/true,*/sh,*/cat,*/ip,*/ls,*/id,*/env' "$@"
}

# assert_clean: exit status as wanted, no valgrind report, no leaked descriptor.
assert_clean() {
	assertEquals "status; stderr: $err" "$1" "$rc"
	# valgrind 3.19 does not know the NS_GET_* ioctls (0xb701-0xb704) and says so.
	report=$(printf '%s\n' "$err" | grep -E '^==[0-9]+== ' | grep -vE 'Open file descriptor [0-2]:|FILE DESCRIPTORS: 3 open|<inherited from parent>|^==[0-9]+== *$' |
		grep -vE 'unhandled ioctl 0xb70[1-4]|set --sim-hints=lax-ioctls|This could cause spurious|See README_MISSING_SYSCALL|possible fix: add|ioctl\(generic\)|   (at|by) 0x' | head -n 5)
	assertNull "valgrind: $report" "$report"
}

testValgrindUsernsselfmap() {
	require_userns || return 0
	PATH=$VG:$PATH run closed vg "$VG/usernsselfmap" true
	assert_clean 0
	PATH=$VG:$PATH run closed vg "$VG/usernsselfmap" -v -k true
	assert_clean 0
	# The helper-process path, refused unprivileged.
	run closed as_user valgrind -q --error-exitcode=99 --track-fds=yes --vgdb=no \
		"$VG/usernsselfmap" --uid-map 0:100000:10 true
	assert_clean 125
	# Bad input and a missing command.
	run closed vg "$VG/usernsselfmap" --uid-map 0:1 true
	assert_clean 125
	run closed vg "$VG/usernsselfmap" nslab-no-such-command
	assert_clean 127
}

# The helper-process path, accepted.
testValgrindUsernsselfmapRangesAsRoot() {
	require_root "maps ranges of the host's uids and gids" || return 0
	run closed vg "$VG/usernsselfmap" --uid-map 0:100000:10 --gid-map 0:100000:10 true
	assert_clean 0
}

testValgrindNsnet() {
	require_userns || return 0
	PATH=$VG:$PATH run closed vg "$VG/nsnet" -U -v true
	assert_clean 0
	PATH=$VG:$PATH run closed vg "$VG/usernsselfmap" "$VG/nsnet" --veth a:b \
		--addr a=10.203.0.1/24 --addr b=fd00:203::2/64 --up b true
	assert_clean 0
	PATH=$VG:$PATH run closed vg "$VG/usernsselfmap" "$VG/nsnet" --veth a:b --veth a:c true
	assert_clean 125
	run closed vg "$VG/nsnet" --addr 'a=1.2.3/24' true
	assert_clean 125
}

testValgrindNsinfo() {
	for args in "" "-J" "$$ $PPID" "-a" "-a -J -t net" "-a -F" "-m" "-m -J" "-T" "-T -J" "-T -F" "-c" "-c -J" \
		"--caps" "--caps -J"; do
		run closed vg "$VG/nsinfo" $args
		assert_clean 0
	done
	# --can answers no (1) to an ordinary user: the status nsinfo gives without valgrind.
	for args in "--can $$ CAP_NET_ADMIN $$:net" "--can -J $$ 21 /proc/$$/ns/user"; do
		"$VG/nsinfo" $args >/dev/null 2>&1
		want=$?
		run closed vg "$VG/nsinfo" $args
		assert_clean "$want"
	done
	run closed vg "$VG/nsinfo" 4194304
	assert_clean 1
	run closed vg "$VG/nsinfo" -t bogus
	assert_clean 2
	require_userns || return 0
	run closed as_user valgrind -q --error-exitcode=99 --track-fds=yes --vgdb=no "$VG/nsinfo" -c
	assert_clean 0
}

testValgrindNsmount() {
	require_userns || return 0
	mkdir -p "$SCRATCH/src" "$SCRATCH/dst" "$SCRATCH/ro" "$SCRATCH/tmp"
	PATH=$VG:$PATH run closed vg "$VG/usernsselfmap" "$VG/nsmount" -v \
		-b "$SCRATCH/src:$SCRATCH/dst" -r "$SCRATCH/src:$SCRATCH/ro" -t "$SCRATCH/tmp" true
	assert_clean 0
	PATH=$VG:$PATH run closed vg "$VG/usernsselfmap" "$VG/nsmount" true
	assert_clean 0
	run closed vg "$VG/nsmount" -b "$SCRATCH/nonexistent:$SCRATCH/dst" true
	assert_clean 125
}

# A root built in a tmpfs: --dir, --dev and the pivot, narrated.
testValgrindNsmountRoot() {
	require_userns || return
	r=$SCRATCH/newroot
	mkdir -p "$r"
	PATH=$VG:$PATH run closed vg "$VG/usernsselfmap" "$VG/nsmount" -v -t "$r" \
		--dir "$r/usr" -r /usr:"$r/usr" --dir "$r/lib" -r /lib:"$r/lib" \
		--dir "$r/lib64" -r /lib64:"$r/lib64" --dev "$r/dev" --root "$r" /usr/bin/true
	assert_clean 0
	run closed vg "$VG/nsmount" --dir "$r/x" true
	assert_clean 125
}

# valgrind 3.19 does not implement setdomainname(2) (ENOSYS): no --domainname.
testValgrindOneKindEach() {
	require_userns || return
	PATH=$VG:$PATH run closed vg "$VG/usernsselfmap" "$VG/nsuts" -v --hostname lab \
		"$VG/nsipc" -v "$VG/nscgroup" -v true
	assert_clean 0
	run closed vg "$VG/nsuts" --hostname "$(printf '%065d' 0)" true
	assert_clean 125
	run closed vg "$VG/nsipc" --bogus
	assert_clean 125
}

# The keeper's fork, pipes, signalfd and wait, the init's second fork, and
# nstime's vfork probe and both of its paths.
testValgrindNspidNstime() {
	require_userns || return
	for args in "nspid -v" "nspid --init" "nspid --no-proc" "nstime -v --monotonic 5" \
		"nstime --fork --boottime 5"; do
		PATH=$VG:$PATH run closed vg "$VG/usernsselfmap" "$VG"/$args true
		assert_clean 0
	done
	PATH=$VG:$PATH run closed vg "$VG/usernsselfmap" "$VG/nspid" --init nslab-no-such-command
	assert_clean 127
	run closed vg "$VG/nstime" --monotonic x true
	assert_clean 125
}

# shellcheck source=/dev/null
. shunit2
