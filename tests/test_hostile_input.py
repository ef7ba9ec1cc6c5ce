"""Hostile pages: whatever the bytes, the loaders give records or the project's own error.

Property tests (hypothesis) feed decode_bytes/read_page, join_lines/split_articles and
extract_page with arbitrary Unicode, control characters, NUL bytes, lone surrogates in UTF-16,
unbalanced quotes and brackets, titles without names, names without titles and very long name
lists. For every record every appearance's evidence must be the page text at its offsets (less
the whitespace the line-joiner removed), offsets in range, order 1..n.

Plain tests push one 50 MB line through the extractor next to 50 MB of ordinary pages and bound
the time ratio and the peak memory.
"""
from __future__ import annotations

import codecs
import gc
import re
import threading
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from officialgraph.errors import OfficialGraphError
from officialgraph.graph.model import ArticleRecord
from officialgraph.loaders.extract import extract_file, extract_page
from officialgraph.loaders.text import decode_bytes, join_lines, read_page, split_articles

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
_WS = re.compile(r"\s")

# Pieces a newspaper page is made of, and pieces that break naive parsers.
SEED_TEXT = "".join(p.read_text(encoding="utf-8") for p in SEEDS)
WORDS = ["本报讯", "记者", "通讯员", "文/图", "书记", "副书记", "主任", "副主任", "区长", "市长", "党工委",
         "管委会", "航空港实验区", "新郑市", "高新区", "主持", "出席", "参加", "讲话", "召开", "会议", "调研",
         "签订", "协议", "传达", "批示", "王新亭", "张俊峰", "才旦加", "康省楨", "欧阳", "11月24日", "2021年",
         "2021~2022年秋冬季", "十九届六中全会", "、", "，", "。", "；", "：", "！", "？", "等", "和", "与", "向",
         "《", "》", "（", "）", "“", "”", "‘", "’", "【", "】", "(", ")", "\"", "'", "#", " ", "\u3000", "\t",
         "\n", "\n\n", "\r\n", "\r", "\x00", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\u2028", "\ufeff",
         "\ufffe", "\u200b", "…", "——", "~", "\\", "`", "{", "}", "${x}", "//", "é", "𠀋", "😀"]
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F)
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
PIECE = st.one_of(st.sampled_from(WORDS), st.text(ANY_CHAR, max_size=4), st.text(CONTROL, max_size=2),
                  st.integers(0, len(SEED_TEXT) - 40).map(lambda i: SEED_TEXT[i:i + 40]))
PAGE = st.lists(PIECE, max_size=120).map("".join)
# What was tried: bench/robustness.py reads this after a run and prints the totals.
COUNTS: Counter = Counter()
HYPOTHESIS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_records(page: str, records: list[ArticleRecord]) -> int:
    """The invariants every record of ``page`` keeps; returns how many appearances were checked."""
    checked = 0
    for record in records:
        assert 0 <= record.start <= record.end <= len(page)
        for event in record.events:
            assert [a.order for a in event.appearances] == list(range(1, len(event.appearances) + 1))
            for a in event.appearances:
                assert a.person and 0 <= a.evidence_start <= a.evidence_end <= len(page), a
                written = page[a.evidence_start:a.evidence_end]
                assert _WS.sub("", written) == _WS.sub("", a.evidence), (written, a.evidence)
                assert a.person in a.evidence
                checked += 1
    return checked


def extract_or_own_error(page: str, source: str = "hostile.txt") -> list[ArticleRecord]:
    """Records, or [] when the library raised its own error; anything else fails the test."""
    COUNTS["hostile inputs"] += 1
    try:
        records = extract_page(page, source)
    except OfficialGraphError:
        COUNTS["own errors"] += 1
        return []
    COUNTS["appearances checked"] += check_records(page, records)
    return records


# --- decoding ---------------------------------------------------------------------------------

@HYPOTHESIS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_decode_or_raise_own_error(data):
    COUNTS["hostile inputs"] += 1
    try:
        text = decode_bytes(data, "bytes.txt")
    except OfficialGraphError as error:
        assert "bytes.txt" in str(error)
        COUNTS["own errors"] += 1
        return
    assert isinstance(text, str)
    extract_or_own_error(text)


@HYPOTHESIS
@given(PAGE, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "gb18030"]))
def test_any_page_in_any_supported_encoding_roundtrips(page, encoding):
    COUNTS["hostile inputs"] += 1
    if encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + page.encode("utf-16-be")
    else:
        data = page.encode(encoding)
    try:
        text = decode_bytes(data, "enc.txt")
    except OfficialGraphError as error:
        # Only a page that really looks binary may be refused.
        assert "binary" in str(error) or "not UTF-8" in str(error)
        COUNTS["own errors"] += 1
        return
    if encoding == "gb18030" and text != page:
        # Short GB18030 bytes can also be valid UTF-8 (通讯员 -> ͨѶԱ); UTF-8 is tried first, as
        # documented. Real pages carry GB punctuation (。 = A1 A3), which UTF-8 refuses.
        assert text == data.decode("utf-8"), (page, text)
        COUNTS["ambiguous gb18030/utf-8 bytes"] += 1
        return
    assert text == page


