# SPDX-License-Identifier: MIT
# shellcheck shell=bash
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
# The ids: a guide's expected output shows the reader as the article's user,
# uid 1000 and gid 100 (the commands type `$(id -u)` and `$(id -g)`, never
# the numbers).  Each guide runs twice, as 1000/100 and as 4242/4343, and
# before matching, every whole number 1000 in an expected line becomes the
# reader's uid and every whole number 100 the reader's gid (a number is whole
# when no digit or '.' touches it: 100000 and 10.0.0.100 stay).  The second
# pair makes a guide that shows a uid where the gid belongs, or a number that
# only looks like an id, fail: write such a number as '*' (ip's `qlen *`).
# Names are never matched: `uid=1000(*)`, `gid=65534(*)`.
#
# The reader has no supplementary groups and a fresh home of their own per
# guide and per pair (the working directory of every command), with bin/,
# build/examples and build/tests/helpers on PATH and LANG=C.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# The article's user, and a second pair no distribution hands out first.
ARTICLE_UID=1000 ARTICLE_GID=100
OTHER_UID=4242 OTHER_GID=4343
READER_UID=$ARTICLE_UID READER_GID=$ARTICLE_GID

GUIDE_PATH=$SCRATCH/guide-bin
mkdir -p "$GUIDE_PATH"
# One cp with --preserve=links: the chain tools stay one file, as installed.
progs=()
for d in "$BIN" "$TOP/build/examples" "$TOP/build/tests/helpers"; do
	for f in "$d"/*; do [ -f "$f" ] && [ -x "$f" ] && progs+=("$f"); done
done
cp -p --preserve=links "${progs[@]}" "$GUIDE_PATH"/
chmod -R a+rX "$GUIDE_PATH"

# line_match PATTERN LINE: '*' is the only wildcard; '(*)' may be absent.
line_match() {
	local p=$1 name='(*)'
	p=${p//\\/\\\\}; p=${p//\[/\\[}; p=${p//\]/\\]}; p=${p//\?/\\?}
	# shellcheck disable=SC2053 # p is a pattern: matching it is the point
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

# reader_etc UID GID: the passwd and group files the reader runs with, in
# $SCRATCH/reader-etc-UID-GID, copies of the host's that are bound over
# /etc/passwd and /etc/group in a private mount namespace (the host's files
# are never touched).  newuidmap looks the caller up by uid and refuses one
# without a name, and newgidmap lets a user map only the primary gid their
# passwd line names, so the copy always says "reader:x:UID:GID", replacing
# any line the host has for that uid.  The group gets a line only where the
# host has none for GID (Debian names 100 "users"; the name does not matter).
reader_etc() {
	local d=$SCRATCH/reader-etc-$1-$2
	if [ ! -d "$d" ]; then
		mkdir -p "$d" &&
		{ awk -F: -v u="$1" '$3 != u && $1 != "reader"' /etc/passwd
		  echo "reader:x:$1:$2::/nonexistent:/bin/sh"; } >"$d/passwd" &&
		cp /etc/group "$d/group" &&
		{ getent group "$2" >/dev/null || echo "reader:x:$2:" >>"$d/group"; } &&
		chmod -R a+rX "$d" || return 1
	fi
	printf '%s\n' "$d"
}

# as_reader HOME CMD: run CMD as the reader ($READER_UID/$READER_GID) would
# type it.  The timeout stops a hang only.
as_reader() {
	local etc
	etc=$(reader_etc $READER_UID $READER_GID) ||
		{ echo "test_guides: cannot write the reader's passwd and group in $SCRATCH"; return 125; }
	unshare --mount --propagation private sh -c 'for f in passwd group; do
			mount --bind "$0/$f" "/etc/$f" || exit 125; done; exec "$@"' "$etc" \
	setpriv --reuid=$READER_UID --regid=$READER_GID --clear-groups \
		env -i PATH="$GUIDE_PATH:$SYSPATH" HOME="$1" USER=reader SHELL=/bin/bash \
		LANG=C TERM=dumb ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
		timeout 120 bash -c 'cd "$HOME" && eval "$1"' bash "$2" </dev/null 2>&1
}

# reader_ids: stdin to stdout with the article's whole numbers 1000 and 100
# replaced by the reader's uid and gid.  Each rule runs twice because a
# match consumes the blank before the next one ("0 1000 1000").
reader_ids() {
	local n='[^0-9.]'
	sed -E "s/(^|$n)$ARTICLE_UID($n|\$)/\1@U@\2/g; s/(^|$n)$ARTICLE_UID($n|\$)/\1@U@\2/g
		s/(^|$n)$ARTICLE_GID($n|\$)/\1@G@\2/g; s/(^|$n)$ARTICLE_GID($n|\$)/\1@G@\2/g
		s/@U@/$READER_UID/g; s/@G@/$READER_GID/g"
}

# check_command FILE LINE CMD: run CMD, compare with the expected lines in
# $expected; append a report to $problems on a mismatch.
check_command() {
	local got
	got=$(as_reader "$home" "$3" | norm)
	mapfile -t A < <(printf '%s\n' "$got" | grep -v '^$')
	mapfile -t E < <(printf '%s' "$expected" | reader_ids | norm)
	ncommands=$((ncommands + 1))
	seq_match 0 0 && return 0
	problems="$problems
$1:$2: \$ $3
  as uid $READER_UID gid $READER_GID, expected:
$(printf '%s\n' "${E[@]}" | sed 's/^/    | /')
  got:
$(printf '%s\n' "${A[@]}" | head -n 15 | sed 's/^/    | /')"
}

# run_guide FILE: run each transcript of FILE in order, in one fresh home.
# Sets $problems (empty when everything matched) and $ncommands.
run_guide() {
	local file=$1 name=${1#$TOP/} n=0 inblock=0 cmd='' cmdline='' line
	problems='' ncommands=0 expected=''
	home=$(mktemp -d "$SCRATCH/home.XXXXXX") && chown $READER_UID:$READER_GID "$home"
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

# Only root can become the reader: setpriv to another uid with no
# supplementary groups (which id(1) in the transcripts would show), and bind
# the passwd and group copies in a mount namespace (newuidmap looks the
# reader up).
require_root_for_reader() {
	require_root "switches to the readers' ids, $ARTICLE_UID/$ARTICLE_GID and $OTHER_UID/$OTHER_GID, with no supplementary groups, and binds passwd entries for them"
}

# check_guide FILE: run FILE's transcripts as the article's ids, then as the
# other pair; report every mismatch of both.
check_guide() {
	local all='' ids
	require_root_for_reader || return 0
	require_userns || return 0
	for ids in "$ARTICLE_UID $ARTICLE_GID" "$OTHER_UID $OTHER_GID"; do
		set -- "$1" $ids
		READER_UID=$2 READER_GID=$3
		run_guide "$1"
		all=$all$problems
	done
	READER_UID=$ARTICLE_UID READER_GID=$ARTICLE_GID
	assertTrue "${1#$TOP/} has no \`\`\`console transcript" "[ $ncommands -gt 0 ]"
	[ -z "$all" ] || fail "transcript mismatch:$all"
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

# The article's ids become the reader's, whole numbers only.
testReaderIds() {
	READER_UID=4242 READER_GID=4343
	assertEquals "uid and gid" "uid=4242(*) gid=4343(*) groups=4343(*)" \
		"$(echo 'uid=1000(*) gid=100(*) groups=100(*)' | reader_ids)"
	assertEquals "adjacent ids" "0 4242 4242 1" "$(echo '0 1000 1000 1' | reader_ids)"
	assertEquals "ids at the ends and after a colon" "4242:4343 4343" \
		"$(echo '1000:100 100' | reader_ids)"
	assertEquals "a number that only contains an id" "100000 1001 10000 10.0.0.100 1000.5" \
		"$(echo '100000 1001 10000 10.0.0.100 1000.5' | reader_ids)"
	READER_UID=$ARTICLE_UID READER_GID=$ARTICLE_GID
	assertEquals "the article's ids stay" "0 1000 1 0 100 1" "$(echo '0 1000 1 0 100 1' | reader_ids)"
}

# The runner must be able to fail, and say where.
testWrongTranscriptFails() {
	require_root_for_reader || return 0
	g=$SCRATCH/99-wrong.md
	printf '%s\n' '# wrong' '' '```console' '$ id -u' '0' '$ echo right' 'right' '```' >"$g"
	run_guide "$g"
	assertEquals "commands run" 2 "$ncommands"
	assertContains "the mismatch names guide and line: $problems" "$problems" "99-wrong.md:4: \$ id -u"
	assertNotContains "a matching command was reported: $problems" "$problems" 'echo right'
}

# A guide that shows the uid where the gid belongs passes as 1000/1000 but
# not as the article's 1000/100, nor as 4242/4343; one that shows the gid
# right passes as both pairs.
testSecondPairCatchesUidForGid() {
	require_root_for_reader || return 0
	require_userns || return 0
	g=$SCRATCH/98-ids.md
	printf '%s\n' '# ids' '' '```console' '$ id -u; id -g' '1000' '100' \
		'$ usernsselfmap -k cat /proc/self/gid_map' '100 100 1' '```' >"$g"
	for ids in "$ARTICLE_UID $ARTICLE_GID" "$OTHER_UID $OTHER_GID"; do
		set -- $ids
		READER_UID=$1 READER_GID=$2
		run_guide "$g"
		assertNull "as $1/$2 the right ids failed: $problems" "$problems"
	done
	printf '%s\n' '# ids' '' '```console' '$ id -g' '1000' '```' >"$g"
	for ids in "1000 1000" "$ARTICLE_UID $ARTICLE_GID" "$OTHER_UID $OTHER_GID"; do
		set -- $ids
		READER_UID=$1 READER_GID=$2
		run_guide "$g"
		if [ "$1 $2" = "1000 1000" ]; then
			assertNull "as 1000/1000 the uid passes for the gid: $problems" "$problems"
		else
			assertContains "as $1/$2 the uid passed for the gid" "$problems" \
				"98-ids.md:4: \$ id -g
  as uid $1 gid $2, expected:"
		fi
	done
	READER_UID=$ARTICLE_UID READER_GID=$ARTICLE_GID
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
	suite_addTest testReaderIds
	suite_addTest testWrongTranscriptFails
	suite_addTest testSecondPairCatchesUidForGid
	suite_addTest testThereAreGuides
}

# shellcheck source=/dev/null
. shunit2
