"""A city's decade (or as much as there is): embedded store build, Neo4j loads, query latency.

    python bench/decade.py RECORDS.jsonl...            # embedded store only
    python bench/decade.py RECORDS.jsonl... --neo4j    # also a batched load and a neo4j-admin import

RECORDS come from `officialgraph extract` (e.g. over `officialgraph synth --years 10` pages).
Prints numbers; it is not a test.

* embedded: time to MERGE the records into a MemoryStore, peak RSS of this process, save time;
* queries: median / p95 latency of met-with, timeline and career for sampled people (the most
  active ones and a random sample), path between sampled pairs, and top (appearances, hosted);
* --neo4j: two throwaway Neo4j homes (own data and ports; the jars of the shared home via a
  symlink, started by scripts/neo4j-local; the shared server is never touched): one loaded by
  the batched writer (APPEARED_AT/s), one by `neo4j-admin database import full` of the CSV
  export (export, import and finish times); the same query latencies on the loaded one, and
  the two databases' counts compared.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

from officialgraph.graph.admin_import import export_admin_csv, finish_import, import_arguments
from officialgraph.graph.memory import MemoryStore, write_graph
from officialgraph.loaders.records import read_records
from officialgraph.queries import run_query

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "neo4j-local"
SHARED_HOME = Path(os.environ.get("OFFICIALGRAPH_NEO4J_HOME") or Path.home() / ".cache/officialgraph/neo4j-5.26")
PASSWORD = "bench-throwaway"
# A decade's store is about 1.5 GB: Neo4j's advice is a page cache that holds it. With 512 MB
# (scripts/neo4j-local's default, sized for tests) most reads of a busy person miss the cache.
PAGECACHE = os.environ.get("OFFICIALGRAPH_NEO4J_PAGECACHE") or "2g"
# Touches every APPEARED_AT, event and person record once, so queries run on a warm page cache
# (as on a server in use) without favouring the sampled people.
WARM_PAGE_CACHE = ("MATCH (p:Person)-[a:APPEARED_AT]->(e:Event) "
                   "RETURN count(a.evidence) + count(e.date) + count(p.name) AS n")


def records(paths: list[str]) -> Iterator[Any]:
    for path in paths:
        yield from read_records(path)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sample_people(store: MemoryStore, n: int, seed: int) -> list[tuple[str, str]]:
    """The most active people and a random sample of the others: (name, region)."""
    people = [(a["name"], a.get("region") or "", store.graph.out_degree(node))
              for node, a in store.graph.nodes(data=True) if a.get("label") == "Person" and not a.get("journalist")]
    people.sort(key=lambda p: -p[2])
    top = people[: n // 2]
    rest = random.Random(seed).sample(people[n // 2:], min(n - len(top), max(0, len(people) - n // 2)))
    return [(name, region) for name, region, _ in top + rest]


def timed(store: Any, name: str, **args: Any) -> float:
    start = time.perf_counter()
    run_query(store, name, **args)
    return (time.perf_counter() - start) * 1000


def latencies(store: Any, people: list[tuple[str, str]], seed: int) -> dict[str, list[float]]:
    """Timed after one untimed pass over a few people (a fresh server plans and JITs first)."""
    _measure(store, people[:5], seed)
    return _measure(store, people, seed)


def _measure(store: Any, people: list[tuple[str, str]], seed: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"met-with": [], "timeline": [], "career": [], "path": [], "top": []}
    for name, region in people:
        kw = {"region": region} if region else {}
        out["met-with"].append(timed(store, "met-with", person=name, **kw))
        out["timeline"].append(timed(store, "timeline", person=name, **kw))
        out["career"].append(timed(store, "career", person=name, **kw))
    rng = random.Random(seed)
    from officialgraph.errors import NoPath
    for _ in range(len(people)):
        (a, ra), (b, rb) = rng.sample(people, 2)
        began = time.perf_counter()
        try:  # a pair with no chain between them is answered too (NoPath): timed alike
            run_query(store, "path", person=a, other=b,
                      **({"region": ra} if ra else {}), **({"other_region": rb} if rb else {}))
        except NoPath:
            pass
        out["path"].append((time.perf_counter() - began) * 1000)
    for by in ("appearances", "hosted"):
        for _ in range(5):
            out["top"].append(timed(store, "top", by=by))
    return out


def report_latencies(title: str, lat: dict[str, list[float]]) -> None:
    print(f"{title}: query latency in ms (median / p95 / n)")
    for name, values in lat.items():
        if values:
            values = sorted(values)
            p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
            print(f"  {name:<10} {statistics.median(values):8.1f} {p95:8.1f}  n={len(values)}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def throwaway_neo4j(folder: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A Neo4j home of its own (lib/ -> the shared jars); stopped at the end."""
    home = folder / "home"
    (home / "conf").mkdir(parents=True)
    (home / "lib").symlink_to((SHARED_HOME / "lib").resolve())
    env = {**os.environ, "OFFICIALGRAPH_NEO4J_HOME": str(home), "NEO4J_PASSWORD": PASSWORD,
           "OFFICIALGRAPH_NEO4J_BOLT_PORT": str(_free_port()), "OFFICIALGRAPH_NEO4J_HTTP_PORT": str(_free_port()),
           "OFFICIALGRAPH_NEO4J_HEAP": "2g", "OFFICIALGRAPH_NEO4J_PAGECACHE": PAGECACHE}
    try:
        yield home, env
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=600)


