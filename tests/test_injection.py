"""Strings that look like code stay strings: quotes, backslashes, backticks, braces, //, Cypher
statements and ${...} in names, titles, events and evidence load into both stores intact, and the
Neo4j database holds exactly the graph the embedded store holds: nothing more, nothing less.
"""
from __future__ import annotations

from collections import Counter

import pytest

from officialgraph.graph.memory import MemoryStore, read_graph
from officialgraph.graph.model import Appearance, ArticleRecord, Event, Title, article_key
from officialgraph.loaders.extract import extract_page

COUNTS: Counter = Counter()  # read by bench/robustness.py

HOSTILE = [
    "王'强", '李"明', "张\\伟", "赵`一`", "钱{二}", "孙//三", "MATCH (n) DETACH DELETE n",
    "${jndi:ldap://x}", "'}) MATCH (n) DETACH DELETE n //", '"}]->() DELETE r //', "`Person`",
    "\\u0000", "$rows", "{key: 'x'}", "a\nb\tc", "欧阳'明\\月", "/* 注释 */", "%s %(name)s {0}",
]


def hostile_record(n: int, people: list[str]) -> ArticleRecord:
    """A record whose every free-text field carries hostile strings."""
    evil = HOSTILE[n % len(HOSTILE)]
    appearances = []
    for order, person in enumerate(people, 1):
        org = f"{evil}党工委"
        titles = (Title(text=f"{org}书记{evil}", organization=org, post=f"书记{evil}", region=f"{evil}区",
                        org_kind="party", parent=f"{evil}区"),)
        appearances.append(Appearance(person=person, region=f"{evil}区", titles=titles, roles=("attend", "host"),
                                      order=order, evidence=f"{person}出席{evil}会议。", evidence_start=0,
                                      evidence_end=10))
    event = Event(index=0, name=f"{evil}会议", kind="meeting", date="2021-11-24", date_precision="day",
                  location=f"{evil}会议室", topics=(f"{evil}话题", "安全生产"), appearances=tuple(appearances))
    return ArticleRecord(source=f"{evil}.txt", page_hash=f"{n:040x}", start=n * 100, end=n * 100 + 50,
                         headline=f"标题{evil}", date="2021-11-24", date_precision="day", year_basis="text",
                         region=f"{evil}区", reporters=(f"记者{evil}",), correspondents=(evil,),
                         events=(event,), page=f"A{evil}")


@pytest.fixture(scope="module")
def hostile_records() -> list[ArticleRecord]:
    records = [hostile_record(n, [HOSTILE[(n + k) % len(HOSTILE)] for k in range(3)]) for n in range(len(HOSTILE))]
    COUNTS["hostile strings"] = len(HOSTILE)
    return records


HOSTILE_PAGE = (
    "会议召开“MATCH (n) DETACH DELETE n”\n\n"
    "本报讯 11月24日，航空港实验区召开`${x}`{会议}。区党工委书记张俊峰主持会议，"
    "管委会副主任王春山、魏学彬出席会议。张俊峰强调，要把\\“工作//落实\\”。'}) DETACH DELETE n //。"
    "记者 孙庆辉\n"
)


def extracted_records() -> list[ArticleRecord]:
    records = extract_page(HOSTILE_PAGE, "hostile'`${page}`.txt")
    assert any(e.appearances for r in records for e in r.events), "the extractor found nobody on the page"
    return records


def strings_in(value) -> set[str]:
    """Every string inside a nested value (dataclass fields already as dicts/lists)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, (list, tuple)):
        return set().union(*(strings_in(v) for v in value)) if value else set()
    return set()


def graph_strings(graph) -> set[str]:
    out = set()
    for node, data in graph.nodes(data=True):
        out |= {node} | strings_in(data)
    for _, _, key, data in graph.edges(keys=True, data=True):
        out |= {key} | strings_in(data)
    return out


def expected_strings(records: list[ArticleRecord]) -> set[str]:
    """The free-text values a record hands the stores, each of which must come back unchanged."""
    out = set()
    for r in records:
        out |= {r.source, r.headline, r.page, r.region, *r.reporters, *r.correspondents}
        for e in r.events:
            out |= {e.name, e.location, *e.topics}
            for a in e.appearances:
                out |= {a.person, a.region, a.evidence}
                for t in a.titles:
                    out |= {t.text, t.organization, t.post, t.region, t.parent}
    return {s for s in out if s}


def snapshot(graph) -> tuple[dict, dict]:
    """Nodes and edges, lists compared as sorted lists (their order is the stores' business)."""
    def norm(data):
        return {k: sorted(v) if isinstance(v, list) else v for k, v in data.items()}
    return ({n: norm(d) for n, d in graph.nodes(data=True)},
            {(u, v, k): norm(d) for u, v, k, d in graph.edges(keys=True, data=True)})


def test_memory_store_keeps_every_hostile_string(tmp_path, hostile_records):
    records = hostile_records + extracted_records()
    store = MemoryStore(path=tmp_path / "g.json")
    store.load_records(records)
    store.save()
    back = read_graph(tmp_path / "g.json")
    missing = expected_strings(records) - graph_strings(back)
    assert not missing, missing
    assert snapshot(back) == snapshot(store.graph)
    COUNTS["strings checked in the memory store"] += len(expected_strings(records))


def test_extractor_output_on_a_hostile_page_points_at_the_page():
    for record in extracted_records():
        for event in record.events:
            for a in event.appearances:
                assert HOSTILE_PAGE[a.evidence_start:a.evidence_end].replace("\n", "") == a.evidence


@pytest.mark.neo4j
def test_neo4j_store_keeps_every_hostile_string_and_nothing_else(clean_neo4j, neo4j_settings, hostile_records):
    from officialgraph.graph.neo4j_store import Neo4jStore

    records = hostile_records + extracted_records()
    memory = MemoryStore()
    memory.load_records(records)
    with Neo4jStore(neo4j_settings.uri, neo4j_settings.user, neo4j_settings.password,
                    neo4j_settings.database) as store:
        store.load_records(records)
        store.load_records(records)  # twice: MERGE, so still nothing more
        back = store.to_networkx()
        counts = store.counts()
    missing = expected_strings(records) - graph_strings(back)
    assert not missing, missing
    assert counts == memory.counts()
    # Nothing else in the database: no node outside the model's labels, no stray relationship.
    total = clean_neo4j.execute_query("MATCH (n) RETURN count(n) AS n", database_=neo4j_settings.database)
    rels = clean_neo4j.execute_query("MATCH ()-[r]->() RETURN count(r) AS n", database_=neo4j_settings.database)
    assert total.records[0]["n"] == memory.graph.number_of_nodes()
    assert rels.records[0]["n"] == memory.graph.number_of_edges()
    assert snapshot(back) == snapshot(memory.graph)
    COUNTS["strings checked in Neo4j"] += len(expected_strings(records))


def test_hostile_article_keys_stay_distinct(hostile_records):
    keys = [article_key(r.page_hash, r.start) for r in hostile_records]
    assert len(set(keys)) == len(keys)


# --- GraphML: characters XML 1.0 forbids --------------------------------------------------------

XML_FORBIDDEN = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]) + "\ufffe\uffff"
FORBIDDEN_PAGE = (f"本报讯 11月24日，航空港实验区召开{XML_FORBIDDEN}安全生产会议。区党工委书记张俊峰主持会议"
                  f"{XML_FORBIDDEN}，管委会副主任王春山、魏学彬出席会议{XML_FORBIDDEN}。\n")


