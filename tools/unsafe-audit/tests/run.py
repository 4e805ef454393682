#!/usr/bin/python3
"""Tests of unsafe_audit.py; prints one line per test and "N passed, N failed".

    run.py                       self-tests on the fixtures in fixtures/
    run.py [--result FILE] --real --budgets BUDGETS SOURCE... -- CFLAGS...
                                 the self-tests, plus the audit of the real
                                 tree and a mutation test on a copy of one of
                                 its sources (run from the project root)

Fixture layout: fixtures/proj is the project root of the fixture tests;
fixtures/sys stands for a system include directory outside it. In the
fixtures, every line holding a site carries an "expect: Ux ..." marker.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(os.path.dirname(HERE), "unsafe_audit.py")
sys.path.insert(0, os.path.dirname(TOOL))
import unsafe_audit as ua  # noqa: E402  (path set just above)

PROJ = os.path.join(HERE, "fixtures", "proj")
SYS = os.path.join(HERE, "fixtures", "sys")
FIXTURE_FLAGS = ["-std=c11", "-ffreestanding", "-I" + os.path.join(PROJ, "include"),
                 "-isystem", SYS]
FIXTURE_SOURCES = ["kernel/sites.c", "kernel/lookalikes.c", "kernel/missing.c",
                   "kernel/safety_forms.c", "kernel/twice_a.c", "kernel/twice_b.c",
                   "arch/sites.S", "arch/lookalikes.S"]

# Expected sites per fixture file and category (categories not listed: 0).
EXPECTED = {
    "kernel/sites.c": {"U1": 2, "U3": 6, "U4": 4, "U5": 1, "U6": 4, "U7": 2, "U8": 5,
                       "U9": 3, "U10": 5, "U11": 1, "U12": 2, "U13": 6},
    "kernel/lookalikes.c": {},
    "kernel/missing.c": {"U3": 1, "U8": 4},
    "kernel/safety_forms.c": {"U3": 2, "U8": 3, "U10": 1},
    "include/fixture/shared.h": {"U1": 1, "U3": 1, "U7": 1},
    "kernel/twice_a.c": {"U5": 1},
    "kernel/twice_b.c": {},
    "arch/sites.S": {"U2": 8},
    "arch/lookalikes.S": {},
}
# Sites reported without SAFETY: all of missing.c, and the last paragraph of sites.S.
EXPECTED_MISSING = {("kernel/missing.c", 6, "U8"), ("kernel/missing.c", 9, "U8"),
                    ("kernel/missing.c", 12, "U8"), ("kernel/missing.c", 14, "U8"),
                    ("kernel/missing.c", 20, "U3"), ("arch/sites.S", 26, "U2"),
                    ("arch/sites.S", 27, "U2")}
MARKER_RE = re.compile(r"expect:((?:\s+U\d+)+)")


def run_tool(args, cwd=PROJ):
    """Run unsafe_audit.py as the build does; returns the CompletedProcess."""
    return subprocess.run([sys.executable, TOOL] + args, cwd=cwd, capture_output=True,
                          text=True, check=False)


def write_budgets(directory, text):
    path = os.path.join(directory, "budgets.toml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class FixtureCounts(unittest.TestCase):
    """Counts and locations over all fixtures, audited once."""

    @classmethod
    def setUpClass(cls):
        cls.auditor = ua.Auditor(PROJ, FIXTURE_FLAGS)
        for src in FIXTURE_SOURCES:
            cls.auditor.audit(os.path.join(PROJ, src))
        cls.sites = list(cls.auditor.sites.values())

    def check_category(self, cat):
        for path, expected in EXPECTED.items():
            n = sum(1 for s in self.sites if s.path == path and s.cat == cat)
            self.assertEqual(n, expected.get(cat, 0), f"{cat} sites in {path}")

    def test_sites_are_on_marked_lines(self):
        """Each site is on a line whose 'expect:' marker names its category, and vice versa."""
        marked = set()
        for path in EXPECTED:
            with open(os.path.join(PROJ, path), encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    m = MARKER_RE.search(line)
                    if m:
                        marked.update((path, n, cat) for cat in m.group(1).split())
        found = {(s.path, s.line, s.cat) for s in self.sites}
        self.assertEqual(found, marked)

    def test_lookalikes_have_no_sites(self):
        for path in ("kernel/lookalikes.c", "arch/lookalikes.S", "kernel/twice_b.c"):
            self.assertEqual([s for s in self.sites if s.path == path], [], path)

    def test_header_sites_counted_once(self):
        """shared.h is included by two sources and its asm macro expanded twice."""
        shared = [s for s in self.sites if s.path == "include/fixture/shared.h"]
        self.assertEqual(sorted(s.cat for s in shared), ["U1", "U3", "U7"])

    def test_system_headers_not_counted(self):
        """Nothing from fixtures/sys; its macro's cast counts where twice_a.c expands it."""
        self.assertTrue(all(not s.path.startswith("..") for s in self.sites))
        self.assertIn(("kernel/twice_a.c", 11, "U5"),
                      {(s.path, s.line, s.cat) for s in self.sites})

    def test_missing_safety_comments(self):
        missing = {(s.path, s.line, s.cat) for s in self.sites if not s.safety}
        self.assertEqual(missing, EXPECTED_MISSING)


