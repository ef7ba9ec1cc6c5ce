"""Rows: pure records -> node and relationship rows, with the stores' merge rules."""
from __future__ import annotations

import json

from officialgraph.graph.model import Label, Rel, person_key
from officialgraph.graph.rows import build_rows, merge_held


def _rels(rows, rel_type):
    return [r for r in rows["relationships"] if r["type"] == rel_type]


def test_rows_are_plain_json_and_nodes_cover_every_endpoint(handmade_records, seed_records):
    for records in (handmade_records, seed_records):
        rows = build_rows(records)
        json.dumps(rows, ensure_ascii=False)  # scalars and lists only
        keys = {(n["label"], n["key"]) for n in rows["nodes"]}
        for rel in rows["relationships"]:
            assert (rel["start_label"], rel["start"]) in keys
            assert (rel["end_label"], rel["end"]) in keys
        assert all(v is not None for n in rows["nodes"] for v in n["props"].values())


def test_namesakes_in_different_regions_stay_apart(handmade_records):
    rows = build_rows(handmade_records)
    wang = sorted(n["key"] for n in rows["nodes"] if n["label"] == "Person" and n["props"]["name"] == "王强")
    assert wang == sorted([person_key("王强", "甲区"), person_key("王强", "乙县")])


def test_held_counts_the_events_that_evidence_a_post(handmade_records):
    rows = build_rows(handmade_records)
    held = {(r["start"], r["end"], r["props"]["post"]): r["props"] for r in _rels(rows, Rel.HELD.value)}
    li = held[(person_key("李明", "甲区"), "甲区党委", "书记")]
    assert li["count"] == 3 and len(li["events"]) == 3
    assert (li["first_seen"], li["last_seen"]) == ("2021-01-05", "2021-09-09")
    # Two posts of one person in one organisation are two HELD relationships.
    wang = [k for k in held if k[0] == person_key("王强", "甲区")]
    assert sorted(k[2] for k in wang) == ["副区长", "区长"]


def test_rows_of_a_batch_twice_equal_rows_once(handmade_records):
    once = build_rows(handmade_records)
    twice = build_rows(handmade_records + handmade_records)
    assert once == twice


def test_merge_held_is_idempotent_and_order_free():
    a = {"post": "书记", "title": "甲", "titles": ["甲"], "events": ["e1"], "dates": ["2021-01-01"]}
    b = {"post": "书记", "title": "乙", "titles": ["乙"], "events": ["e2"], "dates": []}
    ab = merge_held(merge_held({}, a), b)
    assert merge_held(ab, a) == ab and merge_held(ab, b) == ab
    assert ab["count"] == 2 and ab["first_seen"] == ab["last_seen"] == "2021-01-01"
    assert merge_held(merge_held({}, b), a)["events"] == ab["events"]


def test_journalists_are_persons_with_the_journalist_label(handmade_records, seed_records):
    rows = build_rows(handmade_records)
    writer = next(n for n in rows["nodes"] if n["props"].get("name") == "记者甲")
    assert writer["label"] == Label.PERSON.value and Label.JOURNALIST.value in writer["extra_labels"]
    assert {r["props"]["as"] for r in _rels(rows, Rel.WROTE.value)} == {"reporter", "correspondent"}
    seed_rows = build_rows(seed_records)
    expected = {n for r in seed_records for n in r.reporters + r.correspondents}
    assert {n["props"]["name"] for n in seed_rows["nodes"] if n["extra_labels"]} == expected


def test_part_of_links_an_organisation_to_its_parent(handmade_records):
    rows = build_rows(handmade_records)
    part_of = {(r["start"], r["end"]) for r in _rels(rows, Rel.PART_OF.value)}
    assert ("甲区党委", "甲区") in part_of and ("乙县政府", "乙县") in part_of
    parent = next(n for n in rows["nodes"] if n["label"] == "Organization" and n["key"] == "甲区")
    assert "kind" not in parent["props"]  # only named as a parent: kind unknown, not null


def test_every_seed_appearance_becomes_one_appeared_at(seed_records):
    rows = build_rows(seed_records)
    expected = {(person_key(a.person, a.region), r.article_id, e.index)
                for r in seed_records for e in r.events for a in e.appearances}
    assert len(_rels(rows, Rel.APPEARED_AT.value)) == len(expected) > 0
