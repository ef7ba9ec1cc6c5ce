"""timeline: a person's appearances in date order."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.queries.common import appearances, event_sort_key, optional_text, resolve_person
from officialgraph.queries.spec import PERSON, REGION

NAME = "timeline"
DESCRIPTION = "A person's appearances, dated ones first in date order: event, roles, titles, evidence."
ARGS = (PERSON, REGION)
EXAMPLE = "officialgraph query timeline 张俊峰 --table"
COLUMNS = ("date", "date_precision", "event", "kind", "roles", "titles", "location", "evidence", "source")


def networkx(graph: nx.MultiDiGraph, person: str, region: str | None = None) -> list[dict[str, Any]]:
    region = optional_text(region, "region")
    me = resolve_person(graph, person, region)
    found = sorted(appearances(graph, me), key=lambda item: event_sort_key(graph, item[0]))
    rows = []
    for event, rel in found:
        e = graph.nodes[event]
        rows.append({"date": e.get("date"), "date_precision": e.get("date_precision"),
                     "event": e.get("name"), "kind": e.get("kind"), "roles": list(rel.get("roles") or []),
                     "titles": list(rel.get("titles") or []), "location": e.get("location"),
                     "evidence": rel.get("evidence"), "source": e.get("source")})
    return rows
