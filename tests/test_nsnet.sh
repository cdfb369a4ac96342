# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# nsnet: a network namespace with lo up, veth pairs and addresses, as root
# and as an unprivileged user (as_user: uid 65534 when root runs the suite;
# under usernsselfmap, or with -U).  The oracle is
# `ip -j` read with jq; traffic flows only between namespaces the test makes,
# and the one outside address ever named is 192.0.2.1 (TEST-NET-1), which is
# never reached.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# nsnet as the caller may run it: as root itself; as anyone else under
# usernsselfmap, root of a user namespace of one's own.  Then the suite
# runs for a developer too; the "AsNobody" tests run as_user.
if [ "$(id -u)" = 0 ]; then
	NSNET=("$BIN/nsnet")
	as_me() { "$@"; }
else
	NSNET=("$BIN/usernsselfmap" "$BIN/nsnet")
	as_me() { "$BIN/usernsselfmap" "$@"; }
fi

setUp() {
	host_snapshot
	rm -f "$MARKER"
	[ "$(id -u)" = 0 ] || require_userns
}
tearDown() { assert_host_unchanged; }

# refused ARG...: nsnet ARG... touch MARKER, as root, must be refused.
refused() {
	run "${NSNET[@]}" "$@" touch "$MARKER"
	assert_refused -1 nsnet
}

# jq over $out: true when the filter yields something other than false/null.
jq_ok() {
	printf '%s\n' "$out" | jq -e "$@" >/dev/null 2>&1
}

# has_flag IFACE FLAG (in `ip -j link` or `ip -j addr` output).
has_flag() {
	jq_ok --arg i "$1" --arg f "$2" \
		'[.[] | select(.ifname == $i) | .flags | index($f)] | .[0] != null'
}

# has_addr IFACE ADDRESS PREFIX (in `ip -j addr` output).
has_addr() {
	jq_ok --arg i "$1" --arg a "$2" --argjson p "$3" \
		'[.[] | select(.ifname == $i) | .addr_info[] | select(.local == $a and .prefixlen == $p)] | length == 1'
}

link_names() {
	printf '%s\n' "$out" | jq -r '[.[].ifname] | sort | join(" ")' 2>/dev/null
}

# --- loopback and the namespace itself

testLoUpAsRoot() {
	run "${NSNET[@]}" ip -j link
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertTrue "lo is not UP: $out" "has_flag lo UP"
	assertTrue "lo is not LOWER_UP: $out" "has_flag lo LOWER_UP"
	assertEquals "only lo" "lo" "$(link_names)"
	assertNull "quiet without -v" "$err"
}

testLoUpAsNobody() {
	require_userns || return 0
	run as_user usernsselfmap nsnet ip -j addr
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertTrue "lo is not UP: $out" "has_flag lo UP"
	assertTrue "no 127.0.0.1/8 on lo: $out" "has_addr lo 127.0.0.1 8"
	run as_user usernsselfmap nsnet ping -c1 -W2 127.0.0.1
	assertEquals "ping 127.0.0.1: $out $err" 0 "$rc"
}

testNoLoLeavesLoDown() {
	run "${NSNET[@]}" --no-lo ip -j link
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertFalse "lo is UP with --no-lo: $out" "has_flag lo UP"
	assertTrue "lo is missing: $out" "jq_ok '.[] | select(.ifname == \"lo\")'"
	# ping says 1 (no reply) or 2 (an error: unreachable), never 126/127.
	run "${NSNET[@]}" --no-lo ping -c1 -W1 127.0.0.1
	assertTrue "127.0.0.1 answered with lo down, or no ping ran: $rc $err" \
		"[ '$rc' = 1 ] || [ '$rc' = 2 ]"
}

testNewNetworkNamespace() {
	run "${NSNET[@]}" readlink /proc/self/ns/net
	assertEquals 0 "$rc"
	assertContains "$out" "net:["
	assertNotEquals "the namespace is new" "$(readlink /proc/self/ns/net)" "$out"
}

testNoUserNamespaceWithoutU() {
	require_root "nsnet without a user namespace takes CAP_SYS_ADMIN on the host" || return 0
	run "$BIN/nsnet" readlink /proc/self/ns/user
	assertEquals "no user namespace without -U" "$(readlink /proc/self/ns/user)" "$out"
}

# --- veth pairs and addresses

testVethPairAsRoot() {
	run "${NSNET[@]}" --veth veth0:veth1 --addr veth0=10.10.10.10/8 \
		--addr veth0=fd00::1/64 sh -c 'ip -j link; ip -j addr'
	assertEquals "exit status; stderr: $err" 0 "$rc"
	all=$out
	out=$(printf '%s\n' "$all" | sed -n 1p)
	assertEquals "lo veth0 veth1" "$(link_names)"
	assertTrue "veth0's peer is not veth1: $out" \
		"jq_ok '.[] | select(.ifname == \"veth0\") | .link == \"veth1\"'"
	assertTrue "veth0 is not a veth" \
		"jq_ok '.[] | select(.ifname == \"veth1\") | .link == \"veth0\"'"
	assertTrue "veth0 is not UP" "has_flag veth0 UP"
	assertFalse "veth1 is UP, nobody asked" "has_flag veth1 UP"
	out=$(printf '%s\n' "$all" | sed -n 2p)
	assertTrue "no 10.10.10.10/8 on veth0: $out" "has_addr veth0 10.10.10.10 8"
	assertTrue "no fd00::1/64 on veth0: $out" "has_addr veth0 fd00::1 64"
	assertFalse "an address on veth1: $out" \
		"jq_ok '.[] | select(.ifname == \"veth1\") | .addr_info[] | select(.family == \"inet\")'"
}

testVethPairAsNobody() {
	require_userns || return 0
	run as_user usernsselfmap nsnet --veth a:b --addr a=10.1.2.3/24 \
		--addr b=2001:db8::2/64 --up b ip -j addr
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertEquals "a b lo" "$(link_names)"
	assertTrue "no 10.1.2.3/24 on a: $out" "has_addr a 10.1.2.3 24"
	assertTrue "no 2001:db8::2/64 on b: $out" "has_addr b 2001:db8::2 64"
	assertTrue "a is not UP" "has_flag a UP"
	assertTrue "b is not UP" "has_flag b UP"
}

testNameBoundaries() {
	run "${NSNET[@]}" --veth abcdefghijklmno:x --up abcdefghijklmno --up x ip -j link
	assertEquals "15 bytes is a name; stderr: $err" 0 "$rc"
	assertEquals "abcdefghijklmno lo x" "$(link_names)"
	assertTrue "the 15-byte name is not UP" "has_flag abcdefghijklmno UP"
	refused --veth abcdefghijklmnop:x
	assertContains "$err" "longer than 15 bytes"
}

