"""timeline: a person's appearances in date order."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.queries.common import (GraphLookup, appearances, event_sort_key, optional_text,
                                          require_text)
from officialgraph.queries.spec import PERSON, REGION

NAME = "timeline"
DESCRIPTION = "A person's appearances, dated ones first in date order: event, roles, titles, evidence."
ARGS = (PERSON, REGION)
EXAMPLE = "officialgraph query timeline 张俊峰 --table"
COLUMNS = ("date", "date_precision", "event", "kind", "roles", "titles", "location", "evidence", "source")


# APPEARED_AT only ever joins a Person to an Event (graph/rows.py), so the far ends need no
# label test: PROFILE showed a Filter on every expanded node.
CYPHER = """\
MATCH (me:Person {name: $person})
WHERE $region IS NULL OR me.region = $region
MATCH (me)-[a:APPEARED_AT]->(e)
RETURN e.date AS date, e.date_precision AS date_precision, e.name AS event, e.kind AS kind,
       coalesce(a.roles, []) AS roles, coalesce(a.titles, []) AS titles, e.location AS location,
       a.evidence AS evidence, e.source AS source
ORDER BY e.date IS NULL, e.date, e.key"""


def parameters(person: str, region: str | None = None) -> dict[str, Any]:
    return {"person": require_text(person, "person"), "region": optional_text(region, "region")}


def check(lookup: Any, params: dict[str, Any]) -> str:
    return lookup.person(params["person"], params["region"])


def networkx(graph: nx.MultiDiGraph, person: str, region: str | None = None) -> list[dict[str, Any]]:
    me = check(GraphLookup(graph), parameters(person, region))
    found = sorted(appearances(graph, me), key=lambda item: event_sort_key(graph, item[0]))
    rows = []
    for event, rel in found:
        e = graph.nodes[event]
        rows.append({"date": e.get("date"), "date_precision": e.get("date_precision"),
                     "event": e.get("name"), "kind": e.get("kind"), "roles": list(rel.get("roles") or []),
                     "titles": list(rel.get("titles") or []), "location": e.get("location"),
                     "evidence": rel.get("evidence"), "source": e.get("source")})
    return rows
