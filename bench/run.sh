#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/run.sh: `make bench`.  Times nslab's chain tools against util-linux
# unshare, bubblewrap and iproute2, and against floor programs (bench/floor/)
# that make only the system calls the same result needs, each built against
# glibc and, when musl-gcc is installed, musl; then peak memory,
# binary sizes, system-call and instruction counts, and bench/nsinfo.sh when
# it exists.  It prints markdown tables and keeps them in
# build/bench/results.md.  It reports; it asserts nothing, and it is not
# part of `make check`.
#
# Run as root, the timed commands run as uid 65534 (setpriv), since the
# unprivileged user is the real use of user namespaces; run as anyone else,
# they run as that user.  Each command runs in a fresh namespace set that
# the kernel frees when it exits; the scratch directory goes on exit.
#
# BENCH_RUNS (default 25) timed runs per command and round, BENCH_ROUNDS
# (default 60) rounds, the order of the commands rotated each round so slow
# drift on a shared machine spreads over all of them.  Medians are taken
# over every run of every round.
# shellcheck disable=SC2016 # backquotes are markdown here
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=$ROOT/build/bench
RUNS=${BENCH_RUNS:-25}
ROUNDS=${BENCH_ROUNDS:-60}
WARMUP=${BENCH_WARMUP:-3}
TAB=$(printf '\t')

# What it needs is in prereqs.txt; run directly, it checks as make bench does.
tests/prereqs.sh build bench || exit

# The subordinate-id rows (usernsselfmap --subids, unshare --map-auto) need
# ranges in /etc/subuid and /etc/subgid for the timed user.  As root the
# bench grants uid 65534 one as the tests do: test files bound over the
# host's in a private mount namespace of its own (the host's files are never
# touched), and the whole bench runs there.  Otherwise the rows use what the
# host grants the caller, or are left out saying why.
if [ "$(id -u)" = 0 ] && [ -z "${NSLAB_BENCH_SUBIDS:-}" ] &&
   [ -e /etc/subuid ] && [ -e /etc/subgid ] && command -v unshare >/dev/null; then
	g=$(mktemp -d "${TMPDIR:-/tmp}/nslab-bench-subids.XXXXXX") || exit 1
	printf '65534:100000:65536\n' >"$g/subuid"
	cp "$g/subuid" "$g/subgid"
	chmod 755 "$g"; chmod 644 "$g/subuid" "$g/subgid"
	NSLAB_BENCH_SUBIDS=$g unshare --mount --propagation private sh -c '
		mount --bind "$NSLAB_BENCH_SUBIDS/subuid" /etc/subuid &&
		mount --bind "$NSLAB_BENCH_SUBIDS/subgid" /etc/subgid && exec "$@"' sh "$0" "$@" &&
		rc=0 || rc=$?	# not set -e's exit: the files go either way
	rm -rf "$g"
	exit $rc
fi

# The chain tools and the floors, each linked -static-pie against glibc and,
# when musl-gcc is there, against musl: by the Makefile, with make's flags,
# so tool ÷ floor on the same libc is what nslab adds, and musl ÷ glibc
# what the C library costs.  bin/ holds one of the two (make's LIBC).
# Every tool but nsinfo, as the Makefile builds them.
CHAIN=$(for f in tools/*.c; do t=${f##*/}; [ "$t" = nsinfo.c ] || echo "${t%.c}"; done)
LIBCS=glibc
if command -v musl-gcc >/dev/null 2>&1; then
	LIBCS="glibc musl"
