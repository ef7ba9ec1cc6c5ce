"""Faults while writing: a save killed with SIGKILL at several points leaves the old graph or the
new one, never a broken file; two builds on one graph file never interleave; an unreachable or
misconfigured Neo4j and bad input are one line on stderr and exit code 1, never a traceback.

Every test here runs the real ``officialgraph`` command or a real child process.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from officialgraph.graph.memory import read_graph

COUNTS: Counter = Counter()  # read by bench/robustness.py

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BIG_NODES = 200_000
OLD_NODES = 1_000


def officialgraph(*args, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """The installed command in a child process, as a user would run it."""
    command = [sys.executable, "-m", "officialgraph.cli", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=ROOT)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def snapshot(path: Path) -> tuple[dict, dict]:
    graph = read_graph(path)
    return (dict(graph.nodes(data=True)),
            {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)})


# --- (1) SIGKILL in the middle of a save --------------------------------------------------------

# The child builds a graph of n Person nodes, each tagged with its version, says "ready", then
# saves it through MemoryStore.save (atomic_write_text underneath).
SAVER = textwrap.dedent("""
    import sys
    import networkx as nx
    from officialgraph.graph.memory import MemoryStore
    from officialgraph.graph.model import person_key
    path, n, version = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    graph = nx.MultiDiGraph()
    for i in range(n):
        key = person_key(f"人{i}", "甲区")
        graph.add_node(f"Person:{key}", label="Person", key=key, name=f"人{i}", region="甲区",
                       version=version, aliases=[])
    print("ready", flush=True)
    MemoryStore(graph, path=path).save()
    print("saved", flush=True)
""")


def start_saver(path: Path, nodes: int, version: str) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(nodes), version],
                             stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert child.stdout.readline().strip() == "ready"
    return child


def temp_size(folder: Path, name: str) -> int:
    return sum(p.stat().st_size for p in folder.glob(f".{name}.*.tmp") if p.exists())


def wait_for(condition, child: subprocess.Popen, limit: float = 60.0) -> bool:
    """Poll until ``condition()`` or the child ends; True if the condition was met first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        if child.poll() is not None:
            return False
        time.sleep(0.002)
    return False


@pytest.fixture(scope="module")
def old_graph(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("kill") / "old.graph.json"
    child = start_saver(path, OLD_NODES, "old")
    assert child.wait(timeout=60) == 0
    return path


# Kill points: right after the child is ready (before or as the temp file appears), once the
# temp file holds some bytes, once it holds most of them, after a fixed delay, and as soon as
# the new file has replaced the old one.
KILL_POINTS = ["at-ready", "temp-1MB", "temp-10MB", "temp-most", "delay-0.5s", "delay-1.5s", "after-replace"]


@pytest.mark.parametrize("point", KILL_POINTS)
def test_sigkill_during_save_leaves_old_or_new_graph(tmp_path, old_graph, point):
    path = tmp_path / "g.json"
    shutil.copy(old_graph, path)
    folder = path.parent
    child = start_saver(path, BIG_NODES, "new")
    full_size = old_graph.stat().st_size * BIG_NODES // OLD_NODES  # about: same bytes a node
    if point.startswith("temp-"):
        want = {"temp-1MB": 1 << 20, "temp-10MB": 10 << 20, "temp-most": int(full_size * 0.8)}[point]
        wait_for(lambda: temp_size(folder, path.name) >= want, child)
    elif point.startswith("delay-"):
        time.sleep(float(point.split("-")[1].rstrip("s")))
    elif point == "after-replace":
        old_inode = path.stat().st_ino
        wait_for(lambda: path.stat().st_ino != old_inode, child)
    if temp_size(folder, path.name) > 0:
        COUNTS["kills while the temp file was being written"] += 1
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    COUNTS["faults injected"] += 1
    graph = read_graph(path)  # never broken: parses, and is one whole version
    versions = Counter(d.get("version") for _, d in graph.nodes(data=True))
    assert versions in (Counter({"old": OLD_NODES}), Counter({"new": BIG_NODES})), versions
    COUNTS["graph after kill: " + next(iter(versions))] += 1
    # The next run of the command loads it (and a left-over temp file does not disturb it).
    result = officialgraph("build", SEEDS, "--graph", path, "--silent")
    assert result.returncode == 0, result.stderr
    after = read_graph(path)
    assert after.number_of_nodes() > graph.number_of_nodes()
    assert sum(1 for _, d in after.nodes(data=True) if d.get("version")) == sum(versions.values())
    COUNTS["records checked after kill"] += sum(versions.values())


def test_a_save_that_is_not_killed_replaces_the_graph(tmp_path, old_graph):
    path = tmp_path / "g.json"
    shutil.copy(old_graph, path)
    child = start_saver(path, BIG_NODES, "new")
    assert child.stdout.readline().strip() == "saved" and child.wait(timeout=120) == 0
    assert {d["version"] for _, d in read_graph(path).nodes(data=True)} == {"new"}
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]  # no temp file left behind


