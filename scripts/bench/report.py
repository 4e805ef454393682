#!/usr/bin/env python3
"""Turn a benchmark run into build/bench/results.{csv,md,svg}.

Used by scripts/bench/run.py (make bench); can be re-run on saved inputs:
  report.py <out dir>          reads <out>/run.json written by run.py

Inputs (all in run.json):
  console   the benchmark host's console (BENCH lines, tests/bench/bench.c)
  trace     per-row EL3 instructions and IPC calls from the traced run
            (scripts/bench/run.py), or absent
  footprint sections of rmm.elf, granule-table bytes, stacks, RAM per realm
  ipc_host  the callgrind results (scripts/bench/ipc_callgrind.py)
"""
import csv
import html
import json
import os
import re
import sys

# Rows shown in the table and chart, in this order (names from tests/bench/bench.c).
MAIN_ROWS = [
    ("psci_version", "PSCI_VERSION (EL3 alone)"),
    ("rmi_version", "RMI_VERSION"),
    ("rmi_features", "RMI_FEATURES"),
    ("granule_delegate", "GRANULE_DELEGATE"),
    ("granule_undelegate", "GRANULE_UNDELEGATE"),
    ("realm_create", "REALM_CREATE"),
    ("realm_destroy", "REALM_DESTROY"),
    ("rec_create", "REC_CREATE (16 aux)"),
    ("rec_destroy", "REC_DESTROY (16 aux)"),
    ("rtt_create", "RTT_CREATE (level 3)"),
    ("rtt_destroy", "RTT_DESTROY (level 3)"),
    ("data_create_measured", "DATA_CREATE (measured)"),
    ("data_create", "DATA_CREATE (not measured)"),
    ("data_destroy", "DATA_DESTROY"),
    ("data_create_unknown", "DATA_CREATE_UNKNOWN"),
    ("rtt_read_entry", "RTT_READ_ENTRY"),
    ("rtt_init_ripas", "RTT_INIT_RIPAS (1 page)"),
    ("rec_enter_host_call", "REC_ENTER -> host call exit"),
    ("rec_enter_host_call_fp", "REC_ENTER -> host call exit, realm using FP (lazy switch)"),
    ("rec_enter_mmio", "REC_ENTER -> MMIO exit"),
    ("rsi_version", "RSI_VERSION (from the realm)"),
    ("rsi_measurement_extend", "RSI_MEASUREMENT_EXTEND (from the realm)"),
    ("rsi_ipa_state_get", "RSI_IPA_STATE_GET (from the realm)"),
    ("attestation_token", "attestation token: INIT + CONTINUE until done (from the realm)"),
]
PROBE_ROWS = [
    ("probe_delegate_outside_dram", "GRANULE_DELEGATE outside DRAM (refused before any IPC)"),
    ("probe_delegate_delegated", "GRANULE_DELEGATE of a DELEGATED granule (kernel -> granule)"),
    ("probe_read_entry_rd_outside_dram", "RTT_READ_ENTRY, rd outside DRAM (refused before any IPC)"),
    ("probe_read_entry_rd_not_rd", "RTT_READ_ENTRY, rd a DELEGATED granule (kernel -> realm -> granule)"),
]
# Rows measured from inside the realm: no EL3 round trip of the host's.
REALM_SIDE = {"rsi_version", "rsi_measurement_extend", "rsi_ipa_state_get", "attestation_token"}


def parse_console(text):
    """BENCH/BENCHINFO/BENCHPMU/BENCHSEQ lines -> dict."""
    rows, info, pmu, seq = {}, {}, [], ""
    kv = re.compile(r"(\w+)=(\S+)")
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("BENCH "):
            d = dict(kv.findall(line))
            if "name" in d:
                rows[d["name"]] = d
        elif line.startswith("BENCHINFO "):
            info.update(kv.findall(line))
        elif line.startswith("BENCHPMU "):
            pmu.append(dict(kv.findall(line)))
        elif line.startswith("BENCHSEQ "):
            seq = line.split(None, 1)[1].strip() if len(line.split()) > 1 else ""
    return {"rows": rows, "info": info, "pmu": pmu, "seq": seq,
            "ended": "BENCHEND" in text}


