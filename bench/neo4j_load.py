"""Benchmark of the Neo4j store: batched writer vs one row per transaction, and query latency on
both stores at >= 100,000 appearances. Prints numbers; it is not a test.

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... python bench/neo4j_load.py --wipe

The corpus is the real extractor's records for seeds/, copied until there are enough appearances:
each copy renames its people and journalists (a rotating pool of names, so people recur across
copies and the co-attendance graph stays connected), moves its dates, and gets its own page
hash. ``--wipe`` is required when the target database is not empty: this empties it.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlparse

import psutil

from officialgraph.errors import OfficialGraphError
from officialgraph.graph.memory import MemoryStore
from officialgraph.graph.model import ArticleRecord, Rel
from officialgraph.graph.neo4j_store import Neo4jStore
from officialgraph.queries import get_query, run_query
from officialgraph.queries.common import resolve_person

ROOT = Path(__file__).resolve().parent.parent

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "建国明华伟强军平红志新春海文林国光立世学德永晓东庆玉金俊峰亮宏智勇斌杰"
QUERIES = ("met-with", "timeline", "career", "path", "path-near", "top")
ANY_NODE = "MATCH (n) RETURN count(n) > 0 AS any"


# --- the corpus -----------------------------------------------------------------------------------

def pool_name(i: int) -> str:
    """A distinct plausible three-character name for every i < len(SURNAMES) * len(GIVEN) ** 2."""
    s, rest = i % len(SURNAMES), i // len(SURNAMES)
    return SURNAMES[s] + GIVEN[rest % len(GIVEN)] + GIVEN[rest // len(GIVEN) % len(GIVEN)]


def shift_date(value: str | None, days: int) -> str | None:
    try:
        return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat() if value else value
    except ValueError:  # month-day only and other partial dates stay as written
        return value


def copy_record(record: ArticleRecord, copy: int, rename: Callable[[str], str]) -> ArticleRecord:
    def evidence(text: str, names: dict[str, str]) -> str:
        for old, new in names.items():
            text = text.replace(old, new)
        return text

    events = []
    for event in record.events:
        names = {a.person: rename(a.person) for a in event.appearances}
        apps = tuple(dataclasses.replace(a, person=names[a.person], evidence=evidence(a.evidence, names))
                     for a in event.appearances)
        events.append(dataclasses.replace(event, appearances=apps, date=shift_date(event.date, copy)))
    page = hashlib.sha1(f"{record.page_hash}:{copy}".encode()).hexdigest()
    return dataclasses.replace(record, page_hash=page, source=f"copy{copy:05d}-{record.source}",
                               date=shift_date(record.date, copy), events=tuple(events),
                               reporters=tuple(rename(r) for r in record.reporters),
                               correspondents=tuple(rename(c) for c in record.correspondents))


def scaled_corpus(seeds: list[ArticleRecord], appearances: int, first_copy: int = 0,
                  pool: int = 4000) -> list[ArticleRecord]:
    """Copies of ``seeds`` until they hold at least ``appearances`` appearances."""
    people = sorted({a.person for r in seeds for e in r.events for a in e.appearances}
                    | {n for r in seeds for n in (*r.reporters, *r.correspondents)})
    index = {name: i for i, name in enumerate(people)}
    out: list[ArticleRecord] = []
    total, copy = 0, first_copy
    while total < appearances:
        # Each copy moves every seed person to another pool name; 97 is prime to the pool size
        # so a name meets different companions in different copies.
        shift = copy * 97

        def rename(name: str, shift: int = shift) -> str:
            return pool_name((index[name] + shift) % pool)

        for record in seeds:
            out.append(copy_record(record, copy, rename))
            total += sum(len(e.appearances) for e in record.events)
        copy += 1
    return out


def appearance_count(records: list[ArticleRecord]) -> int:
    return sum(len(e.appearances) for r in records for e in r.events)


# --- measuring ------------------------------------------------------------------------------------

def server_process(uri: str) -> psutil.Process | None:
    """The local process listening on the URI's port, if any (to count the server's CPU time)."""
    port = urlparse(uri).port or 7687
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
                return psutil.Process(conn.pid)
    except (psutil.Error, OSError):
        pass
    return None


class Clock:
    """Wall time, plus the CPU time the server and this process used: on a shared machine the
    wall time also counts waiting for a core."""

    def __init__(self, server: psutil.Process | None):
        self.server = server

    def _cpu(self, proc: psutil.Process | None) -> float:
        if proc is None:
            return float("nan")
        times = proc.cpu_times()
        return times.user + times.system

    def __call__(self, func: Callable[[], Any]) -> tuple[float, Any]:
        me = psutil.Process()
        server0, me0 = self._cpu(self.server), self._cpu(me)
        start = time.perf_counter()
        result = func()
        self.wall = time.perf_counter() - start
        self.server_cpu = self._cpu(self.server) - server0
        self.client_cpu = self._cpu(me) - me0
        return self.wall, result

    def cpu_note(self) -> str:
        return f"(server CPU {self.server_cpu:.1f} s, client CPU {self.client_cpu:.1f} s)"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def latency(store: Any, name: str, calls: list[dict[str, Any]]) -> dict[str, Any]:
    """Median and p95 of the calls; a named error (NoPath) is an answer and counts; a call that
    hits the time limit counts with the limit as its time (a lower bound)."""
    times, errors, timeouts = [], 0, 0
    for args in calls:
        start = time.perf_counter()
        try:
            run_query(store, name, **args)
        except OfficialGraphError as exc:
            if "time limit" in str(exc):
                timeouts += 1
            else:
                errors += 1
        times.append(time.perf_counter() - start)
    return {"median_ms": 1000 * statistics.median(times), "p95_ms": 1000 * percentile(times, 0.95),
            "calls": len(times), "errors": errors, "timeouts": timeouts}


def query_calls(memory: MemoryStore, samples: int, seed: int = 7) -> dict[str, list[dict[str, Any]]]:
    """Person arguments drawn from people with appearances (name and region, so no ambiguity)."""
    graph = memory.graph
    people = sorted((attrs["name"], attrs.get("region") or "") for n, attrs in graph.nodes(data=True)
                    if attrs.get("label") == "Person" and any(
                        d.get("type") == Rel.APPEARED_AT.value for _, _, d in graph.out_edges(n, data=True)))
    rng = random.Random(seed)
    picks = rng.sample(people, min(samples, len(people)))
    others = rng.sample(people, min(samples, len(people)))
    single = [{"person": name, "region": region} for name, region in picks]
    near = []
    for name, region in picks:  # a random walk of 1-5 co-attendance steps: pairs a chain can join
        here = resolve_person(graph, name, region)
        for _ in range(rng.randint(1, 5)):
            events = [e for _, e, t in graph.out_edges(here, data="type") if t == Rel.APPEARED_AT.value]
            people = [p for p, _, t in graph.in_edges(rng.choice(events), data="type")
                      if t == Rel.APPEARED_AT.value and p != here] if events else []
            here = rng.choice(people) if people else here
        far = graph.nodes[here]
        if (far["name"], far.get("region") or "") != (name, region):
            near.append({"person": name, "region": region, "other": far["name"],
                         "other_region": far.get("region") or ""})
    top = [{"by": by, "limit": 10} for by in ("appearances", "hosted", "central")] * 2
    return {
        "met-with": single,
        "timeline": single,
        "career": single,
        "path-near": near,
        "top": top,
        "path": [{"person": a, "region": ar, "other": b, "other_region": br}
                 for (a, ar), (b, br) in zip(picks, others)],
    }


def say(message: str) -> None:
    print(message, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appearances", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--one-row-sample", type=int, default=2000, help="appearances in the one-row sample")
    parser.add_argument("--warmup", type=int, default=20_000,
                        help="appearances of other records loaded and wiped first (0: measure a cold server)")
    parser.add_argument("--samples", type=int, default=30, help="calls per query and store")
    parser.add_argument("--wipe", action="store_true", help="empty the target database first")
    parser.add_argument("--query-timeout", type=float, default=20.0, help="seconds one Neo4j query may run")
    parser.add_argument("--skip-load", action="store_true",
                        help="query latency only, on a database the bench loaded before (same options)")
    opts = parser.parse_args(argv)

    from officialgraph.loaders.extract import extract_paths
    seeds = list(extract_paths([ROOT / "seeds"]))
    corpus = scaled_corpus(seeds, opts.appearances)
    copies = len(corpus) // len(seeds)
    sample = scaled_corpus(seeds, opts.one_row_sample, first_copy=copies + 1)
    warmup = scaled_corpus(seeds, opts.warmup, first_copy=copies + len(sample) // len(seeds) + 2) if opts.warmup else []
    say(f"corpus: {len(corpus)} records, {appearance_count(corpus)} appearances "
        f"({copies} renamed copies of {len(seeds)} seed records); one-row sample: "
        f"{len(sample)} records, {appearance_count(sample)} appearances")

    env = os.environ
    store = Neo4jStore(uri=env.get("NEO4J_URI"), user=env.get("NEO4J_USERNAME"), password=env.get("NEO4J_PASSWORD"),
                       database=env.get("NEO4J_DATABASE"), batch_size=opts.batch_size,
                       query_timeout=opts.query_timeout)
    timed = Clock(server_process(store.uri))
    say(f"load average now: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with store:
        if opts.skip_load:
            graph = store.to_networkx()
        else:
            graph = load_phase(store, corpus, sample, warmup, opts, timed)
            if graph is None:
                return 2
        mem_seconds, memory = timed(lambda: _memory(corpus + sample))
        say(f"memory store build of the same records: {mem_seconds:.1f} s")
        say(f"graphs equal (Neo4j read back vs memory): {_same(graph, memory.graph)}")
        query_phase(store, memory, opts)
    return 0


def load_phase(store: Neo4jStore, corpus: list[ArticleRecord], sample: list[ArticleRecord],
               warmup: list[ArticleRecord], opts: Any, timed: Clock) -> Any:
    """Batched load, one-row load of a fresh sample, second load; returns the graph read back."""
    if store.driver.execute_query(ANY_NODE, database_=store.database).records[0]["any"]:
        if not opts.wipe:
            say(f"database {store.database!r} at {store.uri} is not empty; pass --wipe to empty it")
            return None
        store.delete_all()
    if warmup:
        # A fresh server compiles its code paths (JIT) during the first load and spent twice the
        # CPU on it; both writers are measured warm, on an empty database.
        seconds, _ = timed(lambda: store.load_records(warmup))
        say(f"warm-up load of {len(warmup)} other records: {seconds:.1f} s {timed.cpu_note()}; wiped")
        store.delete_all()

    store.timings.clear()
    seconds, stats = timed(lambda: store.load_records(corpus))
    rows = _rows(stats)
    appeared, phase = stats[Rel.APPEARED_AT.value], store.timings[Rel.APPEARED_AT.value]
    say(f"batched writer (batch {opts.batch_size}): {seconds:.1f} s for {len(corpus)} records = "
        f"{len(corpus) / seconds:,.0f} records/s; {rows} rows = {rows / seconds:,.0f} rows/s {timed.cpu_note()}")
    say(f"  {appeared} APPEARED_AT: {appeared / seconds:,.0f}/s over the whole load, {appeared / phase:,.0f}/s "
        f"in their own batches ({phase:.1f} s) [bar: >= 20,000/s: {'met' if appeared / phase >= 20_000 else 'NOT met'}]")
    say("  rows/s per label and type in their own batches (rows built per chunk; a row this load had "
        "already written counts, though it is not sent again): " + ", ".join(
        f"{name} {(stats[f'created {name}'] + stats[f'existing {name}']) / took:,.0f}"
        for name, took in sorted(store.timings.items(), key=lambda kv: -kv[1])))

    store.timings.clear()
    one_seconds, one_stats = timed(lambda: store.load_records(sample, batch_size=1))
    one_rows = _rows(one_stats)
    one_appeared = one_stats["created APPEARED_AT"] + one_stats["existing APPEARED_AT"]
    one_phase = store.timings[Rel.APPEARED_AT.value]
    record_ratio = (len(corpus) / seconds) / (len(sample) / one_seconds)
    row_ratio = (rows / seconds) / (one_rows / one_seconds)
    appeared_ratio = (appeared / phase) / (one_appeared / one_phase)
    say(f"one row per transaction: {one_seconds:.1f} s for {len(sample)} records = "
        f"{len(sample) / one_seconds:,.1f} records/s; {one_rows} rows = {one_rows / one_seconds:,.0f} rows/s; "
        f"APPEARED_AT {one_appeared / one_phase:,.0f}/s in their own transactions {timed.cpu_note()}")
    say(f"  batched/one-row = {record_ratio:.0f}x for the load (records/s) "
        f"[bar: >= 50x: {'met' if record_ratio >= 50 else 'NOT met'}], {row_ratio:.0f}x for rows/s, "
        f"{appeared_ratio:.0f}x for APPEARED_AT in their own transactions")

    again_seconds, again = timed(lambda: store.load_records(corpus))
    say(f"second batched load of the corpus: {again_seconds:.1f} s, created {again['nodes created']} nodes "
        f"and {again['relationships created']} relationships {timed.cpu_note()}")

    read_seconds, graph = timed(store.to_networkx)
    say(f"read back to networkx: {read_seconds:.1f} s for {graph.number_of_nodes()} nodes, "
        f"{graph.number_of_edges()} edges {timed.cpu_note()}")
    return graph


def query_phase(store: Neo4jStore, memory: MemoryStore, opts: Any) -> None:
    calls = query_calls(memory, opts.samples)
    say(f"query latency over {opts.samples} calls each (ms; Neo4j time limit {opts.query_timeout} s):")
    say(f"  {'query':<10} {'store':<7} {'median':>9} {'p95':>9}  named errors (NoPath...), timeouts")
    for name in QUERIES:
        spec = get_query(name.removesuffix("-near"))
        for label, target in (("memory", memory), ("neo4j", store)):
            if label == "neo4j" and not spec.cypher:
                say(f"  {name:<10} {label:<7} (no CYPHER for this query yet)")
                continue
            result = latency(target, spec.name, calls[name])
            say(f"  {name:<10} {label:<7} {result['median_ms']:>9.1f} {result['p95_ms']:>9.1f}  "
                f"{result['errors']}/{result['calls']}, {result['timeouts']}")


def _rows(stats: dict[str, int]) -> int:
    return (stats["nodes created"] + stats["nodes existing"] + stats["relationships created"]
            + stats["relationships existing"])


def _memory(records: list[ArticleRecord]) -> MemoryStore:
    memory = MemoryStore()
    memory.load_records(records)
    return memory


def _same(a: Any, b: Any) -> bool:
    def frozen(graph: Any) -> tuple[set, set]:
        return ({(n, repr(sorted(d.items()))) for n, d in graph.nodes(data=True)},
                {(u, v, k, repr(sorted(d.items()))) for u, v, k, d in graph.edges(keys=True, data=True)})
    return frozen(a) == frozen(b)


if __name__ == "__main__":
    sys.exit(main())
