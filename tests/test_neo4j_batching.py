"""The Neo4j writer's batching, against a fake driver that records every transaction.

The fake only offers managed transactions (``execute_write``/``execute_read``): a writer that used
auto-commit ``session.run`` (no retries) would fail here with AttributeError.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pytest

from officialgraph.errors import StoreError
from officialgraph.graph import neo4j_store
from officialgraph.graph.model import Label, Rel
from officialgraph.graph.neo4j_store import Neo4jStore
from officialgraph.graph.rows import build_rows
from officialgraph.queries import get_query
from officialgraph.queries.cypher import packed
from officialgraph.queries.spec import QuerySpec

ALL_WRITE_QUERIES = set(neo4j_store.MERGE_NODE_QUERIES.values()) | set(neo4j_store.MERGE_REL_QUERIES.values())
SCHEMA_QUERIES = set(neo4j_store.KEY_CONSTRAINTS.values()) | {neo4j_store.PERSON_NAME_INDEX}


@dataclass
class FakeCounters:
    nodes_created: int = 0
    relationships_created: int = 0


@dataclass
class FakeSummary:
    counters: FakeCounters


class FakeResult:
    def __init__(self, record: dict[str, Any], counters: FakeCounters, rows: list[dict[str, Any]]):
        self.record, self.counters, self.rows = record, counters, rows

    def single(self, strict: bool = False) -> dict[str, Any]:
        return self.record

    def consume(self) -> FakeSummary:
        return FakeSummary(self.counters)

    def __iter__(self):
        return iter(self.rows)


@dataclass
class Transaction:
    kind: str  # write | read
    queries: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def run(self, query: str, parameters: dict[str, Any] | None = None, **kwargs: Any) -> FakeResult:
        params = {**(parameters or {}), **kwargs}
        self.queries.append((query, params))
        rows = params.get("rows") or []
        # Pretend the server created every other row, so "created" and "existing" both show up.
        made = len(rows[::2])
        is_node = query in neo4j_store.MERGE_NODE_QUERIES.values()
        counters = FakeCounters(nodes_created=made if is_node else 0, relationships_created=0 if is_node else made)
        # A packed canned query (queries.cypher.packed) always answers one record; others none.
        answer = [{"rows": []}] if query.startswith("CALL () {") else []
        return FakeResult({"merged": len(rows), "n": 0}, counters, answer)


class FakeSession:
    def __init__(self, log: list[Transaction]):
        self.log = log

    def __enter__(self) -> "FakeSession":
        return self

    def __exit__(self, *exc: Any) -> None:
        pass

    def _managed(self, kind: str, work, *args: Any) -> Any:
        tx = Transaction(kind)
        self.log.append(tx)
        return work(tx, *args)

    def execute_write(self, work, *args: Any) -> Any:
        return self._managed("write", work, *args)

    def execute_read(self, work, *args: Any) -> Any:
        return self._managed("read", work, *args)


class FakeDriver:
    def __init__(self) -> None:
        self.log: list[Transaction] = []
        self.databases: list[str] = []

    def session(self, database: str | None = None) -> FakeSession:
        self.databases.append(database)
        return FakeSession(self.log)

    def close(self) -> None:
        pass


def load(records, batch_size: int) -> tuple[FakeDriver, dict[str, int]]:
    driver = FakeDriver()
    store = Neo4jStore(database="officialgraph", driver=driver, batch_size=batch_size)
    stats = store.load_records(records)
    return driver, stats


def write_txs(driver: FakeDriver) -> list[Transaction]:
    return [tx for tx in driver.log if tx.kind == "write" and tx.queries[0][0] in ALL_WRITE_QUERIES]


def test_one_transaction_per_batch_per_label_and_type(handmade_records):
    rows = build_rows(handmade_records)
    batch_size = 2
    driver, _ = load(handmade_records, batch_size)
    per_name: dict[str, int] = {}
    for row in rows["nodes"]:
        per_name[row["label"]] = per_name.get(row["label"], 0) + 1
    for row in rows["relationships"]:
        per_name[row["type"]] = per_name.get(row["type"], 0) + 1
    expected = sum(math.ceil(n / batch_size) for n in per_name.values())
    txs = write_txs(driver)
    assert len(txs) == expected
    assert all(len(tx.queries) == 1 for tx in txs)  # one UNWIND statement per transaction
    assert all(1 <= len(tx.queries[0][1]["rows"]) <= batch_size for tx in txs)
    sent = sum(len(tx.queries[0][1]["rows"]) for tx in txs)
    assert sent == len(rows["nodes"]) + len(rows["relationships"])
    assert set(driver.databases) == {"officialgraph"}


def test_bigger_batches_mean_fewer_transactions(handmade_records):
    small, _ = load(handmade_records, 1)
    big, _ = load(handmade_records, 10_000)
    rows = build_rows(handmade_records)
    assert len(write_txs(small)) == len(rows["nodes"]) + len(rows["relationships"])
    assert len(write_txs(big)) == len({r["label"] for r in rows["nodes"]} | {r["type"] for r in rows["relationships"]})


def test_schema_first_then_all_nodes_then_relationships(handmade_records):
    driver, _ = load(handmade_records, 3)
    writes = [tx for tx in driver.log if tx.kind == "write"]
    kinds = []
    for tx in writes:
        query = tx.queries[0][0]
        if query in SCHEMA_QUERIES:
            kinds.append("schema")
        elif query in neo4j_store.MERGE_NODE_QUERIES.values():
            kinds.append("node")
        else:
            assert query in neo4j_store.MERGE_REL_QUERIES.values()
            kinds.append("rel")
    assert kinds == sorted(kinds, key=["schema", "node", "rel"].index)
    # A key constraint for each of the five node labels, and the name index.
    assert {label for label in neo4j_store.KEY_CONSTRAINTS} == set(Label) - {Label.JOURNALIST}
    assert kinds.count("schema") == 6
    assert "rel" in kinds and "node" in kinds


def test_every_query_is_a_constant_and_values_are_parameters(handmade_records):
    driver, _ = load(handmade_records, 2)
    values: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, str):
            values.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                collect(v)

    for tx in driver.log:
        for query, params in tx.queries:
            assert query in ALL_WRITE_QUERIES | SCHEMA_QUERIES | set(neo4j_store.COUNT_LABEL.values()) \
                | set(neo4j_store.COUNT_TYPE.values())
            collect(params)
    # Label and type names are formatted into the constants on purpose; data values never are.
    structural = {label.value for label in Label} | {rel.value for rel in Rel}
    data_values = {v for v in values if v not in structural and len(v) > 1}
    assert any("李明" in v for v in data_values)  # the fake really saw the data
    queries = {q for tx in driver.log for q, _ in tx.queries}
    for value in data_values:
        for query in queries:
            assert value not in query, f"value {value!r} inside Cypher text"


def test_held_rows_carry_the_merge_inputs(handmade_records):
    driver, _ = load(handmade_records, 100)
    held = [row for tx in write_txs(driver) if tx.queries[0][0] == neo4j_store.MERGE_REL_QUERIES["HELD"]
            for row in tx.queries[0][1]["rows"]]
    secretary = [r for r in held if r["start"] == "李明@甲区" and r["post"] == "书记"]
    assert len(secretary) == 1  # one row per (person, organisation, post)
    assert len(secretary[0]["events"]) == 3 and secretary[0]["dates"] == ["2021-01-05", "2021-03-01", "2021-09-09"]


def test_rows_sorted_by_key_within_a_label(handmade_records):
    driver, _ = load(handmade_records, 10_000)
    for tx in write_txs(driver):
        query, params = tx.queries[0]
        if query in neo4j_store.MERGE_NODE_QUERIES.values():
            keys = [r["key"] for r in params["rows"]]
            assert keys == sorted(keys)


def test_summary_reports_created_and_existing_from_counters(handmade_records):
    rows = build_rows(handmade_records)
    _, stats = load(handmade_records, 10_000)
    people = sum(1 for r in rows["nodes"] if r["label"] == "Person")
    assert stats["created Person"] == len(range(0, people, 2))
    assert stats["created Person"] + stats["existing Person"] == people
    assert stats["nodes created"] + stats["nodes existing"] == len(rows["nodes"])
    assert stats["relationships created"] + stats["relationships existing"] == len(rows["relationships"])
    assert stats["records"] == len(handmade_records)


def test_record_chunks_each_write_nodes_before_their_relationships(handmade_records, monkeypatch):
    monkeypatch.setattr(neo4j_store, "RECORD_CHUNK", 2)
    driver, stats = load(handmade_records, 10_000)
    kinds = ["node" if tx.queries[0][0] in neo4j_store.MERGE_NODE_QUERIES.values() else "rel"
             for tx in write_txs(driver)]
    # Two chunks of two records: node batches, relationship batches, node batches, relationship batches.
    runs = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]
    assert runs == ["node", "rel", "node", "rel"]
    assert stats["records"] == 4


def test_missing_endpoint_is_an_error(handmade_records, monkeypatch):
    # The server matched fewer rows than were sent: the writer must not report success.
    monkeypatch.setattr(FakeResult, "single", lambda self, strict=False: {"merged": 0, "n": 0})
    with pytest.raises(StoreError, match="rows had no endpoint"):
        load(handmade_records, 10_000)


@pytest.mark.parametrize("size", [0, -5, "100", True])
def test_batch_size_must_be_a_positive_integer(size):
    with pytest.raises(StoreError, match="batch size"):
        Neo4jStore(driver=FakeDriver(), batch_size=size)


def test_no_password_is_a_store_error_naming_the_uri():
    with pytest.raises(StoreError, match="bolt://example.invalid:7687.*NEO4J_PASSWORD"):
        Neo4jStore(uri="bolt://example.invalid:7687", password=None)


def test_unsupported_uri_scheme_is_a_store_error():
    with pytest.raises(StoreError, match="must start with one of"):
        Neo4jStore(uri="http://127.0.0.1:7474", password="x")


def test_a_query_without_cypher_is_a_store_error():
    spec = QuerySpec(name="nothing", description="", args=(), networkx=lambda graph: [], example="")
    with pytest.raises(StoreError, match="query nothing has no Cypher yet"):
        Neo4jStore(driver=FakeDriver()).execute(spec, {})


def test_queries_run_in_read_transactions_with_parameters():
    driver = FakeDriver()
    rows = Neo4jStore(driver=driver).execute(get_query("ties"), {"limit": 5, "min_count": 2})
    assert rows == []  # the fake server has no rows
    assert driver.log and all(tx.kind == "read" for tx in driver.log)
    query, params = driver.log[-1].queries[-1]
    assert query == packed(get_query("ties")) and params["limit"] == 5 and params["min_count"] == 2


def test_name_lookup_and_query_share_one_read_transaction():
    from officialgraph.queries.cypher import PERSON_LOOKUP

    class LookupTransaction(Transaction):
        def run(self, query: str, parameters: dict[str, Any] | None = None, **kwargs: Any) -> Any:
            answer = super().run(query, parameters, **kwargs)
            return [{"region": "", "key": "张三|"}] if query == PERSON_LOOKUP else answer

    class LookupSession(FakeSession):
        def _managed(self, kind: str, work, *args: Any) -> Any:
            tx = LookupTransaction(kind)
            self.log.append(tx)
            return work(tx, *args)

    driver = FakeDriver()
    driver.session = lambda database=None: LookupSession(driver.log)
    rows = Neo4jStore(driver=driver).execute(get_query("timeline"), {"person": "张三"})
    assert rows == []
    assert [tx.kind for tx in driver.log] == ["read"]
    assert [query for query, _ in driver.log[0].queries] == [PERSON_LOOKUP, packed(get_query("timeline"))]


def test_a_row_already_committed_in_this_load_is_not_sent_again(handmade_records, monkeypatch):
    # One record per chunk: the people and organisations of every record recur in the next.
    monkeypatch.setattr(neo4j_store, "RECORD_CHUNK", 1)
    driver, stats = load(handmade_records * 3, 100)
    person_rows = [row for tx in write_txs(driver) if tx.queries[0][0] == neo4j_store.MERGE_NODE_QUERIES["Person"]
                   for row in tx.queries[0][1]["rows"]]
    rows = build_rows(handmade_records)
    distinct_people = {row["key"] for row in rows["nodes"] if row["label"] == "Person"}
    # Each person is sent again only when its row changed (an alias met later), never as a copy.
    keys = [row["key"] for row in person_rows]
    assert set(keys) == distinct_people
    assert len(keys) < 3 * len(handmade_records)
    sent_twice = [row for i, row in enumerate(person_rows) if row in person_rows[:i]]
    assert sent_twice == []
    # Rows not sent still count: created + existing covers every row of every chunk.
    per_chunk_people = sum(len({r["key"] for r in build_rows([record])["nodes"] if r["label"] == "Person"})
                           for record in handmade_records * 3)
    assert stats["created Person"] + stats["existing Person"] == per_chunk_people


def test_written_rows_skip_only_rows_recorded_after_a_commit():
    written = neo4j_store.WrittenRows()
    row = {"key": "王强@甲区", "props": {"name": "王强"}, "aliases": None, "journalist": False}
    assert written.unsent("Person", [row]) == [row]  # nothing recorded until a commit is
    written.record("Person", [row])
    assert written.unsent("Person", [row]) == []
    changed = {**row, "aliases": ["小王"]}
    assert written.unsent("Person", [changed]) == [changed]
    event = {"key": "e1", "props": {}}
    written.record("Event", [event])
    assert written.unsent("Event", [event]) == [event]  # events are never skipped
