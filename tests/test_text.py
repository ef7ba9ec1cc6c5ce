"""Text handling: decoding, joining lines broken inside words, splitting a page into articles."""
from __future__ import annotations

import codecs
import re

import pytest

from officialgraph.errors import InputError
from officialgraph.loaders.text import decode_bytes, join_lines, paragraphs, read_page, split_articles, split_byline


@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-8"),
    lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
    lambda s: s.encode("gb18030"),
    lambda s: s.encode("utf-16"),  # carries its BOM
    lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
])
def test_decodes_every_supported_encoding(encode):
    text = "本报讯 11月15日，航空港实验区召开会议。康省楨出席。"
    assert decode_bytes(encode(text), "p.txt") == text


def test_binary_file_is_an_error_naming_the_file():
    with pytest.raises(InputError, match="blob.txt"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "blob.txt")


def test_undecodable_bytes_are_an_error():
    with pytest.raises(InputError, match="x.txt"):
        decode_bytes(bytes([0xFF, 0xFE, 0x00, 0xD8, 0x41]) + b"\xff" * 3, "x.txt")


def test_empty_file_is_no_error(tmp_path):
    page = tmp_path / "empty.txt"
    page.write_bytes(b"")
    assert read_page(page) == ""
    assert split_articles(join_lines("")) == []


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(InputError, match="nope.txt"):
        read_page(tmp_path / "nope.txt")


def test_joins_lines_broken_inside_words_and_names():
    joined = join_lines("本报讯 航空\n港实验区党工委书记王新\n亭出席会议。\n\n下一段。")
    assert joined.text == "本报讯 航空港实验区党工委书记王新亭出席会议。\n下一段。"


def test_blank_line_inside_running_text_is_a_column_break():
    page = "会议强调，深入学习宣传贯\n彻好全会精神，各青年工作成员\n\n单位要用真情关心青年。"
    assert "成员单位" in join_lines(page).text


def test_short_line_before_a_blank_line_is_a_headline_not_a_break():
    joined = join_lines("坚定打赢攻坚战决心\n\n本报讯 12月8日，会议召开。")
    assert [p.text for p in paragraphs(joined)] == ["坚定打赢攻坚战决心", "本报讯 12月8日，会议召开。"]


def test_offsets_point_back_into_the_page():
    page = "本报讯 航空\n港实验区\n\n召开会议。"
    joined = join_lines(page)
    for i, ch in enumerate(joined.text):
        if ch != "\n":
            assert page[joined.offsets[i]] == ch
    start, end = joined.page_span(joined.text.index("港"), joined.text.index("。") + 1)
    assert re.sub(r"\s", "", page[start:end]) == "港实验区召开会议。"


def test_byline_at_the_end_of_a_paragraph():
    assert split_byline("确保完成任务。记者 杨宜锦") == ("确保完成任务。", "记者 杨宜锦")
    assert split_byline("记者 王军方 通讯员 杨宇 薄向波") == ("", "记者 王军方 通讯员 杨宇 薄向波")
    assert split_byline("记者从会议上了解到，措施出台。") == ("记者从会议上了解到，措施出台。", "")


def test_articles_start_at_benbaoxun_take_headline_and_end_at_byline():
    page = ("# 高新区召开推进会\n\n本报讯 11月27日,高新区召开推进会。会议强调要落实。记者 孙庆辉\n\n"
            "第二篇的标题\n\n本报讯 近日,新郑市召开会议。\n记者 杨宜锦 文/图\n")
    articles = split_articles(join_lines(page))
    assert [a.headline for a in articles] == ["高新区召开推进会", "第二篇的标题"]
    assert [a.byline for a in articles] == ["记者 孙庆辉", "记者 杨宜锦 文/图"]
    assert articles[0].body[-1].text.endswith("要落实。")


def test_ocr_repeated_paragraph_is_dropped():
    para = "在集团总部,集团副总裁丁柯接待了考察组一行。考察组参观了展厅。"
    page = f"本报讯 11月26日,考察组赴深圳考察。\n\n{para}\n\n{para}\n记者 孙庆辉"
    [article] = split_articles(join_lines(page))
    assert sum(p.text == para for p in article.body) == 1


