"""Helpers the networkx twins of the canned queries share.

Each helper is one simple graph pattern so the Cypher twin can say the same thing:
``persons`` = ``MATCH (p:Person)``, ``appearances`` = ``(p)-[a:APPEARED_AT]->(e:Event)``,
co-attendance = two people with ``APPEARED_AT`` to the same ``Event``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

import networkx as nx

from officialgraph.errors import AmbiguousPerson, OrganizationNotFound, PersonNotFound, QueryError
from officialgraph.graph.memory import derived
from officialgraph.graph.rows import APPEARED_AT, EVENT, ORGANIZATION, PART_OF, PERSON, node_id

DATE_ARG = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# --- argument checks --------------------------------------------------------------------------

def require_text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise QueryError(f"{what} must be a non-empty string")
    return value.strip()


def optional_text(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise QueryError(f"{what} must be a string")
    return value.strip()


def check_limit(limit: Any) -> int | None:
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise QueryError(f"limit must be a positive integer, not {limit!r}")
    return limit


def check_date(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not DATE_ARG.match(value):
        raise QueryError(f"{what} must look like YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    return value


def region_label(region: str) -> str:
    return region or "(no region)"


# --- the name index -------------------------------------------------------------------------

@dataclass(frozen=True)
class NameIndex:
    """What lookups would otherwise scan every node for, built in one pass over a graph.

    Cached per graph (``graph.memory.derived``): ``apply_rows`` drops it on every write, and a
    graph that gained or lost nodes some other way gets a new one (``nodes`` no longer matches).
    Lists keep the graph's node order, so answers do not depend on whether the index was used.
    """
    nodes: int
    people: dict[str, list[tuple[str, str]]]  # name -> [(region, node id)]
    person_ids: list[str]
    organizations: list[str]  # organisation names
    events: list[str]  # event ids, ``event_sort_key`` order
    topics: dict[str, list[str]]  # topic -> event ids, same order


def name_index(graph: nx.MultiDiGraph) -> NameIndex:
    cache = derived(graph)
    index = cache.get("names")
    if index is None or index.nodes != graph.number_of_nodes():
        index = cache["names"] = _build_index(graph)
    return index


def _build_index(graph: nx.MultiDiGraph) -> NameIndex:
    people: dict[str, list[tuple[str, str]]] = {}
    person_ids, organizations, events = [], [], []
    for nid, attrs in graph.nodes(data=True):
        label = attrs.get("label")
        if label == PERSON:
            person_ids.append(nid)
            people.setdefault(attrs.get("name"), []).append((attrs.get("region") or "", nid))
        elif label == ORGANIZATION:
            organizations.append(attrs.get("name") or "")
        elif label == EVENT:
            events.append(nid)
    events.sort(key=lambda e: event_sort_key(graph, e))
    topics: dict[str, list[str]] = {}
    for event in events:
        for topic in dict.fromkeys(graph.nodes[event].get("topics") or []):
            topics.setdefault(topic, []).append(event)
    return NameIndex(graph.number_of_nodes(), people, person_ids, organizations, events, topics)


# --- people -----------------------------------------------------------------------------------

def persons(graph: nx.MultiDiGraph) -> Iterator[tuple[str, dict[str, Any]]]:
    for nid in name_index(graph).person_ids:
        yield nid, graph.nodes[nid]


def resolve_person(graph: nx.MultiDiGraph, name: str, region: str | None = None) -> str:
    """Node id of the person ``name`` (in ``region`` if given); see ``pick_person``."""
    name = require_text(name, "person")
    return pick_person(name, region, list(name_index(graph).people.get(name, ())))


def pick_person(name: str, region: str | None, found: list[tuple[str, str]]) -> str:
    """The one (region, id) of ``found`` (the people named ``name``) that ``region`` picks.

    Unknown: ``PersonNotFound``; a name held in several regions and no region given:
    ``AmbiguousPerson`` listing the regions. Both stores decide here, on what their own
    lookup found, so they fail alike.
    """
    matches = sorted(found)
    if region is not None:
        matches = [m for m in matches if m[0] == region]
        if not matches:
            raise PersonNotFound(f"no person {name} in region {region_label(region)}")
    if not matches:
        raise PersonNotFound(f"no person named {name}")
    if len(matches) > 1:
        regions = ", ".join(region_label(r) for r, _ in matches)
        raise AmbiguousPerson(f"{name} is a name in several regions: {regions}; pick one with --region")
    return matches[0][1]


def person_row(graph: nx.MultiDiGraph, nid: str) -> dict[str, Any]:
    attrs = graph.nodes[nid]
    return {"person": attrs.get("name"), "region": attrs.get("region") or ""}


def person_sort_key(graph: nx.MultiDiGraph, nid: str) -> tuple[str, str]:
    attrs = graph.nodes[nid]
    return attrs.get("name") or "", attrs.get("region") or ""


def resolve_organization(graph: nx.MultiDiGraph, name: str) -> str:
    name = require_text(name, "organization")
    nid = node_id(ORGANIZATION, name)
    exists = nid in graph and graph.nodes[nid].get("label") == ORGANIZATION
    near = [] if exists else [o for o in name_index(graph).organizations if name in o]
    pick_organization(name, exists, near)
    return nid


def pick_organization(name: str, exists: bool, near: list[str]) -> None:
    """``OrganizationNotFound`` (with names that contain ``name`` as hints) unless it ``exists``."""
    if exists:
        return
    near = sorted(near)
    hint = f"; did you mean {', '.join(near[:5])}?" if near else ""
    raise OrganizationNotFound(f"no organization named {name}{hint}")


def organization_and_parts(graph: nx.MultiDiGraph, org: str) -> list[str]:
    """The organisation and everything PART_OF it, at any depth: ``(c)-[:PART_OF*0..]->(o)``."""
    seen = {org}
    todo = [org]
    while todo:
        current = todo.pop()
        for child, _, rel in graph.in_edges(current, data="type"):
            if rel == PART_OF and child not in seen:
                seen.add(child)
                todo.append(child)
    return sorted(seen)


class GraphLookup:
    """Named-error lookups on the networkx graph; ``queries.cypher.CypherLookup`` is its twin.

    A query's ``check(lookup, params)`` resolves the people and organisations it names through
    one of these, so both stores refuse the same arguments with the same errors.
    """

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph

    def person(self, name: str, region: str | None = None) -> str:
        return resolve_person(self.graph, name, region)

    def organization(self, name: str) -> str:
        return resolve_organization(self.graph, name)


# --- appearances and co-attendance ------------------------------------------------------------

# Every APPEARED_AT edge is keyed by its type (``merge_key`` in graph/rows.py): one dict lookup per
# neighbour finds it, where scanning each edge's attributes cost a third of met-with at decade size.


def appearances(graph: nx.MultiDiGraph, person: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(event id, APPEARED_AT properties) of one person."""
    # networkx's own dicts, not the graph.succ view (which wraps every neighbour in a view
    # object): the hot loop of met-with, timeline and top.
    for event, edges in graph._succ[person].items():
        data = edges.get(APPEARED_AT)
        if data is not None:
            yield event, data


def attendees(graph: nx.MultiDiGraph, event: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for person, edges in graph._pred[event].items():
        data = edges.get(APPEARED_AT)
        if data is not None:
            yield person, data


def co_attendees(graph: nx.MultiDiGraph, person: str) -> dict[str, set[str]]:
    """Other person id -> the event ids both appeared at."""
    shared: dict[str, set[str]] = {}
    for event, _ in appearances(graph, person):
        for other, _ in attendees(graph, event):
            if other != person:
                shared.setdefault(other, set()).add(event)
    return shared


def event_sort_key(graph: nx.MultiDiGraph, event: str) -> tuple[bool, str, str]:
    """Dated events first, by date, then by key: ``ORDER BY e.date IS NULL, e.date, e.key``."""
    attrs = graph.nodes[event]
    date = attrs.get("date")
    return date is None, date or "", attrs.get("key") or ""


def event_names(graph: nx.MultiDiGraph, events: set[str]) -> list[str]:
    return sorted({graph.nodes[e].get("name") or "" for e in events})


def event_dates(graph: nx.MultiDiGraph, events: set[str]) -> list[str]:
    return sorted({graph.nodes[e]["date"] for e in events if graph.nodes[e].get("date")})
