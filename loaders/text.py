"""Pages as text: decode the bytes, join lines broken inside words, split into articles.

Every piece of text handed on keeps a map back to character offsets in the page as decoded,
so each fact can point at the characters that state it.
"""
from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from officialgraph.errors import InputError
from officialgraph.loaders.dates import DAYS_BACK

# Share of control / unassigned characters above which decoded bytes are not a text page.
_MAX_JUNK_SHARE = 0.05


def decode_bytes(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK; anything else is an error."""
    if not data:
        return ""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _checked(_decode(data, codec, source), source)
    if b"\x00" in data:
        raise InputError(f"{source}: binary file (NUL bytes), not a text page")
    for codec in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(codec), source)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{source}: not UTF-8, GB18030 or UTF-16 text")


def _decode(data: bytes, codec: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise InputError(f"{source}: broken {codec} text at byte {error.start}") from None


def _checked(text: str, source: str) -> str:
    sample = text[:20000]
    junk = sum(1 for ch in sample if _is_junk(ch))
    if sample and junk / len(sample) > _MAX_JUNK_SHARE:
        raise InputError(f"{source}: binary file ({junk} control characters in the first {len(sample)})")
    return text


def _is_junk(ch: str) -> bool:
    if ch in "\n\r\t\f\v":
        return False
    return unicodedata.category(ch) in ("Cc", "Cn", "Cs", "Co")


def read_page(path: str | Path) -> str:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a page") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    return decode_bytes(data, path.name)


# ---------------------------------------------------------------------------------------------
# Joining lines

def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FA1F
            or 0xF900 <= code <= 0xFAFF)


_CJK_PUNCT = set("，。、；：？！“”‘’《》〈〉（）【】—…·「」『』〔〕～,;:()~%％")
_SENTENCE_END = set("。！？!?；;")
_HSPACE = " \t\r\u3000\u00a0\f\v"
# A byline names journalists: 记者 王军方 通讯员 杨宇 / （记者 张三）/ ■本报记者 李四 / 文/王五.
# What may stand before 记者/通讯员: 本报记者, 特约通讯员, 本报融媒体记者… (parse_byline shares it).
BYLINE_PAPERS = ("本报", "本刊")
BYLINE_QUALIFIERS = ("特约", "见习", "首席", "实习", "全媒体", "融媒体", "全媒", "融媒")
BYLINE_ROLE_PREFIX = rf"(?:{'|'.join(BYLINE_PAPERS)})?(?:{'|'.join(BYLINE_QUALIFIERS)})?"
_BYLINE_ROLE = rf"{BYLINE_ROLE_PREFIX}(?:记者|通讯员|实习生)|(?:文|图|摄影)\s*[/／](?!图|文)"
_BYLINE_MARK = r"[■□◎●▲△★☆◆◇]?\s*[（(【]?\s*"
BYLINE_START = re.compile(rf"^\s*{_BYLINE_MARK}(?:{_BYLINE_ROLE}|文/图|文／图|图/文)")
# An article's lead: 本报讯, 本报郑州11月24日讯, 新华社北京电, maybe with its byline in brackets.
# An evening paper's lead may open with its byline alone in black brackets: 【本报记者 沈冰清】昨日…
# An article continued from another page opens with （上接第1版）. (本报通讯员 is a byline, not 本报…讯.)
LEAD_MARK = re.compile(r"^\s*[■□◎●]?\s*(?:(?:本报[^\s，。,（(]{0,10}?讯(?!员)|新华社[^\s，。,（(]{0,12}?电)\s*"
                       r"(?:[（(【]([^）)】]{0,60})[）)】])?|【(?=[^】]{0,8}?(?:记者|通讯员))([^】]{2,60})】"
                       r"|[（(]上接第?[^）)\s]{1,6}版[）)])\s*")
ARTICLE_START = LEAD_MARK
# A lead's byline without brackets: 本报讯 记者张三 通讯员李四报道：11月28日，…
_LEAD_REPORT = re.compile(rf"^((?:{_BYLINE_ROLE})[^：:，。,；;（(]{{2,40}}?)\s*报道\s*[：:]\s*")


def strip_lead_mark(text: str) -> tuple[str, str]:
    """(lead without 本报讯 and its bracketed byline, that byline)."""
    match = LEAD_MARK.match(text)
    if not match:
        return text, ""
    inside, rest = match.group(1) or match.group(2) or "", text[match.end():]
    if not inside and (report := _LEAD_REPORT.match(rest)):
        return rest[report.end():], report.group(1)
    return rest, inside if BYLINE_START.match(inside) else ""
HEADING = re.compile(r"^\s*#{1,6}\s")


def _wordish(ch: str) -> bool:
    return is_cjk(ch) or ch in _CJK_PUNCT or ch.isdigit()


@dataclass(frozen=True)
class JoinedText:
    """Text with in-word line breaks removed; ``offsets[i]`` is the page offset of ``text[i]``.

    ``offsets`` is a compact array of machine integers, not a tuple of Python ints: on a 50 MB
    page a tuple cost some 36 bytes a character, an array costs 8.
    """
    text: str
    offsets: Sequence[int]

    def page_span(self, start: int, end: int) -> tuple[int, int]:
        """Page offsets of ``text[start:end]`` (end exclusive)."""
        if end <= start:
            at = self.offsets[start] if start < len(self.offsets) else (self.offsets[-1] + 1 if self.offsets else 0)
            return at, at
        return self.offsets[start], self.offsets[end - 1] + 1


def join_lines(page: str) -> JoinedText:
    """Remove line breaks inside words and sentences; keep one "\\n" between paragraphs.

    A newpaper column breaks lines anywhere (航空\\n港), and a column break can even leave a blank
    line inside a sentence. A break is kept where a sentence ends, around bylines, headings and
    本报讯 leads, and after a short stand-alone line (a headline).
    """
    lines = _lines_with_offsets(page)
    masthead = _masthead_lines(lines)
    column = _column_width(lines)
    out: list[str] = []
    offsets = array("q")
    previous: _Line | None = None
    paragraph = _ParagraphSoFar()
    blank_between = False
    for line in lines:
        if not line.text:
            blank_between = True
            continue
        if previous is not None:
            # The masthead's lines (paper, date, page, editors) stand alone, never in a headline.
            glue = "\n" if line.start < masthead or previous.start < masthead \
                else _glue(previous, line, blank_between, paragraph, column)
            if glue == "\n":
                paragraph = _ParagraphSoFar(after_byline=paragraph.is_byline)
            elif glue:
                paragraph.tail += glue
            if glue:
                out.append(glue)
                offsets.append(previous.end)
        out.append(line.text)
        offsets.extend(range(line.start, line.start + len(line.text)))
        paragraph.add(line)
        previous = line
        blank_between = False
    return JoinedText("".join(out), offsets)


# Page furniture: the paper's name, the issue date, the page, the editors (责任编辑：X 校对：Y).
_FURNITURE = re.compile(
    r"星期[一二三四五六日天]|责任编辑|美术编辑|本版编辑|版式|校对|编辑[：:]|机关报|主办|来源[：:]|发布时间"
    r"|第\s*[^\s，。]{1,4}\s*[版期]|[A-Z]?\d{1,3}\s*版|^[\u4e00-\u9fff·]{2,10}(?:日报|晚报|报)$"
    r"|(?:19|20)\d{2}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}|^[A-Z]?\d{1,2}\s+[\u4e00-\u9fff·]{2,8}$"
    r"|^[\u4e00-\u9fff·]{2,8}\s+[A-Z]?\d{1,2}$")
_MASTHEAD_LINES = 8


def is_furniture(text: str) -> bool:
    """A line of page furniture: short, no sentence, a masthead's words or no Chinese at all."""
    if len(text) > 80 or _PUNCTUATION.search(text):
        return False
    return bool(_FURNITURE.search(text)) or not any(is_cjk(ch) for ch in text)


def _masthead_lines(lines: list["_Line"]) -> int:
    """Page offset where the masthead block at the top of the page ends (0: none). A short line
    of its own (the paper's name) counts when furniture follows it."""
    top = [line for line in itertools.islice((line for line in lines if line.text), _MASTHEAD_LINES + 1)]
    end = 0
    for line, following in zip(top, top[1:] + [None]):
        if line.lead:
            break
        if is_furniture(line.text) or len(line.text) <= 10 and following and is_furniture(following.text):
            end = line.end
        else:
            break
    return end


@dataclass
class _ParagraphSoFar:
    """What the joiner knows of the paragraph it is building."""
    lines: int = 0
    longest: int = 0
    unpunctuated: bool = True  # no line has punctuation (a headline's lines)
    is_lead: bool = False  # it opens with 本报讯
    is_byline: bool = False  # it opens with a byline line (记者 王军 / 通讯员 李强 …)
    tail: str = ""  # its last characters
    after_byline: bool = False  # the paragraph before it was a byline: an article ended there

    def add(self, line: "_Line") -> None:
        text = line.text
        if self.lines == 0:
            self.is_lead = line.lead is not None
            self.is_byline = line.is_byline
        self.lines += 1
        self.longest = max(self.longest, len(text))
        self.unpunctuated = self.unpunctuated and not _PUNCTUATION.search(text)
        self.tail = (self.tail + text)[-_TAIL:]

    def running(self, previous: str, column: int) -> bool:
        """Running text, not a short stand-alone line such as a headline: several lines, a long
        line or a 本报讯 lead. Two lines are running text only if one fills its column: two short
        ones are a headline over two lines (石门镇： / 小菌菇撑起大产业)."""
        return (self.lines >= 3 or self.is_lead or len(previous) >= 40
                or self.lines == 2 and self.longest >= column * _FULL_LINE_SHARE)


_TAIL = 60
_PUNCTUATION = re.compile("[，。,；;！？]")
_LEAD_CHARS = re.compile("[讯电】版]")  # a lead mark holds one: a cheap test before the pattern
_OPEN_BRACKET = re.compile("[（(【]")
# A character that never starts a sentence or a headline: the line goes on the one before
# (贺兰山介绍 / [column break] / 了项目情况).
_NEVER_FIRST = set("了着过的地得，。、；：？！）》”")
# A line at least this share of the page's usual line length fills its column.
_FULL_LINE_SHARE = 0.75


def _column_width(lines: list["_Line"]) -> int:
    """The page's usual line length: the median of its non-blank lines (a long-line page's is long)."""
    lengths = sorted(len(line.text) for line in lines if line.text)
    return lengths[len(lengths) // 2] if lengths else 0


@dataclass(slots=True)
class _Line:  # not frozen: a frozen dataclass's __init__ is slow, and a page has thousands of lines
    text: str  # stripped of surrounding horizontal space
    start: int  # page offset of text[0]
    end: int  # page offset just after the text
    spaced_end: bool = False  # the raw line ended with horizontal space

    # Each line is looked at as the line after a break and then as the line before the next
    # one: what its patterns say is worked out once, when it is read.
    is_byline: bool = False
    lead: re.Match | None = None
    opens_byline_or_heading: bool = False


def _open_byline_bracket(text: str) -> bool:
    """The line ends inside a bracket that holds a byline: 本报讯（记者 张三 / 【本报记者 张三"""
    opened = max(text.rfind("（"), text.rfind("("), text.rfind("【"))
    return opened >= 0 and not any(ch in text[opened:] for ch in "）)】") and bool(BYLINE_START.match(text[opened + 1:]))


def _lines_with_offsets(page: str) -> list[_Line]:
    lines = []
    position = 0
    for raw in page.split("\n"):
        stripped_left = raw.lstrip(_HSPACE)
        text = stripped_left.rstrip(_HSPACE)
        start = position + (len(raw) - len(stripped_left))
        if text:
            lines.append(_Line(text, start, start + len(text), len(stripped_left) > len(text), _is_byline_line(text),
                               ARTICLE_START.match(text) if _LEAD_CHARS.search(text) else None,
                               bool(BYLINE_START.match(text) or HEADING.match(text))))
        else:
            lines.append(_Line(text, start, start))
        position += len(raw) + 1
    return lines


def _glue(previous: _Line, line: _Line, blank_between: bool, paragraph: _ParagraphSoFar, column: int) -> str:
    """What goes between two non-empty lines: nothing, a space, or a paragraph break."""
    last, first = previous.text[-1], line.text[0]
    running = paragraph.running(previous.text, column)
    unpunctuated = paragraph.unpunctuated and not paragraph.is_lead
    if _OPEN_BRACKET.search(previous.text) and _open_byline_bracket(previous.text):
        # 本报讯（融媒体记者 刘洋 / 通讯员 邓佳慧）11月: the bracket's byline goes on; a space
        # keeps two names apart where the line broke between them (a space ended the line, or
        # the next line starts with 通讯员), none where it broke inside a name (阿苏 / 拉则).
        return " " if previous.spaced_end or BYLINE_START.match(line.text) else ""
    previous_is_byline = previous.is_byline
    if previous_is_byline and not blank_between:
        if _splits_a_byline_word(previous.text, line.text):
            return ""  # 本报记者 束晓东 本报通 / 讯员 汪洋
        if _BYLINE_TAIL.match(line.text):
            return " "  # 记者 邓小川 通讯员 罗霞 / 谭一鸣 文/图: the names go on
    lead = previous.lead
    if lead and lead.end() == len(previous.text) and not line.lead:
        return ""  # 本报讯（通讯员 刘畅 记者 王磊） alone on its line: the lead goes on below
    if (line.opens_byline_or_heading or line.lead or HEADING.match(previous.text)
            or previous_is_byline or paragraph.is_byline
            or _trailing_byline(paragraph.tail if last in "）)" else previous.text)):
        return "\n"
    if last in _SENTENCE_END or (last in "”\"" and previous.text[-2:-1] in _SENTENCE_END):
        return "\n"
    if paragraph.after_byline and paragraph.lines == 1 and len(previous.text) < column * _FULL_LINE_SHARE \
            and unpunctuated and _is_headline(previous.text):
        return "\n"  # 记者 李嘉敏 / 代表委员说 / 新春将至，…: a short line after a byline is a headline
    if (not running or unpunctuated) and _DATED_OPENING.match(line.text) and _is_headline(previous.text) \
            and not (last.isdigit() and first.isdigit()):
        return "\n"  # a headline's lines, then a lead that opens with its date: 12月4日，公司…
    if blank_between:
        # A blank line inside a sentence is a column break only in running text: a short
        # single line before it is a headline.
        if first in _NEVER_FIRST and _wordish(last) and last not in _SENTENCE_END:
            return ""
        if not (running and _wordish(last) and _wordish(first)):
            return "\n"
        return ""
    if last.isdigit() and first.isdigit():
        return ""  # 9月1 / 0日: a number broken by the line
    if last.isascii() and first.isascii() and last.isalnum() and first.isalnum():
        return " "
    return ""


# A byline's names carried onto the next line: 谭一鸣 文/图, 郑一苇.
_BYLINE_TAIL = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4})*(?:\s*(?:文/图|文／图|摄|报道))?\s*[）)]?$")
_BYLINE_LABELS = ("通讯员", "记者", "实习生")