def num(d, k):
    try:
        return int(d[k])
    except (KeyError, ValueError, TypeError):
        return None


def fmt(n):
    return "" if n is None else "{:,}".format(int(round(n)))


class Row:
    def __init__(self, name, label, con, trace, psci):
        d = con["rows"].get(name)
        self.name, self.label = name, label
        self.status = "missing"
        self.insns = self.min = self.max = self.runs = None
        self.el3 = self.rmm = self.ipc_calls = self.copy = self.el0 = None
        self.el3_source = None
        self.detail = ""
        if d is None:
            self.detail = "no output (run incomplete)"
            return
        if "not_available" in d:
            self.status = "not_available"
            self.detail = "not available: " + d["not_available"]
            return
        if "error" in d:
            self.status = "error"
            self.detail = "error %s (%s)" % (d["error"], d.get("at", "call"))
            return
        self.status = "ok"
        self.insns, self.min, self.max = num(d, "insns"), num(d, "min"), num(d, "max")
        self.runs = num(d, "runs")
        if name in REALM_SIDE:
            self.el3, self.el3_source = 0, "realm"
        else:
            t = (trace or {}).get("rows", {}).get(d.get("tag", "?"))
            if t is not None:
                self.el3, self.el3_source = t["el3"], "traced"
                self.ipc_calls = t.get("ipc_calls")
                self.copy = t.get("copy")
                self.el0 = t.get("el0")
            elif psci is not None:
                self.el3, self.el3_source = min(psci, self.insns), "psci"
        if self.el3 is not None:
            self.rmm = self.insns - self.el3


def build_rows(run):
    con = parse_console(run.get("console", ""))
    trace = run.get("trace")
    pd = con["rows"].get("psci_version", {})
    psci = num(pd, "insns") if "insns" in pd else None
    main = [Row(n, l, con, trace, psci) for n, l in MAIN_ROWS]
    probes = [Row(n, l, con, trace, psci) for n, l in PROBE_ROWS]
    return con, main, probes


def ipc_per_call(probes):
    """Instructions per IPC call on the target, from the two RTT_READ_ENTRY probes."""
    p = {r.name: r for r in probes}
    a, b = p.get("probe_read_entry_rd_outside_dram"), p.get("probe_read_entry_rd_not_rd")
    if a and b and a.status == b.status == "ok" and b.ipc_calls and a.ipc_calls == 0:
        return (b.insns - a.insns) / b.ipc_calls
    return None


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "instructions", "el3_share", "rmm_share"])
        for r in rows:
            if r.status == "ok":
                w.writerow([r.name, r.insns, "" if r.el3 is None else r.el3,
                            "" if r.rmm is None else r.rmm])
            elif r.status == "error":
                w.writerow([r.name, r.detail.replace(",", ";"), "", ""])
            else:
                w.writerow([r.name, r.status, "", ""])