fi
targets=
for l in $LIBCS; do
	for t in $CHAIN; do
		[ -f "tools/$t.c" ] && targets="$targets build/$l/bin/$t"
	done
	for src in bench/floor/*.c; do
		targets="$targets build/$l/floor/$(basename "$src" .c)"
	done
done
mkdir -p "$OUT"
# shellcheck disable=SC2086 # the list of targets
make -s $targets
# The one program of the chain tools (lib/multicall.h; bin/'s tools are
# hard links to it), each libc's, where the Makefile builds it.
MCLIBCS=
for l in $LIBCS; do
	if make -s "build/$l/nslab/nslab" >/dev/null 2>&1 && [ -x "build/$l/nslab/nslab" ]; then
		MCLIBCS="$MCLIBCS $l"
	fi
done

# srcs TOOL: its source files (tools/TOOL.c, or a folder tools/TOOL/).
srcs() {
	if [ -f "tools/$1.c" ]; then echo "tools/$1.c"; else ls "tools/$1"/*.c 2>/dev/null; fi
}
VERDEF=-DNSLAB_VERSION="\"$(sed -n 's/^VERSION *= *//p' config.mk)\""
# The chain tools once more, linked dynamically (make STATIC=0), from the
# same sources and flags (less -g): what the static link saves a chain.
mkdir -p "$OUT/dynamic"
for t in usernsselfmap nsnet nsmount; do
	if [ -n "$(srcs "$t")" ] && [ -x "bin/$t" ]; then
		# shellcheck disable=SC2046 # one word per source file
		cc -O2 -D_GNU_SOURCE "$VERDEF" -Ilib -Itools/"$t" -std=c11 -o "$OUT/dynamic/$t" \
			$(srcs "$t") lib/*.c
	fi
done
# The container chain's tools once more against musl, static but not PIE
# (-static -no-pie, code built -fno-pie): what -static-pie, which keeps
# ASLR, costs each exec in relocations and page faults.  Not in bin/.
# lib/ goes into an archive as the Makefile's does, so each tool links
# only the modules it uses.
case $LIBCS in
*musl*)
	rm -rf "$OUT/nopie" && mkdir -p "$OUT/nopie/lib"
	musl_nopie() {
		musl-gcc -O2 -g -D_GNU_SOURCE "$VERDEF" -Ilib -isystem build/musl/include -std=c11 -fno-pie "$@"
	}
	for f in lib/*.c; do
		musl_nopie -c -o "$OUT/nopie/lib/$(basename "$f" .c).o" "$f"
	done
	ar rcs "$OUT/nopie/lib/libnslab.a" "$OUT/nopie/lib"/*.o
	for t in usernsselfmap nsuts nsipc nscgroup nspid nsmount nsnet; do
		[ -n "$(srcs "$t")" ] || continue
		# shellcheck disable=SC2046 # one word per source file
		musl_nopie -Itools/"$t" -no-pie -static -o "$OUT/nopie/$t" $(srcs "$t") "$OUT/nopie/lib/libnslab.a"
	done
	rm -rf "$OUT/nopie/lib" ;;
esac

T=$(mktemp -d "${TMPDIR:-/tmp}/nslab-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
chmod 755 "$T"
mkdir "$T/bin" "$T/home" "$T/out"
# A copy the unprivileged user can reach (the tree may sit under /root):
# $T/glibc and $T/musl, the chain tools and floors of each; $T/bin, nsinfo.
cp bin/* "$T/bin/"
for l in $LIBCS; do
	mkdir "$T/$l"
	cp "build/$l"/bin/* "build/$l"/floor/* "$T/$l/"
done
mkdir "$T/dynamic" "$T/nopie"
cp "$OUT"/dynamic/* "$T/dynamic/" 2>/dev/null || true
cp "$OUT"/nopie/* "$T/nopie/" 2>/dev/null || true
# mc.LIBC: the one program once, every chain tool a hard link to it, as
# make installs them: a tool whose command is another runs it in the same
# process.  mcx.LIBC: the same file copied under each name, so every step
# is a real execve(2) of it (a copy is another inode: multicall.h).
for l in $MCLIBCS; do
	mkdir "$T/mc.$l" "$T/mcx.$l"
	cp "build/$l/nslab/nslab" "$T/mc.$l/nslab"
	for t in $CHAIN; do
		ln "$T/mc.$l/nslab" "$T/mc.$l/$t"
		cp "build/$l/nslab/nslab" "$T/mcx.$l/$t"
	done
done
chmod -R a+rX "$T"/*
B=$T/bin
H=$T/home
if [ "$(id -u)" = 0 ]; then
	chown 65534:65534 "$H" "$T/out"
	RUNAS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	WHO="uid 65534 (setpriv --reuid=65534 --regid=65534 --clear-groups)"
else
	RUNAS=
	WHO="uid $(id -u), unprivileged"
fi
BLANG=${LANG:-C.UTF-8}
# A clean environment: the same PATH walk for `true` (/usr/bin first) in
# every command, HOME the scratch home that nsmount and bwrap bind on /root.
as_user() {
	$RUNAS env -i PATH=/usr/bin:/bin HOME="$H" LANG="$BLANG" "$@"
}
# have TOOL LIBC: that libc's build of TOOL is there.
have() { [ -x "$T/$2/$1" ]; }

notes=$T/notes
: >"$notes"
note() { echo "$*" >>"$notes"; echo "bench: $*" >&2; }

# ---------------------------------------------------------------- commands
# key TAB command; a command is split by hyperfine -N, without a shell.
cmds=$T/cmds
: >"$cmds"
add() {
	# Run it once first: a command that fails is left out, saying why,
	# rather than aborting the whole run or being timed doing nothing.
	# shellcheck disable=SC2086
	if as_user sh -c "exec $2" >"$T/out/try" 2>&1 </dev/null; then
		printf '%s\t%s\n' "$1" "$2" >>"$cmds"
	else
		note "left out $1 (exit $?): $(head -c 300 "$T/out/try" | tr '\n' ' ')"
	fi
}
VETH_OPTS="--veth a:b --addr a=10.201.0.1/24 --addr b=10.201.0.2/24"
# "dev" and "name" spelled out: ip reads a bare "a" as "address".
VETH_IP="ip link set dev lo up && ip link add name a type veth peer name b && ip addr add 10.201.0.1/24 dev a && ip link set dev a up && ip addr add 10.201.0.2/24 dev b && ip link set dev b up"
printf '%s\n' "link set dev lo up" "link add name a type veth peer name b" \
	"addr add 10.201.0.1/24 dev a" "link set dev a up" \
	"addr add 10.201.0.2/24 dev b" "link set dev b up" >"$T/veth.ip"
chmod 644 "$T/veth.ip"

add true "true"
add u.unshare "/usr/bin/unshare -r true"
add n.unshare "/usr/bin/unshare -cn true"
# KEY.LIBC: the same command with the tools and floors of each libc.  A
# row whose tool is missing is left out by add, saying why.
for l in $LIBCS; do
	L=$T/$l
	add "u.tool.$l" "$L/usernsselfmap true"
	add "u.floor.$l" "$L/floor_userns true"
	add "n.tool.$l" "$L/nsnet -U true"
	add "n.floor.$l" "$L/floor_netns_u true"
	# nsmount alone, after a floor made us root in a user namespace; its
	# unshare counterpart makes every mount private too (unshare -m's
	# default), but binds nothing, where nsmount binds $HOME on /root.
	add "m.tool.$l" "$L/floor_userns $L/nsmount true"
	add "m.unshare.$l" "$L/floor_userns /usr/bin/unshare -m true"
	add "m.floor.$l" "$L/floor_userns $L/floor_mountns true"
	add "c.tool.$l" "$L/usernsselfmap $L/nsnet $L/nsmount true"
	add "c.floor.$l" "$L/floor_userns $L/floor_netns $L/floor_mountns true"
	add "c.floor1.$l" "$L/floor_chain true"
	add "v.tool.$l" "$L/usernsselfmap $L/nsnet $VETH_OPTS true"
	add "v.floor.$l" "$L/floor_userns $L/floor_veth true"
done
if [ -x "$T/dynamic/nsmount" ] && [ -x "$T/dynamic/nsnet" ] && [ -x "$T/dynamic/usernsselfmap" ]; then
	S=$T/dynamic
	add c.dynamic "$S/usernsselfmap $S/nsnet $S/nsmount true"
fi
add c.bwrap "/usr/bin/bwrap --unshare-user --unshare-net --uid 0 --gid 0 --bind / / --bind $H /root true"
add v.ip "/usr/bin/unshare -rn /bin/sh -c '$VETH_IP'"
add v.ipb "/usr/bin/unshare -rn /usr/sbin/ip -batch $T/veth.ip"
# Both pay two setuid execs (newuidmap, newgidmap).  util-linux 2.38 has no
# --map-subids; --map-auto with -r writes the same maps.
for l in $LIBCS; do
	add "s.tool.$l" "$T/$l/usernsselfmap --subids true"
done
add s.unshare "/usr/bin/unshare --map-auto -r true"
# One kind each, as root of a user namespace floor_userns made: the tool
# and its floor pay the same user namespace, the ratio is what nslab adds.
for l in $LIBCS; do
	L=$T/$l
	for k in uts:nsuts:floor_utsns ipc:nsipc:floor_ipcns cgroup:nscgroup:floor_cgroupns \
		pid:nspid:floor_pidns time:nstime:floor_timens cap:nscap:floor_caps \
		seccomp:nsseccomp:floor_seccomp; do
		kind=${k%%:*} rest=${k#*:}
		opts=; [ "$kind" = uts ] && opts="--hostname lab"
		[ "$kind" = time ] && opts="--monotonic 60"
		[ "$kind" = cap ] && opts="--cap-keep net_admin"
		if have "${rest%%:*}" "$l"; then
			add "$kind.tool.$l" "$L/floor_userns $L/${rest%%:*} $opts true"
		fi
		add "$kind.floor.$l" "$L/floor_userns $L/${rest#*:} true"
	done
done
# nscap against setpriv(1) making the same sets.
add cap.setpriv "$T/${LIBCS%% *}/floor_userns /usr/bin/setpriv --bounding-set=-all,+net_admin --inh-caps=-all,+net_admin true"
# nspid and nstime against unshare(1) doing the same in one program.
add pid.unshare "/usr/bin/unshare -rp --fork --mount-proc true"
add time.unshare "/usr/bin/unshare -rT --monotonic 60 true"
# The container chain of issue #27 (examples/container-shell.sh's kinds)
# against unshare with every kind but time, and against bwrap
# --unshare-all, whose --proc must come after --bind / /, or the bind hides
# the fresh /proc; and against its floors, chained (seven programs) and in
# one process (floor_container).  nspid forks twice as unshare --fork does
# not: its watcher (keeper.h), then PID 1.
# container DIR: the chain's command line with the tools in DIR.
container() {
	echo "$1/usernsselfmap $1/nsuts --hostname lab $1/nsipc $1/nscgroup $1/nspid $1/nsmount $1/nsnet true"
}
for l in $LIBCS; do
	L=$T/$l
	if have nspid "$l" && have nsuts "$l" && have nsmount "$l" && have nsnet "$l"; then
		add "k.tool.$l" "$(container "$L")"
		# nspid --no-proc: no mount namespace of nspid's, no /proc, so
		# nsmount's unshare frees no namespace: what those two cost.
		add "k.noproc.$l" "$(container "$L" | sed 's,/nspid ,/nspid --no-proc ,')"
	fi
	add "k.floor.$l" "$L/floor_userns $L/floor_utsns $L/floor_ipcns $L/floor_cgroupns $L/floor_pidns $L/floor_mountns $L/floor_netns true"
	add "k.floor1.$l" "$L/floor_container true"
done
# The one program (bin/ since multicall): alone, the three-step chain, the
# container chain in one process, and the container chain exec'ing.
for l in $MCLIBCS; do
	M=$T/mc.$l
	add "u.mc.$l" "$M/usernsselfmap true"
	add "n.mc.$l" "$M/nsnet -U true"
	add "c.mc.$l" "$M/usernsselfmap $M/nsnet $M/nsmount true"
	add "k.mc.$l" "$(container "$M")"
	add "k.mcx.$l" "$(container "$T/mcx.$l")"
done
if [ -x "$T/nopie/nspid" ] && [ -x "$T/nopie/nsmount" ]; then
	add k.nopie "$(container "$T/nopie")"
	add u.nopie "$T/nopie/usernsselfmap true"
fi
add k.unshare "/usr/bin/unshare -r -n -m -p -u -i -C --fork --mount-proc true"
add k.bwrap "/usr/bin/bwrap --unshare-all --uid 0 --gid 0 --bind / / --proc /proc --hostname lab true"

label() {
	case $1 in
	*.glibc|*.musl) echo "$(label "${1%.*}"), ${1##*.}"; return ;;
	esac
	case $1 in
	true)      echo '`true` alone (fork+exec baseline)' ;;
	u.tool)    echo '`usernsselfmap true`' ;;
	u.unshare) echo '`unshare -r true`' ;;
	u.floor)   echo '`floor_userns true`' ;;
	n.tool)    echo '`nsnet -U true`' ;;
	n.unshare) echo '`unshare -cn true`' ;;
	n.floor)   echo '`floor_netns_u true`' ;;
	m.tool)    echo '`floor_userns nsmount true`' ;;
	m.unshare) echo '`floor_userns unshare -m true`' ;;
	m.floor)   echo '`floor_userns floor_mountns true`' ;;
	c.tool)    echo '`usernsselfmap nsnet nsmount true`' ;;
	c.bwrap)   echo '`bwrap --unshare-user --unshare-net --uid 0 --gid 0 --bind / / --bind $HOME /root true`' ;;
	c.floor)   echo '`floor_userns floor_netns floor_mountns true`' ;;
	c.floor1)  echo '`floor_chain true` (one process)' ;;
	c.dynamic) echo 'the same chain, tools linked dynamically (`make STATIC=0`)' ;;
	v.tool)    echo '`usernsselfmap nsnet --veth a:b --addr a=… --addr b=… true`' ;;
	v.ip)      echo '`unshare -rn sh -c '"'"'ip link set lo up && ip link add … (6 ip)'"'"'`' ;;
	v.ipb)     echo '`unshare -rn ip -batch FILE` (the same 6 commands)' ;;
	v.floor)   echo '`floor_userns floor_veth true`' ;;
	s.tool)    echo '`usernsselfmap --subids true` (newuidmap, newgidmap)' ;;
	s.unshare) echo '`unshare --map-auto -r true` (newuidmap, newgidmap)' ;;
	uts.tool)  echo '`floor_userns nsuts --hostname lab true`' ;;
	uts.floor) echo '`floor_userns floor_utsns true`' ;;
	ipc.tool)  echo '`floor_userns nsipc true`' ;;
	ipc.floor) echo '`floor_userns floor_ipcns true`' ;;
	cgroup.tool)  echo '`floor_userns nscgroup true`' ;;
	cgroup.floor) echo '`floor_userns floor_cgroupns true`' ;;
	pid.tool)  echo '`floor_userns nspid true`' ;;
	pid.floor) echo '`floor_userns floor_pidns true`' ;;
	pid.unshare) echo '`unshare -rp --fork --mount-proc true`' ;;
	time.tool)  echo '`floor_userns nstime --monotonic 60 true`' ;;
	time.floor) echo '`floor_userns floor_timens true`' ;;
	time.unshare) echo '`unshare -rT --monotonic 60 true`' ;;
	cap.tool)  echo '`floor_userns nscap --cap-keep net_admin true`' ;;
	cap.floor) echo '`floor_userns floor_caps true`' ;;
	cap.setpriv) echo '`floor_userns setpriv --bounding-set=-all,+net_admin --inh-caps=-all,+net_admin true`' ;;
	seccomp.tool)  echo '`floor_userns nsseccomp true`' ;;
	seccomp.floor) echo '`floor_userns floor_seccomp true`' ;;
	k.tool)    echo 'the container chain, `usernsselfmap nsuts --hostname lab nsipc nscgroup nspid nsmount nsnet true`' ;;
	k.noproc)  echo 'the container chain with `nspid --no-proc`' ;;
	k.floor)   echo '`floor_userns floor_utsns floor_ipcns floor_cgroupns floor_pidns floor_mountns floor_netns true`' ;;
	k.floor1)  echo '`floor_container true` (the container chain'"'"'s calls in one process)' ;;
	u.mc)      echo '`usernsselfmap true`, the one program (bin/)' ;;
	n.mc)      echo '`nsnet -U true`, the one program (bin/)' ;;
	c.mc)      echo '`usernsselfmap nsnet nsmount true`, the one program: one process' ;;
	k.mc)      echo 'the container chain, the one program: one process' ;;
	k.mcx)     echo 'the container chain, the one program copied per name: seven execs' ;;
	k.nopie)   echo 'the container chain, musl, static non-PIE (`-static -no-pie`)' ;;
	u.nopie)   echo '`usernsselfmap true`, musl, static non-PIE' ;;
	k.unshare) echo '`unshare -r -n -m -p -u -i -C --fork --mount-proc true`' ;;
	k.bwrap)   echo '`bwrap --unshare-all --uid 0 --gid 0 --bind / / --proc /proc --hostname lab true`' ;;
	*)         echo "$1" ;;
	esac
}

# ---------------------------------------------------------------- timing
n=$(wc -l <"$cmds")
echo "bench: timing $n commands as $WHO: $ROUNDS rounds x ($WARMUP warm-up + $RUNS runs)" >&2
r=1
while [ "$r" -le "$ROUNDS" ]; do
	set --
	while IFS="$TAB" read -r key cmd; do
		set -- "$@" -n "$key" "$cmd"
	done <<EOF
$(awk -v s="$r" '{ a[NR] = $0 } END { for (i = 0; i < NR; i++) print a[(i + 3 * s) % NR + 1] }' "$cmds")
EOF
	echo "bench: round $r/$ROUNDS" >&2
	as_user hyperfine -N --style none --warmup "$WARMUP" --runs "$RUNS" \
		--export-json "$T/out/round$r.json" "$@" >"$T/out/hyperfine.log" 2>&1 || {
		cat "$T/out/hyperfine.log" >&2
		exit 1
	}
	r=$((r + 1))
done

# key TAB median-ms TAB min-ms TAB runs, over every round.
jq -rs '[.[].results[]] | group_by(.command)[] |
	([.[].times[]] | sort) as $t | ($t | length) as $n |
	(if $n % 2 == 1 then $t[($n - 1) / 2] else ($t[$n / 2 - 1] + $t[$n / 2]) / 2 end) as $m |
	"\(.[0].command)\t\($m * 1000)\t\($t[0] * 1000)\t\($n)"' \
	"$T"/out/round*.json >"$T/medians"

# round TAB key TAB median-ms, each round on its own: the spread of a ratio
# from round to round shows how far this machine's noise moves it.
for f in "$T"/out/round*.json; do
	r=${f##*/round}
	jq -r --arg r "${r%.json}" '.results[] | "\($r)\t\(.command)\t\(.median * 1000)"' "$f"
