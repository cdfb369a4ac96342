#!/bin/sh
# SPDX-License-Identifier: MIT
# Yocto bitbake's disable_network(), as the article by みつきん
# (mickey-happygolucky), "Yocto Project Kirkstone(4.0) タスクのネットワーク
# アクセス制限の実現方法", みつきんのメモ (mickey-happygolucky.hatenablog.com),
# 2022, found it in Kirkstone (Yocto 4.0, bitbake 2.0):
# unshare(CLONE_NEWNET|CLONE_NEWUSER), maps uid->uid, lo left down (in every
# bitbake release since), and the task runs without network.  Inside Docker
# unshare returns -1 and bitbake only logs at debug level, then runs the task
# WITH network: a fail-open.  Here Docker is reproduced without Docker by
# nsseccomp (a chain step of nslab), the same EPERM Docker's default seccomp
# profile returns; nsnet -U refuses instead.  tcp_sink (tests/helpers)
# listens on the host's 127.0.0.1 to show whether a task's connection really
# gets out.  disable_network (examples/disable_network.c) copies bitbake
# 2.8.0's code, and openembedded-core's check_userns() sanity test (-c).
#
# Nothing here sends a packet outside a namespace this script creates but
# to tcp_sink's listener on the host's 127.0.0.1: the host's network is
# shown by its namespace and interfaces, and the only other address reached
# for is the documentation address 192.0.2.1, with a route lookup (which
# sends nothing) or from inside a new network namespace.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$top/build/examples:$top/build/tests/helpers:$PATH
export PATH
# shellcheck source=transcript.sh
. "$top/examples/transcript.sh"

me=$(id -u)
host_net=$(readlink /proc/self/ns/net)
host_net_re=$(printf '%s' "$host_net" | sed 's/[][]/\\&/g')
work=$(mktemp -d "${TMPDIR:-/tmp}/nslab-bitbake.XXXXXX") || exit 1
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

say "The host's network namespace, for comparison: $host_net"

# bitbake's is_local_uid() reads /etc/passwd: a user without a line there
# (LDAP, NIS, sssd) is never isolated, step 7.  For steps 2 to 6 such a user
# gets a line of their own in a private copy, bound in a mount namespace of
# ours, so the steps show what bitbake does for a local user.
bb=
if ! grep -q "^[^:]*:[^:]*:$me:" /etc/passwd; then
	{ cat /etc/passwd; echo "reader:x:$me:$(id -g)::/:/bin/sh"; } >"$work/passwd-local"
	chmod 644 "$work/passwd-local"
	bb="usernsselfmap nsmount -r $work/passwd-local:/etc/passwd usernsselfmap -u $me -g $(id -g) "
	say "You have no line in /etc/passwd, so bitbake would never isolate you (step 7)." \
	    "   Steps 2 to 6 run with a line for you in a private copy of it:" \
	    "   ${bb% }"
fi

if have call_unshare disable_network; then
	say "1. The article's probe: the call bitbake makes, on this machine"
	step "call_unshare" "^unshare: ret=0\$"

	say "2. disable_network TASK: bitbake's disable_network(), then the task." \
	    "   The task is in a new network namespace, and still runs as you."
	step "${bb}disable_network sh -c 'id -u; readlink /proc/self/ns/net'" "^$me\$"
	step_lacks "${bb}disable_network readlink /proc/self/ns/net" "^$host_net_re\$"
	step_fails "${bb}disable_network ip route get 192.0.2.1" "Network is unreachable"
fi

if have nsnet; then
	say "3. nslab's nsnet -U is the same step for one command: one" \
	    "   unshare(CLONE_NEWUSER|CLONE_NEWNET), your ids mapped to themselves."
	step "nsnet -U id -u" "^$me\$"
	step "nsnet -U ip -o link" "^1: lo: " "^[2-9][0-9]*: "
	step_fails "nsnet -U ip route get 192.0.2.1" "Network is unreachable"
	say "   A task reaching for the network gets no route (this connect happens" \
	    "   inside the new namespace, where the only interface is lo):"
	hostnet=$(readlink /proc/self/ns/net)
	# (The guard refuses to try from the host's namespace, so a regression
	# could never send anything.)
	step_fails "nsnet -U bash -c '[ \"\$(readlink /proc/self/ns/net)\" != \"$hostnet\" ] && exec 3<>/dev/tcp/192.0.2.1/80'" "Network is unreachable"
fi