testAddressBoundaries() {
	run "${NSNET[@]}" --veth a:b --addr a=0.0.0.1/32 --addr a=10.9.9.9/0 \
		--addr a=fd00::9/128 --addr b=255.255.255.254/31 ip -j addr
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertTrue "/32: $out" "has_addr a 0.0.0.1 32"
	assertTrue "/0: $out" "has_addr a 10.9.9.9 0"
	assertTrue "/128: $out" "has_addr a fd00::9 128"
	assertTrue "/31: $out" "has_addr b 255.255.255.254 31"
}

# sleeper.sh, sourced by a test's shell: `nsnet sleep` in the background,
# $b its PID once it is in its own network namespace -- it says so itself
# through a FIFO, so nothing waits on the clock -- and an EXIT trap that
# kills and reaps it and says so last ("sleeper PID reaped"): no later look
# at a PID that may have been handed to another process.
write_sleeper() {
	cat >"$SCRATCH/sleeper.sh" <<'EOF'
d=$(mktemp -d "${TMPDIR:-/tmp}/nslab-sleeper.XXXXXX") && mkfifo "$d/ready" || exit 99
{ nsnet sh -c 'echo $$ >"$1"; exec sleep 600' sh "$d/ready" ||
	echo failed 1<>"$d/ready"; } </dev/null >/dev/null 2>&1 &
job=$!
read -r b <"$d/ready"
trap 'kill $job $b 2>/dev/null; wait; rm -rf "$d"; echo "sleeper $b reaped"' EXIT
[ "$b" != failed ] || { echo "the sleeper got no namespace" >&2; exit 99; }
EOF
}

# Two network namespaces in one user namespace, joined by a veth pair whose
# far end nsnet moves into the other: real traffic, both ways, IPv4 and IPv6.
# B is looked at from inside A's command: once that exits, A's namespace
# goes, and the veth pair with it.
write_lab() {
	write_sleeper
	cat >"$SCRATCH/lab.sh" <<'EOF'
. "$(dirname "$0")/sleeper.sh"
echo "direct $(sh -c 'ls /proc/$$/fd' | paste -sd' ')"
nsnet -v --veth a0:b0 --addr a0=10.200.0.1/24 --addr a0=fd00:200::1/64 \
	--peer-netns $b --peer-addr 10.200.0.2/24 --peer-addr fd00:200::2/64 \
	sh -c 'ping -c1 -W5 10.200.0.2 >/dev/null && ping -6 -c1 -W5 fd00:200::2 >/dev/null &&
		echo pinged; echo "fds $(sh -c "ls /proc/\$\$/fd" | paste -sd" ")"; ip -j addr show a0
		echo "back $(nsenter --net=/proc/$1/ns/net ping -c1 -W5 10.200.0.1 >/dev/null && echo pinged)"
		nsenter --net=/proc/$1/ns/net ip -j addr show b0' sh "$b" || exit
EOF
}

check_lab() {
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertEquals "A pings B" "pinged" "$(printf '%s\n' "$out" | sed -n 2p)"
	assertEquals "B pings A" "back pinged" "$(printf '%s\n' "$out" | grep '^back')"
	assertEquals "the command has only the caller's fds" \
		"$(printf '%s\n' "$out" | sed -n 's/^direct //p')" \
		"$(printf '%s\n' "$out" | sed -n 's/^fds //p')"
	lab=$out
	out=$(printf '%s\n' "$lab" | sed -n 4p)
	assertTrue "no 10.200.0.1/24 on a0: $out" "has_addr a0 10.200.0.1 24"
	assertTrue "a0's peer is elsewhere" "jq_ok '.[0].link_netnsid != null'"
	out=$(printf '%s\n' "$lab" | sed -n 6p)
	assertTrue "no 10.200.0.2/24 on b0 in B: $out" "has_addr b0 10.200.0.2 24"
	assertTrue "no fd00:200::2/64 on b0 in B: $out" "has_addr b0 fd00:200::2 64"
	assertTrue "b0 is not UP in B" "has_flag b0 UP"
	pid=$(printf '%s\n' "$lab" | sed -n 's/^sleeper \([0-9]*\) reaped$/\1/p')
	assertNotNull "the sleeper was not reaped: $lab" "$pid"
	for want in "nsnet:   \$ ip link set b0 netns $pid" \
		"nsnet:   \$ nsenter --net=/proc/$pid/ns/net ip addr add 10.200.0.2/24 dev b0" \
		"nsnet:   \$ nsenter --net=/proc/$pid/ns/net ip link set b0 up"; do
		assertTrue "missing narration: $want" "printf '%s\n' \"\$err\" | grep -qxF -- \"$want\""
	done
}

testTrafficBetweenNamespacesAsRoot() {
	write_lab
	run as_me env PATH="$BIN:$PATH" sh "$SCRATCH/lab.sh"
	check_lab
}

testTrafficBetweenNamespacesAsNobody() {
	require_userns || return 0
	write_lab
	run as_user usernsselfmap sh "$SCRATCH/lab.sh"
	check_lab
}

# --- routes and bridges

# has_route DST GATEWAY DEV (in `ip -j route` output; "" for no gateway).
has_route() {
	jq_ok --arg d "$1" --arg g "$2" --arg i "$3" \
		'[.[] | select(.dst == $d and (.gateway // "") == $g and .dev == $i)] | length == 1'
}

testRoutesAsRoot() {
	run "${NSNET[@]}" -v --veth r0:r1 --addr r0=10.201.0.1/24 --addr r0=fd00:201::1/64 \
		--route 10.202.0.0/24,via=10.201.0.2 --default-via 10.201.0.254 \
		--route 10.203.0.0/24,dev=r0 --route fd00:202::/64,dev=r0,via=fd00:201::2 \
		--route default,via=fd00:201::fe \
		sh -c 'ip -j route show; ip -j -6 route show'
	assertEquals "exit status; stderr: $err" 0 "$rc"
	routes=$out
	out=$(printf '%s\n' "$routes" | sed -n 1p)
	assertTrue "10.202.0.0/24 via: $out" "has_route 10.202.0.0/24 10.201.0.2 r0"
	assertTrue "default via: $out" "has_route default 10.201.0.254 r0"
	assertTrue "10.203.0.0/24 dev: $out" "has_route 10.203.0.0/24 '' r0"
	assertTrue "10.203.0.0/24 has link scope: $out" \
		"jq_ok '.[] | select(.dst == \"10.203.0.0/24\") | .scope == \"link\"'"
	out=$(printf '%s\n' "$routes" | sed -n 2p)
	assertTrue "fd00:202::/64: $out" "has_route fd00:202::/64 fd00:201::2 r0"
	assertTrue "IPv6 default: $out" "has_route default fd00:201::fe r0"
	for want in "ip route add 10.202.0.0/24 via 10.201.0.2" "ip route add default via 10.201.0.254" \
		"ip route add 10.203.0.0/24 dev r0" "ip route add fd00:202::/64 via fd00:201::2 dev r0" \
		"ip route add ::/0 via fd00:201::fe"; do
		assertContains "missing narration: $want" "$err" "nsnet:   \$ $want"
	done
}

