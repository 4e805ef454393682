#!/usr/bin/env bash
# Tests of tools/ipcgen.py: generate ipc/example.toml, compile the output
# strictly for the host and freestanding for aarch64, run the CMocka tests,
# check every bad schema in bad/ is rejected with its expected message, and
# fuzz the decoders for 10 s. One line per test, then "N passed, N failed".
# Artifacts go to $IPCGEN_TEST_OUT (default build/host/ipcgen_test).
set -u
cd "$(dirname "$0")/../.."
OUT=${IPCGEN_TEST_OUT:-build/host/ipcgen_test}
GEN=$OUT/gen
LOG=$OUT/step.log
STRICT="-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla"
INC="-Iipc/include -I$GEN"
FREESTANDING="-ffreestanding -nostdinc -isystem /usr/lib/picolibc/aarch64-linux-gnu/include
	-isystem $(aarch64-linux-gnu-gcc -print-file-name=include)"
mkdir -p "$OUT"
pass=0 fail=0

# report NAME RC: count and print one test result (with the log on failure)
report() {
	if [ "$2" -eq 0 ]; then
		echo "PASS  $1"
		pass=$((pass + 1))
	else
		echo "FAIL  $1"
		tail -n 20 "$LOG" | sed 's/^/      /'
		fail=$((fail + 1))
	fi
}

# step NAME CMD...: run CMD with its output in $LOG and report it
step() {
	local name=$1
	shift
	"$@" >"$LOG" 2>&1
	report "$name" $?
}

mtimes() { stat -c '%n %.9Y' "$GEN/ipc/example.h" "$GEN/ipc/example.c"; }

# A second run must not touch unchanged outputs; a changed output is rewritten.
regenerate() {
	local before
	before=$(mtimes) || return 1
	python3 tools/ipcgen.py ipc/example.toml "$GEN" | grep . && return 1
	[ "$(mtimes)" = "$before" ] || return 1
	echo "/* stale */" >>"$GEN/ipc/example.c"
	python3 tools/ipcgen.py ipc/example.toml "$GEN" | grep -q 'GEN .*example\.c$' &&
		! grep -q stale "$GEN/ipc/example.c"
}

# The generated code must avoid what the firmware audit forbids.
audit() {
	local src="$GEN/ipc/example.h $GEN/ipc/example.c" bad=0
	grep -nE '\bunion\b|\basm\b|__asm|\.\.\.|va_list|intptr_t|\bgoto\b' $src && bad=1
	# pointer casts: "(type *)" / "(const type *)"
	grep -nE '\(\s*(const\s+)?(struct\s+\w+|\w+_t|void|char|bool)\s*\*+\s*\)' $src && bad=1
	# file-scope objects must be const (prototypes have a '(' before any ';' or '=')
	grep -HnE '^[a-z][^(]*[;=]' $src | grep -vE ':[0-9]+:((extern )?const |struct \w+;$)' && bad=1
	grep -q 'generated from ipc/example.toml by tools/ipcgen.py; do not edit' $src || bad=1
	return $bad
}

# The project's unsafe-site audit (libclang) must find no site at all: any
# site lacks a SAFETY comment and fails it.
unsafe_audit() {
	/usr/bin/python3 tools/unsafe-audit/unsafe_audit.py "$GEN/ipc/example.c" -- \
		-std=c11 $FREESTANDING $INC
}

# aarch64_build OBJ [CFLAGS]: freestanding firmware build of example.c
aarch64_build() {
	aarch64-linux-gnu-gcc $STRICT -O2 $FREESTANDING -mgeneral-regs-only $INC ${2:-} \
		-c "$GEN/ipc/example.c" -o "$OUT/$1"
}

# The object may only need these external symbols.
freestanding() {
	aarch64_build example.aarch64.o || return 1
	aarch64-linux-gnu-nm -u "$OUT/example.aarch64.o" | awk '{print $2}' |
		grep -vxE 'memcpy|memset|ipc_call|ipc_env_in_dram|example_handle_[a-z_]+' && return 1
	return 0
}

# A client-only build has stubs and decoders but no dispatch, metadata or handlers.
client_only() {
	aarch64_build example.client.o -DEXAMPLE_CLIENT_ONLY || return 1
	aarch64-linux-gnu-nm "$OUT/example.client.o" >"$OUT/example.client.nm"
	grep -q ' T example_map$' "$OUT/example.client.nm" &&
		grep -q ' T example_map_req_decode$' "$OUT/example.client.nm" &&
		! grep -E 'example_(handle_|serve_|dispatch|ops)' "$OUT/example.client.nm"
}

