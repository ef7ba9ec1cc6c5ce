"""The embedded networkx store: MERGE semantics, file format, atomic save, lock."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from officialgraph.errors import StoreError
from officialgraph.graph.memory import (FORMAT_NAME, MemoryStore, read_graph, store_lock, write_graph)
from officialgraph.graph.model import person_key


def _snapshot(store):
    nodes = {n: dict(a) for n, a in store.graph.nodes(data=True)}
    edges = {(u, v, k): dict(a) for u, v, k, a in store.graph.edges(keys=True, data=True)}
    return nodes, edges


def test_loading_the_same_records_twice_changes_nothing(seed_records, handmade_records):
    store = MemoryStore()
    store.load_records(seed_records + handmade_records)
    first_counts, first = store.counts(), _snapshot(store)
    store.load_records(seed_records)
    store.load_records(handmade_records)
    assert store.counts() == first_counts
    assert _snapshot(store) == first


def test_loading_in_two_halves_equals_loading_at_once(handmade_records):
    whole, halves = MemoryStore(), MemoryStore()
    whole.load_records(handmade_records)
    halves.load_records(handmade_records[:2])
    halves.load_records(handmade_records[2:])
    assert _snapshot(whole) == _snapshot(halves)


def test_node_ids_labels_and_edge_keys(handmade_records):
    store = MemoryStore()
    store.load_records(handmade_records)
    g = store.graph
    li = f"Person:{person_key('李明', '甲区')}"
    assert g.nodes[li]["label"] == "Person" and g.nodes[li]["name"] == "李明"
    assert g.nodes[f"Person:{person_key('记者甲', None)}"]["journalist"] is True
    assert g.edges[li, "Organization:甲区党委", "HELD:书记"]["count"] == 3
    assert {k for _, _, k in g.out_edges(li, keys=True)} >= {"APPEARED_AT", "HELD:书记"}


def test_save_and_open_roundtrip_keeps_everything(tmp_path, seed_records, handmade_records):
    store = MemoryStore(path=tmp_path / "g.json")
    store.load_records(seed_records + handmade_records)
    store.save()
    text = (tmp_path / "g.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format"] == FORMAT_NAME and data["version"] == 1
    assert "李明" in text  # Chinese as characters, not \u escapes
    again = MemoryStore.open(tmp_path / "g.json")
    assert _snapshot(again) == _snapshot(store)
    assert again.counts() == store.counts()


def test_open_refuses_missing_and_foreign_files(tmp_path):
    with pytest.raises(StoreError, match="no graph file"):
        MemoryStore.open(tmp_path / "missing.json")
    assert MemoryStore.open(tmp_path / "missing.json", create=True).counts()["nodes"] == 0
    (tmp_path / "other.json").write_text('{"nodes": []}', encoding="utf-8")
    with pytest.raises(StoreError, match="not an officialgraph graph"):
        read_graph(tmp_path / "other.json")
    (tmp_path / "broken.json").write_text('{"format":', encoding="utf-8")
    with pytest.raises(StoreError, match="cannot read"):
        read_graph(tmp_path / "broken.json")


def test_save_is_atomic_a_failed_write_leaves_the_old_file(tmp_path, handmade_records, monkeypatch):
    target = tmp_path / "g.json"
    store = MemoryStore(path=target)
    store.load_records(handmade_records[:1])
    store.save()
    before = target.read_bytes()
    store.load_records(handmade_records)

    def broken_dump(*args, **kwargs):
        raise RuntimeError("disk gone half-way")

    monkeypatch.setattr("officialgraph.graph.memory.json.dump", broken_dump)
    with pytest.raises(RuntimeError):
        store.save()
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]  # no temp file left behind


def test_lock_makes_a_second_writer_wait_then_refuse(tmp_path):
    target = tmp_path / "g.json"
    with store_lock(target):
        started = time.monotonic()
        with pytest.raises(StoreError, match="locked by another"):
            with store_lock(target, wait=0.3):
                pass
        assert time.monotonic() - started >= 0.3
    with store_lock(target, wait=0.1):  # released: free again
        pass
    assert not os.path.exists(f"{target}.lock")


def test_lock_waits_for_a_writer_that_finishes(tmp_path):
    target = tmp_path / "g.json"
    order = []

    def holder():
        with store_lock(target):
            order.append("first")
            time.sleep(0.3)

    thread = threading.Thread(target=holder)
    thread.start()
    time.sleep(0.05)
    with store_lock(target, wait=3):
        order.append("second")
    thread.join()
    assert order == ["first", "second"]


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path):
    target = tmp_path / "g.json"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "g.json.lock").write_text(str(dead.pid))
    with store_lock(target, wait=0.2):
        assert (tmp_path / "g.json.lock").read_text() == str(os.getpid())


def test_write_graph_of_empty_graph_reads_back(tmp_path):
    write_graph(MemoryStore().graph, tmp_path / "e.json")
    assert read_graph(tmp_path / "e.json").number_of_nodes() == 0
