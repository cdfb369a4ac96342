#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/join.sh: joining namespaces that exist against making them, as
# markdown tables (make bench runs it from bench/run.sh).
#
# 1. Entering a shell's namespaces: `nsjoin -t PID true` against nsenter(1)
#    joining exactly the kinds nsjoin joins there (read from nsjoin -v's
#    own narration), and against bench/floor/floor_setns (pidfd_open, one
#    setns for the user namespace, one for the rest, exec).  The shell is
#    `usernsselfmap nsnet nsuts` started by an unprivileged user; joined by
#    that user (their own experiment: the user namespace first) and, when run
#    as root, by root (namespaces owned by a child user namespace, with and
#    without that user namespace).  hyperfine -N, BENCH_JOIN_ROUNDS rounds
#    (default 5) of BENCH_JOIN_RUNS runs (default 40) each, order rotated;
#    medians over every run.  The goal: nsjoin <= 0.9x nsenter.
# 2. Launch rate of many network-off tasks, launches per second: `nsnet -U
#    true` (a user and a network namespace made and torn down per task)
#    against `nsjoin --net FILE true` into one kept empty network namespace,
#    in 1 loop and in one loop per CPU (and 2 loops), each loop
#    BENCH_JOIN_LAUNCHES launches (default 100), BENCH_JOIN_LROUNDS rounds
#    (default 5, medians).  As root the namespace is kept by nsnet --name
#    (/run/netns/NAME); as an unprivileged user by nsnet --keep FILE inside a
#    mount namespace of their own (usernsselfmap nsmount -t DIR), the only
#    place they may bind one (guide 9).
#
# Run as root, the unprivileged user is uid 65534 (setpriv); run as anyone
# else, that user, and the root rows are left out.  Everything it starts is
# killed by PID and every name and file it makes removed on exit.  It reports;
# it asserts nothing.
# shellcheck disable=SC2016 # backquotes are markdown here
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
RUNS=${BENCH_JOIN_RUNS:-40}
ROUNDS=${BENCH_JOIN_ROUNDS:-5}
WARMUP=${BENCH_WARMUP:-3}
LAUNCHES=${BENCH_JOIN_LAUNCHES:-100}
LROUNDS=${BENCH_JOIN_LROUNDS:-5}
TAB=$(printf '\t')
PATH=$PATH:/usr/sbin:/sbin

tests/prereqs.sh build bench || exit
# The floor with the libc bin/'s tools were linked against (make's LIBC).
make -s all >/dev/null || exit 1
LIBC=$(cut -d' ' -f1 build/.flags)
make -s "build/$LIBC/floor/floor_setns" || exit 1

T=$(mktemp -d "${TMPDIR:-/tmp}/nslab-bench-join.XXXXXX") || exit 1
NETNS=njbench$$
PIDS=
cleanup() {
	trap - EXIT INT TERM
	for p in $PIDS; do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -e "/run/netns/$NETNS" ] && ip netns del "$NETNS"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$T"
mkdir "$T/bin" "$T/home" "$T/out" "$T/keep"
cp bin/nsjoin bin/nsnet bin/usernsselfmap bin/nsuts bin/nsmount \
	"build/$LIBC/floor/floor_setns" "$T/bin/"
chmod -R a+rX "$T"
if [ "$(id -u)" = 0 ]; then
	chown 65534:65534 "$T/home" "$T/out" "$T/keep"
	RUNAS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	WHO="uid 65534"
else
	RUNAS=
	WHO="uid $(id -u)"
fi
# The same clean environment for everyone: nslab's tools first.
as_root() { env -i PATH="$T/bin:/usr/bin:/bin:/usr/sbin:/sbin" HOME="$T/home" LANG=C "$@"; }
# shellcheck disable=SC2086 # RUNAS is a command of several words, or none
as_user() { $RUNAS env -i PATH="$T/bin:/usr/bin:/bin" HOME="$T/home" LANG=C "$@"; }

# ------------------------------------------------------------ 1. entering
# The experiment: the user's shell in a user, network and UTS namespace of
# its own, its PID written once they are made.
as_user usernsselfmap nsnet nsuts --hostname bench sh -c \
	"echo \$\$ >$T/out/holder.pid; exec sleep 3600" </dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"
