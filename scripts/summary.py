#!/usr/bin/env python3
"""Sum the per-suite result lines into the one final 'N passed, N failed'."""
import re
import sys

out, suites = sys.argv[1], sys.argv[2:]
passed = failed = 0
for s in suites:
    try:
        line = open(f"{out}/{s}.result").read().strip()
        m = re.fullmatch(r"(\d+) passed, (\d+) failed", line)
        p, f = (int(m.group(1)), int(m.group(2))) if m else (0, 1)
    except OSError:
        p, f = 0, 1
    print(f"  suite {s:<12} {p} passed, {f} failed")
    passed += p
    failed += f
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