done >"$T/rounds"

med() { awk -F"$TAB" -v k="$1" '$1 == k { print $2 }' "$T/medians"; }
fmt() { [ -n "$1" ] && printf '%.2f' "$1" || printf '—'; }
mini() { awk -F"$TAB" -v k="$1" '$1 == k { print $3 }' "$T/medians"; }
ratio() {
	a=$(med "$1"); b=$(med "$2")
	if [ -n "$a" ] && [ -n "$b" ]; then awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }'; fi
}
minratio() {
	a=$(mini "$1"); b=$(mini "$2")
	if [ -n "$a" ] && [ -n "$b" ]; then awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }'; fi
}
# How far noise moves the ratio A/B: twice the standard error of a median
# of per-round ratios, the spread of those taken as IQR / 1.349.
noise() {
	awk -F"$TAB" -v a="$1" -v b="$2" '$2 == a { A[$1] = $3 } $2 == b { B[$1] = $3 }
		END { for (r in A) if (r in B) print A[r] / B[r] }' "$T/rounds" | sort -n |
	awk '{ x[NR] = $1 } END { if (NR > 1) printf "%.2f", 2 * 1.2533 * (x[int((NR - 1) * 0.75) + 1] - x[int((NR - 1) * 0.25) + 1]) / 1.349 / sqrt(NR) }'
}
# target KEY-A KEY-B LIMIT DESCRIPTION: met when median(A)/median(B) <= LIMIT;
# "within noise" when the limit lies within the ratio's noise band.
target() {
	x=$(ratio "$1" "$2")
	if [ -z "$x" ]; then
		echo "| $4 | $3 | — | — | — | not measured |"
	else
		sp=$(noise "$1" "$2")
		v=$(awk -v x="$x" -v l="$3" -v e="${sp:-0}" 'BEGIN {
			v = x <= l ? "met" : "**missed**"
			if (x - e <= l && l <= x + e) v = v " (within noise)"
			print v }')
		echo "| $4 | $3 | $x | ± $sp | $(minratio "$1" "$2") | $v |"
	fi
}

