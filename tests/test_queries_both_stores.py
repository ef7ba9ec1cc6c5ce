"""Every canned query answers the same from both stores: same rows, same order, same errors.

The seed pages (real extractor) plus two namesakes go into a MemoryStore and into a real Neo4j
server; each query then runs with several arguments chosen from the data, and the networkx twin
and the Cypher must agree row for row, or fail with the same named error and message.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx
import pytest

from conftest import appearance, make_record, wipe_neo4j
from officialgraph.errors import OfficialGraphError
from officialgraph.graph.memory import MemoryStore
from officialgraph.graph.neo4j_store import Neo4jStore
from officialgraph.graph.rows import node_id
from officialgraph.queries import QUERIES, run_query
from officialgraph.queries.top import BY

pytestmark = pytest.mark.neo4j

UNKNOWN = "查无此人"
RARE = "王\U00020000"  # a CJK Extension B character: beyond U+FFFF
FULLWIDTH = "王\uff3a"  # a fullwidth letter: above the surrogates in UTF-16, below U+10000


def namesake_records():
    """王强 in two regions (AmbiguousPerson), with one shared event each side."""
    return [
        make_record("namesakes-a.txt", 0, [{"name": "甲区常委会", "date": "2021-01-05", "topics": ["安全生产"],
                                            "appearances": [appearance("王强", "甲区", ("甲区区长", "甲区政府", "区长")),
                                                            appearance("李明", "甲区", ("甲区党委书记", "甲区党委", "书记"),
                                                                       roles=("host",))]}],
                    date="2021-01-05", reporters=("记者甲",)),
        make_record("namesakes-b.txt", 0, [{"name": "乙县调研", "date": "2021-06-01", "kind": "inspection",
                                            "appearances": [appearance("王强", "乙县", ("乙县县长", "乙县政府", "县长"),
                                                                       roles=("inspect",)),
                                                            appearance("钱二", "乙县", ("乙县副县长", "乙县政府", "副县长"))]}],
                    date="2021-06-01", correspondents=("通讯员乙",)),
        # Cypher's string < can order these two the other way round (UTF-16); Python and ORDER BY agree.
        make_record("rare-chars.txt", 0, [{"name": "丙镇会议", "date": "2021-02-02",
                                           "appearances": [appearance(RARE, "丙镇", ("丙镇镇长", "丙镇政府", "镇长")),
                                                           appearance(FULLWIDTH, "丙镇",
                                                                      ("丙镇副镇长", "丙镇政府", "副镇长"))]}],
                    date="2021-02-02"),
    ]


@pytest.fixture(scope="module")
def records(seed_records):
    return [*seed_records, *namesake_records()]


@pytest.fixture(scope="module")
def memory(records) -> MemoryStore:
    store = MemoryStore()
    store.load_records(records)
    return store


@pytest.fixture(scope="module")
def neo4j_store(neo4j_settings, neo4j_driver, records, memory):
    store = Neo4jStore(neo4j_settings.uri, neo4j_settings.user, neo4j_settings.password, neo4j_settings.database)
    _load(store, neo4j_driver, neo4j_settings.database, records)
    yield store
    store.close()


def _load(store, driver, database, records) -> None:
    wipe_neo4j(driver, database)
    store.load_records(records)


@pytest.fixture
def stores(neo4j_store, neo4j_driver, neo4j_settings, memory, records):
    """Both stores; the server is shared, so reload it if someone wiped it since."""
    want = memory.counts()
    have = neo4j_store.counts()
    if (have["nodes"], have["relationships"]) != (want["nodes"], want["relationships"]):
        _load(neo4j_store, neo4j_driver, neo4j_settings.database, records)
    return memory, neo4j_store


def outcome(store, name: str, args: dict[str, Any]):
    try:
        return run_query(store, name, **args)
    except OfficialGraphError as exc:
        return (type(exc).__name__, str(exc))


def compare(stores, name: str, cases: list[dict[str, Any]]) -> list:
    """Run every case on both stores; assert they agree; return the memory outcomes."""
    memory, neo = stores
    results, mismatches = [], []
    for args in cases:
        want, got = outcome(memory, name, args), outcome(neo, name, args)
        if want != got:
            mismatches.append(f"{name} {args}:\n  networkx: {want!r}\n  cypher:   {got!r}")
        results.append(want)
    assert not mismatches, "\n".join(mismatches)
    return results


def row_counts(results) -> list[int]:
    return [len(r) for r in results if isinstance(r, list)]


def errors(results) -> list[str]:
    return [r[0] for r in results if isinstance(r, tuple)]


# --- arguments chosen from the data -----------------------------------------------------------

def people(memory: MemoryStore, count: int) -> list[str]:
    """Names held in one region only, most appearances first."""
    names = Counter(a["name"] for _, a in memory.graph.nodes(data=True) if a.get("label") == "Person")
    ranked = run_query(memory, "top", by="appearances", limit=None)
    return [r["person"] for r in ranked if names[r["person"]] == 1][:count]


def projection(memory: MemoryStore) -> nx.Graph:
    """People joined when they appeared at one event."""
    graph = nx.Graph()
    for nid, attrs in memory.graph.nodes(data=True):
        if attrs.get("label") == "Event":
            who = [p for p, _, t in memory.graph.in_edges(nid, data="type") if t == "APPEARED_AT"]
            graph.add_edges_from((a, b) for i, a in enumerate(who) for b in who[i + 1:])
    return graph


def name_region(memory: MemoryStore, nid: str) -> dict[str, str]:
    attrs = memory.graph.nodes[nid]
    return {"name": attrs["name"], "region": attrs["region"]}


def test_every_query_has_cypher():
    assert all(spec.cypher for spec in QUERIES.values())


def test_met_with(stores):
    memory = stores[0]
    cases = [{"person": p} for p in people(memory, 5)]
    cases += [{"person": people(memory, 1)[0], "limit": 2}, {"person": "王强", "region": "甲区"},
              {"person": "王强"}, {"person": UNKNOWN}, {"person": "王强", "region": "丙市"},
              {"person": people(memory, 1)[0], "limit": 0}]
    results = compare(stores, "met-with", cases)
    assert min(row_counts(results)) >= 1 and max(row_counts(results)) >= 3
    assert errors(results) == ["AmbiguousPerson", "PersonNotFound", "PersonNotFound", "QueryError"]


def test_timeline_and_career(stores):
    memory = stores[0]
    cases = [{"person": p} for p in people(memory, 6)] + [{"person": "王强", "region": "乙县"}, {"person": "王强"},
                                                          {"person": UNKNOWN}]
    for name in ("timeline", "career"):
        results = compare(stores, name, cases)
        assert max(row_counts(results)) >= 2
        assert errors(results) == ["AmbiguousPerson", "PersonNotFound"]


def test_roster(stores):
    memory = stores[0]
    graph = memory.graph
    parents = Counter(v for _, v, t in graph.edges(data="type") if t == "PART_OF")
    held = Counter(v for _, v, t in graph.edges(data="type") if t == "HELD")
    orgs = [graph.nodes[o]["name"] for o, _ in parents.most_common(3)]
    leaf = next(graph.nodes[o]["name"] for o, _ in held.most_common() if o not in parents)
    results = compare(stores, "roster", [{"organization": o} for o in [*orgs, leaf, "甲区政府"]]
                      + [{"organization": "不存在的机关"}, {"organization": orgs[0][:2]}])
    counts = row_counts(results)
    assert counts[0] > counts[3] >= 1  # a region with its parts holds more posts than one part
    assert errors(results) == ["OrganizationNotFound", "OrganizationNotFound"]
    assert "did you mean" in results[-1][1]  # the hint came from the Cypher lookup too


def test_events(stores):
    memory = stores[0]
    graph = memory.graph
    topics = sorted(a["name"] for _, a in graph.nodes(data=True) if a.get("label") == "Topic")
    dates = sorted(a["date"] for _, a in graph.nodes(data=True) if a.get("label") == "Event" and a.get("date"))
    middle = dates[len(dates) // 2]
    org = Counter(v for _, v, t in graph.edges(data="type") if t == "PART_OF").most_common(1)[0][0]
    cases = [{}, {"limit": 4}, *({"topic": t} for t in topics[:4]),
             {"since": middle}, {"until": middle[:7]}, {"since": dates[0][:4], "until": middle[:7]},
             {"since": dates[-1][:4]}, {"organization": graph.nodes[org]["name"]},
             {"organization": graph.nodes[org]["name"], "topic": topics[0], "since": dates[0][:4]},
             {"topic": "不存在的议题"}, {"organization": "不存在的机关"}, {"since": "2021/11"}]
    results = compare(stores, "events", cases)
    counts = row_counts(results)
    assert counts[0] == len([n for n, a in graph.nodes(data=True) if a.get("label") == "Event"])
    assert counts[1] == 4 and 0 < counts[6] < counts[0] and counts[-1] == 0
    assert errors(results) == ["OrganizationNotFound", "QueryError"]


def test_path(stores):
    memory = stores[0]
    co = projection(memory)
    component = max(nx.connected_components(co), key=len)
    lengths = dict(nx.all_pairs_shortest_path_length(co.subgraph(component)))
    far_a, far_b = max(((a, b) for a in lengths for b in lengths[a]), key=lambda ab: (lengths[ab[0]][ab[1]], ab))
    near_a, near_b = sorted(next(iter(co.edges(far_a))))
    other_component = next(c for c in nx.connected_components(co) if far_a not in c)
    stranger = next(iter(other_component))
    cases = []
    for a, b in ((far_a, far_b), (far_b, far_a), (near_a, near_b), (far_a, stranger)):
        na, nb = name_region(memory, a), name_region(memory, b)
        cases.append({"person": na["name"], "region": na["region"], "other": nb["name"],
                      "other_region": nb["region"]})
    cases += [{"person": "王强", "region": "甲区", "other": "李明"}, {"person": "王强", "other": "李明"},
              {"person": cases[0]["person"], "other": cases[0]["person"]},
              {"person": cases[0]["person"], "other": UNKNOWN},
              {**cases[0], "max_people": lengths[far_a][far_b]}]  # one person too few
    results = compare(stores, "path", cases)
    assert len(results[0]) == lengths[far_a][far_b] + 1 >= 3
    assert len(results[1]) == len(results[0])  # the same distance either way
    assert len(results[2]) == 2 and results[2][0]["events_with_next"]
    assert errors(results) == ["NoPath", "AmbiguousPerson", "QueryError", "PersonNotFound", "NoPath"]


def test_top(stores):
    cases = [{"by": by, "limit": limit} for by in BY for limit in (3, 10, None)]
    cases.append({"by": "fame", "limit": 3})
    results = compare(stores, "top", cases)
    assert [len(r) for r in results[:3]] == [3, 10, len(results[2])] and len(results[2]) > 10
    assert errors(results) == ["QueryError"]


def test_ties(stores):
    results = compare(stores, "ties", [{}, {"limit": 3}, {"min_count": 2}, {"min_count": 2, "limit": None},
                                       {"min_count": 99}, {"min_count": 0}, {"limit": None}])
    assert len(results[0]) == 20 and len(results[1]) == 3 and len(results[3]) >= 2
    assert results[4] == [] and errors(results) == ["QueryError"]
    assert [(r["person_a"], r["person_b"]) for r in results[6] if RARE in (r["person_a"], r["person_b"])] \
        == [(FULLWIDTH, RARE)]


def test_coverage(stores):
    memory = stores[0]
    everything = run_query(memory, "coverage", limit=None)
    journalists = list(dict.fromkeys(r["journalist"] for r in everything))[:3]
    person = everything[0]["person"]
    cases = [{}, {"limit": 5}, *({"journalist": j} for j in journalists), {"person": person},
             {"journalist": journalists[0], "person": person}, {"person": "王强", "region": "乙县"},
             {"journalist": UNKNOWN}, {"person": "王强"}]
    results = compare(stores, "coverage", cases)
    assert len(results[0]) == len(everything) > 5 and len(results[1]) == 5
    assert all(row_counts(results)[2:6])
    assert errors(results) == ["PersonNotFound", "AmbiguousPerson"]


def test_evidence(stores):
    memory = stores[0]
    top_pair = run_query(memory, "ties", limit=1)[0]
    first = people(memory, 1)[0]
    apart = next(p for p in people(memory, 30) if p not in {r["person"] for r in run_query(memory, "met-with", person=first)}
                 and p != first)
    cases = [{"person": p} for p in people(memory, 3)]
    cases += [{"person": top_pair["person_a"], "region": top_pair["region_a"], "other": top_pair["person_b"],
               "other_region": top_pair["region_b"]},
              {"person": top_pair["person_b"], "other": top_pair["person_a"]},
              {"person": first, "other": apart}, {"person": "王强", "region": "乙县", "other": "钱二"},
              {"person": first, "other": first}, {"person": first, "other": "王强"}, {"person": UNKNOWN}]
    results = compare(stores, "evidence", cases)
    assert len(results[3]) == top_pair["count"] >= 2 and results[3][0]["other_evidence"]
    assert "other" not in results[0][0]  # one person's rows carry no pair columns on either store
    assert results[5] == [] and len(results[6]) == 1
    assert errors(results) == ["QueryError", "AmbiguousPerson", "PersonNotFound"]
