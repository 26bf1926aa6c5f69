#!/bin/sh
# Installs the Debian packages wiretop needs, when some are missing. As root
# it runs apt-get; otherwise it prints the apt-get command and exits 2.
#   scripts/install-deps.sh          build and run (`make run`)
#   scripts/install-deps.sh --test   also every tool the tests use (`make check`,
#                                    `make fuzz`: libFuzzer is libclang-rt-dev,
#                                    which clang only recommends)
set -eu
BUILD_PKGS="build-essential pkg-config libpcap-dev libncurses-dev libssl-dev libbpf-dev libelf-dev zlib1g-dev libseccomp-dev libc-ares-dev libmaxminddb-dev clang llvm bpftool"
TEST_PKGS="libclang-rt-dev libmaxmind-db-writer-perl ieee-data tmux tshark python3 python3-scapy iproute2 procps tcpreplay libndpi-bin man-db zsh dpkg-dev debhelper fakeroot libcap2-bin nfdump prometheus tcpdump curl systemd"
pkgs=$BUILD_PKGS need="build and run"
if [ "${1:-}" = "--test" ]; then
    pkgs="$BUILD_PKGS $TEST_PKGS" need="build and test"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-deps: not a Debian system; the packages to $need are: $pkgs" >&2
    exit 0
fi
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "wiretop needs these Debian packages to $need:$missing" >&2
    echo "install them with:  sudo apt-get install -y$missing" >&2
    exit 2
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
# wait for another apt-get or dpkg instead of failing at once
lock="-o DPkg::Lock::Timeout=600"
# shellcheck disable=SC2086
apt-get $lock update -qq
# shellcheck disable=SC2086
apt-get $lock install -y -qq --no-install-recommends $missing
