"""top: people with the most appearances, the most events hosted, or the most co-attendees."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.errors import QueryError
from officialgraph.graph.model import Role
from officialgraph.queries.common import APPEARED_AT, check_limit, person_row, persons
from officialgraph.queries.spec import Arg

NAME = "top"
DESCRIPTION = ("People ranked by appearances (events attended), hosted (events with the host role) or "
               "central (distinct co-attendees: degree in the co-attendance projection). "
               "People with a value of 0 are left out.")
BY = ("appearances", "hosted", "central")
ARGS = (Arg("by", "what to rank by", type="choice", choices=BY, default="appearances"),
        Arg("limit", "at most this many rows", type="int", default=10))
EXAMPLE = "officialgraph query top --by central --limit 5 --table"
COLUMNS = ("rank", "person", "region", "value")
HOST = Role.HOST.value


def value(graph: nx.MultiDiGraph, person: str, by: str) -> int:
    # Straight over networkx's adjacency dicts (as its own algorithms do; the public views wrap
    # every neighbour in a view object): this runs for every person of the graph.
    out = graph._succ[person]
    if by == "appearances":
        return sum(1 for edges in out.values() if APPEARED_AT in edges)
    if by == "hosted":
        return sum(1 for edges in out.values()
                   if APPEARED_AT in edges and HOST in (edges[APPEARED_AT].get("roles") or ()))
    into = graph._pred
    others = {other for event, edges in out.items() if APPEARED_AT in edges
              for other, rels in into[event].items() if APPEARED_AT in rels}
    others.discard(person)
    return len(others)


# appearances: events attended; hosted: of those, with the host role; central: distinct
# co-attendees. Ranks are the row numbers after sorting, so they are numbered in Cypher too.
CYPHER = """\
MATCH (p:Person)
WITH p, CASE $by
          WHEN 'appearances' THEN COUNT { (p)-[:APPEARED_AT]->(:Event) }
          WHEN 'hosted' THEN COUNT { (p)-[a:APPEARED_AT]->(:Event) WHERE $host IN a.roles }
          ELSE COUNT { MATCH (p)-[:APPEARED_AT]->(:Event)<-[:APPEARED_AT]-(other:Person)
                       WHERE other <> p RETURN DISTINCT other }
        END AS value
WHERE value > 0
WITH p, value
ORDER BY value DESC, p.name, p.region
LIMIT coalesce($limit, 9223372036854775807)
WITH collect({person: p.name, region: p.region, value: value}) AS ranked
UNWIND range(1, size(ranked)) AS rank
RETURN rank, ranked[rank - 1].person AS person, ranked[rank - 1].region AS region,
       ranked[rank - 1].value AS value
ORDER BY rank"""


def parameters(by: str = "appearances", limit: int | None = 10) -> dict[str, Any]:
    if by not in BY:
        raise QueryError(f"top --by must be one of {', '.join(BY)}, not {by!r}")
    return {"by": by, "limit": check_limit(limit), "host": HOST}


def networkx(graph: nx.MultiDiGraph, by: str = "appearances", limit: int | None = 10) -> list[dict[str, Any]]:
    params = parameters(by, limit)
    limit = params["limit"]
    rows = []
    for nid, _ in persons(graph):
        score = value(graph, nid, by)
        if score > 0:
            rows.append({**person_row(graph, nid), "value": score})
    rows.sort(key=lambda r: (-r["value"], r["person"], r["region"]))
    rows = rows[:limit] if limit else rows
    return [{"rank": i, **row} for i, row in enumerate(rows, 1)]
