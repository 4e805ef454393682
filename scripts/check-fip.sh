#!/usr/bin/env bash
# Check that a TF-A fip carries our RMM image byte for byte.
set -u
fip=$1 img=$2 out=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fiptool=build/third_party/tf-a/tools/fiptool/fiptool
if "$fiptool" unpack --rmm-fw "$tmp/rmm.bin" "$fip" >/dev/null 2>&1 && cmp -s "$tmp/rmm.bin" "$img"; then
    echo "  [fvp-fip] PASS fip $(basename "$fip") carries rmm.img ($(stat -c %s "$img") bytes)"
    echo "1 passed, 0 failed" >"$out.result"
else
    echo "  [fvp-fip] FAIL fip does not carry rmm.img"
    echo "0 passed, 1 failed" >"$out.result"
fi
