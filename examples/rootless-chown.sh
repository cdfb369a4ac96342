#!/bin/sh
# SPDX-License-Identifier: MIT
# A rootless-container session, "chown works inside": an ordinary user whom
# /etc/subuid and /etc/subgid grant 65536 ids becomes root of a user
# namespace holding 65536 ids (usernsselfmap --subids, as unshare --map-auto
# --map-root-user and podman do), gives files to other users and groups, and
# looks at them from both sides: inside 1000:1000, outside the granted ids.
#
# Run as root, it plays the administrator without touching the host: in a
# private mount namespace it binds files granting uid 65534 the ranges
# 100000:65536 over /etc/subuid and /etc/subgid, and runs the session as
# 65534 there (newuidmap reads the files of the mount namespace it runs in).
# Run as anyone else, it uses what the host grants; when that is nothing it
# shows usernsselfmap's diagnosis instead.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
export PATH
# shellcheck source=transcript.sh
. "$top/examples/transcript.sh"

if [ "$(id -u)" = 0 ] && [ -z "${NSLAB_GRANTED:-}" ]; then
	say "As root: grant uid 65534 subordinate ids in a private mount namespace," \
	    "then run the session as 65534 there.  The host's files stay as they are."
	if [ ! -e /etc/subuid ] || [ ! -e /etc/subgid ]; then
		printf '# (not shown: no /etc/subuid or /etc/subgid to bind over)\n'
		skipped="$skipped /etc/subuid"
		summary rootless-chown.sh
		exit
	fi
	g=$(mktemp -d "${TMPDIR:-/tmp}/nslab-subids.XXXXXX") || exit 1
	trap 'rm -rf "$g"' EXIT
	mkdir -p "$g/ex/examples" "$g/ex/bin" "$g/home"
	cp "$top/examples/rootless-chown.sh" "$top/examples/transcript.sh" "$g/ex/examples/"
	cp "$top"/bin/* "$g/ex/bin/"
	user=$(getent passwd 65534 | cut -d: -f1)
	printf '%s:100000:65536\n' "${user:-65534}" >"$g/subuid"
	printf '%s:100000:65536\n' "${user:-65534}" >"$g/subgid"
	chmod -R a+rX "$g"
	chown 65534:65534 "$g/home"
	unshare --mount --propagation private sh -c '
		mount --bind "$1/subuid" /etc/subuid && mount --bind "$1/subgid" /etc/subgid &&
		exec setpriv --reuid=65534 --regid=65534 --clear-groups \
			env NSLAB_GRANTED=1 HOME="$1/home" PATH="/usr/bin:/bin" \
			sh "$1/ex/examples/rootless-chown.sh"' sh "$g"
	exit
fi

me=$(id -u) name=$(id -un 2>/dev/null || id -u)
# The first range granted, as usernsselfmap --subids takes it.
first() { sed -n "s/^\\($name\\|$me\\):\\([0-9]*\\):[0-9]*\$/\\2/p" "$1" | head -n 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/nslab-rootless.XXXXXX") || exit 1
trap 'usernsselfmap --subids rm -rf "$work" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work" || exit 1

say "1. Who am I, and which ids am I granted?  (OWNER:START:COUNT, subuid(5))"
step "id -u" "^$me\$"
step "grep -E '^($name|$me):' /etc/subuid /etc/subgid || true"
start=$(first /etc/subuid) gstart=$(first /etc/subgid)
if [ -z "$start" ] || [ -z "$gstart" ]; then
	# Not a part left out: on a host that grants nothing, this is the lesson.
	say "Nothing granted: usernsselfmap refuses, runs nothing, and names the line" \
	    "an administrator would add.  Run this example as root to see the session."
	step_status 125 "usernsselfmap --subids true" "hint: an administrator would add"
	summary rootless-chown.sh
	exit
fi

# newuidmap and newgidmap do their work only installed by root (setuid, or
# with a file capability): an ordinary user's make check cannot fetch them
# (README, "What they need").
have newuidmap newgidmap || { summary rootless-chown.sh; exit; }

say "2. Root of 65536 ids: the setuid newuidmap and newgidmap write the maps," \
    "   after checking them against those files"
step "usernsselfmap -v --subids cat /proc/self/uid_map /proc/self/gid_map" \
	"\\\$ newuidmap [0-9]+ 0 $me 1 1 $start 65535\$"
step "usernsselfmap --subids id" "^uid=0\\(root\\) gid=0\\(root\\)"

say "3. chown works inside, as a package manager needs it to"
step "usernsselfmap --subids sh -c 'mkdir box && touch box/a box/b && chown 1000:1000 box/a && chown 33:33 box/b && ls -ln box'" \
	" 1000 +1000 .* a\$"

say "4. Outside, the owners are the granted ids, shifted by START-1"
step "ls -ln box" " $((start + 999)) +$((gstart + 999)) .* a\$"
step "stat -c '%u:%g %n' box/b" "^$((start + 32)):$((gstart + 32)) box/b\$"

say "5. setgroups is allowed (newgidmap's default), so groups can be set"
step "usernsselfmap --subids sh -c 'cat /proc/self/setgroups; setpriv --groups 5,7 id -G'" "^0 5 7\$"
step "usernsselfmap --subids --setgroups deny cat /proc/self/setgroups" "^deny\$"

say "6. util-linux maps the same ids"
step "unshare --map-auto --map-root-user cat /proc/self/uid_map" "^ *1 +$start +65535\$"

summary rootless-chown.sh
