"""Extraction quality on a generated corpus, scored by ../shared/eval/score.py against its own gold.

The generator writes gold that follows ANNOTATION.md, so the shared scorer reads it as it reads
the hand-made gold; the floors are those of the real seeds (tests/test_quality.py).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from officialgraph.loaders.extract import extract_pages, page_files
from officialgraph.loaders.records import write_records
from officialgraph.synth import generate_corpus

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("OFFICIALGRAPH_SHARED", ROOT.parent / "shared"))
SCORER = SHARED / "eval" / "score.py"

YEARS, PAGES, SEED = 1, 60, 20240611
THRESHOLDS = {"pairs": 0.95, "persons": 0.97, "titles": 0.90, "bylines": 0.95}
FULL_DATES = 0.90


def run_scorer(gold: Path, pred: Path) -> tuple[dict[str, float], float, str]:
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred)],
                         check=True, capture_output=True, text=True, encoding="utf-8").stdout
    f1 = {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+)\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s", out, re.M)}
    full = re.search(r"^full_dates\s+([\d.]+)", out, re.M)
    return f1, float(full.group(1)) if full else 0.0, out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    summary = generate_corpus(out, years=YEARS, seed=SEED, pages_per_year=PAGES)
    assert summary.pages == PAGES
    return out


@pytest.fixture(scope="module")
def scored(corpus, tmp_path_factory) -> tuple[dict[str, float], float, str]:
    if not SCORER.is_file():
        pytest.fail(f"the shared scorer is missing: {SCORER} (../shared must sit beside the checkout)")
    pred = tmp_path_factory.mktemp("pred") / "pred.jsonl"
    with open(pred, "w", encoding="utf-8") as out:
        for result in extract_pages(page_files([corpus / "pages"]), jobs=2):
            assert result.error is None, result.error
            write_records(result.records, out)
    return run_scorer(corpus / "gold", pred)


def test_gold_covers_every_page_with_appearances(corpus):
    gold = sorted((corpus / "gold").glob("*.json"))
    assert len(gold) == PAGES
    appearances = sum(len(e["appearances"]) for g in gold
                      for a in json.loads(g.read_text(encoding="utf-8"))["articles"] for e in a["events"])
    assert appearances >= PAGES * 5, "the generated gold is too thin to score anything"


@pytest.mark.parametrize("unit", sorted(THRESHOLDS))
def test_f1_on_generated_gold(scored, unit):
    f1, _, report = scored
    assert f1[unit] >= THRESHOLDS[unit], f"{unit} F1 {f1[unit]:.3f} < {THRESHOLDS[unit]}\n{report}"


def test_full_dates_on_generated_gold(scored):
    _, full, report = scored
    assert full >= FULL_DATES, report