def _splits_a_byline_word(before: str, after: str) -> bool:
    """A byline label broken by the line: 本报通 / 讯员, 记 / 者."""
    tail, head = before[-2:], after[:2]
    return any(word in tail + head and word not in tail and word not in head for word in _BYLINE_LABELS)


_BYLINE_LINE = re.compile(rf"^{_BYLINE_MARK}(?:{_BYLINE_ROLE}|文/图|文／图|图/文)[\s\S]{{0,40}}$")


# 【本报记者 沈冰清】前日下 (the line broke inside the lead): text goes on after the bracket.
_BRACKET_THEN_TEXT = re.compile(r"^[^【（(]*[【（(][^】）)]*[】）)]\s*(?![（(【]|记者|通讯员)[\u4e00-\u9fff]")


def _is_byline_line(text: str) -> bool:
    return (bool(_BYLINE_LINE.match(text)) and not any(ch in text for ch in "。，,") and not _closes_bracket(text)
            and not _BRACKET_THEN_TEXT.match(text))


def _closes_bracket(text: str) -> bool:
    """通讯员 邓佳慧）11月: the end of a lead's bracket begun on the line before, not a byline."""
    closed = max(text.find("）"), text.find(")"))
    return closed >= 0 and not any(ch in text[:closed] for ch in "（(")


