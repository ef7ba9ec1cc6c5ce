"""GraphML for Gephi, yEd, igraph: the whole typed graph, or the person co-attendance projection.

* every node has a ``label`` attribute (Person, Organization, Event, Article, Topic);
* list values are joined with ``|`` (GraphML has no list type), ``None`` is left out;
* Chinese stays characters (UTF-8); characters XML 1.0 forbids are removed;
* ``co-attendance``: an undirected graph of people, an edge per pair that shared an event,
  ``weight`` = the number of shared events.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from officialgraph.errors import StoreError
from officialgraph.graph.model import Label, Rel

PROJECTIONS = ("co-attendance",)
LIST_SEPARATOR = "|"
# XML 1.0 Char production: everything else (C0 controls but tab/LF/CR, surrogates, U+FFFE/F) goes.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _XML_FORBIDDEN.sub("", value)


def flatten(value: Any) -> Any:
    """A GraphML-typed value: str/int/float/bool stay, lists are joined, anything else is text."""
    if isinstance(value, (list, tuple, set)):
        return xml_text(LIST_SEPARATOR.join(str(v) for v in value if v is not None))
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, (bool, int, float)):
        return value
    return xml_text(str(value))


def _attrs(data: dict[str, Any]) -> dict[str, Any]:
    return {xml_text(k): flatten(v) for k, v in data.items() if v is not None}


def safe_ids(nodes: Iterable[Any]) -> dict[Any, str]:
    """Each node id with the characters XML forbids removed, still one id per node: an id that
    would collide with another's (王\x01强 and 王强) gets ``~2``, ``~3``... so no node is lost."""
    out: dict[Any, str] = {}
    used: set[str] = set()
    for node in nodes:
        base = xml_text(str(node))
        safe, n = base, 1
        while safe in used:
            n += 1
            safe = f"{base}~{n}"
        used.add(safe)
        out[node] = safe
    return out


def typed_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The whole graph with GraphML-safe attributes; edges keep their ``type`` as ``label``."""
    out = nx.MultiDiGraph()
    ids = safe_ids(graph.nodes)
    for node, data in graph.nodes(data=True):
        out.add_node(ids[node], **_attrs(data))
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = _attrs(data)
        attrs["label"] = attrs.get("type", key)
        out.add_edge(ids[u], ids[v], key=xml_text(str(key)), **attrs)
    return out


def co_attendance(graph: nx.MultiDiGraph) -> nx.Graph:
    """People who appeared at some event; an edge per pair with ``weight`` = shared events."""
    out = nx.Graph()
    ids = safe_ids(graph.nodes)
    original = {safe: node for node, safe in ids.items()}
    for event, data in graph.nodes(data=True):
        if data.get("label") != Label.EVENT.value:
            continue
        people = sorted({ids[p] for p, _, rel in graph.in_edges(event, data="type") if rel == Rel.APPEARED_AT.value})
        for person in people:
            if person not in out:
                attrs = graph.nodes[original[person]]
                out.add_node(person, label=Label.PERSON.value, name=xml_text(attrs.get("name") or ""),
                             region=xml_text(attrs.get("region") or ""), appearances=0)
            out.nodes[person]["appearances"] += 1
        for i, a_id in enumerate(people):
            for b_id in people[i + 1:]:
                if out.has_edge(a_id, b_id):
                    out.edges[a_id, b_id]["weight"] += 1
                else:
                    out.add_edge(a_id, b_id, weight=1, label="CO_ATTENDED")
    return out


def export_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike, projection: str | None = None) -> dict[str, int]:
    """Write ``graph`` (or its projection) as UTF-8 GraphML, atomically; returns node/edge counts."""
    if projection is None:
        out: nx.Graph = typed_graph(graph)
    elif projection == "co-attendance":
        out = co_attendance(graph)
    else:
        raise StoreError(f"unknown projection {projection!r}; choose one of {', '.join(PROJECTIONS)}")
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        nx.write_graphml(out, tmp, encoding="utf-8", prettyprint=True)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {target}: {exc}") from exc
    return {"nodes": out.number_of_nodes(), "edges": out.number_of_edges()}
