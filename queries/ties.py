"""ties: the pairs of people who appeared together most often."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.errors import QueryError
from officialgraph.queries.common import check_limit, co_attendees, event_names, person_row, persons
from officialgraph.queries.spec import Arg

NAME = "ties"
DESCRIPTION = ("Strongest co-attendance pairs: shared events, most first; each pair once, the "
               "first-sorting person (name, region) as person_a.")
ARGS = (Arg("limit", "at most this many rows", type="int", default=20),
        Arg("min_count", "only pairs with at least this many shared events", type="int", default=1))
EXAMPLE = "officialgraph query ties --min-count 2 --table"
COLUMNS = ("person_a", "region_a", "person_b", "region_b", "count", "events")


# Each pair once (elementId picks one orientation), then person_a is the one whose (name, region)
# sorts first by ORDER BY: its string order is Python's, while `<` on strings compares UTF-16
# units in some plans (王𠀀 < 王Ｚ), which would turn pairs with characters past U+FFFF around.
CYPHER = """\
MATCH (x:Person)-[:APPEARED_AT]->(e:Event)<-[:APPEARED_AT]-(y:Person)
WHERE elementId(x) < elementId(y)
WITH x, y, collect(DISTINCT e) AS shared
WHERE size(shared) >= $min_count
WITH COLLECT { UNWIND [x, y] AS p RETURN p ORDER BY p.name, p.region } AS pair, shared
WITH pair[0] AS a, pair[1] AS b, shared
RETURN a.name AS person_a, a.region AS region_a, b.name AS person_b, b.region AS region_b,
       size(shared) AS count,
       COLLECT { UNWIND shared AS s WITH DISTINCT s.name AS n RETURN n ORDER BY n } AS events
ORDER BY count DESC, person_a, region_a, person_b, region_b
LIMIT coalesce($limit, 9223372036854775807)"""


def parameters(limit: int | None = 20, min_count: int = 1) -> dict[str, Any]:
    limit = check_limit(limit)
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise QueryError(f"min_count must be a positive integer, not {min_count!r}")
    return {"limit": limit, "min_count": min_count}


def networkx(graph: nx.MultiDiGraph, limit: int | None = 20, min_count: int = 1) -> list[dict[str, Any]]:
    params = parameters(limit, min_count)
    limit = params["limit"]
    rows = []
    for a, _ in persons(graph):
        pa = person_row(graph, a)
        for b, events in co_attendees(graph, a).items():
            pb = person_row(graph, b)
            if (pa["person"], pa["region"]) >= (pb["person"], pb["region"]) or len(events) < min_count:
                continue
            rows.append({"person_a": pa["person"], "region_a": pa["region"], "person_b": pb["person"],
                         "region_b": pb["region"], "count": len(events), "events": event_names(graph, events)})
    rows.sort(key=lambda r: (-r["count"], r["person_a"], r["region_a"], r["person_b"], r["region_b"]))
    return rows[:limit] if limit else rows
