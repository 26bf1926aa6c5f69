#!/usr/bin/env bash
# An 80x24 terminal, through tmux: the demo rows (build/tests/test_tui_render
# --demo) show what a connection is and how busy it is (Remote, Process,
# DPI, Rx, Tx) before its local address and state, which a wider screen
# adds back. Prints "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}

. tests/need.sh
. tests/tmux_end.sh
. tests/tui/screen_lib.sh
need_tool tmux
[ -x "$BUILD/tests/test_tui_render" ] || fail_suite "build first (make tests)"

TMP=$(mktemp -d)
SOCK="wt-narrow-$$"
pass=0 fail=0
cleanup() {
    tmux_end "$SOCK"
    rm -rf "$TMP"
}
trap cleanup EXIT
cat >"$TMP/tmux.conf" <<CONF
set -g default-terminal tmux-256color
set -g escape-time 0
set -g status off
CONF
header() { screen | sed -n 2p; }
in_header() { grep -qF -- "$1" <<<"$(header)"; }

T -f "$TMP/tmux.conf" new-session -d -s ui -x 80 -y 24 "$BUILD/tests/test_tui_render --demo"
check "overview appears at 80x24" wait_for '"github.com":https'
for c in "Remote Address" Process DPI Rx Tx; do
    check "80 columns: $c shown" in_header "$c"
done
for c in "Local Address" State; do
    check "80 columns: $c left out" eval '! in_header "$c"'
done
check "80 columns: a row shows its process" wait_for "firefox(4242)"
check "no line wider than 80" [ "$(screen | wc -L)" -le 80 ]
T resize-window -t ui -x 160 -y 24
sleep 0.3
check "160 columns: Local Address back" in_header "Local Address"
check "160 columns: State back" in_header "State"
T send-keys -t ui q q
echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
