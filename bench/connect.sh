#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/connect.sh: guide 10's two setups timed against what a reader would
# type, side by side, with hyperfine (medians in milliseconds).
#
# 1. The router lab (three network namespaces, two veth pairs, addresses,
#    the host's default route, forwarding on in the router), as the user,
#    inside one user namespace: one nsnet for the router against the same
#    with ip(8), nsenter(1) and sysctl(8) in one script.  Both keep host and
#    wan with the same two sleepers; the goal is <= 0.35x.
# 2. As root (the tun device is root's only on some systems): from
#    `nsnet --outbound slirp4netns` to a first connection to a listener on
#    the host's 127.0.0.1 (tcp_sink -r, through 10.0.2.2), against
#    slirp4netns --configure started by hand in an `unshare --net` shell
#    that waits on its --ready-fd.
# Only private addresses in namespaces made here, and the host's 127.0.0.1.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$top/build/tests/helpers:$PATH:/usr/sbin:/sbin
export PATH
runs=${BENCH_RUNS:-20}
T=$(mktemp -d "${TMPDIR:-/tmp}/nslab-bench-connect.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
chmod 1777 "$T"	# the user writes its hyperfine results here

# Two sleepers in network namespaces of their own; $h and $w once unshared.
cat >"$T/two.sh" <<'EOF'
n() { until [ "$(readlink /proc/$1/ns/net)" != "$(readlink /proc/self/ns/net)" ]; do :; done; }
EOF
cat >"$T/nslab.sh" <<EOF
. $T/two.sh
nsnet sleep 60 & h=\$!; nsnet sleep 60 & w=\$!; n \$h; n \$w
nsnet --veth r0:h0 --addr r0=10.1.0.1/24 --peer-netns \$h --peer-addr 10.1.0.2/24 \\
	--peer-route default,via=10.1.0.1 \\
	--veth r1:w0 --addr r1=10.2.0.1/24 --peer-netns \$w --peer-addr 10.2.0.2/24 \\
	sysctl -qw net.ipv4.ip_forward=1
kill \$h \$w
EOF
cat >"$T/ip.sh" <<EOF
. $T/two.sh
unshare -n sleep 60 & h=\$!; unshare -n sleep 60 & w=\$!; n \$h; n \$w
unshare -n sh -c "ip link set lo up
ip link add name r0 type veth peer name h0; ip link set h0 netns \$h
ip addr add 10.1.0.1/24 dev r0; ip link set r0 up
nsenter --net=/proc/\$h/ns/net sh -c 'ip link set lo up; ip addr add 10.1.0.2/24 dev h0; ip link set h0 up; ip route add default via 10.1.0.1'
ip link add name r1 type veth peer name w0; ip link set w0 netns \$w
ip addr add 10.2.0.1/24 dev r1; ip link set r1 up
nsenter --net=/proc/\$w/ns/net sh -c 'ip link set lo up; ip addr add 10.2.0.2/24 dev w0; ip link set w0 up'
sysctl -qw net.ipv4.ip_forward=1"
kill \$h \$w
EOF
chmod 644 "$T"/*.sh

as_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$T" PATH="$PATH" "$@"
	else
		"$@"
	fi
}

median() { jq -r '.results[0].median * 1000' "$1"; }

if ! { as_user hyperfine -N -w 3 -r "$runs" --export-json "$T/n.json" "usernsselfmap sh $T/nslab.sh" &&
	as_user hyperfine -N -w 3 -r "$runs" --export-json "$T/i.json" "usernsselfmap sh $T/ip.sh"; } >/dev/null 2>&1; then
	echo "bench/connect.sh: the router lab failed"
	exit 1
fi
n=$(median "$T/n.json") i=$(median "$T/i.json")
printf 'router lab: nslab %.1f ms, ip/nsenter/sysctl script %.1f ms, ratio %.2fx (goal <= 0.35x)\n' \
	"$n" "$i" "$(awk -v a="$n" -v b="$i" 'BEGIN { print a / b }')"

if [ "$(id -u)" != 0 ] || ! command -v slirp4netns >/dev/null; then
	echo "outbound: not measured (needs root for /dev/net/tun, and slirp4netns)"
	exit 0
fi
cat >"$T/client.sh" <<'EOF'
exec 3<>/dev/tcp/10.0.2.2/$SINK_PORT && echo x >&3 && read -r a <&3
EOF
cat >"$T/byhand.sh" <<EOF
mkfifo $T/ready.\$\$
slirp4netns --configure --mtu=65520 --ready-fd=4 \$\$ tap0 4>$T/ready.\$\$ >/dev/null 2>&1 & s=\$!
read -r r <$T/ready.\$\$; rm -f $T/ready.\$\$
bash $T/client.sh; kill \$s
EOF
if ! { hyperfine -N -w 3 -r "$runs" --export-json "$T/o.json" \
		"tcp_sink -r nsnet --outbound slirp4netns bash $T/client.sh" &&
	hyperfine -N -w 3 -r "$runs" --export-json "$T/h.json" \
		"tcp_sink -r unshare --net sh $T/byhand.sh"; } >/dev/null 2>&1; then
	echo "bench/connect.sh: the outbound runs failed"
	exit 1
fi
o=$(median "$T/o.json") h=$(median "$T/h.json")
printf 'outbound to a first connection: nsnet --outbound slirp4netns %.1f ms, slirp4netns by hand %.1f ms, ratio %.2fx\n' \
	"$o" "$h" "$(awk -v a="$o" -v b="$h" 'BEGIN { print a / b }')"
