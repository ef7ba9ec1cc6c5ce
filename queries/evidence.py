"""evidence: the sentences behind a person's appearances, or behind a pair's co-attendance."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.errors import QueryError
from officialgraph.queries.common import (GraphLookup, appearances, event_sort_key, optional_text,
                                          require_text)
from officialgraph.queries.spec import PERSON, REGION, Arg

NAME = "evidence"
DESCRIPTION = ("The sentences behind a person's appearances; with --other, one row per shared event "
               "with both people's sentences.")
ARGS = (PERSON, REGION, Arg("other", "a second person: show only the events both appeared at"),
        Arg("other_region", "the second person's home region"))
EXAMPLE = "officialgraph query evidence 张俊峰 --other 马志峰"
COLUMNS = ("date", "event", "source", "person", "roles", "evidence", "evidence_start", "evidence_end",
           "other", "other_roles", "other_evidence")


def _row(graph: nx.MultiDiGraph, event: str, who: str, rel: dict[str, Any]) -> dict[str, Any]:
    e = graph.nodes[event]
    return {"date": e.get("date"), "event": e.get("name"), "source": e.get("source"),
            "person": graph.nodes[who].get("name"), "roles": list(rel.get("roles") or []),
            "evidence": rel.get("evidence"), "evidence_start": rel.get("evidence_start"),
            "evidence_end": rel.get("evidence_end")}


PAIR_COLUMNS = ("other", "other_roles", "other_evidence")

# Without $other every appearance of the person; with it, only the events both appeared at.
CYPHER = """\
MATCH (me:Person {name: $person})
WHERE $region IS NULL OR me.region = $region
MATCH (me)-[a:APPEARED_AT]->(e:Event)
OPTIONAL MATCH (e)<-[b:APPEARED_AT]-(them:Person {name: $other})
WHERE $other_region IS NULL OR them.region = $other_region
WITH me, a, e, them, b
WHERE $other IS NULL OR b IS NOT NULL
RETURN e.date AS date, e.name AS event, e.source AS source, me.name AS person,
       coalesce(a.roles, []) AS roles, a.evidence AS evidence, a.evidence_start AS evidence_start,
       a.evidence_end AS evidence_end, them.name AS other, coalesce(b.roles, []) AS other_roles,
       b.evidence AS other_evidence
ORDER BY e.date IS NULL, e.date, e.key"""


def parameters(person: str, region: str | None = None, other: str | None = None,
               other_region: str | None = None) -> dict[str, Any]:
    return {"person": require_text(person, "person"), "region": optional_text(region, "region"),
            "other": optional_text(other, "other") or None,
            "other_region": optional_text(other_region, "other_region")}


def check(lookup: Any, params: dict[str, Any]) -> tuple[str, str | None]:
    me = lookup.person(params["person"], params["region"])
    if params["other"] is None:
        return me, None
    them = lookup.person(params["other"], params["other_region"])
    if them == me:
        raise QueryError("evidence --other must name a different person")
    return me, them


def finish(rows: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    """Both stores: a single person's rows carry no pair columns."""
    if params["other"] is not None:
        return rows
    return [{k: v for k, v in row.items() if k not in PAIR_COLUMNS} for row in rows]


def networkx(graph: nx.MultiDiGraph, person: str, region: str | None = None, other: str | None = None,
             other_region: str | None = None) -> list[dict[str, Any]]:
    params = parameters(person, region, other, other_region)
    me, them = check(GraphLookup(graph), params)
    mine = dict(appearances(graph, me))
    if them is None:
        return finish([_row(graph, e, me, mine[e]) for e in sorted(mine, key=lambda e: event_sort_key(graph, e))],
                      params)
    theirs = dict(appearances(graph, them))
    rows = []
    for event in sorted(set(mine) & set(theirs), key=lambda e: event_sort_key(graph, e)):
        rel = theirs[event]
        rows.append({**_row(graph, event, me, mine[event]), "other": graph.nodes[them].get("name"),
                     "other_roles": list(rel.get("roles") or []), "other_evidence": rel.get("evidence")})
    return finish(rows, params)
