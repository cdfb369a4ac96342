# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# The build: every chain tool (tools/*.c but nsinfo) is linked as the
# Makefile says, -static-pie against the libc it chose (musl when musl-gcc
# is found), nsinfo -static-pie against glibc (dynamically with STATIC=0),
# and make says which it used.
# readelf(1) is the oracle for the binaries; `make -n` changes nothing.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# What bin/ was built with: build/.flags starts "LIBC static-pie|dynamic".
FLAGS=$(cat "$TOP/build/.flags" 2>/dev/null)
LIBC=${FLAGS%% *}
static=0
case $FLAGS in *" static-pie "*) static=1 ;; esac

chain_tools() {
	for f in "$TOP"/tools/*.c; do
		t=${f##*/}
		t=${t%.c}
		[ "$t" = nsinfo ] || echo "$t"
	done
}

interp() { readelf -l "$1" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p'; }
elf_type() { readelf -h "$1" | awk -F: '$1 ~ /^ *Type$/ { sub(/^ */, "", $2); print $2 }'; }

testBuildRecordsItsLibc() {
	assertTrue "build/.flags names no libc: $FLAGS" "[ '$LIBC' = musl ] || [ '$LIBC' = glibc ]"
	# musl is only ever linked -static-pie.
	[ "$LIBC" = glibc ] || assertEquals 1 "$static"
}

testChainToolsLinkedAsChosen() {
	for t in $(chain_tools); do
		b=$BIN/$t
		assertTrue "$t is not built" "[ -x '$b' ]" || continue
		# A position-independent executable either way: ASLR stays.
		assertEquals "$t: ELF type" "DYN (Position-Independent Executable file)" "$(elf_type "$b")"
		if [ "$static" = 1 ]; then
			assertEquals "$t: static-pie has no interpreter" "" "$(interp "$b")"
		else
			assertContains "$t: dynamic, through ld.so" "$(interp "$b")" "ld-linux"
		fi
		# glibc's start-up reads GLIBC_TUNABLES: in every static glibc
		# program, in no musl one.
		n=$(grep -a -c GLIBC_TUNABLES "$b")
		case $LIBC/$static in
		musl/*)   assertEquals "$t: glibc in a musl build" 0 "$n" ;;
		glibc/1)  assertNotEquals "$t: no static glibc in a glibc build" 0 "$n" ;;
		esac
	done
}

# nsinfo is glibc's whatever the chain tools' libc, static like them unless
# STATIC=0: it reads names from /etc/passwd, not through NSS.
testNsinfoGlibcLinkedAsChosen() {
	b=$BIN/nsinfo
	assertEquals "nsinfo: ELF type" "DYN (Position-Independent Executable file)" "$(elf_type "$b")"
	if [ "$static" = 1 ]; then
		assertEquals "nsinfo: static-pie has no interpreter" "" "$(interp "$b")"
		assertNotEquals "nsinfo: no static glibc" 0 "$(grep -a -c GLIBC_TUNABLES "$b")"
	else
		assertContains "$(interp "$b")" "ld-linux"
		assertContains "$(readelf -d "$b")" "[libc.so.6]"
	fi
}

# musl-gcc is given the kernel's uapi headers and nothing else of glibc's.
testMuslSeesOnlyTheKernelHeaders() {
	[ "$LIBC" = musl ] || return 0
	d=$TOP/build/musl/include
	assertEquals "asm asm-generic linux" "$(ls "$d" | paste -sd' ')"
	for h in asm asm-generic linux; do
		assertTrue "$h is not a link to the kernel's headers" "[ -L '$d/$h' ]"
		assertContains "$h: $(readlink "$d/$h")" "$(readlink "$d/$h")" "/usr/include/"
	done
	assertEquals "" "$(ls "$d"/linux/stdio.h "$d"/stdio.h 2>/dev/null)"
}

# make -n: what make would do and say, reading the tree, changing nothing;
# without the variables (exported too) of a `make check SAN=1` that runs us.
mk() { env -i PATH="$PATH" make -n -C "$TOP" "$@" 2>&1; }

testMakeSaysWhichLibc() {
	out=$(mk MUSL_CC=nslab-no-such-cc all)
	assertContains "$out" "against glibc (nslab-no-such-cc not found; Debian: musl-tools)"
	out=$(mk LIBC=glibc all)
	assertContains "$out" "linked -static-pie against glibc; nsinfo -static-pie against glibc"
	out=$(mk SAN=1 LIBC=musl all)
	assertContains "sanitizer builds are glibc's" "$out" "linked dynamically against glibc"
	out=$(mk STATIC=0 all)
	assertContains "$out" "linked dynamically against glibc"
	assertContains "$out" "nsinfo dynamically against glibc"
	if command -v musl-gcc >/dev/null; then
		out=$(mk all)
		assertContains "musl is the default when found" "$out" "linked -static-pie against musl (musl-gcc)"
	fi
}

testMakeRefusesAnUnknownOrMissingLibc() {
	out=$(mk LIBC=bogus all)
	assertNotEquals 0 "$?"
	assertContains "$out" "LIBC=bogus: say musl or glibc"
	out=$(mk LIBC=musl MUSL_CC=nslab-no-such-cc all)
	assertNotEquals 0 "$?"
	assertContains "$out" "LIBC=musl: nslab-no-such-cc not found"
}

# tests/prereqs.sh, in a copy of its own whose prereqs.txt names a command
# no package has, as the unprivileged user and without the network
# (NSLAB_NO_INSTALL=1): status 2 and one message naming the command, its
# package and the root command that installs it.  Once a fetch has found
# the package to be one only root can install (build/prereqs/needroot: it
# has a setuid file), it is said in one line and is no reason to stop.
testPrereqsNamesWhatIsMissing() {
	d=$SCRATCH/prereqs
	mkdir -p "$d/tests" "$d/build/prereqs"
	cp "$TOP/tests/prereqs.sh" "$d/tests/"
	printf 'sh dash check\nnslab-no-such-cmd nslab-no-such-pkg check\n' >"$d/prereqs.txt"
	chown -R "$USER_IDS" "$d" 2>/dev/null
	run as_user env NSLAB_NO_INSTALL=1 sh "$d/tests/prereqs.sh" build check
	assertEquals "status; $err" 2 "$rc"
	assertEquals "prereqs: missing for build check (NSLAB_NO_INSTALL=1: not installing): nslab-no-such-cmd (package nslab-no-such-pkg)
prereqs: install them as root with: apt-get install --no-install-recommends nslab-no-such-pkg" "$err"
	echo nslab-no-such-pkg >"$d/build/prereqs/needroot"
	run as_user env NSLAB_NO_INSTALL=1 sh "$d/tests/prereqs.sh" build check
	assertEquals "status; $err" 0 "$rc"
	assertEquals "prereqs: not fetched: nslab-no-such-cmd (package nslab-no-such-pkg) works only installed setuid root, as root: apt-get install nslab-no-such-pkg; the tests that need it skip" "$err"
}

# shellcheck source=/dev/null
. shunit2