def table_md(rows, c_ipc, with_ipc, with_copy=False):
    head = ["call", "instructions", "EL3", "RMM"]
    if with_ipc:
        head += ["IPC calls", "IPC share of RMM (est.)"]
    if with_copy:
        head += ["memcpy/memset share of RMM"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        if r.status != "ok":
            cells = [r.label, r.detail] + [""] * (len(head) - 2)
        else:
            spread = "" if r.min == r.max else " (%s..%s)" % (fmt(r.min), fmt(r.max))
            cells = [r.label, fmt(r.insns) + spread, fmt(r.el3), fmt(r.rmm)]
            if with_ipc:
                if r.ipc_calls is None:
                    cells += ["", ""]
                elif r.ipc_calls == 0 or not r.rmm or c_ipc is None:
                    cells += [str(r.ipc_calls), "0%" if r.ipc_calls == 0 else ""]
                else:
                    share = min(1.0, r.ipc_calls * c_ipc / r.rmm)
                    cells += [str(r.ipc_calls), "%.0f%%" % (100 * share)]
            if with_copy:
                cells += ["%.0f%%" % (100.0 * r.copy / r.rmm) if r.copy is not None and r.rmm
                          else ""]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def el0_md(rows):
    """Service switches per call: EL0 entries, system calls, the switch code's instructions."""
    out = ["| call | messages run at EL0 | system calls | switches | switch instructions | "
           "per switch |", "|---|---|---|---|---|---|"]
    for r in rows:
        e = r.el0
        if r.status != "ok" or e is None:
            continue
        n = e["entries"] + e["syscalls"]
        per = fmt(e["switch_insns"] / n) if n else "-"
        out.append("| %s | %d | %d | %d | %s | %s |" % (
            r.label, e["entries"], e["syscalls"], n, fmt(e["switch_insns"]) if n else "0", per))
    return "\n".join(out)


def baseline_md(base_dir, rows):
    """The RMM share of each row against an earlier run's results.csv (make bench BENCH_BASELINE=)."""
    try:
        with open(os.path.join(base_dir, "results.csv")) as f:
            base = {r["name"]: r for r in csv.DictReader(f)}
    except OSError:
        return None
    out = ["| call | RMM before | RMM now | change |", "|---|---|---|---|"]
    for r in rows:
        b = base.get(r.name)
        if r.status != "ok" or r.rmm is None or b is None or not b["rmm_share"].isdigit():
            continue
        x = int(b["rmm_share"])
        pct = " (%+.1f%%)" % (100.0 * (r.rmm - x) / x) if x else ""
        out.append("| %s | %s | %s | %+d%s |" % (r.label, fmt(x), fmt(r.rmm), r.rmm - x, pct))
    return "\n".join(out)


def write_svg(path, rows, title):
    rows = [r for r in rows]
    left, right, top, bar_h, gap = 330, 300, 60, 18, 8
    width = 1150
    plot_w = width - left - right
    height = top + len(rows) * (bar_h + gap) + 60
    vmax = max([r.insns for r in rows if r.status == "ok"] + [1])
    # a round axis maximum
    step = 10 ** (len(str(int(vmax))) - 1)
    amax = ((int(vmax) + step - 1) // step) * step
    sx = plot_w / amax
    el3_c, rmm_c, realm_c = "#d95f02", "#1b9e77", "#7570b3"
    s = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'font-family="Helvetica, Arial, sans-serif" font-size="12">' % (width, height),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="22" font-size="15" font-weight="bold">%s</text>' % (left, html.escape(title)),
         '<rect x="%d" y="32" width="12" height="12" fill="%s"/>' % (left, el3_c),
         '<text x="%d" y="43">EL3 (TF-A)</text>' % (left + 16),
         '<rect x="%d" y="32" width="12" height="12" fill="%s"/>' % (left + 110, rmm_c),
         '<text x="%d" y="43">RMM</text>' % (left + 126),
         '<rect x="%d" y="32" width="12" height="12" fill="%s"/>' % (left + 180, realm_c),
         '<text x="%d" y="43">measured inside the realm</text>' % (left + 196)]
    # grid
    for i in range(0, 11):
        v = amax * i / 10
        x = left + v * sx
        s.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>'
                 % (x, top - 4, x, height - 40))
        if i % 2 == 0:
            s.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>'
                     % (x, height - 26, fmt(v)))
    s.append('<text x="%d" y="%d" text-anchor="middle" fill="#333">instructions per call '
             '(QEMU -icount shift=0, median)</text>' % (left + plot_w / 2, height - 8))
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap)
        s.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                 % (left - 8, y + bar_h - 5, html.escape(r.label)))
        if r.status != "ok":
            s.append('<text x="%d" y="%d" fill="#888" font-style="italic">%s</text>'
                     % (left + 4, y + bar_h - 5, html.escape(r.detail)))
            continue
        x = left
        if r.name in REALM_SIDE:
            parts = [(r.insns, realm_c)]
        elif r.el3 is None:
            parts = [(r.insns, rmm_c)]
        else:
            parts = [(r.el3, el3_c), (r.rmm, rmm_c)]
        for v, c in parts:
            w = max(v * sx, 1.0) if v else 0
            if w:
                s.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>'
                         % (x, y, w, bar_h, c))
            x += w
        lab = fmt(r.insns)
        if r.el3 is not None and r.name not in REALM_SIDE and r.name != "psci_version":
            lab += "  = EL3 %s + RMM %s" % (fmt(r.el3), fmt(r.rmm))
        s.append('<text x="%.1f" y="%d">%s</text>' % (x + 5, y + bar_h - 5, lab))
    s.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(s) + "\n")


