"""events: events filtered by topic, organisation and date range."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.graph.model import Label
from officialgraph.queries.common import (attendees, check_date, check_limit, event_sort_key,
                                          optional_text, organization_and_parts, resolve_organization)
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


def networkx(graph: nx.MultiDiGraph, topic: str | None = None, organization: str | None = None,
             since: str | None = None, until: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
    topic = optional_text(topic, "topic") or None
    organization = optional_text(organization, "organization") or None
    since = check_date(since, "since")
    until = check_date(until, "until")
    limit = check_limit(limit)
    orgs = None
    if organization:
        orgs = {graph.nodes[o]["name"] for o in organization_and_parts(graph, resolve_organization(graph, organization))}
    rows = []
    events = [n for n, a in graph.nodes(data=True) if a.get("label") == Label.EVENT.value]
    for event in sorted(events, key=lambda e: event_sort_key(graph, e)):
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
