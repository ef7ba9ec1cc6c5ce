"""career: the posts a person held, in the order they were first seen, with the changes."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.graph.rows import HELD
from officialgraph.queries.common import GraphLookup, optional_text, require_text
from officialgraph.queries.spec import PERSON, REGION

NAME = "career"
DESCRIPTION = ("Posts a person held: organisation, post, title as written, first/last seen, how often, "
               "and whether each began alongside earlier posts (concurrent) or after them (new).")
ARGS = (PERSON, REGION)
EXAMPLE = "officialgraph query career 王新亭 --table"
COLUMNS = ("organization", "post", "title", "first_seen", "last_seen", "count", "change", "current")


def held_rows(graph: nx.MultiDiGraph, person: str) -> list[dict[str, Any]]:
    """``MATCH (p)-[h:HELD]->(o) ORDER BY h.first_seen IS NULL, h.first_seen, o.name, h.post``."""
    rows = []
    for _, org, data in graph.out_edges(person, data=True):
        if data.get("type") != HELD:
            continue
        rows.append({"organization": graph.nodes[org].get("name"), "post": data.get("post"),
                     "title": data.get("title"), "first_seen": data.get("first_seen"),
                     "last_seen": data.get("last_seen"), "count": data.get("count", 0)})
    rows.sort(key=lambda r: (r["first_seen"] is None, r["first_seen"] or "", r["organization"] or "", r["post"] or ""))
    return rows


def annotate_changes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pure post-processing shared by both stores.

    ``change``: ``first`` for the earliest post; ``new`` when a post was first seen after every
    earlier post was last seen (a move); ``concurrent`` when it overlaps one; ``undated`` when no
    date supports it. ``current``: last seen on the person's latest dated appearance in a post.
    """
    latest = max((r["last_seen"] for r in rows if r["last_seen"]), default=None)
    held_until: str | None = None
    out = []
    for index, row in enumerate(rows):
        if row["first_seen"] is None:
            change = "undated"
        elif index == 0:
            change = "first"
        elif held_until is not None and row["first_seen"] > held_until:
            change = "new"
        else:
            change = "concurrent"
        if row["last_seen"] and (held_until is None or row["last_seen"] > held_until):
            held_until = row["last_seen"]
        out.append({**row, "change": change, "current": bool(latest and row["last_seen"] == latest)})
    return out


CYPHER = """\
MATCH (me:Person {name: $person})
WHERE $region IS NULL OR me.region = $region
MATCH (me)-[h:HELD]->(o:Organization)
RETURN o.name AS organization, h.post AS post, h.title AS title, h.first_seen AS first_seen,
       h.last_seen AS last_seen, coalesce(h.count, 0) AS count
ORDER BY h.first_seen IS NULL, h.first_seen, o.name, h.post"""


def parameters(person: str, region: str | None = None) -> dict[str, Any]:
    return {"person": require_text(person, "person"), "region": optional_text(region, "region")}


def check(lookup: Any, params: dict[str, Any]) -> str:
    return lookup.person(params["person"], params["region"])


def finish(rows: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    """Both stores: the posts in order -> the same posts with ``change`` and ``current``."""
    return annotate_changes(rows)


def networkx(graph: nx.MultiDiGraph, person: str, region: str | None = None) -> list[dict[str, Any]]:
    params = parameters(person, region)
    return finish(held_rows(graph, check(GraphLookup(graph), params)), params)