# Without service_enum the id is asserted against IPC_SVC_<SERVICE>.
default_service_enum() {
	python3 tools/ipcgen.py tools/ipcgen_test/good/attest.toml "$GEN" &&
		grep -q '_Static_assert(ATTEST_SERVICE_ID == IPC_SVC_ATTEST' "$GEN/ipc/attest.h" &&
		grep -q 'ipc_call(IPC_SVC_ATTEST, ATTEST_OP_TOKEN' "$GEN/ipc/attest.c" &&
		gcc $STRICT $INC -c "$GEN/ipc/attest.c" -o "$OUT/attest.host.o"
}

# bad/<name>.toml starts with "# expect: <message>"; nothing may be written.
bad_schema() {
	local f=$1 want msg rc
	want=$(sed -n '1s/^# expect: //p' "$f")
	rm -rf "$OUT/bad"
	msg=$(python3 tools/ipcgen.py "$f" "$OUT/bad" 2>&1)
	rc=$?
	echo "exit $rc: $msg"
	[ "$rc" -ne 0 ] && [ -n "$want" ] && [[ "$msg" == "ipcgen: error: $f: "*"$want"* ]] &&
		[ ! -e "$OUT/bad" ]
}

# Build fuzz_decode and run it for 10 s on a corpus kept between runs.
fuzz() {
	clang-14 $STRICT -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$INC tools/ipcgen_test/fuzz_decode.c "$GEN/ipc/example.c" -o "$OUT/fuzz_decode" ||
		return 1
	mkdir -p "$OUT/corpus"
	"$OUT/fuzz_decode" -max_total_time=10 -print_final_stats=1 -artifact_prefix="$OUT/" \
		"$OUT/corpus"
}

rm -rf "$GEN"
step "generate ipc/example.toml" python3 tools/ipcgen.py ipc/example.toml "$GEN"
step "regenerate writes changed files only" regenerate
step "audit generated code" audit
if /usr/bin/python3 -c 'import clang.cindex' 2>/dev/null &&
	[ -f tools/unsafe-audit/unsafe_audit.py ]; then
	step "tools/unsafe-audit finds no site" unsafe_audit
else
	echo "SKIP  tools/unsafe-audit: python3-clang-14 is not available"
fi
step "host gcc build (strict flags, -Wpedantic -Wconversion)" \
	gcc $STRICT -Wpedantic -Wconversion $INC -c "$GEN/ipc/example.c" -o "$OUT/example.host.o"
step "aarch64 freestanding build" freestanding
step "client-only build (-DEXAMPLE_CLIENT_ONLY)" client_only
step "default service_enum (good/attest.toml)" default_service_enum

# CMocka tests, built with ASan and UBSan: one line per test case.
if step "build test_example" gcc $STRICT -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all $INC tools/ipcgen_test/test_example.c "$GEN/ipc/example.c" \
	$(pkg-config --cflags --libs cmocka 2>/dev/null || echo -lcmocka) -o "$OUT/test_example"
then
	CMOCKA_MESSAGE_OUTPUT=TAP "$OUT/test_example" >"$OUT/test_example.tap" 2>&1
	rc=$?
	while read -r line; do
		case $line in
		"ok "[0-9]*) echo "PASS  cmocka: ${line#* - }"; pass=$((pass + 1)) ;;
		"not ok "[0-9]*) echo "FAIL  cmocka: ${line#* - }"; fail=$((fail + 1)) ;;
		"# "*) [ "$rc" -ne 0 ] && echo "      $line" ;;
		esac
	done <"$OUT/test_example.tap"
	# a crash (e.g. a sanitizer report) without a TAP failure still fails
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok [0-9]' "$OUT/test_example.tap"; then
		cp "$OUT/test_example.tap" "$LOG"
		report "cmocka: exit status" "$rc"
	fi
fi

for f in tools/ipcgen_test/bad/*.toml; do
	step "reject $(basename "$f" .toml)" bad_schema "$f"
done

# libFuzzer (needs clang-14 with its fuzzer runtime): one test.
if command -v clang-14 >/dev/null &&
	echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	clang-14 -fsanitize=fuzzer -x c - -o "$OUT/fuzz_probe" >/dev/null 2>&1; then
	fuzz >"$LOG" 2>&1
	rc=$?
	report "fuzz_decode (10 s, $(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG") runs)" $rc
else
	echo "SKIP  fuzz_decode: clang-14 with libFuzzer is not available"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
