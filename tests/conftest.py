"""Shared fixtures."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import neo4j
import pytest

from officialgraph.graph.model import ArticleRecord
from officialgraph.graph.neo4j_store import DELETE_ALL

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_records() -> list[ArticleRecord]:
    """The extractor's records for the real seed pages (extracted once per test session)."""
    from officialgraph.loaders.extract import extract_paths

    records = list(extract_paths([SEEDS]))
    assert records, "the extractor found no articles in seeds/"
    return records


def make_record(source: str, start: int, events: list[dict], *, date: str | None = None,
                reporters: tuple[str, ...] = (), correspondents: tuple[str, ...] = ()) -> ArticleRecord:
    """A hand-made record: events as FORMAT.md dicts whose appearances may carry ``posts``."""
    return ArticleRecord.from_json({
        "source": source, "page_hash": f"hash-{source}", "start": start, "end": start + 100,
        "headline": None, "date": date, "date_precision": "day" if date else "none",
        "reporters": list(reporters), "correspondents": list(correspondents),
        "events": [{"index": i, **e} for i, e in enumerate(events)],
    })


def appearance(person: str, region: str, *titles: tuple[str, str, str], roles=("attend",),
               evidence: str | None = None) -> dict:
    """``titles``: (title as written, organisation, post); the organisation's parent is its region."""
    return {"person": person, "region": region, "roles": list(roles),
            "evidence": evidence or f"{person}出席会议",
            "posts": [{"text": t, "organization": org, "post": post, "region": region,
                       "org_kind": "party", "parent": region if org != region else None}
                      for t, org, post in titles]}


@pytest.fixture
def handmade_records() -> list[ArticleRecord]:
    """Two namesakes 王强 in different regions, a post held three times, one move, a topic."""
    secretary = ("甲区党委书记", "甲区党委", "书记")
    mayor = ("甲区区长", "甲区政府", "区长")
    deputy = ("甲区副区长", "甲区政府", "副区长")
    return [
        make_record("a.txt", 0, [{"name": "甲区常委会", "date": "2021-01-05", "topics": ["安全生产"],
                                  "appearances": [appearance("李明", "甲区", secretary, roles=("host",)),
                                                  appearance("王强", "甲区", deputy),
                                                  appearance("赵一", "甲区", mayor)]}],
                    date="2021-01-05", reporters=("记者甲",)),
        make_record("a.txt", 500, [{"name": "甲区安全生产会议", "date": "2021-03-01", "topics": ["安全生产"],
                                    "appearances": [appearance("李明", "甲区", secretary, roles=("host", "speak")),
                                                    appearance("赵一", "甲区", mayor)]}],
                    date="2021-03-01", reporters=("记者甲",)),
        make_record("b.txt", 0, [{"name": "乙县调研", "date": "2021-06-01", "kind": "inspection",
                                  "appearances": [appearance("王强", "乙县", ("乙县县长", "乙县政府", "县长"),
                                                             roles=("inspect",)),
                                                  appearance("钱二", "乙县", ("乙县副县长", "乙县政府", "副县长"))]}],
                    date="2021-06-01", correspondents=("通讯员乙",)),
        make_record("c.txt", 0, [{"name": "甲区经济会议", "date": "2021-09-09",
                                  "appearances": [appearance("李明", "甲区", secretary, roles=("host",)),
                                                  appearance("王强", "甲区", mayor)]}],
                    date="2021-09-09", reporters=("记者甲",)),
    ]


# --- Neo4j server for tests -------------------------------------------------------------
# Order: NEO4J_URI (e.g. from scripts/neo4j-local start) > a Docker engine (testcontainers)
# > fail in CI / skip elsewhere. Tests that use these fixtures carry @pytest.mark.neo4j.

NEO4J_IMAGE = "neo4j:5.26"  # keep in step with neo4j/pom.xml and docker-compose.yml

SHOW_CONSTRAINT_NAMES = "SHOW CONSTRAINTS YIELD name RETURN name"
DROP_CONSTRAINT = "DROP CONSTRAINT $name IF EXISTS"
# The two token LOOKUP indexes come with every new database; a wiped one keeps them.
SHOW_USER_INDEX_NAMES = ("SHOW INDEXES YIELD name, type, owningConstraint "
                         "WHERE owningConstraint IS NULL AND type <> 'LOOKUP' RETURN name")
DROP_INDEX = "DROP INDEX $name IF EXISTS"


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str
    password: str
    database: str = "neo4j"


def _docker_answers() -> bool:
    try:
        import docker

        client = docker.from_env(timeout=5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # no SDK, no socket, no engine: all mean "no Docker here"
        return False


def _no_neo4j(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must provide a Neo4j server", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[Neo4jSettings]:
    """Where the test Neo4j server is and how to log in."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        password = os.environ.get("NEO4J_PASSWORD")
        if not password:
            pytest.fail("NEO4J_URI is set but NEO4J_PASSWORD is not", pytrace=False)
        yield Neo4jSettings(uri, os.environ.get("NEO4J_USERNAME", "neo4j"), password,
                            os.environ.get("NEO4J_DATABASE", "neo4j"))
        return
    if not _docker_answers():
        _no_neo4j("no Neo4j server: run scripts/neo4j-local start and export NEO4J_URI and "
                  "NEO4J_PASSWORD, or start a Docker engine")
    from testcontainers.community.neo4j import Neo4jContainer

    password = os.environ.get("NEO4J_PASSWORD") or "officialgraph-test"
    with Neo4jContainer(NEO4J_IMAGE, username="neo4j", password=password) as container:
        yield Neo4jSettings(container.get_connection_url(), "neo4j", password, "neo4j")


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings: Neo4jSettings) -> Iterator[neo4j.Driver]:
    """A connected driver for the test server (one per test session)."""
    driver = neo4j.GraphDatabase.driver(neo4j_settings.uri,
                                        auth=(neo4j_settings.user, neo4j_settings.password))
    try:
        driver.verify_connectivity()
    except neo4j.exceptions.Neo4jError as exc:
        driver.close()
        pytest.fail(f"Neo4j at {neo4j_settings.uri} refused the test login: {exc}", pytrace=False)
    except neo4j.exceptions.DriverError as exc:
        driver.close()
        pytest.fail(f"Neo4j at {neo4j_settings.uri} did not answer: {exc}", pytrace=False)
    yield driver
    driver.close()


def wipe_neo4j(driver: neo4j.Driver, database: str) -> None:
    """Delete every node and relationship, then every constraint and user-made index."""
    with driver.session(database=database) as session:
        for query in DELETE_ALL:  # auto-commit: CALL ... IN TRANSACTIONS needs it
            session.run(query).consume()
    for show, drop in ((SHOW_CONSTRAINT_NAMES, DROP_CONSTRAINT), (SHOW_USER_INDEX_NAMES, DROP_INDEX)):
        names = [r["name"] for r in driver.execute_query(show, database_=database).records]
        for name in names:
            driver.execute_query(drop, {"name": name}, database_=database)


@pytest.fixture
def neo4j_wipe(neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings) -> Callable[[], None]:
    """A no-argument function that wipes the test database."""
    return lambda: wipe_neo4j(neo4j_driver, neo4j_settings.database)


@pytest.fixture
def clean_neo4j(neo4j_driver: neo4j.Driver, neo4j_wipe: Callable[[], None]) -> neo4j.Driver:
    """The driver, after wiping the test database (data, constraints, indexes)."""
    neo4j_wipe()
    return neo4j_driver
