# SPDX-License-Identifier: MIT
# Run every transcript in the guides (docs/[0-9]*.md), so the docs cannot
# drift from the tools.  One test per guide; a mismatch names the guide and
# the line of the command.
#
# The transcript format, inside a ```console block:
#   $ COMMAND          a command, run with bash -c as the reader would paste it
#   EXPECTED           the lines it prints (stdout and stderr together)
#   ...                alone on a line: any number of lines, none included
# An expected line is matched against the output line after both have their
# runs of blanks squeezed to one and their ends trimmed; in it '*' matches
# any text, every other character (brackets too) is literal, and a '(*)' may
# also be absent: `uid=1000(*)` is uid 1000 whether or not it has a name on
# this machine (id(1) prints none when it has none).  Blank lines are
# ignored.  Exit statuses are not checked: a guide that cares shows them
# (`...; echo $?`).  Other fenced blocks (```sh, ```) are not run.
#
# The reader is uid 1000, gid 1000, no supplementary groups, in a fresh home
# of their own per guide (the working directory of every command), with
# bin/, build/examples and build/tests/helpers on PATH and LANG=C: that is
# what makes the guides show `0 1000 1` as the article does.
. "$(dirname "$0")/lib.sh"

READER=1000
GUIDE_PATH=$SCRATCH/guide-bin
mkdir -p "$GUIDE_PATH"
for d in "$BIN" "$TOP/build/examples" "$TOP/build/tests/helpers"; do
	for f in "$d"/*; do [ -f "$f" ] && [ -x "$f" ] && cp -p "$f" "$GUIDE_PATH"/; done
done
chmod -R a+rX "$GUIDE_PATH"

# line_match PATTERN LINE: '*' is the only wildcard; '(*)' may be absent.
line_match() {
	local p=$1 name='(*)'
	p=${p//\\/\\\\}; p=${p//\[/\\[}; p=${p//\]/\\]}; p=${p//\?/\\?}
	[[ $2 == $p ]] || [[ $2 == ${p//"$name"/} ]]
}

# seq_match I J: expected lines E[I..] match actual lines A[J..].
seq_match() {
	local i=$1 j=$2 k
	while :; do
		if ((i == ${#E[@]})); then ((j == ${#A[@]})); return; fi
		if [[ ${E[i]} == '...' ]]; then
			for ((k = j; k <= ${#A[@]}; k++)); do
				seq_match $((i + 1)) $k && return 0
			done
			return 1
		fi
		((j < ${#A[@]})) && line_match "${E[i]}" "${A[j]}" || return 1
		((i++, j++))
	done
}

# norm: squeeze blanks, trim, drop blank lines.
norm() {
	sed 's/[[:space:]][[:space:]]*/ /g; s/^ //; s/ $//' | grep -v '^$'
}

# as_reader HOME CMD: run CMD as the reader would type it.
# The reader needs a name: newuidmap looks the caller up, and refuses one it
# cannot find.  Where uid or gid 1000 has none (a fresh Debian has no user),
# the guides run with a passwd or group file that adds "reader", bound over
# the host's in a private mount namespace of their own: the host's files are
# never touched.  The timeout stops a hang only.
READER_ETC=$SCRATCH/reader-etc
mkdir -p "$READER_ETC"
getent passwd $READER >/dev/null ||
	{ cat /etc/passwd; echo "reader:x:$READER:$READER::/nonexistent:/bin/sh"; } >"$READER_ETC/passwd"
getent group $READER >/dev/null ||
	{ cat /etc/group; echo "reader:x:$READER:"; } >"$READER_ETC/group"
chmod -R a+rX "$READER_ETC"
as_reader() {
	unshare --mount --propagation private sh -c 'for f in passwd group; do
			[ ! -f "$0/$f" ] || mount --bind "$0/$f" "/etc/$f" || exit 125; done; exec "$@"' "$READER_ETC" \
	setpriv --reuid=$READER --regid=$READER --clear-groups \
		env -i PATH="$GUIDE_PATH:$SYSPATH" HOME="$1" USER=reader SHELL=/bin/bash \
		LANG=C TERM=dumb ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
		timeout 120 bash -c 'cd "$HOME" && eval "$1"' bash "$2" </dev/null 2>&1
}

# check_command FILE LINE CMD: run CMD, compare with the expected lines in
# $expected; append a report to $problems on a mismatch.
check_command() {
	local got
	got=$(as_reader "$home" "$3" | norm)
	mapfile -t A < <(printf '%s\n' "$got" | grep -v '^$')
	mapfile -t E < <(printf '%s' "$expected" | norm)
	ncommands=$((ncommands + 1))
	seq_match 0 0 && return 0
	problems="$problems
$1:$2: \$ $3
  expected:
$(printf '%s\n' "${E[@]}" | sed 's/^/    | /')
  got:
$(printf '%s\n' "${A[@]}" | head -n 15 | sed 's/^/    | /')"
}

