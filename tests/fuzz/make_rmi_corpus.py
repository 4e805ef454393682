#!/usr/bin/env python3
"""Seed corpus of the whole-monitor fuzzer (tests/fuzz/fuzz_rmi.c).

Each seed is one of the flows the NS test host's conformance tests walk
(tests/nshost/test_*.c): delegation, a realm built, measured, activated and
run (RSI calls, a host call, MMIO, system registers, WFI, PSCI CPU_ON with
PSCI_COMPLETE), RIPAS changes, unprotected mappings, folding, and the
teardown, written in the fuzzer's input format so that it starts from
calls that succeed. `ATOLL_FUZZ_TRACE=1 build/host/fuzz-rmi/fuzz-rmi <seed>`
shows every call and its status.

usage: make_rmi_corpus.py <dir>
"""
import os
import sys

CMDS = ["VERSION", "GRANULE_DELEGATE", "GRANULE_UNDELEGATE", "DATA_CREATE",
        "DATA_CREATE_UNKNOWN", "DATA_DESTROY", "REALM_ACTIVATE", "REALM_CREATE",
        "REALM_DESTROY", "REC_CREATE", "REC_DESTROY", "REC_ENTER", "RTT_CREATE",
        "RTT_DESTROY", "RTT_MAP_UNPROTECTED", "RTT_READ_ENTRY", "RTT_UNMAP_UNPROTECTED",
        "PSCI_COMPLETE", "FEATURES", "RTT_FOLD", "REC_AUX_COUNT", "RTT_INIT_RIPAS",
        "RTT_SET_RIPAS"]
RSI = ["VERSION", "FEATURES", "MEAS_READ", "MEAS_EXTEND", "ATTEST_INIT", "ATTEST_CONTINUE",
       "REALM_CONFIG", "IPA_STATE_SET", "IPA_STATE_GET", "HOST_CALL", "PSCI_VERSION",
       "PSCI_FEATURES", "PSCI_CPU_ON", "PSCI_AFFINITY", "PSCI_CPU_OFF", "PSCI_SYSTEM_OFF",
       "PSCI_SYSTEM_RESET", "UNKNOWN", "PSCI_CPU_SUSPEND"]

# Pool granules (tests/fuzz/fuzz_rmi.c has 64): a realm's RD, root, level-2 and
# level-3 RTTs, two DATA granules, two RECs with 16 aux granules each
# (RMI_REC_AUX_COUNT on the simulated CPU, which has SVE and a PMU).
RD, ROOT, L2, L3, DATA0, DATA1, REC0, REC1 = 0, 1, 2, 3, 4, 5, 6, 7
AUX0 = tuple(range(8, 24))
AUX1 = tuple(range(24, 40))


def cmd(name, *args):
    return bytes([CMDS.index(name)]) + b"".join(args)


def p(idx):                 # a pool granule
    return bytes([idx])


def ns():                   # the parameter page the argument wants
    return b"\x00"


def ipa(granules, level=3, unprotected=False):
    """An IPA: `granules` units of the level's mapping size."""
    b = level | (0x04 if unprotected else 0)
    return bytes([b, granules])


def lvl(level):
    return bytes([level + 1])


def val(v):
    assert v < 0x80
    return bytes([v])


VAL_10000 = b"\x88"   # sel_val(): table entry 4, 0x10000
A_10000 = b"\x80\x88"  # the same as an SMC argument


def realm_params(vmid, base, level=1, roots=1, flags=0, s2sz_idx=0, hash_algo=0):
    return bytes([flags, s2sz_idx, hash_algo, 0x5a, vmid, base, level + 1, roots]) + ns()


def rec_params(runnable, mpidr, aux, x0=0):
    return bytes([runnable, mpidr, x0, len(aux)]) + bytes(aux) + ns()


def run_page(flags=0):
    return bytes([flags, 0, 0]) + ns()


def smc(fid, *xs):
    """Realm op: an SMC; xs: up to 4 argument selectors (bytes objects)."""
    sel = list(xs) + [b"\x40"] * (4 - len(xs))
    return bytes([0, RSI.index(fid)]) + b"".join(sel)


def a_val(v):               # an SMC argument: a small value (through sel_val())
    assert v < 0x80
    return bytes([0x80, v])


