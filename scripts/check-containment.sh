#!/usr/bin/env bash
# The RMM's own account of the containment tests (tests/nshost/test_containment.c,
# test_zz_quarantine.c) in a console log: the attestation service stopped once
# per misbehaviour, in order, with the reason the kernel saw, and restarted
# before each next message; the realm service stopped once and stayed stopped.
# Adds its checks to <out>.result. Usage: check-containment.sh <out-prefix>
set -u
out=$1 log=$1.log
want="fault fault malformed_reply malformed_reply bad_system_call fault over_its_budget fault"
got=$(grep -o 'service attest stopped: [a-z ]*' "$log" | sed 's/^service attest stopped: //; s/ /_/g' | tr '\n' ' ' | sed 's/ $//')
restarts=$(grep -c 'service attest restarted from its boot snapshot' "$log")
realm=$(grep -o 'service realm stopped: [a-z ]*' "$log" | sed 's/^service realm stopped: //; s/ /_/g' | tr '\n' ' ' | sed 's/ $//')
granule=$(grep -c 'service granule stopped' "$log")
realm_restarts=$(grep -c 'service realm restarted' "$log")
line=$(cat "$out.result" 2>/dev/null || echo "0 passed, 1 failed")
p=${line%% passed*} f=${line#*passed, }; f=${f%% failed*}
check() {
    if [ "$1" = ok ]; then p=$((p + 1)); echo "  [$(basename "$out")] PASS $2"
    else f=$((f + 1)); echo "  [$(basename "$out")] FAIL $2 ($3)"; fi
}
[ "$got" = "$want" ] && r=ok || r=bad
check $r "rmm_logs_each_stop_with_its_reason" "got: $got"
[ "$restarts" -eq 8 ] && r=ok || r=bad
check $r "rmm_restarts_attest_after_each_stop" "restarts: $restarts"
grep -q 'service attest stopped: fault, ESR 0x0000000092' "$log" && r=ok || r=bad
check $r "rmm_logs_the_data_abort_syndrome_and_address" "no EL0 data abort logged"
[ "$realm" = fault ] && [ "$realm_restarts" -eq 0 ] && r=ok || r=bad
check $r "rmm_stops_realm_once_and_never_restarts_it" "realm stops: '$realm', restarts: $realm_restarts"
[ "$granule" -eq 0 ] && r=ok || r=bad
check $r "granule_service_never_stopped" "$granule stops"
echo "$p passed, $f failed" >"$out.result"
echo "  [$(basename "$out")] $p passed, $f failed"
