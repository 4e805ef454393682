#!/usr/bin/env bash
# Run a fuzzer (tests/fuzz/fuzz.mk: the services; tests/fuzz/fuzz_rmi.mk: the whole monitor).
#
#   run.sh test <bin> <fuzz-out> <test-out> <seconds> <max-len> [libFuzzer args...]
#       a short run from tests/fuzz/corpus (new inputs go to a scratch corpus),
#       then a replay of every input under tests/fuzz/crashers/; writes
#       "N passed, N failed" to <test-out>/$FUZZ_TAG.result (the run is one test,
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
# FUZZ_TAG names the suite (fuzz: the service fuzzer; fuzz-rmi: the whole-monitor one),
# FUZZ_SEEDS and FUZZ_CRASHERS its seed corpus and regression inputs.
tag=${FUZZ_TAG:-fuzz}
seeds=${FUZZ_SEEDS:-$here/corpus}
crashers=${FUZZ_CRASHERS:-$here/crashers}

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
    run_fuzzer "$out/corpus-test" "$tout/$tag.log" "$@"
    rc=$?
    summary "$tout/$tag.log" "$tag"
    if [ "$rc" -eq 0 ]; then pass=$((pass + 1)); else
        echo "  [$tag] FAILED (exit $rc): reproducer in $out/artifacts/, log $tout/$tag.log"
        fail=$((fail + 1))
    fi
    for f in "$crashers"/*; do
        [ -f "$f" ] || continue
        case $f in *.md|*.txt) continue ;; esac
        name=$(basename "$f")
        "$bin" "$f" >"$tout/$tag-crasher.$name.log" 2>&1
        if [ $? -eq 0 ]; then
            echo "  [$tag] crasher $name: passes"
            pass=$((pass + 1))
        else
            echo "  [$tag] crasher $name: FAILS"
            grep -m1 -E 'INVARIANT VIOLATION|ERROR: |runtime error:|fake_kernel: ' \
                "$tout/$tag-crasher.$name.log" | sed 's/^/  [$tag]   /'
            fail=$((fail + 1))
        fi
    done
    echo "  [$tag] $pass passed, $fail failed"
    echo "$pass passed, $fail failed" >"$tout/$tag.result"
    [ "$fail" -eq 0 ]
    ;;
long)
    mkdir -p "$tout"
    run_fuzzer "$out/corpus" "$out/fuzz-long.log" "$@"
    rc=$?
    summary "$out/fuzz-long.log" "$tag"
    echo "  [$tag] corpus $out/corpus ($(ls "$out/corpus" | wc -l) inputs), log $out/fuzz-long.log"
    [ "$rc" -eq 0 ] || echo "  [$tag] FAILED (exit $rc): reproducer in $out/artifacts/"
    exit "$rc"
    ;;
*)
    echo "usage: $0 test|long <bin> <fuzz-out> <test-out> <seconds> <max-len> [args...]" >&2
    exit 2
    ;;
esac
