#!/bin/bash
# SPDX-License-Identifier: MIT
# bench/nsinfo.sh: nsinfo -a against lsns(8), and nsinfo -a -J against
# lsns -J, on a machine with thousands of processes spread over hundreds or
# thousands of namespaces.  It starts them itself, in rounds: for each size in
# BENCH_SIZES (default "250 1000") it adds groups of BENCH_PER_GROUP
# (default 8) processes until there are that many groups, each group in a
# user and a network namespace of its own (2,000 processes in 500
# namespaces, then 8,000 in 2,000), times both tools with hyperfine
# (warm-up, then BENCH_NSINFO_RUNS runs, default 30), prints the medians and
# the ratios (nsinfo -a -F, which also reads every descriptor, beside them),
# the ratio of CPU time (user+system, means: on a loaded machine, steadier),
# nsinfo's time per process and how it grew from the first
# round, and the peak RSS of nsinfo -a -J (GNU time).  It kills every
# process it started, by PID, checking that none is left.  It asserts
# nothing.  BENCH_GROUPS=N is BENCH_SIZES=N.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NSINFO=$ROOT/bin/nsinfo
SIZES=${BENCH_SIZES:-${BENCH_GROUPS:-250 1000}}
PER=${BENCH_PER_GROUP:-8}
RUNS=${BENCH_NSINFO_RUNS:-30}
WARMUP=${BENCH_WARMUP:-5}

