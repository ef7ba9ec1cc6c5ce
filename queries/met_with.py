"""met-with: the people a person appeared beside, most shared events first."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.queries.common import (check_limit, co_attendees, event_dates, event_names,
                                          optional_text, person_row, resolve_person)
from officialgraph.queries.spec import LIMIT, PERSON, REGION

NAME = "met-with"
DESCRIPTION = "Co-attendees of a person: how many events they shared, when, and which."
ARGS = (PERSON, REGION, LIMIT)
EXAMPLE = "officialgraph query met-with 张俊峰 --region 航空港实验区"
COLUMNS = ("person", "region", "count", "first_date", "last_date", "dates", "events")


def networkx(graph: nx.MultiDiGraph, person: str, region: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
    region = optional_text(region, "region")
    limit = check_limit(limit)
    me = resolve_person(graph, person, region)
    rows = []
    for other, events in co_attendees(graph, me).items():
        dates = event_dates(graph, events)
        rows.append({**person_row(graph, other), "count": len(events),
                     "first_date": dates[0] if dates else None,
                     "last_date": dates[-1] if dates else None,
                     "dates": dates, "events": event_names(graph, events)})
    rows.sort(key=lambda r: (-r["count"], r["person"], r["region"]))
    return rows[:limit] if limit else rows
