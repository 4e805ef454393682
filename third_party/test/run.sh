#!/usr/bin/env bash
# Checks of the third-party build glue (third_party/*.mk, mbedtls_config.h):
#   host:     CMocka test against MBEDTLS_HOST_LIB + TINYCBOR_HOST_LIB
#   firmware: freestanding AArch64 link of both libraries + picolibc
#             (no unresolved symbols, no stdio/time/entropy/exit/malloc,
#             no FP/SIMD register anywhere), with a size report, and
#             known answers computed by the firmware libraries under QEMU
#             (semihosting), with a negative control.
# Usage: third_party/test/run.sh [RESULT_PREFIX]
#   Ends with "N passed, N failed"; with RESULT_PREFIX also writes that line
#   to RESULT_PREFIX.result (the convention of scripts/summary.py).
#   PLATFORM, CROSS_COMPILE, THIRD_PARTY_SANITIZE are passed on to make.
set -u
cd "$(dirname "$0")/../.." || exit 1

prefix=${1:-}
PLATFORM=${PLATFORM:-qemu}
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
OUT=build/$PLATFORM
HOST_BIN=build/host/tp-test/test_third_party
FW_ELF=$OUT/tp-test/fw_link.elf
KAT_ELF=$OUT/tp-test/fw_kat.elf
KAT_NEG_ELF=$OUT/tp-test/fw_kat_neg.elf
MBEDTLS_LIB=$OUT/mbedtls/libmbedcrypto.a
TINYCBOR_LIB=$OUT/tinycbor/libtinycbor.a
LOG=build/tp-test
mkdir -p "$LOG"

pass=0 fail=0
ok()  { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }

finish() {
    echo "$pass passed, $fail failed"
    [ -n "$prefix" ] && echo "$pass passed, $fail failed" >"$prefix.result"
    [ "$fail" -eq 0 ]
    exit
}

# ---- build -------------------------------------------------------------
export PLATFORM CROSS_COMPILE
if ! make --no-print-directory -j2 -f Makefile -f third_party/mbedtls.mk -f third_party/tinycbor.mk \
        -f third_party/test/test.mk "$HOST_BIN" "$FW_ELF" "$KAT_ELF" "$KAT_NEG_ELF" >"$LOG/build.log" 2>&1; then
    tail -40 "$LOG/build.log"
fi
if grep -qE 'warning:' "$LOG/build.log"; then
    echo "# build warnings:"; grep -E 'warning:' "$LOG/build.log" | sort -u | sed 's/^/#   /'
fi

