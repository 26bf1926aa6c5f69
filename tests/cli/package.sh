#!/usr/bin/env bash
# Packaging: debian/ and the Dockerfile agree with the Makefile and
# scripts/install-deps.sh, and scripts/build-deb.sh builds the package and
# checks what it holds; as root it also installs it, runs the installed
# --version and purges it (~30 s). WIRETOP_TEST_DEB=0 leaves the package out.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

version=$(sed -n 's/^VERSION *:= *//p' Makefile)
if command -v dpkg-parsechangelog >/dev/null 2>&1; then
    deb_version=$(dpkg-parsechangelog -l debian/changelog -S Version)
    check "debian/changelog version $deb_version = Makefile $version" [ "$deb_version" = "$version" ]
else
    skip "dpkg-parsechangelog not installed"
fi
check "source format 3.0 (native)" grep -qx '3.0 (native)' debian/source/format
check "debian/rules is executable" [ -x debian/rules ]
check "debian/postinst is executable" [ -x debian/postinst ]
check "debian/postinst parses" sh -n debian/postinst
check "postinst sets the capabilities" \
    grep -q 'setcap cap_net_raw,cap_net_admin,cap_bpf,cap_perfmon=eip' debian/postinst
check "postinst keeps the debhelper token" grep -qx '#DEBHELPER#' debian/postinst
check "rules install with PREFIX=/usr" grep -q 'PREFIX=/usr' debian/rules

# Build-Depends: every build package of install-deps.sh that the build uses
build_pkgs=$(sed -n 's/^BUILD_PKGS="\(.*\)"/\1/p' scripts/install-deps.sh)
check "install-deps.sh lists build packages" [ -n "$build_pkgs" ]
control=$(tr '\n' ' ' <debian/control)
for p in $build_pkgs; do
    case $p in build-essential | llvm) continue ;; esac # implied / not used by the build
    check "Build-Depends has $p" grep -qE "Build-Depends:.*[ ,]$p([ ,<(]|\$)" <<<"$control"
done
check "Build-Depends: debhelper-compat 13" grep -q 'debhelper-compat (= 13)' debian/control
check "Depends: shlibs, misc, libcap2-bin" \
    grep -qE '^Depends: \$\{shlibs:Depends\}, \$\{misc:Depends\}, libcap2-bin' debian/control

# Dockerfile: builds with the Makefile, installs, runs the binary
check "Dockerfile builds with make" grep -q 'make .*install PREFIX=/usr DESTDIR=' Dockerfile
check "Dockerfile entry point is wiretop" grep -q '^ENTRYPOINT \["/usr/bin/wiretop"\]' Dockerfile
check "Dockerfile documents the capabilities" \
    grep -q -- '--cap-add=NET_RAW --cap-add=NET_ADMIN' Dockerfile
check "Dockerfile documents --net=host" grep -q -- '--net=host' Dockerfile
check ".dockerignore keeps build output out" grep -qx 'build' .dockerignore

deb() { # ARGS...: scripts/build-deb.sh, without the unit tests (make check runs them)
    if DEB_BUILD_OPTIONS="nocheck parallel=2" scripts/build-deb.sh "$@" >"$TMP/deb.log" 2>&1; then ok; else
        fail "scripts/build-deb.sh $*:"$'\n'"$(tail -20 "$TMP/deb.log")"
    fi
}
if [ "${WIRETOP_TEST_DEB:-1}" = 0 ]; then
    skip "scripts/build-deb.sh (WIRETOP_TEST_DEB=0)"
elif ! command -v dpkg-buildpackage >/dev/null || ! command -v dh >/dev/null ||
    ! command -v fakeroot >/dev/null; then
    skip "dpkg-buildpackage, dh, fakeroot not installed"
elif [ "$(id -u)" -ne 0 ]; then
    deb --build-only
    skip "installing the .deb needs root"
elif dpkg-query -W -f='${Status}' wiretop 2>/dev/null | grep -q 'ok installed'; then
    deb --build-only
    skip "installing the .deb: a wiretop package is installed already"
else
    deb
fi

finish
