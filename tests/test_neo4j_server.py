"""The test Neo4j server: a real server, authentication on, UTF-8 intact; and its local launcher."""
from __future__ import annotations

import json
import os
import subprocess
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse

import neo4j
import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "neo4j-local"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost"}

CREATE_PROBE = "CREATE (:ServerProbe {token: $token, name: $name})"
READ_PROBE = "MATCH (p:ServerProbe {token: $token}) RETURN p.name AS name"
DELETE_PROBE = "MATCH (p:ServerProbe {token: $token}) DELETE p"
CREATE_CONSTRAINT = "CREATE CONSTRAINT $name FOR (p:WipeProbe) REQUIRE p.key IS UNIQUE"
CREATE_INDEX = "CREATE INDEX $name FOR (p:WipeProbe) ON (p.label)"
CREATE_PAIR = "CREATE (:WipeProbe {key: $a, label: $a})-[:NEXT]->(:WipeProbe {key: $b, label: $b})"
COUNT_NODES = "MATCH (n) RETURN count(n) AS n"
COUNT_CONSTRAINTS = "SHOW CONSTRAINTS YIELD name RETURN count(*) AS n"
INDEX_TYPES = "SHOW INDEXES YIELD type RETURN collect(type) AS types"


def run_script(*args: str, home: Path | None = None, password: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    if home is not None:
        env["OFFICIALGRAPH_NEO4J_HOME"] = str(home)
    if password is not None:
        env["NEO4J_PASSWORD"] = password
    return subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.neo4j
def test_cypher_round_trip_keeps_chinese_text(neo4j_driver, neo4j_settings):
    token, name = uuid.uuid4().hex, "欧阳明（副区长）"
    db = neo4j_settings.database
    try:
        neo4j_driver.execute_query(CREATE_PROBE, {"token": token, "name": name}, database_=db)
        records = neo4j_driver.execute_query(READ_PROBE, {"token": token}, database_=db).records
    finally:
        neo4j_driver.execute_query(DELETE_PROBE, {"token": token}, database_=db)
    assert [r["name"] for r in records] == [name]


@pytest.mark.neo4j
def test_wrong_password_is_refused(neo4j_settings):
    auth = (neo4j_settings.user, neo4j_settings.password + "-wrong")
    with neo4j.GraphDatabase.driver(neo4j_settings.uri, auth=auth) as driver:
        with pytest.raises(neo4j.exceptions.AuthError):
            driver.verify_connectivity()


@pytest.mark.neo4j
def test_wipe_removes_data_constraints_and_indexes(neo4j_driver, neo4j_settings, neo4j_wipe):
    db = neo4j_settings.database
    neo4j_driver.execute_query(CREATE_CONSTRAINT, {"name": "wipe_probe_key"}, database_=db)
    neo4j_driver.execute_query(CREATE_INDEX, {"name": "wipe_probe_label"}, database_=db)
    neo4j_driver.execute_query(CREATE_PAIR, {"a": "甲", "b": "乙"}, database_=db)
    assert neo4j_driver.execute_query(COUNT_NODES, database_=db).records[0]["n"] >= 2

    neo4j_wipe()

    assert neo4j_driver.execute_query(COUNT_NODES, database_=db).records[0]["n"] == 0
    assert neo4j_driver.execute_query(COUNT_CONSTRAINTS, database_=db).records[0]["n"] == 0
    types = neo4j_driver.execute_query(INDEX_TYPES, database_=db).records[0]["types"]
    assert set(types) <= {"LOOKUP"}


def _served_by_local_script(uri: str) -> bool:
    if urlparse(uri).hostname not in LOOPBACK_HOSTS:
        return False
    return run_script("status").returncode == 0


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


@pytest.mark.neo4j
def test_local_server_serves_http_and_browser(neo4j_settings):
    if not _served_by_local_script(neo4j_settings.uri):
        pytest.skip("the test server is not the one scripts/neo4j-local runs")
    base = f"http://127.0.0.1:{os.environ.get('OFFICIALGRAPH_NEO4J_HTTP_PORT', '7474')}"
    discovery = json.loads(_get(base + "/"))
    assert discovery["neo4j_version"].startswith("5.26.")
    assert discovery["neo4j_edition"] == "community"
    assert urlparse(discovery["bolt_direct"]).port == urlparse(neo4j_settings.uri).port
    assert "<title>Neo4j Browser</title>" in _get(base + "/browser/")


def test_status_of_a_fresh_home_is_stopped(tmp_path):
    result = run_script("status", home=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (3, "stopped")


def test_start_without_password_fails_with_one_line_before_fetching(tmp_path):
    result = run_script("start", home=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "NEO4J_PASSWORD" in result.stderr
    assert not (tmp_path / "lib").exists()
