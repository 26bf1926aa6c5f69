#!/bin/sh
# Installs the Debian packages wiretop needs to build and test, when some
# are missing. As root it runs apt-get; otherwise it prints the command.
#   scripts/install-deps.sh          build and run
#   scripts/install-deps.sh --test   also what `make check` and the benchmarks use
set -eu
BUILD_PKGS="build-essential pkg-config libpcap-dev libncurses-dev libssl-dev libbpf-dev libelf-dev zlib1g-dev libseccomp-dev clang llvm bpftool"
TEST_PKGS="tmux tshark python3 python3-scapy iproute2 tcpreplay libndpi-bin man-db dpkg-dev debhelper fakeroot libcap2-bin"
pkgs=$BUILD_PKGS
[ "${1:-}" = "--test" ] && pkgs="$BUILD_PKGS $TEST_PKGS"

missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "wiretop needs these Debian packages:$missing" >&2
    echo "install them with:  sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