# ---------------------------------------------------------------- memory
# Peak RSS (GNU time %M, the kernel's ru_maxrss).  ru_maxrss survives
# execve(2) as the maximum over the images a process was, so a tool is run
# with a command that does not exist: it does all its steps, its execvp
# fails (exit 127), and the peak is the tool's alone, not `true`'s.
peak() {
	key=$1
	shift
	if [ ! -x /usr/bin/time ]; then
		return
	fi
	as_user /usr/bin/time -f '%M %R %x' -o "$T/out/mem" "$@" >/dev/null 2>&1 || true
	# shellcheck disable=SC2046 # three numbers
	set -- $(tail -n 1 "$T/out/mem")
	case ${3:-} in
	0|127|1) echo "$key$TAB$1$TAB$2" >>"$T/mem" ;;	# bwrap says 1 for a failed exec
	*) note "peak memory of $key: exit ${3:-?}, not measured" ;;
	esac
}
: >"$T/mem"
if [ -x /usr/bin/time ]; then
	echo "bench: peak memory" >&2
	peak '`true`' /usr/bin/true
	for l in $LIBCS; do
		L=$T/$l
		have usernsselfmap "$l" && peak "\`usernsselfmap\`, $l" "$L/usernsselfmap" /nonexistent
		have nsnet "$l" && peak "\`nsnet -U\`, $l" "$L/nsnet" -U /nonexistent
		# shellcheck disable=SC2086 # the options
		have nsnet "$l" && peak "\`nsnet -U --veth a:b --addr … --addr …\`, $l" "$L/nsnet" -U $VETH_OPTS /nonexistent
		have nsmount "$l" && peak "\`nsmount\` (after floor_userns: the larger of the two), $l" "$L/floor_userns" "$L/nsmount" /nonexistent
		peak "\`floor_userns\`, $l" "$L/floor_userns" /nonexistent
		peak "\`floor_chain\`, $l" "$L/floor_chain" /nonexistent
	done
	peak '`unshare -r`' /usr/bin/unshare -r /nonexistent
	peak '`unshare -cn`' /usr/bin/unshare -cn /nonexistent
	peak '`bwrap` (the chain'"'"'s options; with its child)' /usr/bin/bwrap --unshare-user \
		--unshare-net --uid 0 --gid 0 --bind / / --bind "$H" /root /nonexistent
	if [ -x "$B/nsinfo" ]; then
		RUNAS_SAVE=$RUNAS
		RUNAS=	# -a sees every process only as root; as the caller
		peak '`nsinfo -a` (as the caller)' "$B/nsinfo" -a
		peak '`lsns` (as the caller)' /usr/bin/lsns
		RUNAS=$RUNAS_SAVE
	fi
