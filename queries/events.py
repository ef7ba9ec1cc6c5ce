"""events: events filtered by topic, organisation and date range."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.queries.common import (GraphLookup, attendees, check_date, check_limit, name_index,
                                          optional_text, organization_and_parts)
from officialgraph.queries.spec import LIMIT, Arg

NAME = "events"
DESCRIPTION = ("Events, dated ones first in date order, filtered by topic, by organisation (someone "
               "appeared with a title in it or one of its parts) and by date (dated events only).")
ARGS = (
    Arg("topic", "only events about this topic (大气污染防治 ...)"),
    Arg("organization", "only events where someone appeared with a title in this organisation or its parts"),
    Arg("since", "only events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)", type="date"),
    Arg("until", "only events on or before this date (YYYY, YYYY-MM or YYYY-MM-DD)", type="date"),
    LIMIT,
)
EXAMPLE = "officialgraph query events --topic 大气污染防治 --since 2021-11"
COLUMNS = ("date", "date_precision", "event", "kind", "location", "topics", "people", "source")


def in_range(date: str | None, since: str | None, until: str | None) -> bool:
    """Compare on the argument's own precision: until 2021-11 keeps 2021-11-30."""
    if since is None and until is None:
        return True
    if not date or len(date) != 10:  # undated or month-day only: cannot be placed in a range
        return False
    if since is not None and date[:len(since)] < since:
        return False
    return until is None or date[:len(until)] <= until


# in_range in Cypher: with a bound, only full dates count, compared on the bound's own precision.
CYPHER = """\
WITH COLLECT { MATCH (part:Organization)-[:PART_OF*0..]->(:Organization {key: $organization})
               RETURN DISTINCT part.name } AS orgs
MATCH (e:Event)
WHERE ($topic IS NULL OR $topic IN e.topics)
  AND (($since IS NULL AND $until IS NULL)
       OR (size(e.date) = 10
           AND ($since IS NULL OR left(e.date, size($since)) >= $since)
           AND ($until IS NULL OR left(e.date, size($until)) <= $until)))
  AND ($organization IS NULL
       OR EXISTS { MATCH (e)<-[a:APPEARED_AT]-(:Person) WHERE any(o IN a.organizations WHERE o IN orgs) })
RETURN e.date AS date, e.date_precision AS date_precision, e.name AS event, e.kind AS kind,
       e.location AS location, coalesce(e.topics, []) AS topics,
       COUNT { (e)<-[:APPEARED_AT]-(:Person) } AS people, e.source AS source
ORDER BY e.date IS NULL, e.date, e.key
LIMIT coalesce($limit, 9223372036854775807)"""


def parameters(topic: str | None = None, organization: str | None = None, since: str | None = None,
               until: str | None = None, limit: int | None = None) -> dict[str, Any]:
    return {"topic": optional_text(topic, "topic") or None,
            "organization": optional_text(organization, "organization") or None,
            "since": check_date(since, "since"), "until": check_date(until, "until"), "limit": check_limit(limit)}


def check(lookup: Any, params: dict[str, Any]) -> str | None:
    return lookup.organization(params["organization"]) if params["organization"] else None


def networkx(graph: nx.MultiDiGraph, topic: str | None = None, organization: str | None = None,
             since: str | None = None, until: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
    params = parameters(topic, organization, since, until, limit)
    root = check(GraphLookup(graph), params)
    topic, since, until, limit = params["topic"], params["since"], params["until"], params["limit"]
    orgs = None
    if root:
        orgs = {graph.nodes[o]["name"] for o in organization_and_parts(graph, root)}
    rows = []
    index = name_index(graph)
    for event in (index.topics.get(topic, []) if topic else index.events):
        e = graph.nodes[event]
        if topic and topic not in (e.get("topics") or []):
            continue
        if not in_range(e.get("date"), since, until):
            continue
        people = list(attendees(graph, event))
        if orgs is not None and not any(orgs.intersection(rel.get("organizations") or []) for _, rel in people):
            continue
        rows.append({"date": e.get("date"), "date_precision": e.get("date_precision"), "event": e.get("name"),
                     "kind": e.get("kind"), "location": e.get("location"), "topics": list(e.get("topics") or []),
                     "people": len(people), "source": e.get("source")})
    return rows[:limit] if limit else rows
