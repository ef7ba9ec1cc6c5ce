"""Shared fixtures."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from officialgraph.graph.model import ArticleRecord

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _gold_records() -> list[ArticleRecord]:
    # Stand-in until the extractor lands: the shared gold annotations, one record per article.
    gold = ROOT.parent / "shared" / "eval" / "gold"
    records = []
    for path in sorted(gold.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for start, article in enumerate(data["articles"]):
            records.append(ArticleRecord.from_json({**article, "source": data["file"], "start": start}))
    return records


@pytest.fixture(scope="session")
def seed_records() -> list[ArticleRecord]:
    """The extractor's records for the real seed pages (extracted once per test session)."""
    try:
        from officialgraph.loaders.extract import extract_paths
    except ImportError:
        return _gold_records()
    return list(extract_paths([SEEDS]))


def make_record(source: str, start: int, events: list[dict], *, date: str | None = None,
                reporters: tuple[str, ...] = (), correspondents: tuple[str, ...] = ()) -> ArticleRecord:
    """A hand-made record: events as FORMAT.md dicts whose appearances may carry ``posts``."""
    return ArticleRecord.from_json({
        "source": source, "page_hash": f"hash-{source}", "start": start, "end": start + 100,
        "headline": None, "date": date, "date_precision": "day" if date else "none",
        "reporters": list(reporters), "correspondents": list(correspondents),
        "events": [{"index": i, **e} for i, e in enumerate(events)],
    })


def appearance(person: str, region: str, *titles: tuple[str, str, str], roles=("attend",),
               evidence: str | None = None) -> dict:
    """``titles``: (title as written, organisation, post); the organisation's parent is its region."""
    return {"person": person, "region": region, "roles": list(roles),
            "evidence": evidence or f"{person}出席会议",
            "posts": [{"text": t, "organization": org, "post": post, "region": region,
                       "org_kind": "party", "parent": region if org != region else None}
                      for t, org, post in titles]}


@pytest.fixture
def handmade_records() -> list[ArticleRecord]:
    """Two namesakes 王强 in different regions, a post held three times, one move, a topic."""
    secretary = ("甲区党委书记", "甲区党委", "书记")
    mayor = ("甲区区长", "甲区政府", "区长")
    deputy = ("甲区副区长", "甲区政府", "副区长")
    return [
        make_record("a.txt", 0, [{"name": "甲区常委会", "date": "2021-01-05", "topics": ["安全生产"],
                                  "appearances": [appearance("李明", "甲区", secretary, roles=("host",)),
                                                  appearance("王强", "甲区", deputy),
                                                  appearance("赵一", "甲区", mayor)]}],
                    date="2021-01-05", reporters=("记者甲",)),
        make_record("a.txt", 500, [{"name": "甲区安全生产会议", "date": "2021-03-01", "topics": ["安全生产"],
                                    "appearances": [appearance("李明", "甲区", secretary, roles=("host", "speak")),
                                                    appearance("赵一", "甲区", mayor)]}],
                    date="2021-03-01", reporters=("记者甲",)),
        make_record("b.txt", 0, [{"name": "乙县调研", "date": "2021-06-01", "kind": "inspection",
                                  "appearances": [appearance("王强", "乙县", ("乙县县长", "乙县政府", "县长"),
                                                             roles=("inspect",)),
                                                  appearance("钱二", "乙县", ("乙县副县长", "乙县政府", "副县长"))]}],
                    date="2021-06-01", correspondents=("通讯员乙",)),
        make_record("c.txt", 0, [{"name": "甲区经济会议", "date": "2021-09-09",
                                  "appearances": [appearance("李明", "甲区", secretary, roles=("host",)),
                                                  appearance("王强", "甲区", mayor)]}],
                    date="2021-09-09", reporters=("记者甲",)),
    ]