# ---------------------------------------------------------------------------------------------
# Paragraphs and articles

@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int  # offset in the joined text
    end: int


@dataclass(frozen=True)
class ArticleSpan:
    headline: str | None
    body: tuple[Paragraph, ...]  # 本报讯 lead first; bylines and OCR repeats removed
    byline: str  # the byline text (may be empty)
    start: int  # joined-text offsets of the whole article, headline excluded
    end: int


def paragraphs(joined: JoinedText) -> list[Paragraph]:
    result = []
    position = 0
    for piece in joined.text.split("\n"):
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            text = piece.strip()
            result.append(Paragraph(text, position + lead, position + lead + len(text)))
        position += len(piece) + 1
    return result


# A byline at the end of a paragraph: 记者 王军方 通讯员 杨宇 薄向波 文/图
# A journalist's name never starts with a preposition: 记者从县投资促进局获悉 is a sentence.
_NAME_IN_BYLINE = r"(?![从在据对到跟与把被])[^\s。，,；;（）()]{2,4}"
_NAMES = rf"{_NAME_IN_BYLINE}(?:\s+{_NAME_IN_BYLINE})*"
# A county outlet's contribution in brackets: （白沙县融媒体中心 沙马伍各）, its names correspondents.
OUTLET = r"[\u4e00-\u9fff]{2,10}?(?:融媒体中心|融媒中心|新闻中心|传媒中心)"
_TRAILING_BYLINE = re.compile(
    rf"[\s。]*({_BYLINE_MARK}(?:{_BYLINE_ROLE}|(?<=[（(]){OUTLET})\s*{_NAMES}"
    rf"(?:\s+(?:{_BYLINE_ROLE})\s*{_NAMES})*"
    r"(?:\s*(?:文/图|文／图|图/文|摄))?\s*[）)]?)\s*$")