for _ in $(seq 1 100); do [ -s "$T/out/holder.pid" ] && break; sleep 0.1; done
H=$(cat "$T/out/holder.pid" 2>/dev/null)
[ -n "$H" ] || { echo "bench/join.sh: the holder did not start" >&2; exit 1; }
PIDS="$PIDS $H"

# nsenter's options and floor_setns's kinds for the setns calls nsjoin -v
# narrates: the kinds it joins, in its order.
kinds() {
	"$@" 2>&1 >/dev/null | sed -n 's/^nsjoin: setns(pidfd of [0-9]*, \(.*\)) = 0$/\1/p' | tr '\n' ' '
}
nsenter_opts() {
	o=
	for k in $(echo "$1" | tr '|' ' '); do
		case $k in
		CLONE_NEWUSER) o="$o -U" ;; CLONE_NEWNET) o="$o -n" ;; CLONE_NEWNS) o="$o -m -r -w" ;;
		CLONE_NEWUTS) o="$o -u" ;; CLONE_NEWIPC) o="$o -i" ;; CLONE_NEWPID) o="$o -p" ;;
		CLONE_NEWCGROUP) o="$o -C" ;; CLONE_NEWTIME) o="$o -T" ;;
		esac
	done
	case $1 in *CLONE_NEWUSER*) o="$o --preserve-credentials" ;; esac
	echo "$o"
}
floor_kinds() {
	echo "$1" | tr ' |' '\n\n' | sed -n 's/^CLONE_NEW//p' | tr '[:upper:]' '[:lower:]' | sed 's/^ns$/mnt/' | tr '\n' ' '
}

