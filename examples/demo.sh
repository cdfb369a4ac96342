#!/bin/sh
# make demo: the tour of nslab, run non-interactively as whoever runs it.
# Each step prints its command like a transcript, then its output; the tour
# stops with a non-zero status if anything it shows does not happen.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
export PATH
. "$top/examples/transcript.sh"

say "nslab tour, as $(id -un) (uid $(id -u))"
step "usernsselfmap id" "uid=0\\(root\\) gid=0\\(root\\)"
step "usernsselfmap cat /proc/self/uid_map" "0 *$(id -u) *1"
step "usernsselfmap -k id -u" "^$(id -u)\$"
summary
