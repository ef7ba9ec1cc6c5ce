"""The Neo4j store: batched, idempotent ``UNWIND $rows AS row MERGE ...`` writes, canned queries,
and the whole graph read back into networkx.

Rows come from ``rows.build_rows`` (the same rows ``MemoryStore`` applies), and every write query
below implements the merge semantics documented there, so both stores hold the same graph:

* nodes: MERGE on ``(label, key)`` (a uniqueness constraint backs every key), ``SET n += props``,
  ``aliases`` a sorted union, journalists get the extra label;
* ``HELD``: MERGE on ``(person, organisation, post)``; events/dates/titles sorted unions,
  ``count`` = number of evidencing events, ``first_seen``/``last_seen`` = min/max date,
  ``title`` = first ever seen;
* every other relationship: MERGE on endpoints and type, ``SET r += props``.

Each batch is one managed write transaction (``session.execute_write``), so the driver retries
transient failures (deadlocks between two loaders, a leader switch). A load that dies half-way
leaves whole batches behind; running it again completes the graph, because every write is a
MERGE with the same keys and values.

Labels and relationship types are formatted into the Cypher constants once, at import, from the
enums in ``graph/model.py``; values only ever travel as parameters.
"""
from __future__ import annotations

import contextlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlparse

import networkx as nx
import neo4j
from neo4j import exceptions as neo4j_errors

from officialgraph.errors import StoreError
from officialgraph.graph.model import ArticleRecord, Label, Rel
from officialgraph.graph.rows import (HELD, JOURNALIST, ORGANIZATION, PART_OF, PERSON, TOPIC, build_rows,
                                      cyclic_gc_paused, node_id)

# The driver logs each retry as a warning; without a handler Python would print them on stderr,
# around the CLI's one-line error. Applications that configure logging still see them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
DEFAULT_BATCH_SIZE = 5000  # rows per write transaction
# Records turned into rows at once: bounds memory on long streams. Each chunk costs one transaction
# per label and type, and the small ones (topics, organisations, PART_OF: the same few rows in every
# chunk) are all commit overhead, so a chunk spans several full batches of appearances.
RECORD_CHUNK = 10000
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
START_HINT = "is it running? start it with scripts/neo4j-local start"

NODE_LABELS: tuple[Label, ...] = (Label.ARTICLE, Label.TOPIC, Label.ORGANIZATION, Label.PERSON, Label.EVENT)
NODE_LABEL_NAMES = frozenset(label.value for label in NODE_LABELS)
# Every relationship type joins fixed labels; the MATCH on both ends uses the key constraints.
REL_ENDPOINTS: dict[Rel, tuple[Label, Label]] = {
    Rel.REPORTED_IN: (Label.EVENT, Label.ARTICLE),
    Rel.ABOUT: (Label.EVENT, Label.TOPIC),
    Rel.WROTE: (Label.PERSON, Label.ARTICLE),
    Rel.PART_OF: (Label.ORGANIZATION, Label.ORGANIZATION),
    Rel.APPEARED_AT: (Label.PERSON, Label.EVENT),
    Rel.HELD: (Label.PERSON, Label.ORGANIZATION),
}

# --- schema -------------------------------------------------------------------------------------

KEY_CONSTRAINT = ("CREATE CONSTRAINT officialgraph_{name}_key IF NOT EXISTS "
                  "FOR (n:{label}) REQUIRE n.key IS UNIQUE")
KEY_CONSTRAINTS: dict[Label, str] = {
    label: KEY_CONSTRAINT.format(name=label.value.lower(), label=label.value) for label in NODE_LABELS
}
# Queries look people up by name; an index keeps that a seek at city-decade size.
PERSON_NAME_INDEX = (f"CREATE INDEX officialgraph_person_name IF NOT EXISTS "
                     f"FOR (n:{Label.PERSON.value}) ON (n.name)")

# --- writes -------------------------------------------------------------------------------------

