"""path: the shortest chain of co-attendance between two people."""
from __future__ import annotations

from typing import Any, Iterator

import networkx as nx

from officialgraph.errors import NoPath, QueryError
from officialgraph.graph.rows import APPEARED_AT
from officialgraph.queries.common import (GraphLookup, appearances, event_names, optional_text, person_row,
                                          person_sort_key, require_text)
from officialgraph.queries.spec import PERSON, REGION, Arg

NAME = "path"
DEFAULT_MAX_PEOPLE = 8
MOST_PEOPLE = 10  # the largest --max-people: the Cypher's shortestPath bound is a literal
DESCRIPTION = ("Shortest chain of co-attendance between two people, of at most --max-people people "
               f"(default {DEFAULT_MAX_PEOPLE}, at most {MOST_PEOPLE}); longer chains count as none. Among "
               "equally short chains, the one whose people sort first (by name, then region): built "
               "from the first person on, each next person is the first-sorting co-attendee that is "
               "one step closer to the other person. One row per person on the chain.")
ARGS = (PERSON, Arg("other", "the other person's name", required=True, positional=True), REGION,
        Arg("other_region", "the other person's home region"),
        Arg("max_people", f"longest chain looked for, in people (2..{MOST_PEOPLE})", type="int",
            default=DEFAULT_MAX_PEOPLE))
EXAMPLE = "officialgraph query path 张俊峰 马志峰"
COLUMNS = ("step", "person", "region", "events_with_next")

# The Cypher never enumerates shortest paths (with hub events there are millions): one
# shortestPath (bidirectional breadth-first search) gives the length, then each step keeps the
# first co-attendee, in (name, region) order, whose own shortestPath to the end is one step
# shorter; candidates are tried in that order and the search stops at the first that fits.
# Steps are written out once per possible person, as Cypher has no loop; a step whose chain is
# complete adds nothing. Greedy-first-closer is the same chain as "the shortest chain whose
# people sort first": every prefix it picks extends to a shortest chain.
_START = """\
MATCH (start:Person {name: $person})
WHERE $region IS NULL OR start.region = $region
MATCH (end:Person {name: $other})
WHERE $other_region IS NULL OR end.region = $other_region
MATCH first = shortestPath((start)-[:APPEARED_AT*..%d]-(end))
WITH start, end, length(first) / 2 AS hops
WHERE hops < $max_people
WITH end, hops, [start] AS chain
""" % (2 * (MOST_PEOPLE - 1))
_STEP = """\
WITH end, hops, chain + COLLECT {
  WITH chain[-1] AS here, hops - size(chain) AS left
  WHERE left > 0
  MATCH (here)-[:APPEARED_AT]->(:Event)<-[:APPEARED_AT]-(q:Person)
  WHERE q <> end
  WITH DISTINCT q, left
  ORDER BY q.name, q.region, q.key
  CALL (q, end) {
    MATCH rest = shortestPath((q)-[:APPEARED_AT*..%d]-(end))
    RETURN length(rest) / 2 AS away
  }
  WITH q WHERE away = left
  RETURN q LIMIT 1
} AS chain
""" % (2 * (MOST_PEOPLE - 2))
_ROWS = """\
WITH chain + [end] AS people
UNWIND range(0, size(people) - 1) AS step
WITH step, people[step] AS here, people[step + 1] AS next
RETURN step, here.name AS person, here.region AS region,
       COLLECT { MATCH (here)-[:APPEARED_AT]->(e:Event)<-[:APPEARED_AT]-(next)
                 RETURN DISTINCT e.name AS name ORDER BY name } AS events_with_next
ORDER BY step"""
CYPHER = _START + _STEP * (MOST_PEOPLE - 2) + _ROWS


def parameters(person: str, other: str, region: str | None = None, other_region: str | None = None,
               max_people: int | None = DEFAULT_MAX_PEOPLE) -> dict[str, Any]:
    max_people = DEFAULT_MAX_PEOPLE if max_people is None else max_people
    if isinstance(max_people, bool) or not isinstance(max_people, int) or not 2 <= max_people <= MOST_PEOPLE:
        raise QueryError(f"path max_people must be an integer from 2 to {MOST_PEOPLE}, not {max_people!r}")
    return {"person": require_text(person, "person"), "other": require_text(other, "other"),
            "region": optional_text(region, "region"), "other_region": optional_text(other_region, "other_region"),
            "max_people": max_people}


def check(lookup: Any, params: dict[str, Any]) -> tuple[str, str]:
    start = lookup.person(params["person"], params["region"])
    end = lookup.person(params["other"], params["other_region"])
    if start == end:
        raise QueryError("path needs two different people")
    return start, end


