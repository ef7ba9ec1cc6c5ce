"""A person's dossier as plain data, built only from the canned queries.

Everything here goes through ``run_query(store, ...)``, so a dossier comes out the same from the
embedded graph file and from Neo4j. The rows are reshaped into frozen dataclasses the template
reads; nothing here knows about HTML.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from officialgraph.queries import run_query

# How much of the co-attendance network the drawing shows: the strongest ties first. Beyond
# this a force layout is unreadable; the page says how many were left out.
MAX_FIRST_STEP = 40
MAX_SECOND_STEP = 40
TOP_TIES = 10  # strongest ties named, counted and backed by their shared-event sentences
DATED_PRECISIONS = ("day", "day-year-inferred")  # dates with a year: they go on the time axis


@dataclass(frozen=True)
class Evidence:
    """One sentence behind an appearance, where it sits in its page."""
    id: str  # anchor in the page: ev-1, ev-2 ...
    source: str | None
    start: int | None
    end: int | None
    sentence: str
    date: str | None
    event: str | None


@dataclass(frozen=True)
class Appearance:
    date: str | None
    date_precision: str
    event: str | None
    kind: str | None
    roles: tuple[str, ...]
    titles: tuple[str, ...]
    location: str | None
    evidence_id: str | None


@dataclass(frozen=True)
class Post:
    organization: str | None
    post: str | None
    title: str | None
    first_seen: str | None
    last_seen: str | None
    count: int
    change: str
    current: bool
    evidence_ids: tuple[str, ...]  # the appearances whose titles include this title


@dataclass(frozen=True)
class Tie:
    person: str
    region: str
    count: int
    first_date: str | None
    last_date: str | None
    events: tuple[str, ...]
    evidence_ids: tuple[str, ...]  # the subject's sentences at the shared events
    their_sentences: tuple[str, ...]  # the other person's sentences at the same events


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    region: str
    step: int  # 0 the subject, 1 co-attendee, 2 co-attendee of a co-attendee
    weight: int  # shared events with the subject (step 1) or with the first circle (step 2)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    weight: int  # shared events


@dataclass(frozen=True)
class Network:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    first_step_total: int  # co-attendees in the store, shown or not
    second_step_total: int  # second-step people seen through the shown first circle


@dataclass(frozen=True)
class DossierData:
    name: str
    region: str
    titles: tuple[str, ...]
    timeline: tuple[Appearance, ...]
    posts: tuple[Post, ...]
    ties: tuple[Tie, ...]
    network: Network
    evidence: tuple[Evidence, ...]


def node_id(name: str, region: str) -> str:
    return f"{name}@{region}"


def build_dossier(store: Any, name: str, region: str | None = None) -> DossierData:
    """Run the person's queries on ``store`` and shape them for the page.

    ``PersonNotFound`` / ``AmbiguousPerson`` come from the queries unchanged, so namesakes are
    told apart exactly as ``officialgraph query`` does: pass ``region``.
    """
    person = {"person": name, "region": region}
    timeline_rows = run_query(store, "timeline", **person)
    evidence = _evidence(run_query(store, "evidence", **person))
    by_place = {(e.source, e.start, e.end): e.id for e in evidence}
    timeline = tuple(_appearances(timeline_rows, evidence))
    posts = tuple(_posts(run_query(store, "career", **person), timeline))
    met = run_query(store, "met-with", **person)
    circle = {(r["person"], r["region"]): run_query(store, "met-with", person=r["person"], region=r["region"])
              for r in met[:MAX_FIRST_STEP]}
    home = region if region is not None else _home_region(store, name, circle, posts)
    ties = tuple(_tie(store, name, home, row, by_place) for row in met[:TOP_TIES])
    return DossierData(name=name, region=home, titles=_titles(timeline, posts), timeline=timeline,
                       posts=posts, ties=ties, network=_network(name, home, met, circle),
                       evidence=evidence)


def _evidence(rows: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(Evidence(id=f"ev-{i}", source=r["source"], start=r["evidence_start"], end=r["evidence_end"],
                          sentence=r["evidence"] or "", date=r["date"], event=r["event"])
                 for i, r in enumerate(rows, 1))


def _appearances(rows: list[dict[str, Any]], evidence: tuple[Evidence, ...]) -> list[Appearance]:
    """Timeline rows, each tied to its evidence row.

    The match is made on (date, event, source, sentence), never on position alone. The order is
    the query's within each ``display_group``.
    """
    pending: dict[tuple, list[str]] = {}
    for e in evidence:
        pending.setdefault((e.date, e.event, e.source, e.sentence), []).append(e.id)
    out = []
    for r in rows:
        ids = pending.get((r["date"], r["event"], r["source"], r["evidence"] or ""))
        out.append(Appearance(date=r["date"], date_precision=r["date_precision"] or "none", event=r["event"],
                              kind=r["kind"], roles=tuple(r["roles"] or ()), titles=tuple(r["titles"] or ()),
                              location=r["location"], evidence_id=ids.pop(0) if ids else None))
    return sorted(out, key=display_group)


def display_group(appearance: Appearance) -> int:
    """The query sorts date strings, so a month-day (11-24) lands before every year; a reader
    wants the dated appearances first, then those with a month-day only, then the undated."""
    if not appearance.date:
        return 2
    return 0 if appearance.date_precision in DATED_PRECISIONS else 1


def _posts(rows: list[dict[str, Any]], timeline: tuple[Appearance, ...]) -> list[Post]:
    out = []
    for r in rows:
        ids = tuple(a.evidence_id for a in timeline if r["title"] in a.titles and a.evidence_id)
        out.append(Post(organization=r["organization"], post=r["post"], title=r["title"],
                        first_seen=r["first_seen"], last_seen=r["last_seen"], count=int(r["count"] or 0),
                        change=r["change"], current=bool(r["current"]), evidence_ids=ids))
    return out


def _titles(timeline: tuple[Appearance, ...], posts: tuple[Post, ...]) -> tuple[str, ...]:
    """Titles as written: the current posts' first, then every other in order of appearance."""
    seen: dict[str, None] = {p.title: None for p in posts if p.current and p.title}
    for appearance in timeline:
        seen.update((t, None) for t in appearance.titles if t)
    return tuple(seen)


