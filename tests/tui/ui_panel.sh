#!/usr/bin/env bash
# The side panel (i) and the status bar on narrow and wide screens, with
# wiretop reading a capture in tmux: at 160x40 the status bar has every
# part that fits and the panel sits right of the table; at 80x24 the bar
# keeps shown/total and drops (its attribution and privileges are in the
# panel, which then takes the whole body until i or Esc closes it), and a
# capture failure stays whole on lines of its own above it.
# Prints "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.."
export LC_ALL=C.UTF-8 # the screen's columns counted as characters (${line:X:1})
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}

. tests/need.sh
. tests/tmux_end.sh
. tests/tui/screen_lib.sh
need_tool tmux
[ -x "$BIN" ] || skip_suite "$BIN not built"

TMP=$(mktemp -d /tmp/wt-panel.XXXXXX)
SOCK= # a server of its own for each start
starts=0
pass=0 fail=0
cleanup() {
    local i
    for ((i = 1; i <= starts; i++)); do tmux_end "wt-panel-$$-$i"; done
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

CAPTURE=tests/golden/captures/tcp_health.pcap # two TCP connections
cat >"$TMP/tmux.conf" <<CONF
set -g default-terminal tmux-256color
set -g escape-time 0
set -g status off
CONF
in_bar() { # FIXED-STRING: in the status bar within 5 s
    local i
    for ((i = 0; i < 50; i++)); do
        [[ $(bar) == *"$1"* ]] && return 0
        sleep 0.1
    done
    return 1
}
not_in_bar() { # FIXED-STRING: off the status bar within 5 s
    local i
    for ((i = 0; i < 50; i++)); do
        [[ $(bar) != *"$1"* ]] && return 0
        sleep 0.1
    done
    return 1
}
start() { # W H FILE
    [ -n "$SOCK" ] && tmux_end "$SOCK"
    starts=$((starts + 1))
    SOCK=wt-panel-$$-$starts
    T -f "$TMP/tmux.conf" new-session -d -s ui -x "$1" -y "$2" "$BIN --read $3; sleep 60"
}
body() { screen | sed -n '2,/^ q Quit/p' | sed '$d'; } # between the title and hint lines
rule_at() { # X: the panel's rule at column X (from 0) of every body line
    local line n=0
    while IFS= read -r line; do
        [[ ${line:$1:1} == [│\|] ]] || return 1
        n=$((n + 1))
    done < <(body)
    [ "$n" -gt 0 ]
}
right_of() { # X: the body's lines from column X on
    local line
    while IFS= read -r line; do echo "${line:$1}"; done < <(body)
}
fits() { [ "$(screen | wc -L)" -le "$1" ]; }

# --- 160x40: the whole bar; the panel beside the table
start 160 40 "$CAPTURE"
check "160x40: the file is read" wait_for "(done)"
check "160x40: the bar has the interface and capture" in_bar " file | $CAPTURE (done) | "
check "160x40: the bar has attribution" in_bar "| attr: none (file) |"
check "160x40: the bar has shown/total" in_bar "| 2/2 shown |"
check "160x40: the bar has drops" in_bar "| drops 0 kernel, 0 internal"
check "160x40: the panel is closed" eval '! screen | grep -q "Privileges"'
check "160x40: Local Address shown" wait_for "Local Address"
T send-keys -t ui i
check "160x40: i opens the panel" wait_for "Privileges"
check "160x40: the panel names the interface" wait_for "Interface    file"
check "160x40: the panel has drops" wait_for "Drops        0 kernel, 0 internal"
check "160x40: the panel counts owners" wait_for "Owners       0 of 2 connections"
check "160x40: the panel has the method" wait_for "Method       none (file)"
check "160x40: the panel has the privileges" eval 'screen | grep -qE "Privileges   (uid [0-9]+|root),"'
check "160x40: the panel starts at column 122" rule_at 122
check "160x40: the table stays left of it" wait_for "Remote Address"
check "160x40: no table cell under the panel" \
    eval '! right_of 122 | grep -qE "TIME_WAIT|TCP |10\.78\."'
check "160x40: nothing wider than the screen" fits 160
check "160x40: the bar stays whole" in_bar "| attr: none (file) |"
T send-keys -t ui i
check "160x40: i closes it" wait_gone "Privileges"

# --- 80x24: the bar keeps its counts; the panel takes the body
T resize-window -t ui -x 80 -y 24
check "80x24: the table shows" wait_for "Remote Address"
check "80x24: Local Address dropped" wait_gone "Local Address"
check "80x24: the bar keeps shown/total" in_bar "| 2/2 shown |"
check "80x24: the bar keeps drops" in_bar "| drops 0 kernel, 0 internal"
check "80x24: the bar drops attribution" not_in_bar "attr:"
check "80x24: the bar drops the privileges" not_in_bar "uid"
check "80x24: nothing wider than the screen" fits 80
T send-keys -t ui i
check "80x24: i shows the panel" wait_for "Privileges"
check "80x24: over the whole body" wait_gone "Remote Address"
check "80x24: the panel has attribution" wait_for "Method       none (file)"
check "80x24: the panel has the capture" wait_for "Source       $CAPTURE (done)"
check "80x24: the bar under it keeps the counts" in_bar "| 2/2 shown |"
T send-keys -t ui Escape
check "80x24: Esc closes it" wait_for "Remote Address"
check "80x24: the panel is gone" wait_gone "Privileges"

# --- 80x24, a damaged file: the failure whole above the bar
head -c 30000 "$CAPTURE" >"$TMP/cut.pcap"
why=$("$BIN" --read "$TMP/cut.pcap" --json 2>&1 >/dev/null | sed -n 's/^wiretop: warning: //p')
start 80 24 "$TMP/cut.pcap"
check "damaged, 80x24: read" wait_for "stopped"
lines=$(screen | sed -n '/^ q Quit/,$p' | sed '1d;$d' | sed 's/^ //' | tr '\n' ' ' | sed 's/ *$//' | tr -s ' ')
want=$(echo "read stopped: $why; the rows before it are shown" | tr -s ' ')
check "damaged, 80x24: the whole failure above the bar ('$lines')" [ "$lines" = "$want" ]
check "damaged, 80x24: the bar keeps shown/total" eval 'bar | grep -qE "\| [0-9]+/[0-9]+ shown \|"'
check "damaged, 80x24: the bar keeps drops" in_bar "| drops 0 kernel, 0 internal"
check "damaged, 80x24: nothing wider than the screen" fits 80

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
