"""evidence: the sentences behind a person's appearances, or behind a pair's co-attendance."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.errors import QueryError
from officialgraph.queries.common import appearances, event_sort_key, optional_text, resolve_person
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


def networkx(graph: nx.MultiDiGraph, person: str, region: str | None = None, other: str | None = None,
             other_region: str | None = None) -> list[dict[str, Any]]:
    region = optional_text(region, "region")
    other = optional_text(other, "other") or None
    other_region = optional_text(other_region, "other_region")
    me = resolve_person(graph, person, region)
    mine = dict(appearances(graph, me))
    if other is None:
        return [_row(graph, e, me, mine[e]) for e in sorted(mine, key=lambda e: event_sort_key(graph, e))]
    them = resolve_person(graph, other, other_region)
    if them == me:
        raise QueryError("evidence --other must name a different person")
    theirs = dict(appearances(graph, them))
    rows = []
    for event in sorted(set(mine) & set(theirs), key=lambda e: event_sort_key(graph, e)):
        rel = theirs[event]
        rows.append({**_row(graph, event, me, mine[event]), "other": graph.nodes[them].get("name"),
                     "other_roles": list(rel.get("roles") or []), "other_evidence": rel.get("evidence")})
    return rows