@HYPOTHESIS
@given(st.text(ANY_CHAR, max_size=30), st.integers(0xD800, 0xDFFF), st.text(ANY_CHAR, max_size=30),
       st.sampled_from(["le", "be"]))
def test_lone_surrogate_in_utf16_is_an_own_error(before, surrogate, after, order):
    COUNTS["hostile inputs"] += 1
    bom = codecs.BOM_UTF16_LE if order == "le" else codecs.BOM_UTF16_BE
    unit = surrogate.to_bytes(2, "little" if order == "le" else "big")
    data = bom + before.encode(f"utf-16-{order}") + unit + after.encode(f"utf-16-{order}")
    if after[:1] and 0xD800 <= surrogate < 0xDC00 and 0xDC00 <= (ord(after[0]) if len(after[0].encode("utf-16-le")) == 2 else 0) <= 0xDFFF:
        return  # a high surrogate followed by a low one is a valid pair, not a lone surrogate
    with pytest.raises(OfficialGraphError, match="surr.txt"):
        decode_bytes(data, "surr.txt")
    COUNTS["own errors"] += 1


def test_nul_bytes_and_binary_files_through_read_page(tmp_path):
    for name, data in {"nul.txt": "本报讯 会议\x00召开。".encode("utf-8"),
                       "png.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
                       "ctrl.txt": "".join(chr(i) for i in range(1, 32)).encode() * 10}.items():
        COUNTS["hostile inputs"] += 1
        (tmp_path / name).write_bytes(data)
        with pytest.raises(OfficialGraphError, match=re.escape(name)):
            read_page(tmp_path / name)
        COUNTS["own errors"] += 1
        result = extract_file(tmp_path / name)
        assert result.records == () and name in result.error


# --- joining and splitting --------------------------------------------------------------------

@HYPOTHESIS
@given(PAGE)
def test_joined_text_maps_every_character_back_to_the_page(page):
    COUNTS["hostile inputs"] += 1
    joined = join_lines(page)
    assert len(joined.offsets) == len(joined.text)
    for i, ch in enumerate(joined.text):
        at = joined.offsets[i]
        assert 0 <= at <= len(page)
        if not ch.isspace():
            assert page[at] == ch
    assert list(joined.offsets) == sorted(joined.offsets)
    for span in split_articles(joined):
        assert 0 <= span.start <= span.end <= len(joined.text)
        start, end = joined.page_span(span.start, span.end)
        assert 0 <= start <= end <= len(page)
        for para in span.body:
            assert _WS.sub("", joined.text[para.start:para.end]) == _WS.sub("", para.text)


# --- extraction -------------------------------------------------------------------------------

@HYPOTHESIS
@given(PAGE)
def test_extract_page_gives_records_whose_evidence_is_on_the_page(page):
    extract_or_own_error(page)


@HYPOTHESIS
@given(st.text(ANY_CHAR, max_size=300))
def test_extract_page_on_arbitrary_unicode(page):
    extract_or_own_error(page)


@HYPOTHESIS
@given(st.text(st.characters(), max_size=200))
def test_extract_page_on_text_with_lone_surrogates(page):
    # A str from Python (not a file) may hold lone surrogates: records or an InputError.
    extract_or_own_error(page)


@HYPOTHESIS
@given(st.lists(st.sampled_from(["《", "》", "（", "）", "“", "”", "(", ")", "【", "】", "\"", "‘"]), min_size=1,
                max_size=30), st.sampled_from(SEEDS))