# The narrated lines, typed into a namespace of their own, make the same table.
testRouteNarrationTypedAsRoot() {
	require_root "runs the narrated ip(8) lines in a network namespace" || return 0
	run "$BIN/nsnet" -v --veth r0:r1 --addr r0=10.201.0.1/24 --route 10.202.0.0/24,via=10.201.0.2 \
		--default-via 10.201.0.254 --bridge rb0 --master r1=rb0 ip -j route show
	assertEquals "exit status; stderr: $err" 0 "$rc"
	want=$out
	printf '%s\n' "$err" | sed -n 's/^nsnet:   \$ //p' | grep -v '^unshare' >"$SCRATCH/typed.sh"
	echo 'ip -j route show' >>"$SCRATCH/typed.sh"
	run unshare --net sh -e "$SCRATCH/typed.sh"
	assertEquals "typed: exit status; stderr: $err" 0 "$rc"
	assertEquals "the same routes" "$want" "$out"
	assertContains "$(cat "$SCRATCH/typed.sh")" "ip link add name rb0 up type bridge"
	assertContains "$(cat "$SCRATCH/typed.sh")" "ip link set r1 master rb0 up"
}

testRouteRefusedInput() {
	refused --route 10.2.0.1/24,dev=lo;  assertContains "$err" "bits set after the prefix"
	refused --route default;             assertContains "$err" "neither via=GW nor dev=IF"
	refused --route 10.2.0.0/24,gw=10.0.0.1; assertContains "$err" "unknown key"
	refused --route 10.2.0.0/24,via=fd00::1; assertContains "$err" "via= is IPv6"
	refused --route default,dev=a/b;     assertContains "$err" "dev= is not an interface name"
	refused --default-via nowhere;       assertContains "$err" "--default-via 'nowhere': not a route: via= is not"
	refused --peer-route default,via=10.0.0.1; assertContains "$err" "no --veth before it"
	refused --bridge 'br%d';             assertContains "$err" "contains '%'"
	refused --bridge b0 --bridge b0;     assertContains "$err" "given twice"
	refused --veth a:b --bridge b;       assertContains "$err" "already given to a --veth"
	refused --master a;                  assertContains "$err" "write IFACE=BRIDGE"
	refused --master a=a;                assertContains "$err" "its own port"
}

# A gateway on no network of ours: the kernel refuses, nsnet says why, nothing runs.
testRouteUnreachableGateway() {
	# Not one line: the kernel's extended ack ("Nexthop has invalid gateway") follows.
	run "${NSNET[@]}" --default-via 10.99.0.1 touch "$MARKER"
	assert_refused nsnet
	assertContains "$err" "nsnet: RTM_NEWROUTE default via 10.99.0.1: Network"
	assertContains "$err" "nsnet: hint: no address here is on the gateway's network: give one with --addr first"
	refused --route fd00:99::/64,via=fd00::1
	assertContains "$err" "nsnet: RTM_NEWROUTE fd00:99::/64 via fd00::1:"
	refused --master lo=nobr0
	assertContains "$err" "nsnet: RTM_GETLINK nobr0: No such device"
}

# Three network namespaces on one bridge: the bridge's own, and two whose
# veth ends nsnet moved in, each with an address and (A) routes.
write_lan() {
	cat >"$SCRATCH/lan.sh" <<'EOF'
d=$(mktemp -d "${TMPDIR:-/tmp}/nslab-lan.XXXXXX") && mkfifo "$d/a" "$d/b" || exit 99
for n in a b; do
	{ nsnet sh -c 'echo $$ >"$1"; exec sleep 600' sh "$d/$n" ||
		echo failed 1<>"$d/$n"; } </dev/null >/dev/null 2>&1 &
done
read -r A <"$d/a"; read -r B <"$d/b"
trap 'kill $A $B 2>/dev/null; wait; rm -rf "$d"' EXIT
[ "$A" != failed ] && [ "$B" != failed ] || exit 99
nsnet -v --bridge lan0 --addr lan0=10.210.0.1/24 --addr lan0=fd00:210::1/64 \
	--veth p1:e1 --peer-netns $A --peer-addr 10.210.0.2/24 --peer-addr fd00:210::2/64 \
	--peer-route 10.211.0.0/24,via=10.210.0.1 --peer-route default,via=fd00:210::1 --master p1=lan0 \
	--veth p2:e2 --peer-netns $B --peer-addr 10.210.0.3/24 --peer-addr fd00:210::3/64 --master p2=lan0 \
	sh -c 'nsa() { n=$1; shift; nsenter --net=/proc/$n/ns/net "$@"; }
		nsa $1 ping -c1 -W5 10.210.0.3 >/dev/null && echo "A-B v4"
		nsa $1 ping -6 -c1 -W5 fd00:210::3 >/dev/null && echo "A-B v6"
		ping -c1 -W5 10.210.0.2 >/dev/null && echo "bridge-A v4"
		echo "ports $(ip -o link show master lan0 | awk -F": " "{print \$2}" | sed "s/@.*//" | sort | paste -sd" " -)"
		echo "A4 $(nsa $1 ip -j route show)"
		echo "A6 $(nsa $1 ip -j -6 route show)"' sh "$A"
EOF
}

check_lan() {
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertEquals "traffic on the LAN: $out" "A-B v4|A-B v6|bridge-A v4|ports p1 p2" \
		"$(printf '%s\n' "$out" | sed -n 1,4p | paste -sd'|')"
	lan=$out
	out=$(printf '%s\n' "$lan" | sed -n 's/^A4 //p')
	assertTrue "A's route to 10.211.0.0/24: $out" "has_route 10.211.0.0/24 10.210.0.1 e1"
	out=$(printf '%s\n' "$lan" | sed -n 's/^A6 //p')
	assertTrue "A's IPv6 default: $out" "has_route default fd00:210::1 e1"
	assertContains "$err" "nsnet:   \$ ip link add name lan0 up type bridge"
	assertContains "$err" "nsnet:   \$ ip link set p2 master lan0 up"
	assertContains "$err" "ip route add 10.211.0.0/24 via 10.210.0.1"
}

testBridgeLanAsRoot() {
	write_lan
	run as_me env PATH="$BIN:$PATH" sh "$SCRATCH/lan.sh"
	check_lan
}

testBridgeLanAsUser() {
	require_userns || return 0
	write_lan
	run as_user usernsselfmap sh "$SCRATCH/lan.sh"
	check_lan
}

# --- --outbound: slirp4netns and pasta

