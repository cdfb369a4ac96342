# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# The narration tells the truth: nslab(7) calls each "$ ..." line of -v the
# command a reader could type.  So type them.  For every chain tool and for
# the default chain, run the tool with -v and a command that reports what it
# sees (ids, maps, capabilities, which of its namespaces are new, links,
# addresses, mounts, host name, time offsets, PID 1 or not); then feed the
# narrated lines, in order, to a shell as if typed at a terminal, end with
# the same report, and compare the two: the typed shell must end in the
# state the tool's command starts in.  testEveryChainToolIsTyped fails when
# a tool in tools/ has no test here.
#
# "Typed" is bash reading the lines from a file on its standard input: a
# line such as "unshare --user" starts a new shell that reads on from the
# same file, as it would from the terminal.  A line that names the tool's
# own /proc/PID (or its PID after newuidmap/newgidmap) is one a second shell
# types from outside (the kernel wants an id map written from the parent
# namespace): the replay shell gives its own PID to a helper outside, which
# runs the line with that PID filled in.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

BASH_PATH=$(command -v bash)

# A fresh directory D for one comparison, writable by as_user's user (for
# the fifos).
new_dir() {
	D=$(mktemp -d "$SCRATCH/narr.XXXXXX")
	chmod 755 "$D"
	[ "$(id -u)" = 0 ] && chown $NOBODY:$NOBODY "$D"
	for k in /proc/self/ns/*; do readlink "$k" >"$D/host.${k##*/}"; done
}

setUp() {
	host_snapshot
	require_userns || return
	new_dir
	TARGETS=/root
	EXTRA=
}
tearDown() { assert_host_unchanged; }

# What a command sees, the same from the tool and from the typed lines.
# Its first line is its PID, which the comparison leaves out.  Nothing in
# it depends on the moment: the mounts reported are the ones the step made
# (TARGETS, one a line) and whether any is still shared; link-local addresses, made
# from random veth MACs, are left out.
write_report() {
	cat >"$D/report.sh" <<EOF
echo \$\$
echo "uid \$(id -u) gid \$(id -g) groups \$(id -G)"
for f in uid_map gid_map setgroups; do
	printf '%s: %s\n' \$f "\$(tr -s ' \n' '  ' </proc/self/\$f | sed 's/^ //; s/ \$//')"
done
grep '^Cap' /proc/self/status
for f in /proc/self/ns/*; do
	k=\${f##*/}
	if [ "\$(readlink \$f)" = "\$(cat $D/host.\$k)" ]; then
		echo "\$k: the test's"
	else
		echo "\$k: new"
	fi
done
[ \$\$ = 1 ] && echo "PID 1" || echo "not PID 1"
echo "host name \$(cat /proc/sys/kernel/hostname) domain \$(cat /proc/sys/kernel/domainname)"
tr -s " " </proc/self/timens_offsets
cat /proc/self/cgroup
# Links and addresses of a network namespace of the step's only, for the
# same reason.
if [ "\$(readlink /proc/self/ns/net)" != "\$(cat $D/host.net)" ]; then
	ip -o link show | awk '{ sub("@.*", "", \$2); sub(":\$", "", \$2);
		print "link", \$2, (\$3 ~ /[<,]UP[,>]/ ? "up" : "down") }'
	ip -o addr show | awk '\$4 !~ /^fe80/ { print "addr", \$2, \$3, \$4 }'
fi
awk 'NR == FNR { t[\$0] = 1; next } \$5 in t { print "mount", \$5, \$4, \$9 }' $D/targets /proc/self/mountinfo
# Only in a mount namespace of the step's: the test's own changes as other
# runs on the machine mount and unmount.
if [ "\$(readlink /proc/self/ns/mnt)" != "\$(cat $D/host.mnt)" ]; then
	grep -q ' shared:' /proc/self/mountinfo && echo "shared mounts: some" || echo "shared mounts: none"
fi
$EXTRA
EOF
	# The mount points the step makes, as mountinfo escapes them.
	printf '%s\n' "$TARGETS" | sed 's/ /\\040/g' >"$D/targets"
	chmod 644 "$D/report.sh" "$D/targets"
}

