#!/usr/bin/env python3
"""Run the benchmark (make bench) and write build/bench/results.{csv,md,svg}.

  run.py --out DIR --flash F --trace-flash F --trace-host-elf E --bl31-elf E
         --rmm-img I [--rmm-elf E] [--timeout S] [--cross PREFIX]
         [--ipc-host FILE] [--gtw NAME=BIN ...] [--layout H] [--profile]

1. Main run: QEMU -icount shift=0 -smp 1 boots stock TF-A + the RMM under
   test + the benchmark host (tests/bench), which prints one BENCH line per
   row. QEMU is kept alive after the host's SYSTEM_OFF (-no-shutdown) so the
   RMM's stacks can be read through the monitor (pmemsave) for high-water
   marks; this needs the RMM's ELF.
2. Traced run: the same host built with 3 runs per call, QEMU with
   -accel tcg,one-insn-per-tb=on -d exec,nochain and -dfilter on BL31's
   code, on the two instructions around the host's measured SMC and, for
   Atoll, on the entry of ipc_call: every BL31 instruction executed inside a
   measured call is logged, so the EL3 share of each call is counted
   exactly, and so are the IPC calls the RMM makes. The log goes to QEMU's
   stderr and is counted as it streams (nothing is written to disk). With
   --profile (make bench BENCH_PROFILE=1) the instructions the RMM spends in
   memcpy/memset/memmove/memcmp/arch_copy_nofault are counted as well (about
   ten times more log; slower).
3. scripts/bench/report.py turns both into the results.
"""
import argparse
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

QEMU = "qemu-system-aarch64"
MACHINE = ["-M", "virt,virtualization=on,secure=on,gic-version=3,acpi=off",
           "-cpu", "max,x-rme=on", "-m", "2G", "-smp", "1", "-icount", "shift=0",
           "-nographic", "-no-reboot", "-nic", "none"]
DONE = re.compile(r"^host: \d+ passed, \d+ failed", re.M)
# Byte-copy functions counted by --profile (C library and the NS copy).
PROFILE_FUNCS = ("memcpy", "memset", "memmove", "memcmp", "arch_copy_nofault")


def sh(args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def symbols(nm, elf):
    syms = {}
    for line in sh([nm, elf]).splitlines():
        p = line.split()
        if len(p) == 3:
            syms[p[2]] = int(p[0], 16)
    return syms


def exec_range(readelf, elf):
    """[lo, hi) of the executable PT_LOAD segment of elf."""
    for line in sh([readelf, "-lW", elf]).splitlines():
        p = line.split()
        if p and p[0] == "LOAD" and "E" in p[6:-1]:
            lo = int(p[2], 16)
            return lo, lo + int(p[5], 16)
    raise RuntimeError("no executable segment in %s" % elf)


def sections(size, elf):
    out = {}
    for line in sh([size, "-A", elf]).splitlines():
        p = line.split()
        if len(p) == 3 and p[0].startswith("."):
            out[p[0][1:]] = (int(p[1]), int(p[2]))
    return out


def clean(text):
    return text.replace("\r", "")


# ---- QEMU monitor (HMP over a unix socket) ----
class Monitor:
    def __init__(self, path, timeout=10):
        end = time.time() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                break
            except OSError:
                if time.time() > end:
                    raise
                time.sleep(0.1)
        self.s.settimeout(30)
        self._read()

    def _read(self):
        buf = b""
        while not buf.endswith(b"(qemu) "):
            chunk = self.s.recv(65536)
            if not chunk:
                break
            buf += chunk
        return buf.decode(errors="replace")

    def cmd(self, c):
        self.s.sendall((c + "\n").encode())
        return self._read()

    def quit(self):
        try:
            self.s.sendall(b"quit\n")
        except OSError:
            pass
        self.s.close()


def main_run(args, out, stacks_region, flash=None, smp=1, name="qemu"):
    """Boot the benchmark; returns (console text, stack dump bytes or None).

    With flash/smp/name: boot another image (the conformance host) on smp
    CPUs without -icount, only to read the stacks afterwards."""
    log = os.path.join(out, name + ".log")
    sock = os.path.join(out, "monitor.sock")
    if os.path.exists(sock):
        os.unlink(sock)
    machine = list(MACHINE)
    machine[machine.index("-smp") + 1] = str(smp)
    if flash is not None:
        i = machine.index("-icount")
        del machine[i:i + 2]
    cmd = [QEMU] + machine + ["-no-shutdown", "-monitor", "unix:%s,server=on,wait=off" % sock,
                              "-bios", flash or args.flash]
    with open(log, "wb") as f:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT)
    end = time.time() + args.timeout
    dump = None
    text = ""
    while time.time() < end and p.poll() is None:
        time.sleep(0.2)
        text = clean(open(log, "rb").read().decode(errors="replace"))
        if DONE.search(text):
            break
    if p.poll() is None:
        try:
            mon = Monitor(sock)
            if DONE.search(text):
                # wait for the host's SYSTEM_OFF to stop the machine
                for _ in range(100):
                    if "shutdown" in mon.cmd("info status"):
                        break
                    time.sleep(0.1)
            else:
                print("  QEMU    timeout after %d s: rows not printed are reported missing"
                      % args.timeout)
            if stacks_region is not None:
                path = os.path.abspath(os.path.join(out, "stacks.bin"))
                mon.cmd('pmemsave 0x%x 0x%x "%s"' % (stacks_region[0], stacks_region[1], path))
                if os.path.exists(path):
                    dump = open(path, "rb").read()
                    os.unlink(path)
            mon.quit()
        except OSError as e:
            print("  QEMU    monitor: %s" % e)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    text = clean(open(log, "rb").read().decode(errors="replace"))
    if flash is None:
        with open(os.path.join(out, "console.log"), "w") as f:
            f.write(text)
    return text, dump