# outbound.sh HELPER, run by nsnet --outbound HELPER under tcp_sink -r:
# says its helper's PID (its one child), then sends a line to tcp_sink's
# listener on the host's 127.0.0.1 through the helper's 10.0.2.2 and reads
# the answer.  No other address is ever reached for.
write_outbound() {
	cat >"$SCRATCH/outbound.sh" <<'EOF'
read -r kids </proc/$$/task/$$/children
echo "helper $kids"
ip -o -4 addr show tap0 | awk '{print "addr", $4}'
ip route show default | awk '{print "route", $1, $2, $3, $4, $5}'
exec 3<>/dev/tcp/10.0.2.2/$SINK_PORT && echo "hello via $1" >&3 && read -r ans <&3 && echo "answer: $ans"
EOF
}

# check_outbound HELPER: it reached the listener, and is gone with the command.
check_outbound() {
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertContains "$out" "addr 10.0.2.100/24"
	assertContains "$out" "route default via 10.0.2.2 dev tap0"
	assertContains "$out" "tcp_sink: received: hello via $1"
	assertContains "$out" "answer: ok hello via $1"
	helper=$(printf '%s\n' "$out" | sed -n 's/^helper \([0-9]*\)$/\1/p')
	assertNotNull "the command had no helper child: $out" "$helper"
	[ -n "$helper" ] && poll sh -c "! grep -qx '$1' /proc/$helper/comm 2>/dev/null"
}

testOutboundAsRoot() {
	require_root "slirp4netns and pasta need /dev/net/tun, root's only here" || return 0
	write_outbound
	run "$TBIN/helpers/tcp_sink" -r "$BIN/nsnet" -v --outbound slirp4netns bash "$SCRATCH/outbound.sh" slirp4netns
	check_outbound slirp4netns
	assertContains "$err" "nsnet:   \$ slirp4netns --configure --mtu=65520 "
	run "$TBIN/helpers/tcp_sink" -r "$BIN/nsnet" -v --outbound pasta bash "$SCRATCH/outbound.sh" pasta
	check_outbound pasta
	assertContains "$err" "nsnet:   \$ pasta -f -q --config-net -4 -a 10.0.2.100 -n 24 -g 10.0.2.2 "
	run "$TBIN/helpers/tcp_sink" -r "$BIN/nsnet" -U --outbound slirp4netns bash "$SCRATCH/outbound.sh" slirp4netns
	check_outbound slirp4netns
}

# As 65534, through a tun node it may open: a mknod-made one on a tmpfs (no
# nodev) bound over /dev/net/tun in a private mount namespace of root's,
# where 65534's nsnet and its helper both run.
testOutboundAsNobody() {
	require_root "binds a tun node 65534 may open over /dev/net/tun, in a mount namespace of its own" || return 0
	require_userns || return 0
	write_outbound
	chmod 644 "$SCRATCH/outbound.sh"
	mkdir "$SCRATCH/tun"
	cat >"$SCRATCH/tun.sh" <<'EOF'
mount --make-rprivate / && mount -t tmpfs -o mode=755 tmpfs "$1" &&
mknod -m 666 "$1/tun" c 10 200 && mount --bind "$1/tun" /dev/net/tun || exit 99
shift
exec "$@"
EOF
	for chain in "usernsselfmap nsnet" "nsnet -U"; do
		for h in slirp4netns pasta; do
			# shellcheck disable=SC2086 # the chain, split on purpose
			run unshare --mount sh "$SCRATCH/tun.sh" "$SCRATCH/tun" "$TBIN/helpers/tcp_sink" -r \
				setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups \
				env PATH="$NOBODY_BIN:$SYSPATH" HOME="$NOBODY_HOME" \
				$chain --outbound $h bash "$SCRATCH/outbound.sh" $h
			check_outbound $h
		done
	done
}

# The tun device as this machine has it: when the user may not open it,
# nsnet says so from stat and never runs the command.
testOutboundTunRefusedAsUser() {
	if as_user sh -c ': <>/dev/net/tun' 2>/dev/null; then
		startSkipping; return 0	# the user may open it here: nothing to refuse
	fi
	run as_user nsnet -U --outbound slirp4netns touch "$MARKER"
	assert_refused nsnet
	assertContains "$err" "nsnet: --outbound slirp4netns: open /dev/net/tun: "
	assertContains "$err" "nsnet: hint: /dev/net/tun is c"
	assertContains "$err" "(stat): slirp4netns needs it to make its tap device"
}

testOutboundHelperMissing() {
	run env PATH=/nonexistent "$BIN/nsnet" --outbound pasta /bin/touch "$MARKER"
	assert_refused nsnet
	assertContains "$err" "nsnet: --outbound pasta: pasta: not found in PATH"
	assertContains "$err" "nsnet: hint: Debian and Ubuntu have it in the package passt"
	refused --outbound vde
	assertContains "$err" "--outbound 'vde': write slirp4netns or pasta"
}

# A helper that dies before it is ready (fault injection: a stand-in
# called slirp4netns that fails as the real one does on a bad option).
testOutboundHelperDies() {
	require_root "the tun device is root's only here" || return 0
	mkdir -p "$SCRATCH/fake"
	printf '#!/bin/sh\necho "slirp4netns: stand-in failure" >&2\nexit 3\n' >"$SCRATCH/fake/slirp4netns"
	chmod 755 "$SCRATCH/fake/slirp4netns"
	run env PATH="$SCRATCH/fake:$SYSPATH" "$BIN/nsnet" --outbound slirp4netns touch "$MARKER"
	assert_refused nsnet
	assertContains "$err" "nsnet: --outbound slirp4netns: the helper exited with status 3 before it was ready"
	assertContains "$err" "nsnet: slirp4netns says: slirp4netns: stand-in failure"
}

# --- --sys: /sys that matches the namespace

# sys.sh: the links sysfs lists, then the links ip(8) lists: the same.
write_sys() {
	cat >"$SCRATCH/sys.sh" <<'EOF'
echo "sys $(ls /sys/class/net | sort | paste -sd' ' -)"
echo "ip $(ip -o link | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | paste -sd' ' -)"
EOF
	chmod 644 "$SCRATCH/sys.sh"
}

check_sys() {
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertEquals "/sys/class/net lists this namespace's links: $out" \
		"$(printf '%s\n' "$out" | sed -n 's/^ip //p')" "$(printf '%s\n' "$out" | sed -n 's/^sys //p')"
	assertContains "$out" "sys $1"
}

testSysAsRoot() {
	write_sys
	run "${NSNET[@]}" -v --sys --veth s0:s1 sh "$SCRATCH/sys.sh"
	check_sys "lo s0 s1"
	assertContains "$err" "nsnet:   \$ mount -t sysfs -o nosuid,nodev,noexec sysfs /sys"
	assertContains "$err" "nsnet:   \$ mount --make-rprivate /"
}

