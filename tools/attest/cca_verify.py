#!/usr/bin/python3
"""Independent verifier for Arm CCA attestation tokens produced by the RMM.

Written from /work/shared/spec/attestation.md (RMM v1.0-REL0 profile):

  CCA token   = #6.399({44234: bstr platform-token, 44241: bstr realm-token})
  realm token = #6.18([bstr .cbor {1: -35}, {}, bstr .cbor claims, bstr(96)])

What is checked (any failure raises VerifyError):
  * CCA token: tag 399, a map with exactly the keys 44234 and 44241, both
    byte strings, no trailing bytes;
  * realm token: COSE_Sign1 (tag 18, 4-element array), protected header
    exactly {1: -35} (ES384), empty unprotected map, payload a byte string,
    96-byte signature;
  * realm claims: exactly the 8 claims of attestation.md section 3, each
    with its CBOR type and value constraints; the RAK COSE_Key is
    {1: 2, -1: 2, -2: bstr(48), -3: bstr(48)} and a valid P-384 point;
  * the ES384 signature over ["Signature1", protected, h'', payload] with
    the RAK taken from the token;
  * platform token: COSE_Sign1 (tag 18) whose payload challenge (claim 10)
    equals SHA-256 of the RAK COSE_Key bytes exactly as carried in claim
    44237. Its signature is NOT verified (the platform key is not known).
  * optionally: the challenge, RIM and RPV against expected values.

The CBOR decoder below is a small strict one (definite lengths, minimal
argument encoding, no duplicate map keys, no trailing bytes) so that the
RMM's encoding is checked, not just its meaning.

Usage: cca_verify.py TOKEN.bin [--challenge HEX] [--expect-rim HEX]
                                [--expect-rpv HEX] [--json]
Exit status 0 when the token verifies, 1 otherwise.
"""

import argparse
import hashlib
import json
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

# --------------------------------------------------------------------------
# Constants (attestation.md)

TAG_CCA_TOKEN = 399
TAG_COSE_SIGN1 = 18
CCA_PLATFORM_TOKEN = 44234
CCA_REALM_TOKEN = 44241

COSE_HDR_ALG = 1
COSE_ALG_ES384 = -35
COSE_KEY_KTY, COSE_KEY_CRV, COSE_KEY_X, COSE_KEY_Y = 1, -1, -2, -3
COSE_KTY_EC2 = 2
COSE_CRV_P384 = 2

CLAIM_CHALLENGE = 10
CLAIM_RPV = 44235
CLAIM_RAK = 44237
CLAIM_HASH_ALGO = 44236
CLAIM_RAK_HASH_ALGO = 44240
CLAIM_PROFILE = 265
CLAIM_RIM = 44238
CLAIM_REMS = 44239

REALM_PROFILE = "tag:arm.com,2023:realm#1.0.0"
HASH_ALGOS = {"sha-256": 32, "sha-512": 64}
RAK_HASH_ALGO = "sha-256"

CLAIM_NAMES = {
    CLAIM_CHALLENGE: "challenge",
    CLAIM_RPV: "personalization value",
    CLAIM_RAK: "public key (RAK)",
    CLAIM_HASH_ALGO: "hash algorithm id",
    CLAIM_RAK_HASH_ALGO: "public key hash algorithm id",
    CLAIM_PROFILE: "profile",
    CLAIM_RIM: "initial measurement (RIM)",
    CLAIM_REMS: "extensible measurements (REMs)",
}

# Platform claims we report (never required except the challenge).
PLAT_CLAIM_NAMES = {
    265: "profile",
    10: "challenge",
    2396: "implementation id",
    256: "instance id",
    2401: "platform config",
    2395: "security lifecycle",
    2402: "hash algorithm id",
    2400: "verification service",
    2399: "software components",
}

PLATFORM_SIG_NOTE = ("platform token signature NOT verified "
                     "(the platform attestation key is not available)")


class VerifyError(Exception):
    """The token is malformed or does not verify."""


class CborError(VerifyError):
    """Malformed or non-canonical CBOR."""


