#!/bin/sh
# SPDX-License-Identifier: MIT
# The container lesson: every kind of namespace but time, one tool each,
# unprivileged.  usernsselfmap makes you root of a user namespace that owns
# all the others; nsuts gives a host name, nsipc and nscgroup their kinds,
# nspid --init a PID namespace with a reaper at PID 1 and a fresh /proc,
# nsmount your home on /root, nsnet a network of lo alone.  Then the same
# chain pivots into a small root built from the host's own binaries: its
# own /proc, /sys, /dev and /tmp, and nothing of the host's files.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
export PATH
# shellcheck source=transcript.sh
. "$top/examples/transcript.sh"

home=$(mktemp -d /tmp/nslab-container.XXXXXX) || exit 1
root=$(mktemp -d /tmp/nslab-root.XXXXXX) || exit 1
trap 'rm -rf "$home" "$root"' EXIT
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

# A root of the host's binaries, copied with the libraries ldd names and
# the loader: no download.  Its mount points are plain directories.  A
# program that make fetched for an ordinary user (README, "What they
# need") is a launcher in build/prereqs/bin: the binary it runs is copied,
# and the libraries ldd finds with its environment go where the system's
# would be.
make_root() {
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" || return 1
	for c in sh ls ps hostname cat ip; do
		p=$(command -v "$c") || return 1
		e=/dev/null
		case $p in */build/prereqs/bin/*)
			e=${p%/bin/*}/env
			p=$(sed -n "s/^exec '\(.*\)' .*/\1/p" "$p") ;;
		esac
		cp "$p" "$root/bin/$c" || return 1
		# shellcheck source=/dev/null
		(. "$e" && ldd "$p") 2>/dev/null | sed -n 's,.*=> \(/[^ ]*\) .*,\1,p; s,^[[:space:]]*\(/[^ ]*\) .*,\1,p'
	done | sort -u | while read -r lib; do
		to=${lib#*/build/prereqs/root}
		mkdir -p "$root${to%/*}" && cp "$lib" "$root$to" || exit 1
	done
}

# nspid comes before nsmount: the proc nsmount mounts shows the PID
# namespace of the process that mounts it, and the kernel mounts one in a
# user namespace's mount namespace only while a proc is fully visible,
# before the pivot.  So nsmount runs as PID 1 and mounts /proc, /sys (after
# nsnet: its links), /dev and /tmp, then pivots.  -n: no $HOME on /root.
R="usernsselfmap nsuts --hostname box nsnet nspid --no-proc nsmount -n -r $root:$root --dev $root/dev --proc $root/proc --sys $root/sys -t $root/tmp --root $root"
if have usernsselfmap nsuts nsnet nspid nsmount ldd && make_root; then
	say "A pivoted container shell: a root of the host's binaries, copied with" \
	    "their libraries ($(ls "$root/bin" | paste -sd' ' -)), made read-only:" \
	    "  $R COMMAND"
	step "$R /bin/hostname" "^box\$"
	say "ps reads the new /proc: PID 1 is the shell, and nothing of the host's:"
	step "$R /bin/sh -c 'ps -o pid,comm'" "^ +1 sh\$" "systemd|init|sshd"
	say "/sys/class/net and ip agree: lo alone, in the new network namespace:"
	step "$R /bin/sh -c 'ls /sys/class/net; ip -o link'" "^1: lo: " "eth|^2: "
	say "The host's files are gone: / holds only the root's own, /etc is not there:"
	step "$R /bin/ls /" "^proc\$" "^home\$|^etc\$"
	step_fails "$R /bin/cat /etc/hostname" "No such file"
	say "The root is read-only, /tmp a tmpfs of its own:"
	step "$R /bin/sh -c '(: >/bin/x) 2>/dev/null || echo refused; : >/tmp/x && echo written'" \
		"^refused\$" "Read-only|cannot"
	say "exit leaves nothing: PID 1's end kills what it started, the mounts" \
	    "die with the namespace, the host's root is as it was:"
	step "$R /bin/sh -c '/bin/cat </dev/zero >/dev/null & echo started'" "^started\$"
	step "ps -eo args | grep -c '^/bin/cat\$' || :" "^0\$"
	step "find $root/tmp $root/dev -mindepth 1 | wc -l" "^0\$"
fi
summary
