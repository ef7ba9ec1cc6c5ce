"""Extraction quality on the real seed pages, scored by ../shared/eval/score.py against the shared gold.

The scorer is the one that scores pages we do not have; these thresholds are the floor.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from officialgraph.loaders.extract import extract_paths
from officialgraph.loaders.records import write_records

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("OFFICIALGRAPH_SHARED", ROOT.parent / "shared"))
SCORER = SHARED / "eval" / "score.py"
GOLD = SHARED / "eval" / "gold"

THRESHOLDS = {"pairs": 0.95, "persons": 0.97, "titles": 0.90, "bylines": 0.95}
FULL_DATES = 0.90


def score(pred: Path) -> tuple[dict[str, float], float]:
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(pred)],
                         check=True, capture_output=True, text=True, encoding="utf-8").stdout
    f1 = {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+)\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s", out, re.M)}
    full = re.search(r"^full_dates\s+([\d.]+)", out, re.M)
    return f1, float(full.group(1)) if full else 0.0


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> tuple[dict[str, float], float]:
    if not SCORER.is_file():
        pytest.fail(f"the shared scorer is missing: {SCORER} (../shared must sit beside the checkout)")
    pred = tmp_path_factory.mktemp("quality") / "pred.jsonl"
    with open(pred, "w", encoding="utf-8") as out:
        write_records(extract_paths([ROOT / "seeds"]), out)
    return score(pred)


@pytest.mark.parametrize("unit", sorted(THRESHOLDS))
def test_f1_on_shared_gold(scores, unit):
    f1, _ = scores
    assert f1[unit] >= THRESHOLDS[unit], f"{unit} F1 {f1[unit]:.3f} < {THRESHOLDS[unit]}"


def test_full_dates_on_shared_gold(scores):
    _, full = scores
    assert full >= FULL_DATES


@pytest.mark.parametrize("codec", ["gb18030", "utf-16"])
def test_other_encodings_give_the_same_records(tmp_path, codec):
    original = ROOT / "seeds" / "001_ac1f92b16116a0af.txt"
    copy = tmp_path / original.name
    copy.write_bytes(original.read_text(encoding="utf-8").encode(codec))
    assert list(extract_paths([copy])) == list(extract_paths([original]))