def test_unbalanced_quotes_and_brackets_inside_a_real_page(marks, seed):
    page = seed.read_text(encoding="utf-8")
    step = max(1, len(page) // (len(marks) + 1))
    for i, mark in enumerate(marks):
        at = (i + 1) * step
        page = page[:at] + mark + page[at:]
    extract_or_own_error(page, seed.name)


@HYPOTHESIS
@given(st.lists(st.sampled_from(["航空港实验区党工委书记", "管委会副主任", "新郑市市长", "书记", "、", "，"]),
                min_size=1, max_size=40))
def test_titles_with_no_name(titles):
    records = extract_or_own_error("本报讯 11月24日，" + "".join(titles) + "出席会议。")
    assert all(a.person for r in records for e in r.events for a in e.appearances)


@HYPOTHESIS
@given(st.lists(st.sampled_from(["王新亭", "张俊峰", "李明", "才旦加", "欧阳明月"]), min_size=1, max_size=40),
       st.sampled_from(["、", "，", "和", ""]))
def test_names_with_no_title(names, glue):
    extract_or_own_error("本报讯 11月24日，" + glue.join(names) + "出席会议并讲话。")


def _name_list(count: int) -> list[str]:
    """Distinct three-character names: a common surname and two given-name characters."""
    surnames, given = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高宋唐", "建国华明伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛超"
    names = [s + a + b for s in surnames for a in given for b in given if a != b]
    assert len(names) >= count
    return names[:count]


def test_ten_thousand_names_in_one_list():
    names = _name_list(10_000)
    page = "本报讯 11月24日，航空港实验区召开会议。区领导" + "、".join(names) + "等出席会议。记者 孙庆辉\n"
    started = time.perf_counter()
    records = extract_or_own_error(page)
    took = time.perf_counter() - started
    people = [a.person for r in records for e in r.events for a in e.appearances]
    assert len(people) == len(set(people))  # nobody twice
    COUNTS["names in the 10,000-name list found"] = len(people)
    COUNTS["names in the 10,000-name list duplicated"] = len(people) - len(set(people))
    assert set(people) <= set(names)
    assert len(people) >= 0.95 * len(names), len(people)
    assert took < 30, f"10,000 names took {took:.1f}s"


# --- size: one 50 MB line against 50 MB of ordinary pages ------------------------------------

BIG = 50 * 1024 * 1024  # bytes of UTF-8


class PeakRss:
    """Peak resident memory of this process while the block runs (sampled every 20 ms)."""

    def __enter__(self):
        self.process = psutil.Process()
        gc.collect()
        self.base = self.process.memory_info().rss
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            self._stop.wait(0.02)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)
        self.growth = self.peak - self.base


def _ordinary_pages() -> list[str]:
    """Copies of the seed pages, each made distinct (its number before every 。), so that no
    copy is dropped whole as an OCR repeat of an earlier one when they share a file."""
    pages = [p.read_text(encoding="utf-8") for p in SEEDS]
    out, size, n = [], 0, 0
    while size < BIG:
        page = pages[n % len(pages)].replace("。", f"{n}。")
        out.append(page)
        size += len(page.encode("utf-8"))
        n += 1
    return out


def _extract_measured(text: str, name: str):
    """(records, seconds, peak memory growth) of one extraction; every appearance is checked
    against the text at its offsets and counted as a hostile input tried."""
    with PeakRss() as memory:
        started = time.perf_counter()
        records = extract_page(text, name)
        seconds = time.perf_counter() - started
    COUNTS["hostile inputs"] += 1
    COUNTS["appearances checked"] += check_records(text, records)
    return records, seconds, memory.growth


@pytest.fixture(scope="module")
def size_runs():
    """Time and peak memory of 50 MB as ordinary pages and as one line, in the same run."""
    pages = _ordinary_pages()
    extract_page(pages[0], "warm.txt")  # rules and jieba load outside the timing
    with PeakRss() as ordinary_mem:
        started = time.perf_counter()
        ordinary_records = 0
        for i, page in enumerate(pages):
            ordinary_records += len(extract_page(page, f"p{i}.txt"))
        ordinary = time.perf_counter() - started
    many = "\n\n".join(pages)
    del pages
    many_records, one_file, many_growth = _extract_measured(many, "many-pages.txt")
    line = _WS.sub("", many)
    del many, many_records
    records, one_line, line_growth = _extract_measured(line, "one-line.txt")
    result = {"ordinary_s": ordinary, "line_s": one_line, "ordinary_mb": ordinary_mem.growth / 2**20,
              "line_mb": line_growth / 2**20, "line_chars": len(line), "records": len(records),
              "appearances": sum(len(e.appearances) for r in records for e in r.events),
              "ordinary_records": ordinary_records, "one_file_s": one_file, "one_file_mb": many_growth / 2**20}
    COUNTS["size runs"] = result
    return result


@pytest.mark.slow
def test_one_50mb_line_takes_at_most_four_times_ordinary_pages(size_runs):
    assert size_runs["line_chars"] * 3 >= BIG * 0.9  # it really is ~50 MB of Chinese
    assert size_runs["appearances"] > 0
    assert size_runs["line_s"] <= 4 * size_runs["ordinary_s"], size_runs


@pytest.mark.slow
def test_50mb_of_pages_in_one_file_takes_at_most_four_times_the_pages_apart(size_runs):
    # A month of a paper in one .txt: OCR-repeat and stray-headline matching must stay local.
    assert size_runs["one_file_s"] <= 4 * size_runs["ordinary_s"], size_runs
    # Its records are kept (some 30,000 articles, 77,000 appearances), so more than the line's.
    assert size_runs["one_file_mb"] < 2048, size_runs


@pytest.mark.slow
def test_one_50mb_line_memory_is_bounded(size_runs):
    # The decoded line is ~33 MB of str; everything the extractor builds on top of it must stay
    # within a small multiple of that, not grow with a per-character Python object.
    assert size_runs["line_mb"] < 1024, size_runs