_BYLINE_WORDS = re.compile("|".join((*_BYLINE_LABELS, "/", "／", "中心")))  # 中心: an outlet's credit


def _trailing_byline(text: str) -> re.Match | None:
    # The regex tries every position; most lines hold none of the words a byline needs.
    return _TRAILING_BYLINE.search(text) if _BYLINE_WORDS.search(text) else None


def split_byline(text: str) -> tuple[str, str]:
    """(text without byline, byline) for a paragraph that may end with a byline."""
    if _is_byline_line(text):
        return "", text
    match = _trailing_byline(text)
    if not match or match.start(1) == 0 and not BYLINE_START.match(text):
        return text, ""
    body = text[:match.start(1)].rstrip()
    if body and body[-1] not in _SENTENCE_END and body[-1] not in "”)）":
        return text, ""  # 记者 inside a sentence, not a byline
    return body, match.group(1)


def _norm(text: str) -> str:
    return re.sub(r"[\s,，。、；;：:]", "", text)


def _is_headline(text: str) -> bool:
    if HEADING.match(text):
        return True
    if "。" in text or text.count("，") + text.count(",") > 1:
        return False
    return len(text) <= 60 and text[-1] not in _SENTENCE_END and text[-1] not in "，,、：:" \
        and not BYLINE_START.match(text) and not text.startswith(("(", "（"))