# ---- host test (CMocka, TAP) ------------------------------------------------
if [ -x "$HOST_BIN" ]; then
    CMOCKA_MESSAGE_OUTPUT=TAP "$HOST_BIN" >"$LOG/host.tap" 2>&1
    rc=$?
    grep -E '^(ok|not ok) [0-9]|^# mbedTLS heap|^# .*(error|Failure)|ERROR: |runtime error' "$LOG/host.tap"
    p=$(grep -c '^ok [0-9]' "$LOG/host.tap")
    f=$(grep -c '^not ok [0-9]' "$LOG/host.tap")
    # a crash (e.g. a sanitizer report) without a TAP failure still fails
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL - host test exited $rc"; fi
    [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && f=1
    pass=$((pass + p)) fail=$((fail + f))
else
    bad "host test did not build (see $LOG/build.log)"
fi

# ---- firmware libraries under QEMU (known answers) ------------------------
# Exit status = bitmask of failed checks (see fw_kat.c); 0x0b expected from
# the negative control (SHA-256, SHA-512 and RFC 6979 signature mismatches).
run_kat() {
    timeout 120 qemu-system-aarch64 -M virt -cpu cortex-a57 -m 128M -nographic -monitor none \
        -serial none -nic none -semihosting -kernel "$1" >"$LOG/$(basename "$1").log" 2>&1
}
if ! command -v qemu-system-aarch64 >/dev/null; then
    bad "qemu-system-aarch64 not installed: firmware known-answer run skipped"
elif [ ! -f "$KAT_ELF" ] || [ ! -f "$KAT_NEG_ELF" ]; then
    bad "firmware known-answer images did not build (see $LOG/build.log)"
else
    run_kat "$KAT_ELF"; rc=$?
    if [ "$rc" -eq 0 ]; then
        ok "firmware libraries under QEMU: SHA-256/512, P-384 public key, RFC 6979 signature, verify, tamper, CBOR, heap"
    else
        bad "firmware libraries under QEMU: failed-check mask 0x$(printf %02x "$rc")"
    fi
    run_kat "$KAT_NEG_ELF"; rc=$?
    if [ "$rc" -eq 11 ]; then
        ok "firmware known-answer harness reports wrong answers (negative control, mask 0x0b)"
    else
        bad "negative control: expected mask 0x0b, got 0x$(printf %02x "$rc")"
    fi
fi

# ---- firmware link check ------------------------------------------------
if [ ! -f "$FW_ELF" ]; then
    bad "firmware link check: $FW_ELF did not link (see $LOG/build.log)"
    finish
fi
ok "firmware link: libmbedcrypto.a + libtinycbor.a + picolibc link with --no-undefined"

NM=${CROSS_COMPILE}nm OBJDUMP=${CROSS_COMPILE}objdump SIZE=${CROSS_COMPILE}size

# Nothing from stdio, time, entropy, process exit or the libc heap.
forbidden='^(printf|fprintf|vfprintf|sprintf|snprintf|vsnprintf|puts|putchar|fputc|fputs|fwrite|fflush|setbuf|stdin|stdout|stderr|__iob|fopen|fclose|open|read|write|time|gettimeofday|clock_gettime|clock|getrandom|getentropy|exit|_exit|abort|atexit|__assert_func|__assert|malloc|calloc|realloc|free)$'
found=$("$NM" "$FW_ELF" | awk '{print $NF}' | grep -E "$forbidden" | tr '\n' ' ')
if [ -z "$found" ]; then
    ok "firmware link: no stdio/time/entropy/exit/libc-heap symbols"
else
    bad "firmware link pulls in: $found"
fi

# FP/SIMD use: any b/h/s/d/q/v/z register (or FPCR/FPSR) in an operand.
# Only operands are looked at (no raw opcodes, no "addr <symbol>" branch
# targets, no comments).
simd_scan() {
    "$OBJDUMP" -d --no-show-raw-insn "$@" 2>/dev/null | awk -F'\t' '
        /^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn); next }
        NF >= 3 {
            ops = $3
            sub(/\/\/.*/, "", ops); gsub(/[0-9a-f]* *<[^>]*>/, "", ops); ops = tolower(ops)
            if (ops ~ /(^|[^a-z0-9_.])[bhsdqvz][0-9][0-9]?([^a-z0-9_]|$)/ || ops ~ /(^|[^a-z0-9_])fp(cr|sr)([^a-z0-9_]|$)/)
                printf "%s: %s %s\n", fn, $2, $3
        }'
}
# positive control: the scanner must see FP code when there is some
ctl=$LOG/simd-control.o
printf 'double f(double a, double b) { return a * b + 1.0; }\n' |
    "${CROSS_COMPILE}gcc" -O2 -x c -c - -o "$ctl" 2>/dev/null
if [ -n "$(simd_scan "$ctl")" ]; then
    ok "FP/SIMD scanner detects FP code (control object)"
else
    bad "FP/SIMD scanner missed FP code in the control object"
fi
hits=$(simd_scan "$MBEDTLS_LIB" "$TINYCBOR_LIB")
if [ -z "$hits" ]; then
    ok "no FP/SIMD register use in libmbedcrypto.a / libtinycbor.a (all members)"
else
    bad "FP/SIMD register use in the firmware libraries:"; echo "$hits" | head -20
fi
hits=$(simd_scan "$FW_ELF")
if [ -z "$hits" ]; then
    ok "no FP/SIMD register use in the linked image ($(basename "$FW_ELF"))"
else
    bad "FP/SIMD register use in the linked image:"; echo "$hits" | head -20
fi

# ---- size report ------------------------------------------------------------
"$SIZE" "$FW_ELF" | tail -1 | awk '{printf "# fw_link.elf: text %d, data %d, bss %d (whole image)\n", $1, $2, $3}'
python3 - "${FW_ELF%.elf}.map" <<'EOF'
import re, sys
sizes = {}
name = None
active = False
for line in open(sys.argv[1]):
    if line.startswith("Linker script and memory map"):
        active = True
        continue
    if not active:
        continue
    m = re.match(r"^ (\.\S+)\s*$", line)
    if m:
        name = m.group(1)
        continue
    m = re.match(r"^ (\.\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)
    if not m:
        name = None
        continue
    sec = m.group(1) or name
    name = None
    if sec is None:
        continue
    size, src = int(m.group(3), 16), m.group(4)
    kind = next((k for k in ("text", "rodata", "data", "bss") if sec.startswith("." + k)), None)
    if kind is None or size == 0:
        continue
    owner = ("mbedtls" if "libmbedcrypto.a" in src else "tinycbor" if "libtinycbor.a" in src
             else "picolibc" if "libc.a" in src else "libgcc" if "libgcc.a" in src else "test")
    sizes.setdefault(owner, {}).setdefault(kind, 0)
    sizes[owner][kind] += size
for owner in ("mbedtls", "tinycbor", "picolibc", "libgcc", "test"):
    s = sizes.get(owner, {})
    print("# %-9s text %6d  rodata %5d  data %4d  bss %6d" %
          (owner, s.get("text", 0), s.get("rodata", 0), s.get("data", 0), s.get("bss", 0)))
EOF

finish
