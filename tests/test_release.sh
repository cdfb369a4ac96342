# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# The release as users take it: the licence on every file, make install and
# uninstall, the tarball (make dist) building from a scratch directory, the
# .deb (make deb) with its contents and fields, and one version throughout.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

VERSION=$(sed -n 's/^VERSION *= *//p' "$TOP/config.mk")

testLicenceOnEverySource() {
	assertTrue "LICENSE is missing" "[ -f '$TOP/LICENSE' ]"
	grep -q '^MIT License' "$TOP/LICENSE" || fail "LICENSE is not the MIT licence"
	command -v git >/dev/null && git -C "$TOP" rev-parse 2>/dev/null ||
		{ skip "not a git checkout: the tracked files cannot be listed"; return; }
	missing=$(git -C "$TOP" ls-files | grep -E '\.(c|h|sh|bash|1|7|mk)$|^Makefile$|^\.ci/run$' |
		while read -r f; do
			head -n 3 "$TOP/$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$f"
		done)
	assertNull "files without an SPDX-License-Identifier line: $(echo $missing)" "$missing"
}

# One version: config.mk's, in --version, NEWS's first entry and the
# installed man pages.
testOneVersion() {
	for t in "$BIN"/*; do
		v=$("$t" --version 2>&1 | head -n 1)
		assertEquals "${t##*/} --version" "${t##*/} (nslab) $VERSION" "$v"
	done
	# The pages get the version at install: in the tree they carry none.
	stale=$(grep -l '^\.TH .*"nslab [0-9]' "$TOP"/docs/man/*)
	assertNull "man pages with a version of their own: $stale" "$stale"
	assertEquals "NEWS's first entry" "nslab $VERSION" \
		"$(grep -m 1 -E '^nslab [0-9]' "$TOP/NEWS" | awk '{print $1, $2}')"
}

testInstallAndUninstall() {
	d=$SCRATCH/inst
	make -s -C "$TOP" install DESTDIR="$d" PREFIX=/usr >/dev/null 2>"$SCRATCH/err" ||
		fail "make install failed: $(cat "$SCRATCH/err")"
	for t in "$BIN"/*; do
		t=${t##*/}
		assertTrue "bin/$t not installed" "[ -x '$d/usr/bin/$t' ]"
		assertTrue "$t.1 not installed" "[ -f '$d/usr/share/man/man1/$t.1' ]"
		assertTrue "completion for $t not installed" \
			"[ -f '$d/usr/share/bash-completion/completions/$t' ]"
		grep -q "^\.TH .*\"nslab $VERSION\"" "$d/usr/share/man/man1/$t.1" ||
			fail "the installed $t.1 does not say nslab $VERSION"
	done
	for f in README.md NEWS LICENSE docs/01-user-namespaces.md examples/demo.sh; do
		assertTrue "$f not installed in share/doc/nslab" "[ -f '$d/usr/share/doc/nslab/$f' ]"
	done
	make -s -C "$TOP" uninstall DESTDIR="$d" PREFIX=/usr >/dev/null 2>&1
	left=$(find "$d" -type f)
	assertNull "make uninstall left files: $(echo $left)" "$left"
	assertFalse "make uninstall left share/doc/nslab" "[ -e '$d/usr/share/doc/nslab' ]"
}

# The tarball unpacks into nslab-VERSION/, builds and passes its unit tests
# there, away from this tree.
testDistBuildsOnItsOwn() {
	git -C "$TOP" rev-parse 2>/dev/null ||
		{ skip "not a git checkout: make dist packs the files git tracks"; return; }
	make -s -C "$TOP" dist OUTDIR="$SCRATCH" >/dev/null 2>"$SCRATCH/err" ||
		{ fail "make dist failed: $(cat "$SCRATCH/err")"; return; }
	tgz=$SCRATCH/nslab-$VERSION.tar.gz
	assertTrue "no $tgz" "[ -f '$tgz' ]" || return
	tar -C "$SCRATCH" -xzf "$tgz" || { fail "the tarball does not unpack"; return; }
	src=$SCRATCH/nslab-$VERSION
	assertTrue "the tarball has no nslab-$VERSION/Makefile" "[ -f '$src/Makefile' ]"
	assertEquals "the tarball and git ls-files differ" \
		"$(git -C "$TOP" ls-files | sort)" "$(cd "$src" && find . -type f | sed 's,^\./,,' | sort)"
	units=$(cd "$src" && ls tests/unit_*.c | sed 's,\.c$,,;s,^,build/,')
	# shellcheck disable=SC2086
	make -s -C "$src" all $units >"$SCRATCH/out" 2>&1 ||
		{ fail "the unpacked tarball does not build: $(tail -n 5 "$SCRATCH/out")"; return; }
	for u in $units; do
		(cd "$src" && "./$u") >"$SCRATCH/out" 2>&1 ||
			fail "${u##*/} fails in the unpacked tarball: $(grep -m 3 FAIL "$SCRATCH/out")"
		grep -q '^PASS ' "$SCRATCH/out" || fail "${u##*/} ran no check in the unpacked tarball"
	done
}

