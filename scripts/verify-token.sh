#!/bin/bash
# verify-token.sh LOG OUT [PAYLOAD]
# The CCA token the test realm obtained on QEMU (printed by the NS host as
# "token: <hex>" lines in LOG) checked by the independent Python verifier
# (tools/attest/cca_verify.py): signature, claims, platform binding, the
# realm's challenge and RPV, and the RIM predicted offline from the payload
# image (tools/attest/rim_predict.py). A token with one flipped signature
# bit must be refused. Writes OUT.result ("N passed, N failed"), OUT.claims.
set -u
log=$1 out=$2 payload=${3:-build/qemu/realm/payload.bin}
py=/usr/bin/python3
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "  [token] PASS $1"; }
bad() { fail=$((fail + 1)); echo "  [token] FAIL $1"; }

$py - "$log" "$out.bin" <<'PYEOF'
import sys
hexs = "".join(l[len("token: "):].strip() for l in open(sys.argv[1], errors="replace")
               if l.startswith("token: "))
open(sys.argv[2], "wb").write(bytes.fromhex(hexs))
PYEOF
challenge=$($py -c 'print(bytes(range(64)).hex())')
pred=$($py tools/attest/rim_predict.py tools/attest/test-realm.json --payload "$payload" --json)
rim=$(echo "$pred" | $py -c 'import json,sys; print(json.load(sys.stdin)["rim"])')
rpv=$(echo "$pred" | $py -c 'import json,sys; print(json.load(sys.stdin)["rpv"])')

if [ -s "$out.bin" ] && $py tools/attest/cca_verify.py "$out.bin" --challenge "$challenge" \
	--expect-rpv "$rpv" >"$out.claims" 2>&1; then
	ok "token from the realm verifies (signature, claims, platform binding, challenge, RPV)"
else
	bad "token from the realm verifies"; head -5 "$out.claims" 2>/dev/null
fi
if [ -s "$out.bin" ] && $py tools/attest/cca_verify.py "$out.bin" --expect-rim "$rim" >/dev/null 2>&1; then
	ok "RIM in the token equals the offline prediction $rim"
else
	bad "RIM in the token equals the offline prediction $rim"
fi
# flip the last bit of the signature (the token's last byte)
$py -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[-1]^=1 if b else 0; open(sys.argv[2],"wb").write(b)' \
	"$out.bin" "$out.tampered.bin"
if [ -s "$out.bin" ] && ! $py tools/attest/cca_verify.py "$out.tampered.bin" >/dev/null 2>&1; then
	ok "a token with one flipped signature bit is refused"
else
	bad "a token with one flipped signature bit is refused"
fi
echo "$pass passed, $fail failed" >"$out.result"
echo "  [token] $pass passed, $fail failed"
