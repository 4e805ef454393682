#!/usr/bin/python3
"""Offline Realm Initial Measurement (RIM) predictor.

Implements the measurement model of /work/shared/spec/states.md section 6
(RMM v1.0-REL0 / TF-RMM v0.6.0 behaviour):

  REALM_CREATE    RIM = H(P), P = 4096 bytes, zero except flags (8 bytes at
                  0x000), s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs (at
                  0x008, 0x010, 0x018, 0x020, 0x028) and hash_algo (0x030),
                  little-endian.
  RTT_INIT_RIPAS  for every RTT entry processed, ascending:
                  RIM = H(desc type 2 | len 0x100 | RIM | base | top)
  DATA_CREATE     RIM = H(desc type 0 | len | RIM | ipa | flags |
                          flags == 1 ? H(page) : 0)
  REC_CREATE      runnable only: C = H(R), R = 4096 bytes, zero except
                  flags (0x000), pc (0x200), gprs[0..7] (0x300);
                  RIM = H(desc type 1 | len | RIM | C)

Every descriptor is 256 bytes (zero-filled; RIM and hashes in 64-byte slots).

Manifest (JSON; integers may be given as numbers or as "0x.." strings):

  {
    "realm": {
      "hash_algo": "sha-256" | "sha-512" | 0 | 1,
      "flags": 0,  "lpa2": false, "sve": false, "pmu": false,   (OR-ed)
      "s2sz": 39, "sve_vl": 0, "num_bps": 1, "num_wps": 1, "pmu_num_ctrs": 0,
      -- not measured, accepted for documentation / the RPV output:
      "rpv": "<64 bytes hex>", "vmid": 1, "rtt_level_start": 1,
      "rtt_num_start": 1, "rtt_base": 0
    },
    "files": {"payload": "../../build/qemu/realm/payload.bin"},
    "ops": [                                      (in the order the host ran them)
      {"op": "init_ripas", "base": 0, "top": "0x4000", "level": 3},
      {"op": "data", "ipa": 0, "file": "payload", "offset": 0, "measure": true},
      {"op": "data", "ipa": "0x1000", "zero": true, "measure": false},
      {"op": "rec", "flags": 1, "pc": 0, "gprs": [0, 0, 0, 0, 0, 0, 0, 0], "mpidr": 0}
    ]
  }

* init_ripas: "level" (default 3) is the RTT level of the entries the RMM
  walks to, i.e. the host's RTT geometry: one descriptor per 4 KB page at
  level 3, per 2 MB block at level 2, per 1 GB block at level 1. Use several
  ops if the geometry changes inside the range.
* data: one 4 KB granule. Content = 4096 bytes of the file starting at
  "offset" (zero-padded past the end of the file), or all zeros with
  "zero": true. "measure": true|false (or "flags": 1|0 = RMI_DATA_FLAGS).
  "file" names an entry of "files" or is a path relative to the manifest.
* rec: "flags" (full 64-bit value, bit 0 = RUNNABLE) or "runnable": bool;
  "pc", "gprs" default to 0; "mpidr" is accepted but not measured.
  Non-runnable RECs do not change the RIM.

CLI: rim_predict.py manifest.json [--payload PATH] [--file NAME=PATH]
                                  [--trace] [--json]
Prints the RIM in hex (hlen bytes). --payload overrides files["payload"].
"""

import argparse
import hashlib
import json
import os
import struct
import sys

GRANULE = 4096
DESC_LEN = 0x100
DESC_DATA, DESC_REC, DESC_RIPAS = 0, 1, 2

HASH_ALGOS = {0: ("sha-256", hashlib.sha256, 32), 1: ("sha-512", hashlib.sha512, 64)}
HASH_IDS = {"sha-256": 0, "sha-512": 1}

FLAG_LPA2, FLAG_SVE, FLAG_PMU = 1 << 0, 1 << 1, 1 << 2
REC_RUNNABLE = 1 << 0

U64 = (1 << 64) - 1


class ManifestError(Exception):
    """Invalid manifest or operation."""


def _slot64(digest):
    return bytes(digest) + bytes(64 - len(digest))


