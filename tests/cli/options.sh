#!/usr/bin/env bash
# The command line as a user meets it: --version, --help, and exit status 2
# with exactly one line on stderr (and nothing on stdout) for bad usage.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

version=$(sed -n 's/^VERSION *:= *//p' Makefile)
run --version
check "--version exits 0" [ "$RC" -eq 0 ]
check "--version prints 'wiretop $version' (got '$OUT')" [ "$OUT" = "wiretop $version" ]
run -V
check "-V prints the version" [ "$OUT" = "wiretop $version" ]
check "version matches X.Y.Z" grep -qE '^wiretop [0-9]+\.[0-9]+\.[0-9]+$' <<<"$OUT"

run --help
check "--help exits 0" [ "$RC" -eq 0 ]
check "--help writes nothing to stderr" [ -z "$ERR" ]
check "--help starts with a usage line" grep -q '^Usage: wiretop \[OPTIONS\]' <<<"$OUT"
for group in Capture Output Display Analysis Processes Logging Security General; do
    check "--help has group $group" grep -q "^$group:\$" <<<"$OUT"
done
run -h
check "-h prints the same help" [ "$OUT" = "$("$BIN" --help)" ]

# The reference tool's options keep their spelling and short forms.
for opt in "-i, --interface" "--no-localhost" "-r, --refresh-interval" "--no-dpi" \
    "-l, --log-level" "-h, --help" "-V, --version" "--read" "--json" "--duration" \
    "-f, --bpf-filter" "--filter" "--threads" "--show-localhost" "--doctor"; do
    check "--help lists '$opt'" grep -qF -- "$opt" <<<"$OUT"
done

usage_error() { # WANT-IN-MESSAGE ARGS...
    local want=$1
    shift
    run "$@"
    check "'$*' exits 2 (got $RC)" [ "$RC" -eq 2 ]
    check "'$*' prints one line on stderr (got: $ERR)" [ "$(lines "$ERR")" -eq 1 ]
    check "'$*' prints nothing on stdout" [ -z "$OUT" ]
    check "'$*' says '$want' (got: $ERR)" grep -qF -- "$want" <<<"$ERR"
    check "'$*' message starts with 'wiretop: '" grep -q '^wiretop: ' <<<"$ERR"
}

usage_error "unknown option '--bogus'" --bogus
usage_error "unknown option '-x'" -x
usage_error "unknown option '-x'" -Vx
usage_error "--interface needs a value" -i
usage_error "--log-level needs a value" --log-level
usage_error "--json takes no value" --json=yes
usage_error "unexpected argument 'eth0'" eth0
usage_error "--refresh-interval: '10'" -r 10
usage_error "--refresh-interval: 'fast'" --refresh-interval fast
usage_error "--threads: '0'" --threads 0
usage_error "--log-level: unknown value 'loud'" -l loud
usage_error "--listening lists this machine's sockets and exits" --listening --read x.pcap
usage_error "--listening lists this machine's sockets and exits" --listening -i lo --json
usage_error "--attr: unknown value 'magic'" --attr magic
usage_error "--duration: '-3'" --duration -3
usage_error "exclude each other" -i lo --read x.pcap
printf "frobnicate = 1\n" >"$TMP/bad.conf"
usage_error "unknown setting 'frobnicate'" --config "$TMP/bad.conf"

# Input that is not there is also status 2 with one line.
usage_error "$TMP/none.pcap" --read "$TMP/none.pcap" --json

# --filter: one message and status 2, headless or not, before anything runs;
# a filter longer than the UI's filter line is refused, never cut.
write_pcap "$TMP/t.pcap"
want="wiretop: --filter: missing value after 'port:' at character 6"
usage_error "$want" --read "$TMP/t.pcap" --json --filter 'port:'
usage_error "$want" --read "$TMP/t.pcap" --filter 'port:'
usage_error "$want" -i lo --filter 'port:'
long=$(head -c 1025 /dev/zero | tr '\0' a)
usage_error "--filter: filter longer than 1024 bytes" --read "$TMP/t.pcap" --filter "$long"
usage_error "--filter: filter longer than 1024 bytes" --read "$TMP/t.pcap" --json --filter "$long"
run --read "$TMP/t.pcap" --json --filter "$(head -c 1024 /dev/zero | tr '\0' a)"
check "a filter of exactly 1024 bytes is taken (got $RC: $ERR)" [ "$RC" -eq 0 ]

finish