def a_ipa(granules, level=3, unprotected=False):
    return b"\x00" + ipa(granules, level, unprotected)


def access(granules, write, size_log2=3, reg=1, unprotected=False, isv=True):
    f = size_log2 | (4 if write else 0) | (0 if isv else 0x40)
    return bytes([3, f]) + ipa(granules, 3, unprotected) + bytes([reg, 0]) + \
        (bytes([0x5a]) if write else b"")


def sysreg(which, reg=2, read=True):
    return bytes([5, which, reg | (0x80 if read else 0), 1, 0])


WFI = bytes([6, 0])
HVC = bytes([7])
FP = bytes([8, 0])
IRQ = bytes([10])


def build_realm(vmid=1, rd=RD, root=ROOT, l2=L2, l3=L3, rec=REC0, aux=AUX0, ripas_top=8):
    s = b""
    for g in (rd, root, l2, l3, DATA0, DATA1, rec) + tuple(aux):
        s += cmd("GRANULE_DELEGATE", p(g))
    s += cmd("REALM_CREATE", p(rd), realm_params(vmid, root))
    s += cmd("RTT_CREATE", p(rd), p(l2), ipa(0, 1), lvl(2))
    s += cmd("RTT_CREATE", p(rd), p(l3), ipa(0, 2), lvl(3))
    s += cmd("RTT_INIT_RIPAS", p(rd), ipa(0), ipa(ripas_top))
    s += cmd("DATA_CREATE", p(rd), p(DATA0), ipa(0), ns(), val(0))
    s += cmd("DATA_CREATE_UNKNOWN", p(rd), p(DATA1), ipa(1))
    s += cmd("REC_AUX_COUNT", p(rd))
    s += cmd("REC_CREATE", p(rd), p(rec), rec_params(1, 0, aux))
    return s


def teardown(rd=RD, rec=REC0):
    s = cmd("REC_DESTROY", p(rec))
    s += cmd("DATA_DESTROY", p(rd), ipa(0)) + cmd("DATA_DESTROY", p(rd), ipa(1))
    s += cmd("RTT_DESTROY", p(rd), ipa(0, 2), lvl(3))
    s += cmd("RTT_DESTROY", p(rd), ipa(0, 1), lvl(2))
    s += cmd("REALM_DESTROY", p(rd))
    for g in range(0, 40):
        s += cmd("GRANULE_UNDELEGATE", p(g))
    return s


