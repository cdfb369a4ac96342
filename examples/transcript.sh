# Sourced by examples/*.sh: print each command like a terminal transcript,
# check what it shows, and keep score.
#   step CMD [REGEX]   run CMD with sh, print "$ CMD" and its output;
#                      fail the step unless it exits 0 and, given REGEX,
#                      its output matches it (grep -E)
#   step_fails CMD [REGEX]   the same for a command that must fail
#   say TEXT           a line of narration
#   summary            the closing line; exits 1 if any step failed
steps=0 failed=0

say() { printf '\n# %s\n' "$*"; }

_check() {
	want_fail=$1 cmd=$2 regex=$3
	steps=$((steps + 1))
	printf '$ %s\n' "$cmd"
	output=$(sh -c "$cmd" 2>&1); status=$?
	[ -n "$output" ] && printf '%s\n' "$output"
	ok=1
	if [ "$want_fail" = 1 ]; then [ $status -ne 0 ] || ok=0
	else [ $status -eq 0 ] || ok=0; fi
	if [ -n "$regex" ] && ! printf '%s\n' "$output" | grep -Eq -- "$regex"; then ok=0; fi
	if [ $ok = 0 ]; then
		failed=$((failed + 1))
		printf '!! unexpected (exit %d%s)\n' "$status" "${regex:+, wanted /$regex/}"
	fi
}
step() { _check 0 "$1" "${2:-}"; }
step_fails() { _check 1 "$1" "${2:-}"; }

summary() {
	printf '\n%s: %d steps, %d as expected, %d not\n' "${0##*/}" "$steps" \
		$((steps - failed)) "$failed"
	[ "$failed" -eq 0 ]
}
