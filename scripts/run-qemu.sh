#!/usr/bin/env bash
# Boot a flash image (stock TF-A + Atoll + NS test host) on QEMU and record
# the host's "N passed, N failed" line in <out>.result. Usage:
#   run-qemu.sh <flash.bin> <smp> <out-prefix> [extra qemu args...]
set -u
flash=$1 smp=$2 out=$3
shift 3
log=$out.log
timeout 300 qemu-system-aarch64 -M virt,virtualization=on,secure=on,gic-version=3,acpi=off \
    -cpu max,x-rme=on -m 2G -smp "$smp" -nographic -no-reboot -nic none -bios "$flash" "$@" \
    </dev/null >"$log" 2>&1
rc=$?
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
grep -E '^(PASS|FAIL) |check failed|FATAL|PANIC' "$log" | sed "s/^/  [$(basename "$out")] /"
line=$(grep -E '^host: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1 | sed 's/^host: //')
if [ -z "$line" ]; then
    echo "  [$(basename "$out")] no result line (qemu rc=$rc); last lines of $log:"
    tail -15 "$log" | sed 's/^/    /'
    line="0 passed, 1 failed"
fi
# The RMM's own boot checks, read from its console: the configuration must
# have been sealed read-only (kernel/config.c asks the MMU with AT S1E2W and
# panics otherwise, so a missing line means the boot did not get there).
if [ -n "$line" ]; then
    p=${line%% passed*} f=${line#*passed, }; f=${f%% failed*}
    if grep -q '^\[atoll\] MMU on (W^X, configuration read-only)' "$log"; then
        p=$((p + 1)); echo "PASS rmm_boot_config_read_only" | sed "s/^/  [$(basename "$out")] /"
    else
        f=$((f + 1)); echo "FAIL rmm_boot_config_read_only" | sed "s/^/  [$(basename "$out")] /"
    fi
    line="$p passed, $f failed"
fi
echo "$line" >"$out.result"
echo "  [$(basename "$out")] $line"
