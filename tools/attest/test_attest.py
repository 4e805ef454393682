#!/usr/bin/python3
"""Tests for tools/attest: cca_verify.py and rim_predict.py.

Run: /usr/bin/python3 tools/attest/test_attest.py
Ends with one stdout line "attest-py: N passed, N failed"; exit status 1 on
any failure.

Tokens are built here with cbor2 (an encoder independent of the verifier's
own CBOR code) and signed with the QEMU RAK of attestation.md section 1.
Expected RIM values are either the worked example of states.md 6.7 or
computed in this file step by step from the byte tables of states.md 6.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import cca_verify  # noqa: E402
import rim_predict  # noqa: E402
from cca_verify import VerifyError  # noqa: E402
from rim_predict import ManifestError, Rim  # noqa: E402

# ---- attestation.md section 1, QEMU fixed values ----
RAK_SCALAR = bytes.fromhex(
    "2011c7f03cee4325176e524f033c0ce1e21a76e6c1a4f0b839aa1df61e0e8a5c"
    "8a05740f9b69efa7eb1a4185bd117f68")
RAK_COSE_KEY = bytes.fromhex(
    "a40102200221583076f988091be585ed41801aecfab858548c63057e16b0e676120bbd0d2f9c29e0"
    "56c5d41a0130eb9c21517899dc23146b22583028e1b062bd3ea4b315fd219f1cbb528cb6e74ca49b"
    "e16773734f61a1ca61031b2bbf3d918f2f94ffc4228e50919544ae")
RAK_HASH = bytes.fromhex("0d22e08a98469058486318283489bdb36f09dbefeb1864df433fa6e54ea2d711")

PROT_ES384 = bytes.fromhex("a1013822")
PROFILE = "tag:arm.com,2023:realm#1.0.0"
CHALLENGE = bytes(range(64))
RPV = bytes(range(0x80, 0xC0))
RIM256 = hashlib.sha256(b"rim").digest()
REMS256 = [hashlib.sha256(bytes([i])).digest() for i in range(4)]

RAK = ec.derive_private_key(int.from_bytes(RAK_SCALAR, "big"), ec.SECP384R1())
OTHER_KEY = ec.derive_private_key(12345678901234567890, ec.SECP384R1())


def cose_key_of(priv):
    """COSE_Key bytes built with cbor2 (independent of the verifier)."""
    n = priv.public_key().public_numbers()
    return cbor2.dumps({1: 2, -1: 2, -2: n.x.to_bytes(48, "big"), -3: n.y.to_bytes(48, "big")})


def claims(**over):
    """Realm claims in TF-RMM order; keyword overrides by claim number name
    c<num>=value, or drop=<num> / extra={k: v}."""
    c = {10: CHALLENGE, 44235: RPV, 44237: RAK_COSE_KEY, 44236: "sha-256",
         44240: "sha-256", 265: PROFILE, 44238: RIM256, 44239: list(REMS256)}
    for k, v in over.items():
        c[int(k[1:])] = v
    return c


def sign(priv, protected, payload):
    tbs = cbor2.dumps(["Signature1", protected, b"", payload])
    r, s = decode_dss_signature(priv.sign(tbs, ec.ECDSA(hashes.SHA384())))
    return r.to_bytes(48, "big") + s.to_bytes(48, "big")


def realm_token(claim_map=None, payload=None, protected=PROT_ES384, unprotected=None,
                tag=18, key=RAK, sig_fix=None):
    if payload is None:
        payload = cbor2.dumps(claims() if claim_map is None else claim_map)
    sig = sign(key, protected, payload)
    if sig_fix is not None:
        sig = sig_fix(sig)
    return cbor2.dumps(cbor2.CBORTag(tag, [protected, {} if unprotected is None else unprotected,
                                           payload, sig]))


def platform_token(challenge=RAK_HASH, tag=18, drop_challenge=False):
    pc = {265: "tag:arm.com,2023:cca_platform#1.0.0", 10: challenge,
          2396: bytes(32), 256: b"\x01" + bytes(32), 2401: bytes(4), 2395: 12291,
          2402: "sha-256", 2400: "https://veraison.example/.well-known/veraison/verification",
          2399: [{1: "RSE_BL1_2", 2: bytes(32), 5: bytes(32), 6: "sha-256"}]}
    if drop_challenge:
        del pc[10]
    # Signature bytes are junk: the platform key is unknown to the verifier.
    return cbor2.dumps(cbor2.CBORTag(tag, [PROT_ES384, {}, cbor2.dumps(pc), bytes(96)]))


def cca_token(plat=None, realm=None, tag=399, extra=None, drop=None):
    m = {44234: platform_token() if plat is None else plat,
         44241: realm_token() if realm is None else realm}
    if drop is not None:
        del m[drop]
    if extra:
        m.update(extra)
    return cbor2.dumps(cbor2.CBORTag(tag, m))


def run_tool(*args):
    p = subprocess.run([sys.executable] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    return p.returncode, p.stdout, p.stderr


# ==========================================================================
class TestQemuKey(unittest.TestCase):
    def test_cose_key_bytes_reproduced(self):
        self.assertEqual(len(RAK_COSE_KEY), 107)
        self.assertEqual(cose_key_of(RAK), RAK_COSE_KEY)
        self.assertEqual(RAK_COSE_KEY[:8], bytes.fromhex("a401022002215830"))

    def test_rak_hash_reproduced(self):
        self.assertEqual(hashlib.sha256(cose_key_of(RAK)).digest(), RAK_HASH)

    def test_verifier_decodes_the_key(self):
        pub, x, y = cca_verify.parse_rak(RAK_COSE_KEY)
        n = RAK.public_key().public_numbers()
        self.assertEqual((int.from_bytes(x, "big"), int.from_bytes(y, "big")), (n.x, n.y))


class TestCborDecoder(unittest.TestCase):
    def test_roundtrip_values(self):
        v = {1: [b"ab", "cd", -35, 2 ** 40], "k": {-1: b""}}
        self.assertEqual(cca_verify.cbor_decode(cbor2.dumps(v)), v)

    def test_rejects(self):
        cases = {
            "a201020103": "duplicate",     # {1: 2, 1: 3} duplicate key
            "1801": "non-minimal",         # 1 encoded in two bytes
            "5f41614162ff": "indefinite",  # indefinite bstr
            "0102": "trailing",
            "4461": "truncated",
            "1c": "reserved",
        }
        for hx, msg in cases.items():
            with self.subTest(hx=hx):
                with self.assertRaisesRegex(VerifyError, msg):
                    cca_verify.cbor_decode(bytes.fromhex(hx))

    def test_sig_structure_encoding_matches_cbor2(self):
        p = b"\x01" * 300
        self.assertEqual(cca_verify.sig_structure(PROT_ES384, p),
                         cbor2.dumps(["Signature1", PROT_ES384, b"", p]))


class TestVerifyPositive(unittest.TestCase):
    def test_valid_token(self):
        tok = cca_token()
        res = cca_verify.verify_token(tok, challenge=CHALLENGE, expect_rim=RIM256, expect_rpv=RPV)
        rt = res["realm_token"]
        self.assertTrue(res["verified"])
        self.assertEqual(rt["challenge"], CHALLENGE.hex())
        self.assertEqual(rt["personalization_value"], RPV.hex())
        self.assertEqual(rt["rak_cose_key"], RAK_COSE_KEY.hex())
        self.assertEqual(rt["rim"], RIM256.hex())
        self.assertEqual(rt["rems"], [r.hex() for r in REMS256])
        self.assertEqual(rt["hash_algo_id"], "sha-256")
        self.assertEqual(res["platform_token"]["challenge"], RAK_HASH.hex())
        self.assertFalse(res["platform_token"]["signature_verified"])

    def test_encoding_layout(self):
        # attestation.md 2: D9 01 8F A2 19 AC CA 59 <len16> ... 19 AC D1 ...
        tok = cca_token()
        self.assertEqual(tok[:8], bytes.fromhex("d9018fa219acca59"))
        self.assertEqual(realm_token()[:8], bytes.fromhex("d28444a1013822a0"))

    def test_sha512_realm(self):
        rim = hashlib.sha512(b"x").digest()
        c = claims(c44236="sha-512", c44238=rim, c44239=[bytes(64)] * 4)
        res = cca_verify.verify_token(cca_token(realm=realm_token(c)), expect_rim=rim)
        self.assertEqual(res["realm_token"]["hash_algo_id"], "sha-512")

    def test_any_claim_order_and_key_order(self):
        c = claims()
        rev = dict(reversed(list(c.items())))
        tok = cbor2.dumps(cbor2.CBORTag(399, {44241: realm_token(rev), 44234: platform_token()}))
        cca_verify.verify_token(tok)

    def test_cli_json_and_text(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "tok.bin")
            with open(path, "wb") as f:
                f.write(cca_token())
            tool = os.path.join(HERE, "cca_verify.py")
            rc, out, err = run_tool(tool, path, "--json", "--challenge", CHALLENGE.hex(),
                                    "--expect-rim", RIM256.hex(), "--expect-rpv", RPV.hex())
            self.assertEqual(rc, 0, err)
            self.assertEqual(json.loads(out)["realm_token"]["rim"], RIM256.hex())
            rc, out, err = run_tool(tool, path)
            self.assertEqual(rc, 0, err)
            self.assertIn("NOT verified", out)
            self.assertIn(RIM256.hex(), out)
            # wrong expectations / bad arguments -> exit 1
            for extra in (["--challenge", "00" * 64], ["--expect-rim", "00" * 32],
                          ["--expect-rpv", "00" * 64], ["--challenge", "zz"],
                          ["--expect-rim", "00" * 33]):
                with self.subTest(extra=extra):
                    rc, out, err = run_tool(tool, path, *extra)
                    self.assertEqual(rc, 1)
                    self.assertIn("FAIL", err)
            rc, out, err = run_tool(tool, os.path.join(d, "missing.bin"))
            self.assertEqual(rc, 1)
            with open(path, "wb") as f:
                f.write(cca_token(plat=platform_token(challenge=bytes(32))))
            rc, out, err = run_tool(tool, path, "--json")
            self.assertEqual(rc, 1)
            self.assertFalse(json.loads(out)["verified"])


class TestVerifyNegative(unittest.TestCase):
    def reject(self, tok, pattern, **kw):
        with self.assertRaisesRegex(VerifyError, pattern):
            cca_verify.verify_token(tok, **kw)

    def test_bad_signature_byte(self):
        for pos in (0, 47, 48, 95):
            with self.subTest(pos=pos):
                def fix(s, pos=pos):
                    return s[:pos] + bytes([s[pos] ^ 0x01]) + s[pos + 1:]
                self.reject(cca_token(realm=realm_token(sig_fix=fix)), "signature does not verify")

    def test_signature_wrong_length(self):
        self.reject(cca_token(realm=realm_token(sig_fix=lambda s: s[:95])), "96 bytes")

    def test_signed_by_other_key(self):
        self.reject(cca_token(realm=realm_token(key=OTHER_KEY)), "signature does not verify")

    def test_payload_changed_after_signing(self):
        good = cbor2.loads(realm_token())
        arr = good.value
        arr[2] = cbor2.dumps(claims(c44238=bytes(32)))
        self.reject(cca_token(realm=cbor2.dumps(good)), "signature does not verify")

    def test_wrong_tags(self):
        self.reject(cca_token(tag=398), "wrong tag 398")
        self.reject(cbor2.dumps({44234: platform_token(), 44241: realm_token()}), "expected CBOR tag")
        self.reject(cca_token(realm=realm_token(tag=17)), "realm token: wrong tag 17")
        self.reject(cca_token(realm=realm_token(tag=98)), "realm token: wrong tag 98")
        self.reject(cca_token(plat=platform_token(tag=19)), "platform token: wrong tag 19")

    def test_cca_map_keys(self):
        self.reject(cca_token(drop=44234), "missing key")
        self.reject(cca_token(drop=44241), "missing key")
        self.reject(cca_token(extra={44242: b""}), "unexpected key")
        self.reject(cbor2.dumps(cbor2.CBORTag(399, {44234: platform_token(),
                                                    44241: cbor2.loads(realm_token())})),
                    "expected bstr")
        self.reject(cca_token() + b"\x00", "trailing")

    def test_missing_each_claim(self):
        for k in list(claims()):
            with self.subTest(claim=k):
                c = claims()
                del c[k]
                self.reject(cca_token(realm=realm_token(c)), "missing claim.*%d" % k)

    def test_extra_claim(self):
        c = claims()
        c[44242] = b"x"
        self.reject(cca_token(realm=realm_token(c)), "unknown claim")
        c = claims()
        c["10"] = b"x"
        self.reject(cca_token(realm=realm_token(c)), "unknown claim")

    def test_duplicate_claim(self):
        payload = cbor2.dumps(claims())
        self.assertEqual(payload[0], 0xA8)
        payload = b"\xa9" + payload[1:] + cbor2.dumps(10) + cbor2.dumps(bytes(64))
        self.reject(cca_token(realm=realm_token(payload=payload)), "duplicate")

    def test_wrong_claim_types(self):
        cases = {
            "c10": "a" * 64, "c44235": list(RPV[:4]), "c44237": RAK_COSE_KEY.hex(),
            "c44236": 0, "c44240": b"sha-256", "c265": PROFILE.encode(),
            "c44238": RIM256.hex(), "c44239": {0: REMS256[0]},
        }
        for name, val in cases.items():
            with self.subTest(claim=name):
                self.reject(cca_token(realm=realm_token(claims(**{name: val}))),
                            "claim %s .*expected" % name[1:])
        with self.subTest("REM entry tstr"):
            self.reject(cca_token(realm=realm_token(claims(c44239=REMS256[:3] + ["x"]))),
                        r"44239.*\[3\].*expected bstr")

    def test_wrong_values(self):
        cases = [
            ({"c10": bytes(32)}, "claim 10 .*64 bytes"),
            ({"c10": bytes(65)}, "claim 10 .*64 bytes"),
            ({"c44235": bytes(63)}, "claim 44235 .*64 bytes"),
            ({"c44236": "sha-384"}, "44236.*not one of"),
            ({"c44236": "SHA-256"}, "44236.*not one of"),
            ({"c44240": "sha-512"}, "44240"),
            ({"c265": "tag:arm.com,2023:realm#1.0.1"}, "265"),
        ]
        for over, pat in cases:
            with self.subTest(over=list(over)):
                self.reject(cca_token(realm=realm_token(claims(**over))), pat)

    def test_wrong_rim_length(self):
        for n in (0, 31, 33, 48, 64):
            with self.subTest(n=n):
                self.reject(cca_token(realm=realm_token(claims(c44238=bytes(n)))),
                            "44238.*sha-256: expected 32 bytes")
        c = claims(c44236="sha-512", c44239=[bytes(64)] * 4)
        self.reject(cca_token(realm=realm_token(c)), "44238.*sha-512: expected 64 bytes")

    def test_rems_count_and_length(self):
        for n in (0, 3, 5):
            with self.subTest(n=n):
                self.reject(cca_token(realm=realm_token(claims(c44239=[bytes(32)] * n))),
                            "expected 4 entries, got %d" % n)
        bad = [bytes(32)] * 3 + [bytes(64)]
        self.reject(cca_token(realm=realm_token(claims(c44239=bad))), r"\[3\].*32 bytes")

    def test_platform_challenge_mismatch(self):
        self.reject(cca_token(plat=platform_token(challenge=bytes(32))), "not bound")
        self.reject(cca_token(plat=platform_token(challenge=RAK_HASH[:-1] + b"\x00")), "not bound")
        self.reject(cca_token(plat=platform_token(challenge=hashlib.sha384(RAK_COSE_KEY).digest())),
                    "not bound")
        self.reject(cca_token(plat=platform_token(drop_challenge=True)), "no challenge")
        self.reject(cca_token(plat=b"\xd2\x84\x40\xa0\x40"), "platform token")

    def test_platform_hash_over_exact_key_bytes(self):
        # Same key, COSE_Key re-encoded in another map order: the realm token
        # is valid, but the platform token was bound to the canonical bytes.
        n = RAK.public_key().public_numbers()
        alt = cbor2.dumps({-1: 2, 1: 2, -3: n.y.to_bytes(48, "big"), -2: n.x.to_bytes(48, "big")})
        tok = cca_token(realm=realm_token(claims(c44237=alt)))
        self.reject(tok, "not bound")
        cca_verify.verify_token(cca_token(realm=realm_token(claims(c44237=alt)),
                                          plat=platform_token(hashlib.sha256(alt).digest())))

    def test_protected_header(self):
        cases = [
            (cbor2.dumps({1: -7}), "exactly \\{1: -35\\}"),          # ES256
            (cbor2.dumps({1: -36}), "exactly"),                     # ES512
            (cbor2.dumps({1: -35, 4: b"kid"}), "exactly"),          # extra header
            (cbor2.dumps({}), "exactly"),
            (b"", "exactly"),
            (bytes.fromhex("a118013822"), "non-minimal"),           # key 1 in two bytes
            (cbor2.dumps({1: "ES384"}), "exactly"),
            (cbor2.dumps({1: -35.0}), "exactly"),
        ]
        for prot, pat in cases:
            with self.subTest(prot=prot.hex()):
                self.reject(cca_token(realm=realm_token(protected=prot)), pat)

    def test_unprotected_not_empty(self):
        self.reject(cca_token(realm=realm_token(unprotected={4: b"kid"})), "unprotected")

    def test_cose_sign1_shape(self):
        good = cbor2.loads(realm_token()).value
        self.reject(cca_token(realm=cbor2.dumps(cbor2.CBORTag(18, good[:3]))), "array of 4")
        self.reject(cca_token(realm=cbor2.dumps(cbor2.CBORTag(18, good + [b""]))), "array of 4")
        self.reject(cca_token(realm=cbor2.dumps(cbor2.CBORTag(18, [good[0], good[1], None, good[3]]))),
                    "payload: expected bstr")

    def test_rak_cose_key_invalid(self):
        n = RAK.public_key().public_numbers()
        x, y = n.x.to_bytes(48, "big"), n.y.to_bytes(48, "big")
        ybad = y[:-1] + bytes([y[-1] ^ 1])
        cases = [
            ({1: 2, -1: 2, -2: x, -3: ybad}, "not a valid P-384 point"),
            ({1: 2, -1: 1, -2: x, -3: y}, "label -1 is 1"),
            ({1: 1, -1: 2, -2: x, -3: y}, "label 1 is 1"),
            ({1: 2, -1: 2, -2: x[1:], -3: y}, "48 bytes"),
            ({1: 2, -1: 2, -2: x}, "expected exactly"),
            ({1: 2, -1: 2, -2: x, -3: y, 2: b"kid"}, "expected exactly"),
            ({1: "EC2", -1: 2, -2: x, -3: y}, "must be int"),
        ]
        for key, pat in cases:
            with self.subTest(pat=pat):
                kb = cbor2.dumps(key)
                tok = cca_token(realm=realm_token(claims(c44237=kb)),
                                plat=platform_token(hashlib.sha256(kb).digest()))
                self.reject(tok, pat)

    def test_garbage(self):
        for data in (b"", b"\x00", bytes(100), os.urandom(64)):
            with self.subTest(n=len(data)):
                with self.assertRaises(VerifyError):
                    cca_verify.verify_token(data)


# ==========================================================================
# RIM: independent hand computation from the states.md 6 tables.

def le(v, n):
    return v.to_bytes(n, "little")


def hand_realm_params(h, flags, s2sz, sve_vl, bps, wps, pmu, algo):
    # states.md 6.2: 4096-byte buffer, flags 8 bytes @0x000, s2sz @0x008,
    # sve_vl @0x010, num_bps @0x018, num_wps @0x020, pmu_num_ctrs @0x028
    # (4 bytes each), hash_algo 1 byte @0x030, rest zero.
    p = (le(flags, 8) + le(s2sz, 4) + bytes(4) + le(sve_vl, 4) + bytes(4) + le(bps, 4) + bytes(4)
         + le(wps, 4) + bytes(4) + le(pmu, 4) + bytes(4) + bytes([algo]))
    p += bytes(4096 - len(p))
    assert len(p) == 4096 and p[0x30] == algo
    return h(p).digest()


def hand_desc(h, typ, rim, body):
    # 256 bytes: type (8-byte slot) | len 0x100 (8) | RIM padded to 64 | body | zeros
    d = le(typ, 8) + le(0x100, 8) + rim + bytes(64 - len(rim)) + body
    d += bytes(256 - len(d))
    assert len(d) == 256
    return h(d).digest()


def hand_ripas(h, rim, base, top):
    return hand_desc(h, 2, rim, le(base, 8) + le(top, 8))


def hand_data(h, rim, ipa, page, flags):
    ch = h(page).digest() if flags == 1 else b""
    return hand_desc(h, 0, rim, le(ipa, 8) + le(flags, 8) + ch + bytes(64 - len(ch)))


def hand_rec(h, rim, flags, pc, gprs):
    r = bytearray(4096)
    r[0:8] = le(flags, 8)
    r[0x200:0x208] = le(pc, 8)
    for i, g in enumerate(gprs):
        r[0x300 + 8 * i:0x308 + 8 * i] = le(g, 8)
    c = h(bytes(r)).digest()
    return hand_desc(h, 1, rim, c + bytes(64 - len(c)))


TEST_REALM = os.path.join(HERE, "test-realm.json")


def host_pages(payload):
    """tests/nshost/test_run.c build(): granule i gets payload[4096 i + k]
    while 4096 i + k < len, the rest of the source page is zero."""
    pages = []
    for i in range(4):
        s = bytearray(4096)
        for k in range(4096):
            if 4096 * i + k < len(payload):
                s[k] = payload[4096 * i + k]
        pages.append(bytes(s))
    return pages


def hand_test_realm(payload):
    h = hashlib.sha256
    rim = hand_realm_params(h, 0, 39, 0, 1, 1, 0, 0)
    for i in range(4):
        rim = hand_ripas(h, rim, 0x1000 * i, 0x1000 * (i + 1))
    for i, page in enumerate(host_pages(payload)):
        rim = hand_data(h, rim, 0x1000 * i, page, 1)
    return hand_rec(h, rim, 1, 0, [0] * 8)


def base_manifest(ops, **realm):
    r = {"hash_algo": "sha-256", "s2sz": 40, "num_bps": 1, "num_wps": 1}
    r.update(realm)
    return {"realm": r, "ops": ops}


def mrim(manifest, **kw):
    return rim_predict.predict(manifest, **kw)[0].rim


class TestRimSpec(unittest.TestCase):
    def test_worked_example_states_6_7(self):
        r = Rim(0, 0, 40, 0, 1, 1, 0)
        self.assertEqual(r.rim.hex(), "045cb3602843a6845cb710fbbfbb92f0c7d611afe0106ac2953e46950a70c42b")
        r.init_ripas(0, 0x1000)
        self.assertEqual(r.rim.hex(), "5e99b1e6b2ebb03fe15c9e109929780b9becf1a9154e6f8b64cfd9b988cc1b5f")
        self.assertEqual(hashlib.sha256(bytes(4096)).hexdigest(),
                         "ad7facb2586fc6e966c004d7d1d16b024f5805ff7cb47c7a85dabd8b48892ca7")
        r.data_create(0, bytes(4096), 1)
        self.assertEqual(r.rim.hex(), "8091232661b855a69dec4cdefc8f3930fc311c6f79ef4beac399e693cfc73b7b")
        r.rec_create(1, 0, [0] * 8)
        self.assertEqual(r.rim.hex(), "d731c398be2414cabefa7080e1c9a61dc07b25c22d18d0206786ff119b72cccf")

    def test_realm_params_hand_computed(self):
        cases = [  # flags, s2sz, sve_vl, bps, wps, pmu, algo
            (0, 39, 0, 1, 1, 0, 0),           # the NS host's test realm
            (0, 40, 0, 1, 1, 0, 1),
            (0xF000000000000007, 52, 15, 5, 3, 6, 0),   # RES0 flag bits are measured
            (0xF000000000000007, 52, 15, 5, 3, 6, 1),
            (2, 48, 3, 16, 16, 31, 1),
        ]
        for c in cases:
            with self.subTest(params=c):
                h = hashlib.sha512 if c[6] else hashlib.sha256
                want = hand_realm_params(h, *c)
                self.assertEqual(Rim(c[6], *c[:6]).rim, want)
                # also through the manifest path (flags via booleans where possible)
                m = {"hash_algo": ["sha-256", "sha-512"][c[6]], "flags": c[0], "s2sz": c[1],
                     "sve_vl": c[2], "num_bps": c[3], "num_wps": c[4], "pmu_num_ctrs": c[5]}
                self.assertEqual(mrim({"realm": m, "ops": []}), want)

    def test_cross_vectors_from_unit_tests(self):
        # values in tests/unit/svc/test_attest.c (computed there with hashlib)
        self.assertEqual(Rim(1, 0, 40, 0, 1, 1, 0).rim.hex(),
                         "066e19aa2c3418dadc20ef31b5595907c612991952553e1e99731a677b5797c9"
                         "898dffb6e3963a20b8e1af6d136cd2fe6fe25f048577dc3d7e5bf3a79a4b1e81")
        self.assertEqual(Rim(0, 0xF000000000000007, 52, 15, 5, 3, 6).rim.hex(),
                         "7d3e23b9eadd62525e0e4a11be6cad05b155c7c30e3e0f0d1547b9dfff4004fc")
        r = Rim(0, 0, 40, 0, 1, 1, 0)
        r.init_ripas(0x40000000, 0x40200000, level=2)
        self.assertEqual(r.rim.hex(), "5a660fe814905c83a8958f2d8cff7e748e5afb7f4daa8d4a3d645aebd95a85d6")

    def test_descriptors_hand_computed(self):
        for algo, h in ((0, hashlib.sha256), (1, hashlib.sha512)):
            with self.subTest(algo=algo):
                page = bytes((7 * i + 3) & 0xFF for i in range(4096))
                r = Rim(algo, 4, 44, 0, 2, 2, 1)
                want = hand_realm_params(h, 4, 44, 0, 2, 2, 1, algo)
                r.init_ripas(0x200000, 0x400000, level=2)
                want = hand_ripas(h, want, 0x200000, 0x400000)
                r.data_create(0x1000, page, 1)
                want = hand_data(h, want, 0x1000, page, 1)
                r.data_create(0x2000, page, 0)
                want = hand_data(h, want, 0x2000, page, 0)
                r.rec_create(0x9, 0x80000000, list(range(1, 9)))
                want = hand_rec(h, want, 0x9, 0x80000000, list(range(1, 9)))
                r.rec_create(0, 0x1234, [5] * 8)    # not runnable: no change
                self.assertEqual(r.rim, want)
                self.assertEqual(len(r.rim), 32 if algo == 0 else 64)


class TestRimSensitivity(unittest.TestCase):
    PAGE_A = bytes([0xA5]) * 4096
    OPS = [
        {"op": "init_ripas", "base": 0, "top": "0x2000"},
        {"op": "data", "ipa": 0, "zero": True, "measure": True},
        {"op": "data", "ipa": "0x1000", "file": "a", "measure": True},
        {"op": "rec", "flags": 1, "pc": "0x1000", "gprs": [1, 2, 3, 4, 5, 6, 7, 8]},
    ]

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        for name, data in (("a", self.PAGE_A), ("b", self.PAGE_A[:-1] + b"\x00")):
            with open(os.path.join(self.tmp.name, name), "wb") as f:
                f.write(data)

    def tearDown(self):
        self.tmp.cleanup()

    def rim(self, ops, **realm):
        return mrim(base_manifest(ops, **realm), base_dir=self.tmp.name)

    def ops(self):
        return json.loads(json.dumps(self.OPS))

    def test_base_matches_hand(self):
        h = hashlib.sha256
        want = hand_realm_params(h, 0, 40, 0, 1, 1, 0, 0)
        want = hand_ripas(h, hand_ripas(h, want, 0, 0x1000), 0x1000, 0x2000)
        want = hand_data(h, want, 0, bytes(4096), 1)
        want = hand_data(h, want, 0x1000, self.PAGE_A, 1)
        want = hand_rec(h, want, 1, 0x1000, [1, 2, 3, 4, 5, 6, 7, 8])
        self.assertEqual(self.rim(self.ops()), want)

    def test_order_matters(self):
        base = self.rim(self.ops())
        o = self.ops()
        o[1], o[2] = o[2], o[1]
        self.assertNotEqual(self.rim(o), base)
        o = self.ops()
        o.append(o.pop(0))  # RIPAS last
        self.assertNotEqual(self.rim(o), base)
        o = self.ops()
        o.insert(0, o.pop(3))  # REC first
        self.assertNotEqual(self.rim(o), base)

    def test_content_and_measure_flag(self):
        base = self.rim(self.ops())
        o = self.ops()
        o[2]["file"] = "b"          # one byte differs, measured
        self.assertNotEqual(self.rim(o), base)
        o = self.ops()
        o[2]["measure"] = False     # flag change alone changes the RIM
        unmeasured = self.rim(o)
        self.assertNotEqual(unmeasured, base)
        o[2]["file"] = "b"          # content no longer matters
        self.assertEqual(self.rim(o), unmeasured)
        o = self.ops()
        o[2]["ipa"] = "0x3000"      # ipa is measured
        self.assertNotEqual(self.rim(o), base)
        o = self.ops()
        o[1] = {"op": "data", "ipa": 0, "file": "a", "offset": 8192, "measure": True}
        self.assertEqual(self.rim(o), base)  # past EOF == zero page

    def test_rec_fields(self):
        base = self.rim(self.ops())
        for field, val in (("pc", 0), ("gprs", [1, 2, 3, 4, 5, 6, 7, 9]), ("flags", 3)):
            with self.subTest(field=field):
                o = self.ops()
                o[3][field] = val
                self.assertNotEqual(self.rim(o), base)
        o = self.ops()
        o[3]["mpidr"] = 5           # not measured
        self.assertEqual(self.rim(o), base)
        o = self.ops()
        o.append({"op": "rec", "runnable": False, "pc": 7, "mpidr": 1})
        self.assertEqual(self.rim(o), base)  # non-runnable: no change
        o = self.ops()
        del o[3]
        self.assertNotEqual(self.rim(o), base)

    def test_realm_params_and_unmeasured_fields(self):
        base = self.rim(self.ops())
        self.assertNotEqual(self.rim(self.ops(), s2sz=41), base)
        self.assertNotEqual(self.rim(self.ops(), pmu=True), base)
        self.assertEqual(self.rim(self.ops(), pmu=True), self.rim(self.ops(), flags=4))
        self.assertEqual(len(self.rim(self.ops(), hash_algo="sha-512")), 64)
        self.assertEqual(self.rim(self.ops(), vmid=9, rtt_level_start=0, rtt_num_start=1,
                                  rpv="11" * 64), base)

    def test_ripas_geometry(self):
        def ripas(level, top):
            return self.rim([{"op": "init_ripas", "base": 0, "top": top, "level": level}])
        self.assertNotEqual(ripas(2, 0x200000), ripas(3, 0x200000))
        r = Rim(0, 0, 40, 0, 1, 1, 0)
        r.init_ripas(0, 0x200000)
        self.assertEqual(len(r.trace), 1 + 512)
        self.assertEqual(ripas(3, 0x200000), r.rim)

    def test_manifest_errors(self):
        bad = [
            [{"op": "data", "ipa": 0, "zero": True}],                       # no measure
            [{"op": "data", "ipa": 0, "zero": True, "flags": 2}],
            [{"op": "data", "ipa": 0x800, "zero": True, "measure": True}],  # misaligned
            [{"op": "data", "ipa": 1 << 39, "zero": True, "measure": True}],  # not in PAR
            [{"op": "data", "ipa": 0, "measure": True}],                    # no content
            [{"op": "data", "ipa": 0, "file": "nope", "measure": True}],
            [{"op": "init_ripas", "base": 0, "top": 0x1000, "level": 2}],
            [{"op": "init_ripas", "base": 0x1000, "top": 0x1000}],
            [{"op": "rec", "flags": 1, "gprs": [0] * 7}],
            [{"op": "rec", "runnable": True, "flags": 1}],
            [{"op": "recc", "flags": 1}],
            [{"op": "rec", "flags": 1, "pcc": 0}],
        ]
        for ops in bad:
            with self.subTest(ops=ops):
                with self.assertRaises(ManifestError):
                    self.rim(ops)
        for realm in ({"hash_algo": "sha-384"}, {"s2sz": 0x100 + 40}, {"rpv": "00"},
                      {"typo": 1}):
            with self.subTest(realm=realm):
                with self.assertRaises(ManifestError):
                    self.rim([], **realm)


class TestTestRealmManifest(unittest.TestCase):
    def test_rpv_matches_host(self):
        with open(TEST_REALM) as f:
            m = json.load(f)
        # tests/nshost/test_realm.c write_params: w[0x400/8 + i] = 0x5250560000000000 + i
        want = b"".join(le(0x5250560000000000 + i, 8) for i in range(8))
        self.assertEqual(bytes.fromhex(m["realm"]["rpv"]), want)

    def test_prediction_matches_hand_chain(self):
        for size in (6144, 4096, 9000, 1, 0):
            with self.subTest(size=size), tempfile.TemporaryDirectory() as d:
                payload = bytes((i * 131 + size) & 0xFF for i in range(size))
                path = os.path.join(d, "payload.bin")
                with open(path, "wb") as f:
                    f.write(payload)
                rim, rpv = rim_predict.predict_file(TEST_REALM, {"payload": path})
                self.assertEqual(rim.rim, hand_test_realm(payload))
                rc, out, err = run_tool(os.path.join(HERE, "rim_predict.py"), TEST_REALM,
                                        "--payload", path)
                self.assertEqual(rc, 0, err)
                self.assertEqual(out.strip(), hand_test_realm(payload).hex())

    def test_end_to_end_token_with_predicted_rim(self):
        with tempfile.TemporaryDirectory() as d:
            payload = bytes(range(256)) * 24
            ppath = os.path.join(d, "payload.bin")
            with open(ppath, "wb") as f:
                f.write(payload)
            rc, out, err = run_tool(os.path.join(HERE, "rim_predict.py"), TEST_REALM,
                                    "--payload", ppath, "--json")
            self.assertEqual(rc, 0, err)
            pred = json.loads(out)
            tok = cca_token(realm=realm_token(claims(c44238=bytes.fromhex(pred["rim"]),
                                                     c44235=bytes.fromhex(pred["rpv"]))))
            tpath = os.path.join(d, "tok.bin")
            with open(tpath, "wb") as f:
                f.write(tok)
            tool = os.path.join(HERE, "cca_verify.py")
            rc, out, err = run_tool(tool, tpath, "--expect-rim", pred["rim"],
                                    "--expect-rpv", pred["rpv"])
            self.assertEqual(rc, 0, err)
            rc, out, err = run_tool(tool, tpath, "--expect-rim", hand_test_realm(b"").hex())
            self.assertEqual(rc, 1)


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=sys.stderr, verbosity=2).run(suite)
    failed = set()
    bad = [t for t, _ in result.failures + result.errors] + list(result.unexpectedSuccesses)
    for test in bad:
        failed.add(getattr(test, "test_case", test).id())
    passed = result.testsRun - len(failed) - len(result.skipped)
    nfail = len(failed) + (0 if result.testsRun else 1)
    sys.stderr.flush()
    print("attest-py: %d passed, %d failed" % (passed, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
