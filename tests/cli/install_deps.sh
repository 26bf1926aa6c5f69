#!/usr/bin/env bash
# scripts/install-deps.sh, the first step of `make run` and `make check`,
# on a machine that misses packages (a dpkg-query of our own says which):
# as a normal user it installs nothing and stops with the exact
# `sudo apt-get install ...` line and status 2, and `make check` and
# `make run` stop there before compiling; as root it hands apt-get exactly
# the missing packages (an apt-get of our own records them).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# A directory every user can read (the tree may sit under a private /root):
# what `make check` reads before it compiles, the fake dpkg-query and
# apt-get, and a build directory that must stay empty.
PUB=$(mktemp -d "${TMPDIR:-/tmp}/wiretop_deps.XXXXXX")
trap 'rm -rf "$TMP" "$PUB"' EXIT
chmod 755 "$PUB"
mkdir -m 777 "$PUB/build" && mkdir "$PUB/tree"
cp -r Makefile scripts src "$PUB/tree/" && chmod -R a+rX "$PUB/tree"
TOP=$PUB/tree
MISSING="libpcap-dev tmux"
cat >"$PUB/dpkg-query" <<EOF
#!/bin/sh
for p in "\$@"; do :; done # the package is the last argument
case " $MISSING " in *" \$p "*) exit 1 ;; esac
printf 'install ok installed'
EOF
cat >"$PUB/apt-get" <<EOF
#!/bin/sh
echo "\$*" >>"$PUB/apt-get.calls"
EOF
printf '#!/bin/sh\ncat >/dev/null\n' >"$PUB/debconf-set-selections"
chmod 755 "$PUB/dpkg-query" "$PUB/apt-get" "$PUB/debconf-set-selections"
FAKE_PATH=$PUB:$PATH

# as_user COMMAND...: as a normal user (nobody when we are root), with the
# fake tools first on PATH; sets RC, OUT, ERR
as_user() {
    local who=()
    if [ "$(id -u)" -eq 0 ]; then
        command -v setpriv >/dev/null || { RC=skip; return; }
        who=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
    (cd "$PUB" && timeout 60 "${who[@]}" env PATH="$FAKE_PATH" "$@") >"$PUB/out" 2>"$PUB/err"
    RC=$?
    OUT=$(cat "$PUB/out") ERR=$(cat "$PUB/err")
}

as_user "$TOP/scripts/install-deps.sh"
if [ "$RC" = skip ]; then
    skip "setpriv not installed (as a normal user)"
else
    check "as a user, build packages missing: status 2 (got $RC)" [ "$RC" = 2 ]
    check "as a user, build packages missing: names them ($ERR)" \
        grep -qx 'wiretop needs these Debian packages to build and run: libpcap-dev' <<<"$ERR"
    check "as a user, build packages missing: the exact command" \
        grep -qx 'install them with:  sudo apt-get install -y libpcap-dev' <<<"$ERR"
    check "as a user: apt-get is not run" [ ! -e "$PUB/apt-get.calls" ]

    as_user "$TOP/scripts/install-deps.sh" --test
    check "as a user, test packages missing: status 2 (got $RC)" [ "$RC" = 2 ]
    check "as a user, test packages missing: the exact command ($ERR)" \
        grep -qx 'install them with:  sudo apt-get install -y libpcap-dev tmux' <<<"$ERR"

    # make check stops at the packages: status 2 from make, nothing compiled
    as_user make --no-print-directory -C "$TOP" BUILD="$PUB/build" check
    check "as a user, make check: status 2 (got $RC)" [ "$RC" = 2 ]
    check "as a user, make check: the exact command ($ERR)" \
        grep -qx 'install them with:  sudo apt-get install -y libpcap-dev tmux' <<<"$ERR"
    check "as a user, make check: stops before compiling ($OUT)" \
        [ -z "$(ls -A "$PUB/build")" ] && ! grep -q -- '-c -o' <<<"$OUT"

    # make run stops the same way, at the build packages
    as_user make --no-print-directory -C "$TOP" BUILD="$PUB/build" run
    check "as a user, make run: status 2 (got $RC)" [ "$RC" = 2 ]
    check "as a user, make run: the exact command ($ERR)" \
        grep -qx 'install them with:  sudo apt-get install -y libpcap-dev' <<<"$ERR"
    check "as a user, make run: stops before compiling ($OUT)" \
        [ -z "$(ls -A "$PUB/build")" ] && ! grep -q -- '-c -o' <<<"$OUT"
    check "as a user: apt-get is still not run" [ ! -e "$PUB/apt-get.calls" ]
fi

if [ "$(id -u)" -ne 0 ]; then
    skip "install-deps.sh as root (needs root)"
else
    (cd "$PUB" && PATH="$FAKE_PATH" timeout 60 "$TOP/scripts/install-deps.sh" --test) >"$PUB/out" 2>&1
    RC=$?
    check "as root: status 0 (got $RC: $(cat "$PUB/out"))" [ "$RC" = 0 ]
    check "as root: apt-get installs exactly the missing packages ($(cat "$PUB/apt-get.calls"))" \
        grep -qE "install -y .*--no-install-recommends libpcap-dev tmux$" "$PUB/apt-get.calls"
fi

finish