class Rim:
    """RIM hash chain of one realm (states.md section 6)."""

    def __init__(self, hash_algo, flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs):
        if hash_algo not in HASH_ALGOS:
            raise ManifestError("hash_algo %r: must be 0 (SHA-256) or 1 (SHA-512)" % (hash_algo,))
        if not 0 <= flags <= U64:
            raise ManifestError("flags out of 64-bit range")
        for name, v in (("s2sz", s2sz), ("sve_vl", sve_vl), ("num_bps", num_bps),
                        ("num_wps", num_wps), ("pmu_num_ctrs", pmu_num_ctrs)):
            # Architecturally 8-bit fields (structures.md 4); TF-RMM loads 32
            # bits. The RMM rejects anything beyond 8 bits, so values outside
            # that range cannot be part of a created realm.
            if not 0 <= v <= 0xFF:
                raise ManifestError("%s = %r does not fit the 8-bit RmiRealmParams field" % (name, v))
        self.hash_algo = hash_algo
        self.algo_name, self._h, self.hlen = HASH_ALGOS[hash_algo]
        self.s2sz = s2sz
        self.trace = []
        p = bytearray(GRANULE)
        struct.pack_into("<Q", p, 0x000, flags)
        struct.pack_into("<I", p, 0x008, s2sz)
        struct.pack_into("<I", p, 0x010, sve_vl)
        struct.pack_into("<I", p, 0x018, num_bps)
        struct.pack_into("<I", p, 0x020, num_wps)
        struct.pack_into("<I", p, 0x028, pmu_num_ctrs)
        struct.pack_into("<B", p, 0x030, hash_algo)
        self.rim = self.hash(bytes(p))
        self.trace.append(("realm_create", "flags=%#x s2sz=%d sve_vl=%d num_bps=%d num_wps=%d "
                           "pmu_num_ctrs=%d hash=%s" % (flags, s2sz, sve_vl, num_bps, num_wps,
                                                        pmu_num_ctrs, self.algo_name), self.rim))

    def hash(self, data):
        return self._h(data).digest()

    def _extend(self, desc_type, tail, what):
        d = bytearray(DESC_LEN)
        struct.pack_into("<QQ", d, 0, desc_type, DESC_LEN)
        d[0x10:0x50] = _slot64(self.rim)
        d[0x50:0x50 + len(tail)] = tail
        self.rim = self.hash(bytes(d))
        self.trace.append((what[0], what[1], self.rim))

    def _check_ipa(self, ipa, what):
        if ipa < 0 or ipa % GRANULE:
            raise ManifestError("%s %#x: not 4 KB aligned" % (what, ipa))
        if ipa >= (1 << self.s2sz):
            raise ManifestError("%s %#x: outside the %d-bit IPA space" % (what, ipa, self.s2sz))

    def init_ripas(self, base, top, level=3):
        if level not in (1, 2, 3):
            raise ManifestError("init_ripas level %r: entries exist at levels 1..3 only" % (level,))
        size = GRANULE << (9 * (3 - level))
        if top <= base:
            raise ManifestError("init_ripas [%#x, %#x): empty range" % (base, top))
        if base % size or top % size:
            raise ManifestError("init_ripas [%#x, %#x): not aligned to level-%d entries (%#x)"
                                % (base, top, level, size))
        self._check_ipa(base, "init_ripas base")
        if top > (1 << self.s2sz) // 2:
            # Protected address range is the lower half of the IPA space.
            raise ManifestError("init_ripas top %#x: outside the protected IPA range" % top)
        for b in range(base, top, size):
            self._extend(DESC_RIPAS, struct.pack("<QQ", b, b + size),
                         ("init_ripas", "[%#x, %#x) level %d" % (b, b + size, level)))

    def data_create(self, ipa, content, flags):
        if flags not in (0, 1):
            raise ManifestError("data flags %r: must be 0 or 1 (the RMM rejects others)" % (flags,))
        if len(content) != GRANULE:
            raise ManifestError("data content must be exactly 4096 bytes")
        self._check_ipa(ipa, "data ipa")
        if ipa >= (1 << self.s2sz) // 2:
            raise ManifestError("data ipa %#x: outside the protected IPA range" % ipa)
        content_hash = self.hash(bytes(content)) if flags == 1 else b""
        self._extend(DESC_DATA, struct.pack("<QQ", ipa, flags) + _slot64(content_hash),
                     ("data", "ipa %#x flags %d%s" % (ipa, flags, " H(page)=" + content_hash.hex()
                                                      if flags == 1 else "")))

    def rec_create(self, flags, pc=0, gprs=(0,) * 8):
        gprs = list(gprs)
        if len(gprs) != 8:
            raise ManifestError("rec gprs: exactly 8 values (x0..x7) expected")
        for v in [flags, pc] + gprs:
            if not 0 <= v <= U64:
                raise ManifestError("rec value %r out of 64-bit range" % (v,))
        if not flags & REC_RUNNABLE:
            self.trace.append(("rec", "flags %#x: not runnable, not measured" % flags, self.rim))
            return
        r = bytearray(GRANULE)
        struct.pack_into("<Q", r, 0x000, flags)
        struct.pack_into("<Q", r, 0x200, pc)
        struct.pack_into("<8Q", r, 0x300, *gprs)
        c = self.hash(bytes(r))
        self._extend(DESC_REC, _slot64(c), ("rec", "flags %#x pc %#x C=%s" % (flags, pc, c.hex())))