# The properties each label's rows carry besides ``key`` (what ``rows.record_rows`` writes; a
# person's ``aliases`` are a union, set on their own). They are set one by one, for the reason
# given at ``REL_PROPERTIES``: ``SET n += row.props`` put an Eager before the SET.
NODE_PROPERTIES: dict[Label, tuple[str, ...]] = {
    Label.ARTICLE: ("source", "headline", "date", "date_precision", "page", "page_hash", "start", "end",
                    "region", "year_basis"),
    Label.TOPIC: ("name",),
    Label.ORGANIZATION: ("name", "kind", "region"),
    Label.PERSON: ("name", "region", "journalist"),
    Label.EVENT: ("name", "kind", "date", "date_precision", "location", "topics", "article", "source"),
}

# $rows: [{key, props (without key)}]
MERGE_NODES = """
UNWIND $rows AS row
MERGE (n:{label} {{key: row.key}})
{set}RETURN count(n) AS merged
"""
# People also collect aliases (a sorted union) and may be journalists. The union runs only when
# the row brings an alias the node lacks: reloads and alias-less people skip the sort.
# $rows: [{key, props (without key and aliases), aliases (list or null), journalist (bool)}]
MERGE_PERSONS = """
UNWIND $rows AS row
MERGE (n:{label} {{key: row.key}})
{set}WITH n, row
CALL (n, row) {{
  WITH n, row
  WHERE row.aliases IS NOT NULL AND (n.aliases IS NULL OR any(a IN row.aliases WHERE NOT a IN n.aliases))
  CALL (n, row) {{
    UNWIND coalesce(n.aliases, []) + row.aliases AS alias
    WITH DISTINCT alias ORDER BY alias
    RETURN collect(alias) AS aliases
  }}
  SET n.aliases = aliases
}}
FOREACH (_ IN CASE WHEN row.journalist THEN [1] ELSE [] END | SET n:{journalist})
RETURN count(n) AS merged
"""


def _set_properties(variable: str, names: tuple[str, ...]) -> str:
    """``SET v.x = coalesce(row.props.x, v.x), ...``: ``+=``'s meaning (a property the row lacks
    stays as it was) with every written property named."""
    if not names:
        return ""
    return "SET " + ", ".join(f"{variable}.`{n}` = coalesce(row.props.`{n}`, {variable}.`{n}`)"
                              for n in names) + "\n"


MERGE_NODE_QUERIES: dict[str, str] = {
    label.value: (MERGE_PERSONS if label is Label.PERSON else MERGE_NODES).format(
        label=label.value, journalist=Label.JOURNALIST.value, set=_set_properties("n", NODE_PROPERTIES[label]))
    for label in NODE_LABELS
}

# The properties each plain relationship type may carry (what ``rows.record_rows`` writes). They are
# set one by one: ``SET r += row.props`` could, as far as the planner knows, write ``key``, which the
# endpoint seeks read, so it put an Eager (every row of the batch materialised) before the SET.
# ``coalesce(row.props.x, r.x)`` keeps ``+=``'s meaning: a property the row lacks stays as it was.
REL_PROPERTIES: dict[Rel, tuple[str, ...]] = {
    Rel.REPORTED_IN: (),
    Rel.ABOUT: (),
    Rel.WROTE: ("as",),
    Rel.PART_OF: (),
    Rel.APPEARED_AT: ("roles", "titles", "organizations", "order", "evidence", "evidence_start", "evidence_end"),
}

# $rows: [{start, end, props}]
MERGE_RELATIONSHIPS = """
UNWIND $rows AS row
MATCH (a:{start} {{key: row.start}})
MATCH (b:{end} {{key: row.end}})
MERGE (a)-[r:{type}]->(b)
{set}RETURN count(r) AS merged
"""


ALLOWED_PROPERTIES: dict[str, frozenset[str]] = {rel.value: frozenset(names) for rel, names in REL_PROPERTIES.items()}
NODE_ALLOWED: dict[str, frozenset[str]] = {label.value: frozenset(names) for label, names in NODE_PROPERTIES.items()}
ENDPOINT_LABELS: dict[str, tuple[str, str]] = {
    rel.value: (start.value, end.value) for rel, (start, end) in REL_ENDPOINTS.items()
}


