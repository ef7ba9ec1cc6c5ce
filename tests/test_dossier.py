"""The dossier page without a browser: built from the real seed graph, parsed with html.parser,
checked against the same canned queries it is drawn from."""
from __future__ import annotations

import json
import random
import re
import time
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from officialgraph.cli import main
from officialgraph.dossier import build_dossier, render_dossier
from officialgraph.dossier.build import MAX_FIRST_STEP, MAX_SECOND_STEP
from officialgraph.errors import AmbiguousPerson, PersonNotFound
from officialgraph.graph.memory import MemoryStore
from officialgraph.loaders.text import read_page
from officialgraph.graph.model import Appearance, ArticleRecord, Event, Title
from officialgraph.queries import run_query

SUBJECT = "张俊峰"  # the seed person with the most appearances and co-attendees
HOSTILE = "<script>alert(1)</script>"
HOSTILE_NAME = '丙<img src=x onerror="alert(4)">丁'  # no extractor yields this; a hand-made record can
REMOTE = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?\s*(?:https?:)?//""",
                    re.IGNORECASE)


# --- a small DOM from html.parser -------------------------------------------------------------

VOID = {"meta", "br", "img", "input", "link", "hr", "col", "source", "wbr", "area", "base", "embed"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, tag: str | None = None, **attrs: str) -> list["Node"]:
        return [n for n in self.walk() if (tag is None or n.tag == tag)
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def by_id(self, ident: str) -> "Node":
        found = [n for n in self.walk() if n.attrs.get("id") == ident]
        assert len(found) == 1, f"expected one element with id {ident}, found {len(found)}"
        return found[0]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def cells(row: Node) -> list[str]:
    return [td.text().strip() for td in row.find_all("td")]


def chart_json(doc: Node) -> dict:
    return json.loads(doc.by_id("dossier-data").text())


# --- records built in code ------------------------------------------------------------------

def record(source: str, index: int, events: tuple[Event, ...], when: str | None = None) -> ArticleRecord:
    return ArticleRecord(source=source, page_hash=f"hash-{source}-{index}", start=index * 1000,
                         end=index * 1000 + 900, headline=None, date=when,
                         date_precision="day" if when else "none", year_basis=None, region="测试区",
                         reporters=(), correspondents=(), events=events)


def appearance(person: str, order: int, sentence: str, start: int, titles: tuple[Title, ...] = (),
               roles: tuple[str, ...] = ("attend",)) -> Appearance:
    return Appearance(person=person, region="测试区", titles=titles, roles=roles, order=order,
                      evidence=sentence, evidence_start=start, evidence_end=start + len(sentence))


MAYOR = Title("测试区区长", "测试区政府", "区长", "测试区", "government", "测试区")
SECRETARY = Title("测试区委书记", "测试区委", "书记", "测试区", "party", "测试区")
PRECISIONS = ("day",) * 14 + ("day-year-inferred",) * 4 + ("month-day", "none")


def generated_names(surnames: str, count: int) -> list[str]:
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    names = [f"{surnames[i % len(surnames)]}{given[(i // len(surnames)) % 20]}{given[(i * 7 + 3) % 20]}"
             for i in range(count)]
    assert len(set(names)) == count
    return names


def many_appearances(subject: str = "周大海", count: int = 500, pool: int = 120, outsiders: int = 80,
                     side_events: int = 150, seed: int = 7) -> list[ArticleRecord]:
    """One official at ``count`` generated events, each with 2-6 co-attendees from a pool whose
    first members turn up far more often (so ties have a clear order), all four date precisions,
    and a move from mayor to secretary two fifths of the way through. ``side_events`` without the
    official bring pool members together with outsiders: the second step of the network."""
    rng = random.Random(seed)
    people = generated_names("王李张刘陈杨赵黄周吴", pool)
    strangers = generated_names("孙马朱胡郭何高林罗郑", outsiders)
    weights = [1 / (i + 1) for i in range(pool)]
    records = []
    for i in range(count):
        day = date(2015, 1, 5) + timedelta(days=4 * i)
        precision = PRECISIONS[i % len(PRECISIONS)]
        when = {"month-day": day.strftime("%m-%d"), "none": None}.get(precision, day.isoformat())
        others = sorted(set(rng.choices(people, weights, k=rng.randint(2, 6))))
        title = MAYOR if i < count * 2 // 5 else SECRETARY
        sentence = f"{title.text}{subject}出席第{i + 1}次工作会议"
        apps = [appearance(subject, 1, sentence, 10, (title,), ("host",) if i % 3 == 0 else ("attend",))]
        apps += [appearance(name, n, f"{name}出席第{i + 1}次工作会议", 100 + 20 * n) for n, name in enumerate(others, 2)]
        event = Event(index=0, name=f"第{i + 1}次工作会议", kind=("meeting", "inspection")[i % 2], date=when,
                      date_precision=precision, location="测试区会议中心" if i % 5 == 0 else None,
                      topics=(), appearances=tuple(apps))
        records.append(record(f"page{i // 10:03d}.txt", i % 10, (event,), when if precision == "day" else None))
    for i in range(side_events):
        when = (date(2016, 3, 1) + timedelta(days=7 * i)).isoformat()
        names = sorted(set(rng.choices(people, weights, k=2)) | set(rng.sample(strangers, rng.randint(1, 3))))
        apps = tuple(appearance(name, n, f"{name}参加座谈会{i + 1}", 30 * n) for n, name in enumerate(names, 1))
        event = Event(index=0, name=f"座谈会{i + 1}", kind="meeting", date=when, date_precision="day",
                      location=None, topics=(), appearances=apps)
        records.append(record(f"side{i // 10:03d}.txt", i % 10, (event,), when))
    return records


def lone_record() -> list[ArticleRecord]:
    """One undated appearance, nobody beside the person."""
    event = Event(index=0, name="独自调研", kind="inspection", date=None, date_precision="none", location=None,
                  topics=(), appearances=(appearance("孤一人", 1, "孤一人到村里调研", 42),))
    return [record("lone.txt", 0, (event,))]


def hostile_records() -> list[ArticleRecord]:
    """Page text that would run as code if it reached the page unescaped."""
    event = Event(index=0, name=f"</script><script>alert(2)</script>会议", kind="meeting", date="2021-03-01",
                  date_precision="day", location='<img src=x onerror="alert(3)">',
                  topics=(), appearances=(appearance("甲乙丙", 1, f"甲乙丙出席{HOSTILE}", 5),
                                          appearance(HOSTILE_NAME, 2, "丙丁&amp;出席", 60)))
    return [record("hostile.txt", 0, (event,), "2021-03-01")]


def store_of(records: list[ArticleRecord]) -> MemoryStore:
    store = MemoryStore()
    store.load_records(records)
    return store


@pytest.fixture(scope="module")
def seed_store(seed_records: list[ArticleRecord]) -> MemoryStore:
    return store_of(seed_records)


@pytest.fixture(scope="module")
def seed_page(seed_store: MemoryStore) -> str:
    return render_dossier(build_dossier(seed_store, SUBJECT))


# --- the seed person --------------------------------------------------------------------------

def test_header_names_the_person_region_and_titles(seed_store, seed_page):
    doc = parse(seed_page)
    assert doc.by_id("person-name").text() == SUBJECT
    assert doc.find_all("title")[0].text().startswith(SUBJECT)
    region = run_query(seed_store, "met-with", person=run_query(seed_store, "met-with", person=SUBJECT)[0]["person"])
    home = next(r["region"] for r in region if r["person"] == SUBJECT)
    assert doc.by_id("person-region").text() == home
    titles = [li.text() for li in doc.by_id("titles").find_all("li")]
    timeline_titles = {t for row in run_query(seed_store, "timeline", person=SUBJECT) for t in row["titles"]}
    assert set(titles) == timeline_titles and titles


def in_display_order(rows: list[dict]) -> list[dict]:
    """The timeline query's rows as the page lists them: those with a year first, then month-day
    only, then undated; the query's order inside each group."""
    with_year = [r for r in rows if r["date"] and r["date_precision"] in ("day", "day-year-inferred")]
    month_day = [r for r in rows if r["date"] and r not in with_year]
    return with_year + month_day + [r for r in rows if not r["date"]]


def test_timeline_lists_every_appearance_with_its_date_and_precision(seed_store, seed_page):
    rows = in_display_order(run_query(seed_store, "timeline", person=SUBJECT))
    assert len(rows) >= 3
    table = parse(seed_page).by_id("timeline")
    listed = [tr for tr in table.find_all("tr") if tr.attrs.get("data-precision")]
    assert [tr.attrs["data-date"] for tr in listed] == [r["date"] or "" for r in rows]
    assert [tr.attrs["data-precision"] for tr in listed] == [r["date_precision"] for r in rows]
    for tr, row in zip(listed, rows):
        text = cells(tr)
        assert (row["date"] or "—") == text[0]
        assert row["event"] in text[2]
        assert "、".join(row["titles"]) == text[4]
    for row in rows:
        if row["date"]:
            assert row["date"] in seed_page


def test_undated_and_inferred_appearances_are_marked(seed_store, seed_page):
    rows = in_display_order(run_query(seed_store, "timeline", person=SUBJECT))
    doc = parse(seed_page)
    data = chart_json(doc)
    dated = [r for r in rows if r["date_precision"] in ("day", "day-year-inferred")]
    assert [p["date"] for p in data["timeline"]] == [r["date"] for r in dated]
    assert [p["precision"] for p in data["timeline"]] == [r["date_precision"] for r in dated]
    undated = len(rows) - len(dated)
    if undated:  # the seed person has both kinds; the page says how many are not drawn
        assert f"{undated} 次出现没有年份" in seed_page
    badges = [tr.find_all("span")[0].attrs["title"] for tr in doc.by_id("timeline").find_all("tr")[1:]]
    assert badges == [r["date_precision"] for r in rows]


def test_posts_follow_the_career_query(seed_store, seed_page):
    career = run_query(seed_store, "career", person=SUBJECT)
    assert career
    rows = parse(seed_page).by_id("posts").find_all("tr")[1:]
    assert len(rows) == len(career)
    for tr, post in zip(rows, career):
        text = cells(tr)
        assert text[1:5] == [post["organization"], post["post"], post["title"], post["first_seen"] or "—"]
        assert text[5] == (post["last_seen"] or "—") and text[6] == str(post["count"])
        assert tr.attrs["data-change"] == post["change"]
        assert ("现任" in text[7]) == post["current"]


def test_strongest_ties_follow_met_with(seed_store, seed_page):
    met = run_query(seed_store, "met-with", person=SUBJECT)
    rows = parse(seed_page).by_id("ties").find_all("tr")[1:]
    assert cells(rows[0])[1] == met[0]["person"]
    assert cells(rows[0])[3] == str(met[0]["count"])
    assert [cells(tr)[1] for tr in rows] == [r["person"] for r in met[:len(rows)]]
    # the top tie's evidence links: one of the subject's sentences per shared event
    shared = run_query(seed_store, "evidence", person=SUBJECT, other=met[0]["person"])
    assert len(rows[0].find_all("a")) == len(shared) == met[0]["count"]


def test_every_fact_links_to_its_sentence_with_source_and_offsets(seed_store, seed_page):
    doc = parse(seed_page)
    evidence = run_query(seed_store, "evidence", person=SUBJECT)
    items = doc.by_id("evidence").find_all("li")
    assert [(li.attrs["data-source"], li.attrs["data-start"], li.attrs["data-end"]) for li in items] == \
        [(r["source"], str(r["evidence_start"]), str(r["evidence_end"])) for r in evidence]
    for li, row in zip(items, evidence):
        assert li.find_all("blockquote")[0].text() == row["evidence"]
        assert f"[{row['evidence_start']}, {row['evidence_end']})" in li.text()
    anchors = {li.attrs["id"] for li in items}
    links = [a.attrs["href"] for a in doc.find_all("a") if a.attrs.get("class") == "ev"]
    assert links and {h[1:] for h in links} <= anchors
    # every appearance, every post and every tie carries at least one link
    for table in ("timeline", "posts", "ties"):
        for tr in doc.by_id(table).find_all("tr")[1:]:
            assert tr.find_all("a"), f"a row of #{table} has no evidence link"


def test_the_offsets_point_into_the_seed_page(seed_store):
    """The offsets index the page as decoded: the sentence's first characters sit there."""
    data = build_dossier(seed_store, SUBJECT)
    assert data.evidence
    for e in data.evidence:
        text = read_page(Path(__file__).resolve().parent.parent / "seeds" / e.source)
        span = text[e.start:e.end].replace("\n", "")
        assert span[:4] == e.sentence[:4] and span[-2:] == e.sentence[-2:]


def test_network_has_one_and_two_step_people(seed_store, seed_page):
    data = build_dossier(seed_store, SUBJECT)
    met = run_query(seed_store, "met-with", person=SUBJECT)
    steps = {n.name: n.step for n in data.network.nodes}
    assert steps[SUBJECT] == 0
    assert {r["person"] for r in met} == {n for n, s in steps.items() if s == 1}
    second = {r["person"] for m in met for r in run_query(seed_store, "met-with", person=m["person"],
                                                          region=m["region"])} - set(steps) - {SUBJECT}
    assert not second, "every second-step person is in the drawing"
    weights = {(e.source, e.target): e.weight for e in data.network.edges}
    me = f"{SUBJECT}@{data.region}"
    for row in met:
        other = f"{row['person']}@{row['region']}"
        assert weights.get((me, other), weights.get((other, me))) == row["count"]
    doc = parse(seed_page)
    assert doc.by_id("network-chart").attrs["data-expected-nodes"] == str(len(data.network.nodes))
    assert len(chart_json(doc)["network"]["nodes"]) == len(data.network.nodes)


def test_page_is_self_contained(seed_page):
    doc = parse(seed_page)
    assert not REMOTE.search(seed_page), REMOTE.search(seed_page)
    assert 'src="http' not in seed_page and 'href="http' not in seed_page
    assert not doc.find_all("link") and not doc.find_all("img") and not doc.find_all("iframe")
    assert all("src" not in s.attrs for s in doc.find_all("script"))
    assert "@font-face" not in seed_page
    assert "Noto Sans CJK SC" in seed_page
    csp = [m.attrs["content"] for m in doc.find_all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "connect-src 'none'" in csp[0]


# --- escaping ---------------------------------------------------------------------------------

def test_text_from_pages_is_inert():
    store = store_of(hostile_records())
    page = render_dossier(build_dossier(store, "甲乙丙"))
    doc = parse(page)
    scripts = doc.find_all("script")
    assert len(scripts) == 3  # the data, ECharts, the page's own code: nothing injected
    assert "alert(" not in scripts[1].text() + scripts[2].text()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    sentence = doc.by_id("ev-1").find_all("blockquote")[0].text()
    assert sentence == f"甲乙丙出席{HOSTILE}"
    assert doc.by_id("timeline").find_all("tr")[1].find_all("td")[5].text() == '<img src=x onerror="alert(3)">'
    data_text = scripts[0].text()
    assert "</" not in data_text and "<" not in data_text
    assert json.loads(data_text)["timeline"][0]["event"] == "</script><script>alert(2)</script>会议"
    # the co-attendee's '&amp;' is text, shown as written, not a character reference
    assert "丙丁&amp;出席" in doc.by_id("ties").text()
    assert doc.by_id("ties").find_all("td", **{"class": "person"})[0].text() == HOSTILE_NAME


# --- edge cases -------------------------------------------------------------------------------

def test_one_appearance_and_nobody_beside():
    store = store_of(lone_record())
    data = build_dossier(store, "孤一人")
    page = render_dossier(data)
    doc = parse(page)
    assert doc.by_id("person-name").text() == "孤一人"
    assert doc.by_id("person-region").text() == "测试区"
    rows = doc.by_id("timeline").find_all("tr")[1:]
    assert len(rows) == 1 and rows[0].attrs["data-precision"] == "none"
    assert doc.by_id("timeline-chart-empty").text()
    assert doc.by_id("no-ties").text()
    assert [n.step for n in data.network.nodes] == [0] and not data.network.edges
    assert doc.by_id("evidence").find_all("li")[0].attrs["data-start"] == "42"


def test_five_hundred_appearances():
    store = store_of(many_appearances())
    started = time.perf_counter()
    data = build_dossier(store, "周大海")
    page = render_dossier(data)
    elapsed = time.perf_counter() - started
    print(f"\n500 appearances: built and rendered in {elapsed:.2f} s, {len(page) / 1e6:.2f} MB")
    timeline = run_query(store, "timeline", person="周大海")
    met = run_query(store, "met-with", person="周大海")
    doc = parse(page)
    listed = [tr.attrs["data-date"] for tr in doc.by_id("timeline").find_all("tr")[1:]]
    assert sorted(listed) == sorted(r["date"] or "" for r in timeline) and len(listed) == 500
    assert listed == [r["date"] or "" for r in in_display_order(timeline)]
    precisions = [tr.attrs["data-precision"] for tr in doc.by_id("timeline").find_all("tr")[1:]]
    assert set(precisions) == {"day", "day-year-inferred", "month-day", "none"}
    assert len(doc.by_id("evidence").find_all("li")) == 500
    assert [cells(tr)[1] for tr in doc.by_id("ties").find_all("tr")[1:]] == [r["person"] for r in met[:10]]
    assert [p.post for p in data.posts] == ["区长", "书记"]
    assert [p.change for p in data.posts] == ["first", "new"]
    steps = [n.step for n in data.network.nodes]
    assert len(met) > MAX_FIRST_STEP and steps.count(1) == MAX_FIRST_STEP  # the strongest ties only
    assert [n.name for n in data.network.nodes if n.step == 1] == [r["person"] for r in met[:MAX_FIRST_STEP]]
    assert 0 < steps.count(2) <= MAX_SECOND_STEP
    assert f"图中一步 {MAX_FIRST_STEP}/{len(met)} 人" in page
    assert elapsed < 10


# --- namesakes and the command ----------------------------------------------------------------

def test_namesakes_need_a_region(handmade_records):
    store = store_of(handmade_records)
    with pytest.raises(AmbiguousPerson) as raised:
        build_dossier(store, "王强")
    assert "甲区" in str(raised.value) and "乙县" in str(raised.value)
    assert build_dossier(store, "王强", region="乙县").region == "乙县"
    with pytest.raises(PersonNotFound):
        build_dossier(store, "无此人")


def test_cli_writes_the_page(handmade_records, tmp_path):
    graph = tmp_path / "g.graph.json"
    store_of(handmade_records).save(graph)
    out = tmp_path / "王强.html"
    runner = CliRunner()
    result = runner.invoke(main, ["dossier", "王强", "--graph", str(graph), "-o", str(out)])
    assert result.exit_code == 1 and "甲区" in result.output and "乙县" in result.output
    assert not out.exists()
    result = runner.invoke(main, ["dossier", "王强", "--region", "甲区", "--graph", str(graph), "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = parse(out.read_text(encoding="utf-8"))
    assert doc.by_id("person-name").text() == "王强" and doc.by_id("person-region").text() == "甲区"


# --- the same dossier from Neo4j ---------------------------------------------------------------

@pytest.mark.neo4j
def test_dossier_is_the_same_from_neo4j(seed_records, clean_neo4j, neo4j_settings, tmp_path):
    from officialgraph.graph.neo4j_store import Neo4jStore

    records = seed_records + hostile_records() + lone_record()
    with Neo4jStore(neo4j_settings.uri, neo4j_settings.user, neo4j_settings.password,
                    neo4j_settings.database) as server:
        server.load_records(records)
        memory = store_of(records)
        for name in (SUBJECT, "甲乙丙", "孤一人"):
            from_server = build_dossier(server, name)
            assert from_server == build_dossier(memory, name)
            assert render_dossier(from_server) == render_dossier(build_dossier(memory, name))
        assert build_dossier(server, SUBJECT).timeline
    # and through the command, as a user would ask for it
    out = tmp_path / "neo4j.html"
    result = CliRunner().invoke(main, ["dossier", SUBJECT, "--store", "neo4j", "--uri", neo4j_settings.uri,
                                       "--user", neo4j_settings.user, "--password", neo4j_settings.password,
                                       "--database", neo4j_settings.database, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert parse(out.read_text(encoding="utf-8")).by_id("person-name").text() == SUBJECT
