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
# Not root, with apt-get and NSLAB_NO_INSTALL not 1: the missing packages
# are fetched rather than installed, into build/prereqs (see fetch below),
# and the system itself is not touched.  A package that works only
# installed by root (a setuid program: uidmap's newuidmap) is not fetched:
# one line says so, and the tests that need it skip, saying why.
#
# A COMMAND of the form @NAME is a probe rather than a program: whether the
# compiler can link with that runtime (a sanitizer, libFuzzer), which no
# `command -v` can tell.
top=$(cd "$(dirname "$0")/.." && pwd)
list=$top/prereqs.txt
[ $# -gt 0 ] || { echo "prereqs: usage: tests/prereqs.sh WHAT..." >&2; exit 2; }
[ -r "$list" ] || { echo "prereqs: cannot read $list" >&2; exit 2; }
what=" $* "
# What an ordinary user fetched: programs (launchers) in $pr/bin, after the
# system's own on PATH, here, in the Makefile and in tests/lib.sh.
pr=$top/build/prereqs
# Debian puts ip(8) and friends in sbin, which an ordinary user's PATH may
# lack; the suites look there too (tests/lib.sh).
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin:$pr/bin
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

# fetch PKGS...: as an ordinary user, make the packages' programs work from
# the build tree.  apt-get with lists, cache and archives of the user's own
# (build/prereqs/apt) and no lock, against the system's dpkg status, fetches
# exactly the missing packages and their missing dependencies; each one the
# system has not installed is unpacked with dpkg-deb -x into
# build/prereqs/root, and each of its programs gets a launcher in
# build/prereqs/bin that sets what the moved files need (build/prereqs/env):
# the library path, valgrind's tools, graphviz's plugins, groff's fonts and
# macros.  Scripts are linked, not launched (shunit2 is sourced); musl-gcc's
# wrapper and specs are rewritten to the tree.  A package with a setuid file
# is left out and named in build/prereqs/needroot.  `make clean` removes it
# all, with build/.
fetch() {
	root=$pr/root
	apt="-o Dir::State::Lists=$pr/apt/lists -o Dir::Cache=$pr/apt/cache"
	apt="$apt -o Dir::Cache::archives=$pr/apt/archives -o Debug::NoLocking=1"
	mkdir -p "$pr/apt/lists/partial" "$pr/apt/cache" "$pr/apt/archives/partial" \
		"$root" "$pr/bin" || return 1
	echo "fetching (not root: into $pr): $*"
	log=$pr/apt.log
	# $apt and the packages are split on purpose: one word each.
	# shellcheck disable=SC2086
	if ! { apt-get $apt update -qq && apt-get $apt install --download-only -y -qq \
		--no-install-recommends "$@"; } >"$log" 2>&1; then
		sed 's/^/prereqs: apt-get: /' "$log" | tail -n 5 >&2
		return 1
	fi
	for deb in "$pr"/apt/archives/*.deb; do
		[ -f "$deb" ] || continue
		p=$(dpkg-deb -f "$deb" Package) || return 1
		# The system's own copy, even an older one, is the one to use: a
		# second libc6 on the library path would not match the system's ld.so.
		[ "$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null)" = installed ] && continue
		if dpkg-deb -c "$deb" | awk '$1 ~ /^-..[sS]/ { f = 1 } END { exit !f }'; then
			grep -qx "$p" "$pr/needroot" 2>/dev/null || echo "$p" >>"$pr/needroot"
			continue
		fi
		dpkg-deb -x "$deb" "$root" || return 1
		case $p in *-dbg) echo "${p%-dbg}" >>"$pr/dbgof" ;; esac
	done
	# valgrind must read ld.so's symbols, which libc6-dbg holds by build id
	# under /usr/lib/debug; elsewhere it looks only by the object's debug
	# link, in --extra-debuginfo-path followed by the object's directory
	# (valgrind 3.19, coregrind/m_debuginfo/readelf.c, find_debug_file).
	sort -u "$pr/dbgof" 2>/dev/null | while read -r p; do
		dpkg -L "$p" | grep '\.so' | while read -r o; do
			[ -f "$o" ] || continue
			id=$(readelf -n "$o" 2>/dev/null | sed -n 's/^ *Build ID: //p')
			f=$root/usr/lib/debug/.build-id/$(printf %.2s "$id")/${id#??}.debug
			[ -n "$id" ] && [ -f "$f" ] || continue
			for d in "${o%/*}" "$(dirname "$(readlink -f "$o")")"; do
				mkdir -p "$pr/debug$d" && ln -sf "$f" "$pr/debug$d/${id#??}.debug"
			done
		done
	done
	rm -f "$pr"/apt/archives/*.deb
	# The environment a fetched program needs, read by every launcher.
	libs=$(find "$root" -name 'lib*.so*' ! -type d -printf '%h\n' | sort -u | paste -sd: -)
	{
		echo "# written by tests/prereqs.sh: what the programs unpacked in $root need"
		echo "case :\${LD_LIBRARY_PATH:-}: in *:'$root'/*) ;;"
		echo "*) LD_LIBRARY_PATH='$libs'\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH} ;; esac"
		echo "export LD_LIBRARY_PATH"
		[ ! -d "$root/usr/libexec/valgrind" ] ||
			echo "VALGRIND_LIB='$root/usr/libexec/valgrind'; export VALGRIND_LIB"
		[ ! -d "$pr/debug" ] ||
			echo "VALGRIND_OPTS=\"--extra-debuginfo-path=$pr/debug \${VALGRIND_OPTS:-}\"; export VALGRIND_OPTS"
		d=$(find "$root/usr/lib" -maxdepth 2 -type d -name graphviz | head -n 1)
		[ -z "$d" ] || echo "GVBINDIR='$d'; export GVBINDIR"
		d=$(find "$root" -path '*/groff/*' -type d -name font | paste -sd: -)
		[ -z "$d" ] || echo "GROFF_FONT_PATH='$d'; export GROFF_FONT_PATH"
		d=$(find "$root" -path '*groff*' -type d \( -name tmac -o -name site-tmac -o -name groff \) | paste -sd: -)
		[ -z "$d" ] || echo "GROFF_TMAC_PATH='$d'; export GROFF_TMAC_PATH"
		[ ! -f "$root/etc/manpath.config" ] ||
			echo "MANOPT='-C $root/etc/manpath.config'; export MANOPT"
	} >"$pr/env"
	# musl-gcc names its specs, and the specs their files, by absolute path.
	for f in "$root"/usr/bin/musl-gcc "$root"/usr/lib/*-linux-musl*/musl-gcc.specs; do
		[ -f "$f" ] && sed -i "s,\([ \"L]\)\(/usr/lib/[^/ ]*-linux-musl\|/usr/include/[^/ ]*-linux-musl\),\1$root\2,g" "$f"
	done
	rm -f "$pr"/bin/*
	for d in bin sbin usr/bin usr/sbin; do
		for f in "$root/$d"/*; do
			n=${f##*/}
			if [ ! -f "$f" ] || [ ! -x "$f" ] || [ -e "$pr/bin/$n" ]; then continue; fi
			if [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ]; then
				printf '#!/bin/sh\n. '"'%s/env'"'\nexec '"'%s'"' "$@"\n' "$pr" "$f" >"$pr/bin/$n"
				chmod 755 "$pr/bin/$n"
			else
				ln -s "$f" "$pr/bin/$n"
			fi
		done
	done
	# graphviz finds its plugins through a configuration dot -c writes.
	[ ! -x "$pr/bin/dot" ] || "$pr/bin/dot" -c 2>/dev/null
	return 0
}