# A page holds a few dozen articles at most: an OCR repeat is looked for among the last
# REPEAT_WINDOW paragraphs, and a stray headline among the ARTICLE_WINDOW articles either side.
# Without these bounds a file of many pages (a month of a paper in one .txt) was quadratic:
# 1 MB took 4x as long as the same pages one by one, and 50 MB would have taken hours.
REPEAT_WINDOW = 500
ARTICLE_WINDOW = 50


def split_articles(joined: JoinedText) -> list[ArticleSpan]:
    """本报讯 starts an article; headline lines before it name it; a byline ends it.

    Paragraphs after a byline and before the next headline belong to the article above (the
    rest of a column printed out of order). A paragraph the page already printed is an OCR
    repeat and is dropped. Headlines left without an article go to the headline-less article
    whose text shares the most with them.
    """
    paras = paragraphs(joined)
    starts = [i for i, p in enumerate(paras) if ARTICLE_START.match(p.text)]
    if starts:
        starts = sorted(set(starts) | set(_dated_starts_after_headlines(paras)) | set(_bulleted_items(paras))
                        | set(_starts_after_closed_articles(paras)) | set(_article_before_first_lead(paras, starts[0])))
    else:
        starts = _starts_after_bylines(paras)
    seen: list[str] = []  # paragraphs kept so far, normalised, in page order
    seen_set: set[str] = set()
    # The last REPEAT_WINDOW to 2 * REPEAT_WINDOW of them joined: one substring search in C
    # instead of one per paragraph.
    recent, recent_count = "", 0
    articles: list[dict] = []
    orphans: list[tuple[int, str]] = []  # (joined offset, headline)
    bounds = starts + [len(paras)]
    # Headlines sit right before an article's lead.
    headline_of: dict[int, list[int]] = {}
    taken: set[int] = set()
    byline_above: dict[int, str] = {}  # 本报记者 X printed between the headline and 本报讯
    for s in starts:
        k = s - 1
        above = k
        while above >= 1 and s - above <= 3 and _is_byline_line(paras[above].text):
            above -= 1  # 本报记者 邓小川 / 本报通讯员 胡蝶 / 本报讯…: a byline over lines
        if above < k and _is_headline(paras[above].text):
            # Only after a headline: otherwise the byline lines close the article above.
            byline_above[s] = " ".join(paras[i].text for i in range(above + 1, s))
            taken.update(range(above + 1, s))
            k = above
        lines = []
        while k >= 0 and k not in taken and _is_headline(paras[k].text) and not is_furniture(paras[k].text) \
                and len(lines) < 4:
            lines.append(k)
            k -= 1
        headline_of[s] = sorted(lines)
        taken.update(lines)
    # A headline line far from its lead that another article's lead matches better is that one's.
    lead_grams = {s: _bigrams("".join(p.text for p in paras[s:min(s + 2, bounds[n + 1])]))
                  for n, s in enumerate(starts)} if any(len(h) > 1 for h in headline_of.values()) else {}
    for n, s in enumerate(starts):
        near = starts[max(0, n - ARTICLE_WINDOW):n + ARTICLE_WINDOW + 1]
        for k in headline_of[s][:-1]:
            grams = _bigrams(paras[k].text) or {""}
            score = {t: len(grams & lead_grams[t]) / len(grams) for t in near}
            best = max(near, key=lambda t: score[t])
            if best != s and score[best] >= 0.5 and score[best] > score[s] or score[s] < 0.2:
                headline_of[s].remove(k)
                orphans.append((paras[k].start, _clean_heading(paras[k].text)))
    for n, s in enumerate(starts):
        stop = bounds[n + 1]
        body: list[Paragraph] = []
        byline_parts: list[str] = [byline_above[s]] if s in byline_above else []
        after_byline = False
        # An OCR repeat of a lead already printed starts nothing: what follows it is the rest
        # of the article that lead began.
        repeated_lead = bool(articles) and _norm(split_byline(paras[s].text)[0]) in seen_set
        for idx in range(s, stop):
            if idx in taken:
                continue
            para = paras[idx]
            text, byline = split_byline(para.text)
            if after_byline and _is_headline(para.text) and not byline:
                orphans.append((para.start, _clean_heading(para.text)))
                continue
            if byline:
                byline_parts.append(byline)
                after_byline = True
            key = _norm(text)
            if not text or key in seen_set or len(key) >= 12 and key in recent:
                continue
            seen.append(key)
            seen_set.add(key)
            recent, recent_count = recent + "\x00" + key, recent_count + 1
            if recent_count >= 2 * REPEAT_WINDOW:
                recent, recent_count = "\x00".join(seen[-REPEAT_WINDOW:]), REPEAT_WINDOW
            body.append(Paragraph(text, para.start, para.start + len(text)))
        if repeated_lead and not headline_of[s]:
            articles[-1]["body"].extend(body)
            articles[-1]["byline"] = " ".join(p for p in (articles[-1]["byline"], *byline_parts) if p)
            continue
        if not body:
            continue
        headline = " ".join(_clean_heading(paras[i].text) for i in headline_of[s]) or None
        articles.append({"headline": headline, "body": body, "byline": " ".join(byline_parts)})
    article_starts = [a["body"][0].start for a in articles]
    for at, orphan in orphans:
        i = bisect_right(article_starts, at)
        _attach_orphan_headline(orphan, articles[max(0, i - ARTICLE_WINDOW):i + ARTICLE_WINDOW])
    # Text before the first 本报讯 that is neither headline nor article stays out.
    return [ArticleSpan(a["headline"], tuple(a["body"]), a["byline"], a["body"][0].start, a["body"][-1].end)
            for a in articles]


