#!/bin/sh
# SPDX-License-Identifier: MIT
# A LAN, a router and a WAN, unprivileged: in one user namespace, three
# network namespaces, "host" (10.1.0.2), "router" (10.1.0.1 and 10.2.0.1)
# and "wan" (10.2.0.2, with a listener).  nsnet makes the router's two veth
# pairs, moves their far ends into host and wan, and gives host its default
# route; the router forwards (net.ipv4.ip_forward is per network namespace,
# writable by root of the user namespace that owns it) and masquerades with
# nft.  The host reaches the wan listener, which sees the router's address,
# not the host's: the NAT every home router and rootless container does.
# Only private addresses inside namespaces this script creates are used;
# nothing on the real host changes, and everything vanishes with the
# processes.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$top/build/tests/helpers:$PATH:/usr/sbin:/sbin
export PATH
# shellcheck source=transcript.sh
. "$top/examples/transcript.sh"

if [ "${1:-}" = --inside ]; then
	say "inside: root of user namespace $(readlink /proc/self/ns/user)"
	say "host and wan: two network namespaces, a sleeping process to keep each"
	printf '$ nsnet sleep 60 &   # host\n$ nsnet sleep 60 &   # wan\n'
	nsnet sleep 60 </dev/null & h=$!
	nsnet sleep 60 </dev/null & w=$!
	{ wait_new_net $h && wait_new_net $w; } || { echo "no namespaces"; kill $h $w; exit 1; }
	say "router: one nsnet with two veth pairs; r0's peer h0 goes to host (pid $h)" \
	    "with 10.1.0.2 and a default route back through the router, r1's peer w0" \
	    "to wan (pid $w) with 10.2.0.2 and no route to 10.1.0.0/24 at all"
	cat <<EOF
\$ nsnet --veth r0:h0 --addr r0=10.1.0.1/24 --peer-netns $h --peer-addr 10.1.0.2/24 \\
        --peer-route default,via=10.1.0.1 \\
        --veth r1:w0 --addr r1=10.2.0.1/24 --peer-netns $w --peer-addr 10.2.0.2/24 sleep 60 &
EOF
	nsnet --veth r0:h0 --addr r0=10.1.0.1/24 --peer-netns $h --peer-addr 10.1.0.2/24 \
		--peer-route default,via=10.1.0.1 \
		--veth r1:w0 --addr r1=10.2.0.1/24 --peer-netns $w --peer-addr 10.2.0.2/24 \
		sleep 60 </dev/null & r=$!
	wait_new_net $r || { echo "no router"; kill $h $w $r; exit 1; }
	# nsnet configures before it execs sleep: r1's address is its last step.
	i=0
	until nsenter --net=/proc/$r/ns/net ip -o -4 addr show r1 2>/dev/null | grep -q 10.2.0.1; do
		i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.05
	done
	H="nsenter --net=/proc/$h/ns/net" R="nsenter --net=/proc/$r/ns/net" W="nsenter --net=/proc/$w/ns/net"
	step "$H ip route" "^default via 10\\.1\\.0\\.1 dev h0"
	step "$W ip route" "^10\\.2\\.0\\.0/24 dev w0"
	say "the router does not forward yet: host's packet for wan is dropped there"
	step_fails "$H ping -c 1 -W 1 10.2.0.2" "100% packet loss"
	step "$R sysctl -w net.ipv4.ip_forward=1" "= 1"
	say "forwarding is per network namespace: this turned on the router's only"
	say "masquerade what leaves through r1: wan sees the router's 10.2.0.1" \
	    "and answers it, having no route to 10.1.0.0/24"
	step "$R nft add table ip nat"
	step "$R nft add chain ip nat postrouting { type nat hook postrouting priority srcnat \\; }"
	step "$R nft add rule ip nat postrouting oifname r1 masquerade"
	step "$R nft list ruleset" "oifname \"r1\" masquerade"
	say "host connects to a listener in wan (tcp_sink, tests/helpers), through the router"
	step "$W tcp_sink -a 10.2.0.2 $H bash -c 'echo hello from 10.1.0.2 >/dev/tcp/10.2.0.2/\$SINK_PORT'" \
		"^tcp_sink: from 10\\.2\\.0\\.1\$" "^tcp_sink: (from 10\\.1\\.0\\.2|nothing arrived)"
	say "the listener saw 10.2.0.1, the router, not the host's 10.1.0.2: the" \
	    "router's connection tracking rewrote the source, and rewrites the answers back"
	kill $h $w $r 2>/dev/null
	wait
	summary inside
	exit
fi

if have usernsselfmap nsnet nsenter nft sysctl tcp_sink bash; then
	forward=$(cat /proc/sys/net/ipv4/ip_forward)
	say "Everything below runs as root in one user namespace:" \
	    "usernsselfmap sh $0 --inside"
	step "usernsselfmap sh '$0' --inside" "^inside: [0-9]+ steps, [0-9]+ as expected, 0 not\$"
	# shellcheck disable=SC2046 # two numbers, split on purpose
	set -- $(printf '%s\n' "$output" | sed -n 's/^inside: \([0-9]*\) steps, [0-9]* as expected, \([0-9]*\) not$/\1 \2/p')
	steps=$((steps + ${1:-0})) failed=$((failed + ${2:-0}))
	say "back on the host: no 10.1/10.2 address, forwarding as it was"
	step_lacks "ip -o -4 addr show" "10\\.[12]\\.0\\.[12]/24"
	step "cat /proc/sys/net/ipv4/ip_forward" "^$forward\$"
fi
summary
