"""The records the extractor emits and the graph stores: frozen dataclasses and enums.

An ``ArticleRecord`` is one line of the JSON Lines file (../shared/eval/FORMAT.md plus the
fields the graph needs). ``to_json``/``from_json`` are the only (de)serialisers, so the file
format and the in-memory shape cannot drift apart.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, asdict
from enum import Enum
from typing import Any


class Label(str, Enum):
    PERSON = "Person"
    JOURNALIST = "Journalist"
    ORGANIZATION = "Organization"
    EVENT = "Event"
    ARTICLE = "Article"
    TOPIC = "Topic"


class Rel(str, Enum):
    APPEARED_AT = "APPEARED_AT"
    HELD = "HELD"
    PART_OF = "PART_OF"
    REPORTED_IN = "REPORTED_IN"
    WROTE = "WROTE"
    ABOUT = "ABOUT"


class Role(str, Enum):
    HOST = "host"
    ATTEND = "attend"
    SPEAK = "speak"
    REPORT = "report"
    INSPECT = "inspect"
    SIGN = "sign"
    RECEIVE = "receive"


class OrgKind(str, Enum):
    PARTY = "party"
    GOVERNMENT = "government"
    CONGRESS = "congress"
    ENTERPRISE = "enterprise"
    COMMUNITY = "community"
    OTHER = "other"


class EventKind(str, Enum):
    MEETING = "meeting"
    CONFERENCE = "conference"
    INSPECTION = "inspection"
    SIGNING = "signing"
    VISIT = "visit"
    OTHER = "other"


class DatePrecision(str, Enum):
    """How sure a date is: the day with a year the text states, the day with a year inferred
    from the page (or given by the user / the file name), the month-day only, or nothing."""
    DAY = "day"
    DAY_YEAR_INFERRED = "day-year-inferred"
    MONTH_DAY = "month-day"
    NONE = "none"


class BylineAs(str, Enum):
    REPORTER = "reporter"
    CORRESPONDENT = "correspondent"


@dataclass(frozen=True)
class Title:
    """A title as written (``航空港实验区党工委书记``) and what it parses into."""
    text: str
    organization: str | None = None  # canonical: region + body, 航空港实验区党工委
    post: str | None = None  # 书记, 副主任 ...
    region: str | None = None  # 航空港实验区
    org_kind: str = OrgKind.OTHER.value
    parent: str | None = None  # organisation this one is part of, 航空港实验区


@dataclass(frozen=True)
class Appearance:
    person: str
    region: str  # home region: with the name it is the Person key
    titles: tuple[Title, ...]
    roles: tuple[str, ...]
    order: int
    evidence: str
    evidence_start: int  # offsets into the page as decoded (before lines were joined)
    evidence_end: int


@dataclass(frozen=True)
class Event:
    index: int
    name: str
    kind: str
    date: str | None
    date_precision: str
    location: str | None
    topics: tuple[str, ...]
    appearances: tuple[Appearance, ...]


@dataclass(frozen=True)
class ArticleRecord:
    source: str  # file name, no directory
    page_hash: str  # sha1 of the decoded page text: --resume and article keys use it
    start: int  # offsets of the article in the decoded page
    end: int
    headline: str | None
    date: str | None
    date_precision: str
    year_basis: str | None  # text | page | user | filename | None
    region: str | None  # the region the article is mostly about
    reporters: tuple[str, ...]
    correspondents: tuple[str, ...]
    events: tuple[Event, ...]
    page: str | None = None

    @property
    def article_id(self) -> str:
        return article_key(self.page_hash, self.start)

    def to_json(self) -> dict[str, Any]:
        """The FORMAT.md record: titles as plain strings (scored), parsed titles beside them."""
        data = asdict(self)
        data["article_id"] = self.article_id
        for event in data["events"]:
            for appearance in event["appearances"]:
                appearance["posts"] = appearance.pop("titles")
                appearance["titles"] = [t["text"] for t in appearance["posts"]]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ArticleRecord":
        events = tuple(_event_from_json(e) for e in data.get("events") or ())
        return cls(
            source=data["source"],
            page_hash=data.get("page_hash") or _hash_text(data["source"]),
            start=int(data.get("start", 0)),
            end=int(data.get("end", 0)),
            headline=data.get("headline"),
            date=data.get("date"),
            date_precision=data.get("date_precision") or DatePrecision.NONE.value,
            year_basis=data.get("year_basis"),
            region=data.get("region"),
            reporters=tuple(data.get("reporters") or ()),
            correspondents=tuple(data.get("correspondents") or ()),
            events=events,
            page=data.get("page"),
        )


def _event_from_json(data: dict[str, Any]) -> Event:
    return Event(
        index=int(data.get("index", 0)),
        name=data["name"],
        kind=data.get("kind") or EventKind.OTHER.value,
        date=data.get("date"),
        date_precision=data.get("date_precision") or DatePrecision.NONE.value,
        location=data.get("location"),
        topics=tuple(data.get("topics") or ()),
        appearances=tuple(_appearance_from_json(a, i) for i, a in enumerate(data.get("appearances") or (), 1)),
    )


def _appearance_from_json(data: dict[str, Any], position: int) -> Appearance:
    posts = data.get("posts")
    if posts is None:  # a bare FORMAT.md record: titles as strings only
        titles = tuple(Title(text=t) for t in data.get("titles") or ())
    else:
        titles = tuple(Title(**p) for p in posts)
    return Appearance(
        person=data["person"],
        region=data.get("region") or "",
        titles=titles,
        roles=tuple(data.get("roles") or ()),
        order=int(data.get("order") or position),
        evidence=data.get("evidence") or "",
        evidence_start=int(data.get("evidence_start", -1)),
        evidence_end=int(data.get("evidence_end", -1)),
    )


def _hash_text(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def page_hash(text: str) -> str:
    """Content hash of a decoded page: equal pages under different names are one page."""
    return _hash_text(text)


# Keys: computed here once so both stores MERGE on the same values.

def article_key(page_hash_: str, start: int) -> str:
    return f"{page_hash_[:16]}:{start}"


def event_key(article_id: str, index: int) -> str:
    return f"{article_id}#{index}"


def person_key(name: str, region: str | None) -> str:
    return f"{name}@{region or ''}"


def journalist_key(name: str) -> str:
    # Bylines carry no region; a journalist is one person per paper, keyed by name alone.
    return f"{name}@"