else
	note "GNU time (/usr/bin/time) is not installed: no peak memory (apt-get install time)"
fi

# ------------------------------------------------ system calls, instructions
# System calls of the whole run (strace -f -c), less those of `true` alone:
# what the tools and their extra execs cost in kernel entries.  Instructions
# (callgrind, user space, deterministic) of the first program up to its
# execvp, i.e. the tool's own work with the dynamic linker's start-up.
: >"$T/counts"
base=
if command -v strace >/dev/null 2>&1; then
	echo "bench: system calls" >&2
	sc() {
		as_user strace -f -c -o "$T/out/sc" "$@" >/dev/null 2>&1 || return 0
		awk '$NF == "total" { print $4 }' "$T/out/sc"
	}
	base=$(sc /usr/bin/true)
	while IFS="$TAB" read -r key cmd; do
		eval "set -- $cmd"	# the quoting hyperfine -N honours
		c=$(sc "$@")
		if [ "$key" != true ] && [ -n "$c" ] && [ -n "$base" ]; then
			printf '%s\tsc\t%s\n' "$key" "$((c - base))" >>"$T/counts"
		fi
	done <"$cmds"
else
	note "strace is not installed: no system-call counts"
fi
# Minor page faults of the whole run (GNU time %R, the process and the
# children it waited for): nearly deterministic, and what exec costs most.
if [ -x /usr/bin/time ]; then
	while IFS="$TAB" read -r key cmd; do
		eval "set -- $cmd"
		as_user /usr/bin/time -f '%R' -o "$T/out/pf" "$@" >/dev/null 2>&1 || continue
		printf '%s\tpf\t%s\n' "$key" "$(tail -n 1 "$T/out/pf")" >>"$T/counts"
	done <"$cmds"
