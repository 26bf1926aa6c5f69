# wiretop(1) completion for bash. Installed as
# share/bash-completion/completions/wiretop; needs nothing else.

_wiretop_options="--interface --read --bpf-filter --snaplen --buffer-size --json --listening --findings --findings-no-answer --findings-retransmit-percent --findings-retransmit-min --findings-rtt-rise --findings-rtt-spike --duration
--filter --daemon --pcapng --pcapng-max-mb --json-log --json-log-interval --json-log-max-mb --metrics --metrics-max-labels --ipfix --ipfix-active --ipfix-pen --ipfix-template-refresh --refresh-interval --no-color --no-mouse --theme --trace-ui --no-localhost --show-localhost --no-dpi --no-resolve --geoip --no-geoip --threads
--oui-file --max-connections --timeout --config --attr --log-level --log-dir --no-sandbox --no-priv-drop
--doctor --help --version -i -f -r -l -h -V"

_wiretop_timeouts="tcp_syn= tcp_established= tcp_closing= tcp_closed= ssh= udp= dns= quic=
quic_draining= quic_closed= icmp= arp= ip="

_wiretop_reply() { # WORDS CUR: COMPREPLY = the words starting with CUR
    local IFS=$'\n'
    # shellcheck disable=SC2207
    COMPREPLY=($(IFS=$' \t\n' compgen -W "$1" -- "$2"))
}

_wiretop_files() { # CUR [-d]
    local IFS=$'\n'
    compopt -o filenames 2>/dev/null
    # shellcheck disable=SC2207
    COMPREPLY=($(compgen "${2:--f}" -- "$1"))
}

_wiretop() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]:-}
    # "--opt=value": bash splits it into "--opt" "=" "value"
    if [[ $cur == "=" ]]; then
        cur=""
    elif [[ $prev == "=" && $COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi

    case $prev in
    -i | --interface)
        _wiretop_reply "any $(ls /sys/class/net 2>/dev/null)" "$cur"
        return ;;
    --read | --config | --json-log | --pcapng | --oui-file | --trace-ui | --geoip)
        _wiretop_files "$cur"
        return ;;
    --log-dir)
        _wiretop_files "$cur" -d
        return ;;
    -l | --log-level)
        _wiretop_reply "error warn info debug trace" "$cur"
        return ;;
    --attr)
        _wiretop_reply "auto ebpf sock_diag procfs none" "$cur"
        return ;;
    --theme)
        _wiretop_reply "auto muted vivid light" "$cur"
        return ;;
    --timeout)
        _wiretop_reply "$_wiretop_timeouts" "$cur"
        compopt -o nospace 2>/dev/null
        return ;;
    -f | --bpf-filter | --filter | --duration | -r | --refresh-interval | --threads | \
        --ipfix | --ipfix-active | --ipfix-pen | --ipfix-template-refresh | --metrics | \
        --metrics-max-labels | --json-log-interval | --json-log-max-mb | --pcapng-max-mb | \
        --snaplen | --buffer-size | --max-connections | --findings-no-answer | \
        --findings-retransmit-percent | --findings-retransmit-min | --findings-rtt-rise | \
        --findings-rtt-spike)
        COMPREPLY=()
        return ;;
    esac
    if [[ $cur == -* ]]; then
        _wiretop_reply "$_wiretop_options" "$cur"
    else
        COMPREPLY=()
    fi
}

complete -F _wiretop wiretop
