"""neo4j-admin CSV export: the file format, then a real `neo4j-admin database import full` into a
throwaway Neo4j home (its own data, ports and password; the jars of the shared home), started
with scripts/neo4j-local and compared with the MemoryStore that the files came from.

The shared test server's data is never touched.
"""
from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from officialgraph.graph.admin_import import (
    ARGS_FILE,
    EMPTY_MARK,
    export_admin_csv,
    finish_import,
    finish_statements,
    import_arguments,
)
from officialgraph.graph.memory import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "neo4j-local"
SHARED_HOME = Path(os.environ.get("OFFICIALGRAPH_NEO4J_HOME") or Path.home() / ".cache/officialgraph/neo4j-5.26")
PASSWORD = "throwaway-import-test"


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


@pytest.fixture
def seed_store(seed_records) -> MemoryStore:
    store = MemoryStore()
    store.load_records(seed_records)
    return store


def test_files_have_id_spaces_types_and_labels(seed_store, tmp_path):
    counts = export_admin_csv(seed_store.graph, tmp_path)
    assert counts == {k: v for k, v in seed_store.counts().items() if k not in ("nodes", "relationships")}
    header, rows = read_csv(tmp_path / "nodes_Person.csv")
    assert header[0] == "key:ID(Person)" and header[-1] == ":LABEL"
    assert "aliases:string[]" in header and "journalist:boolean" in header
    labels = {row[-1] for row in rows}
    assert labels == {"Person", "Person;Journalist"}
    header, rows = read_csv(tmp_path / "rels_APPEARED_AT.csv")
    assert header[:3] == [":START_ID(Person)", ":END_ID(Event)", ":TYPE"]
    assert {"roles:string[]", "order:long", "evidence:string"} <= set(header)
    roles = header.index("roles:string[]")
    assert all(row[roles] for row in rows), "every appearance has a role"
    args = (tmp_path / ARGS_FILE).read_text(encoding="utf-8").splitlines()
    assert "--array-delimiter=;" in args
    assert sum(a.startswith("--nodes=") for a in args) == 5


def test_quotes_and_delimiters_in_values(tmp_path):
    from conftest import appearance, make_record

    from officialgraph.graph.memory import apply_rows
    from officialgraph.graph.rows import build_rows

    odd = make_record("q.txt", 0, [{"name": '他说"好";再见', "topics": ["甲;乙"],
                                    "appearances": [appearance("李明", "甲区", ("甲区区长", "甲区政府", "区长"))]}])
    store = MemoryStore()
    apply_rows(store.graph, build_rows([odd]))
    export_admin_csv(store.graph, tmp_path)
    args = (tmp_path / ARGS_FILE).read_text(encoding="utf-8")
    assert "--array-delimiter=|" in args, "a list value holds ';', so another delimiter is needed"
    header, rows = read_csv(tmp_path / "nodes_Event.csv")
    assert rows[0][header.index("name:string")] == '他说"好";再见'
    assert rows[0][header.index("topics:string[]")] == "甲;乙"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def throwaway_home(tmp_path):
    """A Neo4j home of its own: lib/ points at the shared jars, everything else is new."""
    if shutil.which("java") is None or not (SHARED_HOME / "lib").is_dir():
        message = f"needs java and the Neo4j jars in {SHARED_HOME}/lib (scripts/neo4j-local fetch)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    home = tmp_path / "neo4j-home"
    (home / "conf").mkdir(parents=True)
    (home / "lib").symlink_to((SHARED_HOME / "lib").resolve())
    env = {**os.environ, "OFFICIALGRAPH_NEO4J_HOME": str(home), "NEO4J_PASSWORD": PASSWORD,
           "OFFICIALGRAPH_NEO4J_BOLT_PORT": str(_free_port()), "OFFICIALGRAPH_NEO4J_HTTP_PORT": str(_free_port()),
           "OFFICIALGRAPH_NEO4J_HEAP": "512m", "OFFICIALGRAPH_NEO4J_PAGECACHE": "64m"}
    yield home, env
    subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=300)


@pytest.mark.neo4j
@pytest.mark.slow
def test_imported_database_equals_the_memory_store(seed_store, throwaway_home, tmp_path):
    from officialgraph.graph.neo4j_store import Neo4jStore

    home, env = throwaway_home
    out = tmp_path / "csv"
    export_admin_csv(seed_store.graph, out)
    admin = subprocess.run(
        ["java", "-cp", f"{home / 'lib'}/*", "org.neo4j.server.startup.Neo4jAdminCommand", *import_arguments(out)],
        env={k: v for k, v in env.items() if k not in ("HEAP_SIZE", "JAVA_OPTS")} | {
            "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")},
        capture_output=True, text=True, timeout=600, cwd=tmp_path)  # its import.report lands there
    assert admin.returncode == 0, admin.stdout[-2000:] + admin.stderr[-2000:]
    assert "IMPORT DONE" in admin.stdout
    started = subprocess.run([str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=600)
    assert started.returncode == 0, started.stdout + started.stderr
    uri = f"bolt://127.0.0.1:{env['OFFICIALGRAPH_NEO4J_BOLT_PORT']}"
    store = Neo4jStore(uri=uri, user="neo4j", password=PASSWORD)
    try:
        assert finish_statements(out), "the seeds have empty lists (aliases, topics) to restore"
        finish_import(store, out)
        assert store.counts() == seed_store.counts()
        imported = store.to_networkx()
        with store.driver.session(database=store.database) as session:
            constraints = session.run("SHOW CONSTRAINTS YIELD labelsOrTypes RETURN labelsOrTypes").values()
            marks = session.run(f"MATCH (n) WHERE n.{EMPTY_MARK} IS NOT NULL RETURN count(n)").single()[0]
    finally:
        store.close()
    assert {label for (labels,) in constraints for label in labels} >= {"Person", "Event", "Article",
                                                                          "Organization", "Topic"}
    assert marks == 0
    expected = seed_store.graph
    assert dict(imported.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(imported.edges(keys=True, data=True), key=repr) == sorted(expected.edges(keys=True, data=True), key=repr)
    # Some properties, spelled out: a journalist, a post with its dates, an event's topics.
    journalists = [n for n, a in imported.nodes(data=True) if a.get("journalist")]
    assert journalists and all(imported.nodes[n]["label"] == "Person" for n in journalists)
    held = [a for _, _, a in imported.edges(data=True) if a["type"] == "HELD"]
    assert held and all(isinstance(a["count"], int) and isinstance(a["dates"], list) for a in held)
