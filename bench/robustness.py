"""Run the robustness tests and say what they tried: hostile inputs, injected faults, and whether
anything was lost or duplicated.

    .venv/bin/python bench/robustness.py            # everything, the 50 MB pages included
    .venv/bin/python bench/robustness.py --quick    # without the 50 MB pages
    .venv/bin/python bench/robustness.py -- -x      # anything after -- goes to pytest

The Neo4j tests need NEO4J_URI and NEO4J_PASSWORD (see tests/conftest.py); without them they
are skipped here and the summary says so. Exit code: pytest's.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("test_hostile_input", "test_injection", "test_faults")


class Summary:
    """A pytest plugin: counts outcomes, then reads each test module's ``COUNTS`` at the end."""

    def __init__(self) -> None:
        self.outcomes: Counter = Counter()
        self.counts: Counter = Counter()
        self.size_runs: dict | None = None

    def pytest_runtest_logreport(self, report) -> None:
        if report.when == "call" or report.outcome != "passed":
            self.outcomes[report.outcome] += 1

    def pytest_sessionfinish(self, session, exitstatus) -> None:
        for name in MODULES:
            module = sys.modules.get(name)
            for key, value in getattr(module, "COUNTS", {}).items():
                if key == "size runs":
                    self.size_runs = value
                else:
                    self.counts[key] += value


def report(summary: Summary) -> str:
    c, o = summary.counts, summary.outcomes
    kills = c["graph after kill: old"] + c["graph after kill: new"]
    lines = [
        "robustness summary",
        f"  hostile inputs tried:            {c['hostile inputs']} "
        f"({c['own errors']} refused with the project's own error, none with any other)",
        f"  appearances checked on the page: {c['appearances checked']} (evidence = page text at its offsets)",
        f"  10,000-name list:                {c['names in the 10,000-name list found']} found, "
        f"{c['names in the 10,000-name list duplicated']} duplicated",
        f"  injection strings intact:        {c['strings checked in the memory store']} in the memory store, "
        f"{c['strings checked in Neo4j']} in Neo4j",
        f"  GraphML exports parsed strictly: {c['graphml exports parsed strictly']}",
        f"  faults injected:                 {c['faults injected']} "
        f"({kills} SIGKILLs mid-save: {c['graph after kill: old']} left the old graph, "
        f"{c['graph after kill: new']} the new one, 0 a broken file; "
        f"{c['kills while the temp file was being written']} of them mid-write)",
    ]
    if summary.size_runs:
        s = summary.size_runs
        lines.append(f"  50 MB:                           ordinary pages {s['ordinary_s']:.1f} s "
                     f"(+{s['ordinary_mb']:.0f} MB peak), one line of {s['line_chars']:,} characters "
                     f"{s['line_s']:.1f} s (+{s['line_mb']:.0f} MB peak), ratio {s['line_s'] / s['ordinary_s']:.2f}; "
                     f"the pages in one file {s['one_file_s']:.1f} s (+{s['one_file_mb']:.0f} MB peak), "
                     f"ratio {s['one_file_s'] / s['ordinary_s']:.2f}")
    failed = o["failed"] + o["error"]
    verdict = "nothing lost or duplicated" if not failed and o["passed"] else "SOMETHING FAILED"
    lines.append(f"  tests: {o['passed']} passed, {failed} failed, {o['skipped']} skipped -> {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="leave out the 50 MB pages")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args(argv)
    pytest_args = [str(ROOT / "tests" / f"{m}.py") for m in MODULES] + ["-q", "-p", "no:cacheprovider"]
    if args.quick:
        pytest_args += ["-k", "not 50mb"]
    summary = Summary()
    code = pytest.main(pytest_args + args.pytest_args, plugins=[summary])
    print(report(summary))
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