for t in hyperfine jq lsns unshare /usr/bin/time; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench/nsinfo.sh: $t not found" >&2; exit 1; }
done
[ -x "$NSINFO" ] || { echo "bench/nsinfo.sh: $NSINFO is not built (make)" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/nslab-bench-nsinfo.XXXXXX") || exit 1
chmod 755 "$T"
mkdir "$T/pids"
chmod 1777 "$T/pids"

# Every process we start writes its PID into $T/pids/GROUP, the group's
# leader last: a shell that waits for its sleepers and is our own child.
cleanup() {
	trap - EXIT INT TERM
	all=$(cat "$T"/pids/* 2>/dev/null)
	if [ -n "$all" ]; then
		# The sleepers first: each leader's wait then returns and it exits,
		# reaping them, and we reap it.  Whatever is left after that gets
		# SIGKILL, by PID.
		sleepers=$(for f in "$T"/pids/*; do sed '$d' "$f"; done)
		kill $sleepers 2>/dev/null
		wait 2>/dev/null
		# A PID still there is ours only if it is still a sleep or sh of a
		# user namespace other than ours; a recycled PID is left alone.
		host_userns=$(readlink /proc/self/ns/user)
		for _ in $(seq 1 50); do
			left=
			for p in $all; do
				[ -e "/proc/$p" ] || continue
				case $(cat "/proc/$p/comm" 2>/dev/null) in sleep|sh) ;; *) continue ;; esac
				[ "$(readlink "/proc/$p/ns/user" 2>/dev/null)" != "$host_userns" ] &&
					left="$left $p"
			done
			[ -z "$left" ] && break
			kill -KILL $left 2>/dev/null
			sleep 0.1
		done
		echo "cleanup: killed $(echo $all | wc -w) processes; $(echo $left | wc -w) left"
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# -r: root inside, so the leader can write its PID file wherever we are.
# start FROM TO: groups FROM+1 .. TO.
start() {
	echo "starting groups $(($1 + 1)) to $2 of $PER processes, each group in a new user and network namespace"
	for g in $(seq $(($1 + 1)) "$2"); do
		unshare --user --map-root-user --net sh -c '
			f=$1; n=$2; i=1
			while [ $i -lt "$n" ]; do sleep 3600 & echo $! >>"$f"; i=$((i + 1)); done
			echo $$ >>"$f"
			wait' sh "$T/pids/$g" "$PER" </dev/null >/dev/null 2>&1 &
	done
	# Until every group has written all of its PIDs (at most two minutes).
	for _ in $(seq 1 1200); do
		ready=$(cat "$T"/pids/* 2>/dev/null | wc -l)
		[ "$ready" -ge $(($2 * PER)) ] && break
		sleep 0.1
	done
	if [ "$ready" -lt $(($2 * PER)) ]; then
		echo "bench/nsinfo.sh: only $ready of $(($2 * PER)) processes started" >&2
		exit 1
	fi
}

# -i: on a busy machine lsns(8) exits 1 now and then, when a process it was
# reading goes away (seen at 8,000 processes); a failed run is still timed.
bench() {
	hyperfine -N -i --style none --warmup "$WARMUP" --runs "$RUNS" --export-json "$T/$1.json" \
		-n "$2" "$3" -n "$4" "$5" >/dev/null 2>&1 || { echo "hyperfine failed for $2 vs $4" >&2; return 1; }
	jq -r '.results as $r |
		($r[0].median * 1000) as $a | ($r[1].median * 1000) as $b |
		"\($r[0].command): median \($a * 100 | round / 100) ms (min \($r[0].min * 100000 | round / 100), max \($r[0].max * 100000 | round / 100))\n" +
		"\($r[1].command): median \($b * 100 | round / 100) ms (min \($r[1].min * 100000 | round / 100), max \($r[1].max * 100000 | round / 100))\n" +
		"ratio: \($r[0].command) takes \($a / $b * 1000 | round / 1000) of the time of \($r[1].command) (\($b / $a * 10 | round / 10)x faster)\n" +
		(($r[0].user + $r[0].system) as $ca | ($r[1].user + $r[1].system) as $cb |
		"cpu: \($r[0].command) \($ca * 100000 | round / 100) ms user+system, \($r[1].command) \($cb * 100000 | round / 100) ms (means): \($ca / $cb * 1000 | round / 1000)")' \
		"$T/$1.json"
}

# ms: the median of a run's first command, in milliseconds.
ms() { jq -r '.results[0].median * 1000' "$T/$1.json"; }

have=0 first_per=
for groups in $SIZES; do
	[ "$groups" -gt "$have" ] || continue
	start "$have" "$groups"
	have=$groups
	nproc=$(find /proc -maxdepth 1 -name '[0-9]*' | wc -l)
	nns=$(lsns -J --list | jq '.namespaces | length')
	echo
	echo "== $((groups * PER)) of our processes: the machine now has $nproc processes in $nns namespaces (lsns)"

	# Before timing: the two agree.  Our groups do not move; rows of other
	# processes may, so only ours are compared.
	lsns -J --list | jq -c '.namespaces[] | {ns,type,nprocs,pid,user,command} | select(.nprocs == '"$PER"')' | sort >"$T/lsns"
	"$NSINFO" -a -J 2>/dev/null | jq -c '.namespaces[] | select(.nprocs == '"$PER"')' | sort >"$T/nsinfo"
	echo "agreement: $(comm -12 "$T/lsns" "$T/nsinfo" | wc -l) of $(wc -l <"$T/lsns") lsns rows of the test namespaces identical in nsinfo -a -J ($(wc -l <"$T/nsinfo") rows there)"

	echo "hyperfine: $WARMUP warm-up runs, $RUNS timed runs each, as $(id -un)"
	bench "text$groups" "nsinfo -a" "$NSINFO -a" "lsns" "lsns"
	bench "json$groups" "nsinfo -a -J" "$NSINFO -a -J" "lsns -J" "lsns -J"
	# -F adds what lsns 2.41 does and 2.38 does not: every /proc/PID/fd.
	bench "fds$groups" "nsinfo -a -F" "$NSINFO -a -F" "lsns" "lsns"
	per=$(echo "$(ms "text$groups") $nproc" | awk '{ printf "%.2f", $1 * 1000 / $2 }')
	echo "nsinfo -a: $per us per process"
	[ -n "$first_per" ] &&
		echo "time per process grew $(echo "$per $first_per" | awk '{ printf "%.2f", $1 / $2 }')x since the first round"
	first_per=${first_per:-$per}
	rss=$(/usr/bin/time -f %M "$NSINFO" -a -J 2>&1 >/dev/null | tail -n 1)
	echo "peak RSS of nsinfo -a -J: $rss KiB ($(/usr/bin/time -f %M "$NSINFO" -V 2>&1 >/dev/null | tail -n 1) KiB for nsinfo -V)"
done
