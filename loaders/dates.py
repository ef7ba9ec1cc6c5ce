"""Dates: the day an article gives, and the year a page implies when the text leaves it out.

Each clue on a page (an explicit year, a 2020~2021年秋冬季 season, a datable reference such as
十九届六中全会) becomes an anchor month; a month-day without a year takes the year that puts it
nearest the anchors.
"""
from __future__ import annotations

import datetime
import re
from bisect import bisect_right
from dataclasses import dataclass
from statistics import median

from officialgraph.graph.model import DatePrecision
from officialgraph.loaders.rules import load_rules, per_rulebook

# Numbers in dates: Arabic, or Chinese numerals (二〇二五年十一月二十一日).
_YEAR_NUM = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_MD_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_CN_DIGITS = {ch: n for n, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}
_DAY = re.compile(rf"(?:({_YEAR_NUM})\s*年\s*)?({_MD_NUM})\s*月\s*({_MD_NUM})\s*日")


def number(text: str) -> int:
    """12, 二〇二五 (digit by digit) or 二十一 (with 十) as an int."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
_UNDATED = re.compile(r"近日|日前|近期|前不久|最近|前夕")
_SEASON = re.compile(r"(\d{4})\s*[~～—\-－至]\s*(\d{4})\s*年\s*秋冬季")
_RANGE = re.compile(r"(\d{4})\s*[~～—\-－至]\s*(\d{4})\s*年")
_YEAR = re.compile(r"(?<![\d~～—\-－])((?:19|20)\d{2})\s*年(?!\s*[~～—\-－至])")
_FILE_DATE = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?![0-9])")
# Weights of the clues: a season range is precise, a datable reference nearly so.
_WEIGHTS = {"season": 3.0, "reference": 2.0, "year": 1.0}


@dataclass(frozen=True)
class MonthDay:
    year: int | None
    month: int
    day: int
    start: int  # offset of the date in the text searched
    end: int
    # The year a relative day (昨天, 前日, 24日) lands in when counted back from a page date whose
    # year is known: exact, unlike a year guessed from clues in the text.
    counted_year: int | None = None


# 1月8日至11日: a span, the session's, not the day of the event the lead reports.
_RANGE_END = re.compile(rf"\s*(?:至|到|—|－|-|~|～)\s*(?:{_MD_NUM}\s*月\s*)?{_MD_NUM}\s*日")


def lead_date(lead: str, window: int = 80, *, spans: bool = False) -> MonthDay | None:
    """The date an article's lead gives for its main event: the first single day near the start
    (with ``spans``, the first day of a span such as 1月8日至11日 as well)."""
    head = lead[:window]
    undated = _UNDATED.search(head)
    span_end = -1  # where the last span (3月31日至4月1日) ends: a day inside it is no day of its own
    for match in _DAY.finditer(head):
        if undated and undated.start() < match.start():
            return None
        if match.start() < span_end:
            continue
        span = _RANGE_END.match(head, match.end())
        if span:
            span_end = span.end()
            if not spans:
                continue
        year, month, day = match.group(1), number(match.group(2)), number(match.group(3))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return MonthDay(number(year) if year else None, month, day, match.start(), match.end())
    return None


# A sentence of the body that opens with a month and day: 11月20日下午，签约仪式在…举行。
_OPENING_DAY = re.compile(rf"(?:^|(?<=[。！？!?\n]))\s*(?:{_YEAR_NUM}\s*年\s*)?{_MD_NUM}\s*月\s*{_MD_NUM}\s*日"
                          r"(?:上午|下午|晚上|晚间|晚|早上|中午|凌晨)?[^，,。]{0,6}[，,]")


def body_date(text: str, lead: str, window: int = 600) -> MonthDay | None:
    """For a lead that gives no day and does not say 近日: the day a later sentence of the
    article's first ``window`` characters opens with."""
    if _UNDATED.search(lead[:80]):
        return None
    match = _OPENING_DAY.search(text, 0, window)
    return lead_date(text[match.start():match.end()]) if match else None


DAYS_BACK = {"大前天": 3, "大前日": 3, "前天": 2, "前日": 2, "昨天": 1, "昨日": 1, "今天": 0, "今日": 0}
# 昨（3）日: the day written in brackets after 昨/今, as some papers do.
_BRACKETED_DAY = r"[昨今]\s*[（(]\d{1,2}[）)]\s*日"
_RELATIVE_WORD = "(" + _BRACKETED_DAY + "|" + "|".join(DAYS_BACK) + ")"  # longest words first
# 昨天 near the lead's start, or later in its first two sentences after 于, a comma or a full
# stop: …会议，于昨天上午闭幕 / 本报讯 全县…。昨日，…
_RELATIVE = re.compile(rf"^[^，。,]{{0,12}}?{_RELATIVE_WORD}|^[^。]{{0,120}}?(?:。[^。]{{0,80}}?)?(?:于|[，,。]\s*){_RELATIVE_WORD}")
# 上周五: that weekday of the week before the page's
_LAST_WEEK = re.compile(r"^[^，。,]{0,12}?上(?:周|星期)([一二三四五六日天])")
_WEEKDAYS = "一二三四五六日"
_DAY_ONLY = re.compile(r"^[^，。,月]{0,12}?(?<![\d月])(\d{1,2})\s*日")


