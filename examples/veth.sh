#!/bin/sh
# SPDX-License-Identifier: MIT
# The veth step of "Linux 3.8 の User Namespace 機能 (4)",
# KATOH Yasufumi, TenForward (tenforward.hatenablog.com), May 2013:
# root in a user namespace, a new network namespace, `ip link add type
# veth` gives veth0 and veth1, veth0 gets 10.10.10.10 and goes up, and the
# host never sees it.  First by hand with ip(8), as the article does, then with nsnet's
# options, which make the same rtnetlink requests.  As root or as a user.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
export PATH
# shellcheck source=transcript.sh
. "$top/examples/transcript.sh"

have usernsselfmap nsnet || { summary; exit; }

say "1. The article, by hand: in a user namespace where we are root, a new" \
    "   network namespace (nsnet), then ip(8) as the article typed it"
step "usernsselfmap nsnet sh -c 'ip link add type veth && ip -o link'" \
	"^[0-9]+: veth1@veth0: "
step "usernsselfmap nsnet sh -c 'ip link add type veth && ip addr add 10.10.10.10/8 dev veth0 && ip link set veth0 up && ip -o -4 addr show veth0'" \
	"veth0 +inet 10\\.10\\.10\\.10/8"

say "2. The same with nsnet's options: the pair, the address, the link up"
veth="nsnet --veth veth0:veth1 --addr veth0=10.10.10.10/8"
step "usernsselfmap $veth sh -c 'ip -o link | cut -d: -f2 | sort | paste -sd,'" \
	"^ lo, veth0@veth1, veth1@veth0\$"
step "usernsselfmap $veth ip -o link show veth0" "veth0@veth1: <[^>]*[<,]UP[,>]"
step "usernsselfmap $veth ip -o -4 addr show veth0" "veth0 +inet 10\\.10\\.10\\.10/8"
step "usernsselfmap $veth ip -o link show lo" "lo: <LOOPBACK,UP,LOWER_UP>"

say "3. -v shows each request and the ip(8) command that does the same"
step "usernsselfmap $veth -v true" \
	"^nsnet:   \\\$ ip link add name veth0 type veth peer name veth1\$"

say "4. While the namespace lives, the host does not see its veth0"
ready=$(mktemp -u "${TMPDIR:-/tmp}/veth-example.XXXXXX")
printf '$ usernsselfmap %s sh -c "touch %s; exec sleep 10" &\n' "$veth" "$ready"
usernsselfmap $veth sh -c "touch '$ready'; exec sleep 10" </dev/null & pid=$!
i=0
while [ ! -e "$ready" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
step "test -e $ready && readlink /proc/$pid/ns/net /proc/self/ns/net | uniq | wc -l" "^ *2\$"
step_lacks "ip -o link" ": veth0@veth1: "
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -f "$ready"

summary
