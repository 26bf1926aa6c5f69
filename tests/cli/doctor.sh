#!/usr/bin/env bash
# --doctor prints one "ok"/"missing" line per check and a count that the
# exit status agrees with; without privilege both --doctor and a live start
# say what is missing and the two ways to fix it (sudo, setcap).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

doctor() { # ARGS...: run --doctor with a short timeout (it must not capture)
    timeout 20 "$@" >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
}

not() { ! "$@"; }

check_report() { # WHO: the shape of a --doctor report in OUT/RC
    local who=$1 body count missing
    check "$who: exit 0 or 1 (got $RC)" [ "$RC" -eq 0 -o "$RC" -eq 1 ]
    check "$who: header line" grep -qE '^wiretop [0-9.]+: what this machine allows$' <<<"$OUT"
    body=$(sed '1d;$d' <<<"$OUT")
    check "$who: has check lines" [ -n "$body" ]
    check "$who: every check line is 'ok|missing|note NAME text'" \
        not grep -vE '^(ok      |missing |note    ) [a-z0-9-]{1,12} +[^ ].*$' <<<"$body"
    for name in privilege interfaces capture attribution terminal; do
        check "$who: checks $name" grep -qE "^(ok|missing) +$name " <<<"$body"
    done
    missing=$(grep -c '^missing ' <<<"$body")
    count=$(tail -1 <<<"$OUT")
    check "$who: last line counts the missing ones ($count vs $missing)" [ "$count" = "$missing missing" ]
    if [ "$missing" -eq 0 ]; then want=0; else want=1; fi
    check "$who: exit status follows the count" [ "$RC" -eq "$want" ]
    check "$who: nothing on stderr ($ERR)" [ -z "$ERR" ]
}

doctor "$BIN" --doctor
check_report "doctor"
# stdout is a file here: the terminal check must say so
check "doctor: terminal missing when stdout is a file" \
    grep -qE '^missing +terminal +standard output is not a terminal' <<<"$OUT"

# Privilege: as an unprivileged user (when we can become one), running a
# copy of the binary that this user can reach (a clone under /root is not).
if [ "$(id -u)" -ne 0 ]; then
    skip "unprivileged checks need root"
elif ! command -v setpriv >/dev/null; then
    skip "setpriv not installed"
else
    chmod 755 "$TMP" && mkdir -m 755 "$TMP/bin" && cp "$BIN" "$TMP/bin/wiretop"
    BIN=$TMP/bin/wiretop
    nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
    doctor "${nobody[@]}" "$BIN" --doctor
    check_report "doctor as nobody"
    line=$(grep '^missing  privilege' <<<"$OUT")
    check "doctor as nobody: privilege missing" [ -n "$line" ]
    check "doctor as nobody: names CAP_NET_RAW" grep -q 'CAP_NET_RAW' <<<"$line"
    check "doctor as nobody: fix 1 is sudo" grep -q 'sudo' <<<"$line"
    check "doctor as nobody: fix 2 is setcap with eBPF caps" \
        grep -qF "setcap cap_net_raw,cap_net_admin,cap_bpf,cap_perfmon=eip $BIN" <<<"$line"
    check "doctor as nobody: capture missing" grep -q '^missing  capture' <<<"$OUT"
    check "doctor as nobody: eBPF capabilities missing" grep -q '^missing  ebpf-caps .*CAP_BPF' <<<"$OUT"

    timeout 20 "${nobody[@]}" "$BIN" -i lo --json --duration 1 >"$TMP/out" 2>"$TMP/err"
    RC=$?
    ERR=$(cat "$TMP/err")
    check "live start as nobody fails with status 1 (got $RC)" [ "$RC" -eq 1 ]
    check "live start as nobody writes no records" [ ! -s "$TMP/out" ]
    check "live start as nobody: says CAP_NET_RAW is missing ($ERR)" grep -q 'CAP_NET_RAW' <<<"$ERR"
    check "live start as nobody: suggests sudo" grep -q "sudo $BIN" <<<"$ERR"
    check "live start as nobody: suggests setcap with the eBPF capabilities" \
        grep -qF "setcap cap_net_raw,cap_net_admin,cap_bpf,cap_perfmon=eip $BIN" <<<"$ERR"
fi

finish