testDebPackage() {
	command -v dpkg-deb >/dev/null || { skip "no dpkg-deb: not a Debian system"; return; }
	make -s -C "$TOP" deb OUTDIR="$SCRATCH" >/dev/null 2>"$SCRATCH/err" ||
		{ fail "make deb failed: $(cat "$SCRATCH/err")"; return; }
	arch=$(dpkg --print-architecture)
	deb=$SCRATCH/nslab_${VERSION}_$arch.deb
	assertTrue "no $deb" "[ -f '$deb' ]" || return
	assertEquals nslab "$(dpkg-deb -f "$deb" Package)"
	assertEquals "$VERSION" "$(dpkg-deb -f "$deb" Version)"
	assertEquals "$arch" "$(dpkg-deb -f "$deb" Architecture)"
	# A dynamically linked tool needs libc6; static ones need nothing.
	# newuidmap (uidmap) serves --subids.
	dynamic=
	for t in "$BIN"/*; do
		readelf -l "$t" 2>/dev/null | grep -q 'INTERP' && dynamic="$dynamic ${t##*/}"
	done
	if [ -n "$dynamic" ]; then
		dpkg-deb -f "$deb" Depends | grep -q 'libc6' ||
			fail "Depends does not name libc6, which$dynamic need"
	else
		assertNull "Depends for static binaries" "$(dpkg-deb -f "$deb" Depends)"
	fi
	dpkg-deb -f "$deb" Recommends | grep -q 'uidmap' || fail "Recommends does not name uidmap"
	contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
	for t in "$BIN"/*; do
		t=${t##*/}
		for p in ./usr/bin/$t ./usr/share/man/man1/$t.1.gz ./usr/share/bash-completion/completions/$t; do
			printf '%s\n' "$contents" | grep -qxF "$p" || fail "the .deb has no $p"
		done
	done
	for p in ./usr/share/man/man7/nslab.7.gz ./usr/share/doc/nslab/copyright \
		./usr/share/doc/nslab/docs/01-user-namespaces.md ./usr/share/doc/nslab/examples/demo.sh; do
		printf '%s\n' "$contents" | grep -qxF "$p" || fail "the .deb has no $p"
	done
	dpkg-deb -x "$deb" "$SCRATCH/debroot"
	assertEquals "usernsselfmap (nslab) $VERSION" "$("$SCRATCH/debroot/usr/bin/usernsselfmap" --version)"
}

# The installed bitbake example shows the whole article: the small C
# programs it needs are built with cc from the sources installed beside it,
# Docker's refusal is nsseccomp, installed; nothing is "not shown".
testInstalledExampleIsWhole() {
	command -v cc >/dev/null || fail "cc is missing: see prereqs.txt"
	d=$SCRATCH/inst-example
	make -s -C "$TOP" install DESTDIR="$d" PREFIX=/usr >/dev/null 2>"$SCRATCH/err" ||
		fail "make install failed: $(cat "$SCRATCH/err")"
	run env PATH="$d/usr/bin:$SYSPATH" CI= NSLAB_STRICT= sh "$d/usr/share/doc/nslab/examples/bitbake-disable-network.sh"
	assertEquals "the installed example: $(printf '%s\n' "$out" | grep -e '!!' -e 'not shown' | head -n 5)" 0 "$rc"
	assertNotContains "$out" "not shown"
	assertContains "$out" "(built disable_network from examples/disable_network.c with cc)"
	assertContains "$out" "tcp_sink: received: secret"
	rm -rf "$d"
}

# The scripts are clean by the ecosystem's own linter (.shellcheckrc makes
# it follow what they source); the man pages are linted by test_docs.
# Every suite sources shunit2 by its name, from PATH: an ordinary user's
# make check has it in build/prereqs/bin, fetched (README), not in /usr/bin.
testSuitesSourceShunit2ByName() {
	bad=$(grep -l '^\. */.*shunit2' "$TOP"/tests/test_*.sh)
	assertNull "suites that source shunit2 by a path: $bad" "$bad"
}

testShellcheck() {
	command -v shellcheck >/dev/null || fail "shellcheck is missing: see prereqs.txt"
	git -C "$TOP" rev-parse 2>/dev/null ||
		{ skip "not a git checkout: the tracked scripts cannot be listed"; return; }
	scripts=$(git -C "$TOP" ls-files | grep -E '\.(sh|bash)$|^\.ci/run$')
	assertNotNull "no script found" "$scripts"
	# shellcheck disable=SC2086 # one word per path: no tracked script has a blank
	findings=$(cd "$TOP" && shellcheck -S warning -f gcc $scripts 2>&1)
	assertNull "shellcheck -S warning: $findings" "$findings"
}

# shellcheck source=/dev/null
. shunit2