# --------------------------------------------------------------------------
# Minimal strict CBOR decoder / encoder

class Tag:
    __slots__ = ("tag", "value")

    def __init__(self, tag, value):
        self.tag = tag
        self.value = value

    def __repr__(self):
        return "Tag(%d, %r)" % (self.tag, self.value)


class Simple:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return "Simple(%d)" % self.value


_MAX_DEPTH = 32
_BREAK = object()


class _Decoder:
    def __init__(self, data, strict):
        self.data = bytes(data)
        self.pos = 0
        self.strict = strict

    def _take(self, n):
        if n > len(self.data) - self.pos:
            raise CborError("truncated CBOR: need %d bytes at offset %d, %d left"
                            % (n, self.pos, len(self.data) - self.pos))
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def _argument(self, major, ai, start):
        if ai < 24:
            return ai
        if ai in (24, 25, 26, 27):
            size = 1 << (ai - 24)
            val = int.from_bytes(self._take(size), "big")
            if self.strict and major != 7:
                minimum = {24: 24, 25: 0x100, 26: 0x10000, 27: 0x100000000}[ai]
                if val < minimum:
                    raise CborError("non-minimal CBOR argument encoding at offset %d" % start)
            return val
        if ai == 31:
            return None  # indefinite length / break
        raise CborError("reserved CBOR additional information %d at offset %d" % (ai, start))

    def item(self, depth=0, allow_break=False):
        if depth > _MAX_DEPTH:
            raise CborError("CBOR nesting too deep")
        start = self.pos
        ib = self._take(1)[0]
        major, ai = ib >> 5, ib & 0x1F
        if major == 7:
            return self._simple(ai, start, allow_break)
        arg = self._argument(major, ai, start)
        if arg is None and major in (0, 1, 6):
            raise CborError("invalid indefinite length for major type %d at offset %d"
                            % (major, start))
        if arg is None:
            if self.strict:
                raise CborError("indefinite-length CBOR item at offset %d" % start)
            return self._indefinite(major, depth, start)
        if major == 0:
            return arg
        if major == 1:
            return -1 - arg
        if major == 2:
            return self._take(arg)
        if major == 3:
            try:
                return self._take(arg).decode("utf-8")
            except UnicodeDecodeError:
                raise CborError("invalid UTF-8 in text string at offset %d" % start)
        if major == 4:
            if arg > len(self.data) - self.pos:
                raise CborError("truncated CBOR array at offset %d" % start)
            return [self.item(depth + 1) for _ in range(arg)]
        if major == 5:
            if 2 * arg > len(self.data) - self.pos:
                raise CborError("truncated CBOR map at offset %d" % start)
            out = {}
            for _ in range(arg):
                self._map_entry(out, depth, start)
            return out
        return Tag(arg, self.item(depth + 1))  # major 6

    def _map_entry(self, out, depth, start):
        kpos = self.pos
        key = self.item(depth + 1)
        if isinstance(key, bool) or not isinstance(key, (int, str, bytes)):
            raise CborError("unsupported CBOR map key type %s at offset %d"
                            % (type(key).__name__, kpos))
        if key in out:
            raise CborError("duplicate CBOR map key %r in map at offset %d" % (key, start))
        out[key] = self.item(depth + 1)

    def _simple(self, ai, start, allow_break):
        if ai < 20:
            return Simple(ai)
        if ai == 20:
            return False
        if ai == 21:
            return True
        if ai == 22:
            return None
        if ai == 23:
            return Simple(23)
        if ai == 24:
            v = self._take(1)[0]
            if v < 32:
                raise CborError("invalid two-byte simple value at offset %d" % start)
            return Simple(v)
        if ai == 25:
            return struct.unpack(">e", self._take(2))[0]
        if ai == 26:
            return struct.unpack(">f", self._take(4))[0]
        if ai == 27:
            return struct.unpack(">d", self._take(8))[0]
        if ai == 31:
            if allow_break:
                return _BREAK
            raise CborError("unexpected CBOR break at offset %d" % start)
        raise CborError("reserved CBOR simple encoding at offset %d" % start)

    def _indefinite(self, major, depth, start):
        if major in (2, 3):
            chunks = []
            while True:
                cpos = self.pos
                c = self.item(depth + 1, allow_break=True)
                if c is _BREAK:
                    break
                if type(c) is not (bytes if major == 2 else str):
                    raise CborError("bad chunk in indefinite string at offset %d" % cpos)
                chunks.append(c)
            return (b"" if major == 2 else "").join(chunks)
        if major == 4:
            out = []
            while True:
                v = self.item(depth + 1, allow_break=True)
                if v is _BREAK:
                    return out
                out.append(v)
        out = {}
        while True:
            kpos = self.pos
            key = self.item(depth + 1, allow_break=True)
            if key is _BREAK:
                return out
            self.pos = kpos
            self._map_entry(out, depth, start)