# run_guide FILE: run each transcript of FILE in order, in one fresh home.
# Sets $problems (empty when everything matched) and $ncommands.
run_guide() {
	local file=$1 name=${1#$TOP/} n=0 inblock=0 cmd= cmdline= line
	problems= ncommands=0 expected=
	home=$(mktemp -d "$SCRATCH/home.XXXXXX") && chown $READER:$READER "$home"
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		if [ $inblock = 0 ]; then
			case $line in '```console'*) inblock=1 ;; esac
			continue
		fi
		case $line in
		'```'*)
			[ -n "$cmd" ] && check_command "$name" "$cmdline" "$cmd"
			inblock=0 cmd= ;;
		'$ '*)
			[ -n "$cmd" ] && check_command "$name" "$cmdline" "$cmd"
			cmd=${line#\$ } cmdline=$n expected= ;;
		*)
			[ -n "$cmd" ] && expected="$expected$line
" ;;
		esac
	done <"$file"
	[ $inblock = 0 ] || problems="$problems
$name: a \`\`\`console block is not closed"
	rm -rf "$home"
}

check_guide() {
	require_root || return 0
	require_userns || return 0
	run_guide "$1"
	assertTrue "${1#$TOP/} has no \`\`\`console transcript" "[ $ncommands -gt 0 ]"
	[ -z "$problems" ] || fail "transcript mismatch:$problems"
}

testMatcher() {
	E=('uid=0(root) gid=0(root)*' '...' 'net:[4026531833]' '...')
	A=('uid=0(root) gid=0(root) groups=0(root)' 'a' 'b' 'net:[4026531833]')
	assertTrue "glob and ... should match" "seq_match 0 0"
	A=('uid=0(root) gid=0(root)' 'net:[4026531833]')
	assertTrue "... matches no line" "seq_match 0 0"
	A=('uid=0(root) gid=0(root)' 'net:4')
	assertFalse "brackets are literal, not a class" "seq_match 0 0"
	E=('0 1000 1')
	A=('0 1000 1' 'extra')
	assertFalse "an extra line is a mismatch" "seq_match 0 0"
	A=()
	assertFalse "a missing line is a mismatch" "seq_match 0 0"
	E=('uid=1000(*) gid=1000(*) groups=1000(*)')
	A=('uid=1000 gid=1000 groups=1000')
	assertTrue "a uid without a name is the uid" "seq_match 0 0"
	A=('uid=1000(reader) gid=1000(reader) groups=1000(reader)')
	assertTrue "a uid with a name is the uid" "seq_match 0 0"
	A=('uid=1001 gid=1000 groups=1000')
	assertFalse "another uid is a mismatch" "seq_match 0 0"
}

# The runner must be able to fail, and say where.
testWrongTranscriptFails() {
	require_root || return 0
	g=$SCRATCH/99-wrong.md
	printf '%s\n' '# wrong' '' '```console' '$ id -u' '0' '$ echo right' 'right' '```' >"$g"
	run_guide "$g"
	assertEquals "commands run" 2 "$ncommands"
	assertContains "the mismatch names guide and line: $problems" "$problems" "99-wrong.md:4: \$ id -u"
	assertNotContains "a matching command was reported: $problems" "$problems" 'echo right'
}

testThereAreGuides() {
	n=$(ls "$TOP"/docs/[0-9]*.md 2>/dev/null | wc -l)
	assertTrue "expected six guides in docs/, found $n" "[ $n -ge 6 ]"
}

# Every relative link of the guides and the README leads to a file.
broken_links() {
	for f in "$@"; do
		grep -o '](\([^)#:]*\))' "$f" | sed 's/^](//; s/)$//' | while read -r l; do
			[ -e "$(dirname "$f")/$l" ] || echo "${f#$TOP/}: $l"
		done
	done
}

testLinks() {
	broken=$(broken_links "$TOP"/README.md "$TOP"/docs/*.md)
	assertNull "broken links: $broken" "$broken"
	printf '%s\n' '[here](no-such-guide.md)' >"$SCRATCH/links.md"
	assertEquals "a broken link goes unnoticed" "${SCRATCH#$TOP/}/links.md: no-such-guide.md" \
		"$(broken_links "$SCRATCH/links.md")"
}

# The README's table of what to install names every package of prereqs.txt.
testReadmeNamesEveryPrerequisite() {
	missing=$(sed 's/#.*//' "$TOP/prereqs.txt" | awk 'NF >= 2 { print $2 }' | sort -u |
		while read -r p; do grep -qF "\`$p\`" "$TOP/README.md" || echo "$p"; done)
	assertNull "README.md does not name: $missing" "$missing"
}

suite() {
	suite_addTest testLinks
	suite_addTest testReadmeNamesEveryPrerequisite
	for g in "$TOP"/docs/[0-9]*.md; do
		[ -f "$g" ] || continue
		n=${g##*/}; f=$(printf '%s' "${n%.md}" | tr -c 'A-Za-z0-9_\n' _)
		eval "testGuide_$f() { check_guide '$g'; }"
		suite_addTest "testGuide_$f"
	done
	suite_addTest testMatcher
	suite_addTest testWrongTranscriptFails
	suite_addTest testThereAreGuides
}

. shunit2
