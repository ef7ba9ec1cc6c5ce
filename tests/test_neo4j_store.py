"""The Neo4j store on a real server: equal to MemoryStore, idempotent, safe under concurrent and
interrupted loads, and clear when the server cannot be used."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import networkx as nx
import pytest

from conftest import ROOT, SEEDS, Neo4jSettings, appearance, make_record
from officialgraph.errors import StoreError
from officialgraph.graph import neo4j_store
from officialgraph.graph.memory import MemoryStore
from officialgraph.graph.model import Label, Rel
from officialgraph.graph.neo4j_store import Neo4jStore
from officialgraph.loaders.records import write_records

SCRIPT = ROOT / "scripts" / "neo4j-local"
SHOW_KEY_CONSTRAINTS = ("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
                        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties AS props")
DUPLICATE_RELATIONSHIPS = """
MATCH (a)-[r]->(b)
WITH a, b, type(r) AS type, r.post AS post, count(*) AS n
WHERE n > 1
RETURN count(*) AS duplicates
"""


def open_neo4j(settings: Neo4jSettings, **options) -> Neo4jStore:
    return Neo4jStore(uri=settings.uri, user=settings.user, password=settings.password,
                      database=settings.database, **options)


def dump(graph: nx.MultiDiGraph) -> tuple[list, list]:
    """Every node and edge with every property, in a fixed order: two equal dumps, one graph."""
    def frozen(attrs: dict) -> list:
        return sorted((k, json.dumps(v, ensure_ascii=False, sort_keys=True)) for k, v in attrs.items())
    nodes = sorted((n, frozen(attrs)) for n, attrs in graph.nodes(data=True))
    edges = sorted((u, v, k, frozen(attrs)) for u, v, k, attrs in graph.edges(keys=True, data=True))
    return nodes, edges


def memory_of(records) -> MemoryStore:
    store = MemoryStore()
    store.load_records(records)
    return store


def synthetic_records(count: int) -> list:
    """``count`` one-event articles: 240 people in 4 regions meeting in threes, posts that recur,
    topics, bylines; people, posts and journalists repeat so MERGE really merges."""
    regions = ["甲区", "乙县", "丙市", "丁镇"]
    posts = [("书记", "党委"), ("区长", "政府"), ("副区长", "政府"), ("主任", "人大常委会")]
    records = []
    for i in range(count):
        region = regions[i % len(regions)]
        people = []
        for j in range(3):
            who = (i * 7 + j * 13) % 60
            post, body = posts[(who + j) % len(posts)]
            org = f"{region}{body}"
            people.append(appearance(f"人物{who:02d}", region, (f"{org}{post}", org, post),
                                     roles=("host",) if j == 0 else ("attend",),
                                     evidence=f"第{i}篇：人物{who:02d}出席"))
        day = f"2021-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        records.append(make_record(f"syn{i // 10}.txt", (i % 10) * 1000,
                                   [{"name": f"会议{i}", "date": day, "topics": [f"议题{i % 9}"],
                                     "appearances": people}],
                                   date=day, reporters=(f"记者{i % 11}",)))
    return records


@pytest.fixture
def settings(neo4j_settings, clean_neo4j) -> Neo4jSettings:
    """Connection settings of an empty test database."""
    return neo4j_settings


# --- equal to the embedded store ------------------------------------------------------------------

@pytest.mark.neo4j
def test_seed_load_has_memory_store_counts_and_graph(settings, seed_records):
    memory = memory_of(seed_records)
    with open_neo4j(settings, batch_size=16) as store:
        stats = store.load_records(seed_records)
        counts = store.counts()
        graph = store.to_networkx()
    assert counts == memory.counts()
    assert {k: stats[k] for k in counts} == counts
    assert stats["records"] == len(seed_records)
    assert stats["nodes created"] == counts["nodes"] and stats["relationships created"] == counts["relationships"]
    assert dump(graph) == dump(memory.graph)


@pytest.mark.neo4j
def test_held_and_journalists_merge_like_memory_across_loads(settings, handmade_records):
    # One record per load call and one row per transaction: every merge happens in Cypher.
    with open_neo4j(settings, batch_size=1) as store:
        for record in reversed(handmade_records):
            store.load_records([record])
        graph = store.to_networkx()
    assert dump(graph) == dump(memory_of(list(reversed(handmade_records))).graph)
    held = graph.edges["Person:李明@甲区", "Organization:甲区党委", "HELD:书记"]
    assert held["count"] == 3 == len(held["events"])
    assert (held["first_seen"], held["last_seen"]) == ("2021-01-05", "2021-09-09")


@pytest.mark.neo4j
def test_key_constraints_exist_after_a_load(settings, neo4j_driver, handmade_records):
    with open_neo4j(settings) as store:
        store.load_records(handmade_records[:1])
    rows = neo4j_driver.execute_query(SHOW_KEY_CONSTRAINTS, database_=settings.database).records
    assert {(r["label"], tuple(r["props"])) for r in rows} >= {
        (label.value, ("key",)) for label in Label if label is not Label.JOURNALIST}


@pytest.mark.neo4j
def test_delete_all_empties_the_graph_and_keeps_the_constraints(settings, neo4j_driver, handmade_records):
    with open_neo4j(settings) as store:
        store.load_records(handmade_records)
        assert store.counts()["relationships"] > 0
        store.delete_all()
        assert store.counts() == {"nodes": 0, "relationships": 0}
        again = store.load_records(handmade_records)  # keys still unique: a reload creates every node once
    assert again["nodes created"] == again["nodes"] > 0
    rows = neo4j_driver.execute_query(SHOW_KEY_CONSTRAINTS, database_=settings.database).records
    assert {r["label"] for r in rows} >= {label.value for label in Label if label is not Label.JOURNALIST}


@pytest.mark.neo4j
def test_journalists_carry_the_extra_label(settings, neo4j_driver, handmade_records):
    with open_neo4j(settings) as store:
        store.load_records(handmade_records)
    names = neo4j_driver.execute_query(
        f"MATCH (j:{Label.PERSON.value}:{Label.JOURNALIST.value}) RETURN j.name AS name ORDER BY name",
        database_=settings.database).records
    assert [r["name"] for r in names] == ["记者甲", "通讯员乙"]


# --- idempotence ------------------------------------------------------------------------------------

@pytest.mark.neo4j
def test_loading_twice_changes_nothing_and_creates_nothing(settings, seed_records):
    with open_neo4j(settings, batch_size=50) as store:
        first = store.load_records(seed_records)
        before = dump(store.to_networkx())
        second = store.load_records(seed_records)
        after = dump(store.to_networkx())
    assert after == before
    assert first["nodes created"] > 0
    assert second["nodes created"] == 0 and second["relationships created"] == 0
    created = {k: v for k, v in second.items() if k.startswith("created ")}
    assert created and set(created.values()) == {0}
    for name in [label.value for label in Label if label is not Label.JOURNALIST] + [rel.value for rel in Rel]:
        if name in first:
            assert second[name] == first[name]
            assert second[f"existing {name}"] >= first[name]


@pytest.mark.neo4j
def test_two_loads_at_once_make_no_duplicates(settings, neo4j_driver, seed_records):
    records = seed_records + synthetic_records(400)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def load() -> None:
        try:
            with open_neo4j(settings, batch_size=40) as store:
                barrier.wait(timeout=60)
                store.load_records(records)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not errors, errors
    memory = memory_of(records)
    with open_neo4j(settings) as store:
        assert store.counts() == memory.counts()
        assert dump(store.to_networkx()) == dump(memory.graph)
    dupes = neo4j_driver.execute_query(DUPLICATE_RELATIONSHIPS, database_=settings.database).records
    assert dupes[0]["duplicates"] == 0


# --- a load whose server dies half-way ----------------------------------------------------------------

def run_script(command: str, settings: Neo4jSettings) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEO4J_PASSWORD": settings.password}
    return subprocess.run([str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=300)


def require_local_server(settings: Neo4jSettings) -> None:
    """The kill test needs the server scripts/neo4j-local controls to be the fixture's server."""
    uri = urlparse(settings.uri)
    port = int(os.environ.get("OFFICIALGRAPH_NEO4J_BOLT_PORT") or 7687)
    if uri.hostname in ("127.0.0.1", "localhost") and uri.port == port and run_script("status", settings).returncode == 0:
        return
    reason = f"{settings.uri} is not the server scripts/neo4j-local runs, so this test cannot kill it"
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.mark.neo4j
def test_killed_load_then_reload_equals_one_uninterrupted_load(neo4j_settings, neo4j_driver, neo4j_wipe,
                                                              monkeypatch):
    settings = neo4j_settings
    require_local_server(settings)
    records = synthetic_records(2000)
    neo4j_wipe()
    with open_neo4j(settings) as store:
        reference = dump(store.to_networkx()) if store.load_records(records) else None
        full = store.counts()
    neo4j_wipe()

    monkeypatch.setattr(neo4j_store, "RECORD_CHUNK", 200)  # progress after every 200 records
    killer = threading.Thread(target=run_script, args=("kill", settings))

    def progress(done: int) -> None:
        if done >= 400 and killer.ident is None:  # some batches are in, most are not
            killer.start()

    try:
        with open_neo4j(settings, batch_size=20, max_retry_time=2.0) as store:
            with pytest.raises(StoreError, match=f"lost Neo4j at {settings.uri}.*run.*again"):
                store.load_records(records, progress=progress)
    finally:
        if killer.ident is not None:
            killer.join()
        started = run_script("start", settings)
        assert started.returncode == 0, started.stderr
    neo4j_driver.verify_connectivity()

    with open_neo4j(settings) as store:
        partial = store.counts()
        assert 0 < partial.get(Rel.APPEARED_AT.value, 0) < full[Rel.APPEARED_AT.value]
        again = store.load_records(records)
        assert again["relationships created"] > 0
        assert dump(store.to_networkx()) == reference
        assert store.counts() == full


