"""The officialgraph command: CliRunner for the paths through it, plus real subprocess runs."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from officialgraph.cli import main
from officialgraph.graph.memory import read_graph, store_lock
from officialgraph.loaders.records import write_records
from officialgraph.queries import QUERIES
from officialgraph.render import display_width, to_table

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, *args, env=None):
    return runner.invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def seed_graph(runner, tmp_path):
    graph = tmp_path / "seeds.graph.json"
    result = invoke(runner, "build", SEEDS, "--graph", graph)
    assert result.exit_code == 0, result.output
    return graph


@pytest.fixture
def hand_graph(runner, tmp_path, handmade_records):
    records = tmp_path / "hand.jsonl"
    with open(records, "w", encoding="utf-8") as fh:
        write_records(handmade_records, fh)
    graph = tmp_path / "hand.graph.json"
    assert invoke(runner, "load", records, "--graph", graph, "--silent").exit_code == 0
    return graph


def _graph_snapshot(path):
    g = read_graph(path)
    return dict(g.nodes(data=True)), {(u, v, k): d for u, v, k, d in g.edges(keys=True, data=True)}


def test_build_twice_changes_nothing_and_reports_counts(runner, seed_graph, seed_records):
    before = _graph_snapshot(seed_graph)
    result = invoke(runner, "build", SEEDS, "--graph", seed_graph)
    assert result.exit_code == 0
    assert f"records {len(seed_records)}" in result.stderr and result.stdout == ""
    assert _graph_snapshot(seed_graph) == before


def test_extract_then_load_equals_build(runner, tmp_path, seed_graph, seed_records):
    out = tmp_path / "records.jsonl"
    result = invoke(runner, "extract", SEEDS, "-o", out, "--silent")
    assert result.exit_code == 0 and result.stderr == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(seed_records) and all(json.loads(line)["source"].endswith(".txt") for line in lines)
    loaded = tmp_path / "loaded.json"
    assert invoke(runner, "load", out, "--graph", loaded).exit_code == 0
    assert _graph_snapshot(loaded) == _graph_snapshot(seed_graph)


def test_extract_to_stdout(runner):
    result = invoke(runner, "extract", SEEDS / "000_8ddc68a7850121d1.txt", "-o", "-", "--silent")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and {r["source"] for r in records} == {"000_8ddc68a7850121d1.txt"}


def test_query_outputs_json_csv_and_table(runner, hand_graph):
    args = ["query", "met-with", "王强", "--region", "甲区", "--graph", hand_graph]
    rows = json.loads(invoke(runner, *args).stdout)
    assert [(r["person"], r["count"]) for r in rows] == [("李明", 2), ("赵一", 1)]
    parsed = list(csv.DictReader(io.StringIO(invoke(runner, *args, "--csv").stdout)))
    assert [r["person"] for r in parsed] == ["李明", "赵一"] and parsed[0]["dates"] == "2021-01-05|2021-09-09"
    table = invoke(runner, *args, "--table").stdout.splitlines()
    assert table[0].split()[:3] == ["person", "region", "count"] and "李明" in table[2]
    # CJK-aware alignment: the 'count' column starts at the same display column on every line.
    starts = {display_width(line[:line.index(str(n))]) for line, n in zip(table[2:], (2, 1))}
    assert len(starts) == 1 and starts == {display_width(table[0][:table[0].index("count")])}


def test_query_arguments_reach_the_query(runner, hand_graph):
    top = json.loads(invoke(runner, "query", "top", "--by", "hosted", "--limit", "1", "--graph", hand_graph).stdout)
    assert top == [{"rank": 1, "person": "李明", "region": "甲区", "value": 3}]
    path = json.loads(invoke(runner, "query", "path", "赵一", "王强", "--other-region", "甲区", "--graph", hand_graph).stdout)
    assert [r["person"] for r in path] == ["赵一", "王强"]
    events = json.loads(invoke(runner, "query", "events", "--topic", "安全生产", "--since", "2021-02",
                               "--graph", hand_graph).stdout)
    assert [e["event"] for e in events] == ["甲区安全生产会议"]


def test_query_uses_the_graph_from_the_environment(runner, hand_graph, tmp_path):
    result = invoke(runner, "query", "career", "李明", env={"OFFICIALGRAPH_GRAPH": str(hand_graph)})
    assert json.loads(result.stdout)[0]["post"] == "书记"


def test_library_errors_are_one_line_and_exit_1(runner, hand_graph, tmp_path):
    assert "无名氏" in one_error_line(invoke(runner, "query", "timeline", "无名氏", "--graph", hand_graph))
    line = one_error_line(invoke(runner, "query", "met-with", "王强", "--graph", hand_graph))
    assert "甲区" in line and "乙县" in line
    assert "no graph file" in one_error_line(invoke(runner, "query", "top", "--graph", tmp_path / "none.json"))
    assert "missing" in one_error_line(invoke(runner, "build", tmp_path / "missing", "--graph", tmp_path / "g.json"))
    assert "no such file" in one_error_line(invoke(runner, "load", tmp_path / "missing.jsonl", "--graph", hand_graph))
    assert "--date" in one_error_line(invoke(runner, "extract", SEEDS, "-o", tmp_path / "o.jsonl", "--date", "24.11"))
    assert not (tmp_path / "g.json").exists() and not (tmp_path / "o.jsonl").exists()


def test_broken_jsonl_names_the_line_and_leaves_the_graph_untouched(runner, hand_graph, tmp_path, seed_records):
    before = hand_graph.read_bytes()
    broken = tmp_path / "broken.jsonl"
    with open(broken, "w", encoding="utf-8") as fh:
        write_records(seed_records[:3], fh)
        fh.write('{"source": "x.txt", "events": [\n')
    line = one_error_line(invoke(runner, "load", broken, "--graph", hand_graph))
    assert "line 4" in line and str(broken) in line
    assert hand_graph.read_bytes() == before
    no_events_name = tmp_path / "noname.jsonl"
    no_events_name.write_text('{"events": []}\n', encoding="utf-8")
    assert "line 1" in one_error_line(invoke(runner, "load", no_events_name, "--graph", hand_graph))
    assert hand_graph.read_bytes() == before


def test_a_locked_graph_is_refused(runner, hand_graph, monkeypatch):
    monkeypatch.setattr("officialgraph.graph.memory.LOCK_WAIT_SECONDS", 0.2)
    before = hand_graph.read_bytes()
    with store_lock(hand_graph):
        line = one_error_line(invoke(runner, "build", SEEDS, "--graph", hand_graph))
    assert "locked" in line and hand_graph.read_bytes() == before


def test_neo4j_store_errors_are_one_line(runner, tmp_path):
    result = invoke(runner, "query", "top", "--store", "neo4j", "--uri", "bolt://127.0.0.1:9",
                    "--user", "neo4j", "--password", "x")
    one_error_line(result)


def test_export_graphml_both_ways(runner, seed_graph, tmp_path):
    full, people = tmp_path / "full.graphml", tmp_path / "people.graphml"
    assert invoke(runner, "export", "graphml", "--graph", seed_graph, "-o", full).exit_code == 0
    result = invoke(runner, "export", "graphml", "--graph", seed_graph, "-o", people, "--projection", "co-attendance")
    assert result.exit_code == 0 and "edges" in result.stderr
    assert nx.read_graphml(full).number_of_nodes() == read_graph(seed_graph).number_of_nodes()
    assert {d["label"] for _, d in nx.read_graphml(people).nodes(data=True)} == {"Person"}


def test_every_command_has_help_with_an_example(runner):
    commands = [[], ["extract"], ["build"], ["load"], ["query"], ["export"], ["export", "graphml"]]
    commands += [["query", name] for name in QUERIES]
    for command in commands:
        result = invoke(runner, *command, "--help")
        assert result.exit_code == 0 and "Example" in result.stdout, command


def test_table_width_counts_wide_characters_twice():
    table = to_table([{"name": "张俊峰", "n": 1}, {"name": "Li", "n": 22}]).splitlines()
    assert [display_width(line[:line.rindex(" ") + 1]) for line in table[2:]] == [8, 8]
    assert display_width("航空港ＡＢab") == 12


# --- the installed command, in a real process ---------------------------------------------------

def _officialgraph() -> str:
    exe = Path(sys.executable).parent / "officialgraph"
    assert exe.exists(), "install the project: pip install -e '.[test]'"
    return str(exe)


def test_installed_command_builds_and_queries(tmp_path):
    env = {**os.environ, "OFFICIALGRAPH_GRAPH": str(tmp_path / "g.json")}
    built = subprocess.run([_officialgraph(), "build", str(SEEDS)], capture_output=True, text=True,
                           encoding="utf-8", env=env, cwd=tmp_path, timeout=300)
    assert built.returncode == 0, built.stderr
    assert built.stdout == "" and "built graph" in built.stderr
    top = subprocess.run([_officialgraph(), "query", "top", "--limit", "3"], capture_output=True,
                         encoding="utf-8", env=env, cwd=tmp_path, timeout=120)
    rows = json.loads(top.stdout)
    assert len(rows) == 3 and rows[0]["value"] >= rows[-1]["value"] >= 1
    missing = subprocess.run([_officialgraph(), "query", "timeline", "不存在的人"], capture_output=True,
                             encoding="utf-8", env=env, cwd=tmp_path, timeout=120)
    assert missing.returncode == 1 and missing.stderr.strip().count("\n") == 0
    assert missing.stderr.startswith("Error: ") and "Traceback" not in missing.stderr


def test_two_real_builds_on_one_graph_never_interleave(tmp_path):
    graph = tmp_path / "g.json"
    env = {**os.environ, "OFFICIALGRAPH_GRAPH": str(graph), "OFFICIALGRAPH_LOCK_WAIT": "60"}
    runs = [subprocess.Popen([_officialgraph(), "build", str(SEEDS), "--silent"], env=env, cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    single = tmp_path / "single.json"
    once = subprocess.run([_officialgraph(), "build", str(SEEDS), "--graph", str(single), "--silent"],
                          env=env, cwd=tmp_path, timeout=300)
    assert once.returncode == 0
    assert _graph_snapshot(graph) == _graph_snapshot(single)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json", "single.json"]  # no lock or temp left


def test_a_real_build_refuses_a_graph_another_process_holds(tmp_path):
    graph = tmp_path / "g.json"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom officialgraph.graph.memory import store_lock\n"
         f"with store_lock({str(graph)!r}):\n    print('held', flush=True)\n    sys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        env = {**os.environ, "OFFICIALGRAPH_LOCK_WAIT": "0.5"}
        refused = subprocess.run([_officialgraph(), "build", str(SEEDS), "--graph", str(graph)],
                                 capture_output=True, encoding="utf-8", env=env, timeout=300)
        assert refused.returncode == 1 and "locked" in refused.stderr and not graph.exists()
    finally:
        holder.communicate("done\n", timeout=30)
    assert holder.returncode == 0 and not Path(f"{graph}.lock").exists()
