# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Sourced by examples/*.sh: print each command like a terminal transcript,
# check what it shows, and keep score.
#   step CMD [REGEX [LACKS]]   run CMD with sh, print "$ CMD" and its
#                      output; fail the step unless it exits 0 and, given
#                      REGEX, its output matches it (grep -E), and, given
#                      LACKS, does not (one command, two checks)
#   step_fails CMD [REGEX [LACKS]]   the same for a command that must fail
#   step_status N CMD [REGEX]   the same for a command that must exit N
#   step_lacks CMD REGEX   CMD must exit 0 and its output must NOT match REGEX
#   say TEXT...        narration, one line per argument
#   wait_new_net PID   until PID is in a network namespace of its own
#   have PROGRAM...    true when every PROGRAM is on PATH (or is built from
#                      examples/PROGRAM.c, in an installed copy); otherwise says
#                      which are missing and counts a skipped part (a
#                      failure when NSLAB_STRICT=1 or CI=true)
#   summary [NAME]     the closing line, "NAME: N steps, ..." (NAME defaults
#                      to the script's); exits 1 if any step failed
# Every command runs with no stdin and a time limit, stdout and stderr
# together, so a transcript is the same at a terminal and in CI.
steps=0 failed=0 skipped=
NSLAB_STEP_TIMEOUT=${NSLAB_STEP_TIMEOUT:-30}

say() { printf '\n'; printf '# %s\n' "$@"; }

# _check KIND CMD REGEX [LACKS]: KIND is ok, fail, lacks or a number (the
# exit status); LACKS, when given, must not match.
_check() {
	kind=$1 cmd=$2 regex=$3 lacks=${4:-}
	steps=$((steps + 1))
	printf '$ %s\n' "$cmd"
	output=$(timeout "$NSLAB_STEP_TIMEOUT" sh -c "$cmd" </dev/null 2>&1); status=$?
	[ -n "$output" ] && printf '%s\n' "$output"
	ok=1 matched=0 why=
	[ -n "$regex" ] && printf '%s\n' "$output" | grep -Eq -- "$regex" && matched=1
	case $kind in
	ok) [ $status -eq 0 ] || ok=0 ;;
	fail) [ $status -ne 0 ] || ok=0 ;;
	lacks) [ $status -eq 0 ] || ok=0 ;;
	*) [ $status -eq "$kind" ] || { ok=0; why=", wanted exit $kind"; } ;;
	esac
	if [ -n "$regex" ]; then
		if [ "$kind" = lacks ]; then
			[ $matched = 0 ] || { ok=0; why="$why, wanted no /$regex/"; }
		else
			[ $matched = 1 ] || { ok=0; why="$why, wanted /$regex/"; }
		fi
	fi
	if [ -n "$lacks" ] && printf '%s\n' "$output" | grep -Eq -- "$lacks"; then
		ok=0 why="$why, wanted no /$lacks/"
	fi
	[ $status -eq 124 ] && why="$why, timed out after ${NSLAB_STEP_TIMEOUT}s"
	if [ $ok = 0 ]; then
		failed=$((failed + 1))
		printf '!! unexpected (exit %d%s)\n' "$status" "$why"
	fi
	return $((1 - ok))
}
step() { _check ok "$1" "${2:-}" "${3:-}"; }
step_fails() { _check fail "$1" "${2:-}" "${3:-}"; }
step_status() { _check "$1" "$2" "${3:-}"; }
step_lacks() { _check lacks "$1" "$2"; }

# An installed nslab ships the articles' small programs as sources beside
# the examples (examples/NAME.c): a missing one is built with cc into the
# example's own scratch directory ($work, which its EXIT trap removes).
# shellcheck disable=SC2154 # top and work: set by the example sourcing this
_build() {
	[ -n "${work:-}" ] && [ -f "$top/examples/$1.c" ] && command -v cc >/dev/null 2>&1 ||
		return 1
	mkdir -p "$work/bin" && cc -D_GNU_SOURCE -O2 -o "$work/bin/$1" "$top/examples/$1.c" 2>/dev/null ||
		return 1
	case ":$PATH:" in *":$work/bin:"*) ;; *) PATH=$work/bin:$PATH; export PATH ;; esac
	printf '# (built %s from examples/%s.c with cc)\n' "$1" "$1"
}

have() {
	missing=
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 || _build "$p" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	printf '# (not shown: needs%s, not built yet)\n' "$missing"
	skipped="$skipped${missing}"
	if [ "${NSLAB_STRICT:-}" = 1 ] || [ "${CI:-}" = true ]; then
		steps=$((steps + 1)) failed=$((failed + 1))
		printf '!! unexpected (missing%s)\n' "$missing"
	fi
	return 1
}

# wait_new_net PID: until PID's network namespace differs from ours (nsnet
# has done its unshare); gives up after about five seconds.
wait_new_net() {
	i=0
	while [ "$(readlink "/proc/$1/ns/net" 2>/dev/null)" = "$(readlink /proc/self/ns/net)" ]; do
		i=$((i + 1)); [ $i -lt 100 ] || return 1
		sleep 0.05
	done
}

summary() {
	printf '\n%s: %d steps, %d as expected, %d not' "${1:-${0##*/}}" "$steps" \
		$((steps - failed)) "$failed"
	[ -n "$skipped" ] && printf '; not shown for want of:%s' \
		"$(printf '%s\n' $skipped | sort -u | tr '\n' ' ' | sed 's/ $//; s/^/ /')"
	printf '\n'
	[ "$failed" -eq 0 ]
}