# --- the CLI: neo4j end to end, and one clear line when the server cannot be used -----------------------

def officialgraph(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "officialgraph"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return subprocess.run([str(exe), *args], capture_output=True, encoding="utf-8", timeout=300,
                          env={**clean, **(env or {})}, cwd=cwd)


def neo4j_env(settings: Neo4jSettings, **changes: str) -> dict[str, str]:
    env = {"NEO4J_URI": settings.uri, "NEO4J_USERNAME": settings.user, "NEO4J_PASSWORD": settings.password,
           "NEO4J_DATABASE": settings.database}
    env.update(changes)
    return env


def one_error_line(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 1, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), run.stderr
    return lines[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cli_says_when_no_server_listens():
    uri = f"bolt://127.0.0.1:{free_port()}"
    run = officialgraph("query", "met-with", "张俊峰", "--store", "neo4j", "--uri", uri, "--password", "whatever")
    line = one_error_line(run)
    assert f"cannot reach Neo4j at {uri}" in line and "scripts/neo4j-local start" in line


@pytest.mark.neo4j
def test_cli_says_when_the_password_is_wrong(neo4j_settings):
    run = officialgraph("query", "met-with", "张俊峰", "--store", "neo4j",
                        env=neo4j_env(neo4j_settings, NEO4J_PASSWORD=neo4j_settings.password + "-wrong"))
    line = one_error_line(run)
    assert f"Neo4j at {neo4j_settings.uri} refused user" in line and "NEO4J_PASSWORD" in line


@pytest.mark.neo4j
def test_cli_says_when_the_database_does_not_exist(neo4j_settings):
    run = officialgraph("query", "met-with", "张俊峰", "--store", "neo4j", "--database", "nosuchdb",
                        env=neo4j_env(neo4j_settings))
    line = one_error_line(run)
    assert f"Neo4j at {neo4j_settings.uri} has no database 'nosuchdb'" in line and "--database" in line


@pytest.mark.neo4j
def test_cli_load_query_and_graphml_export_on_neo4j_equal_memory(settings, seed_records, tmp_path):
    records_file = tmp_path / "records.jsonl"
    with open(records_file, "w", encoding="utf-8") as fh:
        write_records(seed_records, fh)
    env = neo4j_env(settings)
    graph_file = str(tmp_path / "g.json")
    for store in (["--store", "neo4j", "--batch-size", "7"], ["--graph", graph_file]):
        loaded = officialgraph("load", str(records_file), *store, env=env, cwd=tmp_path)
        assert loaded.returncode == 0, loaded.stderr
    again = officialgraph("load", str(records_file), "--store", "neo4j", env=env, cwd=tmp_path)
    assert "nodes created 0," in again.stderr and "relationships created 0," in again.stderr
    person = _busiest(seed_records)
    answers = [officialgraph("query", "met-with", person, *store, env=env, cwd=tmp_path)
               for store in (["--store", "neo4j"], ["--graph", graph_file])]
    assert answers[0].returncode == 0, answers[0].stderr
    assert json.loads(answers[0].stdout) == json.loads(answers[1].stdout) != []
    exports = []
    for name, store in (("neo4j", ["--store", "neo4j"]), ("memory", ["--graph", graph_file])):
        out = tmp_path / f"{name}.graphml"
        done = officialgraph("export", "graphml", "-o", str(out), *store, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        exports.append(nx.read_graphml(out))
    assert dump(nx.MultiDiGraph(exports[0])) == dump(nx.MultiDiGraph(exports[1]))
    assert exports[0].number_of_nodes() == memory_of(seed_records).counts()["nodes"]


def _busiest(records) -> str:
    """The name, held in one region only, with the most appearances (ties: first in name order)."""
    counts: dict[str, int] = {}
    regions: dict[str, set[str]] = {}
    for record in records:
        for event in record.events:
            for app in event.appearances:
                counts[app.person] = counts.get(app.person, 0) + 1
                regions.setdefault(app.person, set()).add(app.region)
    return min((name for name in counts if len(regions[name]) == 1), key=lambda n: (-counts[n], n))


def test_cli_batch_size_is_for_the_neo4j_store_only(tmp_path):
    records_file = tmp_path / "records.jsonl"
    records_file.write_text("", encoding="utf-8")
    line = one_error_line(officialgraph("load", str(records_file), "--graph", str(tmp_path / "g.json"),
                                        "--batch-size", "10", cwd=tmp_path))
    assert "--batch-size applies to --store neo4j only" in line
    assert not (tmp_path / "g.json").exists()


def test_cli_rejects_a_batch_size_below_one(tmp_path):
    records_file = tmp_path / "records.jsonl"
    records_file.write_text("", encoding="utf-8")
    uri = f"bolt://127.0.0.1:{free_port()}"
    line = one_error_line(officialgraph("load", str(records_file), "--store", "neo4j", "--uri", uri,
                                        "--password", "x", "--batch-size", "0", cwd=tmp_path))
    assert "--batch-size must be at least 1" in line  # refused before connecting
