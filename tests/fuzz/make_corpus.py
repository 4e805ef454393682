#!/usr/bin/env python3
"""Write the seed corpus of the service fuzzer (tests/fuzz/corpus/).

    python3 tests/fuzz/make_corpus.py [outdir]

Each seed is a sequence of messages in the input format of
tests/fuzz/fuzz_services.c (see its header comment), encoded from the
schemas' field order (ipc/<service>.toml). They start from the fuzzer's
seeded state: g(1..15) and g(100..103) DELEGATED, a NEW realm with RD g(2)
and root RTT g(4) (start level 1, S2SZ 39, VMID 1), g(120) an NS page of
host data, g(127) SECURE. Run a seed with ATOLL_FUZZ_TRACE=1 to see what
each message returned.
"""
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SVC_NUM = {"granule": 0, "realm": 1, "attest": 2}
ROLE = {  # as tests/fuzz/gen_layout.py
    "pa": "PA", "src": "PA", "rtt_base": "PA", "aux": "PA",
    "ipa": "IPA", "base": "IPA", "top": "IPA",
    "level": "LEVEL", "rtt_level_start": "LEVEL",
    "desc": "DESC", "mpidr": "MPIDR", "flags": "FLAGS", "s2sz": "S2SZ",
}
S2SZ_TAB = [39, 40, 36, 44, 48, 52, 32, 33]
UNITS = {4096: 0, 2 << 20: 1, 1 << 30: 2, 1 << 39: 3}
NEW_LEASE_PA = object()

SCHEMAS = {}
for svc in SVC_NUM:
    raw = tomllib.loads((ROOT / "ipc" / f"{svc}.toml").read_text())
    SCHEMAS[svc] = [(op["name"], op.get("req", [])) for op in raw["op"]]

# Caller field of h2 (bits 4-5).
KERNEL, REALM_CTX = 3, 2