testSysAsUser() {
	require_userns || return 0
	write_sys
	run as_user usernsselfmap nsnet --sys --veth s0:s1 sh "$SCRATCH/sys.sh"
	check_sys "lo s0 s1"
	run as_user nsnet -U --sys sh "$SCRATCH/sys.sh"
	check_sys "lo"
}

# With --outbound, the command's /etc/resolv.conf names the helper's DNS;
# the host's is untouched, and so is /tmp, where the file was made.
testSysOutboundResolvAsRoot() {
	require_root "slirp4netns needs /dev/net/tun, root's only here" || return 0
	before=$(cat /etc/resolv.conf 2>/dev/null)
	run "$BIN/nsnet" --sys --outbound slirp4netns sh -c 'cat /etc/resolv.conf; findmnt -n -o FSTYPE /tmp || echo no-tmp-mount'
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertEquals "nameserver 10.0.2.3" "$(printf '%s\n' "$out" | sed -n 1p)"
	assertEquals "/tmp is as it was: $out" "$(findmnt -n -o FSTYPE /tmp || echo no-tmp-mount)" \
		"$(printf '%s\n' "$out" | sed -n 2p)"
	assertEquals "the host's resolv.conf" "$before" "$(cat /etc/resolv.conf 2>/dev/null)"
}

# --- -U: bitbake's disable_network()

testUsernsKeepsUidAsNobody() {
	require_userns || return 0
	run as_user nsnet -U sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertEquals "$USER_UID|$USER_GID|$USER_UID $USER_UID 1|$USER_GID $USER_GID 1|deny" \
		"$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
	run as_user nsnet -U readlink /proc/self/ns/user /proc/self/ns/net
	assertNotEquals "a new user namespace" "$(readlink /proc/self/ns/user)" "$(printf '%s\n' "$out" | sed -n 1p)"
	assertNotEquals "a new network namespace" "$(readlink /proc/self/ns/net)" "$(printf '%s\n' "$out" | sed -n 2p)"
}

testUsernsKeepsUidAsCaller() {
	me=$(id -u)
	run "$BIN/nsnet" -U sh -c 'id -u; cat /proc/self/uid_map'
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertEquals "$me|$me $me 1" "$(printf '%s\n' "$out" | awk '{$1=$1; print}' | paste -sd'|')"
}

testUsernsOnlyLoAndNoWayOut() {
	require_userns || return 0
	run as_user nsnet -U ip -j link
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertEquals "only lo" "lo" "$(link_names)"
	assertTrue "lo is not UP" "has_flag lo UP"
	run as_user nsnet -U ip route get 192.0.2.1
	assertNotEquals "a route out" 0 "$rc"
	assertContains "$err" "Network is unreachable"
	# A connection fails at once with ENETUNREACH: no route, nothing sent.
	# The connect is only ever tried away from the host's network namespace:
	# were nsnet to fail open, it would exit 99 here and send nothing.  The
	# timeout only stops a hang; it times nothing.
	run as_user nsnet -U timeout 120 bash -c '[ "$(readlink /proc/self/ns/net)" != "$1" ] || exit 99
		exec 3<>/dev/tcp/192.0.2.1/80' sh "$(readlink /proc/self/ns/net)"
	assertNotEquals "ran in the host's network namespace" 99 "$rc"
	assertNotEquals "connected to 192.0.2.1" 0 "$rc"
	assertNotEquals "the connection hung" 124 "$rc"
	assertContains "$err" "Network is unreachable"
	# The check can fail: where a route out exists (one made here, in a
	# namespace of the test's own, not the host's), the same question has
	# an answer.  ip route get sends nothing.
	run as_user usernsselfmap nsnet --veth a:b --addr a=10.207.0.1/24 \
		sh -c 'ip route add default via 10.207.0.2 && ip route get 192.0.2.1'
	assertEquals "a route out: $err" 0 "$rc"
	assertContains "$out" "192.0.2.1 via 10.207.0.2 dev a"
}

# --- refusals: each one line, exit 125, nothing run

testBadNamesRefused() {
	refused --veth :b;                 assertContains "$err" "bad interface name '': empty"
	refused --veth a:;                 assertContains "$err" "bad interface name '': empty"
	refused --veth abcdefghijklmnop:b; assertContains "$err" "longer than 15 bytes"
	refused --veth a:abcdefghijklmnopqrstuvwxyz; assertContains "$err" "longer than 15 bytes"
	refused --veth 'a%d:b';            assertContains "$err" "contains '%'"
	refused --veth 'a:b%'
	refused --veth a/b:c;              assertContains "$err" "contains '/'"
	refused --veth a:b:c;              assertContains "$err" "contains ':'"
	refused --veth 'a b:c';            assertContains "$err" "contains whitespace"
	refused --veth "$(printf 'a\tb:c')"
	refused --veth "$(printf 'a\nb:c')";   assertContains "$err" "'a\\x0ab'"
	refused --veth .:b
	refused --veth a:..
	refused --veth ab;                 assertContains "$err" "write NAME:PEER"
	refused --veth a:a;                assertContains "$err" "different names"
	refused --addr %=10.0.0.1/8
	refused --addr abcdefghijklmnop=10.0.0.1/8; assertContains "$err" "longer than 15 bytes"
	refused --addr 10.0.0.1/8;         assertContains "$err" "write IFACE=CIDR"
	refused --up '';                   assertContains "$err" "empty"
	refused --up a:b
	refused --up abcdefghijklmnop
	assertEquals "--up 'abcdefghijklmnop': bad interface name 'abcdefghijklmnop': longer than 15 bytes" \
		"${err#nsnet: }"
}

testBadCidrsRefused() {
	for c in 1.2.3/24 010.0.0.1/8 0x0a.0.0.1/8 256.0.0.1/8 1.2.3.4.5/8 10.0.0.1/33 \
		::1/129 garbage 10.0.0.1 10.0.0.1/ /24 10.0.0.1/24x 10.0.0.1/024 \
		10.0.0.1/+8 ' 10.0.0.1/8' fe80::1%lo/64 10.0.0.1/8/8 ''; do
		refused --addr "lo=$c"
		assertContains "--addr lo=$c" "$err" "'$c' is not a CIDR"
		refused --veth a:b --peer-addr "$c"
		assertContains "--peer-addr $c" "$err" "--peer-addr '$c': '$c' is not a CIDR"
	done
	refused --addr lo=1.2.3/24
	assertEquals "--addr 'lo=1.2.3/24': '1.2.3/24' is not a CIDR: not an IPv4 address (four decimal numbers 0-255, no leading zeros)" \
		"${err#nsnet: }"
	refused --addr lo=::1/129
	assertContains "$err" "from 0 to 128"
}

