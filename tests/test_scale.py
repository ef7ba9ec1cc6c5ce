"""Streaming at scale: --jobs, progress, failed pages, --resume, flat memory, the synth command.

Pages are generated (officialgraph.synth) and real seed pages; extraction is the real one.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from officialgraph.cli import main
from officialgraph.graph.memory import graph_to_data, read_graph
from officialgraph.synth import generate_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PAGES = 12
PROGRESS = re.compile(r"^pages (\d+)/(\d+) \(\d+%\), [\d.]+ MB/s, [\d:?]+ left$", re.M)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate_corpus(out, years=1, seed=5, pages_per_year=PAGES)
    return out / "pages"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def graph_sets(path: Path) -> tuple[set, set]:
    """Nodes and edges of a graph file, order-free (lists as tuples so they hash)."""
    data = graph_to_data(read_graph(path))
    freeze = lambda d: tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in d.items()))  # noqa: E731
    return {freeze(n) for n in data["nodes"]}, {freeze(e) for e in data["edges"]}


@pytest.fixture(scope="module")
def full_run(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("full") / "all.jsonl"
    result = invoke("extract", corpus, "-o", out, "--jobs", 2)
    assert result.exit_code == 0, result.stderr
    return out


def test_extract_streams_every_page_with_progress(corpus, full_run):
    records = [json.loads(line) for line in lines_of(full_run)]
    assert {r["source"] for r in records} == {p.name for p in corpus.glob("*.txt")}
    # One run, one progress line at the end at least (stderr is not a terminal here).
    result = invoke("extract", corpus, "-o", full_run.with_name("again.jsonl"), "--jobs", 1)
    done = PROGRESS.findall(result.stderr)
    assert done and done[-1] == (str(PAGES), str(PAGES)), result.stderr
    assert "\r" not in result.stderr
    assert lines_of(full_run.with_name("again.jsonl")) == lines_of(full_run), "--jobs 1 and 2 differ"


def test_silent_prints_nothing(corpus, tmp_path):
    result = invoke("extract", corpus, "-o", tmp_path / "out.jsonl", "--silent")
    assert result.exit_code == 0 and result.stderr == ""


def _with_bad_pages(corpus: Path, folder: Path) -> Path:
    shutil.copytree(corpus, folder)
    (folder / "0000_binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "9999_broken.txt").write_bytes(b"\xff\xfe\x00\xd8\x41")  # UTF-16 with a lone surrogate
    return folder


def test_failed_pages_are_reported_skipped_and_counted(corpus, full_run, tmp_path):
    pages = _with_bad_pages(corpus, tmp_path / "pages")
    out = tmp_path / "out.jsonl"
    result = invoke("extract", pages, "-o", out, "--jobs", 2)
    assert result.exit_code == 1
    assert "0000_binary.txt" in result.stderr and "9999_broken.txt" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "Error: 2 pages failed"
    # The good pages around them are all written (the first bad page comes first in file order).
    assert sorted(lines_of(out)) == sorted(lines_of(full_run))


def test_build_keeps_what_loaded_when_pages_fail(corpus, tmp_path):
    pages = _with_bad_pages(corpus, tmp_path / "pages")
    bad, good = tmp_path / "bad.json", tmp_path / "good.json"
    result = invoke("build", pages, "--graph", bad, "--jobs", 2)
    assert result.exit_code == 1 and "2 pages failed" in result.stderr
    assert invoke("build", corpus, "--graph", good, "--silent").exit_code == 0
    assert graph_sets(bad) == graph_sets(good)


def _split(corpus: Path, folder: Path) -> tuple[Path, list[Path]]:
    """A folder with the first half of the pages, and the rest to add later."""
    files = sorted(corpus.glob("*.txt"))
    folder.mkdir()
    for f in files[: len(files) // 2]:
        shutil.copy(f, folder)
    return folder, files[len(files) // 2:]


def test_extract_resume_extracts_each_page_once(corpus, full_run, tmp_path):
    folder, rest = _split(corpus, tmp_path / "pages")
    out = tmp_path / "out.jsonl"
    assert invoke("extract", folder, "-o", out).exit_code == 0
    first = len(list(folder.glob("*.txt")))
    for f in rest:
        shutil.copy(f, folder)
    result = invoke("extract", folder, "-o", out, "--resume", "--jobs", 2)
    assert result.exit_code == 0, result.stderr
    assert f"{PAGES - first} pages extracted, {first} skipped" in result.stderr
    lines = lines_of(out)
    keys = [(json.loads(line)["page_hash"], json.loads(line)["start"]) for line in lines]
    assert len(keys) == len(set(keys)), "an article was written twice"
    assert sorted(lines) == sorted(lines_of(full_run))
    # Nothing new: a third run writes nothing.
    again = invoke("extract", folder, "-o", out, "--resume")
    assert f"0 pages extracted, {PAGES} skipped" in again.stderr
    assert lines_of(out) == lines


def test_extract_resume_after_a_killed_run_drops_the_torn_line(corpus, full_run, tmp_path):
    lines = lines_of(full_run)
    out = tmp_path / "out.jsonl"
    hashes = [json.loads(line)["page_hash"] for line in lines]
    # Cut inside a page: the article before the torn one is of the same page.
    cut = next(i for i in range(len(lines) // 2, len(lines)) if hashes[i] == hashes[i - 1])
    out.write_text("\n".join(lines[:cut]) + "\n" + lines[cut][:40], encoding="utf-8")  # killed mid-line
    # The page of the torn line may have lost some articles: it must come back whole, once.
    result = invoke("extract", corpus, "-o", out, "--resume")
    assert result.exit_code == 0, result.stderr
    assert sorted(lines_of(out)) == sorted(lines)


def test_build_resume_equals_one_full_build(corpus, tmp_path):
    folder, rest = _split(corpus, tmp_path / "pages")
    graph, full = tmp_path / "resumed.json", tmp_path / "full.json"
    assert invoke("build", folder, "--graph", graph, "--silent").exit_code == 0
    for f in rest:
        shutil.copy(f, folder)
    result = invoke("build", folder, "--graph", graph, "--resume")
    assert result.exit_code == 0, result.stderr
    assert f"{len(rest)} pages extracted, {PAGES - len(rest)} skipped" in result.stderr
    assert invoke("build", corpus, "--graph", full, "--silent").exit_code == 0
    assert graph_sets(graph) == graph_sets(full)


def _peak_rss_kb(args: list[str]) -> int:
    """Peak RSS of the largest process of one `officialgraph` run (main or a worker)."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "officialgraph.cli", *args],
                         check=True, capture_output=True, text=True)
    return int(out.stdout.strip().splitlines()[-1])


