#!/usr/bin/env bash
# Run the service fuzzer (tests/fuzz/fuzz.mk).
#
#   run.sh test <bin> <fuzz-out> <test-out> <seconds> <max-len> [libFuzzer args...]
#       a short run from tests/fuzz/corpus (new inputs go to a scratch corpus),
#       then a replay of every input under tests/fuzz/crashers/; writes
#       "N passed, N failed" to <test-out>/fuzz.result (the run is one test,
#       each crasher one more: a crasher fails while its bug exists)
#   run.sh long <bin> <fuzz-out> <test-out> <seconds> <max-len> [libFuzzer args...]
#       a long run; the corpus grows in <fuzz-out>/corpus, findings go to
#       <fuzz-out>/artifacts/
#
# Prints libFuzzer's final numbers: executions, execs/s, cov: and ft:.
set -u
mode=$1 bin=$2 out=$3 tout=$4 secs=$5 maxlen=$6
shift 6
here=$(dirname "$0")
seeds=$here/corpus
crashers=$here/crashers

# Final statistics of a libFuzzer log, and the first sign of trouble.
summary() {
    local log=$1 tag=$2 last runs eps
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    echo "  [$tag] executions ${runs:-?}, execs/s ${eps:-?}"
    [ -n "$last" ] && echo "  [$tag] $(echo "$last" | sed -E 's/^(#[0-9]+)[[:space:]]+/\1 /')"
    grep -m1 -E 'INVARIANT VIOLATION|ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error:|fake_kernel: ' "$log" \
        | sed "s/^/  [$tag] /"
}

run_fuzzer() {
    local corpus=$1 log=$2
    shift 2
    mkdir -p "$corpus" "$out/artifacts"
    "$bin" -max_total_time="$secs" -max_len="$maxlen" -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$out/artifacts/" "$@" "$corpus" "$seeds" >"$log" 2>&1
}

case $mode in
test)
    pass=0 fail=0
    rm -rf "$out/corpus-test"
    run_fuzzer "$out/corpus-test" "$tout/fuzz.log" "$@"
    rc=$?
    summary "$tout/fuzz.log" fuzz
    if [ "$rc" -eq 0 ]; then pass=$((pass + 1)); else
        echo "  [fuzz] FAILED (exit $rc): reproducer in $out/artifacts/, log $tout/fuzz.log"
        fail=$((fail + 1))
    fi
    for f in "$crashers"/*; do
        [ -f "$f" ] || continue
        case $f in *.md|*.txt) continue ;; esac
        name=$(basename "$f")
        "$bin" "$f" >"$tout/fuzz-crasher.$name.log" 2>&1
        if [ $? -eq 0 ]; then
            echo "  [fuzz] crasher $name: passes"
            pass=$((pass + 1))
        else
            echo "  [fuzz] crasher $name: FAILS"
            grep -m1 -E 'INVARIANT VIOLATION|ERROR: |runtime error:|fake_kernel: ' \
                "$tout/fuzz-crasher.$name.log" | sed 's/^/  [fuzz]   /'
            fail=$((fail + 1))
        fi
    done
    echo "  [fuzz] $pass passed, $fail failed"
    echo "$pass passed, $fail failed" >"$tout/fuzz.result"
    [ "$fail" -eq 0 ]
    ;;
long)
    mkdir -p "$tout"
    run_fuzzer "$out/corpus" "$out/fuzz-long.log" "$@"
    rc=$?
    summary "$out/fuzz-long.log" fuzz
    echo "  [fuzz] corpus $out/corpus ($(ls "$out/corpus" | wc -l) inputs), log $out/fuzz-long.log"
    [ "$rc" -eq 0 ] || echo "  [fuzz] FAILED (exit $rc): reproducer in $out/artifacts/"
    exit "$rc"
    ;;
*)
    echo "usage: $0 test|long <bin> <fuzz-out> <test-out> <seconds> <max-len> [args...]" >&2
    exit 2
    ;;
esac
