# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Bash completion (completion/nslab.bash), driven the way bash drives it:
# COMP_LINE, COMP_POINT, COMP_WORDS split at blanks and at bash's own word
# breaks (= and :), COMP_CWORD; then _nslab, and COMPREPLY is read back.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

COMPLETION=$TOP/completion/nslab.bash

# complete LINE: print the replies for LINE (the cursor at its end), sorted,
# one a line.  Runs in a bash of its own with the built tools first in PATH.
complete_line() {
	bash -c '
		PATH=$1:$PATH
		. "$2" || exit 1
		line=$3
		# Split as bash does with COMP_WORDBREAKS: "=" and ":" are words.
		words=()
		for w in $(printf "%s" "$line" | sed "s/\([=:]\)/ \1 /g"); do words+=("$w"); done
		# A cursor right after a break starts an empty word; so does a blank.
		case $line in *" " | *= | *:) words+=("") ;; esac
		COMP_WORDS=("${words[@]}")
		COMP_CWORD=$((${#words[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line}
		_nslab
		printf "%s\n" "${COMPREPLY[@]}" | sort' sh "$BIN" "$COMPLETION" "$1"
}

# assert_offers LINE WORD...: every WORD is among the replies for LINE.
assert_offers() {
	line=$1; shift
	got=$(complete_line "$line")
	for w in "$@"; do
		printf '%s\n' "$got" | grep -qxF -- "$w" ||
			fail "'$line<TAB>' does not offer '$w' (got: $(echo $got))"
	done
}

# assert_not_offers LINE WORD...: no WORD is among the replies for LINE.
assert_not_offers() {
	line=$1; shift
	got=$(complete_line "$line")
	for w in "$@"; do
		printf '%s\n' "$got" | grep -qxF -- "$w" &&
			fail "'$line<TAB>' offers '$w' (got: $(echo $got))"
	done
	return 0
}

testEveryToolIsRegistered() {
	for t in "$BIN"/*; do
		t=${t##*/}
		grep -q "^complete -F _nslab .*\\b$t\\b" "$COMPLETION" ||
			fail "no 'complete -F _nslab' for $t"
	done
}

# Every long option of every tool's --help is offered after "--".
testLongOptionsComeFromHelp() {
	for t in "$BIN"/*; do
		t=${t##*/}
		want=$("$BIN/$t" --help 2>&1 | grep -oE '^ +(-[A-Za-z0-9], )?--[a-z][a-z0-9-]*' |
			grep -oE -- '--[a-z][a-z0-9-]*')
		[ -n "$want" ] || fail "$t --help lists no long option"
		# shellcheck disable=SC2086
		assert_offers "$t --" $want
	done
}

testOptionArguments() {
	assert_offers "usernsselfmap --setgroups " allow deny
	assert_offers "nsmount --propagation " private slave shared unchanged
	assert_offers "nsinfo -t " cgroup ipc mnt net pid time user uts
	assert_offers "nsinfo --type=n" net	# bash replaces only what follows "="
	assert_offers "nsinfo --type n" net
}

testPidsForNsinfoAndPeerNetns() {
	sleep 30 &
	pid=$!
	assert_offers "nsinfo " "$pid"
	assert_offers "nsnet --veth a:b --peer-netns " "$pid"
	kill "$pid"; wait "$pid" 2>/dev/null
	return 0
}

# --addr offers the interfaces named earlier on the line, and lo.
testInterfacesFromTheLine() {
	assert_offers "nsnet --veth v0:v1 --addr " lo= v0= v1=
	assert_offers "nsnet --veth v0:v1 --up " lo v0 v1
	assert_offers "usernsselfmap nsnet --veth=h0:h1 --addr=h" h0= h1=
	assert_not_offers "nsnet --addr " v0=
}

testPathsForMounts() {
	mkdir -p "$SCRATCH/cdir/inner"
	assert_offers "nsmount -b $SCRATCH/cd" "$SCRATCH/cdir"
	assert_offers "nsmount --ro-bind $SCRATCH/cdir:$SCRATCH/cdir/in" "$SCRATCH/cdir/inner"
	assert_offers "nsmount -t $SCRATCH/cdir/" "$SCRATCH/cdir/inner"
}

# A chain completes each tool in turn, then the command.
testChain() {
	assert_offers "usernsselfmap nsnet nsmount -" --bind --tmpfs
	assert_not_offers "usernsselfmap nsnet nsmount -" --keep-ids
	assert_offers "usernsselfmap -u 0 nsnet --veth a:b nsmount --" --ro-bind
	assert_offers "usernsselfmap nsnet nsmount ba" bash
	assert_offers "usernsselfmap nsn" nsnet
}

# shellcheck source=/dev/null
. shunit2