# A new post takes the row as it is (build_rows already sorted and de-duplicated it); an existing
# one is unioned only when the row brings an event, date or title it lacks.
# $rows: [{start, end, post, title, titles, events, dates}]
MERGE_HELD = """
UNWIND $rows AS row
MATCH (a:{start} {{key: row.start}})
MATCH (b:{end} {{key: row.end}})
MERGE (a)-[r:{type} {{post: row.post}}]->(b)
ON CREATE SET r.title = row.title, r.titles = row.titles, r.events = row.events, r.dates = row.dates,
              r.count = size(row.events), r.first_seen = row.dates[0], r.last_seen = row.dates[-1]
ON MATCH SET r.title = coalesce(r.title, row.title)
WITH r, row
CALL (r, row) {{
  WITH r, row
  WHERE any(x IN row.events WHERE NOT x IN r.events) OR any(x IN row.dates WHERE NOT x IN r.dates)
     OR any(x IN row.titles WHERE NOT x IN r.titles)
  CALL (r, row) {{
    UNWIND r.events + row.events AS event
    WITH DISTINCT event ORDER BY event
    RETURN collect(event) AS events
  }}
  CALL (r, row) {{
    UNWIND r.dates + row.dates AS date
    WITH DISTINCT date ORDER BY date
    RETURN collect(date) AS dates
  }}
  CALL (r, row) {{
    UNWIND r.titles + row.titles AS title
    WITH DISTINCT title ORDER BY title
    RETURN collect(title) AS titles
  }}
  SET r.titles = titles, r.events = events, r.dates = dates,
      r.count = size(events), r.first_seen = dates[0], r.last_seen = dates[-1]
}}
RETURN count(r) AS merged
"""


def _rel_query(rel: Rel) -> str:
    start, end = REL_ENDPOINTS[rel]
    if rel is Rel.HELD:
        return MERGE_HELD.format(start=start.value, end=end.value, type=rel.value)
    return MERGE_RELATIONSHIPS.format(start=start.value, end=end.value, type=rel.value,
                                      set=_set_properties("r", REL_PROPERTIES[rel]))


MERGE_REL_QUERIES: dict[str, str] = {rel.value: _rel_query(rel) for rel in REL_ENDPOINTS}

# Relationships first, in bounded transactions: DETACH DELETE of a node with a hundred thousand
# relationships (a journalist in a decade of papers) would exceed the server's memory pool.
# CALL ... IN TRANSACTIONS needs an auto-commit transaction (session.run), not a managed one.
DELETE_ALL = ("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS",
              "MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS")

# --- reads --------------------------------------------------------------------------------------

PING = "RETURN 1 AS ok"
COUNT_LABEL: dict[str, str] = {
    label.value: f"MATCH (n:{label.value}) RETURN count(n) AS n" for label in NODE_LABELS
}
COUNT_TYPE: dict[str, str] = {
    rel.value: f"MATCH ()-[r:{rel.value}]->() RETURN count(r) AS n" for rel in REL_ENDPOINTS
}
PAGE_HASHES = f"MATCH (a:{Label.ARTICLE.value}) WHERE a.page_hash IS NOT NULL RETURN DISTINCT a.page_hash AS page_hash"
_LABEL_TEST = " OR ".join(f"n:{label.value}" for label in NODE_LABELS)
_TYPE_ALTERNATIVES = "|".join(rel.value for rel in REL_ENDPOINTS)
# Every node with its outgoing relationships packed into one list: a record per node, not one
# per relationship too (the driver's cost is per record: 100,000 appearances read back in a
# third of the time). The subquery streams: no relationship list longer than one node's.
READ_GRAPH = f"""
MATCH (n) WHERE {_LABEL_TEST}
CALL (n) {{
  MATCH (n)-[r:{_TYPE_ALTERNATIVES}]->(b)
  RETURN collect([type(r), labels(b), b.key, properties(r)]) AS out
}}
RETURN labels(n) AS labels, properties(n) AS props, out
"""


# --- pure helpers (unit-tested with a fake driver) ------------------------------------------------

