#!/usr/bin/env bash
# Themes in tmux, which answers OSC 11 with the pane's background when a
# window style sets one (and stays silent otherwise): --theme auto picks
# the light colours on a light background and the muted ones on a dark or
# unknown one, says so in the help's Colours section, and draws with them
# (the hint bar's key names: blue on light, cyan otherwise). --theme NAME
# wins over the background, NO_COLOR over both, and a bad name is a usage
# error.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}

. tests/need.sh
. tests/tmux_end.sh
need_tool tmux
[ -x "$BIN" ] || skip_suite "$BIN not built"

CAP=tests/golden/captures/app_arp.pcap
SOCK=wt-theme-$$
cases=0 pass=0 fail=0
cleanup() { for n in $(seq 0 "$cases"); do tmux_end "$SOCK-$n"; done; }
trap cleanup EXIT INT TERM

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# The UI with window style STYLE (or none), ENV and ARGS, on the last page
# of the help; prints the screen, then the hint line with its colours.
screen_of() { # STYLE ENV ARGS...
    local style=$1 env=$2 screen sock=$SOCK-$cases
    shift 2
    tmux -L "$sock" new-session -d -x 160 -y 50
    [ -n "$style" ] && tmux -L "$sock" set -g window-style "$style"
    tmux -L "$sock" respawn-pane -k "env TERM=screen-256color $env $BIN --read $CAP $*; sleep 30"
    for _ in $(seq 100); do
        tmux -L "$sock" capture-pane -p | grep -q "shown" && break
        sleep 0.05
    done
    tmux -L "$sock" send-keys h
    sleep 0.2
    tmux -L "$sock" send-keys G
    for _ in $(seq 100); do
        screen=$(tmux -L "$sock" capture-pane -p)
        grep -q "^  theme " <<<"$screen" && break
        sleep 0.05
    done
    echo "$screen"
    tmux -L "$sock" capture-pane -p -e | grep "Quit"
    tmux_end "$sock"
}

# CASE STYLE ENV ARGS -- THEME-LINE-PATTERN HINT-SGR (empty: no colour at all)
check_case() {
    local what=$1 style=$2 env=$3 args=$4 want=$5 sgr=$6 out line hint
    cases=$((cases + 1))
    out=$(screen_of "$style" "$env" $args)
    line=$(grep "^  theme " <<<"$out")
    hint=$(tail -1 <<<"$out")
    if grep -qE "$want" <<<"$line"; then ok "$what: '$line'"; else bad "$what: theme line '$line', want /$want/"; fi
    if [ -n "$sgr" ]; then
        if [[ $hint == *$'\e['"$sgr"'mq'* ]]; then ok "$what: the key names are drawn in colour $sgr"
        else bad "$what: the hint line's key names are not in colour $sgr: $(cat -v <<<"${hint:0:120}")"; fi
    elif [[ $hint == *$'\e[3'[0-7]m* ]]; then
        bad "$what: colours drawn: $(cat -v <<<"${hint:0:120}")"
    else
        ok "$what: no colours drawn"
    fi
}

check_case "light background" "bg=white" "" "" \
    "light: the terminal's background is light \(rgb:[0-9a-f/]+\)" 34
check_case "dark background" "bg=black" "" "" \
    "muted: the terminal's background is dark \(rgb:0000/0000/0000\)" 36
check_case "no answer" "" "" "" "muted: the terminal did not say its background" 36
check_case "no answer, COLORFGBG" "" "COLORFGBG=0\\;15" "" \
    "light: the terminal's background is light \(COLORFGBG 0;15\)" 34
check_case "--theme vivid on light" "bg=white" "" "--theme vivid" "vivid: named with --theme" 36
printf 'theme = light\n' >"/tmp/wt-theme-$$.conf"
check_case "theme = light in a config file, on dark" "bg=black" "" "--config /tmp/wt-theme-$$.conf" \
    "light: named with --theme or the config's theme =" 34
rm -f "/tmp/wt-theme-$$.conf"
check_case "NO_COLOR" "bg=white" "NO_COLOR=1" "" "none: " ""

"$BIN" --read "$CAP" --theme plaid >/dev/null 2>/tmp/wt-theme-err.$$
rc=$?
err=$(cat /tmp/wt-theme-err.$$); rm -f /tmp/wt-theme-err.$$
if [ $rc -eq 2 ] && [[ $err == *"--theme: unknown value 'plaid' (one of: auto, muted, vivid, light)"* ]]; then
    ok "--theme plaid: status 2, the names listed"
else
    bad "--theme plaid: status $rc, '$err'"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
