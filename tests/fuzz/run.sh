#!/bin/sh
# SPDX-License-Identifier: MIT
# make fuzz: build each tests/fuzz/fuzz_*.c with libFuzzer, ASan and UBSan,
# and run it for FUZZ_SECONDS (default 30) on a copy of its seed corpus
# tests/fuzz/corpus/NAME.  Prints the executions per target; exits non-zero
# on the first crash, leaving the crashing input in build/fuzz/.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
seconds=${FUZZ_SECONDS:-30}
cc=${FUZZ_CC:-clang}
mkdir -p build/fuzz
status=0
for src in tests/fuzz/fuzz_*.c; do
	name=${src##*/fuzz_}; name=${name%.c}
	bin=build/fuzz/fuzz_$name
	$cc -g -O1 -D_GNU_SOURCE -Ilib -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o "$bin" "$src" lib/*.c || { status=1; continue; }
	work=$(mktemp -d "${TMPDIR:-/tmp}/nslab-fuzz.XXXXXX")
	[ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$work/"
	"$bin" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix=build/fuzz/ \
		-close_fd_mask=3 "$work" >"build/fuzz/$name.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build/fuzz/$name.log")
	rm -rf "$work"
	if [ $rc -ne 0 ]; then
		echo "fuzz_$name: FAILED after ${execs:-?} executions (build/fuzz/$name.log)"
		grep -m 3 -E 'ERROR|SUMMARY|deadly' "build/fuzz/$name.log"
		status=1
	else
		echo "fuzz_$name: ${execs:-?} executions in ${seconds}s, no crash"
	fi
done
exit $status