def footprint_md(fp):
    out = []
    sec = fp.get("sections")
    if sec:
        out.append("`%s` (`size -A`; the linker script page-aligns each output section):" % fp["elf"])
        out.append("")
        out.append("| section | bytes |")
        out.append("|---|---|")
        for k in ("text", "rodata", "data", "bss", "pgtables", "stacks"):
            if k in sec:
                out.append("| .%s | %s |" % (k, fmt(sec[k])))
        tdr = sum(sec.get(k, 0) for k in ("text", "rodata", "data"))
        out.append("| text+rodata+data (the loaded image, issue target <= 150 KB) | %s (%.0f KiB) |"
                   % (fmt(tdr), tdr / 1024))
        if fp.get("img_bytes"):
            out.append("| rmm.img file | %s |" % fmt(fp["img_bytes"]))
        out.append("")
    ram = fp.get("ram")
    if ram:
        out.append("RAM the host donates (granules of 4 KiB, from REC_AUX_COUNT and the realm "
                   "parameters the benchmark uses):")
        out.append("")
        out.append("| object | granules | bytes |")
        out.append("|---|---|---|")
        for k, label in (("realm", "realm: RD + root RTT (s2sz 39, start level 1)"),
                         ("rec", "REC: REC + %d aux" % ram.get("aux", 0)),
                         ("per_2mb", "each 2 MiB of IPA space mapped with pages: one level-3 RTT"),
                         ("per_1gb", "each 1 GiB of IPA space: one level-2 RTT + 512 level-3 RTTs")):
            if k in ram:
                out.append("| %s | %d | %s |" % (label, ram[k], fmt(ram[k] * 4096)))
        out.append("")
    gt = fp.get("granule_table")
    if gt:
        out.append("Granule table (carved from the Realm window at boot; bytes from each "
                   "variant's `granule_table_words()`, compiled for the host):")
        out.append("")
        out.append("| DRAM | array | sparse |")
        out.append("|---|---|---|")
        for g in gt:
            out.append("| %s GiB%s | %s | %s |" % (g["gib"], " (this QEMU machine's manifest)" if g.get("here") else "",
                                                fmt(g.get("array")), fmt(g.get("sparse"))))
        out.append("")
    st = fp.get("stacks")
    if st:
        out.append("Stack high-water marks, CPU 0, after boot and the whole benchmark (the RMM "
                   "paints its stacks with 0x5A at cold boot; the mark is the deepest byte that "
                   "changed; the boot CPU's top 8 KiB are in use while it paints, so a mark "
                   "below 8,192 there means at most 8,192):")
        out.append("")
        out.append("| stack | size | used (high-water) |")
        out.append("|---|---|---|")
        for s in st:
            out.append("| %s | %s | %s |" % (s["name"], fmt(s["size"]), fmt(s["used"])))
        out.append("")
        smp = fp.get("smp_stacks")
        if smp:
            out.append("Every CPU's marks after the conformance tests on %d CPUs (`make qemu-test`'s "
                       "image, same RMM; host result: %s):" % (smp["cpus"], smp["result"]))
            out.append("")
            out.append("| CPU | exception stack used | main stack used (of %s) |"
                       % fmt(smp["marks"][1]["size"]))
            out.append("|---|---|---|")
            for c in range(smp["cpus"]):
                m = [x for x in smp["marks"] if x["cpu"] == c]
                out.append("| %d | %s | %s |" % (c, fmt(m[0]["used"]), fmt(m[1]["used"])))
            out.append("")
    elif fp.get("stacks_note"):
        out.append("Stack high-water marks: " + fp["stacks_note"])
        out.append("")
    return "\n".join(out)