# --- (2) two builds on one graph file at once ---------------------------------------------------

@pytest.fixture(scope="module")
def two_corpora(tmp_path_factory) -> tuple[Path, Path]:
    """Two page folders: a slow one (the seeds many times over) and a quick one."""
    base = tmp_path_factory.mktemp("corpora")
    slow, quick = base / "slow", base / "quick"
    slow.mkdir()
    quick.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for copy in range(20):
        for seed in seeds[:4]:
            # Each copy a different page: one character of the date differs, so no two share a hash.
            text = seed.read_text(encoding="utf-8") + f"\n本报讯 第{copy}期。\n"
            (slow / f"{copy:02d}_{seed.name}").write_text(text, encoding="utf-8")
    shutil.copy(seeds[4], quick / seeds[4].name)
    return slow, quick


def start_build(pages: Path, graph: Path, wait: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "officialgraph.cli", "build", str(pages), "--graph", str(graph),
                             "--silent"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "OFFICIALGRAPH_LOCK_WAIT": wait})


def wait_for_lock(graph: Path, first: subprocess.Popen) -> None:
    assert wait_for(lambda: Path(f"{graph}.lock").exists(), first), "the first build never took the lock"


@pytest.mark.parametrize("wait", ["0.2", "120"])
def test_two_builds_at_once_never_interleave(tmp_path, two_corpora, wait):
    slow, quick = two_corpora
    graph = tmp_path / "g.json"
    first = start_build(slow, graph, wait)
    wait_for_lock(graph, first)
    second = start_build(quick, graph, wait)
    second_out, second_err = second.communicate(timeout=600)
    first_out, first_err = first.communicate(timeout=600)
    COUNTS["faults injected"] += 1
    assert first.returncode == 0, first_err
    reference = tmp_path / "reference.json"
    assert officialgraph("build", slow, "--graph", reference, "--silent").returncode == 0
    if wait == "0.2":
        # Refused: one clear line naming the lock; the file is the first build's alone.
        lines = [line for line in second_err.splitlines() if line.strip()]
        assert second.returncode == 1 and len(lines) == 1 and "locked" in lines[0], second_err
        assert "Traceback" not in second_err
    else:
        # Waited: then built on top of the first build, as if run one after the other.
        assert second.returncode == 0, second_err
        assert officialgraph("build", quick, "--graph", reference, "--silent").returncode == 0
    assert snapshot(graph) == snapshot(reference)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json", "reference.json"]  # no lock, no temp


# --- (3) Neo4j unreachable, wrong password --------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def records_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("records") / "seeds.jsonl"
    result = officialgraph("extract", SEEDS, "-o", path, "--silent")
    assert result.returncode == 0 and path.stat().st_size > 0, result.stderr
    return path


@pytest.mark.parametrize("command", ["build", "load", "query"])
def test_unreachable_neo4j_is_one_line(records_file, command):
    uri = f"bolt://127.0.0.1:{free_port()}"
    args = {"build": ["build", SEEDS], "load": ["load", records_file], "query": ["query", "top"]}[command]
    result = officialgraph(*args, "--store", "neo4j", "--uri", uri, "--password", "whatever-it-is", timeout=120)
    COUNTS["faults injected"] += 1
    line = one_error_line(result)
    assert uri in line and "reach" in line


@pytest.mark.neo4j
@pytest.mark.parametrize("command", ["build", "load"])
def test_wrong_neo4j_password_is_one_line(neo4j_settings, records_file, command):
    args = {"build": ["build", SEEDS], "load": ["load", records_file]}[command]
    result = officialgraph(*args, "--store", "neo4j", "--uri", neo4j_settings.uri, "--user", neo4j_settings.user,
                           "--password", neo4j_settings.password + "-wrong", timeout=120)
    COUNTS["faults injected"] += 1
    line = one_error_line(result)
    assert "password" in line and neo4j_settings.password not in line