def _home_region(store: Any, name: str, circle: dict[tuple[str, str], list[dict[str, Any]]],
                 posts: tuple[Post, ...]) -> str:
    """The subject's region when the caller gave none.

    The name was resolved without a region, so it is held in one region only: any row naming it
    names our person. Co-attendees' rows are at hand; a roster or the full ranking are the
    fallbacks for a person nobody appeared beside.
    """
    candidates = (row for rows in circle.values() for row in rows)
    for row in candidates:
        if row["person"] == name:
            return row["region"]
    for org in dict.fromkeys(p.organization for p in posts if p.organization):
        for row in run_query(store, "roster", organization=org):
            if row["person"] == name:
                return row["region"]
    for row in run_query(store, "top", by="appearances", limit=None):
        if row["person"] == name:
            return row["region"]
    return ""


def _tie(store: Any, name: str, region: str, row: dict[str, Any],
         by_place: dict[tuple, str]) -> Tie:
    shared = run_query(store, "evidence", person=name, region=region, other=row["person"],
                       other_region=row["region"])
    ids = tuple(by_place[key] for s in shared
                if (key := (s["source"], s["evidence_start"], s["evidence_end"])) in by_place)
    return Tie(person=row["person"], region=row["region"], count=int(row["count"]), first_date=row["first_date"],
               last_date=row["last_date"], events=tuple(row["events"] or ()), evidence_ids=ids,
               their_sentences=tuple(s["other_evidence"] or "" for s in shared))


def _network(name: str, region: str, met: list[dict[str, Any]],
             circle: dict[tuple[str, str], list[dict[str, Any]]]) -> Network:
    """The subject, the strongest co-attendees, and the people they in turn appeared beside.

    Edges: subject to each co-attendee, and each shown co-attendee to everyone shown that they
    met (so ties inside the first circle and out to the second are drawn). Ties between two
    second-step people are not queried.
    """
    me = node_id(name, region)
    nodes = {me: Node(me, name, region, 0, sum(int(r["count"]) for r in met))}
    edges: dict[tuple[str, str], int] = {}
    for row in met[:MAX_FIRST_STEP]:
        nid = node_id(row["person"], row["region"])
        nodes[nid] = Node(nid, row["person"], row["region"], 1, int(row["count"]))
        edges[(me, nid)] = int(row["count"])
    second: dict[str, list[Any]] = {}  # id -> [name, region, summed weight]
    for (other, other_region), rows in circle.items():
        for row in rows:
            nid = node_id(row["person"], row["region"])
            if nid not in nodes:
                entry = second.setdefault(nid, [row["person"], row["region"], 0])
                entry[2] += int(row["count"])
    strongest = sorted(second.items(), key=lambda kv: (-kv[1][2], kv[1][0], kv[1][1]))[:MAX_SECOND_STEP]
    for nid, (person, person_region, weight) in strongest:
        nodes[nid] = Node(nid, person, person_region, 2, weight)
    for (other, other_region), rows in circle.items():
        here = node_id(other, other_region)
        for row in rows:
            there = node_id(row["person"], row["region"])
            if there in nodes and there != me:
                edges[tuple(sorted((here, there)))] = int(row["count"])
    return Network(nodes=tuple(nodes.values()),
                   edges=tuple(Edge(a, b, w) for (a, b), w in sorted(edges.items())),
                   first_step_total=len(met), second_step_total=len(second))
