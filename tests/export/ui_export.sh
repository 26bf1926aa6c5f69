#!/usr/bin/env bash
# Exporters beside the UI: with --json-log on, the status bar shows the
# export drops (and not without an exporter), and quitting the UI flushes
# the event log.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
. tests/tmux_end.sh
need_tool tmux python3
SOCK=wt-uiexp-$$
trap 'tmux_end "$SOCK"; rm -rf "$TMP"' EXIT
CAP=tests/golden/captures/tcp_states.pcap

screen_of() { # ARGS...: the UI's screen a moment after it started on CAP
    tmux_end "$SOCK"
    tmux -L "$SOCK" new-session -d -x 250 -y 40 "$BIN --read $CAP --no-color $*; sleep 5"
    wait_for 10 sh -c "tmux -L $SOCK capture-pane -p | grep -q 'drops'"
    tmux -L "$SOCK" capture-pane -p
}
out=$(screen_of --json-log "$TMP/ev.log")
check "the status bar shows the export drops: $(grep -o '| drops.*' <<<"$out" | head -1)" \
    grep -q 'export drops 0' <<<"$out"
tmux -L "$SOCK" send-keys q q
wait_for 10 python3 -c 'import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(not ev or sum(e["event"] == "close" for e in ev) != sum(e["event"] == "open" for e in ev))' "$TMP/ev.log"
check "quitting the UI flushed an open and a close per connection" [ $? -eq 0 ]
out=$(screen_of)
check "no exporter, no export drops shown" bash -c '! grep -q "export drops" <<<"$1"' _ "$out"
finish
