#!/usr/bin/env python3
"""Per-row change between two benchmark runs (make bench, BENCH_OUT=...).

  compare.py BEFORE_DIR AFTER_DIR

Reads each directory's results.csv and prints a Markdown table of the RMM
share (instructions - EL3) of every row both have, with the change.
"""
import csv
import os
import sys


def load(d):
    with open(os.path.join(d, "results.csv")) as f:
        return {r["name"]: r for r in csv.DictReader(f)}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = load(sys.argv[1]), load(sys.argv[2])
    print("| row | RMM before | RMM after | change |")
    print("|---|---|---|---|")
    for name, rb in b.items():
        ra = a.get(name)
        if ra is None or not ra["rmm_share"].isdigit() or not rb["rmm_share"].isdigit():
            continue
        x, y = int(ra["rmm_share"]), int(rb["rmm_share"])
        pct = "%+.1f%%" % (100.0 * (y - x) / x) if x else "-"
        print("| %s | %s | %s | %+d (%s) |" % (name, "{:,}".format(x), "{:,}".format(y), y - x, pct))


if __name__ == "__main__":
    main()