# Checked before unshare: unprivileged without -U, unshare would fail with
# EPERM, yet the input is what is reported.
testInputCheckedBeforeUnshare() {
	require_userns || return 0
	run as_user nsnet --veth 'a%d:b' touch "$MARKER"
	assert_refused -1 nsnet
	assertContains "$err" "bad interface name"
	run as_user nsnet --addr lo=010.0.0.1/8 touch "$MARKER"
	assert_refused -1 nsnet
	assertContains "$err" "is not a CIDR"
	# The good part of the input before the bad part changed nothing either.
	run "$BIN/nsnet" --veth good0:good1 --veth bad0:bad/1 touch "$MARKER"
	assert_refused -1 nsnet
}

testDuplicateNames() {
	refused --veth a:b --veth a:c
	assertContains "$err" "already given to another --veth"
	refused --veth a:b --veth c:b
	# lo exists in every network namespace: the kernel says EEXIST.
	refused --veth lo:x
	assertEquals "nsnet: RTM_NEWLINK lo type veth peer x: File exists" "$err"
	refused --veth x:lo
	assertContains "$err" "File exists"
	require_userns || return 0
	run as_user usernsselfmap nsnet --veth lo:x touch "$MARKER"
	assert_refused -1 nsnet
	assertContains "$err" "File exists"
}

testDuplicateAddressKernelSays() {
	run "${NSNET[@]}" --veth a:b --addr a=10.0.0.1/8 --addr a=10.0.0.1/8 touch "$MARKER"
	assert_refused nsnet
	assertEquals "nsnet: RTM_NEWADDR 10.0.0.1/8 dev a: File exists" "$(printf '%s\n' "$err" | sed -n 1p)"
	# The kernel's extended ack: given since Linux 6, so required there;
	# before it, nothing or those words.
	second=$(printf '%s\n' "$err" | sed -n 2p)
	if [ "$(uname -r | cut -d. -f1)" -ge 6 ]; then
		assertEquals "nsnet: kernel says: ipv4: Address already assigned" "$second"
	else
		assertTrue "a second line that is not the ack: $second" \
			"[ -z '$second' ] || [ '$second' = 'nsnet: kernel says: ipv4: Address already assigned' ]"
	fi
	if [ "$(uname -r | cut -d. -f1)" -ge 6 ]; then
		run "${NSNET[@]}" --addr lo=ff02::1/64 touch "$MARKER"
		assert_refused nsnet
		assertContains "$err" "nsnet: RTM_NEWADDR ff02::1/64 dev lo: "
		assertContains "$err" "nsnet: kernel says: "
	fi
}

testMissingLink() {
	refused --addr nslab0=10.0.0.1/8
	assertEquals "nsnet: RTM_GETLINK nslab0: No such device" "$(printf '%s\n' "$err" | head -n 1)"
	assertContains "$err" "nsnet: hint: no interface of that name here"
	refused --up nslab0
	assertContains "$err" "nsnet: RTM_NEWLINK nslab0 up: No such device"
}

# A process that has come and gone (tests/lib.sh, $GONE).
testVanishedPeerPid() {
	require_userns || return 0
	run "$GONE" "${NSNET[@]}" --veth a:b --peer-netns $GONE_PID touch "$MARKER"
	assert_refused -1 nsnet
	assertEquals "nsnet: --peer-netns '$GONE_PID': no such process" "$err"
	require_userns || return 0
	run as_user "$GONE" usernsselfmap nsnet --veth a:b --peer-netns $GONE_PID touch "$MARKER"
	assert_refused -1 nsnet
	assertEquals "nsnet: --peer-netns '$GONE_PID': no such process" "$err"
}

testPeerNetnsRefused() {
	refused --peer-netns 1;                 assertContains "$err" "no --veth before it"
	refused --peer-addr 10.0.0.1/8;         assertContains "$err" "no --veth before it"
	refused --veth a:b --peer-netns 0;      assertContains "$err" "not a PID"
	refused --veth a:b --peer-netns 99999999999; assertContains "$err" "not a PID"
	refused --veth a:b --peer-netns /etc/passwd; assertContains "$err" "is not a namespace file"
	refused --veth a:b --peer-netns /proc/self/ns/user; assertContains "$err" "is not a network namespace"
	# A FIFO is refused at once, not waited on (the timeout's 124 would fail).
	mkfifo "$SCRATCH/fifo"
	run timeout 10 "$BIN/nsnet" --veth a:b --peer-netns "$SCRATCH/fifo" touch "$MARKER"
	assertEquals "a FIFO: status; $err" 125 "$rc"
	assertContains "$err" "is not a namespace file"
	assert_not_run
	rm -f "$SCRATCH/fifo"
	refused --veth a:b --peer-netns nslab-no-such-netns
	assertContains "$err" "open /run/netns/nslab-no-such-netns: No such file or directory"
	refused --veth a:b --peer-netns /proc/self/ns/net --peer-netns /proc/self/ns/net; assertContains "$err" "moved already"
	refused --veth a:b --peer-netns /proc/self/ns/net --addr b=10.0.0.1/8; assertContains "$err" "use --peer-addr"
	refused --veth a:b --peer-netns /proc/self/ns/net --up b
}

# A peer namespace owned by a user namespace we have no capability in.
testPeerNetnsOfAnotherUserNamespace() {
	require_userns || return 0
	write_sleeper
	run as_user usernsselfmap sh -c ". '$SCRATCH/sleeper.sh'
		nsnet -U --veth a:b --peer-netns \$b --peer-addr 10.0.0.2/24 touch '$MARKER'"
	assert_refused nsnet
	assertEquals "nsnet: RTM_NEWLINK b netns" "$(printf '%s\n' "$err" | sed -n 1p | cut -d' ' -f1-4)"
	assertContains "$err" "Operation not permitted"
	assertContains "$err" "nsnet: hint: --peer-netns "
	assertContains "$err" "nsnet: hint: -U made a user namespace"
}

# SIGTERM between any two rtnetlink steps of a set-up into --peer-netns:
# strace(1) delivers it on entry to the Nth sendto(2) (lo, the pair, the
# move, then each request of --peer-addr and --addr).  The command never
# runs, and nothing is left: the pair dies with the namespace of the dead
# nsnet, its moved end included.  The kernel frees a namespace in the
# background, so the script waits for that (an event, not a time limit).
write_sigterm_lab() {
	write_sleeper
	{ echo '. "$(dirname "$0")/sleeper.sh"'; cat <<'EOF'
links() { nsenter --net=/proc/$b/ns/net ip -o link | awk -F': ' '{print $2}' | paste -sd' '; }
echo "before $(links)"
for n in 2 3 4 5 6 7 8 9; do
	strace -f -qq -o /dev/null -e trace=sendto -e inject=sendto:signal=SIGTERM:when=$n \
		nsnet --veth t0:t1 --addr t0=10.201.0.1/24 --peer-netns $b \
		--peer-addr 10.201.0.2/24 touch "$1"
	echo "status $n $?"
	i=0
	while nsenter --net=/proc/$b/ns/net ip link show t1 >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 600 ] || break
		sleep 0.05
	done
	echo "after $n $(links)"
done
EOF
	} >"$SCRATCH/sigterm.sh"
}