def cbor_decode(data, strict=True):
    """Decode exactly one CBOR item filling all of `data`."""
    dec = _Decoder(data, strict)
    value = dec.item()
    if dec.pos != len(dec.data):
        raise CborError("%d trailing bytes after the CBOR item" % (len(dec.data) - dec.pos))
    return value


def _head(major, n):
    if n < 24:
        return bytes([(major << 5) | n])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < (1 << (8 * size)):
            return bytes([(major << 5) | ai]) + n.to_bytes(size, "big")
    raise ValueError("CBOR argument too large")


def cbor_encode(v):
    """Minimal deterministic encoder for int/bytes/str/list/dict (enough for
    the COSE Sig_structure and COSE_Key)."""
    if isinstance(v, bool) or v is None:
        raise TypeError("unsupported")
    if isinstance(v, int):
        return _head(0, v) if v >= 0 else _head(1, -1 - v)
    if isinstance(v, (bytes, bytearray)):
        return _head(2, len(v)) + bytes(v)
    if isinstance(v, str):
        b = v.encode("utf-8")
        return _head(3, len(b)) + b
    if isinstance(v, (list, tuple)):
        return _head(4, len(v)) + b"".join(cbor_encode(x) for x in v)
    if isinstance(v, dict):
        return _head(5, len(v)) + b"".join(cbor_encode(k) + cbor_encode(x) for k, x in v.items())
    raise TypeError("unsupported type %s" % type(v).__name__)


# --------------------------------------------------------------------------
# Helpers

def _tname(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, bytes):
        return "bstr"
    if isinstance(v, str):
        return "tstr"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, Tag):
        return "tag %d" % v.tag
    if v is None:
        return "null"
    return type(v).__name__


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _hex(b):
    return bytes(b).hex()


def _want_bytes(value, what, length=None):
    if not isinstance(value, bytes):
        raise VerifyError("%s: expected bstr, got %s" % (what, _tname(value)))
    if length is not None and len(value) != length:
        raise VerifyError("%s: expected %d bytes, got %d" % (what, length, len(value)))
    return value


def _want_text(value, what):
    if not isinstance(value, str):
        raise VerifyError("%s: expected tstr, got %s" % (what, _tname(value)))
    return value


def parse_hex_arg(text, what, lengths=None):
    t = text.strip().lower()
    if t.startswith("0x"):
        t = t[2:]
    try:
        b = bytes.fromhex(t)
    except ValueError:
        raise VerifyError("%s: not a hex string" % what)
    if lengths is not None and len(b) not in lengths:
        raise VerifyError("%s: %d bytes given, expected %s" %
                          (what, len(b), " or ".join(str(n) for n in sorted(lengths))))
    return b


# --------------------------------------------------------------------------
# Token structure

