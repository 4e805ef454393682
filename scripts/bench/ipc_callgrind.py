#!/usr/bin/env python3
"""IPC cost on the host: run tests/bench/ipc_cost under callgrind, one case
per process, and write <out>/ipc.txt (one line "IPC <json>" per case) for
scripts/bench/run.py and report.py.

Usage: ipc_callgrind.py <ipc_cost binary> <out dir>

Per case (N calls through the transport, N direct calls of the same no-op
handler, see tests/bench/ipc_cost.c):
  per_call   = (inclusive(ipc_<case>) - inclusive(direct_<case>)) / N
  validation = self cost of the generated *_req_decode/*_rep_decode / N
  copies     = self cost of memcpy/memset/memmove / N
  transport  = per_call - validation - copies (queueing, leases, dispatch)
"""
import json
import os
import re
import subprocess
import sys

N = 1000
CASES = [
    ("lookup", "kernel -> granule: `granule_lookup` (one granule_ref)"),
    ("realm_create", "kernel -> realm: `realm_create`"),
    ("rec_create", "kernel -> realm: `realm_rec_create` (aux[16], gprs[8])"),
    ("nested_lookup", "realm -> granule: `granule_lookup` of a lease of the caller"),
    ("nested_extend", "realm -> attest: `attest_extend_ripas` (a lease_fwd)"),
]
LINE = re.compile(r"^\s*([\d,]+)\s+\([\s\d.]+%\)\s+(\S.*?)(?:\s+\[.*\])?$")


def annotate(path, inclusive):
    args = ["callgrind_annotate", "--threshold=100", "--auto=no"]
    if inclusive:
        args.append("--inclusive=yes")
    out = subprocess.run(args + [path], capture_output=True, text=True, check=True).stdout
    costs = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if not m or ":" not in m.group(2):
            continue
        fn = m.group(2).rsplit(":", 1)[1]
        v = int(m.group(1).replace(",", ""))
        # Self costs of one function may be split over several files (inlined
        # header code): add them. Inclusive costs already contain those parts.
        costs[fn] = max(costs.get(fn, 0), v) if inclusive else costs.get(fn, 0) + v
    return costs


def main(binary, out):
    os.makedirs(out, exist_ok=True)
    lines = ["# IPC cost per call on the host (x86-64 instructions, callgrind), N=%d" % N]
    summary = []
    for case, desc in CASES:
        cg = os.path.join(out, "callgrind.%s" % case)
        r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg,
                            binary, case], capture_output=True, text=True)
        if r.returncode != 0:
            lines.append("IPC " + json.dumps({"case": case, "desc": desc, "error": r.returncode}))
            summary.append("%-14s error %d" % (case, r.returncode))
            continue
        inc = annotate(cg, True)
        exc = annotate(cg, False)
        ipc, direct = inc.get("ipc_" + case, 0), inc.get("direct_" + case, 0)
        per_call = (ipc - direct) / N
        validation = sum(v for k, v in exc.items() if re.search(r"_re[qp]_decode$", k)) / N
        copies = sum(v for k, v in exc.items() if re.search(r"mem(cpy|set|move)", k)) / N
        d = {"case": case, "desc": desc, "per_call": round(per_call),
             "validation": round(validation), "copies": round(copies),
             "transport": round(per_call - validation - copies), "direct_call": round(direct / N)}
        lines.append("IPC " + json.dumps(d))
        summary.append("%-14s %5d per IPC call (validation %d, copies %d, transport %d)"
                       % (case, d["per_call"], d["validation"], d["copies"], d["transport"]))
    with open(os.path.join(out, "ipc.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join("  IPC     " + l for l in summary))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
