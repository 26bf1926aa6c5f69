#!/usr/bin/env bash
# make install / uninstall honour PREFIX and DESTDIR and install the binary,
# the man page and both completions; make setcap grants the capabilities.
# The built binary is used as is (-o: make never rebuilds it here).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

mk() { make -s --no-print-directory BUILD="$BUILD" -o "$BUILD/wiretop" "$@" >"$TMP/make.log" 2>&1; }

FILES="bin/wiretop share/man/man1/wiretop.1 share/bash-completion/completions/wiretop
share/zsh/vendor-completions/_wiretop"

root=$TMP/root
check "make install PREFIX=/usr DESTDIR=... succeeds" mk install PREFIX=/usr DESTDIR="$root"
for f in $FILES; do
    check "installed /usr/$f" [ -f "$root/usr/$f" ]
done
check "binary mode 0755" [ "$(stat -c %a "$root/usr/bin/wiretop")" = 755 ]
check "man page mode 0644" [ "$(stat -c %a "$root/usr/share/man/man1/wiretop.1")" = 644 ]
check "nothing installed outside PREFIX" [ "$(find "$root" -mindepth 1 -maxdepth 1)" = "$root/usr" ]
check "installed binary runs" [ "$("$root/usr/bin/wiretop" --version)" = "$("$BIN" --version)" ]
if command -v man >/dev/null; then
    check "installed man page renders" bash -c "LC_ALL=C man -l '$root/usr/share/man/man1/wiretop.1' | grep -q '^SYNOPSIS'"
else
    skip "man not installed"
fi
check "installed bash completion works" bash -c ". '$root/usr/share/bash-completion/completions/wiretop'
    COMP_WORDS=(wiretop --log-l); COMP_CWORD=1; _wiretop; [ \"\${COMPREPLY[*]}\" = --log-level ]"

check "make uninstall succeeds" mk uninstall PREFIX=/usr DESTDIR="$root"
for f in $FILES; do
    check "uninstalled /usr/$f" [ ! -e "$root/usr/$f" ]
done

check "make install with the default PREFIX" mk install DESTDIR="$TMP/def"
check "default PREFIX is /usr/local" [ -x "$TMP/def/usr/local/bin/wiretop" ]
check "make uninstall with the default PREFIX" mk uninstall DESTDIR="$TMP/def"
check "default PREFIX uninstalled" [ ! -e "$TMP/def/usr/local/bin/wiretop" ]

# make setcap, on a copy of the binary in a scratch BUILD directory
if [ "$(id -u)" -ne 0 ]; then
    skip "make setcap needs root"
elif ! command -v setcap >/dev/null || ! command -v getcap >/dev/null; then
    skip "setcap, getcap not installed"
else
    mkdir "$TMP/b"
    cp "$BIN" "$TMP/b/wiretop"
    check "make setcap succeeds" make -s --no-print-directory BUILD="$TMP/b" -o "$TMP/b/wiretop" setcap
    caps=$(getcap "$TMP/b/wiretop")
    for c in cap_net_raw cap_net_admin cap_bpf cap_perfmon; do
        check "make setcap grants $c ($caps)" grep -q "$c" <<<"$caps"
    done
    check "make setcap grants them =eip" grep -q '=eip$' <<<"$caps"
fi

finish