def start(env: dict[str, str]) -> Any:
    from officialgraph.graph.neo4j_store import Neo4jStore
    subprocess.run([str(SCRIPT), "start"], env=env, check=True, capture_output=True, timeout=900)
    return Neo4jStore(uri=f"bolt://127.0.0.1:{env['OFFICIALGRAPH_NEO4J_BOLT_PORT']}", password=PASSWORD)


def bench_neo4j(paths: list[str], memory: MemoryStore, people: list[tuple[str, str]], seed: int, tmp: Path) -> None:
    appeared = memory.counts().get("APPEARED_AT", 0)
    with throwaway_neo4j(tmp / "batched") as (_, env):
        store = start(env)
        began = time.perf_counter()
        stats = store.load_records(records(paths))
        took = time.perf_counter() - began
        own = store.timings.get("APPEARED_AT", float("nan"))
        print(f"neo4j batched writer: {stats['records']} records in {took:.1f} s, "
              f"{appeared / took:,.0f} APPEARED_AT/s over the whole load, {appeared / own:,.0f}/s in their own "
              f"batches ({appeared} APPEARED_AT)")
        loaded_counts = store.counts()
        began = time.perf_counter()
        store.driver.execute_query(WARM_PAGE_CACHE, database_=store.database)
        print(f"neo4j: page cache ({env['OFFICIALGRAPH_NEO4J_PAGECACHE']}) warmed by one scan in "
              f"{time.perf_counter() - began:.1f} s")
        report_latencies("neo4j (batched load)", latencies(store, people, seed))
        store.close()
    with throwaway_neo4j(tmp / "admin") as (home, env):
        out = tmp / "csv"
        began = time.perf_counter()
        export_admin_csv(memory.graph, out)
        exported = time.perf_counter() - began
        began = time.perf_counter()
        subprocess.run(["java", "-cp", f"{home / 'lib'}/*", "org.neo4j.server.startup.Neo4jAdminCommand",
                        *import_arguments(out)], check=True, capture_output=True, timeout=3600, cwd=tmp,
                       env={k: v for k, v in env.items() if k not in ("HEAP_SIZE", "JAVA_OPTS")}
                       | {"NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")})
        imported = time.perf_counter() - began
        store = start(env)
        began = time.perf_counter()
        finish_import(store, out)
        finished = time.perf_counter() - began
        size = sum(f.stat().st_size for f in out.glob("*.csv")) / 1e6
        print(f"neo4j-admin: export {exported:.1f} s ({size:.0f} MB CSV), import {imported:.1f} s, "
              f"finish (constraints, empty lists) {finished:.1f} s; "
              f"counts equal to the batched load: {store.counts() == loaded_counts}")
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("records", nargs="+", help="JSON Lines from `officialgraph extract`")
    parser.add_argument("--people", type=int, default=40, help="people sampled for the queries")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--neo4j", action="store_true", help="also load and import into throwaway Neo4j homes")
    args = parser.parse_args()
    before = peak_rss_mb()
    memory = MemoryStore()
    began = time.perf_counter()
    stats = memory.load_records(records(args.records))
    took = time.perf_counter() - began
    print(f"embedded: {stats['records']} records -> {stats['nodes']} nodes, {stats['relationships']} relationships "
          f"({stats.get('APPEARED_AT', 0)} APPEARED_AT) in {took:.1f} s; peak RSS {peak_rss_mb():.0f} MB "
          f"(before loading {before:.0f} MB)")
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        write_graph(memory.graph, Path(tmp) / "g.json")
        size = (Path(tmp) / "g.json").stat().st_size / 1e6
        print(f"embedded: save {time.perf_counter() - began:.1f} s ({size:.0f} MB graph file); "
              f"peak RSS {peak_rss_mb():.0f} MB")
        people = sample_people(memory, args.people, args.seed)
        report_latencies("embedded", latencies(memory, people, args.seed))
        if args.neo4j:
            if shutil.which("java") is None:
                sys.exit("--neo4j needs java and the jars of scripts/neo4j-local")
            bench_neo4j(args.records, memory, people, args.seed, Path(tmp))


if __name__ == "__main__":
    main()
