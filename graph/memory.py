"""The embedded store: a networkx MultiDiGraph, saved as versioned JSON.

Nodes have id ``"<Label>:<key>"`` (see ``rows.node_id``) and carry ``label`` plus the row's
properties (journalists also ``journalist=True``). Edges are keyed by relationship type, or
``HELD:<post>`` for posts, and carry ``type`` plus the row's properties.

File format (UTF-8 JSON, never pickle)::

    {"format": "officialgraph-graph", "version": 1,
     "nodes": [{"id": ..., "label": ..., ...properties}],
     "edges": [{"source": id, "target": id, "key": ..., "type": ..., ...properties}]}

Saving is atomic (temp file in the same folder, fsync, ``os.replace``); ``store_lock`` keeps two
writers of one graph file apart.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import networkx as nx

from officialgraph.errors import StoreError
from officialgraph.graph.model import ArticleRecord
from officialgraph.graph.rows import build_rows, cyclic_gc_paused, merge_node_props, merge_rel_props, node_id

FORMAT_NAME = "officialgraph-graph"
FORMAT_VERSION = 1
DEFAULT_GRAPH_FILE = "officialgraph.graph.json"
GRAPH_ENV = "OFFICIALGRAPH_GRAPH"
LOCK_WAIT_SECONDS = 5.0  # how long a second writer waits; $OFFICIALGRAPH_LOCK_WAIT overrides
LOCK_WAIT_ENV = "OFFICIALGRAPH_LOCK_WAIT"
BATCH_SIZE = 500  # records per build_rows batch: bounds the memory a stream of records needs


# Things derived from a graph (the queries' name index): dropped whenever apply_rows writes, and
# with the graph itself (weak keys), so a lookup never sees a graph older than the last load.
_DERIVED: "weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[str, Any]]" = weakref.WeakKeyDictionary()


def derived(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """A dict for caching what is computed from ``graph``; emptied by every ``apply_rows``."""
    cache = _DERIVED.get(graph)
    if cache is None:
        cache = _DERIVED[graph] = {}
    return cache


def default_graph_path() -> Path:
    return Path(os.environ.get(GRAPH_ENV) or DEFAULT_GRAPH_FILE)


def apply_rows(graph: nx.MultiDiGraph, rows: dict[str, list[dict[str, Any]]]) -> None:
    """MERGE the rows of ``rows.build_rows`` into ``graph``: nodes first, then relationships."""
    _DERIVED.pop(graph, None)
    for row in rows["nodes"]:
        nid = node_id(row["label"], row["key"])
        props = dict(row["props"])
        if "Journalist" in row["extra_labels"]:
            props["journalist"] = True
        if nid in graph:
            attrs = graph.nodes[nid]
            merged = merge_node_props({k: v for k, v in attrs.items() if k != "label"}, props)
            attrs.update(merged)
        else:
            graph.add_node(nid, label=row["label"], **props)
    for row in rows["relationships"]:
        u = node_id(row["start_label"], row["start"])
        v = node_id(row["end_label"], row["end"])
        key = row["merge_key"]
        if graph.has_edge(u, v, key):
            data = graph.edges[u, v, key]
            old = {k: val for k, val in data.items() if k != "type"}
            data.clear()
            data.update(type=row["type"], **merge_rel_props(row["type"], old, row["props"]))
        else:
            graph.add_edge(u, v, key=key, type=row["type"], **merge_rel_props(row["type"], {}, row["props"]))


def _batches(records: Iterable[ArticleRecord], size: int) -> Iterator[list[ArticleRecord]]:
    batch: list[ArticleRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class MemoryStore:
    """A graph in memory, optionally tied to a file."""

    kind = "memory"

    def __init__(self, graph: nx.MultiDiGraph | None = None, path: str | os.PathLike | None = None):
        self.graph = graph if graph is not None else nx.MultiDiGraph()
        self.path = Path(path) if path is not None else None

    # --- loading -------------------------------------------------------------------------
    def load_records(self, records: Iterable[ArticleRecord],
                     progress: Callable[[int], None] | None = None) -> dict[str, int]:
        """MERGE records into the graph; returns how many records were read."""
        count = 0
        with cyclic_gc_paused():  # the graph only grows here: nothing for the collector to find
            for batch in _batches(records, BATCH_SIZE):
                apply_rows(self.graph, build_rows(batch))
                count += len(batch)
                if progress:
                    progress(count)
        return {"records": count, **self.counts()}

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type (plus totals)."""
        out: dict[str, int] = {}
        for _, label in self.graph.nodes(data="label"):
            out[label] = out.get(label, 0) + 1
        for _, _, rel in self.graph.edges(data="type"):
            out[rel] = out.get(rel, 0) + 1
        out["nodes"] = self.graph.number_of_nodes()
        out["relationships"] = self.graph.number_of_edges()
        return out

    def execute(self, spec: Any, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Run a canned query (see ``officialgraph.queries``) on this graph."""
        # Paused for the same reason as in loading: right after a large graph is read, its
        # millions of objects are still young, and the collector's first passes would walk them
        # all (a second of a one-query CLI run on a 100,000-appearance graph).
        with cyclic_gc_paused():
            return spec.networkx(self.graph, **args)

    def close(self) -> None:
        """Nothing to release; present so callers can treat every store alike."""

    # --- files ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike, *, create: bool = False) -> "MemoryStore":
        path = Path(path)
        if not path.exists():
            if create:
                return cls(path=path)
            raise StoreError(f"no graph file at {path}; run `officialgraph build` or `load` first")
        return cls(read_graph(path), path=path)

    def save(self, path: str | os.PathLike | None = None) -> Path:
        target = Path(path) if path is not None else self.path
        if target is None:
            raise StoreError("no graph file to save to")
        write_graph(self.graph, target)
        return target


def graph_to_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "nodes": [{"id": n, **attrs} for n, attrs in graph.nodes(data=True)],
        "edges": [{"source": u, "target": v, "key": k, **attrs} for u, v, k, attrs in graph.edges(keys=True, data=True)],
    }


def data_to_graph(data: Any, source: str = "graph file") -> nx.MultiDiGraph:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise StoreError(f"{source} is not an officialgraph graph file")
    if data.get("version") != FORMAT_VERSION:
        raise StoreError(f"{source} has format version {data.get('version')}, this program reads {FORMAT_VERSION}")
    graph = nx.MultiDiGraph()
    try:
        for node in data["nodes"]:
            attrs = dict(node)
            graph.add_node(attrs.pop("id"), **attrs)
        for edge in data["edges"]:
            attrs = dict(edge)
            graph.add_edge(attrs.pop("source"), attrs.pop("target"), key=attrs.pop("key"), **attrs)
    except (KeyError, TypeError) as exc:
        raise StoreError(f"{source} is damaged: {exc!r}") from exc
    return graph


@cyclic_gc_paused()  # a decade's graph file is millions of small dicts and lists, none cyclic
def read_graph(path: str | os.PathLike) -> nx.MultiDiGraph:
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"cannot read graph file {path}: {exc}") from exc
    return data_to_graph(data, str(path))


def atomic_write_text(path: Path, write: Callable[[Any], None]) -> None:
    """Write through a temp file in the same folder, fsync, then rename over ``path``."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(path))  # mkstemp makes 0600; keep what a plain open() would give
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise StoreError(f"cannot write {path}: {exc}") from exc
        if isinstance(exc, UnicodeEncodeError):
            # A lone surrogate (from a JSON \ud800 escape) cannot be UTF-8; the old file stays.
            raise StoreError(f"cannot write {path}: a value holds a lone surrogate "
                             f"{exc.object[exc.start:exc.end]!a}, which UTF-8 cannot store") from exc
        raise


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_graph(graph: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    data = graph_to_data(graph)
    atomic_write_text(Path(path), lambda fh: json.dump(data, fh, ensure_ascii=False))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_wait() -> float:
    try:
        return float(os.environ.get(LOCK_WAIT_ENV) or LOCK_WAIT_SECONDS)
    except ValueError:
        raise StoreError(f"${LOCK_WAIT_ENV} must be a number of seconds") from None


@contextlib.contextmanager
def store_lock(path: str | os.PathLike, wait: float | None = None) -> Iterator[Path]:
    """Hold ``<graph file>.lock`` while writing; a second writer waits ``wait`` s, then refuses.

    A lock left by a process that no longer exists is taken over (a crashed build must not
    block the next one forever).
    """
    lock = Path(f"{path}.lock")
    deadline = time.monotonic() + (_lock_wait() if wait is None else wait)
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            try:
                pid = int(lock.read_text().strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if pid and not _pid_alive(pid):
                with contextlib.suppress(OSError):
                    lock.unlink()
                continue
            if time.monotonic() >= deadline:
                raise StoreError(f"graph file {path} is locked by another officialgraph process "
                                 f"(pid {pid or 'unknown'}); try again when it has finished, "
                                 f"or remove {lock} if no such process runs") from None
            time.sleep(0.1)
        except OSError as exc:
            raise StoreError(f"cannot lock {path}: {exc}") from exc
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield lock
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()