def seeds():
    out = {}
    out["delegate-undelegate"] = b"".join(
        cmd("GRANULE_DELEGATE", p(i)) + cmd("GRANULE_UNDELEGATE", p(i)) for i in range(4)) + \
        cmd("VERSION", VAL_10000) + cmd("FEATURES", val(0)) + cmd("FEATURES", val(1))
    out["realm-lifecycle"] = build_realm() + cmd("REALM_ACTIVATE", p(RD)) + teardown()
    # a realm that runs: RSI calls answered inside the RMM, a host call, MMIO, traps
    run1 = (smc("VERSION", A_10000) + smc("FEATURES", a_val(0)) +
            smc("MEAS_EXTEND", a_val(1), a_val(16)) + smc("MEAS_READ", a_val(1)) +
            smc("IPA_STATE_GET", a_ipa(0), a_ipa(8)) + smc("PSCI_VERSION") +
            access(0, True) + access(0, False) + smc("HOST_CALL", a_ipa(0)))
    run2 = access(2, False, unprotected=True)             # MMIO: a data abort exit
    run3 = sysreg(4) + HVC + FP + smc("REALM_CONFIG", a_ipa(1)) + WFI
    run4 = sysreg(0, read=False)                          # ICC_SGI1R_EL1: an exit
    out["realm-run"] = (build_realm() + cmd("REALM_ACTIVATE", p(RD)) +
                        cmd("REC_ENTER", p(REC0), run_page()) + run1 +
                        cmd("REC_ENTER", p(REC0), run_page()) + run2 +
                        cmd("REC_ENTER", p(REC0), run_page()) + run3 +
                        cmd("REC_ENTER", p(REC0), run_page()) + run4 +
                        cmd("REC_ENTER", p(REC0), run_page()) + smc("PSCI_SYSTEM_OFF") +
                        cmd("REC_ENTER", p(REC0), run_page()) + teardown())
    # RIPAS change requested by the realm, done by the host, then a token
    run4 = smc("IPA_STATE_SET", a_ipa(2), a_ipa(4), a_val(1), a_val(0))
    run5 = smc("IPA_STATE_GET", a_ipa(2), a_ipa(4)) + smc("ATTEST_INIT") + \
        smc("ATTEST_CONTINUE", a_ipa(0), a_val(0), a_val(0x7f)) * 3 + IRQ
    out["realm-ripas-token"] = (build_realm() + cmd("REALM_ACTIVATE", p(RD)) +
                                cmd("REC_ENTER", p(REC0), run_page()) + run4 +
                                cmd("RTT_SET_RIPAS", p(RD), p(REC0), ipa(2), ipa(4)) +
                                cmd("REC_ENTER", p(REC0), run_page()) + run5 + teardown())
    # PSCI CPU_ON of a second REC, completed by the host
    run6 = smc("PSCI_CPU_ON", a_val(1), a_ipa(1), a_val(0x47))
    out["realm-psci"] = (build_realm() +
                         b"".join(cmd("GRANULE_DELEGATE", p(g)) for g in (REC1,) + AUX1) +
                         cmd("REC_CREATE", p(RD), p(REC1), rec_params(0, 1, AUX1)) +
                         cmd("REALM_ACTIVATE", p(RD)) +
                         cmd("REC_ENTER", p(REC0), run_page()) + run6 +
                         cmd("PSCI_COMPLETE", p(REC0), p(REC1), val(0)) +
                         cmd("REC_ENTER", p(REC1), run_page()) + smc("PSCI_CPU_OFF") +
                         cmd("REC_DESTROY", p(REC1)) + teardown())
    # unprotected mappings, read back, unmapped; an RTT folded
    desc = bytes([0x31, 0])     # NS page 0, S2AP RW
    out["rtt-unprotected-fold"] = (
        build_realm() +
        cmd("GRANULE_DELEGATE", p(40)) + cmd("GRANULE_DELEGATE", p(41)) +
        cmd("RTT_CREATE", p(RD), p(41), ipa(0, 1, True), lvl(2)) +
        cmd("RTT_CREATE", p(RD), p(40), ipa(0, 2, True), lvl(3)) +
        cmd("RTT_MAP_UNPROTECTED", p(RD), ipa(3, 3, True), lvl(3), desc) +
        cmd("RTT_READ_ENTRY", p(RD), ipa(3, 3, True), lvl(3)) +
        cmd("REALM_ACTIVATE", p(RD)) +
        cmd("REC_ENTER", p(REC0), run_page()) + access(3, True, unprotected=True) + IRQ +
        cmd("REC_ENTER", p(REC0), run_page()) + access(4, True, unprotected=True) +
        cmd("RTT_UNMAP_UNPROTECTED", p(RD), ipa(3, 3, True), lvl(3)) +
        cmd("RTT_FOLD", p(RD), ipa(0, 2, True), lvl(3)) +
        cmd("RTT_READ_ENTRY", p(RD), ipa(0, 2, True), lvl(3)) +
        cmd("RTT_DESTROY", p(RD), ipa(0, 1, True), lvl(2)) + teardown())
    # two realms side by side
    out["two-realms"] = (build_realm() +
                         b"".join(cmd("GRANULE_DELEGATE", p(g)) for g in range(40, 64)) +
                         cmd("REALM_CREATE", p(40), realm_params(2, 41)) +
                         cmd("RTT_CREATE", p(40), p(42), ipa(0, 1), lvl(2)) +
                         cmd("REC_CREATE", p(40), p(43), rec_params(1, 0, range(44, 60))) +
                         cmd("REALM_ACTIVATE", p(40)) + cmd("REALM_ACTIVATE", p(RD)) +
                         cmd("REC_ENTER", p(43), run_page()) + smc("VERSION", A_10000) + IRQ +
                         cmd("REC_DESTROY", p(43)) + cmd("RTT_DESTROY", p(40), ipa(0, 1), lvl(2)) +
                         cmd("REALM_DESTROY", p(40)) + teardown())
    return out


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
