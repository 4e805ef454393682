#!/usr/bin/env bash
# Tests of tools/specgen.py: generate the project's table (spec/structs.toml)
# and the good tables, compile the headers strictly for the host and
# freestanding for aarch64 (the _Static_asserts must hold, and -Wpadded
# proves the compiler added no padding of its own), check the layout at run
# time, check that the asserts catch a layout drift, and check every bad
# table in bad/ is rejected with its expected message and writes nothing.
# One line per test, then "N passed, N failed".
# Artifacts go to $SPECGEN_TEST_OUT (default build/host/specgen_test).
set -u
cd "$(dirname "$0")/../.."
T=tools/specgen_test
OUT=${SPECGEN_TEST_OUT:-build/host/specgen_test}
GEN=$OUT/gen
LOG=$OUT/step.log
STRICT="-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
	-Wpedantic -Wconversion -Wpadded"
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

# compile HEADER CC [FLAGS...]: a translation unit that only includes HEADER
compile() {
	local h=$1 cc=$2
	shift 2
	echo "#include <spec/$h.h>" | $cc $STRICT "$@" -I"$GEN" -x c -c - -o /dev/null
}

# A second run must not touch an unchanged header; a changed one is rewritten.
regenerate() {
	local h=$GEN/spec/structs.h before
	before=$(stat -c '%.9Y' "$h") || return 1
	python3 tools/specgen.py spec/structs.toml "$GEN" | grep . && return 1
	[ "$(stat -c '%.9Y' "$h")" = "$before" ] || return 1
	echo "/* stale */" >>"$h"
	python3 tools/specgen.py spec/structs.toml "$GEN" | grep -q 'GEN .*structs\.h$' &&
		! grep -q stale "$h"
}

# What the unsafe-site audit forbids (no union, cast, asm or object), and the
# promised shape: every field and every size asserted.
shape() {
	local h=$GEN/spec/$1.h bad=0 nf na
	grep -nE '\bunion\b|\basm\b|__asm|\bgoto\b|\bstatic\b|\bextern\b' "$h" && bad=1
	grep -nE '\(\s*(const\s+)?(struct\s+\w+|\w+_t|void|char)\s*\*+\s*\)' "$h" && bad=1
	grep -q "generated from .* by tools/specgen.py; do not edit" "$h" || bad=1
	# members (padding excluded) vs offset asserts; structures vs size asserts
	nf=$(grep -E '^	[a-z].* [a-z_][a-z0-9_]*(\[[^]]*\])?;	/\* 0x' "$h" | grep -cvE ' pad[0-9]+\[')
	na=$(grep -c '^_Static_assert(offsetof' "$h")
	[ "$nf" -eq "$na" ] || { echo "$nf members, $na offset asserts"; bad=1; }
	[ "$(grep -c '^struct [a-z0-9_]* {' "$h")" -eq "$(grep -c '^_Static_assert(sizeof' "$h")" ] ||
		{ echo "structures without a size assert"; bad=1; }
	return $bad
}

# The project's unsafe-site audit (libclang) must find no site in a user.
unsafe_audit() {
	printf '#include <spec/structs.h>\nint spec_user(void);\nint spec_user(void) { return (int)SPEC_SIZEOF(struct rmi_rec_run, exit); }\n' \
		>"$OUT/user.c"
	/usr/bin/python3 tools/unsafe-audit/unsafe_audit.py --root . "$OUT/user.c" -- \
		-std=c11 $FREESTANDING -I"$GEN"
}

# A drifted layout must not compile: grow the first padding by one byte.
drift() {
	mkdir -p "$OUT/drift/spec"
	sed '0,/pad0\[0x\([0-9a-f]*\)\]/s//pad0[0x\1 + 1]/' "$GEN/spec/structs.h" \
		>"$OUT/drift/spec/structs.h"
	cmp -s "$GEN/spec/structs.h" "$OUT/drift/spec/structs.h" && { echo "no padding edited"; return 1; }
	echo '#include <spec/structs.h>' | gcc -std=c11 -I"$OUT/drift" -x c -c - -o /dev/null \
		2>"$OUT/drift/gcc.log" && { echo "a drifted layout compiled"; return 1; }
	grep -q 'static assertion failed' "$OUT/drift/gcc.log"
}

# bad/<name>.toml starts with "# expect: <message>"; nothing may be written.
bad_table() {
	local f=$1 want msg rc
	want=$(sed -n '1s/^# expect: //p' "$f")
	rm -rf "$OUT/bad"
	msg=$(python3 tools/specgen.py "$f" "$OUT/bad" 2>&1)
	rc=$?
	echo "exit $rc: $msg"
	[ "$rc" -ne 0 ] && [ -n "$want" ] && [[ "$msg" == "specgen: error: $f: "*"$want"* ]] &&
		[ ! -e "$OUT/bad" ]
}

rm -rf "$GEN"
step "generate spec/structs.toml" python3 tools/specgen.py spec/structs.toml "$GEN"
step "regenerate writes a changed header only" regenerate
step "structs.h: every field and size asserted, nothing forbidden" shape structs
if /usr/bin/python3 -c 'import clang.cindex' 2>/dev/null &&
	[ -f tools/unsafe-audit/unsafe_audit.py ]; then
	step "tools/unsafe-audit finds no site" unsafe_audit
else
	echo "SKIP  tools/unsafe-audit: python3-clang-14 is not available"
fi
step "structs.h: host gcc (strict, -Wpadded)" compile structs gcc
step "structs.h: host clang-14 (strict, -Wpadded)" compile structs clang-14
step "structs.h: aarch64 freestanding (-Wpadded)" compile structs aarch64-linux-gnu-gcc $FREESTANDING
step "a drifted layout fails its _Static_assert" drift

for f in $T/good/*.toml; do
	n=$(basename "$f" .toml)
	step "good/$n.toml: generate" python3 tools/specgen.py "$f" "$GEN"
	step "good/$n.toml: shape" shape "$n"
	step "good/$n.toml: host gcc (strict, -Wpadded)" compile "$n" gcc
	step "good/$n.toml: aarch64 freestanding (-Wpadded)" compile "$n" aarch64-linux-gnu-gcc $FREESTANDING
done
if step "build test_layout (good/all_types.toml)" gcc $STRICT -g -fsanitize=address,undefined \
	-fno-sanitize-recover=all -I"$GEN" $T/test_layout.c -o "$OUT/test_layout"; then
	step "test_layout: fields at their offsets at run time" "$OUT/test_layout"
fi

for f in $T/bad/*.toml; do
	step "reject $(basename "$f" .toml)" bad_table "$f"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