check_sigterm_lab() {
	assertEquals "exit status; stderr: $err" 0 "$rc"
	before=$(printf '%s\n' "$out" | sed -n 's/^before //p')
	assertNotNull "the peer namespace was not read" "$before"
	for n in 2 3 4 5 6 7 8 9; do
		assertEquals "SIGTERM at sendto $n: status" "status $n 143" \
			"$(printf '%s\n' "$out" | grep "^status $n ")"
		assertEquals "SIGTERM at sendto $n: left in the peer namespace" "after $n $before" \
			"$(printf '%s\n' "$out" | grep "^after $n ")"
	done
	assert_not_run
}

testSigtermBetweenStepsLeavesNothingAsRoot() {
	require_root "nsnet and the peer namespaces without a user namespace take CAP_SYS_ADMIN on the host" || return 0
	write_sigterm_lab
	run env PATH="$BIN:$PATH" sh "$SCRATCH/sigterm.sh" "$MARKER"
	check_sigterm_lab
}

testSigtermBetweenStepsLeavesNothingAsNobody() {
	require_userns || return 0
	write_sigterm_lab
	run as_user usernsselfmap sh "$SCRATCH/sigterm.sh" "$MARKER"
	check_sigterm_lab
}

# A step that fails after the pair was made: nsnet deletes the pair before
# it exits 125, so the end it moved out is gone at once (not when the
# kernel gets round to freeing nsnet's namespace) and a retry at once can
# use the same names.
write_undo_lab() {
	write_sleeper
	{ echo '. "$(dirname "$0")/sleeper.sh"'; cat <<'EOF'
nsnet -v --veth u0:u1 --peer-netns $b --peer-addr 10.202.0.2/24 --up nslab-nope touch "$1"
echo "status $?"
echo "left $(nsenter --net=/proc/$b/ns/net ip -o link show u1 2>/dev/null | wc -l)"
nsnet --veth u0:u1 --peer-netns $b true
echo "retry $?"
EOF
	} >"$SCRATCH/undo.sh"
}

check_undo_lab() {
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertEquals "status 125|left 0|retry 0" "$(printf '%s\n' "$out" | grep -v '^sleeper ' | paste -sd'|')"
	assertContains "$err" 'nsnet: RTM_DELLINK(ifname="u0") = 0'
	assertContains "$err" 'nsnet:   $ ip link del u0'
	assert_not_run
}

testFailureDeletesThePairAsRoot() {
	require_root "nsnet and the peer namespace without a user namespace take CAP_SYS_ADMIN on the host" || return 0
	write_undo_lab
	run env PATH="$BIN:$PATH" sh "$SCRATCH/undo.sh" "$MARKER"
	check_undo_lab
}

testFailureDeletesThePairAsNobody() {
	require_userns || return 0
	write_undo_lab
	run as_user usernsselfmap sh "$SCRATCH/undo.sh" "$MARKER"
	check_undo_lab
}

testUnprivilegedNeedsUsernsOrUsernsselfmap() {
	require_userns || return 0
	run as_user nsnet touch "$MARKER"
	assert_refused nsnet
	assertEquals "nsnet: unshare(CLONE_NEWNET): Operation not permitted" "$(printf '%s\n' "$err" | sed -n 1p)"
	assertContains "$err" "nsnet: hint: "
	assertContains "$err" "which you do not have: run it under usernsselfmap"
	require_userns || return 0
	# Mapped to itself (-k), the uid is not 0: capabilities went at exec.
	run as_user usernsselfmap -k nsnet touch "$MARKER"
	assert_refused nsnet
	assertContains "$err" "nsnet: hint: uid $USER_UID is not 0 inside this user namespace"
}

testUnshareFailureNeverRunsCommand() {
	require_userns || return 0
	run as_user unshare -Ur sh -c \
		"echo 0 >/proc/sys/user/max_net_namespaces && nsnet touch '$MARKER'"
	assert_refused nsnet
	assertContains "$err" "nsnet: unshare(CLONE_NEWNET): No space left on device"
	assertContains "$err" "nsnet: hint: user.max_net_namespaces is 0 here"
	# With -U as well: the zero explains it, no enclosing limit is blamed.
	run as_user unshare -Ur sh -c \
		"echo 0 >/proc/sys/user/max_net_namespaces && nsnet -U touch '$MARKER'"
	assert_refused nsnet
	assertContains "$err" "nsnet: hint: user.max_net_namespaces is 0 here"
	assertNotContains "$err" "enclosing"
}

# --- the chain contract

testVerboseShowsIpEquivalents() {
	run "${NSNET[@]}" -v --veth veth0:veth1 --addr veth0=10.10.10.10/8 \
		--addr veth0=fd00::1/64 --up veth1 true
	assertEquals "exit status; stderr: $err" 0 "$rc"
	for want in 'nsnet: unshare(CLONE_NEWNET) = 0' \
		'nsnet:   $ unshare --net' \
		'nsnet:   $ ip link set lo up' \
		'nsnet: RTM_NEWLINK(ifname="veth0", kind="veth", peer="veth1", NLM_F_CREATE|NLM_F_EXCL) = 0' \
		'nsnet:   $ ip link add name veth0 type veth peer name veth1' \
		'nsnet:   $ ip addr add 10.10.10.10/8 dev veth0' \
		'nsnet:   $ ip addr add fd00::1/64 dev veth0 nodad' \
		'nsnet:   $ ip link set veth0 up' \
		'nsnet:   $ ip link set veth1 up' \
		'nsnet: execvp("true", ...)'; do
		assertTrue "missing narration: $want" "printf '%s\n' \"\$err\" | grep -qxF -- '$want'"
	done
	run "$BIN/nsnet" -U -v true
	# unshare(1) writes the maps itself: no map write to type after it.
	assertContains "$err" 'nsnet:   $ unshare --user --net --map-current-user --keep-caps'
	assertContains "$err" "uid_map \"$(id -u) $(id -u) 1\" = 0"
	assertNotContains "$err" 'nsnet:   $ echo'
	run env NSLAB_VERBOSE=1 "${NSNET[@]}" true
	assertContains "$err" 'nsnet:   $ ip link set lo up'
	run "${NSNET[@]}" -v sh -c 'echo "$NSLAB_VERBOSE"'
	assertEquals "narration flows down the chain" 1 "$out"
}

