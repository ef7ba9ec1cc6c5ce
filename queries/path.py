"""path: the shortest chain of co-attendance between two people."""
from __future__ import annotations

from collections import deque
from typing import Any

import networkx as nx

from officialgraph.errors import NoPath, QueryError
from officialgraph.queries.common import (GraphLookup, co_attendees, event_names, optional_text, person_row,
                                          require_text)
from officialgraph.queries.spec import PERSON, REGION, Arg

NAME = "path"
DESCRIPTION = ("Shortest chain of co-attendance between two people; among equally short chains, the "
               "one whose people sort first (by name, then region). One row per person on the chain.")
ARGS = (PERSON, Arg("other", "the other person's name", required=True, positional=True), REGION,
        Arg("other_region", "the other person's home region"))
EXAMPLE = "officialgraph query path 张俊峰 马志峰"
COLUMNS = ("step", "person", "region", "events_with_next")


def _distances(graph: nx.MultiDiGraph, source: str) -> dict[str, int]:
    dist = {source: 0}
    todo = deque([source])
    while todo:
        current = todo.popleft()
        for other in co_attendees(graph, current):
            if other not in dist:
                dist[other] = dist[current] + 1
                todo.append(other)
    return dist


# Every shortest chain is a shortest path over APPEARED_AT (Person-Event-Person ...); the one
# kept is the one whose list of people, as [name, region] pairs, sorts first.
CYPHER = """\
MATCH (start:Person {name: $person})
WHERE $region IS NULL OR start.region = $region
MATCH (end:Person {name: $other})
WHERE $other_region IS NULL OR end.region = $other_region
MATCH chain = allShortestPaths((start)-[:APPEARED_AT*]-(end))
WITH DISTINCT [n IN nodes(chain) WHERE n:Person] AS people
ORDER BY [n IN people | [n.name, n.region]]
LIMIT 1
UNWIND range(0, size(people) - 1) AS step
WITH step, people[step] AS here, people[step + 1] AS next
RETURN step, here.name AS person, here.region AS region,
       COLLECT { MATCH (here)-[:APPEARED_AT]->(e:Event)<-[:APPEARED_AT]-(next)
                 RETURN DISTINCT e.name AS name ORDER BY name } AS events_with_next
ORDER BY step"""


def parameters(person: str, other: str, region: str | None = None,
               other_region: str | None = None) -> dict[str, Any]:
    return {"person": require_text(person, "person"), "other": require_text(other, "other"),
            "region": optional_text(region, "region"), "other_region": optional_text(other_region, "other_region")}


def check(lookup: Any, params: dict[str, Any]) -> tuple[str, str]:
    start = lookup.person(params["person"], params["region"])
    end = lookup.person(params["other"], params["other_region"])
    if start == end:
        raise QueryError("path needs two different people")
    return start, end


def finish(rows: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    """Both stores: no chain at all is an error, not an empty answer."""
    if not rows:
        raise NoPath(f"{params['person']} and {params['other']} never appeared at events linked by co-attendance")
    return rows


def networkx(graph: nx.MultiDiGraph, person: str, other: str, region: str | None = None,
             other_region: str | None = None) -> list[dict[str, Any]]:
    params = parameters(person, other, region, other_region)
    start, end = check(GraphLookup(graph), params)
    return finish(_chain_rows(graph, start, end), params)


def _chain_rows(graph: nx.MultiDiGraph, start: str, end: str) -> list[dict[str, Any]]:
    from_start = _distances(graph, start)
    if end not in from_start:
        return []
    to_end = _distances(graph, end)
    length = from_start[end]
    # Walk from the start, always to the first-sorting neighbour that is still on a shortest chain:
    # that yields the chain whose sequence of (name, region) sorts first.
    chain = [start]
    while chain[-1] != end:
        here = chain[-1]
        step = len(chain)
        nxt = min((n for n in co_attendees(graph, here) if from_start.get(n) == step and to_end.get(n) == length - step),
                  key=lambda n: (graph.nodes[n].get("name") or "", graph.nodes[n].get("region") or "", n))
        chain.append(nxt)
    rows = []
    for index, node in enumerate(chain):
        shared = co_attendees(graph, node).get(chain[index + 1], set()) if index + 1 < len(chain) else set()
        rows.append({"step": index, **person_row(graph, node), "events_with_next": event_names(graph, shared)})
    return rows
