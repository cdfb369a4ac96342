#!/bin/sh
# SPDX-License-Identifier: MIT
# A two-host network lab, unprivileged: in one user namespace, two network
# namespaces ("hosts" A and B, each a sleeping process), joined by a veth
# pair, 10.0.0.1 and 10.0.0.2, pinging each other.  nsnet --peer-netns moves
# the pair's far end into B.  Everything lives in namespaces this script
# creates, and vanishes with its processes.  nsjoin -t PID enters a host:
# its network namespace, the one kind in which it differs from ours.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
export PATH
# shellcheck source=transcript.sh
. "$top/examples/transcript.sh"

if [ "${1:-}" = --inside ]; then
	# Root in the user namespace usernsselfmap made; it owns what follows.
	say "inside: $(id -un 2>/dev/null || id -u), user namespace $(readlink /proc/self/ns/user)"
	say "host B: a new network namespace, a process to keep it"
	printf '$ nsnet sleep 30 &\n'
	nsnet sleep 30 </dev/null & b=$!
	wait_new_net $b || { echo "host B never got its namespace"; exit 1; }
	say "host A: a new network namespace with veth a0 (10.0.0.1), whose peer" \
	    "b0 is moved into B's namespace (pid $b) and given 10.0.0.2"
	printf '$ nsnet --veth a0:b0 --addr a0=10.0.0.1/24 --peer-netns %s --peer-addr 10.0.0.2/24 sleep 30 &\n' $b
	nsnet --veth a0:b0 --addr a0=10.0.0.1/24 --peer-netns $b --peer-addr 10.0.0.2/24 \
		sleep 30 </dev/null & a=$!
	wait_new_net $a || { echo "host A never got its namespace"; kill $b; exit 1; }
	# nsnet configures before it execs sleep: wait for the address.
	i=0
	until nsjoin -t $a ip -o -4 addr show a0 2>/dev/null | grep -q 10.0.0.1; do
		i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.05
	done
	step "nsjoin -t $a ip -o -4 addr show" "a0 +inet 10\\.0\\.0\\.1/24"
	step "nsjoin -t $b ip -o -4 addr show" "b0 +inet 10\\.0\\.0\\.2/24"
	say "A pings B, B pings A"
	step "nsjoin -t $a ping -c 1 -W 2 10.0.0.2" " 0% packet loss"
	step "nsjoin -t $b ping -c 1 -W 2 10.0.0.1" " 0% packet loss"
	say "two namespaces, neither the host's"
	step "readlink /proc/self/ns/net /proc/$a/ns/net /proc/$b/ns/net | sort -u | wc -l" "^ *3\$"
	kill $a $b 2>/dev/null
	wait
	summary inside
	exit
fi

if have usernsselfmap nsnet nsjoin; then
	say "Everything below runs as root in one user namespace:" \
	    "usernsselfmap sh $0 --inside"
	step "usernsselfmap sh '$0' --inside" "^inside: [0-9]+ steps, [0-9]+ as expected, 0 not\$"
	# Count the steps taken inside as this script's own.
	# shellcheck disable=SC2046 # two numbers, split on purpose
	set -- $(printf '%s\n' "$output" | sed -n 's/^inside: \([0-9]*\) steps, [0-9]* as expected, \([0-9]*\) not$/\1 \2/p')
	steps=$((steps + ${1:-0})) failed=$((failed + ${2:-0}))
	say "back on the host, neither address exists"
	step_lacks "ip -o -4 addr show" "10\\.0\\.0\\.[12]/24"
fi
summary
