#!/usr/bin/env bash
# Proves the service isolation check works: the real service objects pass it,
# and deliberate violations are refused — a service calling a kernel-internal
# function (link-level check) and a service including an arch or internal
# kernel header (compile-level check: those include paths are not given to
# services). Usage (variables from the Makefile):
#   CC LD OBJCOPY NM SVC_CFLAGS ALLOWED  test-isolation.sh <out-prefix> <svc objects...>
set -u
out=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "  [isolation] PASS $1"; pass=$((pass + 1)); }
ko() { echo "  [isolation] FAIL $1"; fail=$((fail + 1)); }

for o in "$@"; do
    if bash scripts/svc-isolation.sh "$(basename "$o" .o)" "$o" "$NM" $ALLOWED; then
        ok "real service $(basename "$o" .o) passes"
    else
        ko "real service $(basename "$o" .o) passes"
    fi
done

# 1. a service that calls into the kernel behind the interface's back
cat >"$tmp/bad.c" <<'C'
#include <stddef.h>
#include <stdint.h>
void gmem_zero(uint64_t pa, size_t off, size_t len);
int bad_handler(void);
int bad_handler(void)
{
	gmem_zero(0x80000000u, 0, 4096);	/* not in kernel/svc_api.h */
	return 0;
}
C
# shellcheck disable=SC2086
$CC $SVC_CFLAGS -c "$tmp/bad.c" -o "$tmp/bad.o" &&
    $LD -r -o "$tmp/bad_r.o" "$tmp/bad.o" &&
    $OBJCOPY --strip-unneeded --prefix-alloc-sections=.svc_bad "$tmp/bad_r.o" "$tmp/bad_svc.o"
if bash scripts/svc-isolation.sh bad "$tmp/bad_svc.o" "$NM" $ALLOWED 2>"$tmp/err"; then
    ko "a service calling gmem_zero() is refused"
elif grep -q "gmem_zero" "$tmp/err"; then
    ok "a service calling gmem_zero() is refused"
else
    ko "a service calling gmem_zero() is refused (wrong reason)"
fi

# 2. services cannot even include arch, platform or internal kernel headers
for h in arch/sysreg.h platform/console.h kernel/gmem.h kernel/config.h; do
    printf '#include <%s>\nint x(void);\nint x(void) { return 0; }\n' "$h" >"$tmp/inc.c"
    # shellcheck disable=SC2086
    if $CC $SVC_CFLAGS -c "$tmp/inc.c" -o "$tmp/inc.o" 2>/dev/null; then
        ko "a service including <$h> does not compile"
    else
        ok "a service including <$h> does not compile"
    fi
done
# ...while the allowed interface headers do
printf '#include <kernel/svc_api.h>\n#include <ipc/ipc.h>\nint x(void);\nint x(void) { return 0; }\n' >"$tmp/ok.c"
# shellcheck disable=SC2086
if $CC $SVC_CFLAGS -c "$tmp/ok.c" -o "$tmp/ok.o"; then ok "kernel/svc_api.h and ipc/ipc.h are usable"; else ko "kernel/svc_api.h and ipc/ipc.h are usable"; fi

echo "$pass passed, $fail failed" >"$out.result"
echo "  [isolation] $pass passed, $fail failed"