# An article without 本报讯 that opens with its date: 12月4日，公司与东北大学签署…
_DATED_OPENING = re.compile(r"^\s*(?:据[^，,。]{1,20}?(?:报道|消息)[，,]?\s*)?(?:\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                            r"|\d{1,2}\s*日|近日|日前|近期|" + "|".join(DAYS_BACK) + r")[^，,。]{0,8}[，,]")


def _dated_starts_after_headlines(paras: list[Paragraph]) -> list[int]:
    """On a page of 本报讯 leads, a paragraph that opens with a date right after a headline line
    (itself after a finished sentence) starts an article too: it is not the next paragraph of
    the article above."""
    starts = []
    for i in range(2, len(paras)):
        if not _DATED_OPENING.match(paras[i].text):
            continue
        # 周海燕在沅水县调研基层党建工作 / 本报记者 陈晨 报道 / 日前，…: the byline line opens it
        first = i - 1 if i >= 3 and _is_byline_line(paras[i - 1].text) else i
        k = first - 1  # back over the headline's lines (a main line and a subtitle)
        while k > 0 and first - k <= 3 and _is_headline(paras[k].text):
            k -= 1
        before = paras[k].text
        if k < first - 1 and (before[-1:] in "。！？!?”）)" or split_byline(before)[1]):
            starts.append(first)
    return starts