# The replay, run as the user the tool ran as.  $1 is the directory.
# unshare(1) with no command starts $SHELL as a login shell, and
# /etc/profile sets its PATH anew, without what make fetched for an
# ordinary user (build/prereqs/bin, README): the replay's own profile puts
# the test's PATH back.
REPLAY='d=$1
SHELL=$2; export SHELL
mkdir "$d/home" && printf "PATH=\"%s\"\n" "$PATH" >"$d/home/.profile" || exit 1
HOME=$d/home; export HOME
mkfifo "$d/req" "$d/done" || exit 1
k=$(ls "$d" | grep -c "^outside\.")
(
	i=0
	while [ $i -lt $k ]; do
		read -r pid n <"$d/req" || exit 1
		sed "s/@PID@/$pid/g" "$d/outside.$n" >"$d/typed.$n"
		sh "$d/typed.$n" >>"$d/outside.log" 2>&1
		echo $? >"$d/done"
		i=$((i + 1))
	done
) &
helper=$!
# A guard, not a measure: a narrated line that hangs fails the test
# instead of the whole run.
timeout 120 "$SHELL" <"$d/script" >"$d/replay.out" 2>"$d/replay.err"
echo $? >"$d/replay.rc"
kill $helper 2>/dev/null
wait $helper 2>/dev/null
exit 0'

# narrated_equals AS TOOL [ARG]...: AS is caller (this suite's user, root
# or not; also "root") or user (as_user: 65534 when the caller is root;
# also "nobody").  Runs TOOL -v
# ARG... sh REPORT, types its "$ ..." lines, asserts both saw the same.
narrated_equals() {
	as=$1; shift
	[ -e "$D/lines" ] && new_dir
	write_report
	case $as in nobody) as=user ;; root) as=caller ;; esac
	if [ "$as" = user ]; then
		as_user env NSLAB_VERBOSE=1 "$@" sh "$D/report.sh" >"$D/tool.out" 2>"$D/tool.err"
	else
		env PATH="$BIN:$PATH" NSLAB_VERBOSE=1 "$@" sh "$D/report.sh" >"$D/tool.out" 2>"$D/tool.err"
	fi
	rc=$?
	assertEquals "$* exit status; stderr: $(cat "$D/tool.err")" 0 "$rc" || return
	sed -n 's/^[a-z]*:   \$ //p' "$D/tool.err" >"$D/lines"
	assertNotNull "$*: no narrated command: $(cat "$D/tool.err")" "$(cat "$D/lines")" || return

	# The script as typed, the lines for the second shell set aside: those
	# that write a map of the tool's process by its PID (as the host sees
	# it: under nspid the report's PID is another).
	n=0
	: >"$D/script"
	while IFS= read -r line; do
		case $line in
		*/proc/[0-9]*/uid_map* | */proc/[0-9]*/gid_map* | */proc/[0-9]*/setgroups* | \
		"newuidmap "[0-9]*" "* | "newgidmap "[0-9]*" "*)
			n=$((n + 1))
			printf '%s\n' "$line" |
				sed -E "s|/proc/[0-9]+/|/proc/@PID@/|g; s|^(new[ug]idmap) [0-9]+ |\1 @PID@ |" >"$D/outside.$n"
			printf '%s\n' "echo \"\$\$ $n\" >$D/req; read -r s <$D/done; [ \"\$s\" = 0 ] || echo \"the second shell's line $n failed: \$s\" >&2"
			;;
		*)
			printf '%s\n' "$line"
			;;
		esac >>"$D/script"
	done <"$D/lines"
	echo "exec sh $D/report.sh" >>"$D/script"
	chmod 644 "$D"/script "$D"/outside.* 2>/dev/null

	if [ "$as" = user ]; then
		as_user sh -c "$REPLAY" sh "$D" "$BASH_PATH"
	else
		sh -c "$REPLAY" sh "$D" "$BASH_PATH"
	fi
	tail -n +2 "$D/tool.out" >"$D/tool.report"
	tail -n +2 "$D/replay.out" >"$D/replay.report"
	hint=
	grep -q "> /proc/self/[ug]id_map" "$D/lines" &&
		hint=" (a map write narrated on /proc/self: typed in the new shell, whose
capabilities exec dropped, the kernel refuses it; it belongs to a second shell)"
	assertEquals "$*: typed, the narration gives another result$hint.
narrated: $(cat "$D/lines")
typed, stderr: $(cat "$D/replay.err" "$D/outside.log" 2>/dev/null)
diff: $(diff "$D/tool.report" "$D/replay.report")" \
		"$(cat "$D/tool.report")" "$(cat "$D/replay.report")"
}

testUsernsselfmapAsRoot() {
	require_root "runs usernsselfmap as the host's uid 0" || return
	narrated_equals caller usernsselfmap
}

