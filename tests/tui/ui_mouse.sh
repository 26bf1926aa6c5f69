#!/usr/bin/env bash
# The mouse, through tmux: the demo rows (build/tests/test_tui_render
# --demo) in a detached session whose own mouse handling is off, so the
# button presses written into the pane reach the program as a terminal
# would send them. Both encodings: X10 (ESC [ M, the tmux-256color
# terminfo's kmous) and SGR (ESC [ <, xterm-256color's). Each press is
# followed by its release, as a terminal sends them.
# Then --no-mouse, on the demo and on wiretop itself: no mouse reporting
# asked of the terminal (tmux's mouse_any_flag), and a press does nothing.
# Prints "N passed, N failed" (or a skip line without tmux).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}

. tests/need.sh
. tests/tmux_end.sh
. tests/tui/screen_lib.sh
need_tool tmux

DEMO="$BUILD/tests/test_tui_render --demo"
BIN=${WIRETOP_BIN:-$BUILD/wiretop}
CAPTURE=tests/golden/captures/udp_icmp_arp.pcap
[ -x "$BUILD/tests/test_tui_render" ] && [ -x "$BIN" ] || fail_suite "build first (make tests)"
# terminfo comes with ncurses: missing, the set-up is broken, not absent
for t in tmux-256color xterm-256color; do
    infocmp "$t" >/dev/null 2>&1 || fail_suite "no terminfo entry $t"
done

TMP=$(mktemp -d)
SOCK="wt-mouse-$$"
pass=0 fail=0 ENC=x10

cleanup() {
    tmux_end "$SOCK"
    rm -rf "$TMP"
}
trap cleanup EXIT

start() { # TERM COMMAND: COMMAND in a fresh 160x30 session (mouse off in tmux)
    tmux_end "$SOCK"
    cat >"$TMP/tmux.conf" <<EOF
set -g default-terminal $1
set -g escape-time 0
set -g status off
set -g mouse off
EOF
    T -f "$TMP/tmux.conf" new-session -d -s ui -x 160 -y 30 "$2"
}

check() { # NAME COMMAND...: one test, named with the encoding it ran in
    local name=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL ($ENC): $name"
        screen | sed 's/^/    | /'
    fi
}

# One report of BUTTON (0 left, 64 wheel up, 65 wheel down) at screen
# line Y, column X (from 0), pressed (M) or released (m), in the current
# encoding. X10: ESC [ M, then 32 + the button (3 for a release), 33 + x,
# 33 + y, each a byte. SGR: ESC [ < button ; x + 1 ; y + 1, then M or m.
report() { # BUTTON Y X M|m
    if [ "$ENC" = sgr ]; then
        T send-keys -t ui -l $'\e'"[<$1;$(($3 + 1));$(($2 + 1))$4"
    else
        local b=$1
        [ "$4" = m ] && b=3
        T send-keys -t ui -H 1b 5b 4d "$(printf %x $((32 + b)))" "$(printf %x $((33 + $3)))" \
            "$(printf %x $((33 + $2)))"
    fi
}
click() { report 0 "$1" "$2" M; report 0 "$1" "$2" m; sleep 0.15; }
wheel() { report "$1" 10 10 M; sleep 0.15; } # 64 up, 65 down (no release)
keys() { T send-keys -t ui "$@"; sleep 0.15; }

x_of() { # LINE TEXT: the column where TEXT starts on screen line LINE (from 0)
    screen | sed -n "$(($1 + 1))p" | awk -v t="$2" '{ print index($0, t) - 1 }'
}
remote_line() { screen | grep -m1 -E '^  Remote  '; }
first_row() { screen | sed -n 3p; }

details_of_row() { # N: Details' Remote line for row N, chosen by keys
    keys g
    local i
    for ((i = 0; i < $1; i++)); do keys Down; done
    keys Enter
    wait_for " Connection" 20 && remote_line
    keys Escape
}

mouse_tests() { # TERM
    start "$1" "$DEMO"
    check "overview appears" wait_for '"github.com":https'
    check "the program asks for mouse reports" [ "$(T display -p -t ui '#{mouse_any_flag}')" = 1 ]
    local want2 want5
    want2=$(details_of_row 2)
    want5=$(details_of_row 5)
    check "rows have distinct remotes" [ -n "$want2" ] && [ "$want2" != "$want5" ]

    click 4 20 # row 2 (title, header, rows from line 2)
    check "a click on a row leaves the overview" wait_for "Proto  Local" 10
    click 4 60 # again: its Details
    check "a second click opens Details" wait_for " Connection" 20
    check "... of the row clicked" [ "$(remote_line)" = "$want2" ]

    click 0 "$(($(x_of 0 ' Health ') + 2))"
    check "a view name switches to it" wait_for "Severity Finding" 20
    click 0 "$(($(x_of 0 ' Overview ') + 3))"
    check "Overview by its name" wait_for "Proto  Local" 20

    local bytes
    bytes=$(x_of 1 Bytes)
    click 1 "$bytes"
    check "a header sorts by its column" wait_for "sort: Bytes" 20
    check "... biggest first" grep -q 'www.google.com' <<<"$(first_row)"
    click 1 "$bytes"
    check "again: the other way" grep -q '10.1.2.3' <<<"$(first_row)"
    keys S

    keys g
    wheel 65
    wheel 65
    wheel 64
    keys Enter
    check "the wheel moves three rows a notch" wait_for " Connection" 20
    check "... to row 3" [ "$(remote_line)" = "$(keys Escape; details_of_row 3)" ]
    keys q q
}

no_mouse_tests() {
    ENC=x10
    start tmux-256color "$DEMO --no-mouse"
    check "--no-mouse: overview appears" wait_for '"github.com":https'
    check "--no-mouse: no mouse reports asked" [ "$(T display -p -t ui '#{mouse_any_flag}')" = 0 ]
    click 0 "$(($(x_of 0 ' Health ') + 2))"
    sleep 0.3
    check "--no-mouse: a press does nothing" wait_for "Proto  Local" 5
    keys q q
    start tmux-256color "$BIN --read $CAPTURE --no-mouse"
    check "wiretop --no-mouse starts" wait_for "shown" 50
    check "wiretop --no-mouse: no mouse reports asked" \
        [ "$(T display -p -t ui '#{mouse_any_flag}')" = 0 ]
    keys q q
    start tmux-256color "$BIN --read $CAPTURE"
    check "wiretop starts" wait_for "shown" 50
    check "wiretop asks for mouse reports" [ "$(T display -p -t ui '#{mouse_any_flag}')" = 1 ]
    click 0 "$(($(x_of 0 ' Health ') + 2))"
    check "wiretop: a view name switches to it" wait_for "Severity Finding" 20
    keys q q
}

ENC=x10 mouse_tests tmux-256color
ENC=sgr mouse_tests xterm-256color
no_mouse_tests
echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
