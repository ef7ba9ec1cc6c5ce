"""GraphML exports read back by networkx and by python-igraph."""
from __future__ import annotations

from collections import Counter
from itertools import combinations

import igraph
import networkx as nx
import pytest

from officialgraph.errors import StoreError
from officialgraph.graph.graphml import export_graphml, flatten, xml_text
from officialgraph.graph.memory import MemoryStore
from officialgraph.graph.model import person_key


@pytest.fixture
def store(seed_records, handmade_records):
    s = MemoryStore()
    s.load_records(seed_records + handmade_records)
    return s


def test_full_export_roundtrips_names_labels_and_lists(tmp_path, store):
    target = tmp_path / "g.graphml"
    counts = export_graphml(store.graph, target)
    assert counts == {"nodes": store.graph.number_of_nodes(), "edges": store.graph.number_of_edges()}
    text = target.read_text(encoding="utf-8")
    assert "李明" in text and "&#" not in text  # Chinese as characters

    back = nx.read_graphml(target)
    assert Counter(d["label"] for _, d in back.nodes(data=True)) == Counter(
        d["label"] for _, d in store.graph.nodes(data=True))
    li = back.nodes[f"Person:{person_key('李明', '甲区')}"]
    assert (li["name"], li["region"]) == ("李明", "甲区")
    event = next(d for _, d in back.nodes(data=True) if d.get("name") == "甲区常委会")
    assert event["topics"] == "安全生产"
    appeared = [d for _, _, d in back.edges(data=True) if d.get("label") == "APPEARED_AT"]
    assert any(d["roles"] == "host|speak" for d in appeared)
    assert all("location" not in d for _, d in back.nodes(data=True) if d["label"] == "Person")  # None dropped

    g = igraph.Graph.Read_GraphML(str(target))
    assert g.vcount() == counts["nodes"] and g.ecount() == counts["edges"]
    assert Counter(g.vs["label"]) == Counter(d["label"] for _, d in store.graph.nodes(data=True))
    assert {v["name"] for v in g.vs if v["label"] == "Person"} == {
        d["name"] for _, d in store.graph.nodes(data=True) if d["label"] == "Person"}
    held = [e for e in g.es if e["label"] == "HELD"]
    assert held and all(e["count"] >= 1 for e in held)


def test_co_attendance_projection_weights(tmp_path, store, seed_records, handmade_records):
    target = tmp_path / "co.graphml"
    export_graphml(store.graph, target, projection="co-attendance")
    pairs = Counter()
    for r in seed_records + handmade_records:
        for e in r.events:
            people = sorted({f"Person:{person_key(a.person, a.region)}" for a in e.appearances})
            pairs.update(combinations(people, 2))

    back = nx.read_graphml(target)
    assert {frozenset((u, v)): d["weight"] for u, v, d in back.edges(data=True)} == {
        frozenset(p): n for p, n in pairs.items()}
    assert {d["label"] for _, d in back.nodes(data=True)} == {"Person"}

    g = igraph.Graph.Read_GraphML(str(target))
    ids = g.vs["id"]
    weights = {frozenset((ids[e.source], ids[e.target])): int(e["weight"]) for e in g.es}
    assert weights == {frozenset(p): n for p, n in pairs.items()}
    wang = [v for v in g.vs if v["name"] == "王强"]
    assert sorted(v["region"] for v in wang) == ["乙县", "甲区"]  # namesakes stay two nodes


def test_forbidden_xml_characters_are_stripped(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("Person:坏\x01字@", label="Person", name="坏\x01字\ufffe", aliases=["甲", None, "乙"])
    target = tmp_path / "bad.graphml"
    export_graphml(graph, target)
    back = nx.read_graphml(target)
    assert back.nodes["Person:坏字@"]["name"] == "坏字" and back.nodes["Person:坏字@"]["aliases"] == "甲|乙"
    assert flatten(("a", "b")) == "a|b" and xml_text("a\tb\x0b") == "a\tb"


def test_unknown_projection_and_unwritable_target(tmp_path, store):
    with pytest.raises(StoreError, match="projection"):
        export_graphml(store.graph, tmp_path / "x.graphml", projection="friendship")
    with pytest.raises(StoreError, match="cannot write"):
        export_graphml(store.graph, tmp_path / "no" / "such" / "dir.graphml")
