# shellcheck shell=bash
# tmux_end.sh - sourced by the suites that run wiretop in a tmux server.
#
#   tmux_end SOCK...   end the programs in each server's panes, then the server
#   pid_ended PID      the process has exited (gone, or a zombie)
#   wait_ended SECONDS PID...   until each has; else SIGKILL, and false
#
# A server killed under a running wiretop hangs its terminal up: wiretop
# sees that and exits, as it should (ui_tmux tests exactly that). Under the
# sanitizers, though, the leak check at exit stops the process with
# SIGSTOP, and the SIGCONT the kernel sends when the pane's shell dies
# (wiretop's process group is then orphaned, with a stopped member) can
# undo that stop: the check then waits forever, spinning on a core for the
# rest of the run. So a suite's teardown ends the programs first, with
# SIGTERM, while their terminal is still there, and waits for them.
tmux_end() {
    local sock sid p pids
    for sock in "$@"; do
        pids=()
        for sid in $(tmux -L "$sock" list-panes -a -F '#{pane_pid}' 2>/dev/null); do
            for p in $(pgrep -s "$sid" 2>/dev/null); do
                case $(ps -o comm= -p "$p" 2>/dev/null) in
                sh | dash | bash | sleep | "") ;; # the pane's shell goes with the server
                *) pids+=("$p") ;;
                esac
            done
        done
        if [ ${#pids[@]} -gt 0 ]; then
            kill -TERM "${pids[@]}" 2>/dev/null
            wait_ended 5 "${pids[@]}"
        fi
        tmux -L "$sock" kill-server 2>/dev/null
    done
}

# PID has ended: gone, or a zombie. A program in a pane is no child of
# the suite: once the pane's shell is gone, the exited program waits as a
# zombie of whichever process adopted it, for as long as that one takes to
# reap it (seconds, on some machines' init).
pid_ended() {
    local stat
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 0
    stat=${stat##*) }
    [ "${stat%% *}" = Z ]
}

wait_ended() { # SECONDS PID...
    local i p left tries=$(($1 * 10))
    shift
    for ((i = 0; i < tries; i++)); do
        left=()
        for p in "$@"; do pid_ended "$p" || left+=("$p"); done
        [ ${#left[@]} -eq 0 ] && return 0
        set -- "${left[@]}"
        sleep 0.1
    done
    kill -9 "$@" 2>/dev/null
    return 1
}
