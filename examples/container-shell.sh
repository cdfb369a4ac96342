#!/bin/sh
# SPDX-License-Identifier: MIT
# The container lesson: every kind of namespace but time, one tool each,
# unprivileged.  usernsselfmap makes you root of a user namespace that owns
# all the others; nsuts gives a host name, nsipc and nscgroup their kinds,
# nspid --init a PID namespace with a reaper at PID 1 and a fresh /proc,
# nsmount your home on /root, nsnet a network of lo alone.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
export PATH
# shellcheck source=transcript.sh
. "$top/examples/transcript.sh"

home=$(mktemp -d /tmp/nslab-container.XXXXXX) || exit 1
trap 'rm -rf "$home"' EXIT
touch "$home/notes.txt"
export HOME="$home"

C="usernsselfmap nsuts --hostname lab nsipc nscgroup nspid --init nsmount nsnet"
if have usernsselfmap nsuts nsipc nscgroup nspid nsmount nsnet nsinfo ps; then
	say "The chain, in ownership order: the user namespace first, then the" \
	    "others, each tool doing its one step and executing the next:" \
	    "  $C COMMAND"
	step "$C hostname" "^lab\$"
	say "PID 1 is nspid's init; the shell is PID 2, and ps, reading the fresh" \
	    "/proc, sees the container's processes and no others:"
	step "$C sh -c 'echo \$\$; ps -o pid,ppid,comm'" "^ +1 +0 nspid\$" "^ +[4-9] "
	say "A network of its own with lo alone, and your home on /root:"
	step "$C ip -o link" "^1: lo: " "^2: "
	step "$C ls /root" "^notes\\.txt\$"
	say "From the host, nsinfo puts a shell and a process of the container side" \
	    "by side: every kind differs but time."
	step "sh -c 'C=\"$C\"; \$C sleep 30 & k=\$!
		kid() { set -- \$(cat /proc/\$1/task/\$1/children 2>/dev/null); echo \$1; }
		until i=\$(kid \$k) && [ -n \"\$i\" ] && s=\$(kid \$i) && [ -n \"\$s\" ] &&
			[ \"\$(cat /proc/\$s/comm)\" = sleep ]; do sleep 0.1; done
		nsinfo \$\$ \$s; kill \$k; wait'" \
		"^differ: cgroup ipc mnt net pid pid_for_children user uts\$"
	say "The host kept its name:"
	step "hostname" "" "^lab\$"
fi
summary
