#!/usr/bin/env bash
# Live timing as a user sees it: freshness of new rows on a quiet link,
# --json records soon after retirement, rates that fall to zero, a link
# that goes down and up, an interface that goes away and comes back, the
# connection cap, -i any and --no-localhost (tests/live/live_timing.py says
# what each measures). Needs root, iproute2, tmux and python3; makes and
# removes its own network namespaces. LIVE_TIMING="fresh rates" runs only
# those parts; WIRETOP_ARGS adds options to every wiretop run (e.g.
# --threads 3).
set -u
cd "$(dirname "$0")/../.."
. tests/need.sh
export WIRETOP_BIN=${WIRETOP_BIN:-$PWD/build/wiretop}
need_root "network namespaces, capture"
need_tool ip sysctl tmux python3
[ -x "$WIRETOP_BIN" ] || skip_suite "$WIRETOP_BIN not built"
# shellcheck disable=SC2086
exec python3 tests/live/live_timing.py ${LIVE_TIMING:-}