# time NAME RUNNER KEY CMD KEY CMD ...: hyperfine -N rounds, order rotated;
# appends "NAME.KEY TAB median-ms" to $T/medians.
: >"$T/medians"
timeit() {
	name=$1 runner=$2; shift 2
	: >"$T/cmds"
	while [ $# -ge 2 ]; do printf '%s\t%s\n' "$1" "$2" >>"$T/cmds"; shift 2; done
	rm -f "$T"/out/r*.json
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		set --
		while IFS="$TAB" read -r key cmd; do set -- "$@" -n "$key" "$cmd"; done <<EOF
$(awk -v s="$r" '{ a[NR] = $0 } END { for (i = 0; i < NR; i++) print a[(i + s) % NR + 1] }' "$T/cmds")
EOF
		if ! $runner hyperfine -N --style none --warmup "$WARMUP" --runs "$RUNS" \
			--export-json "$T/out/r$r.json" "$@" >"$T/out/hf.log" 2>&1; then
			echo "bench/join.sh: hyperfine failed ($name):" >&2
			cat "$T/out/hf.log" >&2
			return 1
		fi
		r=$((r + 1))
	done
	jq -rs --arg n "$name" '[.[].results[]] | group_by(.command)[] |
		([.[].times[]] | sort) as $t | ($t | length) as $k |
		(if $k % 2 == 1 then $t[($k - 1) / 2] else ($t[$k / 2 - 1] + $t[$k / 2]) / 2 end) as $m |
		"\($n).\(.[0].command)\t\($m * 1000)"' "$T"/out/r*.json >>"$T/medians"
}
med() { awk -F"$TAB" -v k="$1" '$1 == k { printf "%.2f", $2 }' "$T/medians"; }
ratio() {
	a=$(med "$1") b=$(med "$2")
	[ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }'
}

echo "bench/join.sh: entering the namespaces of $WHO's shell ($ROUNDS rounds x $RUNS runs)" >&2
UK=$(kinds as_user nsjoin -v -t "$H" true)
timeit user as_user nsjoin "nsjoin -t $H true" \
	nsenter "nsenter -t $H$(nsenter_opts "$UK") true" \
	floor "floor_setns $H $(floor_kinds "$UK")-- true"
if [ "$(id -u)" = 0 ]; then
	echo "bench/join.sh: the same as root" >&2
	RK=$(kinds as_root nsjoin -v -t "$H" true)
	timeit root as_root nsjoin "nsjoin -t $H true" \
		nsenter "nsenter -t $H$(nsenter_opts "$RK") true" \
		floor "floor_setns $H $(floor_kinds "$RK")-- true"
	RNK=$(kinds as_root nsjoin -v -t "$H" -n -u true)
	timeit rootnu as_root nsjoin "nsjoin -t $H -n -u true" \
		nsenter "nsenter -t $H$(nsenter_opts "$RNK") true" \
		floor "floor_setns $H $(floor_kinds "$RNK")-- true"
fi

# ------------------------------------------------------------ 2. launching
# launches.sh LOOPS COUNT CMD...: LOOPS loops at once, each running CMD
# COUNT times; prints launches per second, or exits 1 when one failed.
cat >"$T/launches.sh" <<'EOF'
loops=$1 count=$2; shift 2
t0=$(date +%s%N) pids= i=0
while [ $i -lt "$loops" ]; do
	( n=0; while [ $n -lt "$count" ]; do "$@" || exit 1; n=$((n + 1)); done ) &
	pids="$pids $!" i=$((i + 1))
done
rc=0
for p in $pids; do wait "$p" || rc=1; done
t1=$(date +%s%N)
[ $rc = 0 ] || exit 1
awk -v n=$((loops * count)) -v t=$((t1 - t0)) 'BEGIN { printf "%.1f\n", n / (t / 1e9) }'
EOF
chmod 644 "$T/launches.sh"
NCPU=$(nproc)
LOOPS=$(printf '1\n2\n%s\n' "$NCPU" | sort -nu | tr '\n' ' ')
: >"$T/rates"
# rate KEY LOOPS RUNNER...: one measurement; KEY TAB LOOPS TAB launches/s.
rate() {
	key=$1 loops=$2; shift 2
	if v=$("$@" "$loops" "$LAUNCHES" 2>"$T/out/rate.err"); then
		printf '%s\t%s\t%s\n' "$key" "$loops" "$v" >>"$T/rates"
	else
		echo "bench/join.sh: $key with $loops loops failed: $(head -c 300 "$T/out/rate.err")" >&2
	fi
	# Teardown is asynchronous (the netns work queue): let it drain
	# before the next measurement, so one row's cleanup is not another's.
	sleep 1
}
u_make() { as_user sh "$T/launches.sh" "$1" "$2" nsnet -U true; }
u_join() {
	as_user usernsselfmap nsmount -t "$T/keep" sh -c \
		'd=$1; shift; : >"$d/net" && nsnet --keep "$d/net" true && exec sh "$@" nsjoin --net "$d/net" true' \
		sh "$T/keep" "$T/launches.sh" "$1" "$2"
}
r_make() { as_root sh "$T/launches.sh" "$1" "$2" nsnet -U true; }
r_makenet() { as_root sh "$T/launches.sh" "$1" "$2" nsnet true; }
r_join() { as_root sh "$T/launches.sh" "$1" "$2" nsjoin --net "/run/netns/$NETNS" true; }
RATES="u_make u_join"
if [ "$(id -u)" = 0 ]; then
	as_root nsnet --name "$NETNS" true || exit 1
	RATES="$RATES r_make r_makenet r_join"
fi
echo "bench/join.sh: launch rates, loops $LOOPS, $LROUNDS rounds of $LAUNCHES launches per loop" >&2
r=1
while [ "$r" -le "$LROUNDS" ]; do
	# shellcheck disable=SC2086 # one word per function
	for f in $(printf '%s\n' $RATES | awk -v s="$r" '{ a[NR] = $0 } END { for (i = 0; i < NR; i++) print a[(i + s) % NR + 1] }'); do
		for l in $LOOPS; do rate "$f" "$l" "$f"; done
	done
	r=$((r + 1))
done
# The median of a key's rates at LOOPS.
lmed() {
	awk -F"$TAB" -v k="$1" -v l="$2" '$1 == k && $2 == l { print $3 }' "$T/rates" | sort -n |
		awk '{ x[NR] = $1 } END { if (NR) printf "%.0f", NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2 }'
}
lratio() {
	a=$(lmed "$1" "$2") b=$(lmed "$3" "$4")
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" != 0 ] && awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }'
}

# ------------------------------------------------------------ report
echo "### Joining (bench/join.sh)"
echo
echo "- $(nproc) CPUs, $(uname -sr); nslab $(git describe --always --dirty 2>/dev/null || echo unknown), tools and floor_setns linked against $LIBC; $(nsenter --version); $(hyperfine --version)"
echo "- the shell joined: \`usernsselfmap nsnet nsuts --hostname bench sh -c '...; exec sleep 3600'\`, started by $WHO"
echo
echo "#### Entering a shell's namespaces (ms, medians of $((ROUNDS * RUNS)) runs each)"
echo
echo "| who, kinds joined | \`nsjoin\` | \`nsenter\` | \`floor_setns\` | nsjoin ÷ nsenter (goal ≤ 0.9) | nsjoin ÷ floor |"
echo "|---|---:|---:|---:|---:|---:|"
row() {
	echo "| $2: \`$3\` ($(echo "$4" | sed 's/CLONE_NEW//g; s/ *$//; s/ /, then /g; s/|/+/g')) | $(med "$1.nsjoin") | $(med "$1.nsenter") | $(med "$1.floor") | **$(ratio "$1.nsjoin" "$1.nsenter")** | $(ratio "$1.nsjoin" "$1.floor") |"
}
row user "$WHO, their own experiment" "nsjoin -t PID true" "$UK"
if [ "$(id -u)" = 0 ]; then
	row root "root, into namespaces a child user namespace owns" "nsjoin -t PID true" "$RK"
	row rootnu "root, the same without the user namespace" "nsjoin -t PID -n -u true" "$RNK"
fi
echo
echo "nsenter runs as \`nsenter -t PID$(nsenter_opts "$UK") true\` for $WHO$([ "$(id -u)" = 0 ] && echo " and \`nsenter -t PID$(nsenter_opts "$RK") true\` / \`nsenter -t PID$(nsenter_opts "$RNK") true\` for root"): the kinds \`nsjoin -v\` narrated, in its order (floor_setns joins the user namespace first, then the rest in one call, as nsjoin does here)."
echo
echo "#### Launch rate of network-off tasks (launches per second, medians of $LROUNDS rounds; loops run at once, $LAUNCHES launches each)"
echo
printf '| command |'; for l in $LOOPS; do printf ' %s loop%s |' "$l" "$([ "$l" = 1 ] || echo s)"; done; echo
printf '|---|'; for _ in $LOOPS; do printf -- '---:|'; done; echo
lrow() {
	printf '| %s |' "$2"; for l in $LOOPS; do printf ' %s |' "$(lmed "$1" "$l")"; done; echo
}
lrow u_make "$WHO: \`nsnet -U true\` (a user and a network namespace made per task)"
lrow u_join "$WHO: \`nsjoin --net FILE true\`, FILE kept by \`nsnet --keep\` in the user's own mount namespace"
if [ "$(id -u)" = 0 ]; then
	lrow r_make "root: \`nsnet -U true\`"
	lrow r_makenet "root: \`nsnet true\` (a network namespace only)"
	lrow r_join "root: \`nsjoin --net /run/netns/NAME true\`, kept by \`nsnet --name NAME\`"
fi
echo
echo "- $WHO, \`nsnet -U true\`: 2 loops ÷ 1 loop $(lratio u_make 2 u_make 1); $NCPU loops (one per CPU) ÷ 1 loop $(lratio u_make "$NCPU" u_make 1)."
echo "- $WHO, joining ÷ making at 1 loop $(lratio u_join 1 u_make 1), at $NCPU loops $(lratio u_join "$NCPU" u_make "$NCPU")."
if [ "$(id -u)" = 0 ]; then
	echo "- root, joining ÷ \`nsnet -U\` at 1 loop $(lratio r_join 1 r_make 1), at $NCPU loops $(lratio r_join "$NCPU" r_make "$NCPU"); \`nsnet -U\` 2 loops ÷ 1 loop $(lratio r_make 2 r_make 1)."
fi
echo
cat <<'EOF'
What joining gains: no network namespace is made or destroyed per task.
Making one registers its `lo` under the RTNL lock, one lock for the whole
machine, and its end is queued to a single work item (cleanup_net, on the
ordered "netns" work queue) that takes the same lock to unregister the
devices and waits for RCU grace periods: tasks that make namespaces contend
there, however many CPUs run them. Joining a kept one is a setns(2) and a
reference count. What the tasks then share is the whole network namespace:
its `lo` and every socket bound in it (one task's listener on 127.0.0.1 is
every task's to connect to), its abstract UNIX sockets, its routes,
firewall rules and sysctls, and whatever a task with the capability there
changes for the next. They are cut off from the host's network, not from
each other; tasks that must not see each other need one namespace each
(`nsnet -U`). Teardown runs after a task has exited, so a short burst of
launches does not pay all of it: the rate of a longer loop is the steadier.
EOF
