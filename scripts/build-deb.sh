#!/bin/sh
# Builds the Debian package from a scratch copy of the tree (dpkg-buildpackage
# -us -uc -b writes to the parent directory: the copy's, never the repo's),
# checks what it holds, installs it with dpkg -i, runs the installed
# `wiretop --version`, and purges it again: the machine is left as found.
#   scripts/build-deb.sh [--head] [--build-only] [--keep DIR]
#     --head        package the last commit (git archive) instead of the work tree
#     --build-only  build and inspect, do not install
#     --keep DIR    copy the .deb into DIR
# DEB_BUILD_OPTIONS=nocheck skips the unit tests during the build.
set -eu
cd "$(dirname "$0")/.."
REPO=$PWD

head=0 install=1 keep=""
while [ $# -gt 0 ]; do
    case "$1" in
    --head) head=1 ;;
    --build-only) install=0 ;;
    --keep) keep=${2:?--keep needs a directory}; shift ;;
    *) sed -n '2,10s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
    esac
    shift
done

say() { echo "build-deb: $*"; }
die() { echo "build-deb: $*" >&2; exit 1; }

# -- tools --------------------------------------------------------------------
need=""
command -v dpkg-buildpackage >/dev/null 2>&1 || need="$need dpkg-dev"
command -v dh >/dev/null 2>&1 || need="$need debhelper"
command -v fakeroot >/dev/null 2>&1 || need="$need fakeroot"
if [ -n "$need" ]; then
    [ "$(id -u)" -eq 0 ] || die "missing packages:$need (sudo apt-get install -y$need)"
    say "installing build tools:$need"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends $need >/dev/null; } || die "could not install:$need"
fi
if [ "$install" -eq 1 ] && [ "$(id -u)" -ne 0 ]; then
    die "installing the package needs root (or use --build-only)"
fi

version=$(dpkg-parsechangelog -l debian/changelog -S Version)
arch=$(dpkg --print-architecture)
deb_name=wiretop_${version}_${arch}.deb
make_version=$(sed -n 's/^VERSION *:= *//p' Makefile)
[ "$version" = "$make_version" ] ||
    die "debian/changelog says $version but the Makefile says $make_version"

# -- scratch copy -------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/wiretop-deb.XXXXXX")
installed=0
cleanup() {
    if [ "$installed" -eq 1 ]; then
        dpkg --purge wiretop >/dev/null 2>&1 || echo "build-deb: could not purge wiretop" >&2
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

src=$work/wiretop-$version
mkdir "$src"
if [ "$head" -eq 1 ]; then
    git -C "$REPO" archive HEAD | tar -C "$src" -xf -
else
    tar -C "$REPO" --exclude=./.git --exclude=./build --exclude=./build-asan \
        --exclude=./build-fuzz --exclude=./logs --exclude=./.test-cache -cf - . | tar -C "$src" -xf -
fi
[ -f "$src/debian/control" ] || die "no debian/ in the copy (with --head: is it committed?)"

# -- build --------------------------------------------------------------------
(cd "$src" && dpkg-checkbuilddeps) ||
    die "install the missing build dependencies above (scripts/install-deps.sh installs them)"
say "building $deb_name in $work"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
    tail -40 "$work/build.log" >&2
    die "dpkg-buildpackage failed"
fi
deb=$work/$deb_name
[ -f "$deb" ] || die "dpkg-buildpackage made no $deb_name"

# -- what the package holds ---------------------------------------------------
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/wiretop ./usr/share/man/man1/wiretop.1.gz \
    ./usr/share/bash-completion/completions/wiretop ./usr/share/zsh/vendor-completions/_wiretop; do
    echo "$contents" | grep -q " $f\$" || die "$deb_name lacks $f"
done
depends=$(dpkg-deb -f "$deb" Depends)
for d in libpcap0.8 libcap2-bin; do
    echo "$depends" | grep -q "$d" || die "$deb_name does not depend on $d (Depends: $depends)"
done
dpkg-deb -I "$deb" postinst | grep -q 'setcap cap_net_raw,cap_net_admin' ||
    die "$deb_name has no postinst that sets capabilities"
say "contents and Depends ok ($depends)"
if [ -n "$keep" ]; then
    mkdir -p "$keep"
    cp "$deb" "$keep/"
    say "kept $keep/$deb_name"
fi
[ "$install" -eq 1 ] || exit 0

# -- install, run, remove -----------------------------------------------------
# One install at a time on this machine (make check runs this script; two
# runs at once would see each other's package), and never over a wiretop
# this script did not install.
exec 9>"${TMPDIR:-/tmp}/wiretop-build-deb.lock"
flock -w 300 9 || die "another build-deb.sh held its lock for 5 minutes"
if dpkg-query -W -f='${Status}' wiretop 2>/dev/null | grep -q 'ok installed'; then
    die "a wiretop package is installed already; remove it first or use --build-only"
fi
for f in /usr/bin/wiretop /usr/share/man/man1/wiretop.1.gz; do
    [ ! -e "$f" ] || die "$f exists already (make install PREFIX=/usr?); it would be replaced"
done
installed=1
dpkg -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; die "dpkg -i failed"; }
got=$(/usr/bin/wiretop --version) || die "the installed wiretop --version failed"
[ "$got" = "wiretop $version" ] || die "installed wiretop --version says '$got', want 'wiretop $version'"
say "installed /usr/bin/wiretop --version: $got"
if command -v getcap >/dev/null 2>&1; then
    caps=$(getcap /usr/bin/wiretop)
    echo "$caps" | grep -q cap_net_raw || die "postinst set no capabilities (getcap: '$caps')"
    say "capabilities: ${caps#* }"
fi
if command -v man >/dev/null 2>&1; then
    man -w wiretop >/dev/null 2>&1 || die "man cannot find the installed page"
fi

installed=0
dpkg --purge wiretop >/dev/null || die "dpkg --purge wiretop failed"
[ ! -e /usr/bin/wiretop ] || die "/usr/bin/wiretop is still there after purge"
if dpkg-query -W -f='${Status}' wiretop 2>/dev/null | grep -q 'ok installed'; then
    die "wiretop still installed after purge"
fi
say "purged; the machine is as it was"