def test_headline_away_from_its_article_is_attached_by_its_words():
    page = ("本报讯 12月7日，郑州高新区召开第21次调度会，安排部署大气污染防治冲刺工作。\n记者 孙庆辉\n\n"
            "本报讯 12月8日，高新区召开意识形态会议。\n记者 孙庆辉\n\n"
            "高新区第21次调度会召开\n\n无关的标题\n\n本报讯 12月9日，高新区召开推介会。\n记者 孙庆辉")
    articles = split_articles(join_lines(page))
    assert articles[0].headline == "高新区第21次调度会召开"


def test_a_lead_byline_bracket_broken_over_lines_stays_in_the_lead():
    page = "本报讯（融媒体记者 刘洋 \n通讯员 邓佳慧）11月 \n28日，县委书记周卫东主持召开会议。\n记者 刘洋"
    [span] = split_articles(join_lines(page))
    assert span.body[0].text.startswith("本报讯（融媒体记者 刘洋 通讯员 邓佳慧）11月28日，县委书记")
    page = "本报讯（记者 阿苏\n拉则）3月10日，州长主持会议。"
    assert join_lines(page).text.startswith("本报讯（记者 阿苏拉则）3月10日")


def test_a_lead_mark_alone_on_its_line_goes_on_below():
    page = "本报讯（通讯员 刘畅 记者 王磊）\n12月3日，公司召开动员大会。"
    [span] = split_articles(join_lines(page))
    assert span.body[0].text == "本报讯（通讯员 刘畅 记者 王磊）12月3日，公司召开动员大会。"


def test_a_headline_then_a_dated_opening_starts_an_article_without_benbaoxun():
    page = ("本报讯 12月3日，公司召开动员大会。\n会议以视频形式召开。\n\n\n"
            "公司与东北大学签订产学研合作协议\n12月4日，公司与东北大学签署合作协议。\n（通讯员 陈玉洁）")
    spans = split_articles(join_lines(page))
    assert [(s.headline, s.body[0].text[:5], s.byline) for s in spans] == [
        (None, "本报讯 1", ""), ("公司与东北大学签订产学研合作协议", "12月4日", "（通讯员 陈玉洁）")]


def test_a_headline_then_a_byline_line_then_an_undated_opening_starts_an_article():
    page = ("本报讯 11月25日，全市安全生产调度会召开。\n会议以视频形式召开。\n\n\n"
            "周海燕在沅水县调研基层党建工作\n\n本报记者 陈晨 报道\n日前，市委常委周海燕到沅水县调研。")
    spans = split_articles(join_lines(page))
    assert [(s.headline, s.byline, s.body[0].text[:3]) for s in spans] == [
        (None, "", "本报讯"), ("周海燕在沅水县调研基层党建工作", "本报记者 陈晨 报道", "日前，")]


def test_a_reprinted_report_after_a_byline_starts_an_article_and_a_repeated_lead_starts_none():
    page = ("本报讯 11月26日，市里召开会议。\n记者 乌兰\n\n"
            "市政府与华信集团签约\n据《临江日报》报道 11月27日，市政府与华信集团签署协议。")
    spans = split_articles(join_lines(page))
    assert [s.headline for s in spans] == [None, "市政府与华信集团签约"]
    page = ("本报讯（记者 黄振宇）6月11日，县长陈波到企业调研。\n陈波强调，要抓好安全。\n"
            "本报讯（记者 黄振宇）6月11日，县长陈波到企业调研。\n副县长叶青参加调研。\n记者 黄振宇")
    [span] = split_articles(join_lines(page))
    assert [p.text for p in span.body][-1] == "副县长叶青参加调研。"


def test_a_byline_between_a_headline_and_its_lead_is_that_article_s():
    page = ("本报讯 6月28日，市里召开会议。\n记者 王雪\n\n云川市与东江大学签署战略合作协议\n\n"
            "本报记者 赵一鸣 通讯员 钱坤\n本报讯 6月29日，双方签署协议。")
    spans = split_articles(join_lines(page))
    assert [(s.headline, s.byline) for s in spans] == [
        (None, "记者 王雪"), ("云川市与东江大学签署战略合作协议", "本报记者 赵一鸣 通讯员 钱坤")]