testUsernsselfmapAsNobody() {
	narrated_equals user usernsselfmap
}

testUsernsselfmapKeepIdsAsNobody() {
	narrated_equals user usernsselfmap -k
}

# new_net PID: PID has made its network namespace (read anew at each poll).
new_net() {
	[ "$(readlink "/proc/$1/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ]
}

# nsjoin's setns steps typed as nsenter: into a holder's UTS and network
# namespaces as root.
testNsjoinTyped() {
	require_root || return
	unshare --uts --net sh -c 'hostname typed; exec sleep 1000' & p=$!
	poll new_net "$p"
	narrated_equals root nsjoin -t "$p"
	kill "$p"
}

testNsnetVethAsRoot() {
	require_root "nsnet without a user namespace takes CAP_SYS_ADMIN on the host" || return
	narrated_equals caller nsnet --veth a0:b0 --addr a0=10.9.9.1/24 --addr b0=10.9.9.2/24
}

testNsnetUserns() {
	narrated_equals caller nsnet -U
	narrated_equals user nsnet -U
}

# Kirkstone's disable_network() exactly: lo stays down.
testNsnetUsernsNoLoAsNobody() {
	narrated_equals user nsnet -U --no-lo
}

# A peer moved into a namespace named by a path that needs quoting: each
# run gets a fresh target namespace at the same path, inside a mount
# namespace of the test's own so nothing shows on the host.
testNsnetPeerPathAsRoot() {
	require_root "a mount namespace and a network namespace without a user namespace" || return
	p="$D/it's a/net"
	mkdir -p "${p%/*}" && touch "$p"
	printf '%s\n' "$p" >"$D/peer"
	EXTRA="nsenter --net=\"\$(cat $D/peer)\" ip -o addr show | awk '\$4 !~ /^fe80/ { print \"peer addr\", \$2, \$3, \$4 }'"
	write_report
	# One mount namespace of ours for both runs, bound to a fresh target
	# network namespace each time (kept alive by a sleep we end).
	unshare --mount --propagation private sh -c '
		p=$1 d=$2 bin=$3 bash=$4
		fresh() {
			umount "$p" 2>/dev/null
			[ -n "$keeper" ] && kill "$keeper"
			unshare --net sleep 1000 &
			keeper=$!
			until [ "$(readlink /proc/$keeper/ns/net)" != "$(readlink /proc/self/ns/net)" ]; do :; done
			mount --bind "/proc/$keeper/ns/net" "$p"
		}
		keeper=
		fresh
		PATH=$bin:$PATH NSLAB_VERBOSE=1 nsnet --veth a0:b0 --peer-netns "$p" --peer-addr 10.9.8.2/24 \
			--addr a0=10.9.8.1/24 sh "$d/report.sh" >"$d/tool.out" 2>"$d/tool.err"
		echo $? >"$d/tool.rc"
		fresh
		sed -n "s/^[a-z]*:   \\$ //p" "$d/tool.err" >"$d/lines"
		{ cat "$d/lines"; echo "exec sh $d/report.sh"; } >"$d/script"
		SHELL=$bash timeout 120 "$bash" <"$d/script" >"$d/replay.out" 2>"$d/replay.err"
		umount "$p"; kill "$keeper"; wait' sh "$p" "$D" "$BIN" "$BASH_PATH" \
		2>"$D/outer.err"
	assertEquals "nsnet --peer-netns: $(cat "$D/tool.err")" 0 "$(cat "$D/tool.rc")"
	assertContains "the path is quoted: $(cat "$D/lines")" "$(cat "$D/lines")" \
		"ip link set b0 netns '$D/it'\\''s a/net'"
	tail -n +2 "$D/tool.out" >"$D/tool.report"
	tail -n +2 "$D/replay.out" >"$D/replay.report"
	assertContains "the peer's address: $(cat "$D/tool.report")" "$(cat "$D/tool.report")" \
		"peer addr b0 inet 10.9.8.2/24"
	assertEquals "typed: $(cat "$D/replay.err")
diff: $(diff "$D/tool.report" "$D/replay.report")" \
		"$(cat "$D/tool.report")" "$(cat "$D/replay.report")"
}

testNsmountBindOddPathsAsRoot() {
	require_root "nsmount without a user namespace takes CAP_SYS_ADMIN on the host" || return
	mkdir -p "$D/it's src" "$D/a b" && touch "$D/it's src/f"
	TARGETS="$D/a b"
	narrated_equals caller nsmount -b "$D/it's src:$D/a b"
	assertContains "$(cat "$D/lines")" "mount --rbind '$D/it'\\''s src' '$D/a b'"
}