# --------------------------------------------------------------------------
# Manifest handling

def _int(v, what):
    if isinstance(v, bool):
        raise ManifestError("%s: boolean where an integer is expected" % what)
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        try:
            return int(v, 0)
        except ValueError:
            pass
    raise ManifestError("%s: %r is not an integer" % (what, v))


def _bool(v, what):
    if not isinstance(v, bool):
        raise ManifestError("%s: expected true/false, got %r" % (what, v))
    return v


def _check_keys(d, allowed, what):
    if not isinstance(d, dict):
        raise ManifestError("%s: expected an object" % what)
    bad = [k for k in d if k not in allowed and not k.startswith("_") and k != "comment"]
    if bad:
        raise ManifestError("%s: unknown key(s) %s" % (what, ", ".join(sorted(bad))))


REALM_KEYS = {"hash_algo", "flags", "lpa2", "sve", "pmu", "s2sz", "sve_vl", "num_bps",
              "num_wps", "pmu_num_ctrs", "rpv", "vmid", "rtt_level_start", "rtt_num_start",
              "rtt_base"}
OP_KEYS = {
    "init_ripas": {"op", "base", "top", "level"},
    "data": {"op", "ipa", "file", "offset", "zero", "measure", "flags"},
    "rec": {"op", "flags", "runnable", "pc", "gprs", "mpidr"},
}


def realm_from_manifest(realm):
    _check_keys(realm, REALM_KEYS, "realm")
    ha = realm.get("hash_algo")
    if isinstance(ha, str) and ha in HASH_IDS:
        ha = HASH_IDS[ha]
    elif ha is None:
        raise ManifestError("realm: hash_algo is required")
    else:
        ha = _int(ha, "realm.hash_algo")
    flags = _int(realm.get("flags", 0), "realm.flags")
    for name, bit in (("lpa2", FLAG_LPA2), ("sve", FLAG_SVE), ("pmu", FLAG_PMU)):
        if name in realm and _bool(realm[name], "realm." + name):
            flags |= bit
    for req in ("s2sz", "num_bps", "num_wps"):
        if req not in realm:
            raise ManifestError("realm: %s is required" % req)
    rpv = bytes(64)
    if "rpv" in realm:
        try:
            rpv = bytes.fromhex(str(realm["rpv"]))
        except ValueError:
            raise ManifestError("realm.rpv: not hex")
        if len(rpv) != 64:
            raise ManifestError("realm.rpv: %d bytes, expected 64" % len(rpv))
    for k in ("vmid", "rtt_level_start", "rtt_num_start", "rtt_base"):
        if k in realm:
            _int(realm[k], "realm." + k)  # validated, not measured
    rim = Rim(ha, flags,
              _int(realm["s2sz"], "realm.s2sz"),
              _int(realm.get("sve_vl", 0), "realm.sve_vl"),
              _int(realm["num_bps"], "realm.num_bps"),
              _int(realm["num_wps"], "realm.num_wps"),
              _int(realm.get("pmu_num_ctrs", 0), "realm.pmu_num_ctrs"))
    return rim, rpv


class _Files:
    def __init__(self, manifest, base_dir, overrides):
        files = manifest.get("files", {})
        if not isinstance(files, dict):
            raise ManifestError("files: expected an object name -> path")
        self.paths = {}
        for name, p in files.items():
            if not isinstance(p, str):
                raise ManifestError("files.%s: expected a path string" % name)
            self.paths[name] = os.path.join(base_dir, p)
        for name, p in (overrides or {}).items():
            if name not in self.paths:
                raise ManifestError("override for file %r, but the manifest has no such "
                                    "entry in \"files\"" % name)
            self.paths[name] = p
        self.base_dir = base_dir
        self.cache = {}
        self.used = {}

    def read(self, ref):
        path = self.paths.get(ref, os.path.join(self.base_dir, ref))
        if path not in self.cache:
            try:
                with open(path, "rb") as f:
                    self.cache[path] = f.read()
            except OSError as e:
                raise ManifestError("cannot read %s: %s" % (path, e.strerror or e))
            self.used[path] = set()
        return path, self.cache[path]