# A --peer-netns path under /proc/self names nsnet before its unshare, but
# typed after "unshare --net" it would be ip's or nsenter's own namespace:
# no shell line then, and the call says which namespace it was.  Inside a
# namespace the test makes, so the moved end never reaches the host's.
testVerboseSelfPathHasNoShellLine() {
	run as_me unshare --net "$BIN/nsnet" -v --veth s0:s1 --peer-netns /proc/self/ns/net \
		--peer-addr 10.203.0.2/24 true
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertContains "$err" '(/proc/self/ns/net, as nsnet opened it before unshare)) = 0'
	assertNotContains "$err" 'nsnet:   $ ip link set s1 netns'
	assertNotContains "$err" 'nsnet:   $ nsenter --net=/proc/self'
	assertContains "$err" 'nsnet:   $ ip link add name s0 type veth peer name s1'
	require_userns || return 0
	run as_user usernsselfmap unshare --net nsnet -v --veth s0:s1 --peer-netns /proc/self/ns/net true
	assertEquals "exit status; stderr: $err" 0 "$rc"
	assertContains "$err" '(/proc/self/ns/net, as nsnet opened it before unshare)) = 0'
	assertNotContains "$err" 'nsnet:   $ ip link set s1 netns'
}

# The narrated ip(8) commands, typed into a fresh namespace, build the same
# links and addresses nsnet built: the narration tells the truth.
testNarrationReplays() {
	norm='[.[] | {ifname, link, up: (.flags | index("UP") != null),
		addrs: ([.addr_info[] | select(.scope != "link") | "\(.local)/\(.prefixlen)"] | sort)}]
		| sort_by(.ifname)'
	run "${NSNET[@]}" -v --veth veth0:veth1 --addr veth0=10.10.10.10/8 \
		--addr veth0=fd00::1/64 --addr veth1=10.10.10.11/8 ip -j addr
	assertEquals "exit status; stderr: $err" 0 "$rc"
	mine=$(printf '%s\n' "$out" | jq -c "$norm")
	cmds=$(printf '%s\n' "$err" | sed -n 's/^nsnet:   \$ //p' | grep -v '^unshare ')
	assertEquals "narrated commands" 8 "$(printf '%s\n' "$cmds" | grep -c '^ip ')"
	run as_me unshare --net sh -ec "$cmds
		ip -j addr"
	assertEquals "replay failed: $err" 0 "$rc"
	assertEquals "$mine" "$(printf '%s\n' "$out" | jq -c "$norm")"
}

testOptionsStopAtFirstNonOption() {
	run "${NSNET[@]}" echo --veth a:b
	assertEquals 0 "$rc"
	assertEquals "--veth a:b" "$out"
}

testExitStatusIsTheCommands() {
	run "${NSNET[@]}" sh -c 'exit 42'
	assertEquals 42 "$rc"
	require_userns || return 0
	run as_user nsnet -U sh -c 'exit 7'
	assertEquals 7 "$rc"
}

testNoForkCommandKeepsThePid() {
	run sh -c '"$@" --veth a:b sh -c "echo \$PPID"; echo $$' sh "${NSNET[@]}"
	assertEquals "$(printf '%s\n' "$out" | sed -n 2p)" "$(printf '%s\n' "$out" | sed -n 1p)"
}

testOnlyStandardFds() {
	run bash -c 'for fd in /proc/$$/fd/*; do n=${fd##*/}
		[ "$n" -gt 2 ] && eval "exec $n>&-"; done
		exec "$@" --veth a:b --addr a=10.0.0.1/8 sh -c "ls /proc/\$\$/fd"' bash "${NSNET[@]}"
	assertEquals "0 1 2" "$(printf '%s\n' "$out" | paste -sd' ')"
}

testDefaultsToShell() {
	printf 'readlink /proc/self/ns/net\n' >"$SCRATCH/script"
	run env -u SHELL "${NSNET[@]}" <"$SCRATCH/script"
	assertEquals 0 "$rc"
	assertContains "/bin/sh when SHELL is unset" "$out" "net:["
	assertNotEquals "$(readlink /proc/self/ns/net)" "$out"
}

testMissingCommand127() {
	run "${NSNET[@]}" nslab-no-such-command
	assertEquals 127 "$rc"
	assertEquals "nsnet: exec nslab-no-such-command: No such file or directory" "$err"
}

testNotExecutable126() {
	printf '#!/bin/sh\ntouch %s\n' "$MARKER" >"$SCRATCH/noexec"
	chmod 644 "$SCRATCH/noexec"
	run "${NSNET[@]}" "$SCRATCH/noexec"
	assertEquals 126 "$rc"
	assertEquals "nsnet: exec $SCRATCH/noexec: Permission denied" "$err"
	assert_not_run
}

# A script without #! runs through /bin/sh (lib/chain, whichever libc).
testScriptWithoutShebangRunsInSh() {
	printf 'echo "$0|$#|$1"\nexit 3\n' >"$SCRATCH/noshebang"
	chmod 755 "$SCRATCH/noshebang"
	run "${NSNET[@]}" "$SCRATCH/noshebang" 'a b'
	assertEquals "status; $err" 3 "$rc"
	assertEquals "$SCRATCH/noshebang|1|a b" "$out"
}

testBadOptions() {
	refused -x;               assertContains "$err" "unknown option '-x'"
	refused --no-such-option; assertContains "$err" "unknown option '--no-such-option'"
	run "$BIN/nsnet" --veth
	assertEquals 125 "$rc"
	assertContains "$err" "needs an argument"
}

testHelpAndVersion() {
	run "$BIN/nsnet" --help
	assertEquals 0 "$rc"
	assertContains "$out" "usage: nsnet"
	for o in --userns --no-lo --veth --peer-netns --peer-addr --addr --up --verbose \
		--bridge --master --route --default-via --peer-route --outbound --sys; do
		assertContains "--help lists $o" "$out" "$o"
	done
	run "$BIN/nsnet" -V
	assertEquals 0 "$rc"
	assertEquals "nsnet (nslab) $(sed -n 's/^VERSION *= *//p' "$TOP/config.mk")" "$out"
}

# Every check above can fail: the oracle sees a link that is there, and
# misses one that is not.
testOracleCanFail() {
	out='[{"ifname":"lo","flags":["LOOPBACK"],"addr_info":[]}]'
	assertFalse "has_flag saw UP that is not there" "has_flag lo UP"
	assertFalse "has_addr saw an address that is not there" "has_addr lo 127.0.0.1 8"
	out='[{"ifname":"lo","flags":["UP"],"addr_info":[{"local":"127.0.0.1","prefixlen":8}]}]'
	assertTrue "has_flag missed UP" "has_flag lo UP"
	assertTrue "has_addr missed the address" "has_addr lo 127.0.0.1 8"
	assertFalse "has_addr ignored the prefix" "has_addr lo 127.0.0.1 16"
	touch "$MARKER"
	assertTrue "assert_not_run cannot see the marker" "[ -e '$MARKER' ]"
	rm -f "$MARKER"
	as_user touch "$MARKER" 2>/dev/null
	assertTrue "the unprivileged user cannot write the marker" "[ -e '$MARKER' ]"
	rm -f "$MARKER"
}

# shellcheck source=/dev/null
. shunit2