fi
if command -v valgrind >/dev/null 2>&1; then
	echo "bench: instructions" >&2
	# ir [PROGRAM...] -- COMMAND...: valgrind runs COMMAND, after the
	# PROGRAMs (floors that make us root in a user namespace) when given.
	ir() {
		pre=
		while [ "$1" != -- ]; do pre="$pre $1"; shift; done
		shift
		rm -f "$T"/out/cg*
		# shellcheck disable=SC2086
		as_user $pre valgrind --tool=callgrind --trace-children=no \
			--dump-before=execvp --callgrind-out-file="$T/out/cg" \
			"$@" >/dev/null 2>&1 || true
		awk '/^totals:/ { print $2; exit }' "$T/out/cg.1" 2>/dev/null || true
	}
	keys="u.unshare n.unshare"
	for l in $LIBCS; do
		keys="$keys u.tool.$l u.floor.$l n.tool.$l n.floor.$l c.floor1.$l"
	done
	for key in $keys; do
		cmd=$(awk -F"$TAB" -v k="$key" '$1 == k { print $2 }' "$cmds")
		[ -n "$cmd" ] || continue
		eval "set -- $cmd"
		printf '%s\tir\t%s\n' "$key" "$(ir -- "$@")" >>"$T/counts"
	done
	# nsnet and nsmount alone as in the chain, after floors made us root.
	for l in $LIBCS; do
		L=$T/$l
		if have nsnet "$l"; then
			printf 'x.nsnet.%s\tir\t%s\n' "$l" "$(ir "$L/floor_userns" -- "$L/nsnet" true)" >>"$T/counts"
			printf 'x.floor_netns.%s\tir\t%s\n' "$l" "$(ir "$L/floor_userns" -- "$L/floor_netns" true)" >>"$T/counts"
		fi
		if have nsmount "$l"; then
			printf 'x.nsmount.%s\tir\t%s\n' "$l" "$(ir "$L/floor_userns" "$L/floor_netns" -- "$L/nsmount" true)" >>"$T/counts"
			printf 'x.floor_mountns.%s\tir\t%s\n' "$l" "$(ir "$L/floor_userns" "$L/floor_netns" -- "$L/floor_mountns" true)" >>"$T/counts"
		fi
		# One kind each: the tool and its floor, root of a user namespace already.
		have nsuts "$l" && printf 'x.nsuts --hostname lab.%s\tir\t%s\n' "$l" "$(ir "$L/floor_userns" -- "$L/nsuts" --hostname lab true)" >>"$T/counts"
		printf 'x.floor_utsns.%s\tir\t%s\n' "$l" "$(ir "$L/floor_userns" -- "$L/floor_utsns" true)" >>"$T/counts"
		for k in nsipc:floor_ipcns nscgroup:floor_cgroupns; do
			have "${k%%:*}" "$l" && printf 'x.%s.%s\tir\t%s\n' "${k%%:*}" "$l" "$(ir "$L/floor_userns" -- "$L/${k%%:*}" true)" >>"$T/counts"
			printf 'x.%s.%s\tir\t%s\n' "${k#*:}" "$l" "$(ir "$L/floor_userns" -- "$L/${k#*:}" true)" >>"$T/counts"
		done
	done
else
	note "valgrind is not installed: no instruction counts"
fi
count() { awk -F"$TAB" -v k="$1" -v w="$2" '$1 == k && $2 == w { print $3 }' "$T/counts"; }

# ---------------------------------------------------------------- report
RES=$OUT/results.md
{
	echo "## Results of \`make bench\`, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- machine: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) CPUs, $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
	# shellcheck disable=SC1091
	echo "- kernel: $(uname -sr); $(. /etc/os-release && echo "$PRETTY_NAME"); $(ldd --version 2>&1 | head -n 1); musl $(ldm=$(ls /lib/ld-musl-*.so.1 2>/dev/null | head -n 1) && "$ldm" 2>&1 | sed -n 's/^Version //p')"
	echo "- nslab: $(git describe --always --dirty 2>/dev/null || echo unknown) ($(grep '^VERSION' config.mk | sed 's/.*= *//')), tools and floors built by make ($(grep -o -- ' -O[0-9s]*' build/.flags 2>/dev/null | head -n 1 | tr -d ' ') -g, see config.mk), -static-pie against each of: $LIBCS; $(cc --version | head -n 1)"
	echo "- others: $(hyperfine --version), $(unshare --version), $(bwrap --version), $(ip -V | sed 's/ip utility, //'), $(lsns --version)"
	echo "- as: $WHO; environment: PATH=/usr/bin:/bin HOME=<scratch> LANG=$BLANG"
	echo "- timing: hyperfine -N (no shell), $ROUNDS rounds x ($WARMUP warm-up + $RUNS runs) per command, order rotated per round"
	echo
	echo "### Time to run \`true\` (ms; median and minimum over all runs)"
	echo
	echo "| command | median | min | runs |"
	echo "|---|---:|---:|---:|"
	while IFS="$TAB" read -r key _; do
		line=$(awk -F"$TAB" -v k="$key" '$1 == k' "$T/medians")
		[ -n "$line" ] || continue
		m=$(echo "$line" | cut -f2); mn=$(echo "$line" | cut -f3); nr=$(echo "$line" | cut -f4)
		echo "| $(label "$key") | $(fmt "$m") | $(fmt "$mn") | $nr |"
	done <"$cmds"
	echo
	echo "### Targets (ratios of medians from this run)"
	echo
	echo "| target | limit | ratio of medians | noise (2 SE, from the per-round ratios) | ratio of minimums | |"
	echo "|---|---:|---:|---:|---:|---|"
	# Each tool against its floor on the same libc; each libc's tools
	# against util-linux unshare and bwrap (the goals are the default
	# build's, musl where it is installed; glibc's rows are for comparison).
	for l in $LIBCS; do
		target "u.tool.$l" "u.floor.$l" 1.10 "\`usernsselfmap\` ÷ its floor, $l"
		target "n.tool.$l" "n.floor.$l" 1.10 "\`nsnet -U\` ÷ its floor, $l"
		target "m.tool.$l" "m.floor.$l" 1.10 "\`nsmount\` (after floor_userns) ÷ its floor, $l"
		target "c.tool.$l" "c.floor.$l" 1.10 "the chain ÷ the chained floors, $l"
		target "k.tool.$l" "k.floor.$l" 1.10 "the container chain ÷ its chained floors, $l"
		target "v.tool.$l" "v.floor.$l" 1.10 "\`usernsselfmap nsnet --veth … --addr …\` ÷ its floor, $l"
		target "uts.tool.$l" "uts.floor.$l" 1.10 "\`nsuts --hostname lab\` ÷ its floor (both after floor_userns), $l"
		target "ipc.tool.$l" "ipc.floor.$l" 1.10 "\`nsipc\` ÷ its floor (both after floor_userns), $l"
		target "cgroup.tool.$l" "cgroup.floor.$l" 1.10 "\`nscgroup\` ÷ its floor (both after floor_userns), $l"
		target "pid.tool.$l" "pid.floor.$l" 1.10 "\`nspid\` ÷ its floor (both after floor_userns), $l"
		target "time.tool.$l" "time.floor.$l" 1.10 "\`nstime --monotonic 60\` ÷ its floor (both after floor_userns), $l"
		target "cap.tool.$l" "cap.floor.$l" 1.10 "\`nscap --cap-keep net_admin\` ÷ its floor (both after floor_userns), $l"
		target "seccomp.tool.$l" "seccomp.floor.$l" 1.10 "\`nsseccomp\` ÷ its floor (both after floor_userns), $l"
	done
	for l in $LIBCS; do
		target "u.tool.$l" u.unshare 0.90 "\`usernsselfmap\` ÷ \`unshare -r\`, $l"
		target "n.tool.$l" n.unshare 0.65 "\`nsnet -U\` ÷ \`unshare -cn\`, $l"
		target "m.tool.$l" "m.unshare.$l" 0.90 "\`nsmount\` ÷ \`unshare -m\` (both after floor_userns), $l"
		target "c.tool.$l" c.bwrap 0.50 "the chain ÷ bwrap, $l"
		target "s.tool.$l" s.unshare 1.00 "\`usernsselfmap --subids\` ÷ \`unshare --map-auto -r\`, $l"
		target "k.tool.$l" k.unshare 0.90 "the container chain ÷ \`unshare -r -n -m -p -u -i -C --fork --mount-proc\`, $l"
		target "k.tool.$l" k.bwrap 0.70 "the container chain ÷ \`bwrap --unshare-all … --proc /proc\`, $l"
	done
	# Issue #27's goals, for bin/ as make builds it: the one program.
	for l in $MCLIBCS; do
		target "k.mc.$l" k.unshare 0.90 "the one program: the container chain ÷ \`unshare -r -n -m -p -u -i -C --fork --mount-proc\`, $l"
		target "k.mc.$l" k.bwrap 0.70 "the one program: the container chain ÷ \`bwrap --unshare-all … --proc /proc\`, $l"
		target "c.mc.$l" c.bwrap 0.50 "the one program: \`usernsselfmap nsnet nsmount\` ÷ bwrap, $l"
		target "n.mc.$l" n.unshare 0.65 "the one program: \`nsnet -U\` ÷ \`unshare -cn\`, $l"
		target "k.mc.$l" "k.floor1.$l" 1.10 "the one program: the container chain ÷ floor_container (one process each), $l"
		target "c.mc.$l" "c.floor1.$l" 1.10 "the one program: \`usernsselfmap nsnet nsmount\` ÷ floor_chain (one process each), $l"
		target "u.mc.$l" "u.floor.$l" 1.10 "the one program: \`usernsselfmap\` ÷ its floor, $l"
		target "n.mc.$l" "n.floor.$l" 1.10 "the one program: \`nsnet -U\` ÷ its floor, $l"
	done
	echo
	echo "Other ratios of medians:"
	echo
	for l in $LIBCS; do
		echo "- $l: chain ÷ one-process floor $(ratio "c.tool.$l" "c.floor1.$l");" \
			"chained floors ÷ one-process floor $(ratio "c.floor.$l" "c.floor1.$l");" \
			"bwrap ÷ one-process floor $(ratio c.bwrap "c.floor1.$l");" \
			"\`unshare -r\` ÷ floor $(ratio u.unshare "u.floor.$l");" \
			"\`unshare -cn\` ÷ floor $(ratio n.unshare "n.floor.$l");" \
			"veth: nsnet ÷ sh+ip $(ratio "v.tool.$l" v.ip), nsnet ÷ ip -batch $(ratio "v.tool.$l" v.ipb)."
	done
	if [ "$LIBCS" = "glibc musl" ]; then
		echo "- musl ÷ glibc: \`usernsselfmap\` $(ratio u.tool.musl u.tool.glibc), its floor $(ratio u.floor.musl u.floor.glibc);" \
			"\`nsnet -U\` $(ratio n.tool.musl n.tool.glibc), its floor $(ratio n.floor.musl n.floor.glibc);" \
			"\`nsmount\` row $(ratio m.tool.musl m.tool.glibc);" \
			"the chain $(ratio c.tool.musl c.tool.glibc), the chained floors $(ratio c.floor.musl c.floor.glibc)," \
			"the one-process floor $(ratio c.floor1.musl c.floor1.glibc); veth $(ratio v.tool.musl v.tool.glibc)."
	fi
	echo "- dynamically linked glibc chain (\`make STATIC=0\`) ÷ bwrap $(ratio c.dynamic c.bwrap)."
	for l in $LIBCS; do
		echo "- the container chain, $l: ÷ its floors chained $(ratio "k.tool.$l" "k.floor.$l")," \
			"÷ floor_container (one process) $(ratio "k.tool.$l" "k.floor1.$l");" \
			"with \`nspid --no-proc\` ÷ without $(ratio "k.noproc.$l" "k.tool.$l");" \
			"chained floors ÷ floor_container $(ratio "k.floor.$l" "k.floor1.$l");" \
			"floor_container ÷ \`unshare\` $(ratio "k.floor1.$l" k.unshare), ÷ bwrap $(ratio "k.floor1.$l" k.bwrap)."
	done
	for l in $MCLIBCS; do
		echo "- the one program, $l: the container chain in one process ÷ the same file exec'd per step $(ratio "k.mc.$l" "k.mcx.$l")" \
			"(minimums $(minratio "k.mc.$l" "k.mcx.$l"), noise ± $(noise "k.mc.$l" "k.mcx.$l"));" \
			"÷ one program per tool $(ratio "k.mc.$l" "k.tool.$l");" \
			"exec'd per step ÷ one program per tool $(ratio "k.mcx.$l" "k.tool.$l");" \
			"\`usernsselfmap\` alone ÷ one program per tool $(ratio "u.mc.$l" "u.tool.$l"), \`nsnet -U\` $(ratio "n.mc.$l" "n.tool.$l")."
	done
	echo "- musl, static non-PIE ÷ static-pie: the container chain $(ratio k.nopie k.tool.musl)" \
		"(minimums $(minratio k.nopie k.tool.musl), noise ± $(noise k.nopie k.tool.musl)), \`usernsselfmap\` $(ratio u.nopie u.tool.musl)."
	echo
	echo "### System calls and instructions"
	echo
	echo "System calls: \`strace -f -c\` of the whole run less the $base of \`true\` alone."
	echo "Instructions: callgrind, user space, of the first program until its execvp (deterministic)."
	echo "Minor page faults: GNU time %R of the whole run, \`true\` included."
	echo
	echo "| command | system calls | instructions | minor page faults |"
	echo "|---|---:|---:|---:|"
	while IFS="$TAB" read -r key _; do
		if [ "$key" = true ]; then
			echo "| $(label "$key") | ($base) | | $(count "$key" pf) |"
			continue
		fi
		echo "| $(label "$key") | $(count "$key" sc) | $(count "$key" ir) | $(count "$key" pf) |"
	done <"$cmds"
	for l in $LIBCS; do
		for x in nsnet floor_netns nsmount floor_mountns "nsuts --hostname lab" floor_utsns \
			nsipc floor_ipcns nscgroup floor_cgroupns; do
			[ -n "$(count "x.$x.$l" ir)" ] || continue
			echo "| \`$x true\` alone, root in a user namespace already, $l | | $(count "x.$x.$l" ir) | |"
		done
	done
	echo
	echo "### Peak memory (KiB, ru_maxrss; the tool's own image: its command does not exist)"
	echo
	echo "| program | peak RSS KiB | minor page faults |"
	echo "|---|---:|---:|"
	while IFS="$TAB" read -r key kib faults; do
		echo "| $key | $kib | $faults |"
	done <"$T/mem"
	echo
	echo "### Binary sizes (bytes)"
	echo
	echo "| binary | file | stripped | text | data | bss |"
	echo "|---|---:|---:|---:|---:|---:|"
	for f in "$B"/nsinfo "$T"/glibc/* "$T"/musl/* "$T"/nopie/* "$T"/mc.*/nslab /usr/bin/unshare \
		/usr/bin/bwrap /usr/bin/lsns /usr/sbin/ip; do
		[ -f "$f" ] || continue
		case $f in
		"$T"/*/floor_*) case $f in */floor_userns|*/floor_chain) ;; *) continue ;; esac ;;
		esac
		strip -o "$T/out/stripped" "$f" 2>/dev/null || cp "$f" "$T/out/stripped"
		# shellcheck disable=SC2046 # text data bss ...
		set -- $(size -B "$f" | tail -n 1)
		case $f in
		"$T"/glibc/*|"$T"/musl/*) d=${f%/*}; n="\`${f##*/}\`, ${d##*/}" ;;
		"$T"/nopie/*) n="\`${f##*/}\`, musl, static non-PIE" ;;
		"$T"/mc.*) d=${f%/*}; n="the one program (every chain tool), ${d##*/mc.}" ;;
		*) n="\`${f##*/}\`" ;;
		esac
		echo "| $n | $(stat -L -c %s "$f") | $(stat -c %s "$T/out/stripped") | $1 | $2 | $3 |"
	done
	if [ -s "$notes" ]; then
		echo
		echo "### Notes"
		echo
		sed 's/^/- /' "$notes"
	fi
} >"$RES"

if [ -x bench/nsinfo.sh ] || [ -f bench/nsinfo.sh ]; then
	echo "bench: bench/nsinfo.sh" >&2
	{
		echo
		echo "### nsinfo -a vs lsns (bench/nsinfo.sh)"
		echo
		echo '```'
		if [ -x bench/nsinfo.sh ]; then
			bench/nsinfo.sh 2>&1 || echo "bench/nsinfo.sh: exit $?"
		else
			bash bench/nsinfo.sh 2>&1 || echo "bench/nsinfo.sh: exit $?"
		fi
		echo '```'
	} >>"$RES"