def node_params(row: dict[str, Any]) -> dict[str, Any]:
    """One node row as the ``$rows`` entry of ``MERGE_PERSONS`` or ``MERGE_NODES``."""
    props = {k: v for k, v in row["props"].items() if k != "key"}  # the MERGE sets the key
    if row["label"] != PERSON:
        if row["extra_labels"]:
            raise StoreError(f"{row['label']} rows with extra labels are not supported")
        _check_properties(row["label"], props, NODE_ALLOWED[row["label"]])
        return {"key": row["key"], "props": props}
    aliases = props.pop("aliases", None)
    _check_properties(row["label"], props, NODE_ALLOWED[PERSON])
    return {"key": row["key"], "props": props, "aliases": aliases,
            "journalist": JOURNALIST in row["extra_labels"]}


def _check_properties(name: str, props: dict[str, Any], allowed: frozenset[str]) -> None:
    # The MERGE sets only the declared properties: refuse rather than drop any.
    if not allowed.issuperset(props):
        raise StoreError(f"{name} rows with properties {sorted(set(props) - allowed)} are not supported")


def rel_params(row: dict[str, Any]) -> dict[str, Any]:
    """One relationship row as the ``$rows`` entry of its MERGE query."""
    if row["type"] == HELD:
        props = row["props"]
        return {"start": row["start"], "end": row["end"], "post": props["post"], "title": props.get("title"),
                "titles": props.get("titles") or [], "events": props.get("events") or [],
                "dates": props.get("dates") or []}
    _check_properties(row["type"], row["props"], ALLOWED_PROPERTIES[row["type"]])
    return {"start": row["start"], "end": row["end"], "props": row["props"]}


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _record_chunks(records: Iterable[ArticleRecord], size: int) -> Iterator[list[ArticleRecord]]:
    chunk: list[ArticleRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


Plan = list[tuple[str, str, str, list[dict[str, Any]]]]


def _next_plan(chunks: Iterator[list[ArticleRecord]], batch_size: int) -> tuple[int, Plan] | None:
    """Read the next chunk of records and plan its transactions; None at the end."""
    with cyclic_gc_paused():  # reading records allocates as much as building rows
        chunk = next(chunks, None)
        if chunk is None:
            return None
        return len(chunk), list(write_plan(build_rows(chunk), batch_size))


def planned_chunks(records: Iterable[ArticleRecord], batch_size: int) -> Iterator[tuple[int, Plan]]:
    """(records in the chunk, its transactions) for each ``RECORD_CHUNK`` of ``records``.

    Pipelined: while the caller writes one chunk (its thread waiting on the server), a worker
    thread reads and plans the next, so the client's work overlaps the server's instead of
    alternating with it. Only the worker touches ``records``; an error there (a bad line in a
    JSON Lines file) reaches the caller when it asks for that chunk, after every earlier chunk
    is written.
    """
    chunks = _record_chunks(records, RECORD_CHUNK)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="officialgraph-plan") as worker:
        upcoming = worker.submit(_next_plan, chunks, batch_size)
        try:
            while (planned := upcoming.result()) is not None:
                upcoming = worker.submit(_next_plan, chunks, batch_size)
                yield planned
        finally:
            upcoming.cancel()


def write_plan(rows: dict[str, list[dict[str, Any]]], batch_size: int) -> Iterator[tuple[str, str, str, list[dict[str, Any]]]]:
    """(``"node"``/``"rel"``, label or type, query, parameter rows) per transaction: every node
    batch before any relationship batch, rows sorted by key so two concurrent loaders take their
    locks in the same order (fewer deadlocks to retry)."""
    by_label: dict[str, list[dict[str, Any]]] = {}
    for row in rows["nodes"]:
        if row["label"] not in MERGE_NODE_QUERIES:
            raise StoreError(f"the neo4j store has no node label {row['label']!r}")
        by_label.setdefault(row["label"], []).append(row)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for row in rows["relationships"]:
        endpoints = ENDPOINT_LABELS.get(row["type"])
        if endpoints is None or (row["start_label"], row["end_label"]) != endpoints:
            raise StoreError(f"{row['type']} from {row['start_label']} to {row['end_label']} is not in the model")
        by_type.setdefault(row["type"], []).append(row)
    for label in NODE_LABELS:
        group = sorted(by_label.get(label.value, ()), key=itemgetter("key"))
        for batch in chunks(group, batch_size):
            yield "node", label.value, MERGE_NODE_QUERIES[label.value], [node_params(r) for r in batch]
    for rel in REL_ENDPOINTS:
        group = sorted(by_type.get(rel.value, ()), key=itemgetter("start", "end", "merge_key"))
        for batch in chunks(group, batch_size):
            yield "rel", rel.value, MERGE_REL_QUERIES[rel.value], [rel_params(r) for r in batch]