def finish(rows: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    """Both stores: no chain at all is an error, not an empty answer."""
    if not rows:
        raise NoPath(f"{params['person']} and {params['other']} are not linked by a chain of co-attendance "
                     f"of at most {params['max_people']} people")
    return rows


def networkx(graph: nx.MultiDiGraph, person: str, other: str, region: str | None = None,
             other_region: str | None = None, max_people: int | None = DEFAULT_MAX_PEOPLE) -> list[dict[str, Any]]:
    params = parameters(person, other, region, other_region, max_people)
    start, end = check(GraphLookup(graph), params)
    chain = shortest_chain(graph, start, end, params["max_people"])
    return finish(_chain_rows(graph, chain) if chain else [], params)


# --- the bipartite Person-Event graph, walked directly (no projection) ------------------------

def _neighbours(graph: nx.MultiDiGraph, node: str) -> Iterator[str]:
    """Across APPEARED_AT either way: a person's events, an event's people. (networkx's own
    adjacency dicts, as in ``common.appearances``: the search's inner loop.)"""
    for other, keys in graph._succ[node].items():
        if APPEARED_AT in keys:
            yield other
    for other, keys in graph._pred[node].items():
        if APPEARED_AT in keys:
            yield other


def _expand(graph: nx.MultiDiGraph, frontier: list[str], dist: dict[str, int]) -> list[str]:
    depth = dist[frontier[0]] + 1
    found = []
    for node in frontier:
        for other in _neighbours(graph, node):
            if other not in dist:
                dist[other] = depth
                found.append(other)
    return found


def _width(graph: nx.MultiDiGraph, frontier: list[str]) -> int:
    succ, pred = graph._succ, graph._pred
    return sum(len(succ[n]) + len(pred[n]) for n in frontier)


def _meet(graph: nx.MultiDiGraph, start: str, end: str, most_edges: int) -> tuple[int, dict, dict] | None:
    """Bidirectional breadth-first search, always growing the cheaper side by one whole layer.

    Returns (length in edges, distances from start, distances from end) once the sides touch,
    None when one side runs out or the chain would be longer than ``most_edges``.
    """
    from_start, from_end = {start: 0}, {end: 0}
    front_start, front_end = [start], [end]
    reached = 0
    while front_start and front_end and reached < most_edges:
        if _width(graph, front_start) <= _width(graph, front_end):
            front_start = _expand(graph, front_start, from_start)
            new, other = front_start, from_end
        else:
            front_end = _expand(graph, front_end, from_end)
            new, other = front_end, from_start
        reached += 1
        touching = [from_start[n] + from_end[n] for n in new if n in other]
        if touching:
            return min(touching), from_start, from_end
    return None


def _on_shortest(graph: nx.MultiDiGraph, length: int, from_start: dict, from_end: dict) -> dict[str, int]:
    """Every node on some shortest chain -> its position from the start (0..length)."""
    position = {n: from_start[n] for n in from_start if n in from_end and from_start[n] + from_end[n] == length}
    todo = list(position)
    while todo:  # toward the start: neighbours one closer to it; toward the end likewise
        node = todo.pop()
        for other in _neighbours(graph, node):
            if other in position:
                continue
            if from_start.get(other) == position[node] - 1 and position[node] - 1 >= 0:
                position[other] = position[node] - 1
                todo.append(other)
            elif other in from_end and from_end[other] == length - position[node] - 1:
                position[other] = position[node] + 1
                todo.append(other)
    return position


def shortest_chain(graph: nx.MultiDiGraph, start: str, end: str, max_people: int) -> list[str] | None:
    """The people of the first-sorting shortest chain from ``start`` to ``end``, or None."""
    met = _meet(graph, start, end, 2 * (max_people - 1))
    if met is None:
        return None
    length, from_start, from_end = met
    position = _on_shortest(graph, length, from_start, from_end)
    chain = [start]
    while chain[-1] != end:
        here = position[chain[-1]]
        nearer = {p for e in _neighbours(graph, chain[-1]) if position.get(e) == here + 1
                  for p in _neighbours(graph, e) if position.get(p) == here + 2}
        chain.append(min(nearer, key=lambda n: (*person_sort_key(graph, n), n)))
    return chain


def _chain_rows(graph: nx.MultiDiGraph, chain: list[str]) -> list[dict[str, Any]]:
    rows = []
    for index, node in enumerate(chain):
        shared: set[str] = set()
        if index + 1 < len(chain):
            shared = {e for e, _ in appearances(graph, node)} & {e for e, _ in appearances(graph, chain[index + 1])}
        rows.append({"step": index, **person_row(graph, node), "events_with_next": event_names(graph, shared)})
    return rows