# A 简讯 column: ■3月11日，副主任和丽萍率执法检查组赴玉溪市…（记者 罗芸）
_BULLET = re.compile(r"^\s*[■□●◆◇▲△★☆]\s*")


def _bulleted_items(paras: list[Paragraph]) -> list[int]:
    """Each bulleted paragraph that opens with its date is an article of its own."""
    return [i for i, p in enumerate(paras)
            if (mark := _BULLET.match(p.text)) and _DATED_OPENING.match(p.text[mark.end():])]


def _starts_after_closed_articles(paras: list[Paragraph]) -> list[int]:
    """After an article closed by its byline, headline lines and then running text start an
    article of their own, 本报讯 or not (a feature, a reprint)."""
    starts = []
    for i in range(2, len(paras)):
        k = i - 1
        while k > 0 and i - k <= 2 and _is_headline(paras[k].text) and not _is_byline_line(paras[k].text):
            k -= 1
        if k == i - 1 or _is_headline(paras[i].text) or _is_byline_line(paras[i].text):
            continue
        if _is_byline_line(paras[k].text) and k + 1 < i or split_byline(paras[k].text)[1]:
            starts.append(i)
    return starts


def _article_before_first_lead(paras: list[Paragraph], first_lead: int) -> list[int]:
    """Above the first 本报讯, running text under a headline that ends with its byline is an
    article too (a feature at the top of the page); a masthead or a 导读 box has no byline."""
    first = next((i for i in range(1, first_lead) if "。" in paras[i].text), None)
    if first is None or not _is_headline(paras[first - 1].text):
        return []
    closed = any(_is_byline_line(p.text) or split_byline(p.text)[1] for p in paras[first:first_lead])
    return [first] if closed else []


def _starts_after_bylines(paras: list[Paragraph]) -> list[int]:
    """Without 本报讯 leads, an article starts at the first body paragraph after each byline."""
    starts, expecting = [], True
    for i, para in enumerate(paras):
        if expecting and not _is_headline(para.text) and not _is_byline_line(para.text):
            starts.append(i)
            expecting = False
        if split_byline(para.text)[1]:
            expecting = True
    return starts


def _clean_heading(text: str) -> str:
    return re.sub(r"^#{1,6}\s*", "", text).strip()


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1) if is_cjk(text[i]) and is_cjk(text[i + 1])}


def _attach_orphan_headline(headline: str, articles: list[dict]) -> None:
    grams = _bigrams(headline)
    best, best_score = None, 0.0
    for article in articles:
        if article["headline"] and not article.get("orphan_headline"):
            continue
        if "grams" not in article:  # once per article, not once per orphan headline
            article["grams"] = _bigrams("".join(p.text for p in article["body"][:2]))
        text_grams = article["grams"]
        score = len(grams & text_grams) / max(1, len(grams))
        if score > best_score:
            best, best_score = article, score
    if best is not None and best_score >= 0.5:
        best["headline"] = f"{best['headline']} {headline}" if best["headline"] else headline
        best["orphan_headline"] = True