if have nsseccomp call_unshare disable_network; then
	say "4. Docker without Docker: nsseccomp sets no_new_privs and a filter" \
	    "   making unshare, setns and clone with CLONE_NEW* fail with EPERM," \
	    "   as Docker's default profile does, then runs its command."
	step "nsseccomp grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status" "^Seccomp:[[:space:]]+2\$"
	step "nsseccomp call_unshare" "^unshare: ret=-1\$"

	say "5. bitbake's fallback: a debug line that a build does not show (-v," \
	    "   as bitbake -D, shows it), then the task runs anyway, in the host's" \
	    "   network namespace, seeing the host's interfaces."
	step "${bb}nsseccomp disable_network true" "" "DEBUG"
	step "${bb}nsseccomp disable_network -v sh -c 'readlink /proc/self/ns/net; ip -o link | cut -d: -f2'" \
		"support disabling network"
	say "   openembedded-core's sanity test (check_userns, -c) looks for a uid" \
	    "   that disable_network() changed, as Ubuntu's AppArmor leaves it;" \
	    "   here nothing changed, so it passes and the task runs with network:"
	step "${bb}nsseccomp disable_network -c readlink /proc/self/ns/net" "^$host_net_re\$" "ERROR"
	if [ "$me" = 0 ] && have setpriv; then
		say "   What it does catch: unshare succeeds, the uid_map write is refused" \
		    "   and the uid is left unmapped.  Ubuntu's AppArmor does that; this" \
		    "   machine has none, so a real uid (0) other than the effective one" \
		    "   (4242) gets the write refused here.  The task itself would fail" \
		    "   too (Python raises): this is no fail-open, the check only words it."
		step_fails "setpriv --ruid=0 --euid=4242 --clear-groups disable_network -c true" \
			"User namespaces are not usable by BitBake"
		step_fails "setpriv --ruid=0 --euid=4242 --clear-groups disable_network true" \
			"writing the maps"
	fi
	step "${bb}nsseccomp disable_network readlink /proc/self/ns/net" "^$host_net_re\$"
	if ip route get 192.0.2.1 >/dev/null 2>&1; then
		say "   It has a route out (a lookup only, no packet is sent):"
		step "${bb}nsseccomp disable_network ip route get 192.0.2.1" " dev "
	fi
	step "${bb}nsseccomp disable_network touch $work/task-ran-with-network"
	step "ls $work" "task-ran-with-network"
	rm -f "$work/task-ran-with-network"
fi

if have tcp_sink nsseccomp disable_network nsnet bash; then
	send="bash -c 'echo secret >/dev/tcp/127.0.0.1/\$SINK_PORT'"
	say "6. A real connection: tcp_sink listens on the host's 127.0.0.1 and says" \
	    "   what arrived.  Under the filter, bitbake's task delivers its line:"
	step "tcp_sink ${bb}nsseccomp disable_network $send" "^tcp_sink: received: secret\$"
	say "   nsnet -U refuses with 125, and nothing arrives:"
	step_status 125 "tcp_sink nsseccomp nsnet -U $send" "^tcp_sink: nothing arrived\$"
	say "   Without the filter: bitbake leaves lo down (Network is unreachable)," \
	    "   and so does nsnet -U --no-lo; nsnet -U brings lo up, as portage, Nix" \
	    "   and sbuild do (Connection refused: nothing listens there)."
	step_fails "tcp_sink ${bb}disable_network $send" "Network is unreachable" "received"
	step_fails "tcp_sink nsnet -U --no-lo $send" "Network is unreachable" "received"
	step_fails "tcp_sink nsnet -U $send" "Connection refused" "received"
fi

if have usernsselfmap nsmount disable_network nsnet; then
	say "7. A user bitbake does not find in /etc/passwd (LDAP, NIS, sssd) is" \
	    "   never isolated: is_local_uid() skips disable_network(), and the" \
	    "   sanity test skips itself.  Reproduced with a private copy of" \
	    "   /etc/passwd without your line, bound in a mount namespace of ours," \
	    "   and your uid taken again in a user namespace below it:"
	grep -v "^[^:]*:[^:]*:$me:" /etc/passwd >"$work/passwd"
	chmod 644 "$work/passwd"
	ldap="usernsselfmap nsmount -r $work/passwd:/etc/passwd usernsselfmap -u $me -g $(id -g)"
	step "$ldap disable_network -c -v id -u" "is not a local uid"
	step "$ldap disable_network -c sh -c 'id -u; readlink /proc/self/ns/net'" "^$host_net_re\$" "ERROR"
	say "   nsnet -U asks /etc/passwd nothing:"
	step_lacks "$ldap nsnet -U readlink /proc/self/ns/net" "^$host_net_re\$"
fi

if have nsseccomp nsinfo; then
	say "8. nslab fails closed.  nsinfo --check says so before anything runs:"
	step "nsinfo --check" ""
	step_fails "nsseccomp nsinfo --check" "[Ss]eccomp"
fi
if have nsseccomp nsnet; then
	say "   and nsnet -U refuses with 125, names the seccomp filter, runs nothing:"
	step_status 125 "nsseccomp nsnet -U touch $work/task-ran" "^nsnet: .*[Ss]eccomp"
	step_fails "ls $work/task-ran" "No such file"
fi

summary