def predict(manifest, base_dir=".", file_overrides=None, warn=None):
    """Compute the RIM for a manifest (dict). Returns the Rim object (its
    .rim attribute is the digest) and the RPV bytes. `warn` is called with
    a message for manifest oddities that do not prevent a prediction."""
    _check_keys(manifest, {"realm", "files", "ops"}, "manifest")
    if "realm" not in manifest:
        raise ManifestError("manifest: \"realm\" is required")
    rim, rpv = realm_from_manifest(manifest["realm"])
    files = _Files(manifest, base_dir, file_overrides)
    ops = manifest.get("ops", [])
    if not isinstance(ops, list):
        raise ManifestError("ops: expected a list")
    for i, op in enumerate(ops):
        what = "ops[%d]" % i
        if not isinstance(op, dict) or op.get("op") not in OP_KEYS:
            raise ManifestError("%s: \"op\" must be one of %s" % (what, sorted(OP_KEYS)))
        kind = op["op"]
        _check_keys(op, OP_KEYS[kind], what)
        if kind == "init_ripas":
            rim.init_ripas(_int(op.get("base"), what + ".base"), _int(op.get("top"), what + ".top"),
                           _int(op.get("level", 3), what + ".level"))
        elif kind == "data":
            ipa = _int(op.get("ipa"), what + ".ipa")
            if ("measure" in op) == ("flags" in op):
                raise ManifestError("%s: give exactly one of \"measure\" or \"flags\"" % what)
            flags = (1 if _bool(op["measure"], what + ".measure") else 0) if "measure" in op \
                else _int(op["flags"], what + ".flags")
            zero = _bool(op.get("zero", False), what + ".zero")
            if zero == ("file" in op):
                raise ManifestError("%s: give exactly one of \"file\" or \"zero\": true" % what)
            if zero:
                if "offset" in op:
                    raise ManifestError("%s: \"offset\" without \"file\"" % what)
                content = bytes(GRANULE)
            else:
                off = _int(op.get("offset", 0), what + ".offset")
                if off < 0:
                    raise ManifestError("%s: negative offset" % what)
                path, blob = files.read(op["file"])
                chunk = blob[off:off + GRANULE]
                files.used[path].add((off, off + GRANULE))
                content = chunk + bytes(GRANULE - len(chunk))
            rim.data_create(ipa, content, flags)
        else:
            if ("flags" in op) == ("runnable" in op):
                raise ManifestError("%s: give exactly one of \"flags\" or \"runnable\"" % what)
            flags = _int(op["flags"], what + ".flags") if "flags" in op else \
                (REC_RUNNABLE if _bool(op["runnable"], what + ".runnable") else 0)
            gprs = op.get("gprs", [0] * 8)
            if not isinstance(gprs, list):
                raise ManifestError("%s.gprs: expected a list of 8 integers" % what)
            if "mpidr" in op:
                _int(op["mpidr"], what + ".mpidr")  # not measured
            rim.rec_create(flags, _int(op.get("pc", 0), what + ".pc"),
                           [_int(g, "%s.gprs[%d]" % (what, j)) for j, g in enumerate(gprs)])
    if warn is not None:
        for path, ranges in files.used.items():
            covered = 0
            for lo, hi in sorted(ranges):
                if lo > covered:
                    break
                covered = max(covered, hi)
            if covered < len(files.cache[path]):
                warn("%s: bytes [%d, %d) are not loaded by any data op"
                     % (path, covered, len(files.cache[path])))
    return rim, rpv


def predict_file(manifest_path, file_overrides=None, warn=None):
    try:
        with open(manifest_path) as f:
            manifest = json.load(f)
    except OSError as e:
        raise ManifestError("cannot read %s: %s" % (manifest_path, e.strerror or e))
    except ValueError as e:
        raise ManifestError("%s: invalid JSON: %s" % (manifest_path, e))
    return predict(manifest, os.path.dirname(os.path.abspath(manifest_path)), file_overrides, warn)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Predict the RIM of a realm from a build manifest "
                                 "(states.md section 6).")
    ap.add_argument("manifest")
    ap.add_argument("--payload", help="path overriding files[\"payload\"] of the manifest")
    ap.add_argument("--file", action="append", default=[], metavar="NAME=PATH",
                    help="override files[NAME]")
    ap.add_argument("--trace", action="store_true", help="print every RIM step on stderr")
    ap.add_argument("--json", action="store_true", help="print {rim, hash_algo, rpv} as JSON")
    args = ap.parse_args(argv)
    overrides = {}
    for spec in args.file:
        if "=" not in spec:
            sys.stderr.write("rim_predict: --file expects NAME=PATH\n")
            return 1
        k, v = spec.split("=", 1)
        overrides[k] = v
    if args.payload:
        overrides["payload"] = args.payload

    def warn(msg):
        sys.stderr.write("rim_predict: warning: %s\n" % msg)

    try:
        rim, rpv = predict_file(args.manifest, overrides, warn)
    except ManifestError as e:
        sys.stderr.write("rim_predict: error: %s\n" % e)
        return 1
    if args.trace:
        for kind, desc, value in rim.trace:
            sys.stderr.write("%-12s %-60s -> %s\n" % (kind, desc, value.hex()))
    if args.json:
        print(json.dumps({"rim": rim.rim.hex(), "hash_algo": rim.algo_name, "rpv": rpv.hex()},
                         indent=2))
    else:
        print(rim.rim.hex())
    return 0


if __name__ == "__main__":
    sys.exit(main())
