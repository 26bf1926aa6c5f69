# shellcheck shell=sh
# need.sh - sourced by a test suite (after it cd's to the top of the tree)
# to end it as one counted skip when it cannot run here: tests/run.sh adds
# up the "0 passed, 0 failed, 1 skipped" line, so a suite that could not run
# is reported as skipped, never as passed or failed. `make check` installs
# every tool named here (scripts/install-deps.sh --test).
#   need_tool TOOL...   "skip: TOOL not installed"
#   need_root WHAT      "skip: needs root (WHAT)"
#   skip_suite REASON   "skip: REASON"
# What the suite needs is here but does not work (namespaces cannot be made,
# a helper does not compile): that is a failure, never a skip.
#   fail_suite REASON   "FAIL: REASON", counted as one failure

skip_suite() {
    echo "skip: $*"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
}

fail_suite() {
    echo "FAIL: $*"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
}

need_tool() {
    for need_tool_name in "$@"; do
        command -v "$need_tool_name" >/dev/null 2>&1 || skip_suite "$need_tool_name not installed"
    done
}

need_root() {
    [ "$(id -u)" -eq 0 ] || skip_suite "needs root ($*)"
}