def trace_run(args, out, el3, markers, ipc_addr, copy_ranges, el0=None):
    """Per row tag: median EL3 instructions, IPC calls and (profile) copy instructions.

    QEMU writes the execution log to stderr (no -D), read here as it comes.
    """
    clog = os.path.join(out, "trace-console.log")
    ranges = [el3] + list(copy_ranges) + (el0["ranges"] if el0 else [])
    filt = ",".join("0x%x..0x%x" % (lo, hi - 1) for lo, hi in ranges)
    filt += ",0x%x+8" % markers[0]
    if ipc_addr is not None:
        filt += ",0x%x+4" % ipc_addr
    cmd = [QEMU] + MACHINE + ["-accel", "tcg,one-insn-per-tb=on", "-d", "exec,nochain",
                              "-dfilter", filt, "-bios", args.trace_flash]
    start, ret = markers
    lo, hi = el3
    calls, cur = [], None
    with open(clog, "wb") as f:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.PIPE)
        # a machine that hangs without executing traced code logs nothing: kill it on time
        watchdog = threading.Timer(args.timeout, p.kill)
        watchdog.start()
        for line in p.stderr:
            if not line.startswith(b"Trace"):
                continue
            i = line.find(b"/")
            pc = int(line[i + 1:line.find(b"/", i + 1)], 16)
            if pc == start:
                cur = [0, 0, 0, 0, 0, 0]
            elif pc == ret:
                if cur is not None:
                    calls.append(cur)
                cur = None
            elif cur is not None:
                if pc == ipc_addr:
                    cur[1] += 1
                elif lo <= pc < hi:
                    cur[0] += 1
                elif el0 and any(a <= pc < b for a, b in el0["ranges"]):
                    cur[3] += pc in el0["entries"]
                    cur[4] += pc in el0["svcs"]
                    cur[5] += 1
                else:
                    cur[2] += 1
        p.wait()
        if not watchdog.is_alive():
            print("  TRACE   timeout after %d s" % args.timeout)
        watchdog.cancel()
    con = report.parse_console(clean(open(clog, "rb").read().decode(errors="replace")))
    seq = con["seq"]
    if not con["ended"] or len(calls) != len(seq):
        print("  TRACE   %d traced calls for %d measured ones: no EL3 split" % (len(calls), len(seq)))
        return None
    per = {}
    for c, tag in zip(calls, seq):
        if tag != "-":
            per.setdefault(tag, []).append(c)

    def med(v):
        v = sorted(v)
        return v[len(v) // 2]

    rows = {}
    for tag, v in per.items():
        rows[tag] = {"el3": med([x[0] for x in v]),
                     "ipc_calls": med([x[1] for x in v]) if ipc_addr is not None else None}
        if copy_ranges:
            rows[tag]["copy"] = med([x[2] for x in v])
        if el0:
            rows[tag]["el0"] = {"entries": med([x[3] for x in v]), "syscalls": med([x[4] for x in v]),
                                "switch_insns": med([x[5] for x in v])}
    return {"rows": rows, "runs": con["info"].get("runs"), "el3_range": [lo, hi],
            "profile": bool(copy_ranges)}


def sized_symbols(nm, elf, names):
    """[lo, hi) of each named function (nm -S)."""
    out = []
    for line in sh([nm, "-S", elf]).splitlines():
        p = line.split()
        if len(p) == 4 and p[3] in names:
            lo = int(p[0], 16)
            out.append((lo, lo + int(p[1], 16)))
    return out


SERVICES = ("granule", "realm", "attest")
EL0_FUNCS = ("svc_el0_call", "uptr", "run_el0")


def el0_points(cross, elf):
    """What the trace counts of the EL0 service switches of an Atoll image.

    entries: the first word of each service's text (svc_el0_start), hit
    once per message or start-up the kernel runs at EL0; svcs: each `svc
    #n` (n != 0, a system call) in the services' text; ranges: the switch
    code, kernel side (svc_el0_call with the system-call dispatch inlined,
    uptr, run_el0, arch_el0_run and realm_exit_common, the lower-EL sync
    vector) and EL0 side (the entry trampolines and the stubs).
    None for an image without services at EL0.
    """
    syms = symbols(cross + "nm", elf)
    if "svc_el0_call" not in syms or "arch_el0_run" not in syms:
        return None
    entries, svcs, ranges = set(), set(), []
    for n in SERVICES:
        lo, hi = syms["__svc_%s_text_start" % n], syms["__svc_%s_text_end" % n]
        entries.add(lo)
        ranges.append((lo, lo + 12))
        dis = sh([cross + "objdump", "-d", "--no-show-raw-insn", "--start-address=0x%x" % lo,
                  "--stop-address=0x%x" % hi, elf])
        for line in dis.splitlines():
            m = re.match(r"\s*([0-9a-f]+):\s+svc\s+#0x([0-9a-f]+)", line)
            if m and int(m.group(2), 16) != 0:
                a = int(m.group(1), 16)
                svcs.add(a)
                ranges.append((a, a + 8))
    ranges += sized_symbols(cross + "nm", elf, EL0_FUNCS)
    after = sorted(a for a in syms.values() if a > syms["realm_exit_common"])
    ranges.append((syms["arch_el0_run"], after[0]))
    ranges.append((syms["rmm_vectors"] + 0x400, syms["rmm_vectors"] + 0x480))
    return {"entries": entries, "svcs": svcs, "ranges": ranges}


def layout_constants(path):
    vals = {}
    for line in open(path):
        m = re.match(r"#define\s+(STACK_\w+|GRANULE_SIZE)\s+(.+?)\s*(/\*.*)?$", line)
        if not m:
            continue
        expr = m.group(2)
        for k, v in sorted(vals.items(), key=lambda kv: -len(kv[0])):
            expr = expr.replace(k, str(v))
        if re.fullmatch(r"[0-9a-fA-Fx()+*\s]+", expr):
            vals[m.group(1)] = eval(expr)  # digits and + * ( ) only
    return vals


def stack_marks(dump, lay, cpus=1):
    """High-water mark of each stack of each CPU slot in dump.

    The RMM paints every stack with STACK_PAINT at cold boot (kernel/boot.c),
    except the top STACK_LIVE_TOP bytes of the boot CPU's main stack, in use
    while it paints: the deepest byte that is no longer the paint is the mark.
    A boot-CPU mark inside those top bytes only says "at most that many"."""
    g, exc, main_sz = lay["STACK_GUARD_SIZE"], lay["STACK_EXC_SIZE"], lay["STACK_MAIN_SIZE"]
    slot, paint = lay["STACK_SLOT_SIZE"], lay.get("STACK_PAINT", 0)
    res = []
    for cpu in range(cpus):
        for name, off, size in (("exception stack", g, exc), ("main stack", 2 * g + exc, main_sz)):
            base = cpu * slot + off
            region = dump[base:base + size]
            used = 0
            for i, b in enumerate(region):
                if b != paint:
                    used = size - i
                    break
            res.append({"cpu": cpu, "name": name, "size": size, "used": used})
    return res


def footprint(args, out, console, stacks, smp_stacks=None):
    fp = {}
    if args.rmm_elf:
        sec = sections(args.cross + "size", args.rmm_elf)
        fp["elf"] = os.path.relpath(args.rmm_elf)
        fp["sections"] = {k: v[0] for k, v in sec.items()
                          if k in ("text", "rodata", "data", "bss", "pgtables", "stacks")}
    fp["img_bytes"] = os.path.getsize(args.rmm_img)
    aux = re.search(r"BENCHINFO rec_aux_count=(\d+)", console)
    aux = int(aux.group(1)) if aux else None
    fp["ram"] = {"realm": 2, "per_2mb": 1, "per_1gb": 513}
    if aux is not None:
        fp["ram"].update({"rec": 1 + aux, "aux": aux})
    gib = [1, 2, 4, 16, 64]
    here = None
    m = re.search(r"(\d+) granules", console)
    if m:
        here = int(m.group(1))
    counts = [(g, g * 262144, False) for g in gib]
    if here and here % 262144 == 0 and here // 262144 not in gib:
        counts.append((here // 262144, here, True))
        counts.sort()
    elif here:
        counts = [(g, n, h or n == here) for g, n, h in counts]
    table = []
    for g, n, h in counts:
        row = {"gib": g, "here": h}
        for name, binary in args.gtw:
            try:
                v = sh([binary, str(n)]).split()
                row[name] = int(v[1])
            except (subprocess.CalledProcessError, OSError, IndexError, ValueError):
                row[name] = None
        table.append(row)
    if args.gtw:
        fp["granule_table"] = table
    if stacks is not None:
        fp["stacks"] = stacks
        if smp_stacks is not None:
            fp["smp_stacks"] = smp_stacks
    else:
        fp["stacks_note"] = "not measured for this image (needs the RMM's ELF for the stack addresses)."
    return fp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--flash", required=True)
    ap.add_argument("--trace-flash")
    ap.add_argument("--trace-host-elf")
    ap.add_argument("--bl31-elf")
    ap.add_argument("--rmm-img", required=True)
    ap.add_argument("--rmm-elf")
    ap.add_argument("--rmm-label")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--cross", default="aarch64-linux-gnu-")
    ap.add_argument("--ipc-host")
    ap.add_argument("--baseline", help="an earlier run's output directory: add the change per row")
    ap.add_argument("--gtw", action="append", default=[], type=lambda s: tuple(s.split("=", 1)))
    ap.add_argument("--layout", default="arch/aarch64/include/arch/layout.h")
    ap.add_argument("--smp-flash", help="conformance image (same RMM) booted on --smp CPUs for "
                    "every CPU's stack marks")
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--profile", action="store_true",
                    help="also count the RMM's instructions in memcpy/memset per call (slow)")
    args = ap.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)

    lay = layout_constants(args.layout) if args.rmm_elf and os.path.exists(args.layout) else {}
    region = None
    if args.rmm_elf and "STACK_SLOT_SIZE" in lay:
        sec = sections(args.cross + "size", args.rmm_elf)
        if "stacks" in sec:
            region = (sec["stacks"][1], lay["STACK_SLOT_SIZE"])  # CPU 0's slot

    t0 = time.time()
    console, dump = main_run(args, out, region)
    print("  QEMU    benchmark run: %.1f s" % (time.time() - t0))
    stacks = stack_marks(dump, lay) if dump else None
    smp_stacks = None
    if region is not None and args.smp_flash and os.path.exists(args.smp_flash):
        t0 = time.time()
        text, sdump = main_run(args, out, (region[0], region[1] * args.smp), args.smp_flash,
                               args.smp, "qemu-smp")
        m = DONE.search(text)
        if sdump and m:
            smp_stacks = {"cpus": args.smp, "result": m.group(0)[len("host: "):],
                          "marks": stack_marks(sdump, lay, args.smp)}
        print("  QEMU    conformance run on %d CPUs for stack marks: %.1f s"
              % (args.smp, time.time() - t0))

    trace = None
    if args.trace_flash and args.trace_host_elf and args.bl31_elf:
        t0 = time.time()
        try:
            hs = symbols(args.cross + "nm", args.trace_host_elf)
            ipc = symbols(args.cross + "nm", args.rmm_elf).get("ipc_call") if args.rmm_elf else None
            copies = []
            if args.profile and args.rmm_elf:
                copies = sized_symbols(args.cross + "nm", args.rmm_elf, PROFILE_FUNCS)
            el0 = el0_points(args.cross, args.rmm_elf) if args.rmm_elf else None
            trace = trace_run(args, out, exec_range(args.cross + "readelf", args.bl31_elf),
                              (hs["bench_smc_insn"], hs["bench_smc_ret"]), ipc, copies, el0)
        except (subprocess.CalledProcessError, KeyError, RuntimeError, OSError) as e:
            print("  TRACE   failed: %s" % e)
        print("  QEMU    traced run: %.1f s" % (time.time() - t0))

    ipc_lines = None
    if args.ipc_host and os.path.exists(args.ipc_host):
        ipc_lines = [l for l in open(args.ipc_host) if l.startswith("IPC ")]
    img = open(args.rmm_img, "rb").read()
    qv = re.search(r"version (\S+)", sh([QEMU, "--version"]))
    run = {
        "console": console,
        "trace": trace,
        "footprint": footprint(args, out, console, stacks, smp_stacks),
        "ipc_host": ipc_lines,
        "rmm_img": args.rmm_img,
        "rmm_label": args.rmm_label or os.path.basename(args.rmm_img),
        "rmm_sha256": hashlib.sha256(img).hexdigest(),
        "qemu_version": qv.group(1) if qv else "?",
        "baseline": args.baseline,
    }
    with open(os.path.join(out, "run.json"), "w") as f:
        json.dump(run, f, indent=1)
    rc = report.main(out)
    print("  BENCH   %s/results.md, results.csv, results.svg" % out)
    return rc


if __name__ == "__main__":
    sys.exit(main())