def test_extract_memory_is_flat_as_the_corpus_grows(tmp_path):
    sizes = {}
    for factor in (1, 4):
        folder = tmp_path / f"x{factor}"
        folder.mkdir()
        for n in range(40 * factor):
            for seed in SEEDS.glob("*.txt"):
                # A line of its own makes each copy a page of its own (another content hash).
                (folder / f"{n:04d}_{seed.name}").write_text(
                    seed.read_text(encoding="utf-8") + f"\n第{n}版\n", encoding="utf-8")
        sizes[factor] = _peak_rss_kb(["extract", str(folder), "-o", str(tmp_path / f"x{factor}.jsonl"),
                                      "--jobs", "2", "--silent"])
        assert len(lines_of(tmp_path / f"x{factor}.jsonl")) > 40 * factor
    # 4x the pages, at most a few MB more: records are written, not held.
    assert sizes[4] < sizes[1] * 1.15 + 8_000, sizes


def test_synth_command_writes_pages_and_gold_with_progress(tmp_path):
    result = invoke("synth", "--years", 1, "--pages-per-year", 6, "--seed", 9, "-o", tmp_path / "a")
    assert result.exit_code == 0, result.stderr
    assert re.search(r"^pages 6/6 \(100%\)", result.stderr, re.M)
    pages = sorted((tmp_path / "a" / "pages").glob("*.txt"))
    gold = sorted((tmp_path / "a" / "gold").glob("*.json"))
    assert len(pages) == 6 and [p.stem for p in pages] == [g.stem for g in gold]
    invoke("synth", "--years", 1, "--pages-per-year", 6, "--seed", 9, "-o", tmp_path / "b", "--silent")
    assert [p.read_bytes() for p in pages] == [p.read_bytes() for p in sorted((tmp_path / "b" / "pages").glob("*.txt"))]
    bad = invoke("synth", "--years", 0, "-o", tmp_path / "c")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: ")
