"""met-with: the people a person appeared beside, most shared events first."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.queries.common import (GraphLookup, check_limit, co_attendees, event_dates, event_names,
                                          optional_text, person_row, require_text)
from officialgraph.queries.spec import LIMIT, PERSON, REGION

NAME = "met-with"
DESCRIPTION = "Co-attendees of a person: how many events they shared, when, and which."
ARGS = (PERSON, REGION, LIMIT)
EXAMPLE = "officialgraph query met-with 张俊峰 --region 航空港实验区"
COLUMNS = ("person", "region", "count", "first_date", "last_date", "dates", "events")


# APPEARED_AT only ever joins a Person to an Event (graph/rows.py), so the far ends need no
# label test: PROFILE showed a Filter on every expanded node.
CYPHER = """\
MATCH (me:Person {name: $person})
WHERE $region IS NULL OR me.region = $region
MATCH (me)-[:APPEARED_AT]->(e)<-[:APPEARED_AT]-(other)
WHERE other <> me
WITH other, collect(DISTINCT e) AS shared
WITH other, size(shared) AS count,
     COLLECT { UNWIND shared AS s WITH DISTINCT s.date AS d WHERE d <> '' RETURN d ORDER BY d } AS dates,
     COLLECT { UNWIND shared AS s WITH DISTINCT s.name AS n RETURN n ORDER BY n } AS events
RETURN other.name AS person, other.region AS region, count,
       dates[0] AS first_date, dates[-1] AS last_date, dates, events
ORDER BY count DESC, person, region
LIMIT coalesce($limit, 9223372036854775807)"""


def parameters(person: str, region: str | None = None, limit: int | None = None) -> dict[str, Any]:
    return {"person": require_text(person, "person"), "region": optional_text(region, "region"),
            "limit": check_limit(limit)}


def check(lookup: Any, params: dict[str, Any]) -> str:
    return lookup.person(params["person"], params["region"])


def networkx(graph: nx.MultiDiGraph, person: str, region: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
    params = parameters(person, region, limit)
    me, limit = check(GraphLookup(graph), params), params["limit"]
    rows = []
    for other, events in co_attendees(graph, me).items():
        dates = event_dates(graph, events)
        rows.append({**person_row(graph, other), "count": len(events),
                     "first_date": dates[0] if dates else None,
                     "last_date": dates[-1] if dates else None,
                     "dates": dates, "events": event_names(graph, events)})
    rows.sort(key=lambda r: (-r["count"], r["person"], r["region"]))
    return rows[:limit] if limit else rows
