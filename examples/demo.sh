#!/bin/sh
# SPDX-License-Identifier: MIT
# make demo: the tour of nslab, run non-interactively as whoever runs it.
# First a taste of each tool, then the examples in the order a learner
# meets them: the 002 article's walkthrough, bitbake's disable_network and
# its fail-open, the composed experiment shell, a two-host lab.  Each step
# prints its command like a transcript, then its output; the tour ends with
# one summary and a non-zero status if anything it shows did not happen.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$top/build/examples:$top/build/tests/helpers:$PATH
export PATH
# shellcheck source=transcript.sh
. "$top/examples/transcript.sh"
start=$(date +%s)
results=
work=$(mktemp -d "${TMPDIR:-/tmp}/nslab-demo.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
# The examples bind $HOME onto /root: it must be a directory we can use
# (uid 65534's is /nonexistent, and setpriv keeps root's /root).
if ! { [ -d "${HOME:-}" ] && [ -r "$HOME" ] && [ -x "$HOME" ]; }; then
	mkdir "$work/home" && touch "$work/home/this-is-my-home"
	printf '# HOME=%s cannot be used; the tour uses %s\n' "${HOME:-}" "$work/home"
	HOME=$work/home
	export HOME
fi

say "nslab tour, as $(id -un 2>/dev/null || echo "uid $(id -u)") (uid $(id -u), gid $(id -g))" \
    "A taste of each tool; the examples follow."

say "usernsselfmap: root in a new user namespace, mapped to you"
step "usernsselfmap id" "^uid=0\\(root\\) gid=0\\(root\\)"
step "usernsselfmap cat /proc/self/uid_map" "^ *0 +$(id -u) +1\$"
step "usernsselfmap -k id -u" "^$(id -u)\$"
if have nsnet; then
	say "nsnet: a new network namespace; -U is bitbake's disable_network()"
	step "nsnet -U ip -o link" "^1: lo: " "^[2-9][0-9]*: "
fi
if have nsmount; then
	say "nsmount: a private mount namespace; by default \$HOME onto /root"
	step "usernsselfmap nsmount -t /mnt sh -c 'touch /mnt/scratch; ls /mnt'" "^scratch\$"
	step_lacks "ls /mnt" "^scratch\$"
fi
if have nsinfo; then
	say "nsinfo: look at namespaces; --check says what this machine allows"
	step "nsinfo" "net:\\[[0-9]+\\]"
	step "nsinfo --check" ""
fi
results="tools: $steps steps, $((steps - failed)) as expected, $failed not"
tour_failed=$failed

# In the learner's order; the article's single steps (veth, home-on-root)
# follow the walkthrough when they exist.
for ex in userns-walkthrough veth home-on-root bitbake-disable-network \
	experiment-shell two-host-lab router-lab container-shell; do
	[ -f "$top/examples/$ex.sh" ] || continue
	printf '\n======== examples/%s.sh ========\n' "$ex"
	{ sh "$top/examples/$ex.sh" </dev/null 2>&1; echo $? >"$work/rc"; } | tee "$work/log"
	rc=$(cat "$work/rc")
	line=$(grep "^$ex\\.sh: [0-9]* steps" "$work/log" | tail -n 1)
	[ -n "$line" ] || line="$ex.sh: did not finish (exit $rc)"
	[ $rc -eq 0 ] || tour_failed=$((tour_failed + 1))
	results="$results
$line"
done

printf '\n======== summary (%ss) ========\n%s\n' $(($(date +%s) - start)) "$results"
# The parts left out because a program is not built yet, if any.
missing=$({ printf '%s\n' "$results" | sed -n 's/.*not shown for want of: //p'
	printf '%s\n' $skipped; } | tr ' ' '\n' | grep . | sort -u | tr '\n' ' ' | sed 's/ $//')
[ -n "$missing" ] && echo "demo: parts not shown, for want of: $missing (not built yet)"
total=$(printf '%s\n' "$results" | awk '{ n += $2; bad += $7 } END { print n " steps in " NR " parts, " bad " not as expected" }')
echo "demo: $total"
# The guides as docs/ has them today, so the line never lags a new one.
guides=$(cd "$top/docs" && ls [0-9][0-9]-*.md 2>/dev/null)
echo "demo: to learn each step, read the $(printf '%s\n' "$guides" | grep -c .) guides," \
	"docs/$(printf '%s\n' "$guides" | head -n 1) to docs/$(printf '%s\n' "$guides" | tail -n 1)"
if [ "$tour_failed" -eq 0 ]; then
	echo "demo: everything shown happened as described"
else
	echo "demo: $tour_failed part(s) did not go as described (look for '!!' above)"
fi
[ "$tour_failed" -eq 0 ]