class WrittenRows:
    """The rows of the labels and types that recur in every chunk (people, organisations,
    topics, PART_OF), as last committed by this load. A row equal to the one already committed
    under its key would MERGE to no change: it is counted as existing and not sent again. (Events,
    articles and the other relationships are new in each chunk, and HELD rows carry new events.)"""

    RECURRING = frozenset({PERSON, ORGANIZATION, TOPIC, PART_OF})

    def __init__(self) -> None:
        self.rows: dict[tuple[str, ...], dict[str, Any]] = {}

    @staticmethod
    def _key(name: str, row: dict[str, Any]) -> tuple[str, ...]:
        return (name, row["key"]) if "key" in row else (name, row["start"], row["end"])

    def unsent(self, name: str, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if name not in self.RECURRING:
            return batch
        return [row for row in batch if self.rows.get(self._key(name, row)) != row]

    def record(self, name: str, batch: list[dict[str, Any]]) -> None:
        """Call once ``batch`` is committed."""
        if name in self.RECURRING:
            self.rows.update((self._key(name, row), row) for row in batch)


def _write_batch(tx: Any, query: str, batch: list[dict[str, Any]]) -> tuple[int, int]:
    """One transaction: (rows merged, of which created). Counters come from the server."""
    result = tx.run(query, rows=batch)
    record = result.single(strict=True)
    counters = result.consume().counters
    return record["merged"], counters.nodes_created + counters.relationships_created


def edge_key(rel_type: str, props: dict[str, Any]) -> str:
    """The MultiDiGraph edge key ``MemoryStore`` uses: ``HELD:<post>`` or the type."""
    if rel_type == HELD:
        return f"{rel_type}:{props.get('post')}"
    return rel_type


def primary_label(labels: Iterable[str]) -> str:
    for label in labels:
        if label in NODE_LABEL_NAMES:
            return label
    raise StoreError(f"node with labels {sorted(labels)} is not part of the graph model")


# --- the store ----------------------------------------------------------------------------------

class Neo4jStore:
    """A Neo4j 5 database as an officialgraph store (same interface as ``MemoryStore``)."""

    kind = "neo4j"

    def __init__(self, uri: str | None = None, user: str | None = None, password: str | None = None,
                 database: str | None = None, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 max_retry_time: float = 30.0, query_timeout: float | None = None, driver: Any = None):
        self.uri = uri or DEFAULT_URI
        self.user = user or DEFAULT_USER
        self.database = database or DEFAULT_DATABASE
        self.batch_size = _check_batch_size(batch_size)
        self._schema_ready = False
        self.timings: dict[str, float] = {}  # seconds spent writing each label/type (benchmarks)
        self.query_timeout = query_timeout  # seconds a canned query may run on the server; None: no limit
        if driver is not None:  # tests hand in a fake driver
            self.driver = driver
            return
        if not password:
            raise StoreError(f"no password for Neo4j at {self.uri}: set NEO4J_PASSWORD or pass --password")
        scheme = urlparse(self.uri).scheme
        if scheme not in URI_SCHEMES:
            raise StoreError(f"Neo4j URI {self.uri!r} must start with one of "
                             f"{', '.join(s + '://' for s in URI_SCHEMES)}")
        try:
            self.driver = neo4j.GraphDatabase.driver(self.uri, auth=(self.user, password),
                                                     max_transaction_retry_time=max_retry_time,
                                                     connection_timeout=10.0)
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise StoreError(f"bad Neo4j settings for {self.uri}: {exc}") from exc
        try:
            # Auto-commit on purpose: fail at once (no retries) when the server is not there.
            with self._errors("connecting"), self.driver.session(database=self.database) as session:
                session.run(PING).consume()
        except StoreError:
            self.driver.close()
            raise

    # --- errors ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Driver errors -> one ``StoreError`` line that names the server and what to do."""
        try:
            yield
        except neo4j_errors.AuthError as exc:
            raise StoreError(f"Neo4j at {self.uri} refused user {self.user!r}: wrong password? "
                             f"set NEO4J_USERNAME/NEO4J_PASSWORD or pass --user/--password") from exc
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
            if doing == "connecting":
                raise StoreError(f"cannot reach Neo4j at {self.uri}: {START_HINT}") from exc
            raise StoreError(f"lost Neo4j at {self.uri} while {doing}: {START_HINT}; batches already "
                             f"written stay, and running the same load again completes the graph") from exc
        except neo4j_errors.Neo4jError as exc:
            code = exc.code or ""
            if "TransactionTimedOut" in code:
                raise StoreError(f"Neo4j at {self.uri} stopped {doing} after the {self.query_timeout} s "
                                 f"time limit") from exc
            if code.endswith("DatabaseNotFound"):
                raise StoreError(f"Neo4j at {self.uri} has no database {self.database!r}: set NEO4J_DATABASE "
                                 f"or pass --database (Community edition has only 'neo4j')") from exc
            raise StoreError(f"Neo4j at {self.uri} failed while {doing}: {exc.message or code}") from exc
        except neo4j_errors.DriverError as exc:
            raise StoreError(f"Neo4j driver error at {self.uri} while {doing}: {exc}") from exc

    # --- writing ---------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Key constraints (and the name index) exist before the first MERGE."""
        if self._schema_ready:
            return
        with self._errors("creating constraints"), self.driver.session(database=self.database) as session:
            for query in (*KEY_CONSTRAINTS.values(), PERSON_NAME_INDEX):
                try:
                    session.execute_write(_run_schema, query)
                except neo4j_errors.ClientError as exc:
                    # Two loaders creating the same constraint at once: the loser may be told so.
                    if "AlreadyExists" not in (exc.code or "") and "EquivalentSchemaRule" not in (exc.code or ""):
                        raise
        self._schema_ready = True

    def load_records(self, records: Iterable[ArticleRecord], progress: Callable[[int], None] | None = None,
                     *, batch_size: int | None = None) -> dict[str, int]:
        """MERGE records into the database in batches; returns the records read, the graph's
        counts afterwards, and per label/type how many were created and how many already there."""
        size = _check_batch_size(batch_size) if batch_size is not None else self.batch_size
        self.ensure_schema()
        created: dict[str, int] = {}
        existing: dict[str, int] = {}
        count = 0
        written = WrittenRows()
        with self._errors("loading"), self.driver.session(database=self.database) as session:
            for records_in_chunk, plan in planned_chunks(records, size):
                for _, name, query, batch in plan:
                    fresh = written.unsent(name, batch)
                    existing[name] = existing.get(name, 0) + len(batch) - len(fresh)
                    if not fresh:
                        continue
                    started = time.perf_counter()
                    merged, made = session.execute_write(_write_batch, query, fresh)
                    self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started
                    if merged != len(fresh):
                        raise StoreError(f"{name}: {len(fresh) - merged} of {len(fresh)} rows had no "
                                         f"endpoint in Neo4j at {self.uri}")
                    written.record(name, fresh)
                    created[name] = created.get(name, 0) + made
                    existing[name] = existing.get(name, 0) + merged - made
                count += records_in_chunk
                if progress:
                    progress(count)
        return {"records": count, **self.counts(), **load_summary(created, existing)}

    def delete_all(self) -> None:
        """Delete every node and relationship of the database (constraints and indexes stay)."""
        with self._errors("deleting the graph"), self.driver.session(database=self.database) as session:
            for query in DELETE_ALL:
                session.run(query).consume()

    # --- reading ---------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type (plus totals), like ``MemoryStore.counts``."""
        out: dict[str, int] = {}
        with self._errors("counting"), self.driver.session(database=self.database) as session:
            labels = {name: session.execute_read(_single_value, q) for name, q in COUNT_LABEL.items()}
            types = {name: session.execute_read(_single_value, q) for name, q in COUNT_TYPE.items()}
        out.update({k: v for k, v in labels.items() if v})
        out.update({k: v for k, v in types.items() if v})
        out["nodes"] = sum(labels.values())
        out["relationships"] = sum(types.values())
        return out

    def execute(self, spec: Any, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Run a canned query's ``CYPHER`` (through ``queries.cypher.execute``, which checks the
        arguments and resolves names exactly as the networkx twin does). The name lookup and the
        query share one read transaction: one round of BEGIN/COMMIT instead of two."""
        from officialgraph.queries.cypher import execute as execute_cypher
        if not spec.cypher:
            raise StoreError(f"query {spec.name} has no Cypher yet; run it on the embedded store "
                             f"(--store memory)")

        def work(tx: Any) -> list[dict[str, Any]]:
            # Same argument checks, named errors and post-processing as the networkx twin.
            return execute_cypher(spec, args, lambda query, params: _rows(tx, query, params))

        if self.query_timeout:
            work = neo4j.unit_of_work(timeout=self.query_timeout)(work)
        with (self._errors(f"running query {spec.name}"), cyclic_gc_paused(),
              self.driver.session(database=self.database) as session):
            return session.execute_read(work)

    def page_hashes(self) -> set[str]:
        """Content hashes of the pages already loaded (what ``build --resume`` skips)."""
        with self._errors("listing pages"), self.driver.session(database=self.database) as session:
            return {row["page_hash"] for row in session.execute_read(_rows, PAGE_HASHES, {})}

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph with ``MemoryStore``'s node ids, edge keys and attributes."""
        with self._errors("reading the graph"), self.driver.session(database=self.database) as session:
            with cyclic_gc_paused():
                nodes = session.execute_read(_rows, READ_GRAPH, {})
        return _graph_of(nodes)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> "Neo4jStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def load_summary(created: dict[str, int], existing: dict[str, int]) -> dict[str, int]:
    """``nodes created``/``nodes existing`` totals, then ``created <name>``/``existing <name>``."""
    out = {
        "nodes created": sum(v for k, v in created.items() if k in NODE_LABEL_NAMES),
        "nodes existing": sum(v for k, v in existing.items() if k in NODE_LABEL_NAMES),
        "relationships created": sum(v for k, v in created.items() if k not in NODE_LABEL_NAMES),
        "relationships existing": sum(v for k, v in existing.items() if k not in NODE_LABEL_NAMES),
    }
    for name in created:
        out[f"created {name}"] = created[name]
        out[f"existing {name}"] = existing[name]
    return out


@cyclic_gc_paused()  # millions of small dicts, no cycles
def _graph_of(nodes: list[dict[str, Any]]) -> nx.MultiDiGraph:
    """The graph of ``READ_GRAPH``'s rows: every node first (in the order read), then the edges."""
    graph = nx.MultiDiGraph()
    edges = []
    for node in nodes:
        label = primary_label(node["labels"])
        u = node_id(label, node["props"]["key"])
        graph.add_node(u, label=label, **node["props"])
        edges.extend((u, rel) for rel in node["out"])
    for u, (rel_type, end_labels, end, props) in edges:
        v = node_id(primary_label(end_labels), end)
        graph.add_edge(u, v, key=edge_key(rel_type, props), type=rel_type, **props)
    return graph


def _check_batch_size(size: Any) -> int:
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise StoreError(f"batch size must be a positive integer, not {size!r}")
    return size


def _run_schema(tx: Any, query: str) -> None:
    tx.run(query).consume()


def _single_value(tx: Any, query: str) -> int:
    return tx.run(query).single(strict=True)["n"]


def _rows(tx: Any, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    # dict(record), not record.data(): every query returns scalars and lists only, and data()
    # walks each value looking for nodes to convert (a third of a long timeline's time).
    return [dict(record) for record in tx.run(query, params)]

