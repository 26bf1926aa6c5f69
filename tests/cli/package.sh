#!/usr/bin/env bash
# Packaging: debian/ and the Dockerfile agree with the Makefile and
# scripts/install-deps.sh. With WIRETOP_TEST_DEB=1 it also runs
# scripts/build-deb.sh (build, dpkg -i, installed --version, purge; ~1 min).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

version=$(sed -n 's/^VERSION *:= *//p' Makefile)
if command -v dpkg-parsechangelog >/dev/null 2>&1; then
    deb_version=$(dpkg-parsechangelog -l debian/changelog -S Version)
    check "debian/changelog version $deb_version = Makefile $version" [ "$deb_version" = "$version" ]
else
    skip "dpkg-parsechangelog is not installed"
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

if [ "${WIRETOP_TEST_DEB:-0}" = 1 ]; then
    if scripts/build-deb.sh >"$TMP/deb.log" 2>&1; then ok; else
        fail "scripts/build-deb.sh:"$'\n'"$(tail -20 "$TMP/deb.log")"
    fi
else
    skip "scripts/build-deb.sh (set WIRETOP_TEST_DEB=1 to run it)"
fi

finish