testNsmountDefaultUnderUsernsselfmapAsNobody() {
	narrated_equals user usernsselfmap nsmount
}

# The kinds of turn two, each as root and under usernsselfmap as the
# unprivileged user.
testNspid() {
	TARGETS=/proc
	narrated_equals user usernsselfmap nspid
}

testNspidAsRoot() {
	require_root "nspid without a user namespace takes CAP_SYS_ADMIN on the host" || return
	TARGETS=/proc
	narrated_equals caller nspid
}

testNspidNoProc() {
	narrated_equals caller usernsselfmap nspid --no-proc
}

testNspidNoProcAsRoot() {
	require_root "nspid without a user namespace takes CAP_SYS_ADMIN on the host" || return
	narrated_equals caller nspid --no-proc
}

testNsuts() {
	narrated_equals user usernsselfmap nsuts --hostname typed-lab
}

testNsutsAsRoot() {
	require_root "nsuts without a user namespace takes CAP_SYS_ADMIN on the host" || return
	narrated_equals caller nsuts --hostname typed-lab --domainname typed.example
}

testNsipc() {
	narrated_equals user usernsselfmap nsipc
}

testNsipcAsRoot() {
	require_root "nsipc without a user namespace takes CAP_SYS_ADMIN on the host" || return
	narrated_equals caller nsipc
}

testNscgroup() {
	narrated_equals user usernsselfmap nscgroup
}

testNscgroupAsRoot() {
	require_root "nscgroup without a user namespace takes CAP_SYS_ADMIN on the host" || return
	narrated_equals caller nscgroup
}

testNstime() {
	narrated_equals user usernsselfmap nstime --monotonic 60
}

testNstimeAsRoot() {
	require_root "nstime without a user namespace takes CAP_SYS_ADMIN on the host" || return
	narrated_equals caller nstime --monotonic 60 --boottime 3600
}

# nsjoin enters a process's namespaces: a sleep the test starts in new ones
# (unshare without --fork execs it, so $! is its PID), ended afterwards.
testNsjoinAsRoot() {
	require_root || return
	unshare --net --uts --ipc sleep 600 </dev/null >/dev/null 2>&1 &
	target=$!
	poll sh -c '[ "$(readlink /proc/$1/ns/net)" != "$(readlink /proc/self/ns/net)" ]' sh "$target"
	narrated_equals root nsjoin -t "$target"
	narrated_equals root nsjoin --net=/proc/$target/ns/net --uts=/proc/$target/ns/uts
	kill "$target"; wait "$target" 2>/dev/null || :
}

testNsjoinAsNobody() {
	require_root || return
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		unshare --user --map-root-user --net sleep 600 </dev/null >/dev/null 2>&1 &
	target=$!
	poll sh -c '[ "$(readlink /proc/$1/ns/net)" != "$(readlink /proc/self/ns/net)" ]' sh "$target"
	narrated_equals nobody nsjoin -t "$target"
	kill "$target"; wait "$target" 2>/dev/null || :
}

# nscap: the sets it leaves, typed as one setpriv line.
testNscap() {
	require_root || return
	narrated_equals root nscap --cap-keep net_admin
	narrated_equals root nscap
	narrated_equals nobody usernsselfmap nscap --cap-keep net_admin,sys_admin
}

# Every chain tool whose -v narrates a shell line has it typed here (nsinfo
# narrates nothing; a seccomp filter has no line a shell could type).
testEveryChainToolIsTyped() {
	for t in "$TOP"/tools/*.c; do
		t=${t##*/}; t=${t%.c}
		[ "$t" = nsinfo ] && continue
		[ -x "$BIN/$t" ] || { fail "bin/$t is not built"; continue; }
		"$BIN/$t" -v true 2>&1 | grep -q '^[a-z]*:   \$ ' || continue
		grep -Eq "^[[:space:]]*narrated_equals [a-z]+ (.* )?$t( |\$)" "$0" ||
			fail "tools/$t.c: no narrated_equals types its narration in ${0##*/}"
	done
}

# The article's experiment shell in one line: usernsselfmap nsnet nsmount.
testDefaultChain() {
	narrated_equals caller usernsselfmap nsnet nsmount
	narrated_equals user usernsselfmap nsnet nsmount
}

# shellcheck source=/dev/null
. shunit2
