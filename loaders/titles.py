"""Titles: where titles are parsed.

A title is written before a name (航空港实验区党工委书记张俊峰); several are chained with 、 or ，
(高新区党工委书记、管委会主任、安委会主任王新亭). Each title is kept as written and parsed into
region + organisation + post (航空港实验区 / 航空港实验区党工委 / 书记); a title that leaves its
region implicit (管委会主任) takes it from earlier in the chain, then from the article.
"""
from __future__ import annotations

import functools
import re

from officialgraph.graph.model import OrgKind, Title
from officialgraph.loaders.rules import RULES_DIR, RuleBook, load_rules
from officialgraph.loaders.text import strip_lead_mark

# A title is at most this long; longer runs are sentences, not titles.
MAX_TITLE = 32
_TITLE_BREAK = set("，,。；;：:“”\"‘’《》（）()[]【】！？!? \n\t")
_DATE_LEAD = re.compile(r"^.*?\d{1,2}\s*月\s*\d{1,2}\s*日(?:上午|下午|晚上|晚)?[，,]?")


@functools.lru_cache(maxsize=1)
def _lead_words() -> tuple[str, ...]:
    words = [line.strip() for line in (RULES_DIR / "title_lead_words.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return tuple(sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _not_region_endings() -> tuple[str, ...]:
    return tuple(line.strip() for line in (RULES_DIR / "not_regions.txt").read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#"))


def post_of(title: str, rules: RuleBook | None = None) -> str | None:
    """The post a title ends with (longest match), or None if it is not a title."""
    rules = rules or load_rules()
    for length in range(min(len(title), _LONGEST_POST), 0, -1):
        if title[-length:] in rules.posts:
            return title[-length:]
    return None


_LONGEST_POST = max(len(post) for post in load_rules().posts)


def clean_title(piece: str) -> str:
    """Strip what stands before a title in the sentence: 会议由, 会上, a date, 本报讯."""
    piece = piece.strip()
    piece = strip_lead_mark(piece)[0]
    piece = _DATE_LEAD.sub("", piece) if re.search(r"\d\s*月\s*\d", piece) else piece
    changed = True
    while changed:
        changed = False
        for word in _lead_words():
            if piece.startswith(word) and len(piece) > len(word) + 1:
                piece = piece[len(word):].lstrip()
                changed = True
                break
    return piece


_NOT_IN_TITLE = re.compile(r"^.*(?:的有|的|了|来访|会见|接待|看望|陪同|邀请|带领|率领|听取|向|还有|另有|也有|等)")


def _after_last_verb(title: str) -> str:
    """会见了来访的德国西门子公司全球副总裁 -> 德国西门子公司全球副总裁: a title holds no verb."""
    return _NOT_IN_TITLE.sub("", title)


def title_before(text: str, end: int, name_ends: frozenset[int] | set[int] = frozenset()) -> tuple[str, int] | None:
    """The title written right before ``text[end]`` (a name), back to the last break, 、 or the
    end of another name (康书霞和投控集团总经理沈立: 沈立's title starts after 康书霞)."""
    start = end
    while start > 0 and end - start < 60 and start not in name_ends:
        if text[start - 1] in "）)" and (opened := _bracket_inside_name(text, start - 1)) >= 0:
            start = opened  # 中科智芯（南州）半导体有限公司董事长: a place in brackets inside the name
            continue
        if text[start - 1] in _TITLE_BREAK or text[start - 1] == "、":
            break
        start -= 1
    if start in name_ends and text[start:start + 1] in ("和", "与", "及", "同"):
        start += 1  # 康书霞和投控集团总经理沈立: the conjunction joins two people
    raw = text[start:end]
    title = _after_last_verb(clean_title(raw))
    # 地委副书记（援藏）: a qualifier in brackets may follow the post.
    if not title or len(title) > MAX_TITLE or post_of(_QUALIFIER_AFTER.sub("", title)) is None:
        return None
    return title, end - len(title)


# A short bracketed part of a title: a place inside a name (公司（南州）…) or a qualifier after a
# post (副书记（援藏）).
_BRACKET_BODY = r"[（(][^，,。；;：:（()）\s]{1,8}"
_BRACKETED = re.compile(_BRACKET_BODY + "$")


def _bracket_inside_name(text: str, close: int) -> int:
    """Where the bracket closed at ``close`` opens, if it holds a short name part and the title
    goes on before it (公司（南州）, 中央党校（国家行政学院）); else -1."""
    opened = _BRACKETED.search(text, max(0, close - 10), close)
    if not opened or opened.start() == 0 or text[opened.start() - 1] in _TITLE_BREAK:
        return -1
    return opened.start()


_QUALIFIER_AFTER = re.compile(_BRACKET_BODY + "[）)]$")


def _clause_starts_at(text: str, start: int) -> bool:
    """Nothing of the clause before ``start``: the text's or a paragraph's start (indent aside),
    or a punctuation break."""
    before = text[:start].rstrip(" \u3000\t")
    return not before or before[-1] in "，,。；;：:、\n"


def chain_before(text: str, title_start: int, is_name_end) -> list[tuple[str, int]]:
    """Earlier titles of a chain: 高新区党工委书记、管委会主任、[安委会主任]王新亭.

    Walks back over pieces separated by 、 (or ，) that are whole titles; stops at a piece that
    ends with a name (``is_name_end(position)``: that piece belongs to someone else).
    """
    chain: list[tuple[str, int]] = []
    position = title_start
    while position > 0 and text[position - 1] in "、，,":
        separator_at = position - 1
        if is_name_end(separator_at):
            break
        found = title_before(text, separator_at)
        if found is None:
            break
        title, start = found
        if text[separator_at] in "，," and not _clause_starts_at(text, start) \
                and clean_title(text[max(0, start - 8):separator_at]) != title:
            break  # after a comma only a whole clause that is a title continues the chain
        chain.insert(0, found)
        position = start
    return chain


# ---------------------------------------------------------------------------------------------
# Parsing a title into region, organisation and post

def split_region(org: str, rules: RuleBook | None = None) -> tuple[str | None, str]:
    """(region as written, rest): 航空港实验区党工委 -> 航空港实验区, 党工委; the shortest prefix
    that ends like a region and is not a place inside one (春藤社区)."""
    rules = rules or load_rules()
    boundaries = _token_boundaries(org)
    for end in range(1, min(len(org), 14) + 1):
        candidate = org[:end]
        if not candidate.endswith(rules.region_endings) or candidate.endswith(_not_region_endings()):
            continue
        # 新型城镇化: 镇 ends no region when the word runs on; 新郑市委: 委 is the city's committee.
        if end in boundaries or end == len(org) or org[end] == "委" or end == 1:
            return candidate, org[end:]
    return None, org


@functools.lru_cache(maxsize=4096)
def _token_boundaries(text: str) -> frozenset[int]:
    from officialgraph.loaders.rules import tokenizer
    ends, position = set(), 0
    for token in tokenizer().cut(text, HMM=False):
        position += len(token)
        ends.add(position)
    return frozenset(ends)


def _canonical_region(region: str | None, rules: RuleBook) -> str | None:
    if region is None:
        return None
    return rules.region_aliases.get(region, region)


def org_kind(org: str, rules: RuleBook) -> str:
    for ending in sorted(rules.org_kinds, key=len, reverse=True):
        if org.endswith(ending):
            return rules.org_kinds[ending]
    return OrgKind.OTHER.value


def parse_chain(titles: list[str], article_region: str | None, rules: RuleBook | None = None) -> tuple[Title, ...]:
    """Parse each title of one chain; a title without a region takes the chain's, then the
    article's; a bare post (董事长 after 省机场集团党委书记) belongs to the organisation before it."""
    rules = rules or load_rules()
    parsed: list[Title] = []
    chain_region = None
    for text in titles:
        # 领导小组副组长兼办公室主任: the first post names the organisation; the office is its own.
        first = text.split("兼", 1)[0] if "兼" in text and post_of(text.split("兼", 1)[0], rules) else text
        post = post_of(first, rules) or ""
        org_text = first[: len(first) - len(post)]
        written_region, body = split_region(org_text, rules)
        if not org_text and parsed:
            region = parsed[-1].region  # 董事长 after 省机场集团党委书记: the same body's region
            as_written = False
        elif written_region in rules.relative_regions:
            # 区党工委, 市统计局: the level word refers to the region in context, if it fits.
            fits = article_region and article_region.endswith(written_region)
            region = chain_region or (article_region if fits else None)
            as_written = region is None
        else:
            region = _canonical_region(written_region, rules) or chain_region or article_region
            as_written = False
        if written_region and region:
            chain_region = region
        if not org_text:
            organization = _bare_post_organization(post, region, parsed, rules)
        elif as_written:
            organization = org_text  # 省机场集团: keep what is written, its region unknown
        else:
            organization = (region or "") + body if body else region
        parsed.append(Title(
            text=text,
            organization=organization or None,
            post=post or None,
            region=region,
            org_kind=org_kind(organization, rules) if organization else OrgKind.OTHER.value,
            parent=region if organization and region and organization != region else None,
        ))
    return tuple(parsed)


def _bare_post_organization(post: str, region: str | None, earlier: list[Title], rules: RuleBook) -> str | None:
    if post in rules.post_bodies:
        return (region or "") + rules.post_bodies[post] if region else None
    if earlier:
        return earlier[-1].organization
    return None


def region_of(titles: tuple[Title, ...], fallback: str | None) -> str:
    """A person's home region: the first region their titles state, else the article's."""
    for title in titles:
        if title.region:
            return title.region
    return fallback or ""