def relative_date(lead: str, page_date: tuple[int, int, int] | None, year_known: bool = True) -> MonthDay | None:
    """昨天 / 前日 / 24日 in a lead, read against the page's date (given, printed or from the file name)."""
    if page_date is None:
        return None
    published = datetime.date(*page_date)
    match = _RELATIVE.search(lead)
    if match:
        group = 1 if match.group(1) else 2
        word = match.group(group)
        day = published - datetime.timedelta(days=DAYS_BACK.get(word, 1 if word.startswith("昨") else 0))
        return MonthDay(None, day.month, day.day, match.start(group), match.end(group), day.year if year_known else None)
    match = _LAST_WEEK.search(lead)
    if match:
        weekday = _WEEKDAYS.index(match.group(1).replace("天", "日"))
        day = published - datetime.timedelta(days=published.weekday() + 7 - weekday)
        return MonthDay(None, day.month, day.day, match.start(1), match.end(1), day.year if year_known else None)
    match = _DAY_ONLY.search(lead)
    if match and 1 <= int(match.group(1)) <= 31:
        number = int(match.group(1))
        month, year = published.month, published.year
        if number > published.day:  # 30日 on a page of the 2nd: the month before
            month, year = (month - 2) % 12 + 1, year - (month == 1)
        return MonthDay(None, month, number, match.start(1), match.end(), year if year_known else None)
    return None


@per_rulebook
def _festival_pattern(rules) -> re.Pattern:
    names = "|".join(re.escape(n) for n in sorted(rules.festivals, key=len, reverse=True))
    return re.compile(rf"^[^，。,]{{0,6}}?[“\"]?({names})[”\"]?(?:{names})?(?:节)?(?:当天|当日|这天|这一天)")


def festival_date(lead: str, page_date: tuple[int, int, int] | None) -> MonthDay | None:
    """“八一”建军节当天: the holiday's fixed day, in the page's year when the page is dated."""
    rules = load_rules()
    match = _festival_pattern(rules).search(lead)
    if not match:
        return None
    month, day = rules.festivals[match.group(1)]
    year = None
    if page_date:
        year = page_date[0] - ((month, day) > page_date[1:])  # 元旦 on a page of 12月: next year's
    return MonthDay(None, month, day, match.start(1), match.end(), year)


# A masthead's issue date: 2023年11月29日 星期三, 二〇二五年三月十五日 星期六, 2013.1.24 星期四,
# 十一月二十三日 星期六 (no year), near the top of the page.
_WEEKDAY = r"\s*(?:星期|周|礼拜)[一二三四五六日天]"
# A web page's 发布时间：2024-06-19 08:42 is its issue date too.
_MASTHEAD_DATE = re.compile(rf"(?:{_DAY.pattern}|((?:19|20)\d{{2}})[.\-/](\d{{1,2}})[.\-/](\d{{1,2}})){_WEEKDAY}"
                            r"|(?:发布时间|发布日期|发稿时间|日期)[：:]\s*((?:19|20)\d{2})[.\-/年](\d{1,2})[.\-/月](\d{1,2})")
MASTHEAD_REACH = 400  # characters from the top of the page
_FULL_DATE = re.compile(rf"({_YEAR_NUM})\s*年\s*({_MD_NUM})\s*月\s*({_MD_NUM})\s*日")


def masthead_date(page: str) -> tuple[int | None, int, int] | None:
    """The issue date a masthead prints above the articles, if it is valid: with its weekday,
    or alone on a short line of the masthead (第865期  2024年3月15日). The year is None where
    the masthead prints only the month and day."""
    top = page[:MASTHEAD_REACH]
    match = _MASTHEAD_DATE.search(top) or next(
        (m for line in top.split("\n") if len(line) <= 40 and not any(ch in line for ch in "，。,")
         for m in [_FULL_DATE.search(line)] if m), None)
    if not match:
        return None
    groups = match.groups()  # 年月日, dotted, or after 发布时间
    printed = next((groups[i:i + 3] for i in range(0, len(groups), 3) if groups[i + 1]), groups[:3])
    year, month, day = (number(part) if part else None for part in printed)
    try:
        issued = datetime.date(year or ANY_LEAP_YEAR, month, day)
    except ValueError:
        return None
    return year, issued.month, issued.day