# One test per category: test_U1 ... test_U13.
for _cat in ua.CATEGORIES:
    def _test(self, cat=_cat):
        self.check_category(cat)
    _test.__doc__ = f"{_cat} ({ua.CATEGORIES[_cat]}): expected count in every fixture file"
    setattr(FixtureCounts, f"test_{_cat}", _test)


class CommandLine(unittest.TestCase):
    """Exit status and messages of the tool run as a program."""

    # Sources without SAFETY problems, and budgets they exactly meet.
    CLEAN = ["kernel/sites.c", "kernel/safety_forms.c", "kernel/twice_a.c", "kernel/twice_b.c"]
    BUDGETS = """
[project]
U7 = 3
"U3+U4" = 13

[dirs.kernel]
U1 = 2
U3 = 8
U4 = 4
U5 = 2
U6 = 4
U7 = 2
U8 = 8
U9 = 3
U10 = 6
U11 = 1
U12 = 2
U13 = 6

[dirs.include]
"*" = 1

[allow]
U1 = ["kernel/sites.c", "include/fixture/shared.h"]
"U3+U4" = ["kernel/sites.c", "kernel/safety_forms.c", "include/fixture/shared.h"]
"""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="unsafe-audit-test.")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def audit(self, budgets, sources=None, extra_args=()):
        args = list(extra_args) + (sources or self.CLEAN)
        if budgets is not None:
            args += ["--budgets", write_budgets(self.tmp, budgets)]
        return run_tool(args + ["--"] + FIXTURE_FLAGS)

    def test_within_budget_passes(self):
        r = self.audit(self.BUDGETS)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("unsafe audit: PASS", r.stdout)

    def test_directory_budget_exceeded(self):
        r = self.audit(self.BUDGETS.replace("U8 = 8", "U8 = 7"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("FAIL: over budget: kernel/ U8 = 8, budget 7", r.stdout)

    def test_project_combined_budget_exceeded(self):
        r = self.audit(self.BUDGETS.replace('"U3+U4" = 13', '"U3+U4" = 12'))
        self.assertEqual(r.returncode, 1)
        self.assertIn("FAIL: over budget: project U3+U4 = 13, budget 12", r.stdout)

    def test_directory_without_budget_allows_nothing(self):
        r = self.audit(self.BUDGETS.replace('[dirs.include]\n"*" = 1\n', ""))
        self.assertEqual(r.returncode, 1)
        self.assertIn("FAIL: over budget: include/ U1 = 1, budget 0", r.stdout)

    def test_site_outside_allow_list(self):
        r = self.audit(self.BUDGETS.replace('U1 = ["kernel/sites.c", ', 'U1 = ['))
        self.assertEqual(r.returncode, 1)
        self.assertIn("FAIL: not allowed here: kernel/sites.c:52:1: U1 (inline asm statement) "
                      "is only allowed in include/fixture/shared.h", r.stdout)

    def test_budget_that_can_go_down_is_noted(self):
        r = self.audit(self.BUDGETS.replace("U13 = 6", "U13 = 9"))
        self.assertEqual(r.returncode, 0)
        self.assertIn("note: budget can go down: kernel/ U13 = 6, budget 9", r.stdout)

    def test_missing_safety_fails(self):
        r = self.audit(None, ["kernel/missing.c"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("FAIL: missing SAFETY: kernel/missing.c:20:9: U3 (int->pointer cast) "
                      "has no SAFETY: comment on its line or the line before", r.stdout)

    def test_missing_safety_in_asm_paragraph_fails(self):
        r = self.audit(None, ["arch/sites.S"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("FAIL: missing SAFETY: arch/sites.S: 2 U2 (.S instruction lines) have no "
                      "SAFETY: comment earlier in their paragraph, lines 26-27", r.stdout)

    def test_json_output(self):
        r = self.audit(self.BUDGETS, extra_args=["--json"])
        self.assertEqual(r.returncode, 0, r.stderr)
        report = json.loads(r.stdout)
        self.assertTrue(report["ok"])
        self.assertEqual(report["totals"]["U13"], 6)
        self.assertEqual(sum(report["totals"].values()), len(report["sites"]))
        nonzero = {cat: n for cat, n in report["dirs"]["include"].items() if n}
        self.assertEqual(nonzero, EXPECTED["include/fixture/shared.h"])

    def test_extra_file_is_audited(self):
        """--extra audits a header that no source includes."""
        header = os.path.join(PROJ, "include", "fixture", "shared.h")
        r = self.audit(None, ["kernel/lookalikes.c"], extra_args=["--json", "--extra", header])
        report = json.loads(r.stdout)
        self.assertEqual(report["files"]["include/fixture/shared.h"]["U7"], 1)

    def test_gcc_only_flags_are_dropped(self):
        """Flags clang rejects are dropped (and named); build-only flags write nothing."""
        gcc_flags = ["-fno-tree-loop-distribute-patterns", "-MMD", "-MP", "-Werror", "-Wall"]
        r = run_tool(["--json", "kernel/twice_b.c", "--"] + FIXTURE_FLAGS + gcc_flags)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["dropped_flags"],
                         ["-fno-tree-loop-distribute-patterns"])
        self.assertIn("dropped flags clang rejects: -fno-tree-loop-distribute-patterns", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(PROJ, "twice_b.d")))

    def test_unparsable_source_exits_2(self):
        os.makedirs(os.path.join(self.tmp, "kernel"))
        with open(os.path.join(self.tmp, "kernel", "broken.c"), "w", encoding="utf-8") as f:
            f.write("int broken(void) { return undeclared; }\n")
        r = run_tool(["--root", self.tmp, os.path.join(self.tmp, "kernel", "broken.c")])
        self.assertEqual(r.returncode, 2)
        self.assertIn("clang cannot parse it", r.stderr)


    def test_libclang_load_failure_exits_2(self):
        """A stray non-flag argument (e.g. a quoted -D) makes libclang give up: reported, not a crash."""
        r = run_tool(["kernel/twice_b.c", "--"] + FIXTURE_FLAGS + ["'-DX=<y>'"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("kernel/twice_b.c: libclang failed on it", r.stderr)


class RealTree(unittest.TestCase):
    """The project's own sources (only with --real; run from the project root)."""

    sources = []
    cflags = []
    budgets = None

    def audit(self, sources, root="."):
        return subprocess.run([sys.executable, TOOL, "--root", root, "--budgets", self.budgets]
                              + sources + ["--"] + self.cflags,
                              capture_output=True, text=True, check=False)

    def test_real_tree_audit(self):
        r = self.audit(self.sources)
        print(r.stdout, end="")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_mutation_is_caught(self):
        """A copy of a real source passes; with an added union and bare asm it fails."""
        source = next(s for s in self.sources if s.endswith(".c"))
        tmp = tempfile.mkdtemp(prefix="unsafe-audit-mutation.")
        try:
            copy = os.path.join(tmp, source)
            os.makedirs(os.path.dirname(copy))
            shutil.copy(source, copy)
            r = self.audit([copy], root=tmp)
            self.assertEqual(r.returncode, 0, "unmodified copy must pass:\n" + r.stdout + r.stderr)
            with open(copy, encoding="utf-8") as f:
                lines = sum(1 for _ in f)
            with open(copy, "a", encoding="utf-8") as f:
                f.write("\n/* mutation: a union and an asm statement, without SAFETY comments */\n"
                        "union audit_mutation { unsigned int word; unsigned char bytes[4]; };\n"
                        "void audit_mutation_nop(void);\n"
                        "void audit_mutation_nop(void) { __asm__ volatile(\"nop\"); }\n")
            r = self.audit([copy], root=tmp)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            union_at, asm_at = f"{source}:{lines + 3}:1", f"{source}:{lines + 5}:33"
            for expected in (f"FAIL: missing SAFETY: {union_at}: U7",
                             "FAIL: over budget: project U7 = 1, budget 0",
                             f"FAIL: missing SAFETY: {asm_at}: U1",
                             f"FAIL: not allowed here: {asm_at}: U1"):
                self.assertIn(expected, r.stdout)
        finally:
            shutil.rmtree(tmp)


class LineResult(unittest.TestResult):
    """Prints PASS/FAIL per test as it finishes."""

    def addSuccess(self, test):
        super().addSuccess(test)
        print(f"  PASS  {test.id().split('.', 1)[1]}", flush=True)

    def _fail(self, test, err):
        print(f"  FAIL  {test.id().split('.', 1)[1]}\n" +
              self._exc_info_to_string(err, test).rstrip().replace("\n", "\n        "),
              flush=True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._fail(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._fail(test, err)


def main(argv):
    cflags = []
    if "--" in argv:
        cut = argv.index("--")
        argv, cflags = argv[:cut], argv[cut + 1:]
    ap = argparse.ArgumentParser(prog="run.py", description=__doc__.split("\n", 1)[0])
    ap.add_argument("--result", help="also write the final 'N passed, N failed' line here")
    ap.add_argument("--real", action="store_true", help="also audit the real tree")
    ap.add_argument("--budgets", help="budget file for --real")
    ap.add_argument("sources", nargs="*", help="real-tree sources for --real")
    args = ap.parse_args(argv)
    if args.real and not (args.budgets and args.sources):
        ap.error("--real needs --budgets and the sources")

    loader = unittest.TestLoader()
    suite = unittest.TestSuite([loader.loadTestsFromTestCase(FixtureCounts),
                                loader.loadTestsFromTestCase(CommandLine)])
    if args.real:
        RealTree.sources, RealTree.cflags, RealTree.budgets = args.sources, cflags, args.budgets
        suite.addTests(loader.loadTestsFromTestCase(RealTree))
    result = LineResult()
    suite.run(result)
    failed = len(result.failures) + len(result.errors)
    summary = f"{result.testsRun - failed} passed, {failed} failed"
    print(summary)
    if args.result:
        with open(args.result, "w", encoding="utf-8") as f:
            f.write(summary + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
