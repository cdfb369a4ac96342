# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# The man pages: they render without warnings (mandoc and man/groff), every
# tool has one with the sections a reader looks for, and every option a
# tool's --help lists is documented in it.  One test per page and per tool,
# so a failure names the page.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

MANDIR=$TOP/docs/man
SECTIONS='NAME|SYNOPSIS|DESCRIPTION|OPTIONS|EXIT STATUS|EXAMPLES|DIAGNOSTICS|SEE ALSO'

# lint_page PAGE: print every warning mandoc and man(1) have about PAGE.
lint_page() {
	mandoc -Tlint -W style "$1" 2>&1
	# shellcheck disable=SC2069 # man's warnings (stderr) only, its page dropped
	LC_ALL=C.UTF-8 MANWIDTH=80 MANPAGER=cat PAGER=cat man --warnings -l "$1" 2>&1 >/dev/null
}

# sections PAGE: the .SH headings of PAGE, one a line, quotes removed.
sections() {
	sed -n 's/^\.SH[ \t]*//p' "$1" | tr -d '"'
}

# help_options TOOL: every -x and --long option on the option lines of
# TOOL --help (lines that start with blanks and a dash).
help_options() {
	"$BIN/$1" --help 2>&1 | grep -E '^[[:space:]]+-' |
		grep -oE '(^|[[:space:]])--?[A-Za-z0-9][A-Za-z0-9-]*' | tr -d ' \t' | sort -u
}

# rendered PAGE: the page as plain ASCII text (hyphens as -, no overstrike).
rendered() {
	mandoc -Tascii "$1" 2>/dev/null | sed 's/.\x08//g'
}

check_page() {
	page=$1
	assertTrue "$page does not exist" "[ -f '$page' ]" || return 0
	warnings=$(lint_page "$page")
	assertNull "${page#$TOP/} has warnings: $warnings" "$warnings"
	assertTrue "${page#$TOP/} does not render" "[ -n \"\$(rendered '$page')\" ]"
}

# tool_problems TOOL [PAGE]: print one line per problem of TOOL's man page
# (default docs/man/TOOL.1): a missing section, an undocumented option.
tool_problems() {
	tool=$1 page=${2:-$MANDIR/$1.1}
	if [ ! -f "$page" ]; then
		echo "tools/$tool.c has no man page docs/man/$tool.1"; return
	fi
	have=$(sections "$page")
	old_ifs=$IFS; IFS='|'
	for s in $SECTIONS; do
		printf '%s\n' "$have" | grep -qx "$s" || echo "${page#$TOP/} has no section $s"
	done
	IFS=$old_ifs
	if [ ! -x "$BIN/$tool" ]; then
		echo "bin/$tool is not built (run make)"; return
	fi
	opts=$(help_options "$tool")
	[ -n "$opts" ] || echo "$tool --help lists no option"
	text=$(rendered "$page")
	for o in $opts; do
		printf '%s\n' "$text" | grep -qe "$o\\b" ||
			echo "${page#$TOP/} does not document $o (listed by $tool --help)"
	done
}

check_tool() {
	problems=$(tool_problems "$1")
	assertNull "$problems" "$problems" || return 0
}

# The checker itself must be able to fail: a page with a bad macro, a
# missing section and an undocumented option is caught on each count.
testCheckerCatchesABadPage() {
	bad=$SCRATCH/bad.1
	printf '%s\n' '.TH BAD 1 2026-01-01 nslab' '.SH NAME' 'bad \- a page' \
		'.SH SYNOPSIS' '.B bad' '.XX undefined' >"$bad"
	assertNotNull "a bad macro went unnoticed" "$(lint_page "$bad")"
	assertNull "a page without OPTIONS has it" "$(sections "$bad" | grep -x OPTIONS)"
	assertFalse "an undocumented option was found" \
		"rendered '$bad' | grep -qe '--keep-ids\\b'"
}

# A real page with its EXAMPLES heading and an option's entries removed.
testCheckerCatchesAMutatedPage() {
	page=$MANDIR/usernsselfmap.1
	assertTrue "no usernsselfmap.1 to mutate" "[ -f '$page' ]" || return 0
	assertNull "the real page has problems" "$(tool_problems usernsselfmap)"
	grep -v -e '^\.SH EXAMPLES' -e 'setgroups' "$page" >"$SCRATCH/mutated.1"
	problems=$(tool_problems usernsselfmap "$SCRATCH/mutated.1")
	assertContains "$problems" "has no section EXAMPLES"
	assertContains "$problems" "does not document --setgroups"
}

testHelpOptionsAreFound() {
	assertTrue "bin/usernsselfmap is not built" "[ -x '$BIN/usernsselfmap' ]" || return 0
	opts=$(help_options usernsselfmap | tr '\n' ' ')
	for o in -k --keep-ids --uid-map -h --help; do
		case " $opts " in *" $o "*) ;; *) fail "help_options missed $o: $opts" ;; esac
	done
}

# equivalents_options: "TOOL OPTION" for every option an entry of nslab(7)
# EQUIVALENTS names (the .TP tag lines, roff escapes removed).
equivalents_options() {
	sed -n '/^\.SH EQUIVALENTS/,/^\.SH /p' "$MANDIR/nslab.7" |
		sed -n '/^\.TP$/{n;p;}' |
		sed -e 's/^\.B[IR]* //' -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/"//g' |
		awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^-/) print $1, $i }'
}