# A year for month-day arithmetic on a dateline whose year is unknown: a leap year, so 2月29日 exists.
ANY_LEAP_YEAR = 2000


def date_from_file_name(name: str) -> tuple[int, int, int] | None:
    match = _FILE_DATE.search(name)
    return (int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def year_anchors(text: str) -> list[tuple[float, float]]:
    """(anchor in months since year 0, weight) for every year clue in the text."""
    anchors: list[tuple[float, float]] = []
    for match in _SEASON.finditer(text):
        first = int(match.group(1))
        if int(match.group(2)) == first + 1:
            anchors.append((first * 12 + 12.5, _WEIGHTS["season"]))  # Oct..Mar: around New Year
    for ref in load_rules().datable:
        if ref.phrase in text:
            at = ref.year * 12 + ref.month - 1
            anchors.append((at - 5 if ref.future else at + 5, _WEIGHTS["reference"]))
    ranges = [m.span() for m in _RANGE.finditer(text)]  # non-overlapping, in order
    range_starts = [s for s, _ in ranges]
    for match in _YEAR.finditer(text):
        # The range starting last at or before the year is the only one that can hold it
        # (a bisect: a scan of every range per year was quadratic on a long page).
        at = bisect_right(range_starts, match.start()) - 1
        if at >= 0 and match.start() < ranges[at][1]:
            continue  # 2019~2025年 (a plan's span) says little about the page's date
        anchors.append((int(match.group(1)) * 12 + _month_in_year(text, match), _WEIGHTS["year"]))
    return anchors


# Where in its year a written year points: its middle, or (year_context.tsv) its first or last days.
_YEAR_PART = {"middle": 5.5, "start": -0.5, "end": 11.5}
_CONTEXT_REACH = 6  # characters looked at either side of 2021年


def _month_in_year(text: str, year: re.Match) -> float:
    before = text[max(0, year.start() - _CONTEXT_REACH):year.start()]
    after = text[year.end():year.end() + _CONTEXT_REACH]
    for phrase, side, part in load_rules().year_context:
        if (phrase in before) if side == "before" else after.lstrip().startswith(phrase):
            return _YEAR_PART[part]
    return _YEAR_PART["middle"]


def anchor_of(anchors: list[tuple[float, float]]) -> float | None:
    """Weighted median of the anchors: one stray year mention does not move the page."""
    if not anchors:
        return None
    expanded = [at for at, weight in anchors for _ in range(int(weight * 2))]
    return float(median(expanded))


def year_near(anchor: float, month: int) -> int:
    """The year that puts month nearest the anchor."""
    base = int(anchor // 12)
    candidates = [base - 1, base, base + 1]
    return min(candidates, key=lambda year: abs(year * 12 + month - 1 - anchor))


@dataclass(frozen=True)
class ResolvedDate:
    value: str | None
    precision: str
    basis: str | None  # text | page | user | filename


def resolve(day: MonthDay | None, article_anchor: float | None, page_anchor: float | None,
            given: tuple[int, int, int] | None, given_basis: str | None) -> ResolvedDate:
    """The article's date as FORMAT.md writes it, with how sure it is."""
    if day is None:
        return ResolvedDate(None, DatePrecision.NONE.value, None)
    if day.year:
        return ResolvedDate(f"{day.year:04d}-{day.month:02d}-{day.day:02d}", DatePrecision.DAY.value, "text")
    if day.counted_year and given_basis:  # 昨日 on a page dated 2012-04-18: 2012-04-17, whatever the text's years
        return ResolvedDate(f"{day.counted_year:04d}-{day.month:02d}-{day.day:02d}",
                            DatePrecision.DAY_YEAR_INFERRED.value, given_basis)
    given_anchor = given[0] * 12 + given[1] - 1 if given else None
    # A date the user typed or the masthead printed wins; then the article's own clues, the file
    # name, the page's clues.
    order = [(article_anchor, "text"), (given_anchor, given_basis), (page_anchor, "page")]
    if given_basis in ("user", "page"):
        order.insert(0, order.pop(1))
    for anchor, basis in order:
        if anchor is not None:
            year = year_near(float(anchor), day.month)
            return ResolvedDate(f"{year:04d}-{day.month:02d}-{day.day:02d}",
                                DatePrecision.DAY_YEAR_INFERRED.value, basis)
    return ResolvedDate(f"{day.month:02d}-{day.day:02d}", DatePrecision.MONTH_DAY.value, None)
