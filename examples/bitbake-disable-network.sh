#!/bin/sh
# SPDX-License-Identifier: MIT
# Yocto bitbake's disable_network() (shared/seeds/000_f56005a090cbac4a.txt):
# unshare(CLONE_NEWNET|CLONE_NEWUSER), maps uid->uid, and the task runs
# without network.  Inside Docker unshare returns -1 and bitbake only logs
# at debug level, then runs the task WITH network: a fail-open.  Here Docker
# is reproduced without Docker by seccomp_deny_ns (tests/helpers), the same
# EPERM Docker's default seccomp profile returns; nsnet -U refuses instead.
#
# Nothing here sends a packet outside a namespace this script creates: the
# host's network is shown by its namespace and interfaces, and the only
# address reached for is the documentation address 192.0.2.1, with a route
# lookup (which sends nothing) or from inside a new network namespace.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$top/build/examples:$top/build/tests/helpers:$PATH
export PATH
. "$top/examples/transcript.sh"

me=$(id -u)
host_net=$(readlink /proc/self/ns/net)
host_net_re=$(printf '%s' "$host_net" | sed 's/[][]/\\&/g')
work=$(mktemp -d /tmp/nslab-bitbake.XXXXXX) || exit 1
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

say "The host's network namespace, for comparison: $host_net"

if have call_unshare disable_network; then
	say "1. The article's probe: the call bitbake makes, on this machine"
	step "call_unshare" "^unshare: ret=0\$"

	say "2. disable_network TASK: bitbake's disable_network(), then the task." \
	    "   The task is in a new network namespace, and still runs as you."
	step "disable_network sh -c 'id -u; readlink /proc/self/ns/net'" "^$me\$"
	step_lacks "disable_network readlink /proc/self/ns/net" "^$host_net_re\$"
	step_fails "disable_network ip route get 192.0.2.1" "Network is unreachable"
fi

if have nsnet; then
	say "3. nslab's nsnet -U is the same step for one command: one" \
	    "   unshare(CLONE_NEWUSER|CLONE_NEWNET), your ids mapped to themselves."
	step "nsnet -U id -u" "^$me\$"
	step "nsnet -U ip -o link" "^1: lo: "
	step_lacks "nsnet -U ip -o link" "^[2-9][0-9]*: "
	step_fails "nsnet -U ip route get 192.0.2.1" "Network is unreachable"
	say "   A task reaching for the network gets no route (this connect happens" \
	    "   inside the new namespace, where the only interface is lo):"
	hostnet=$(readlink /proc/self/ns/net)
	# (The guard refuses to try from the host's namespace, so a regression
	# could never send anything.)
	step_fails "nsnet -U bash -c '[ \"\$(readlink /proc/self/ns/net)\" != \"$hostnet\" ] && exec 3<>/dev/tcp/192.0.2.1/80'" "Network is unreachable"
fi

if have seccomp_deny_ns call_unshare disable_network; then
	say "4. Docker without Docker: seccomp_deny_ns sets no_new_privs and a" \
	    "   filter making unshare/setns/clone with CLONE_NEW* fail with EPERM," \
	    "   as Docker's default profile does, then runs its command."
	step "seccomp_deny_ns grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status" "^Seccomp:[[:space:]]+2\$"
	step "seccomp_deny_ns call_unshare" "^unshare: ret=-1\$"

	say "5. bitbake's fallback: a debug line, then the task runs anyway, in the" \
	    "   host's network namespace, seeing the host's interfaces."
	step "seccomp_deny_ns disable_network sh -c 'readlink /proc/self/ns/net; ip -o link | cut -d: -f2'" \
		"suport disabling network"
	step "seccomp_deny_ns disable_network readlink /proc/self/ns/net" "^$host_net_re\$"
	if ip route get 192.0.2.1 >/dev/null 2>&1; then
		say "   It has a route out (a lookup only, no packet is sent):"
		step "seccomp_deny_ns disable_network ip route get 192.0.2.1" " dev "
	fi
	step "seccomp_deny_ns disable_network touch $work/task-ran-with-network"
	step "ls $work" "task-ran-with-network"
	rm -f "$work/task-ran-with-network"
fi

if have seccomp_deny_ns nsinfo; then
	say "6. nslab fails closed.  nsinfo --check says so before anything runs:"
	step "nsinfo --check" ""
	step_fails "seccomp_deny_ns nsinfo --check" "[Ss]eccomp"
fi
if have seccomp_deny_ns nsnet; then
	say "   and nsnet -U refuses with 125, names the seccomp filter, runs nothing:"
	step_status 125 "seccomp_deny_ns nsnet -U touch $work/task-ran" "^nsnet: .*[Ss]eccomp"
	step_fails "ls $work/task-ran" "No such file"
fi

summary
