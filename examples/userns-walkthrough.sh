#!/bin/sh
# SPDX-License-Identifier: MIT
# The user-namespace walkthrough of "Linux 3.8 の User Namespace 機能 (4)",
# KATOH Yasufumi, TenForward (tenforward.hatenablog.com), May 2013,
# end to end, as whoever runs it: become root in a user namespace, look at
# the maps, create a file, be refused the host's network, make a network
# namespace with only lo, a veth pair the host never sees, $HOME on /root,
# and compare /proc/PID/ns.  Non-interactive: where the article typed into
# a shell, each step runs the command through the same chain of tools.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$top/build/examples:$PATH
export PATH
# shellcheck source=transcript.sh
. "$top/examples/transcript.sh"

me=$(id -u) mygid=$(id -g)
# A scratch directory of our own, standing in for the article's work tree.
work=$(mktemp -d "${TMPDIR:-/tmp}/nslab-walk.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

say "1. Who am I?  The article starts as uid 1000, gid 100."
step "id" "^uid=$me"

say "2. usernsselfmap: a new user namespace, and root inside it"
step "usernsselfmap id" "^uid=0\\(root\\) gid=0\\(root\\)"
step "usernsselfmap sh -c 'echo \$\$; cat /proc/\$\$/uid_map /proc/\$\$/gid_map'" \
	"^ *0 +$me +1\$"
step "usernsselfmap cat /proc/self/gid_map" "^ *0 +$mygid +1\$"

say "3. A file made inside belongs to root there, and to you outside"
step "usernsselfmap sh -c 'touch test; ls -ln test'" " 0 +0 .* test\$"
step "ls -ln test" " $me +$mygid .* test\$"

say "4. Root, but not over the host's network: the host's network namespace" \
    "   belongs to the initial user namespace, not to ours.  (The article took" \
    "   eth0 down; we ask for lo up, which changes nothing should it ever pass.)"
step_fails "usernsselfmap ip link set lo up" "Operation not permitted"

if have nsnet; then
	say "5. A network namespace owned by our user namespace: only lo"
	step "usernsselfmap nsnet ip -o link" "^1: lo: <LOOPBACK,UP,LOWER_UP>" "^[2-9][0-9]*: "

	say "6. There, root may make a veth pair and give veth0 10.10.10.10"
	step "usernsselfmap nsnet --veth veth0:veth1 --addr veth0=10.10.10.10/8 ip -o -4 addr show" \
		"veth0 +inet 10\\.10\\.10\\.10/8"
	step "usernsselfmap nsnet --veth veth0:veth1 ip -o link show type veth" \
		"veth1@veth0"
	say "   and the host never sees it: the pair died with its namespace"
	step_lacks "ip -o -4 addr show" "10\\.10\\.10\\.10/"
fi

say "7. /root: root in a user namespace is still you to the file system"
if [ "$me" = 0 ]; then
	say "   (you are real root, so /root is yours: run this as a user to see it refused)"
	step "usernsselfmap ls -d /root" "^/root\$"
else
	step_fails "usernsselfmap ls /root" "Permission denied"
fi

if have nsmount; then
	say "8. nsmount: a private mount namespace with \$HOME bound onto /root"
	home=$work/home
	mkdir -p "$home" && touch "$home/this-is-my-home"
	step "HOME=$home usernsselfmap nsmount ls /root" "^this-is-my-home\$"
	step "HOME=$home usernsselfmap nsmount sh -c 'id -u; grep -c \" /root \" /proc/self/mountinfo'" "^1\$"
	say "   the host's /root is untouched"
	step "findmnt -n /root || echo not a mount point" "^not a mount point\$"
fi

if have nsnet nsinfo; then
	say "9. /proc/PID/ns: the shell in the user namespace (\$\$) and, below it," \
	    "   a shell in a new network namespace (\\\$\\\$).  Only net differs."
	step 'usernsselfmap sh -c '\''nsnet sh -c "nsinfo $$ \$\$"; true'\''' '^differ: net$'
	say "   The same with readlink, as the article's ls -l /proc/PID/ns: the" \
	    "   lines the two shells do not share are their two net namespaces."
	step 'usernsselfmap sh -c '\''readlink /proc/$$/ns/*; nsnet sh -c "readlink /proc/\$\$/ns/*"'\'' | sort | uniq -u' \
		'^net:\[[0-9]+\]$'
	step 'usernsselfmap sh -c '\''readlink /proc/$$/ns/*; nsnet sh -c "readlink /proc/\$\$/ns/*"'\'' | sort | uniq -u | cut -d: -f1 | uniq -c' \
		'^ *2 net$'
fi

summary
