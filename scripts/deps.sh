#!/usr/bin/env bash
# Install everything Atoll needs from Debian's registry. Idempotent.
# Reuses the system's configured Debian URI; never names a mirror host.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
TP="$TOP/build/third_party"
SRC_LIST=/etc/apt/sources.list.d/atoll-extra.sources

# Pinned versions (Debian source packages from trixie, qemu from bookworm-backports).
TFA_SRC=arm-trusted-firmware
TFA_VER=2.12.1+dfsg-1
MBEDTLS_SRC=mbedtls
MBEDTLS_VER=3.6.6-0.1~deb13u1
CBOR_SRC=tinycbor
CBOR_VER=0.6.1-1
QEMU_MIN_MAJOR=10

PKGS=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu picolibc-aarch64-linux-gnu
      libcmocka-dev pkg-config device-tree-compiler python3-cbor2 python3-cryptography
      python3-clang-14 libclang-14-dev clang-14 cppcheck clang-tidy xz-utils dpkg-dev
      make gcc valgrind libclang-rt-14-dev gcovr)

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

die() { echo "deps: ERROR: $*" >&2; exit 1; }

debian_uri() {
    local f=/etc/apt/sources.list.d/debian.sources
    if [ -f "$f" ]; then
        # URI and Signed-By of the first stanza whose suites include bookworm
        awk 'BEGIN{RS="";FS="\n"} /Suites:[^\n]*bookworm( |$|\n)/ {print; exit}' "$f"
        return
    fi
    awk '/^deb[ \t]/ {print "URIs: " $2; exit}' /etc/apt/sources.list
}

write_sources() {
    local stanza uri sb
    stanza=$(debian_uri)
    uri=$(printf '%s\n' "$stanza" | sed -n 's/^URIs:[ \t]*\([^ \t]*\).*/\1/p' | head -1)
    sb=$(printf '%s\n' "$stanza" | sed -n 's/^Signed-By:[ \t]*//p' | head -1)
    [ -n "$uri" ] || die "no Debian URI found in /etc/apt/sources.list(.d)"
    [ -n "$sb" ] || sb=/usr/share/keyrings/debian-archive-keyring.gpg
    local want
    want=$(printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n\nTypes: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: %s\n' "$uri" "$sb" "$uri" "$sb")
    if [ ! -f "$SRC_LIST" ] || [ "$(cat "$SRC_LIST")" != "$want" ]; then
        printf '%s\n' "$want" | $SUDO tee "$SRC_LIST" >/dev/null
        # Never install binaries from trixie: pin it away (sources only anyway).
        return 0
    fi
    return 1
}

have_all_pkgs() {
    local p
    for p in "${PKGS[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || return 1
    done
    qemu_ok
}

qemu_ok() {
    command -v qemu-system-aarch64 >/dev/null || return 1
    local v
    v=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -1)
    [ "${v:-0}" -ge "$QEMU_MIN_MAJOR" ]
}

updated=0
apt_update() { [ $updated = 1 ] || { $SUDO apt-get update -qq || die "apt-get update failed"; updated=1; }; }

if write_sources; then apt_update; fi

if ! have_all_pkgs; then
    apt_update
    for p in "${PKGS[@]}"; do
        apt-cache show "$p" >/dev/null 2>&1 || die "package '$p' is not available from the configured Debian archive"
    done
    $SUDO apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null || die "apt-get install failed"
    if ! qemu_ok; then
        [[ "$(apt-cache policy qemu-system-arm)" == *bookworm-backports* ]] || die "qemu-system-arm (>= ${QEMU_MIN_MAJOR}) from bookworm-backports not available"
        $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports qemu-system-arm >/dev/null \
            || die "installing qemu-system-arm from bookworm-backports failed"
        qemu_ok || die "qemu-system-aarch64 >= ${QEMU_MIN_MAJOR} required"
    fi
fi

# Fetch and unpack a pinned Debian source package under build/third_party/<dir>.
# The upstream tarball is checked against a pinned SHA-256 (some archive
# front-ends serve the .orig tarball but not the .dsc, so apt-get source may
# report an error after the tarball we need has arrived).
fetch_src() {
    local name=$1 ver=$2 dir=$3 sha=$4
    local up=${ver%-*}
    local stamp="$TP/.$name-$ver.stamp"
    [ -f "$stamp" ] && [ -d "$TP/$dir" ] && return 0
    mkdir -p "$TP/dl"
    local orig
    orig=$(ls "$TP/dl"/${name}_${up}.orig.tar.* 2>/dev/null | head -1 || true)
    if [ -z "$orig" ]; then
        apt_update
        ( cd "$TP/dl" && apt-get source -qq --download-only "$name=$ver" >/dev/null 2>&1 ) || true
        orig=$(ls "$TP/dl"/${name}_${up}.orig.tar.* 2>/dev/null | head -1 || true)
        [ -n "$orig" ] || die "Debian source package $name=$ver not available (pinned version gone?)"
    fi
    echo "$sha  $orig" | sha256sum -c --quiet - || die "$orig does not match the pinned SHA-256"
    rm -rf "$TP/$dir" "$TP/.unpack"
    mkdir -p "$TP/.unpack"
    tar -xf "$orig" -C "$TP/.unpack"
    mv "$TP/.unpack"/* "$TP/$dir"
    rm -rf "$TP/.unpack"
    touch "$stamp"
    echo "deps: unpacked $name $ver into build/third_party/$dir"
}

fetch_src "$TFA_SRC" "$TFA_VER" tf-a 332c08d71867b7f0dce0bce4cb2abd80f19cb3e0a2de6fe07245c111189d6fb7
fetch_src "$MBEDTLS_SRC" "$MBEDTLS_VER" mbedtls 8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a
fetch_src "$CBOR_SRC" "$CBOR_VER" tinycbor 0f9944496d1143935e9c996bc6233ca0dd5451299def33ef400a409942f8f34b
echo "deps: ok"
