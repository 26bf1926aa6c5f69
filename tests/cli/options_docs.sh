#!/usr/bin/env bash
# --help, the man page (as man renders it) and both shell completions name
# the same long options. (tests/unit/test_options.c checks --help and the
# roff source against the parser's own table.)
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

MAN=docs/wiretop.1
help_options >"$TMP/help"
check "--help lists options" [ "$(wc -l <"$TMP/help")" -ge 20 ]

same() { # WHAT FILE: FILE lists exactly the options of --help
    local what=$1 file=$2 d
    d=$(diff "$TMP/help" "$file")
    if [ -z "$d" ]; then ok; else fail "$what differs from --help (< help, > $what):"$'\n'"$d"; fi
}

if command -v man >/dev/null 2>&1; then
    # C locale: ASCII hyphens; wide: no option name broken across lines
    LC_ALL=C MANWIDTH=250 man --warnings -l "$MAN" >"$TMP/man.txt" 2>"$TMP/man.err"
    check "man -l $MAN renders" [ -s "$TMP/man.txt" ]
    check "man -l $MAN has no warnings: $(head -3 "$TMP/man.err")" [ ! -s "$TMP/man.err" ]
    sed -n '/^OPTIONS/,/^[A-Z]/p' "$TMP/man.txt" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u >"$TMP/man"
    same "man page OPTIONS" "$TMP/man"
    for sec in NAME SYNOPSIS DESCRIPTION OPTIONS KEYS FILTERS FILES "EXIT STATUS" ENVIRONMENT \
        EXAMPLES "SEE ALSO"; do
        check "man page has section $sec" grep -q "^$sec\$" "$TMP/man.txt"
    done
    check "man page shows the version of --version" \
        grep -qF "$("$BIN" --version)" "$TMP/man.txt"
else
    skip "man not installed"
fi

# bash: what completing "--" offers
bash -c '. completions/wiretop.bash; COMP_WORDS=(wiretop --); COMP_CWORD=1; _wiretop
         printf "%s\n" "${COMPREPLY[@]}"' | sort -u >"$TMP/bash"
same "bash completion" "$TMP/bash"
# bash: values of options with a fixed set
bash_values() { # OPTION: what completing "OPTION <tab>" offers, space-separated
    bash -c '. completions/wiretop.bash; COMP_WORDS=(wiretop "$1" ""); COMP_CWORD=2; _wiretop
             printf "%s\n" "${COMPREPLY[@]}"' _ "$1" | sort | tr '\n' ' '
}
check "bash completes -l levels" [ "$(bash_values -l)" = "debug error info trace warn " ]
check "bash completes --attr back ends" \
    [ "$(bash_values --attr)" = "auto ebpf none procfs sock_diag " ]
want_timeouts=$("$BIN" --help | sed -n '/^Timeouts/,/^$/p' | awk 'NR > 1 && NF { print $1 "=" }' |
    sort | tr '\n' ' ')
check "bash completes every --timeout name" [ "$(bash_values --timeout)" = "$want_timeouts" ]
check "bash completes -i with interfaces" grep -qw lo <<<"$(bash_values -i)"

# zsh: the option specs of _arguments
grep -oE -- "--[a-z][a-z0-9-]*[=[,}]" completions/_wiretop | tr -d '=[,}' | sort -u >"$TMP/zsh"
same "zsh completion" "$TMP/zsh"
if command -v zsh >/dev/null 2>&1; then
    check "zsh parses _wiretop" zsh -n completions/_wiretop
else
    skip "zsh not installed"
fi

finish