def parse_cca_token(data):
    """Return (platform_token_bytes, realm_token_bytes)."""
    try:
        top = cbor_decode(data)
    except CborError as e:
        raise VerifyError("CCA token: %s" % e)
    if not isinstance(top, Tag):
        raise VerifyError("CCA token: expected CBOR tag %d, got %s" % (TAG_CCA_TOKEN, _tname(top)))
    if top.tag != TAG_CCA_TOKEN:
        raise VerifyError("CCA token: wrong tag %d (expected %d)" % (top.tag, TAG_CCA_TOKEN))
    m = top.value
    if not isinstance(m, dict):
        raise VerifyError("CCA token: tag content is %s, expected map" % _tname(m))
    expected = {CCA_PLATFORM_TOKEN, CCA_REALM_TOKEN}
    missing = expected - set(m)
    extra = set(m) - expected
    if missing:
        raise VerifyError("CCA token: missing key(s) %s" % sorted(missing))
    if extra:
        raise VerifyError("CCA token: unexpected key(s) %s" % sorted(extra, key=repr))
    plat = _want_bytes(m[CCA_PLATFORM_TOKEN], "CCA token key 44234 (platform token)")
    realm = _want_bytes(m[CCA_REALM_TOKEN], "CCA token key 44241 (realm token)")
    return plat, realm


def parse_cose_sign1(data, what, strict=True):
    """Structural parse of a tagged COSE_Sign1. Returns a dict with the raw
    protected bstr, the decoded protected map, unprotected map, payload and
    signature."""
    try:
        top = cbor_decode(data, strict=strict)
    except CborError as e:
        raise VerifyError("%s: %s" % (what, e))
    if not isinstance(top, Tag):
        raise VerifyError("%s: expected CBOR tag %d (COSE_Sign1), got %s"
                          % (what, TAG_COSE_SIGN1, _tname(top)))
    if top.tag != TAG_COSE_SIGN1:
        raise VerifyError("%s: wrong tag %d (expected %d, COSE_Sign1)"
                          % (what, top.tag, TAG_COSE_SIGN1))
    arr = top.value
    if not isinstance(arr, list) or len(arr) != 4:
        raise VerifyError("%s: COSE_Sign1 must be an array of 4 items, got %s%s"
                          % (what, _tname(arr), "(%d)" % len(arr) if isinstance(arr, list) else ""))
    prot_b, unprot, payload, sig = arr
    prot_b = _want_bytes(prot_b, what + " protected header")
    if len(prot_b) == 0:
        prot = {}
    else:
        try:
            prot = cbor_decode(prot_b, strict=strict)
        except CborError as e:
            raise VerifyError("%s protected header: %s" % (what, e))
    if not isinstance(prot, dict):
        raise VerifyError("%s protected header: expected map, got %s" % (what, _tname(prot)))
    if not isinstance(unprot, dict):
        raise VerifyError("%s unprotected header: expected map, got %s" % (what, _tname(unprot)))
    payload = _want_bytes(payload, what + " payload")
    sig = _want_bytes(sig, what + " signature")
    return {"protected_bytes": prot_b, "protected": prot, "unprotected": unprot,
            "payload": payload, "signature": sig}


def sig_structure(protected_bytes, payload, external_aad=b""):
    return cbor_encode(["Signature1", protected_bytes, external_aad, payload])


def parse_rak(cose_key_bytes):
    """Decode the RAK COSE_Key. Returns (public_key, x, y)."""
    what = "claim 44237 (RAK COSE_Key)"
    try:
        key = cbor_decode(cose_key_bytes)
    except CborError as e:
        raise VerifyError("%s: %s" % (what, e))
    if not isinstance(key, dict):
        raise VerifyError("%s: expected map, got %s" % (what, _tname(key)))
    expected = {COSE_KEY_KTY, COSE_KEY_CRV, COSE_KEY_X, COSE_KEY_Y}
    if set(key) != expected:
        raise VerifyError("%s: keys %s, expected exactly %s"
                          % (what, sorted(key, key=repr), sorted(expected)))
    for label, want in ((COSE_KEY_KTY, COSE_KTY_EC2), (COSE_KEY_CRV, COSE_CRV_P384)):
        v = key[label]
        if not _is_int(v):
            raise VerifyError("%s: label %d must be int, got %s" % (what, label, _tname(v)))
        if v != want:
            raise VerifyError("%s: label %d is %d, expected %d" % (what, label, v, want))
    x = _want_bytes(key[COSE_KEY_X], what + " x (-2)", 48)
    y = _want_bytes(key[COSE_KEY_Y], what + " y (-3)", 48)
    try:
        pub = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP384R1(), b"\x04" + x + y)
    except ValueError:
        raise VerifyError("%s: (x, y) is not a valid P-384 point" % what)
    return pub, x, y