# The Rosetta table of nslab(7) names only options the tools have.
testEquivalentsNameRealOptions() {
	pairs=$(equivalents_options)
	assertNotNull "nslab(7) EQUIVALENTS names no option" "$pairs"
	printf '%s\n' "$pairs" | grep -q '^usernsselfmap -k$' ||
		fail "the parser of EQUIVALENTS missed usernsselfmap -k: $(echo $pairs)"
	while read -r tool opt; do
		[ -x "$BIN/$tool" ] || { fail "EQUIVALENTS names $tool, which is not built"; continue; }
		help_options "$tool" | grep -qxe "$opt" ||
			fail "EQUIVALENTS names $tool $opt, which $tool --help does not list"
	done <<EOF_PAIRS
$pairs
EOF_PAIRS
	tools=$(sed -n '/^\.SH EQUIVALENTS/,/^\.SH /p' "$MANDIR/nslab.7" | sed -n '/^\.TP$/{n;p;}' |
		sed -e 's/^\.B[IR]* //' -e 's/"//g' | awk '{print $1}' | sort -u)
	for t in "$TOP"/tools/*.c "$TOP"/tools/*/main.c; do
		t=${t%/main.c}; t=${t##*/}; t=${t%.c}
		printf '%s\n' "$tools" | grep -qx "$t" || fail "EQUIVALENTS has no entry for $t"
	done
}

# What the docs must never show: the machine they were written on.  Its
# users (uid 1000 and up, but 65534, which every system has as nobody),
# their home directories, and its host name, one a line.
machine_names() {
	getent passwd | awk -F: '$3 >= 1000 && $3 != 65534 { print $1; print $6 }' |
		grep -vxE '/|/root|/tmp|/home|/nonexistent|/var/empty|root|nobody'
	h=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)
	[ -n "$h" ] && [ "$h" != localhost ] && { echo "$h"; echo "${h%%.*}"; }
}

# leaks NAMES FILE...: each line of FILE... that shows one of NAMES (a
# file, one a line) as a word of its own, as "file:line: text".
leaks() {
	names=$1; shift
	grep -HnwF -f "$names" -- "$@" 2>/dev/null
}

# The pages a reader sees: man pages, guides, README, NEWS, the examples.
published() {
	ls "$MANDIR"/*.[1-8] "$TOP"/docs/*.md "$TOP"/README.md "$TOP"/NEWS \
		"$TOP"/examples/* 2>/dev/null
}

testNoMachineNamesInDocs() {
	machine_names | sort -u | grep . >"$SCRATCH/names"
	# The host name at least is always there: nothing here can skip.
	assertTrue "no host name to look for" "[ -s '$SCRATCH/names' ]"
	# shellcheck disable=SC2046 # one word per path, none with blanks
	found=$(leaks "$SCRATCH/names" $(published))
	assertNull "the docs name a user, home or host of this machine ($(tr '\n' ' ' <"$SCRATCH/names")):
$found" "$found"
}

# The check must be able to fail: a guide naming this machine's host or a
# user's home is caught, a longer word containing the name is not.
testLeakCheckerCatchesAName() {
	machine_names | sort -u | grep . >"$SCRATCH/names"
	h=$(head -n 1 "$SCRATCH/names")
	printf 'run on %s today\n' "$h" >"$SCRATCH/leaky.md"
	printf 'x%sx is another word\n' "$h" >"$SCRATCH/clean.md"
	assertNotNull "a page naming '$h' was not caught" "$(leaks "$SCRATCH/names" "$SCRATCH/leaky.md")"
	assertNull "a longer word was taken for '$h'" "$(leaks "$SCRATCH/names" "$SCRATCH/clean.md")"
}

testThereAreManPages() {
	assertTrue "no nslab.7" "[ -f '$MANDIR/nslab.7' ]"
}

suite() {
	for t in "$TOP"/tools/*.c "$TOP"/tools/*/main.c; do
		[ -f "$t" ] || continue
		n=${t%/main.c}; n=${n##*/}; n=${n%.c}; f=$(printf '%s' "$n" | tr -c 'A-Za-z0-9_\n' _)
		eval "testToolManPage_$f() { check_tool '$n'; }"
		suite_addTest "testToolManPage_$f"
	done
	for p in "$MANDIR"/*.1 "$MANDIR"/*.7; do
		[ -f "$p" ] || continue
		n=${p##*/}; f=$(printf '%s' "$n" | tr -c 'A-Za-z0-9_\n' _)
		eval "testPageLint_$f() { check_page '$p'; }"
		suite_addTest "testPageLint_$f"
	done
	suite_addTest testCheckerCatchesABadPage
	suite_addTest testCheckerCatchesAMutatedPage
	suite_addTest testHelpOptionsAreFound
	suite_addTest testThereAreManPages
	suite_addTest testEquivalentsNameRealOptions
	suite_addTest testNoMachineNamesInDocs
	suite_addTest testLeakCheckerCatchesAName
}

# shellcheck source=/dev/null
. shunit2
