#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every C unit test (build/tests/unit_*) and shunit2 suite (tests/test_*.sh),
# print each suite's result, and end with one line "N passed, N failed, N skipped".
# Exit 0 only when nothing failed.  TESTS="test_nsnet" runs a subset.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
log=$(mktemp -d /tmp/nslab-run.XXXXXX) || exit 1
trap 'rm -rf "$log"' EXIT
# Interrupted, it still removes its directory (the EXIT trap runs on exit).
trap 'exit 130' INT TERM
# Suites make their scratch directories here (tests/lib.sh), so whatever a
# suite leaves behind goes with the run; 65534 must be able to reach it.
# TMPDIR too: the temporary files of the tools, examples and valgrind are
# then this run's alone, and another run on the machine cannot be mistaken
# for a leak of ours.
chmod 755 "$log"
export NSLAB_SCRATCH_ROOT="$log"
mkdir -m 1777 "$log/tmp" && chmod 1777 "$log/tmp"
export TMPDIR="$log/tmp"
pass=0 fail=0 skip=0

# A shunit2 suite prints each test's name on a line of its own, then any
# "ASSERT:" or "shunit2:ERROR" lines of that test; tests/lib.sh prints
# "SKIP: reason" for a skip.  Count per test, not per assertion.
count() {
	awk -v suite="$1" '
	function close_test() {
		if (name == "") return
		if (failed) { f++; print "  FAIL " suite ": " name }
		else if (skipped) { s++; print "  SKIP " suite ": " name ": " why }
		else p++
	}
	/^test[A-Za-z0-9_]*$/ { close_test(); name = $0; failed = 0; skipped = 0; next }
	# A test that skipped and then returned the skip'"'"'s status (`require_root
	# || return`) is a skip, not an error; any other error is a failure.
	/shunit2:ERROR .* returned non-zero return code/ && skipped { t++; next }
	/ASSERT:|shunit2:ERROR|^FAIL / { failed = 1 }
	/^SKIP: / { skipped = 1; why = substr($0, 7) }
	/^PASS / { p++ }
	END { close_test(); printf "%d %d %d %d\n", p, f, s, t > "/dev/stderr" }'
}

run_one() {
	name=$1; shift
	SHUNIT_COLOR=none "$@" >"$log/$name.out" 2>&1
	rc=$?
	counts=$(count "$name" <"$log/$name.out" 2>&1 >"$log/$name.summary")
	set -- $counts
	# A suite that died before reporting, or reported no test at all, fails
	# (shunit2 exits 1 for the skips above: those alone are no failure).
	if [ "$rc" -ne 0 ] && [ "$2" -eq 0 ] && [ "$4" -eq 0 ]; then
		echo "  FAIL $name: exited $rc"; set -- "$1" 1 "$3" 0
		sed 's/^/    | /' "$log/$name.out" | tail -n 20
	elif [ $(($1 + $2 + $3)) -eq 0 ]; then
		echo "  FAIL $name: ran no test"; set -- 0 1 0 0
	fi
	cat "$log/$name.summary"
	if [ "$2" -gt 0 ] || [ -n "$VERBOSE" ]; then
		sed 's/^/    | /' "$log/$name.out" | grep -v '^    | test[A-Za-z0-9_]*$' | tail -n 40
	fi
	printf '%-28s %3d passed, %d failed, %d skipped\n' "$name" "$1" "$2" "$3"
	pass=$((pass + $1)) fail=$((fail + $2)) skip=$((skip + $3))
}

for t in build/tests/unit_*; do
	[ -x "$t" ] || continue
	n=${t##*/}
	case " ${TESTS:-$n} " in *" $n "*) ;; *) continue ;; esac
	run_one "$n" "$t"
done
for t in tests/test_*.sh; do
	[ -f "$t" ] || continue
	n=${t##*/}; n=${n%.sh}
	case " ${TESTS:-$n} " in *" $n "*) ;; *) continue ;; esac
	run_one "$n" bash "$t"
done

# Anything the run left in its TMPDIR is a failure.
left=$(ls -A "$TMPDIR")
if [ -n "$left" ]; then
	echo "  FAIL the run left files in its TMPDIR:"; printf '    %s\n' $left
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
