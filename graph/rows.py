"""Records -> graph rows: the one place that decides what nodes and relationships a record makes.

Both stores consume these rows, so they MERGE the same keys with the same properties:

* a node row is ``{"label", "key", "extra_labels", "props"}``;
* a relationship row is ``{"type", "start_label", "start", "end_label", "end", "merge_key",
  "props"}`` where ``start``/``end`` are node keys and ``merge_key`` tells relationships of one
  type between the same two nodes apart (the post for ``HELD``, else the type itself).

Every value is a scalar or a list of scalars, and ``None`` is never written (a property that is
unknown is simply absent, which is what ``SET n += $props`` does in Cypher as well).

Merge semantics, identical in both stores:

* nodes: MERGE on (label, key); then set every property of the row (later rows win) - except
  ``aliases``, which is a set union;
* ``HELD``: MERGE on (person, organisation, post); ``events`` is the union of the event keys that
  evidence the post, ``count`` its size, ``first_seen``/``last_seen`` the min/max of ``dates``
  (full ``YYYY-MM-DD`` dates only), ``titles`` the union of the titles as written, and ``title``
  the first title ever seen. Loading the same records twice therefore changes nothing;
* every other relationship: MERGE on its endpoints and type, then set the row's properties.
"""
from __future__ import annotations

import contextlib
import gc
import re
from typing import Any, Iterable, Iterator

from officialgraph.graph.model import (
    ArticleRecord,
    Label,
    Rel,
    event_key,
    journalist_key,
    person_key,
)

FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Plain strings of the labels and types: rows are built by the million, and every ``Label.X.value``
# is a descriptor call that showed as a quarter of the time in a profile.
ARTICLE, PERSON, EVENT = Label.ARTICLE.value, Label.PERSON.value, Label.EVENT.value
TOPIC, ORGANIZATION, JOURNALIST = Label.TOPIC.value, Label.ORGANIZATION.value, Label.JOURNALIST.value
APPEARED_AT, HELD, PART_OF = Rel.APPEARED_AT.value, Rel.HELD.value, Rel.PART_OF.value
REPORTED_IN, WROTE, ABOUT = Rel.REPORTED_IN.value, Rel.WROTE.value, Rel.ABOUT.value


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector around bulk graph building.

    Rows, and the graphs built from them, are millions of small dicts and lists without cycles.
    The collector runs by allocation count and re-scans the ever larger heap each time: in a
    profile it took 60% of ``build_rows``. Reference counting still frees everything meanwhile;
    the collector is switched back on (if it was on) when the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def node_id(label: str, key: str) -> str:
    """The networkx node id: ``Person:张俊峰@航空港实验区``."""
    return f"{label}:{key}"


def is_full_date(value: Any) -> bool:
    return isinstance(value, str) and bool(FULL_DATE.match(value))


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """Drop ``None``: absent, not null, in both stores. (``record_rows`` builds every list value as
    a list already, so nothing is converted here.)"""
    return {k: v for k, v in props.items() if v is not None}


def _node(label: str, key: str, props: dict[str, Any], extra: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"label": label, "key": key, "extra_labels": list(extra), "props": _clean(props)}


def _rel(rel: str, start_label: str, start: str, end_label: str, end: str,
         props: dict[str, Any] | None = None, merge_key: str | None = None) -> dict[str, Any]:
    return {
        "type": rel,
        "start_label": start_label,
        "start": start,
        "end_label": end_label,
        "end": end,
        "merge_key": merge_key or rel,
        "props": _clean(props) if props else {},
    }


