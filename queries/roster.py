"""roster: who holds posts in an organisation and its parts, in protocol order."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import networkx as nx

from officialgraph.graph.rows import HELD
from officialgraph.queries.common import GraphLookup, organization_and_parts, person_row, require_text
from officialgraph.queries.spec import Arg

NAME = "roster"
DESCRIPTION = ("Who holds posts in an organisation and everything PART_OF it, in protocol order "
               "(书记 before 副书记 before 主任 ...), then by organisation and name.")
ARGS = (Arg("organization", "the organisation's canonical name", required=True, positional=True),)
EXAMPLE = "officialgraph query roster 航空港实验区 --table"
COLUMNS = ("rank", "post", "person", "region", "organization", "title", "first_seen", "last_seen", "count")
UNRANKED = 999


@lru_cache(maxsize=1)
def protocol_ranks() -> dict[str, int]:
    """The data table protocol.tsv: post -> rank."""
    text = resources.files("officialgraph.queries").joinpath("protocol.tsv").read_text(encoding="utf-8")
    ranks = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            post, rank = line.split("\t")[:2]
            ranks[post.strip()] = int(rank)
    return ranks


def post_rank(post: str | None) -> int:
    """The table's rank; a post the table lacks takes the rank of its longest listed ending, one
    step lower (专职副书记 just after 副书记); anything else comes last."""
    ranks = protocol_ranks()
    post = post or ""
    if post in ranks:
        return ranks[post]
    endings = [known for known in ranks if post.endswith(known)]
    return ranks[max(endings, key=len)] + 1 if endings else UNRANKED


# The rank is post_rank's rule in Cypher: the table's rank ($protocol, from protocol.tsv); else
# one step below the longest listed ending; else UNRANKED ($unranked).
CYPHER = """\
MATCH (part:Organization)-[:PART_OF*0..]->(:Organization {key: $organization})
WITH DISTINCT part
MATCH (p:Person)-[h:HELD]->(part)
WITH p, h, part, [known IN keys($protocol) WHERE h.post ENDS WITH known] AS endings
WITH p, h, part, reduce(longest = null, known IN endings |
       CASE WHEN longest IS NULL OR size(known) > size(longest) THEN known ELSE longest END) AS ending
RETURN CASE WHEN h.post IN keys($protocol) THEN $protocol[h.post]
            WHEN ending IS NOT NULL THEN $protocol[ending] + 1
            ELSE $unranked END AS rank,
       h.post AS post, p.name AS person, p.region AS region, part.name AS organization,
       h.title AS title, h.first_seen AS first_seen, h.last_seen AS last_seen,
       coalesce(h.count, 0) AS count
ORDER BY rank, organization, post, person, region"""


def parameters(organization: str) -> dict[str, Any]:
    return {"organization": require_text(organization, "organization"), "protocol": dict(protocol_ranks()),
            "unranked": UNRANKED}


def check(lookup: Any, params: dict[str, Any]) -> str:
    return lookup.organization(params["organization"])


def networkx(graph: nx.MultiDiGraph, organization: str) -> list[dict[str, Any]]:
    root = check(GraphLookup(graph), parameters(organization))
    rows = []
    for org in organization_and_parts(graph, root):
        for person, _, data in graph.in_edges(org, data=True):
            if data.get("type") != HELD:
                continue
            rows.append({"rank": post_rank(data.get("post")), "post": data.get("post"),
                         **person_row(graph, person), "organization": graph.nodes[org].get("name"),
                         "title": data.get("title"), "first_seen": data.get("first_seen"),
                         "last_seen": data.get("last_seen"), "count": data.get("count", 0)})
    rows.sort(key=lambda r: (r["rank"], r["organization"] or "", r["post"] or "", r["person"], r["region"]))
    return rows