def check_realm_claims(payload):
    """Decode and check the realm claims map. Returns a dict keyed by claim
    number with the (type-checked) Python values."""
    try:
        claims = cbor_decode(payload)
    except CborError as e:
        raise VerifyError("realm token payload: %s" % e)
    if not isinstance(claims, dict):
        raise VerifyError("realm token payload: expected map, got %s" % _tname(claims))
    expected = set(CLAIM_NAMES)
    missing = expected - set(claims)
    extra = set(claims) - expected
    if missing:
        raise VerifyError("realm claims: missing claim(s) %s" %
                          ", ".join("%d (%s)" % (k, CLAIM_NAMES[k]) for k in sorted(missing)))
    if extra:
        raise VerifyError("realm claims: unknown claim(s) %s" % sorted(extra, key=repr))

    def name(k):
        return "claim %d (%s)" % (k, CLAIM_NAMES[k])

    _want_bytes(claims[CLAIM_CHALLENGE], name(CLAIM_CHALLENGE), 64)
    _want_bytes(claims[CLAIM_RPV], name(CLAIM_RPV), 64)
    _want_bytes(claims[CLAIM_RAK], name(CLAIM_RAK))
    algo = _want_text(claims[CLAIM_HASH_ALGO], name(CLAIM_HASH_ALGO))
    if algo not in HASH_ALGOS:
        raise VerifyError("%s: %r is not one of %s" % (name(CLAIM_HASH_ALGO), algo, sorted(HASH_ALGOS)))
    rak_algo = _want_text(claims[CLAIM_RAK_HASH_ALGO], name(CLAIM_RAK_HASH_ALGO))
    if rak_algo != RAK_HASH_ALGO:
        raise VerifyError("%s: %r, expected %r" % (name(CLAIM_RAK_HASH_ALGO), rak_algo, RAK_HASH_ALGO))
    profile = _want_text(claims[CLAIM_PROFILE], name(CLAIM_PROFILE))
    if profile != REALM_PROFILE:
        raise VerifyError("%s: %r, expected %r" % (name(CLAIM_PROFILE), profile, REALM_PROFILE))
    hlen = HASH_ALGOS[algo]
    _want_bytes(claims[CLAIM_RIM], name(CLAIM_RIM) + " for " + algo, hlen)
    rems = claims[CLAIM_REMS]
    if not isinstance(rems, list):
        raise VerifyError("%s: expected array, got %s" % (name(CLAIM_REMS), _tname(rems)))
    if len(rems) != 4:
        raise VerifyError("%s: expected 4 entries, got %d" % (name(CLAIM_REMS), len(rems)))
    for i, r in enumerate(rems):
        _want_bytes(r, "%s[%d] for %s" % (name(CLAIM_REMS), i, algo), hlen)
    return claims


def check_realm_token(data):
    """Parse, check and verify the realm token. Returns (claims, info)."""
    s1 = parse_cose_sign1(data, "realm token")
    if s1["protected"] != {COSE_HDR_ALG: COSE_ALG_ES384} or \
            not _is_int(s1["protected"].get(COSE_HDR_ALG)):
        raise VerifyError("realm token protected header: %r, expected exactly {1: -35} (ES384)"
                          % (s1["protected"],))
    if s1["unprotected"]:
        raise VerifyError("realm token unprotected header: must be an empty map, has keys %s"
                          % sorted(s1["unprotected"], key=repr))
    sig = s1["signature"]
    if len(sig) != 96:
        raise VerifyError("realm token signature: expected 96 bytes (r || s), got %d" % len(sig))
    claims = check_realm_claims(s1["payload"])
    pub, x, y = parse_rak(claims[CLAIM_RAK])
    r = int.from_bytes(sig[:48], "big")
    s = int.from_bytes(sig[48:], "big")
    try:
        pub.verify(encode_dss_signature(r, s),
                   sig_structure(s1["protected_bytes"], s1["payload"]),
                   ec.ECDSA(hashes.SHA384()))
    except InvalidSignature:
        raise VerifyError("realm token: ES384 signature does not verify with the RAK of claim 44237")
    return claims, {"x": x, "y": y, "size": len(data)}