def record_rows(record: ArticleRecord) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Node rows and relationship rows of one article record (not yet de-duplicated)."""
    nodes: list[dict[str, Any]] = []
    rels: list[dict[str, Any]] = []
    article_id = record.article_id
    nodes.append(_node(ARTICLE, article_id, {
        "key": article_id, "source": record.source, "headline": record.headline,
        "date": record.date, "date_precision": record.date_precision, "page": record.page,
        "page_hash": record.page_hash, "start": record.start, "end": record.end,
        "region": record.region, "year_basis": record.year_basis,
    }))
    for role, names in (("reporter", record.reporters), ("correspondent", record.correspondents)):
        for name in names:
            key = journalist_key(name)
            nodes.append(_node(PERSON, key, {"key": key, "name": name, "region": "",
                                              "journalist": True}, (JOURNALIST,)))
            rels.append(_rel(WROTE, PERSON, key, ARTICLE, article_id, {"as": role}))
    for event in record.events:
        ekey = event_key(article_id, event.index)
        date = event.date or record.date
        precision = event.date_precision if event.date else record.date_precision
        nodes.append(_node(EVENT, ekey, {
            "key": ekey, "name": event.name, "kind": event.kind, "date": date,
            "date_precision": precision, "location": event.location, "topics": list(event.topics),
            "article": article_id, "source": record.source,
        }))
        rels.append(_rel(REPORTED_IN, EVENT, ekey, ARTICLE, article_id))
        for topic in event.topics:
            nodes.append(_node(TOPIC, topic, {"key": topic, "name": topic}))
            rels.append(_rel(ABOUT, EVENT, ekey, TOPIC, topic))
        dates = [date] if is_full_date(date) else []
        for app in event.appearances:
            pkey = person_key(app.person, app.region)
            nodes.append(_node(PERSON, pkey, {"key": pkey, "name": app.person, "region": app.region or "",
                                              "aliases": []}))
            orgs = [t.organization for t in app.titles if t.organization]
            rels.append(_rel(APPEARED_AT, PERSON, pkey, EVENT, ekey, {
                "roles": list(app.roles), "titles": [t.text for t in app.titles],
                "organizations": list(dict.fromkeys(orgs)), "order": app.order,
                "evidence": app.evidence, "evidence_start": app.evidence_start,
                "evidence_end": app.evidence_end,
            }))
            for title in app.titles:
                if not title.organization:
                    continue
                nodes.append(_node(ORGANIZATION, title.organization, {
                    "key": title.organization, "name": title.organization,
                    "kind": title.org_kind, "region": title.region,
                }))
                if title.parent and title.parent != title.organization:
                    # The parent is named only; its kind stays unknown until it appears itself.
                    nodes.append(_node(ORGANIZATION, title.parent, {
                        "key": title.parent, "name": title.parent, "region": title.region,
                    }))
                    rels.append(_rel(PART_OF, ORGANIZATION, title.organization, ORGANIZATION, title.parent))
                post = title.post or title.text
                rels.append(_rel(HELD, PERSON, pkey, ORGANIZATION, title.organization, {
                    "post": post, "title": title.text, "titles": [title.text], "events": [ekey],
                    "dates": list(dates),
                }, merge_key=f"{HELD}:{post}"))
    return nodes, rels


def merge_node_props(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Node MERGE: later values win, ``aliases`` accumulate."""
    merged = {**old, **new}
    if "aliases" in old or "aliases" in new:
        merged["aliases"] = sorted(set(old.get("aliases") or ()) | set(new.get("aliases") or ()))
    return merged


def merge_held(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``HELD`` MERGE: union of evidencing events and dates; count, first/last seen derived."""
    events = sorted(set(old.get("events") or ()) | set(new.get("events") or ()))
    dates = sorted(set(old.get("dates") or ()) | set(new.get("dates") or ()))
    titles = sorted(set(old.get("titles") or ()) | set(new.get("titles") or ()))
    merged = {
        "post": new.get("post", old.get("post")),
        "title": old.get("title") or new.get("title"),
        "titles": titles,
        "events": events,
        "dates": dates,
        "count": len(events),
    }
    if dates:
        merged["first_seen"] = dates[0]
        merged["last_seen"] = dates[-1]
    return merged


def merge_rel_props(rel_type: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    if rel_type == HELD:
        return merge_held(old, new)
    return {**old, **new}


@cyclic_gc_paused()
def build_rows(records: Iterable[ArticleRecord]) -> dict[str, list[dict[str, Any]]]:
    """All rows of a batch of records, de-duplicated with the store's own merge rules.

    Returns ``{"nodes": [...], "relationships": [...]}``, nodes first in the order they were
    first met, so a store that applies nodes then relationships never misses an endpoint.
    """
    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    rels: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for record in records:
        rec_nodes, rec_rels = record_rows(record)
        for row in rec_nodes:
            ident = (row["label"], row["key"])
            if ident in nodes:
                old = nodes[ident]
                old["props"] = merge_node_props(old["props"], row["props"])
                old["extra_labels"] = sorted(set(old["extra_labels"]) | set(row["extra_labels"]))
            else:
                nodes[ident] = row
        for row in rec_rels:
            ident = (row["type"], row["start"], row["end"], row["merge_key"])
            if ident in rels:
                rels[ident]["props"] = merge_rel_props(row["type"], rels[ident]["props"], row["props"])
            else:
                if row["type"] == HELD:
                    row["props"] = merge_held({}, row["props"])
                rels[ident] = row
    return {"nodes": list(nodes.values()), "relationships": list(rels.values())}