def test_bad_neo4j_uri_is_one_line():
    result = officialgraph("query", "top", "--store", "neo4j", "--uri", "http://127.0.0.1:1", "--password", "x")
    COUNTS["faults injected"] += 1
    assert "URI" in one_error_line(result)


# --- (4) bad input to the command -------------------------------------------------------------------

@pytest.fixture
def seed_graph(tmp_path) -> Path:
    graph = tmp_path / "seeds.graph.json"
    assert officialgraph("build", SEEDS, "--graph", graph, "--silent").returncode == 0
    return graph


BAD_PAGES = {
    "png.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
    "elf.txt": b"\x7fELF\x02\x01\x01" + b"\x00" * 64 + bytes(range(256)),
    "utf16-lone-surrogate.txt": b"\xff\xfe" + "本报讯".encode("utf-16-le") + b"\x00\xd8" + "会议".encode("utf-16-le"),
    "latin1.txt": "Café ÿ résumé ".encode("latin-1") * 40 + b"\xff\xfe\xfd",
}


def failed_page_lines(result: subprocess.CompletedProcess, name: str) -> None:
    """A run with a page that cannot be read: that page named on one line, then one ``Error:``
    line counting the failures, exit 1, no traceback (other pages would still be extracted)."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("page failed, skipped: ") and name in lines[0], lines
    assert lines[1] == "Error: 1 page failed", lines


@pytest.mark.parametrize("name", sorted(BAD_PAGES))
def test_a_bad_page_is_named_once_and_leaves_the_graph(tmp_path, seed_graph, name):
    page = tmp_path / name
    page.write_bytes(BAD_PAGES[name])
    before = snapshot(seed_graph)
    out = tmp_path / "out.jsonl"
    for args in (["build", page, "--graph", seed_graph], ["extract", page, "-o", out]):
        COUNTS["hostile inputs"] += 1
        failed_page_lines(officialgraph(*args, "--silent"), name)
    assert snapshot(seed_graph) == before
    assert not out.exists() or out.read_text(encoding="utf-8").strip() == ""


BROKEN_JSONL = {
    "truncated": lambda good: good[: len(good) // 2],
    "not-json": lambda good: good + "{this is not json}\n",
    "array": lambda good: good + "[1, 2, 3]\n",
    "missing-field": lambda good: good + json.dumps({"events": []}) + "\n",
    "wrong-type": lambda good: good + json.dumps({"source": "x.txt", "start": "zero", "events": []}) + "\n",
    "binary": lambda good: good + "\x00\x01\x02\n",
    "bad-utf8": None,
}


@pytest.mark.parametrize("kind", sorted(BROKEN_JSONL))
def test_broken_jsonl_leaves_the_graph_file_unchanged(tmp_path, seed_graph, records_file, kind):
    good = records_file.read_text(encoding="utf-8")
    broken = tmp_path / f"{kind}.jsonl"
    if kind == "bad-utf8":
        broken.write_bytes(good.encode("utf-8") + b"\xff\xfe{\n")
    else:
        broken.write_text(BROKEN_JSONL[kind](good), encoding="utf-8")
    before = seed_graph.read_bytes()
    COUNTS["hostile inputs"] += 1
    line = one_error_line(officialgraph("load", broken, "--graph", seed_graph))
    assert broken.name in line
    assert seed_graph.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([broken.name, seed_graph.name])


@pytest.mark.parametrize("args", [
    ["query", "timeline", "无此人"],
    ["query", "met-with", "无此人"],
    ["query", "career", "'}) MATCH (n) DETACH DELETE n //"],
    ["query", "path", "无此人", "也无此人"],
    ["query", "evidence", "无此人"],
])
def test_unknown_person_is_one_line(seed_graph, args):
    COUNTS["hostile inputs"] += 1
    line = one_error_line(officialgraph(*args, "--graph", seed_graph))
    assert "no person" in line or "person" in line.lower()


def test_a_missing_or_damaged_graph_file_is_one_line(tmp_path, seed_graph):
    damaged = tmp_path / "damaged.json"
    damaged.write_bytes(seed_graph.read_bytes()[:1000])
    for path in (tmp_path / "nothing-here.json", damaged):
        COUNTS["hostile inputs"] += 1
        line = one_error_line(officialgraph("query", "top", "--graph", path))
        assert path.name in line
