"""The ten canned queries on the networkx store, checked against oracles computed from records."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from itertools import combinations

import pytest

from officialgraph.errors import (AmbiguousPerson, NoPath, OrganizationNotFound, PersonNotFound,
                                  QueryError)
from officialgraph.graph.memory import MemoryStore
from officialgraph.graph.model import Role, person_key
from officialgraph.queries import QUERIES, run_query
from officialgraph.queries.career import annotate_changes
from officialgraph.queries.roster import post_rank, protocol_ranks


@pytest.fixture(scope="module")
def seed_store(seed_records):
    store = MemoryStore()
    store.load_records(seed_records)
    return store


@pytest.fixture
def hand_store(handmade_records):
    store = MemoryStore()
    store.load_records(handmade_records)
    return store


def _events_by_person(records):
    """person key -> {event id: (record, event, appearance)}: the oracle for appearance queries."""
    out = defaultdict(dict)
    for r in records:
        for e in r.events:
            for a in e.appearances:
                out[person_key(a.person, a.region)][(r.article_id, e.index)] = (r, e, a)
    return out


def _unique_people(records):
    """(name, region) of people whose name is held in one region only, most appearances first."""
    by_person = _events_by_person(records)
    regions = defaultdict(set)
    for r in records:
        for e in r.events:
            for a in e.appearances:
                regions[a.person].add(a.region)
    ranked = sorted(by_person, key=lambda k: (-len(by_person[k]), k))
    return [k.split("@", 1) for k in ranked if len(regions[k.split("@", 1)[0]]) == 1]


def test_every_query_is_registered_with_a_description_and_example():
    assert set(QUERIES) == {"met-with", "timeline", "career", "roster", "events", "path", "top", "ties",
                            "coverage", "evidence"}
    for spec in QUERIES.values():
        assert spec.description and spec.example.startswith(f"officialgraph query {spec.name}")


# --- met-with ---------------------------------------------------------------------------------

def test_met_with_counts_shared_events_for_several_people(seed_store, seed_records):
    by_person = _events_by_person(seed_records)
    people = _unique_people(seed_records)[:4]
    assert people
    for name, region in people:
        mine = set(by_person[person_key(name, region)])
        expected = {other: len(mine & set(evts)) for other, evts in by_person.items()
                    if other != person_key(name, region) and mine & set(evts)}
        rows = run_query(seed_store, "met-with", person=name)
        assert {person_key(r["person"], r["region"]): r["count"] for r in rows} == expected
        assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
        for row in rows:
            assert len(row["events"]) >= 1 and row["dates"] == sorted(row["dates"])


def test_met_with_limit_and_region(hand_store):
    rows = run_query(hand_store, "met-with", person="王强", region="甲区")
    assert [(r["person"], r["count"]) for r in rows] == [("李明", 2), ("赵一", 1)]
    assert rows[0]["first_date"] == "2021-01-05" and rows[0]["last_date"] == "2021-09-09"
    assert len(run_query(hand_store, "met-with", person="王强", region="甲区", limit=1)) == 1
    assert [r["person"] for r in run_query(hand_store, "met-with", person="王强", region="乙县")] == ["钱二"]


def test_person_errors(hand_store):
    with pytest.raises(AmbiguousPerson) as info:
        run_query(hand_store, "met-with", person="王强")
    assert "甲区" in str(info.value) and "乙县" in str(info.value)
    with pytest.raises(PersonNotFound):
        run_query(hand_store, "timeline", person="无此人")
    with pytest.raises(PersonNotFound):
        run_query(hand_store, "timeline", person="王强", region="丙市")
    with pytest.raises(QueryError):
        run_query(hand_store, "met-with", person="")
    with pytest.raises(QueryError):
        run_query(hand_store, "met-with", person="李明", limit=0)
    with pytest.raises(QueryError, match="takes no argument"):
        run_query(hand_store, "met-with", person="李明", colour="red")
    with pytest.raises(QueryError, match="unknown query"):
        run_query(hand_store, "who-knows")


# --- timeline and evidence --------------------------------------------------------------------

def test_timeline_lists_every_appearance_in_date_order(seed_store, seed_records):
    by_person = _events_by_person(seed_records)
    for name, region in _unique_people(seed_records)[:4]:
        rows = run_query(seed_store, "timeline", person=name, region=region)
        found = by_person[person_key(name, region)]
        assert sorted(r["evidence"] for r in rows) == sorted(a.evidence for _, _, a in found.values())
        dated = [r["date"] for r in rows if r["date"]]
        assert dated == sorted(dated)
        assert all(r["date"] for r in rows[:len(dated)])  # undated ones last
        assert all(r["source"].endswith(".txt") for r in rows)


def test_evidence_for_one_person_and_for_a_pair(seed_store, seed_records):
    by_person = _events_by_person(seed_records)
    name, region = _unique_people(seed_records)[0]
    me = by_person[person_key(name, region)]
    rows = run_query(seed_store, "evidence", person=name)
    assert len(rows) == len(me) and all(r["person"] == name and r["evidence"] for r in rows)
    partner = run_query(seed_store, "met-with", person=name)[0]
    pair = run_query(seed_store, "evidence", person=name, other=partner["person"], other_region=partner["region"])
    assert len(pair) == partner["count"]
    theirs = by_person[person_key(partner["person"], partner["region"])]
    assert {r["other_evidence"] for r in pair} <= {a.evidence for _, _, a in theirs.values()}
    with pytest.raises(QueryError):
        run_query(seed_store, "evidence", person=name, other=name)


# --- career and roster ------------------------------------------------------------------------

def test_career_orders_posts_and_marks_changes(hand_store):
    rows = run_query(hand_store, "career", person="王强", region="甲区")
    assert [(r["organization"], r["post"], r["change"]) for r in rows] == [
        ("甲区政府", "副区长", "first"), ("甲区政府", "区长", "new")]
    assert [r["current"] for r in rows] == [False, True]
    li = run_query(hand_store, "career", person="李明")
    assert li == [{"organization": "甲区党委", "post": "书记", "title": "甲区党委书记", "first_seen": "2021-01-05",
                   "last_seen": "2021-09-09", "count": 3, "change": "first", "current": True}]


def test_annotate_changes_concurrent_and_undated():
    rows = [{"first_seen": "2020-01-01", "last_seen": "2020-06-01"},
            {"first_seen": "2020-03-01", "last_seen": "2020-04-01"},
            {"first_seen": "2020-07-01", "last_seen": "2020-07-01"},
            {"first_seen": None, "last_seen": None}]
    assert [r["change"] for r in annotate_changes(rows)] == ["first", "concurrent", "new", "undated"]


def test_career_on_seeds_matches_the_parsed_titles(seed_store, seed_records):
    posts = defaultdict(set)
    for r in seed_records:
        for e in r.events:
            for a in e.appearances:
                for t in a.titles:
                    if t.organization:
                        posts[(a.person, a.region)].add((t.organization, t.post or t.text))
    for (name, region), held in sorted(posts.items())[:5]:
        rows = run_query(seed_store, "career", person=name, region=region)
        assert {(r["organization"], r["post"]) for r in rows} == held


def test_roster_includes_parts_in_protocol_order(hand_store):
    rows = run_query(hand_store, "roster", organization="甲区")
    assert [(r["post"], r["person"]) for r in rows] == [("书记", "李明"), ("区长", "王强"), ("区长", "赵一"),
                                                        ("副区长", "王强")]
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    only_gov = run_query(hand_store, "roster", organization="甲区政府")
    assert {r["organization"] for r in only_gov} == {"甲区政府"}
    with pytest.raises(OrganizationNotFound, match="甲区党委"):
        run_query(hand_store, "roster", organization="党委")


def test_protocol_table_ranks_secretary_first():
    assert post_rank("书记") < post_rank("副书记") < post_rank("主任") < post_rank("副主任") < post_rank("不存在")
    assert len(protocol_ranks()) > 20
    assert post_rank("副书记") < post_rank("专职副书记") < post_rank("主任")


# --- events -----------------------------------------------------------------------------------

def test_events_filters(hand_store, seed_store, seed_records):
    assert [r["event"] for r in run_query(hand_store, "events", topic="安全生产")] == ["甲区常委会", "甲区安全生产会议"]
    assert [r["event"] for r in run_query(hand_store, "events", since="2021-03", until="2021-06")] == [
        "甲区安全生产会议", "乙县调研"]
    assert [r["event"] for r in run_query(hand_store, "events", organization="乙县")] == ["乙县调研"]
    assert len(run_query(hand_store, "events", limit=2)) == 2
    with pytest.raises(QueryError):
        run_query(hand_store, "events", since="21-3-1")
    all_seed = run_query(seed_store, "events")
    assert len(all_seed) == sum(len(r.events) for r in seed_records)
    topics = Counter(t for r in seed_records for e in r.events for t in set(e.topics))
    for topic, n in topics.items():
        assert len(run_query(seed_store, "events", topic=topic)) == n


# --- path, top, ties, coverage ----------------------------------------------------------------

def test_path_finds_the_shortest_chain(hand_store, seed_store, seed_records):
    rows = run_query(hand_store, "path", person="赵一", other="王强", other_region="甲区")
    assert [r["person"] for r in rows] == ["赵一", "王强"] and rows[0]["events_with_next"] == ["甲区常委会"]
    with pytest.raises(NoPath):
        run_query(hand_store, "path", person="李明", other="钱二")
    name, region = _unique_people(seed_records)[0]
    neighbours = run_query(seed_store, "met-with", person=name, region=region)
    assert neighbours
    for row in neighbours[:3]:
        chain = run_query(seed_store, "path", person=name, other=row["person"], other_region=row["region"])
        assert len(chain) == 2 and chain[0]["events_with_next"]


def test_path_is_deterministic_among_equal_chains(hand_store, handmade_records):
    # 李明 and 王强(甲区) are linked directly; reversed the chain is the same people reversed.
    forward = run_query(hand_store, "path", person="李明", other="王强", other_region="甲区")
    back = run_query(hand_store, "path", person="王强", region="甲区", other="李明")
    assert [r["person"] for r in forward] == [r["person"] for r in reversed(back)]


def test_top_by_each_measure(seed_store, seed_records):
    by_person = _events_by_person(seed_records)
    rows = run_query(seed_store, "top", by="appearances", limit=5)
    assert [r["value"] for r in rows] == sorted((len(v) for v in by_person.values()), reverse=True)[:5]
    hosted = Counter(k for k, evts in by_person.items() for _, _, a in evts.values() if Role.HOST.value in a.roles)
    rows = run_query(seed_store, "top", by="hosted", limit=3)
    assert [r["value"] for r in rows] == sorted(hosted.values(), reverse=True)[:3]
    central = run_query(seed_store, "top", by="central", limit=1)[0]
    assert central["value"] == len(run_query(seed_store, "met-with", person=central["person"], region=central["region"]))
    with pytest.raises(QueryError):
        run_query(seed_store, "top", by="charisma")


def test_ties_match_pair_counts(seed_store, seed_records):
    pairs = Counter()
    for r in seed_records:
        for e in r.events:
            people = sorted({(a.person, a.region) for a in e.appearances})
            pairs.update(combinations(people, 2))
    rows = run_query(seed_store, "ties", limit=None)
    assert {((r["person_a"], r["region_a"]), (r["person_b"], r["region_b"])): r["count"] for r in rows} == dict(pairs)
    strong = run_query(seed_store, "ties", min_count=2, limit=None)
    assert all(r["count"] >= 2 for r in strong) and len(strong) == sum(1 for v in pairs.values() if v >= 2)


def test_coverage(hand_store, seed_store, seed_records):
    rows = run_query(hand_store, "coverage")
    assert rows[0] == {"journalist": "记者甲", "person": "李明", "region": "甲区", "articles": 3,
                       "sources": ["a.txt", "c.txt"]}
    assert {r["journalist"] for r in run_query(hand_store, "coverage", person="钱二")} == {"通讯员乙"}
    writers = Counter(n for r in seed_records for n in set(r.reporters + r.correspondents) if r.events)
    name = writers.most_common(1)[0][0]
    mine = run_query(seed_store, "coverage", journalist=name)
    expected = Counter()
    for r in seed_records:
        if name in r.reporters + r.correspondents:
            expected.update({(a.person, a.region) for e in r.events for a in e.appearances})
    assert {(x["person"], x["region"]): x["articles"] for x in mine} == dict(expected)


def test_rows_are_json_and_repeatable(seed_store, seed_records):
    name, _ = _unique_people(seed_records)[0]
    for query, args in [("met-with", {"person": name}), ("timeline", {"person": name}), ("top", {"by": "central"}),
                        ("ties", {}), ("coverage", {}), ("events", {}), ("evidence", {"person": name})]:
        first = run_query(seed_store, query, **args)
        json.dumps(first, ensure_ascii=False)
        assert run_query(seed_store, query, **args) == first


def test_path_picks_the_first_sorting_chain_among_shortest():
    from conftest import appearance, make_record

    def meeting(i, *people):
        return make_record("p.txt", i * 10, [{"name": f"会{i}", "appearances": [appearance(p, "区") for p in people]}])

    store = MemoryStore()
    # 甲 reaches 丁 through 乙 or through 丙 (two hops), or through 戊-己 (three hops).
    store.load_records([meeting(1, "甲", "丙"), meeting(2, "丙", "丁"), meeting(3, "甲", "乙"), meeting(4, "乙", "丁"),
                        meeting(5, "甲", "戊"), meeting(6, "戊", "己"), meeting(7, "己", "丁")])
    rows = run_query(store, "path", person="甲", other="丁")
    middle = min("乙", "丙")
    assert [r["person"] for r in rows] == ["甲", middle, "丁"]
    assert [r["step"] for r in rows] == [0, 1, 2] and rows[-1]["events_with_next"] == []


def test_roster_on_seeds_covers_every_post_in_the_organisation_and_its_parts(seed_store, seed_records):
    parents, posts = {}, defaultdict(set)
    for r in seed_records:
        for e in r.events:
            for a in e.appearances:
                for t in a.titles:
                    if t.organization:
                        posts[t.organization].add((a.person, a.region, t.post or t.text))
                        if t.parent and t.parent != t.organization:
                            parents[t.organization] = t.parent
    roots = Counter(parents.values()).most_common(2)
    assert roots
    for root, _ in roots:
        def under(org, root=root):
            seen = set()
            while org is not None and org not in seen:
                if org == root:
                    return True
                seen.add(org)
                org = parents.get(org)
            return False
        expected = {p for org, held in posts.items() if under(org) for p in held}
        rows = run_query(seed_store, "roster", organization=root)
        assert {(r["person"], r["region"], r["post"]) for r in rows} == expected
        assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
        assert [post_rank(r["post"]) for r in rows] == [r["rank"] for r in rows]


def _meeting(i, *people, region="区"):
    from conftest import appearance, make_record
    return make_record("m.txt", i * 10, [{"name": f"会{i}", "appearances": [appearance(p, region) for p in people]}])


def test_person_lookups_see_records_loaded_after_a_query():
    store = MemoryStore()
    store.load_records([_meeting(1, "甲", "乙")])
    assert [r["person"] for r in run_query(store, "met-with", person="甲")] == ["乙"]
    with pytest.raises(PersonNotFound):
        run_query(store, "timeline", person="丙")
    store.load_records([_meeting(2, "甲", "丙"), _meeting(3, "丙", "乙", region="别区")])
    assert [r["person"] for r in run_query(store, "met-with", person="甲")] == sorted(["乙", "丙"])
    assert len(run_query(store, "timeline", person="丙", region="区")) == 1
    with pytest.raises(AmbiguousPerson):  # 乙 now also lives in 别区
        run_query(store, "met-with", person="乙")


def test_path_stops_at_max_people():
    store = MemoryStore()
    store.load_records([_meeting(1, "甲", "乙"), _meeting(2, "乙", "丙"), _meeting(3, "丙", "丁")])
    assert [r["person"] for r in run_query(store, "path", person="甲", other="丁", max_people=4)] == ["甲", "乙", "丙", "丁"]
    with pytest.raises(NoPath, match="at most 3 people"):
        run_query(store, "path", person="甲", other="丁", max_people=3)
    for bad in (1, 11, "4"):
        with pytest.raises(QueryError):
            run_query(store, "path", person="甲", other="丁", max_people=bad)


def test_path_is_the_first_sorting_of_all_shortest_chains_on_random_graphs():
    """Against brute force: every shortest chain in the co-attendance projection, least by people."""
    import random

    import networkx as nx
    from officialgraph.graph.rows import node_id

    rng = random.Random(11)
    names = [chr(0x4e00 + i * 37) for i in range(30)]
    for round_ in range(5):
        # a few hub meetings and many small ones, so there are many equally short chains
        meetings = [_meeting(i, *rng.sample(names, rng.choice((2, 2, 3, 8)))) for i in range(40)]
        store = MemoryStore()
        store.load_records(meetings)
        co = nx.Graph()
        for m in meetings:
            for e in m.events:
                who = [node_id("Person", person_key(a.person, a.region)) for a in e.appearances]
                co.add_edges_from(combinations(who, 2))
        for a, b in rng.sample(list(combinations(sorted(co), 2)), 25):
            args = {"person": store.graph.nodes[a]["name"], "other": store.graph.nodes[b]["name"], "max_people": 10}
            if not nx.has_path(co, a, b) or nx.shortest_path_length(co, a, b) > 9:
                with pytest.raises(NoPath):
                    run_query(store, "path", **args)
                continue
            best = min(nx.all_shortest_paths(co, a, b), key=lambda p: [store.graph.nodes[n]["name"] for n in p])
            got = run_query(store, "path", **args)
            assert [r["person"] for r in got] == [store.graph.nodes[n]["name"] for n in best], (round_, a, b)
