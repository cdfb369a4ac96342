#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/prereqs.sh WHAT...: make sure this system has what WHAT needs, before
# anything is built.  WHAT is any of the NEEDED-BY words of prereqs.txt
# (build check demo bench fuzz san), the one list of what nslab needs.
#
# Nothing missing: silent, exit 0.  Something missing, as root on a system
# with apt-get and NSLAB_NO_INSTALL not 1: `apt-get update` once, install
# the missing packages, say so in one line.  Otherwise: one message naming
# each missing command, its package and the command that installs them;
# exit 2, so that a fresh machine never sees a wall of failing suites.
#
# A COMMAND of the form @NAME is a probe rather than a program: whether the
# compiler can link with that runtime (a sanitizer, libFuzzer), which no
# `command -v` can tell.
top=$(cd "$(dirname "$0")/.." && pwd)
list=$top/prereqs.txt
[ $# -gt 0 ] || { echo "prereqs: usage: tests/prereqs.sh WHAT..." >&2; exit 2; }
[ -r "$list" ] || { echo "prereqs: cannot read $list" >&2; exit 2; }
what=" $* "
# Debian puts ip(8) and friends in sbin, which an ordinary user's PATH may
# lack; the suites look there too (tests/lib.sh).
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
export PATH

# probe NAME: true when the toolchain can build and link with that runtime.
probe() {
	d=$(mktemp -d "${TMPDIR:-/tmp}/nslab-probe.XXXXXX") || return 1
	case $1 in
	asan)	 printf 'int main(void){return 0;}\n' >"$d/p.c"
		 set -- "${CC:-cc}" -fsanitize=address ;;
	ubsan)	 printf 'int main(void){return 0;}\n' >"$d/p.c"
		 set -- "${CC:-cc}" -fsanitize=undefined ;;
	libfuzzer) printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}\n' >"$d/p.c"
		 set -- "${FUZZ_CC:-clang}" -fsanitize=fuzzer ;;
	*)	 rm -rf "$d"; echo "prereqs: unknown probe @$1 in prereqs.txt" >&2; return 1 ;;
	esac
	"$@" -o "$d/p" "$d/p.c" >/dev/null 2>&1
	r=$?
	rm -rf "$d"
	return $r
}

have() {
	case $1 in
	@*) probe "${1#@}" ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

# missing: "COMMAND PACKAGE" for each needed line whose command is absent.
missing() {
	sed 's/#.*//' "$list" | while read -r cmd pkg needed; do
		[ -n "$cmd" ] || continue
		for w in $needed; do
			case $what in *" $w "*) ;; *) continue ;; esac
			have "$cmd" || echo "$cmd $pkg"
			break
		done
	done
}

gone=$(missing)
[ -z "$gone" ] && exit 0
pkgs=$(printf '%s\n' "$gone" | awk '!seen[$2]++ { printf "%s%s", sep, $2; sep = " " }')

if [ "$(id -u)" = 0 ] && [ "${NSLAB_NO_INSTALL:-}" != 1 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing: $pkgs"
	export DEBIAN_FRONTEND=noninteractive
	# apt's chatter is kept, and shown only when it failed.
	log=$(mktemp "${TMPDIR:-/tmp}/nslab-apt.XXXXXX") || exit 2
	# $pkgs is split on purpose: one word per package.
	# shellcheck disable=SC2086
	if apt-get update -qq >"$log" 2>&1 &&
		apt-get install -y -qq --no-install-recommends $pkgs >>"$log" 2>&1; then
		rm -f "$log"
		gone=$(missing)
		[ -z "$gone" ] && exit 0
	else
		sed 's/^/prereqs: apt-get: /' "$log" | tail -n 5 >&2
		rm -f "$log"
		echo "prereqs: apt-get install $pkgs failed" >&2
	fi
fi

why=
[ "${NSLAB_NO_INSTALL:-}" = 1 ] && why=" (NSLAB_NO_INSTALL=1: not installing)"
printf 'prereqs: missing for %s%s: %s\n' "$*" "$why" \
	"$(printf '%s\n' "$gone" | awk '{ printf "%s%s (package %s)", sep, ($1 ~ /^@/ ? "the " substr($1, 2) " runtime" : $1), $2; sep = ", " }')" >&2
echo "prereqs: install them as root with: apt-get install --no-install-recommends $pkgs" >&2
exit 2