# The lower bound of a REC_ENTER -> host-call exit round trip (issue 9): what
# any RMM must execute to switch the state the specification makes it switch,
# with the best code one could write (a pair of 64-bit words per ldp/stp, one
# instruction per system register). EL3's share is the traced figure; the
# realm's instructions are those of tests/bench/realm.S between two host calls.
LB_LRS = 4          # QEMU's GICv3 CPU interface implements 4 list registers
LB_REALM = 10       # realm.S per iteration: ldr, ret, subs, b.ne, mov, str, bl, ldr, mov, smc
LB_ITEMS = [
    ("RMI dispatch: function id, REC and RD granule checks, REC claim and release", 30),
    ("RmiRecEnter from the NS page: flags, gprs[0..30], gicv3_hcr, %d LRs (ldp pairs)" % LB_LRS,
     (1 + 31 + 1 + LB_LRS + 1) // 2),
    ("host-call completion: gprs[0..30] into the realm's RsiHostCall (stp pairs)", (31 + 1) // 2),
    ("mapping the NS page and the realm page for those copies (map + unmap, 2 pages)", 2 * 6),
    ("gicv3_hcr and LR checks (hcr mask, per LR state/HW/vINTID)", 2 + 4 * LB_LRS),
    ("vGIC in: ICH_HCR_EL2, %d ICH_LR<n>_EL2, ICH_VMCR_EL2, 2 ICH_AP<n>R0_EL2" % LB_LRS,
     1 + LB_LRS + 1 + 2),
    ("timers in: CNTV_CTL/CVAL, CNTP_CTL/CVAL, CNTHCTL_EL2", 5),
    ("realm EL1 system registers in (23, the REC may have run on another CPU)", 23),
    ("stage 2 and traps in: VTTBR_EL2, VTCR_EL2, HCR_EL2, ELR_EL2, SPSR_EL2", 5),
    ("RMM callee-saved registers and SP around the realm (x19..x30, sp)", 2 * 6 + 2),
    ("realm GPRs in (x0..x30, SP_EL0: ldp pairs) and eret", 16 + 1),
    ("exception entry and realm GPRs out (stp pairs)", 1 + 16),
    ("exit syndrome: ESR_EL2, FAR_EL2, HPFAR_EL2, ELR_EL2, SPSR_EL2; HCR_EL2 back", 6),
    ("realm EL1 system registers out (23)", 23),
    ("timers out: CNTV_CTL/CVAL, CNTP_CTL/CVAL, CNTHCTL_EL2", 5),
    ("vGIC out: ICH_HCR_EL2, %d LRs, ICH_MISR_EL2, ICH_VMCR_EL2, 2 APRs; ICH_HCR_EL2 off"
     % LB_LRS, 1 + LB_LRS + 2 + 2 + 1),
    ("RsiHostCall from the realm page: imm, gprs[0..30] (ldp pairs)", 16),
    ("RmiRecExit to the NS page: reason, esr, far, hpfar, gprs[0..30], GIC (hcr, %d LRs, "
     "misr, vmcr), 4 timer words, imm, pmu_ovf (stp pairs)" % LB_LRS,
     (4 + 31 + 3 + LB_LRS + 4 + 2 + 1) // 2),
    ("return to EL3 (x0..x4 and smc)", 5),
]


def lower_bound(rows):
    """The lower bound, with the measured round trip, or None without the row."""
    r = next((x for x in rows if x.name == "rec_enter_host_call"), None)
    if r is None or r.insns is None or r.el3 is None:
        return None
    rmm = sum(n for _, n in LB_ITEMS)
    total = r.el3 + LB_REALM + rmm
    return {"el3": r.el3, "realm": LB_REALM, "rmm": rmm, "total": total,
            "measured": r.insns, "measured_rmm": r.insns - r.el3 - LB_REALM,
            "ratio": r.insns / total, "ratio_rmm": (r.insns - r.el3 - LB_REALM) / rmm}


def lower_bound_md(lb):
    out = ["| part | instructions |", "|---|---|"]
    out.append("| EL3 (BL31, traced: two world switches) | %s |" % fmt(lb["el3"]))
    out.append("| the realm's own loop between two host calls | %d |" % lb["realm"])
    for what, n in LB_ITEMS:
        out.append("| RMM: %s | %d |" % (what, n))
    out.append("| **lower bound** (RMM part %d) | **%s** |" % (lb["rmm"], fmt(lb["total"])))
    out.append("")
    out.append("Measured REC_ENTER -> host call exit: %s instructions = **%.1f x the lower "
               "bound** (issue target <= 2 x); the RMM part alone, %s against %d, is %.0f x."
               % (fmt(lb["measured"]), lb["ratio"], fmt(lb["measured_rmm"]), lb["rmm"],
                  lb["ratio_rmm"]))
    return "\n".join(out)


def ipc_host_md(lines):
    out = ["| message | per IPC call | validation | copies | transport | direct handler call |",
           "|---|---|---|---|---|---|"]
    for l in lines:
        try:
            d = json.loads(l.split(None, 1)[1])
        except (IndexError, ValueError):
            continue
        if "per_call" not in d:
            out.append("| %s | error %s |  |  |  |  |" % (d.get("desc", d.get("case")), d.get("error")))
            continue
        out.append("| %s | %s | %s | %s | %s | %s |" % (
            d["desc"], fmt(d["per_call"]), fmt(d["validation"]), fmt(d["copies"]),
            fmt(d["transport"]), fmt(d["direct_call"])))
    return "\n".join(out)


def main(out):
    with open(os.path.join(out, "run.json")) as f:
        run = json.load(f)
    con, main_rows, probes = build_rows(run)
    trace = run.get("trace") or {}
    c_ipc = ipc_per_call(probes)
    with_ipc = any(r.ipc_calls is not None for r in main_rows)
    with_copy = any(r.copy is not None for r in main_rows)

    write_csv(os.path.join(out, "results.csv"), main_rows + probes)
    title = "Instructions per call: %s" % run.get("rmm_label", "RMM")
    write_svg(os.path.join(out, "results.svg"), main_rows, title)

    info = con["info"]
    md = ["# Benchmark results", ""]
    md.append("RMM image `%s` (sha256 %s), stock TF-A 2.12.1, QEMU %s `-icount shift=0 -smp 1`; "
              "median of %s calls per row, in instructions (min..max shown where they differ)."
              % (run.get("rmm_label", run.get("rmm_img")), run.get("rmm_sha256", "?")[:16],
                 run.get("qemu_version", "?"), info.get("runs", "?")))
    src = {r.el3_source for r in main_rows if r.el3_source and r.el3_source != "realm"}
    if "traced" in src:
        md.append("EL3 = instructions executed in BL31 during the call, counted from an execution "
                  "trace of the same calls (%s runs each); RMM = instructions - EL3." % trace.get("runs", "?"))
    elif "psci" in src:
        md.append("EL3 = the PSCI_VERSION round trip (no execution trace was available: an "
                  "underestimate of EL3's real share of an RMI call); RMM = instructions - EL3.")
    if with_ipc and c_ipc:
        md.append("IPC share = IPC calls (counted in the trace) x %s instructions per IPC call "
                  "(measured with the probes below), divided by the RMM instructions." % fmt(c_ipc))
    md.append("Rows measured inside the realm (RSI) count from the realm's SMC to its return: "
              "R-EL1 -> RMM -> R-EL1, no EL3.")
    if not con["ended"]:
        md.append("**The run did not complete** (timeout or crash): rows without output are "
                  "marked.")
    if with_copy:
        md.append("memcpy/memset share: instructions the RMM executed in memcpy, memset, memmove, "
                  "memcmp and arch_copy_nofault during the call (traced), divided by the RMM "
                  "instructions.")
    md += ["", table_md(main_rows, c_ipc, with_ipc, with_copy), ""]
    if run.get("baseline"):
        t = baseline_md(run["baseline"], main_rows + probes)
        if t:
            md += ["## Change against `%s`" % run["baseline"], "",
                   "RMM share (instructions - EL3) of each row here and in that run.", "", t, ""]
    if any(r.el0 is not None for r in main_rows + probes):
        md += ["## Service switches (services at EL0)", "",
               "Counted in the same trace: a message run at EL0 is one switch (enter the "
               "service, take its reply), a system call one more (trap to EL2, back to EL0). "
               "Switch instructions: the kernel's switch code (svc_el0_call with the "
               "system-call dispatch and its argument checks, uptr, run_el0's copies in and "
               "out, arch_el0_run, realm_exit_common, the vector) and the EL0 trampoline and "
               "stubs; not the services' own work nor the kernel calls they make. REC_ENTER "
               "rows switch to no service: the hot path stays in the kernel.", "",
               el0_md(main_rows + probes), ""]
    md += ["IPC probes (calls that fail with RMI_ERROR_INPUT, before and after the first IPC "
           "call):", "", table_md(probes, None, with_ipc, with_copy), ""]
    lb = lower_bound(main_rows)
    if lb:
        md += ["## Lower bound of REC_ENTER -> host call exit", "",
               "What any RMM must execute for this round trip with stock TF-A: EL3's traced "
               "share, the realm's own instructions, and the state the specification makes the "
               "RMM switch, each written as tightly as possible (one instruction per system "
               "register, one ldp/stp per pair of words). A model, not a measurement: it shows "
               "how far the round trip is from the state it has to move.", "",
               lower_bound_md(lb), ""]
    fp = run.get("footprint")
    if fp:
        md += ["## Footprint", "", footprint_md(fp)]
    ipc_lines = run.get("ipc_host")
    if ipc_lines:
        md += ["## IPC cost on the host (x86-64 instructions, callgrind)", "",
               ipc_host_md(ipc_lines), ""]
    if con["pmu"]:
        md += ["## PMU cycle counter (PMCCNTR_EL0) around one call", "",
               "| PMCCFILTR_EL0 | PSCI_VERSION: CNTVCT / PMCCNTR | RMI_VERSION: CNTVCT / PMCCNTR |",
               "|---|---|---|"]
        for p in con["pmu"]:
            md.append("| %s (%s) | %s / %s | %s / %s |" % (
                p.get("pmccfiltr"), p.get("filter"), p.get("psci_cntvct"), p.get("psci_pmccntr"),
                p.get("rmi_version_cntvct"), p.get("rmi_version_pmccntr")))
        md.append("")
        md.append("Calibration: a 2000-instruction loop reads CNTVCT %s / PMCCNTR %s; the "
                  "measurement's own overhead (subtracted) is CNTVCT %s / PMCCNTR %s."
                  % (info.get("loop2000_cntvct"), info.get("loop2000_pmccntr"),
                     info.get("overhead_cntvct"), info.get("overhead_pmccntr")))
        md.append("")
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(md))
    # console summary
    for r in main_rows + probes:
        if r.status == "ok":
            print("  %-34s %12s   EL3 %9s   RMM %11s" % (r.name, fmt(r.insns), fmt(r.el3), fmt(r.rmm)))
        else:
            print("  %-34s %s" % (r.name, r.detail))
    return 0 if con["ended"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
