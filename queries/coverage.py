"""coverage: which journalists report on whom."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.graph.model import Rel
from officialgraph.queries.common import (attendees, check_limit, optional_text, person_row, resolve_person)
from officialgraph.queries.spec import LIMIT, REGION, Arg

NAME = "coverage"
DESCRIPTION = ("Journalist-person pairs: in how many articles a journalist's byline reported the person "
               "appearing (Journalist-WROTE->Article<-REPORTED_IN-Event<-APPEARED_AT-Person). "
               "Filter by --journalist and/or --person.")
ARGS = (Arg("journalist", "only this journalist"), Arg("person", "only this person"), REGION, LIMIT)
EXAMPLE = "officialgraph query coverage --journalist 王军方 --table"
COLUMNS = ("journalist", "person", "region", "articles", "sources")


def networkx(graph: nx.MultiDiGraph, journalist: str | None = None, person: str | None = None,
             region: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    journalist = optional_text(journalist, "journalist") or None
    person = optional_text(person, "person") or None
    region = optional_text(region, "region")
    limit = check_limit(limit)
    writer_filter = resolve_person(graph, journalist) if journalist else None
    person_filter = resolve_person(graph, person, region) if person else None
    pairs: dict[tuple[str, str], set[str]] = {}
    for writer, article, data in graph.edges(data="type"):
        if data != Rel.WROTE.value or (writer_filter and writer != writer_filter):
            continue
        for event, _, rel in graph.in_edges(article, data="type"):
            if rel != Rel.REPORTED_IN.value:
                continue
            for who, _ in attendees(graph, event):
                if person_filter and who != person_filter:
                    continue
                pairs.setdefault((writer, who), set()).add(article)
    rows = []
    for (writer, who), articles in pairs.items():
        sources = sorted({graph.nodes[a].get("source") or "" for a in articles})
        rows.append({"journalist": graph.nodes[writer].get("name"), **person_row(graph, who),
                     "articles": len(articles), "sources": sources})
    rows.sort(key=lambda r: (-r["articles"], r["journalist"], r["person"], r["region"]))
    return rows[:limit] if limit else rows