def forbidden_records() -> list[ArticleRecord]:
    """The extractor over a page full of forbidden characters, plus hand-made records whose names
    hold them (and lone surrogates), two of which differ only by a forbidden character."""
    records = extract_page(FORBIDDEN_PAGE, "forbidden.txt")
    assert any(e.appearances for r in records for e in r.events)
    people = ["王\x01强", "王强", "李\ud800明", "赵\ufffe一", "钱\x0b二"]
    records.append(hostile_record(0, people))
    records.append(hostile_record(1, people[:2]))
    return records


def strict_parse(path) -> None:
    """expat, strict: any character XML 1.0 forbids, raw or as a character reference, fails."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    with open(path, "rb") as fh:
        parser.ParseFile(fh)


@pytest.mark.parametrize("projection", [None, "co-attendance"])
def test_graphml_with_forbidden_characters_parses_strictly(tmp_path, projection):
    import xml.etree.ElementTree as ET

    import networkx as nx

    from officialgraph.graph.graphml import export_graphml, xml_text

    store = MemoryStore()
    store.load_records(forbidden_records())
    target = tmp_path / "g.graphml"
    counts = export_graphml(store.graph, target, projection=projection)
    COUNTS["graphml exports parsed strictly"] += 1
    strict_parse(target)
    root = ET.parse(target).getroot()
    assert root.tag.endswith("graphml")
    back = nx.read_graphml(target)
    if projection is None:
        # Nothing lost: every node and edge of the graph is in the file, the two 王强s apart.
        assert counts == {"nodes": store.graph.number_of_nodes(), "edges": store.graph.number_of_edges()}
        assert back.number_of_nodes() == store.graph.number_of_nodes()
        assert back.number_of_edges() == store.graph.number_of_edges()
        names = sorted(d["name"] for _, d in back.nodes(data=True) if d.get("label") == "Person")
    else:
        people = {n for n, d in store.graph.nodes(data=True) if d.get("label") == "Person"
                  and any(store.graph.edges[n, e, k].get("type") == "APPEARED_AT"
                          for _, e, k in store.graph.out_edges(n, keys=True))}
        assert back.number_of_nodes() == counts["nodes"] == len(people)
        names = sorted(d["name"] for _, d in back.nodes(data=True))
        # appearances counted per person, not reset when an id needed cleaning
        assert sum(d["appearances"] for _, d in back.nodes(data=True)) == sum(
            1 for u, v, k, d in store.graph.edges(keys=True, data=True) if d.get("type") == "APPEARED_AT")
    for raw in ("王\x01强", "李\ud800明", "赵\ufffe一", "钱\x0b二", "张俊峰"):
        assert xml_text(raw) in names
    # 王\x01强 and 王强 of one region clean to the same id and still stay two nodes.
    assert names.count("王强") == 4 if projection is None else names.count("王强") >= 2


def test_extract_page_refuses_a_str_with_lone_surrogates():
    from officialgraph.errors import InputError

    with pytest.raises(InputError, match="surrogate"):
        extract_page("本报讯 区党工委书记张俊峰\ud800主持会议。", "s.txt")


def test_saving_a_lone_surrogate_is_an_own_error_and_keeps_the_old_file(tmp_path):
    from officialgraph.errors import StoreError

    path = tmp_path / "g.json"
    store = MemoryStore(path=path)
    store.load_records(extracted_records())
    store.save()
    before = path.read_bytes()
    store.load_records([hostile_record(2, ["李\ud800明"])])
    with pytest.raises(StoreError, match="surrogate"):
        store.save()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]  # no temp file left behind
