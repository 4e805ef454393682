#!/usr/bin/env bash
# Run CMocka test binaries (TAP output) and record "N passed, N failed".
set -u
out=$1
shift
pass=0 fail=0
for t in "$@"; do
    name=$(basename "$t")
    CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$out.$name.tap" 2>&1
    rc=$?
    p=$(grep -c '^ok [0-9]' "$out.$name.tap")
    f=$(grep -c '^not ok [0-9]' "$out.$name.tap")
    grep -E '^not ok|^# .*(error|Failure|exception)|ERROR: |runtime error' "$out.$name.tap" | sed "s/^/  [$name] /"
    # a crash (e.g. a sanitizer report) without a TAP failure still fails the suite
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    echo "  [$name] $p passed, $f failed"
    pass=$((pass + p)) fail=$((fail + f))
done
echo "$pass passed, $fail failed" >"$out.result"
