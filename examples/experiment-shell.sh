#!/bin/sh
# SPDX-License-Identifier: MIT
# The composed experiment shell: usernsselfmap nsnet nsmount.  Root in a
# user namespace, a network namespace with only lo, $HOME bound onto /root
# in a private mount namespace: the 002 article's three steps in one line.
# Interactively you type `usernsselfmap nsnet nsmount` and get $SHELL; here
# it is driven with a command, and once with commands on its stdin.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
export PATH
# shellcheck source=transcript.sh
. "$top/examples/transcript.sh"

# A home of our own, so /root shows something we know.
home=$(mktemp -d "${TMPDIR:-/tmp}/nslab-shell.XXXXXX") || exit 1
trap 'rm -rf "$home"' EXIT
touch "$home/notes.txt"
export HOME="$home"

say "HOME is $HOME (it holds notes.txt)"
if have usernsselfmap nsnet nsmount; then
	say "Each tool does its one step and execs the next: usernsselfmap execs" \
	    "nsnet, nsnet execs nsmount, nsmount execs the command."
	step "usernsselfmap nsnet nsmount id" "^uid=0\\(root\\) gid=0\\(root\\)"
	step "usernsselfmap nsnet nsmount ip -o link" "^1: lo: .*UP" "^[2-9][0-9]*: "
	step "usernsselfmap nsnet nsmount ls /root" "^notes\\.txt\$"
	say "One process all the way down: the PID does not change along the chain."
	step 'usernsselfmap sh -c '\''echo $$; exec nsnet nsmount sh -c "echo \$\$"'\'' | uniq | wc -l' '^ *1$'
	say "With no command the chain ends in \$SHELL, here fed from a pipe:"
	step 'printf "id -u\nls /root\nip -o link | wc -l\n" | SHELL=/bin/sh usernsselfmap nsnet nsmount' \
		"notes\\.txt"
	say "and the host is as it was: /root is not mounted over."
	step "findmnt -n /root || echo not a mount point" "^not a mount point\$"
fi
summary