# needroot: one line for what an ordinary user cannot have (setuid
# programs), which the suites skip without; prints the commands left.
needroot() {
	printf '%s\n' "$gone" | while read -r cmd pkg; do
		if grep -qx "$pkg" "$pr/needroot" 2>/dev/null; then
			echo "prereqs: not fetched: $cmd (package $pkg) works only installed setuid root, as root: apt-get install $pkg; the tests that need it skip" >&2
		else
			echo "$cmd $pkg"
		fi
	done
}

gone=$(missing)
[ -z "$gone" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	# A second make check of this tree waits for the first one's fetch.
	mkdir -p "$pr" && exec 9>"$pr/lock" && flock 9 ||
		{ echo "prereqs: cannot lock $pr/lock" >&2; exit 2; }
	gone=$(missing)
	gone=$(needroot)
	[ -z "$gone" ] && exit 0
fi
pkgs=$(printf '%s\n' "$gone" | awk '!seen[$2]++ { printf "%s%s", sep, $2; sep = " " }')

if [ "${NSLAB_NO_INSTALL:-}" != 1 ] && command -v apt-get >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
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
	else
		# shellcheck disable=SC2086
		if fetch $pkgs; then
			gone=$(missing)
			gone=$(needroot)
			[ -z "$gone" ] && exit 0
		else
			echo "prereqs: fetching $pkgs with apt-get failed (its last lines above)" >&2
		fi
		pkgs=$(printf '%s\n' "$gone" | awk '!seen[$2]++ { printf "%s%s", sep, $2; sep = " " }')
	fi
fi

why=
[ "${NSLAB_NO_INSTALL:-}" = 1 ] && why=" (NSLAB_NO_INSTALL=1: not installing)"
printf 'prereqs: missing for %s%s: %s\n' "$*" "$why" \
	"$(printf '%s\n' "$gone" | awk '{ printf "%s%s (package %s)", sep, ($1 ~ /^@/ ? "the " substr($1, 2) " runtime" : $1), $2; sep = ", " }')" >&2
echo "prereqs: install them as root with: apt-get install --no-install-recommends $pkgs" >&2
[ "$(id -u)" = 0 ] || [ "${NSLAB_NO_INSTALL:-}" = 1 ] || ! command -v apt-get >/dev/null 2>&1 ||
	echo "prereqs: or, with network, run this again: it fetches them into $pr" >&2
exit 2
