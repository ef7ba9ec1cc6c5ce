"""coverage: which journalists report on whom."""
from __future__ import annotations

from typing import Any

import networkx as nx

from officialgraph.graph.rows import REPORTED_IN, WROTE
from officialgraph.queries.common import GraphLookup, attendees, check_limit, optional_text, person_row
from officialgraph.queries.spec import LIMIT, REGION, Arg

NAME = "coverage"
DESCRIPTION = ("Journalist-person pairs: in how many articles a journalist's byline reported the person "
               "appearing (Journalist-WROTE->Article<-REPORTED_IN-Event<-APPEARED_AT-Person). "
               "Filter by --journalist and/or --person.")
ARGS = (Arg("journalist", "only this journalist"), Arg("person", "only this person"), REGION, LIMIT)
EXAMPLE = "officialgraph query coverage --journalist 王军方 --table"
COLUMNS = ("journalist", "person", "region", "articles", "sources")


# The filters name people check() has already resolved to exactly one node each.
CYPHER = """\
MATCH (writer:Person)-[:WROTE]->(article:Article)<-[:REPORTED_IN]-(:Event)<-[:APPEARED_AT]-(who:Person)
WHERE ($journalist IS NULL OR writer.name = $journalist)
  AND ($person IS NULL OR (who.name = $person AND ($region IS NULL OR who.region = $region)))
WITH writer, who, collect(DISTINCT article) AS articles
RETURN writer.name AS journalist, who.name AS person, who.region AS region, size(articles) AS articles,
       COLLECT { UNWIND articles AS a WITH DISTINCT coalesce(a.source, '') AS s RETURN s ORDER BY s } AS sources
ORDER BY articles DESC, journalist, person, region
LIMIT coalesce($limit, 9223372036854775807)"""


def parameters(journalist: str | None = None, person: str | None = None, region: str | None = None,
               limit: int | None = None) -> dict[str, Any]:
    return {"journalist": optional_text(journalist, "journalist") or None,
            "person": optional_text(person, "person") or None, "region": optional_text(region, "region"),
            "limit": check_limit(limit)}


def check(lookup: Any, params: dict[str, Any]) -> tuple[str | None, str | None]:
    writer = lookup.person(params["journalist"]) if params["journalist"] else None
    who = lookup.person(params["person"], params["region"]) if params["person"] else None
    return writer, who


def networkx(graph: nx.MultiDiGraph, journalist: str | None = None, person: str | None = None,
             region: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    params = parameters(journalist, person, region, limit)
    writer_filter, person_filter = check(GraphLookup(graph), params)
    limit = params["limit"]
    pairs: dict[tuple[str, str], set[str]] = {}
    for writer, article, data in graph.edges(data="type"):
        if data != WROTE or (writer_filter and writer != writer_filter):
            continue
        for event, _, rel in graph.in_edges(article, data="type"):
            if rel != REPORTED_IN:
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