def ipa(value, unprotected_s2sz=None):
    """An IPA field: value must be k * unit (k < 256) for a unit of UNITS."""
    for unit, u in sorted(UNITS.items()):
        if value % unit == 0 and value // unit < 256:
            s = u
            if unprotected_s2sz is not None:
                s |= 4 | (S2SZ_TAB.index(unprotected_s2sz) << 3)
            return bytes([s, value // unit])
    raise ValueError(f"ipa {value:#x} is not encodable")


def field_bytes(svc, f, v):
    ty, role = f["type"], ROLE.get(f["name"], "NONE")
    if ty == "granule_ref":		# v: granule index
        return bytes([0x00, v])
    if ty == "lease_fwd":		# v: (lease, rights, range 0 whole / 1 meas)
        lease, rights, rng = v
        return bytes([lease | rights << 2 | rng << 4])
    if ty.startswith("bytes:"):		# v: fill byte (even)
        return bytes([v & 0xfe])
    if ty.startswith("u64["):		# v: list of granule indices (PA role) or small ints
        n = int(ty[4:-1])
        v = list(v) + [0] * (n - len(v))
        return bytes(v)
    if role == "IPA":			# v: bytes from ipa()
        return v
    if role == "LEVEL":
        return bytes([v + 1])
    if role == "S2SZ":
        return bytes([S2SZ_TAB.index(v)])
    if role == "DESC":			# v: (granule index, attr bits 0xdc)
        g, attrs = v
        return bytes([(attrs & 0xdc) >> 2, g])
    if role == "MPIDR":
        return bytes([v])
    return bytes([v])			# PA: granule index; others: small value < 0xc0


def msg(svc, op, caller=None, **vals):
    names = [n for n, _ in SCHEMAS[svc]]
    idx = names.index(op)
    fields = SCHEMAS[svc][idx][1]
    h2 = 0
    if caller is not None:
        h2 |= caller << 4
    out = bytes([SVC_NUM[svc], idx, h2])
    if caller == REALM_CTX:
        ctx = vals.pop("ctx")		# list of (granule index, attr)
        out += bytes([len(ctx) - 1]) + b"".join(bytes([g, a]) for g, a in ctx)
    for f in fields:
        if f["name"] not in vals:
            raise KeyError(f"{svc}.{op}: no value for {f['name']}")
        out += field_bytes(svc, f, vals.pop(f["name"]))
    if vals:
        raise KeyError(f"{svc}.{op}: unknown fields {list(vals)}")
    return out


def wrong_len(svc, op, length, direct=False):
    idx = [n for n, _ in SCHEMAS[svc]].index(op)
    h2 = 3 | (8 if direct else 0) | 4 | KERNEL << 4
    return bytes([SVC_NUM[svc], idx, h2, length]) + bytes(length)


def realm_create(rd, rtt_base, vmid, s2sz=39, level=1, roots=1, flags=0, hash_algo=0):
    return msg("realm", "create", rd=rd, flags=flags, rtt_base=rtt_base, s2sz=s2sz, sve_vl=0,
               num_bps=1, num_wps=1, pmu_num_ctrs=0, hash_algo=hash_algo, vmid=vmid,
               rtt_level_start=level, rtt_num_start=roots, rpv=0x10)


def rd_op(op, rd=2):
    return msg("realm", op, rd=rd)


def deleg(g):
    return msg("granule", "delegate", gran=g)


def undeleg(g):
    return msg("granule", "undelegate", gran=g)


SEEDS = {
    # delegate/undelegate round trips, refusals (bad state, SECURE granule), state queries
    "granule-delegate-undelegate": [
        deleg(20), msg("granule", "state", pa=20), undeleg(20), deleg(5), undeleg(1),
        msg("granule", "state", pa=1), deleg(127), undeleg(2), deleg(120),
        msg("granule", "state", pa=120),
    ],
    # what only the realm service sends: claim/lookup/release (sandboxed)
    "granule-claim-lookup-release": [
        msg("granule", "lookup", gran=2, expect=2),
        msg("granule", "claim", gran=1, **{"from": 1, "to": 6}),
        msg("granule", "release", gran=4, **{"from": 6}),
        msg("granule", "claim", REALM_CTX, ctx=[(3, 0)], gran=3, **{"from": 1, "to": 5}),
    ],
    "realm-lifecycle": [
        rd_op("aux_count"), rd_op("activate"), rd_op("activate"), rd_op("destroy"),
        realm_create(6, 8, vmid=2), rd_op("activate", 6), rd_op("destroy", 6),
        undeleg(6), undeleg(8), realm_create(2, 4, vmid=1, s2sz=40, level=0),
        rd_op("destroy", 2),
    ],
    # a 16-root LPA2 realm: delegate 16 granules at a 64 KB boundary first
    "realm-create-16-roots": [deleg(20)] + [deleg(32 + i) for i in range(16)] + [
        realm_create(20, 32, vmid=3, s2sz=52, level=0, roots=16, flags=1),
        rd_op("destroy", 20),
    ],
    "rtt-data": [
        msg("realm", "rtt_create", rd=2, rtt=3, ipa=ipa(0), level=2),
        msg("realm", "rtt_create", rd=2, rtt=5, ipa=ipa(0), level=3),
        msg("realm", "data_create_unknown", rd=2, data=6, ipa=ipa(0)),
        msg("realm", "data_create", rd=2, data=7, ipa=ipa(4096), src=120, flags=1),
        msg("realm", "rtt_read_entry", rd=2, ipa=ipa(4096), level=3),
        rd_op("destroy"),
        msg("realm", "data_destroy", rd=2, ipa=ipa(0)),
        msg("realm", "data_destroy", rd=2, ipa=ipa(4096)),
        msg("realm", "rtt_destroy", rd=2, ipa=ipa(0), level=3),
        msg("realm", "rtt_destroy", rd=2, ipa=ipa(0), level=2),
        rd_op("destroy"),
    ],
    "rtt-ripas-unprotected": [
        msg("realm", "rtt_create", rd=2, rtt=3, ipa=ipa(0), level=2),
        msg("realm", "rtt_create", rd=2, rtt=5, ipa=ipa(0), level=3),
        msg("realm", "rtt_init_ripas", rd=2, base=ipa(0), top=ipa(8192)),
        msg("realm", "data_create_unknown", rd=2, data=6, ipa=ipa(4096)),
        msg("realm", "rtt_create", rd=2, rtt=7, ipa=ipa(0, 39), level=2),
        msg("realm", "rtt_create", rd=2, rtt=9, ipa=ipa(0, 39), level=3),
        msg("realm", "rtt_map_unprotected", rd=2, ipa=ipa(0, 39), level=3, desc=(60, 0x44)),
        msg("realm", "rtt_read_entry", rd=2, ipa=ipa(0, 39), level=3),
        msg("realm", "rtt_unmap_unprotected", rd=2, ipa=ipa(0, 39), level=3),
        msg("realm", "rtt_fold", rd=2, ipa=ipa(0, 39), level=3),
        msg("realm", "rtt_fold", rd=2, ipa=ipa(0), level=3),
        rd_op("activate"),
        msg("realm", "rtt_init_ripas", rd=2, base=ipa(8192), top=ipa(12288)),
    ],
    # a second realm measured with SHA-512: DATA content hashing, an NS copy that
    # faults (the SECURE granule is UNDELEGATED but not NS), RIPAS measurement
    "realm-sha512-data": [
        realm_create(6, 8, vmid=2, hash_algo=1),
        msg("realm", "rtt_create", rd=6, rtt=9, ipa=ipa(0), level=2),
        msg("realm", "rtt_create", rd=6, rtt=10, ipa=ipa(0), level=3),
        msg("realm", "data_create", rd=6, data=11, ipa=ipa(0), src=120, flags=1),
        msg("realm", "data_create", rd=6, data=12, ipa=ipa(4096), src=127, flags=0),
        msg("realm", "data_create", rd=6, data=12, ipa=ipa(4096), src=121, flags=0),
        msg("realm", "rtt_init_ripas", rd=6, base=ipa(8192), top=ipa(16384)),
        msg("realm", "data_create_unknown", rd=2, data=13, ipa=ipa(0)),
        rd_op("destroy", 6),
    ],
    # an ASSIGNED_NS 2 MB block unfolded by RTT_CREATE, folded back, unmapped
    "rtt-unfold-ns-block": [
        msg("realm", "rtt_create", rd=2, rtt=3, ipa=ipa(0, 39), level=2),
        msg("realm", "rtt_map_unprotected", rd=2, ipa=ipa(0, 39), level=2, desc=(0, 0x44)),
        msg("realm", "rtt_create", rd=2, rtt=5, ipa=ipa(0, 39), level=3),
        msg("realm", "rtt_read_entry", rd=2, ipa=ipa(4096, 39), level=3),
        msg("realm", "rtt_fold", rd=2, ipa=ipa(0, 39), level=3),
        msg("realm", "rtt_unmap_unprotected", rd=2, ipa=ipa(0, 39), level=2),
        msg("realm", "rtt_destroy", rd=2, ipa=ipa(0, 39), level=2),
        rd_op("destroy"),
    ],
    "rec-create-destroy": [
        msg("realm", "rec_create", rd=2, rec=1, flags=1, mpidr=0, pc=0x40, gprs=[1, 2, 3],
            num_aux=16, aux=[3] + list(range(5, 16)) + [100, 101, 102, 103]),
        rd_op("destroy"),
        msg("realm", "rec_destroy", rec=1),
        rd_op("destroy"),
    ],
    # the attestation service as the realm service calls it: lease 0 = the RD
    "attest-measurements": [
        msg("attest", "read", REALM_CTX, ctx=[(2, 0)], meas=(0, 3, 1), index=0),
        msg("attest", "extend_ripas", REALM_CTX, ctx=[(2, 0)], meas=(0, 3, 1), base=ipa(0),
            top=ipa(4096)),
        msg("attest", "extend_data", REALM_CTX, ctx=[(2, 0), (120, 2)], meas=(0, 3, 1),
            data=(1, 1, 0), ipa=ipa(4096), flags=1),
        msg("attest", "extend_rec", REALM_CTX, ctx=[(2, 0)], meas=(0, 3, 1), flags=1, pc=0x80,
            gprs=[0] * 8),
        msg("attest", "rim_init", REALM_CTX, ctx=[(2, 0)], meas=(0, 3, 1), hash_algo=1,
            s2sz=39, flags=0, sve_vl=0, num_bps=1, num_wps=1, pmu_num_ctrs=0),
    ],
    # malformed messages: wrong lengths (through the transport and straight to dispatch),
    # an unknown op, a bogus service
    "malformed": [
        wrong_len("realm", "create", 16), wrong_len("granule", "delegate", 8, direct=True),
        wrong_len("attest", "read", 0, direct=True),
        bytes([1, 0xf8, 0x34, 0x99, 0x00, 0x04]) + bytes(4),
        bytes([0x07, 0x00, 0x30, 0x01, 0x00, 0x00]),
    ],
}


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "corpus"
    out.mkdir(parents=True, exist_ok=True)
    for name, msgs in SEEDS.items():
        (out / name).write_bytes(b"".join(msgs))
    print(f"{len(SEEDS)} seeds in {out}")


if __name__ == "__main__":
    main()