else
	note "bench/nsinfo.sh does not exist yet: no nsinfo -a vs lsns timing on 2000 processes"
	printf '\n- bench/nsinfo.sh does not exist yet: no nsinfo -a vs lsns timing on 2000 processes\n' >>"$RES"
	if have nsinfo; then
		# A stand-in on the processes this machine has now, as the caller.
		np=$(find /proc -maxdepth 1 -name '[0-9]*' | wc -l)
		if hyperfine -N --style none --warmup 5 --runs 50 --export-json "$T/out/nsinfo.json" \
			-n nsinfo "$B/nsinfo -a" -n lsns "/usr/bin/lsns" >/dev/null 2>&1; then
			jq -r --arg np "$np" '.results | "- stand-in, \($np) processes, as the caller: `nsinfo -a` \(.[0].median * 1000 | . * 100 | round / 100) ms, `lsns` \(.[1].median * 1000 | . * 100 | round / 100) ms, ratio \(.[0].median / .[1].median | . * 100 | round / 100)"' \
				"$T/out/nsinfo.json" >>"$RES"
		else
			note "nsinfo -a vs lsns stand-in failed"
		fi
	fi
fi

{ echo; sh bench/join.sh || echo "bench/join.sh: exit $?"; } >>"$RES"
cat "$RES"
echo "bench: written to ${RES#"$ROOT"/}" >&2
