#!/bin/sh
# SPDX-License-Identifier: MIT
# The mount step of "Linux 3.8 の User Namespace 機能 (4)",
# KATOH Yasufumi, TenForward (tenforward.hatenablog.com), May 2013:
# root in a user namespace may not read the host's /root, but in a mount
# namespace of its own it can bind $HOME there (`unshare -m; mount --bind $HOME /root`).
# Run as a user.  Run as root, it shows the same as uid 65534 (through
# setpriv, with a copy of the tools and a home of its own), or, where that
# cannot be done, as root with a scratch home.  Exits non-zero if anything
# it shows does not happen.
top=$(cd "$(dirname "$0")/.." && pwd)

if [ "$(id -u)" = 0 ] && [ -z "${NSLAB_AS_IS:-}" ]; then
	# /root is root's: only another user can be refused it.  65534 needs
	# tools it can read and a home it owns, so both go in a scratch copy.
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/nslab-home.XXXXXX") || exit 1
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/bin" "$tmp/examples" "$tmp/home"
	cp -p "$top/bin/usernsselfmap" "$top/bin/nsmount" "$tmp/bin/" 2>/dev/null
	cp "$0" "$top/examples/transcript.sh" "$tmp/examples/"
	touch "$tmp/home/this-is-my-home"
	chmod -R a+rX "$tmp" && chown -R 65534:65534 "$tmp/home"
	if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
		echo "# (run as root: showing it as uid 65534, whose home is $tmp/home)"
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			env -i PATH="$PATH" HOME="$tmp/home" LANG=C \
			sh "$tmp/examples/${0##*/}"
		exit
	fi
	echo "# (run as root, and setpriv cannot make us 65534: showing it as root)"
	export NSLAB_AS_IS=1 HOME="$tmp/home"
fi

if [ ! -d "${HOME:-}" ]; then
	# uid 65534's home is /nonexistent: lend it one for the tour.
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/nslab-home.XXXXXX") || exit 1
	trap 'rm -rf "$tmp"' EXIT
	touch "$tmp/this-is-my-home"
	echo "# (HOME=${HOME:-} is not a directory: showing it with $tmp as home)"
	export HOME="$tmp"
fi

PATH=$top/bin:$PATH
export PATH
# shellcheck source=transcript.sh
. "$top/examples/transcript.sh"

me=$(id -u)
roots=$(awk '$5 == "/root"' /proc/self/mountinfo | wc -l)

say "Who am I, and what is in my home?"
step "id -u" "^$me\$"
step 'echo "$HOME"; ls -A "$HOME"'

if have usernsselfmap; then
	say "1. Root in a user namespace, but still uid $me to the file system:"
	if [ "$me" = 0 ]; then
		say "   (you are root outside too, so /root is yours; as a user it is refused)"
		step "usernsselfmap ls -d /root" "^/root\$"
	else
		step_fails "usernsselfmap ls /root" "Permission denied"
	fi
fi

if have usernsselfmap nsmount; then
	say "2. A mount namespace of our own, \$HOME bound onto /root:"
	say "   unshare(CLONE_NEWNS); mount --make-rprivate /; mount --rbind \$HOME /root"
	step "usernsselfmap nsmount ls -A /root"
	step "usernsselfmap nsmount sh -c 'test /root -ef \"\$HOME\" && echo \"/root is \$HOME\"'" \
		"^/root is "
	say "   The same, narrated: each mount(2) and the mount(8) command for it"
	step "usernsselfmap nsmount -v true" "^nsmount:   \\\$ mount --rbind .* /root\$"

	say "3. The host never saw the mount: /root is as it was"
	[ "$me" = 0 ] || step_fails "ls /root" "Permission denied"
	step "awk '\$5 == \"/root\"' /proc/self/mountinfo | wc -l" "^ *$roots\$"
fi

summary
