"""path: the shortest chain of co-attendance between two people."""
from __future__ import annotations

from collections import deque
from typing import Any

import networkx as nx

from officialgraph.errors import NoPath, QueryError
from officialgraph.queries.common import (co_attendees, event_names, optional_text, person_row,
                                          resolve_person)
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


def networkx(graph: nx.MultiDiGraph, person: str, other: str, region: str | None = None,
             other_region: str | None = None) -> list[dict[str, Any]]:
    region = optional_text(region, "region")
    other_region = optional_text(other_region, "other_region")
    start = resolve_person(graph, person, region)
    end = resolve_person(graph, other, other_region)
    if start == end:
        raise QueryError("path needs two different people")
    from_start = _distances(graph, start)
    if end not in from_start:
        raise NoPath(f"{person} and {other} never appeared at events linked by co-attendance")
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
