"""Write a synthetic corpus: pages, one gold file per page, and the roster behind them.

Pages are generated one at a time from their own ``random.Random`` (seeded from the corpus
seed, the year and the page number) and written at once, so memory stays flat for a decade of
pages and the same seed gives the same bytes.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

from officialgraph.errors import OfficialGraphError
from officialgraph.synth.articles import ArticleBuilder, Built, Style
from officialgraph.synth.layout import render_article
from officialgraph.synth.roster import Roster

ARTICLES_PER_PAGE = (4, 7)
COLUMN_PAGE_SHARE = 0.5
ASCII_PUNCT_SHARE = 0.3  # flow pages whose OCR gives ASCII commas and brackets


class SynthError(OfficialGraphError):
    """The corpus generator was called with arguments it cannot honour."""


@dataclass(frozen=True)
class CorpusSummary:
    out_dir: Path
    seed: int
    years: tuple[int, ...]
    pages: int
    articles: int
    appearances: int
    bytes: int
    gb18030_pages: int
    officials: int  # distinct people who held a post in some year of the corpus


def generate_corpus(out_dir, *, years: int = 1, seed: int = 1, pages_per_year: int = 4000,
                    start_year: int = 2015, gb18030_share: float = 0.05,
                    progress: Callable[[int, int], None] | None = None) -> CorpusSummary:
    """Generate ``years`` years of pages with known truth into ``out_dir``.

    Writes ``pages/2016-03-05_p03.txt`` (UTF-8, a ``gb18030_share`` of them GB18030),
    ``gold/2016-03-05_p03.json`` (the shape of ../shared/eval/gold, scoreable by score.py),
    ``truth/roster.jsonl`` (who held which post each year), ``truth/changes.jsonl``
    (promotions, moves, retirements) and ``manifest.json``. The same arguments give
    byte-identical output. ``progress(pages_done, pages_total)`` is called after each page.

    Example::

        from officialgraph.synth import generate_corpus
        summary = generate_corpus("/tmp/synth", years=2, seed=7, pages_per_year=500)
        print(summary.pages, summary.bytes)
    """
    if years < 1 or pages_per_year < 1:
        raise SynthError("years and pages_per_year must be at least 1")
    if not 0.0 <= gb18030_share <= 1.0:
        raise SynthError("gb18030_share must be between 0 and 1")
    out = Path(out_dir)
    for sub in ("pages", "gold", "truth"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    roster = Roster(seed, start_year)
    total = years * pages_per_year
    done = n_articles = n_appearances = n_bytes = n_gb = 0
    officials: set[int] = set()
    with open(out / "truth" / "roster.jsonl", "w", encoding="utf-8") as roster_fh, \
            open(out / "truth" / "changes.jsonl", "w", encoding="utf-8") as changes_fh:
        _write_journalists(out, roster)
        for year in range(start_year, start_year + years):
            if year > start_year:
                roster.advance_year()
            for row in roster.changes:
                changes_fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            for row in roster.snapshot_rows():
                officials.add(row["pid"])
                roster_fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            for day, number, index in _page_days(year, pages_per_year):
                rng = random.Random(f"{seed}/{year}/{index}")
                name = f"{day.isoformat()}_p{number:02d}"
                text, gold, encoding = make_page(rng, roster, day, name + ".txt", gb18030_share)
                raw = text.encode(encoding)
                (out / "pages" / (name + ".txt")).write_bytes(raw)
                (out / "gold" / (name + ".json")).write_text(
                    json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                done += 1
                n_bytes += len(raw)
                n_gb += encoding == "gb18030"
                n_articles += len(gold["articles"])
                n_appearances += sum(len(e["appearances"]) for a in gold["articles"] for e in a["events"])
                if progress:
                    progress(done, total)
    manifest = {"seed": seed, "start_year": start_year, "years": years, "pages_per_year": pages_per_year,
                "gb18030_share": gb18030_share, "pages": done, "articles": n_articles,
                "appearances": n_appearances, "bytes": n_bytes, "gb18030_pages": n_gb,
                "officials": len(officials)}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return CorpusSummary(out, seed, tuple(range(start_year, start_year + years)), done, n_articles,
                         n_appearances, n_bytes, n_gb, len(officials))


def _page_days(year: int, pages_per_year: int):
    """(day, page number within the day, page index) spread evenly over the year."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    last_day, number = None, 0
    for index in range(pages_per_year):
        day = first + timedelta(days=index * days // pages_per_year)
        number = number + 1 if day == last_day else 1
        last_day = day
        yield day, number, index


def _write_journalists(out: Path, roster: Roster) -> None:
    with open(out / "truth" / "journalists.jsonl", "w", encoding="utf-8") as fh:
        for key, region in roster.regions.items():
            for name in region.reporters:
                fh.write(json.dumps({"region": key, "name": name, "as": "reporter"}, ensure_ascii=False) + "\n")
            for name in region.correspondents:
                fh.write(json.dumps({"region": key, "name": name, "as": "correspondent"}, ensure_ascii=False) + "\n")


def make_page(rng: random.Random, roster: Roster, day: date, file_name: str,
              gb18030_share: float) -> tuple[str, dict, str]:
    """One page: its text, its gold record and the encoding to write it in."""
    regions = [k for k, r in roster.regions.items() if r.spec.kind != "soe"]
    region = rng.choice(regions)
    column = rng.random() < COLUMN_PAGE_SHARE
    style = Style(ascii_punct=not column and rng.random() < ASCII_PUNCT_SHARE)
    builder = ArticleBuilder(rng, roster, region, style, day)
    built = [builder.build() for _ in range(rng.randint(*ARTICLES_PER_PAGE))]
    page_year = any(b.text_year for b in built)
    text = "\n" * rng.choice((0, 0, 1, 2, 3))
    text += "".join(render_article(b, rng, column, first=(i == 0)) for i, b in enumerate(built))
    gold = {"file": file_name, "articles": [_gold_article(b, page_year) for b in built]}
    encoding = "gb18030" if rng.random() < gb18030_share else "utf-8"
    return text, gold, encoding


def _gold_article(b: Built, page_year: bool) -> dict:
    if b.day is None:
        when, basis = None, None
    elif b.text_year:
        when, basis = b.day.isoformat(), "text"
    elif page_year:
        when, basis = b.day.isoformat(), "page"
    else:
        when, basis = b.day.strftime("%m-%d"), None
    return {"headline": b.headline, "date": when, "year_basis": basis,
            "reporters": list(b.byline[0]), "correspondents": list(b.byline[1]),
            "events": [{"name": b.event_name, "date": when, "location": b.location,
                        "appearances": b.appearances}]}