def _plat_value(v):
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, list):
        return [_plat_value(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plat_value(x) for k, x in v.items()}
    if isinstance(v, Tag):
        return {"tag": v.tag, "value": _plat_value(v.value)}
    if isinstance(v, Simple):
        return "simple(%d)" % v.value
    return v


def check_platform_token(data, rak_cose_key):
    """Structural check of the platform token and its binding to the RAK.
    The platform token signature is NOT verified."""
    # Lenient CBOR here (indefinite lengths / non-minimal heads accepted):
    # this token comes from the platform root of trust, not from the RMM.
    s1 = parse_cose_sign1(data, "platform token", strict=False)
    try:
        claims = cbor_decode(s1["payload"], strict=False)
    except CborError as e:
        raise VerifyError("platform token payload: %s" % e)
    if not isinstance(claims, dict):
        raise VerifyError("platform token payload: expected map, got %s" % _tname(claims))
    if CLAIM_CHALLENGE not in claims:
        raise VerifyError("platform token: no challenge claim (10)")
    chal = _want_bytes(claims[CLAIM_CHALLENGE], "platform token challenge (10)")
    rak_hash = hashlib.sha256(rak_cose_key).digest()
    if chal != rak_hash:
        raise VerifyError("platform token challenge %s != SHA-256(RAK COSE_Key) %s "
                          "(platform token not bound to this RAK)" % (chal.hex(), rak_hash.hex()))
    alg = s1["protected"].get(COSE_HDR_ALG)
    info = {
        "size": len(data),
        "alg": alg,
        "challenge": chal.hex(),
        "rak_hash": rak_hash.hex(),
        "binding": "challenge == SHA-256(RAK COSE_Key): OK",
        "signature_verified": False,
        "note": PLATFORM_SIG_NOTE,
        "claims": {},
    }
    for k, v in claims.items():
        label = PLAT_CLAIM_NAMES.get(k, str(k)) if not isinstance(k, bytes) else k.hex()
        if k == 2399 and isinstance(v, list):
            info["claims"][label] = "%d entries" % len(v)
            info["sw_components"] = _plat_value(v)
        else:
            info["claims"][label] = _plat_value(v)
    return info


def verify_token(data, challenge=None, expect_rim=None, expect_rpv=None):
    """Verify a CCA token (bytes). Optional expected values are bytes.
    Returns a JSON-serialisable dict; raises VerifyError on failure."""
    plat, realm = parse_cca_token(data)
    claims, rinfo = check_realm_token(realm)
    pinfo = check_platform_token(plat, claims[CLAIM_RAK])
    algo = claims[CLAIM_HASH_ALGO]
    checks = ["CCA token structure (tag 399, keys 44234/44241)",
              "realm token COSE_Sign1 structure, protected {1: -35}, empty unprotected",
              "realm claims: all 8 present, no others, types and lengths",
              "RAK COSE_Key is a valid P-384 point",
              "realm token ES384 signature",
              "platform challenge == SHA-256(RAK COSE_Key)"]
    if challenge is not None:
        if bytes(challenge) != claims[CLAIM_CHALLENGE]:
            raise VerifyError("challenge mismatch: token %s, expected %s"
                              % (claims[CLAIM_CHALLENGE].hex(), bytes(challenge).hex()))
        checks.append("challenge == expected")
    if expect_rim is not None:
        if bytes(expect_rim) != claims[CLAIM_RIM]:
            raise VerifyError("RIM mismatch: token %s, expected %s"
                              % (claims[CLAIM_RIM].hex(), bytes(expect_rim).hex()))
        checks.append("RIM == expected")
    if expect_rpv is not None:
        if bytes(expect_rpv) != claims[CLAIM_RPV]:
            raise VerifyError("RPV mismatch: token %s, expected %s"
                              % (claims[CLAIM_RPV].hex(), bytes(expect_rpv).hex()))
        checks.append("RPV == expected")
    return {
        "verified": True,
        "token_size": len(data),
        "realm_token": {
            "size": rinfo["size"],
            "challenge": claims[CLAIM_CHALLENGE].hex(),
            "personalization_value": claims[CLAIM_RPV].hex(),
            "rak_cose_key": claims[CLAIM_RAK].hex(),
            "rak": {"kty": "EC2", "crv": "P-384", "x": rinfo["x"].hex(), "y": rinfo["y"].hex()},
            "hash_algo_id": algo,
            "pubkey_hash_algo_id": claims[CLAIM_RAK_HASH_ALGO],
            "profile": claims[CLAIM_PROFILE],
            "rim": claims[CLAIM_RIM].hex(),
            "rems": [r.hex() for r in claims[CLAIM_REMS]],
            "signature": "ES384, verified with the RAK of claim 44237",
        },
        "platform_token": pinfo,
        "checks": checks,
    }


def format_text(res):
    rt, pt = res["realm_token"], res["platform_token"]
    out = ["CCA token: VERIFIED (%d bytes)" % res["token_size"],
           "Realm token (%d bytes): COSE_Sign1, ES384 signature OK (RAK from claim 44237)" % rt["size"],
           "  challenge            (10)    : %s" % rt["challenge"],
           "  personalization value(44235) : %s" % rt["personalization_value"],
           "  RAK COSE_Key         (44237) : %s" % rt["rak_cose_key"],
           "      P-384 x = %s" % rt["rak"]["x"],
           "      P-384 y = %s" % rt["rak"]["y"],
           "  hash algorithm id    (44236) : %s" % rt["hash_algo_id"],
           "  RAK hash algorithm id(44240) : %s" % rt["pubkey_hash_algo_id"],
           "  profile              (265)   : %s" % rt["profile"],
           "  RIM                  (44238) : %s" % rt["rim"]]
    for i, r in enumerate(rt["rems"]):
        out.append("  REM[%d]               (44239) : %s" % (i, r))
    out.append("Platform token (%d bytes): COSE_Sign1, alg %s" % (pt["size"], pt["alg"]))
    out.append("  challenge (10) = SHA-256(RAK COSE_Key) = %s : binding OK" % pt["challenge"])
    for k, v in pt["claims"].items():
        if k == "challenge":
            continue
        out.append("  %-22s: %s" % (k, json.dumps(v) if not isinstance(v, str) else v))
    out.append("  NOTE: " + pt["note"])
    out.append("Checks passed: " + "; ".join(res["checks"]))
    return "\n".join(out)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        sys.stderr.write("cca_verify: FAIL: %s\n" % message)
        sys.exit(1)


def main(argv=None):
    ap = _Parser(description="Verify an Arm CCA attestation token (realm token "
                 "signature, claims, platform binding).")
    ap.add_argument("token", help="CCA token file (raw CBOR bytes)")
    ap.add_argument("--challenge", help="expected 64-byte challenge (hex)")
    ap.add_argument("--expect-rim", help="expected RIM (hex, 32 or 64 bytes)")
    ap.add_argument("--expect-rpv", help="expected 64-byte RPV (hex)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)
    try:
        chal = parse_hex_arg(args.challenge, "--challenge", {64}) if args.challenge else None
        rim = parse_hex_arg(args.expect_rim, "--expect-rim", {32, 64}) if args.expect_rim else None
        rpv = parse_hex_arg(args.expect_rpv, "--expect-rpv", {64}) if args.expect_rpv else None
        try:
            with open(args.token, "rb") as f:
                data = f.read()
        except OSError as e:
            raise VerifyError("cannot read %s: %s" % (args.token, e.strerror or e))
        res = verify_token(data, challenge=chal, expect_rim=rim, expect_rpv=rpv)
    except VerifyError as e:
        if args.json:
            print(json.dumps({"verified": False, "error": str(e)}, indent=2))
        sys.stderr.write("cca_verify: FAIL: %s\n" % e)
        return 1
    print(json.dumps(res, indent=2) if args.json else format_text(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
