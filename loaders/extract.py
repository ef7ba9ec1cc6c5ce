"""Extraction: pages in, ArticleRecords out (who appeared at which event, as what, saying so where).

The flow for one page: join lines -> split articles -> per article find people (a title then a
name, or a name in a list of names), their title chains, the verbs that give their roles, the
event, its date and place -> records whose evidence points back at the page.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
import os
import re
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from officialgraph.errors import InputError, OfficialGraphError
from officialgraph.graph.model import Appearance, ArticleRecord, Event, EventKind, page_hash
from officialgraph.loaders import dates
from officialgraph.loaders.names import compact, name_at
from officialgraph.loaders.rules import RuleBook, common_word, load_rules, per_rulebook
from officialgraph.loaders.text import (BYLINE_PAPERS, BYLINE_QUALIFIERS, BYLINE_ROLE_PREFIX, LEAD_MARK, OUTLET, ArticleSpan,
                                        JoinedText, join_lines, read_page, split_articles, strip_lead_mark)
from officialgraph.loaders.titles import chain_before, clean_title, parse_chain, region_of, split_region, title_before

_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]?")
_CLAUSE_BREAK = set("，,。；;！？!?")
_OBJECT_MARKERS = ("向", "对", "给", "为", "请")
# Between two names of one list: 、，和; the end of a group and a conjunction (凌云等市四大班子领导，
# 与原市委书记盛国华…出席); or people the list leaves unnamed (…段锦昌，省政府有关负责同志，省法院院长甘志诚…).
_UNNAMED = r"[^，,。；;：:]{0,30}?(?:负责同志|负责人|有关同志|主要领导|分管领导)"
_LIST_GLUE = re.compile(r"^[、，,和与及\s]*(?:等[^，,。；;、]{0,10}?(?:领导|同志|负责人|人员|代表)[，,、]\s*(?:与|和|及|以及)?)?"
                        rf"(?:{_UNNAMED}[，,、]\s*(?:和|及|以及)?)*$")
_ESCORT = re.compile(r"的?陪同下")
# The verb before the names: 出席会议的还有副市长王伟、李强 / 参加会议的有… / 陪同调研的有…
_VERB_BEFORE_NAMES = re.compile(r"([^，,。；;：:]{1,16}?)的(?:还|另|也)?有[：:]?\s*$")
# 龚振宇带领心血管内科主任苗壮、儿科主任谢婉婷等专家…: the people led were there too.
# A clause that ends with a speech verb: the clauses after it are the speech.
_SPEECH_ENDS = re.compile(r"(?:强调|指出|要求|表示|说|认为|希望|提出)[了道]?$")
_CALLS_ON = ("拜会", "拜访", "拜见")  # whom the subject called on received the visit
_VISITS = ("看望", "慰问", "探望", "走访")
_REPORTED = re.compile(r"^[^，。；]{0,60}?(?:汇报|通报|报告|说明)")
_LED_BY = re.compile(r"(?:带领|率领|带着)\s*$")


@dataclass
class Mention:
    name: str
    start: int  # offsets in the article text
    end: int
    titles: tuple[str, ...] = ()
    title_start: int = -1  # where the title chain starts (or the name, untitled)
    is_object: bool = False  # 向王新亭汇报: the receiver of the verb, not its subject
    is_source: bool = False  # 据局长钱多多介绍: whom the reporter asked, not someone at the event
    escort_end: int = -1  # 在市委书记李强(的)陪同下: where 陪同下 ends; the escort attended
    roles: set[str] = field(default_factory=set)


# ---------------------------------------------------------------------------------------------
# People

@per_rulebook
def _post_pattern(rules: RuleBook) -> re.Pattern:
    # A lookahead finds a post at every position, the longest first, without consuming text.
    # The character class first: most positions start no post and fail there, not after
    # trying every one of the table's posts.
    alternatives = "|".join(re.escape(p) for p in sorted(rules.posts, key=len, reverse=True))
    first_chars = re.escape("".join(sorted({p[0] for p in rules.posts})))
    return re.compile(f"(?=[{first_chars}])(?=({alternatives}))")


def _post_ends(text: str, rules: RuleBook) -> Iterator[int]:
    """Offsets just after every post word in the text (where a name may start)."""
    for match in _post_pattern(rules).finditer(text):
        yield match.start() + len(match.group(1))


def find_mentions(text: str, rules: RuleBook, known_names: Iterable[str] = (),
                  after_posts: dict[int, str] | None = None) -> list[Mention]:
    """Titled names, the names listed after them, untitled names right before a role verb, then
    every other occurrence of those names (and of ``known_names``: the page titled them elsewhere).
    ``after_posts``: names_after_posts(text) when the caller has it already."""
    if after_posts is None:
        after_posts = names_after_posts(text, rules)
    found = {at: Mention(name, at, at + len(name)) for at, name in sorted(after_posts.items())}
    _extend_lists(text, found, rules)
    _add_titles(text, found, rules)
    _add_ranks(text, found, rules)
    _untitled_before_verbs(text, found, rules)
    _untitled_rosters(text, found, rules)
    _add_repeats(text, found, known_names)
    mentions = sorted(found.values(), key=lambda m: m.start)
    for m in mentions:
        if m.title_start < 0:
            m.title_start = m.start
        head = text[max(0, m.title_start - 2):m.title_start]
        m.is_object = head.endswith(_OBJECT_MARKERS)
        m.is_source = head.endswith("据")
        escort = _ESCORT.match(text, m.end) if head.endswith("在") else None
        if escort:
            # The verbs after 陪同下 are what the escorted subject did: the escort is an object.
            m.is_object, m.escort_end = True, escort.end()
    return mentions


def _add_repeats(text: str, found: dict[int, Mention], known_names: Iterable[str] = ()) -> None:
    """Every other occurrence of a name already found (or known), longer names first, never
    overlapping a mention.

    One pass per name length over the places where some name's first character stands, with a
    set of taken characters: a search per name over the whole text, each checked against every
    mention so far, was quadratic on a one-line page or a list of 10,000 names.
    """
    by_length: dict[int, set[str]] = {}
    for name in [m.name for m in found.values()] + [n for n in known_names if n]:
        by_length.setdefault(len(name), set()).add(name)
        if compact(name) != name:  # 马　骏 in the roster, 马骏 in the text
            by_length.setdefault(len(compact(name)), set()).add(compact(name))
    if not by_length:
        return
    # Where a name's first character stands: a find per character, in C (a character class built
    # per article was a regex compiled per article).
    candidates = sorted(at for first in {name[0] for names in by_length.values() for name in names}
                        for at in _positions(text, first))
    taken = {i for m in found.values() for i in range(m.start, m.end)}
    for length in sorted(by_length, reverse=True):
        names = by_length[length]
        for s in candidates:
            e = s + length
            piece = text[s:e]
            if piece in names and not any(i in taken for i in range(s, e)):
                found[s] = Mention(piece, s, e, title_start=s)
                taken.update(range(s, e))


def _positions(text: str, ch: str) -> Iterator[int]:
    at = text.find(ch)
    while at >= 0:
        yield at
        at = text.find(ch, at + 1)


def _extend_lists(text: str, found: dict[int, Mention], rules: RuleBook) -> None:
    """管委会副主任王春山、魏学彬: a name after 、 (or 和/与) continues the list before it."""
    queue = sorted(found)
    while queue:
        at = found[queue.pop(0)].end
        if at >= len(text) or text[at] not in "、和与及":
            continue
        nxt = at + 1
        if nxt in found:
            continue
        name = name_at(text, nxt, in_list=text[at] == "、", rules=rules)
        if name and title_before(text, nxt, {at}) is None and not _item_has_title(text, nxt, rules):
            found[nxt] = Mention(name, nxt, nxt + len(name), title_start=nxt)
            # 副主任蓝天宇与司马文涛签订: 与 joins two parties, who share no title.
            found[nxt].titles = ("<shared>",) if text[at] != "与" else ()
            queue.append(nxt)


_LIST_ITEM = re.compile(r"[^、，,。；;：:等\n]{0,40}")


def _item_has_title(text: str, start: int, rules: RuleBook) -> bool:
    """党群工作部副部长郭燕胜 after 、 is a title and a name, not a bare name continuing the list
    (容德明在主席台就座 is not: no name follows the 主席 of 主席台)."""
    item = _LIST_ITEM.match(text, start).group()
    return any(name_at(item, end, after_post=True, rules=rules) for end in _post_ends(item, rules))


_CLAUSE_BREAKS = re.compile("[，,。；;：:！？\n]")
# What may stand between untitled names and their verb: 等市领导, 一行, an adverb
# (桑本立同志、方志诚同志分别讲话).
_UNTITLED_GROUPS = ("领导", "同志", "负责人", "人员")


@per_rulebook
def _untitled_tail(rules: RuleBook) -> tuple[re.Pattern, frozenset[str]]:
    """The tail pattern, and the characters it can end with: a clause ending otherwise has no
    tail, and the pattern (which tries every position) is not run on it."""
    adverbs = "|".join(rules.adverbs)
    pattern = re.compile(rf"(?:等[^，。；、]{{0,8}}?(?:{'|'.join(_UNTITLED_GROUPS)}))?(?:一行)?(?:{adverbs})?$")
    return pattern, frozenset(word[-1] for word in (*_UNTITLED_GROUPS, "一行", *rules.adverbs))


def _untitled_before_verbs(text: str, found: dict[int, Mention], rules: RuleBook) -> None:
    """张三、李四等市领导出席 / 会议由王晓明主持: names with no title, right before a role verb.

    Every listed piece must be a whole name with a surname, and jieba's tagger must see a
    person's name (nr) in at least one, so that 会议出席 or 全区上下参加 stay out.
    """
    # A bitmap of characters inside a mention or its title, and the clause breaks found once:
    # a scan of every span and a search back from every verb were quadratic on a one-line page.
    taken = bytearray(len(text))
    for m in found.values():
        start = m.title_start if m.title_start >= 0 else m.start
        taken[start:m.end] = b"\x01" * (m.end - start)
    breaks = [match.start() for match in _CLAUSE_BREAKS.finditer(text)]
    tail, tail_ends = _untitled_tail(rules)
    for verb_at in _verb_starts(text, rules):
        before = bisect_left(breaks, verb_at)
        clause_start = breaks[before - 1] + 1 if before else 0
        clause = text[clause_start:verb_at]
        clause_end = tail.sub("", clause).removesuffix("同志") if clause[-1:] in tail_ends else clause
        if not _ends_with_name(clause_end, rules):
            continue  # cheap test first: most verbs follow no bare name
        body = tail.sub("", clean_title(clause))
        if not body or len(body) > 40 or body not in clause:
            continue
        pieces = [p.removesuffix("同志") for p in re.split(r"[、和与及]", body)]
        if not all(2 <= len(p) <= 4 for p in pieces):
            continue
        if not all(_is_whole_name(p, rules) for p in pieces) or not _tagged_as_name(compact(body)):
            continue
        position = clause_start + clause.rfind(body)
        for piece in pieces:
            start = text.find(piece, position)
            if not taken[start]:
                found[start] = Mention(piece, start, start + len(piece), title_start=start)
                taken[start:start + len(piece)] = b"\x01" * len(piece)
            position = start + len(piece)


# 在主席台就座的还有：冯卓伦、欧阳静、何　锋…等 / 应邀出席闭幕会的还有吴　瀚、梁振华等。
_ROSTER = re.compile(r"的(?:(?:还|另|也)有[：:]?|有[：:])\s*([^。；;！？\n]{2,400}?)(?:等[^、，,。；;]{0,12})?(?=[。；;！？\n]|$)")


def _untitled_rosters(text: str, found: dict[int, Mention], rules: RuleBook) -> None:
    """The untitled names of a roster after …的还有: each item that is a whole name on its own;
    titled items were found after their posts, and an item that is no name is passed over."""
    taken = {i for m in found.values() for i in range(m.title_start if m.title_start >= 0 else m.start, m.end)}
    for roster in _ROSTER.finditer(text):
        position = roster.start(1)
        for piece in re.split(r"[、，,]", roster.group(1)):
            item = piece.strip()
            start = position + (len(piece) - len(piece.lstrip()))
            position += len(piece) + 1  # the piece and the comma after it
            if not item or start in taken or not _is_whole_name(item, rules):
                continue
            found[start] = Mention(item, start, start + len(item), title_start=start)
            taken.update(range(start, start + len(item)))


def _is_whole_name(item: str, rules: RuleBook) -> bool:
    """王伟, 欧阳静, 何　锋: the item read alone is a name (a surname, or padded to a roster's width)."""
    return name_at(item + "，", 0, rules=rules) == item or name_at(item + "，", 0, in_list=True, rules=rules) == item \
        and compact(item) != item


def _ends_with_name(clause: str, rules: RuleBook) -> bool:
    """Could the clause end with a name? Only a surname (or name syllable) 2-4 back says maybe.
    The answer depends on the last four characters alone: it is kept for each."""
    tail = clause[-4:]
    cache = _tail_cache(rules)
    if tail not in cache:
        if len(cache) >= _TAIL_CACHE_SIZE:
            cache.clear()  # bounded: memory stays flat over a decade of pages
        cache[tail] = any(len(tail) >= k and (tail[-k] in rules.surnames or tail[-k] in rules.transliteration_chars)
                          and name_at(tail[-k:] + "，", 0, rules=rules) == tail[-k:] for k in (2, 3, 4))
    return cache[tail]


_TAIL_CACHE_SIZE = 200_000


@per_rulebook
def _tail_cache(rules: RuleBook) -> dict[str, bool]:
    return {}


def _verb_starts(text: str, rules: RuleBook) -> list[int]:
    return [start for start, _, _, has_gap in _verb_matches(text, rules) if not has_gap]


@functools.lru_cache(maxsize=65536)
def _tagged_as_name(text: str) -> bool:
    return any(flag == "nr" for _, flag in _pos_tokenizer().lcut(text))


@functools.lru_cache(maxsize=1)
def _pos_tokenizer():
    import jieba.posseg
    from officialgraph.loaders.rules import tokenizer
    return jieba.posseg.POSTokenizer(tokenizer())


def _add_titles(text: str, found: dict[int, Mention], rules: RuleBook) -> None:
    ends = {m.end for m in found.values()}
    # 司令员田永刚大校、政治委员冯开来: a rank after a name ends that person's part too.
    ends |= {m.end + len(r) for m in found.values() for r in rules.ranks_after_names if text.startswith(r, m.end)}
    ordered = sorted(found.values(), key=lambda m: m.start)
    previous: Mention | None = None
    for m in ordered:
        if m.titles == ("<shared>",):
            # A listed name shares the titles of the name before it (管委会副主任王春山、魏学彬).
            m.titles = previous.titles if previous else ()
            m.title_start = m.start
        else:
            first = title_before(text, m.start, ends)
            if first:
                chain = chain_before(text, first[1], lambda pos: pos in ends) + [first]
                m.titles = tuple(t for t, _ in chain)
                m.title_start = chain[0][1]
        previous = m


def _add_ranks(text: str, found: dict[int, Mention], rules: RuleBook) -> None:
    """司令员田永刚大校: a rank right after the name is one of its titles."""
    for m in found.values():
        rank = next((r for r in rules.ranks_after_names if text.startswith(r, m.end)), None)
        if rank and rank not in m.titles:
            m.titles = (*m.titles, rank)


# ---------------------------------------------------------------------------------------------
# Roles

def _relay_spans(text: str, rules: RuleBook) -> list[tuple[int, int]]:
    """Spans such as 传达…批示 / 学习…讲话精神: people named inside were not there."""
    spans: list[tuple[int, int]] = []
    if not _relay_start_pattern(rules).search(text):
        return spans  # most articles relay nothing: no sentence-by-sentence scan
    for sentence in _SENTENCE.finditer(text):
        chunk, base = sentence.group(), sentence.start()
        for start_word in rules.relay_starts:
            at = chunk.find(start_word)
            while at >= 0:
                # A relayed speech sits inside one clause: 传达了省长X在…上的讲话精神.
                comma = min((c for c in (chunk.find("，", at), chunk.find(",", at)) if c >= 0), default=len(chunk))
                ends = [e for e in (chunk.find(w, at + len(start_word)) for w in rules.relay_ends) if 0 <= e < comma]
                if ends:
                    spans.append((base + at, base + min(ends) + 1))
                at = chunk.find(start_word, at + 1)
    return spans


@per_rulebook
def _relay_start_pattern(rules: RuleBook) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in rules.relay_starts))


def _span_test(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """``inside(offset)``: whether some span holds it; spans merged once, then a bisect per call
    (a scan of every span per mention was quadratic on a long page)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    starts = [start for start, _ in merged]

    def inside(offset: int) -> bool:
        at = bisect_right(starts, offset) - 1
        return at >= 0 and offset < merged[at][1]
    return inside


@per_rulebook
def _verb_index(rules: RuleBook) -> tuple[dict[str, tuple[tuple[str, str], ...]], tuple[tuple[re.Pattern, str], ...],
                                          re.Pattern]:
    """Plain verbs by first character (longest first), and verbs with a gap (作…报告) as
    patterns kept apart, so that a gap never swallows a verb inside it."""
    by_first: dict[str, list[tuple[str, str]]] = {}
    for verb, role in rules.roles.items():
        if "…" not in verb:
            by_first.setdefault(verb[0], []).append((verb, role))
    index = {ch: tuple(sorted(pairs, key=lambda vr: len(vr[0]), reverse=True)) for ch, pairs in by_first.items()}
    gapped = tuple((re.compile("[^，。；,;]{0,60}?".join(re.escape(p) for p in verb.split("…"))), role)
                   for verb, role in rules.roles.items() if "…" in verb)
    # Only characters that begin a verb are looked at: the scan stays in C between them.
    first_chars = re.compile("[" + re.escape("".join(sorted(index))) + "]")
    return index, gapped, first_chars


def _verb_matches(text: str, rules: RuleBook) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, role, has_gap) for every role verb in the text, longest match first."""
    index, gapped, first_chars = _verb_index(rules)
    taken_until = 0
    for candidate in first_chars.finditer(text):
        i = candidate.start()
        if i < taken_until:
            continue
        for verb, role in index[text[i]]:
            if text.startswith(verb, i):
                yield i, i + len(verb), role, False
                taken_until = i + len(verb)
                break
    for pattern, role in gapped:
        for match in pattern.finditer(text):
            yield match.start(), match.end(), role, True


def roles_in(window: str, rules: RuleBook) -> set[str]:
    """Roles the verbs of a window give; 听取…汇报 gives none, nor does 讲话精神."""
    roles: set[str] = set()
    for clause in re.split(r"[，,：:]", window):
        for blocker in rules.role_blockers:
            cut = clause.find(blocker)
            if cut >= 0:
                clause = clause[:cut]
        for start, end, role, has_gap in _verb_matches(clause, rules):
            after = clause[end:end + 2]
            if any(after.startswith(noun) for noun in rules.role_nouns):
                continue
            # 的讲话 / 的报告 name a speech, not the act (在…的陪同下 still accompanies).
            if role in ("speak", "report") and not has_gap and start > 0 and clause[start - 1] == "的":
                continue
            roles.add(role)
        if _SPEECH_ENDS.search(clause):
            break  # 他强调，要团结带领…: what follows is what was said, not what was done
    return roles


def assign_roles(text: str, mentions: list[Mention], rules: RuleBook) -> None:
    """Verbs after a name (up to the next name) are its roles; a list shares the verbs after it;
    the verbs after an object (向王新亭汇报) belong to the subject before it; whom a person
    receives (会见/接待) attended."""
    bounds = [(s.start(), s.end()) for s in _SENTENCE.finditer(text)]
    mentions = sorted(mentions, key=lambda m: m.start)
    mention_starts = [m.start for m in mentions]
    for sentence_start, sentence_end in bounds:
        # Bisect, not a scan of every mention per sentence (quadratic on a one-line page).
        inside = mentions[bisect_left(mention_starts, sentence_start):bisect_left(mention_starts, sentence_end)]
        groups: list[list[Mention]] = []
        received: set[int] = set()  # starts of the mentions a 会见/看望 before them made present
        subject: Mention | None = None  # the last non-object mention so far in the sentence
        for i, m in enumerate(inside):
            nxt = inside[i + 1].title_start if i + 1 < len(inside) else sentence_end
            window = text[max(m.end, m.escort_end):max(m.end, nxt)]
            found = roles_in(window, rules)
            if m.escort_end >= 0:
                m.roles.add("attend")  # accompanying counts as attending (ANNOTATION: 陪同)
            if m.is_object:
                if subject:
                    subject.roles |= found
            elif not m.is_source:
                m.roles |= found
                subject = m
            before = text[inside[i - 1].end if i > 0 else sentence_start:m.title_start]
            if i > 0 and "receive" in roles_in(before, rules):
                m.roles.add("attend")  # 会见了来访的X: the visitor was there too
                received.add(m.start)
            elif before.rstrip("了").endswith(_CALLS_ON):
                m.roles.add("receive")  # 拜会了国务秘书X: X received the visit
            elif before.rstrip("了").endswith("听取") and _REPORTED.search(window):
                m.roles.add("report")  # 听取了副书记邱海涛关于…的通报: the listener's, not his
            elif before.rstrip("了").endswith(_VISITS):
                m.roles.add("attend")  # 看望慰问市佛教协会会长释慧明: the people visited were there
                received.add(m.start)
            if groups and _in_list_after(text, groups[-1][-1], m, rules) and not (m.is_object or m.is_source):
                groups[-1].append(m)
            else:
                groups.append([m])
        for group in groups:
            shared = set().union(*(m.roles for m in group[-1:]))
            for m in group[:-1]:
                m.roles |= shared
            if group[0].start in received:
                for m in group:
                    m.roles.add("attend")  # 会见了董事长戴建明、副总裁甘小强一行: the whole delegation
            _roles_from_before(text, sentence_start, group, rules)


def _reports_an_event(text: str, mentions: list[Mention], rules: RuleBook) -> bool:
    """Someone hosts, attends, inspects, signs, reports or receives, or the text names an event:
    speaking alone (介绍, 表示, 说) is what people quoted in an interview or a feature do."""
    if any(m.roles - {"speak"} for m in mentions):
        return True
    return any(word in text for word in rules.event_markers)


def _in_list_after(text: str, previous: Mention, m: Mention, rules: RuleBook) -> bool:
    """Only list glue (、，和) between two names, after the first one's rank or 同志
    (田永刚大校、冯开来; 桑本立同志、方志诚同志)."""
    gap = text[previous.end:m.title_start]
    rank = next((r for r in (*rules.ranks_after_names, "同志") if gap.startswith(r)), "")
    return bool(_LIST_GLUE.match(gap[len(rank):]))


def _roles_from_before(text: str, sentence_start: int, group: list[Mention], rules: RuleBook) -> None:
    """出席会议的还有X、Y: the names after "…的(还)有" take the roles of the verb before it."""
    head = text[sentence_start:group[0].title_start]
    clause = re.split(r"[，,。；;！？!?]", head)[-1]
    found = _VERB_BEFORE_NAMES.search(clause)
    roles = roles_in(found.group(1), rules) if found else {"attend"} if _LED_BY.search(clause) else set()
    for m in group:
        m.roles |= roles


# ---------------------------------------------------------------------------------------------
# Events

def _event_word_pattern(rules: RuleBook) -> str:
    return "|".join(re.escape(w) for w in sorted(rules.event_words, key=len, reverse=True))


_EVENT_AFTER_VERB = "(?:主持召开|组织召开|召开了|召开|举行了|举行|举办了|举办|主持)(?P<name>[^，。；,;：:]{{2,60}}(?:{words}))"
_EVENT_BEFORE_VERB = "(?P<name>[^，。；,;：:]{{2,60}}(?:{words}))(?:召开|举行|举办|开幕)"
_INSPECTION = re.compile(r"(?:到|赴|深入)(?P<place>[^，。；,;]{2,30}?)(?P<verb>调研|督查|督导|考察|视察|检查|慰问|走访|参观)(?P<rest>[^。；;]{0,40})")
_SIGNING = re.compile(r"(?P<name>[^，。；,;]{0,30}(?:签署|签订)[^，。；,;]{2,30}?(?:协议|合同|备忘录|责任书))")
_RECEPTION = re.compile(r"(?:会见|接待|会晤)了?(?:来访的)?[^，。；,;]{2,40}")
_PLACE = re.compile(r"在(?P<place>[^，。；,;在]{2,20}?)(?:召开|举行|举办|组织召开|主持召开|收听收看|参加|进行)")


@dataclass(frozen=True)
class EventGuess:
    name: str
    kind: str
    location: str | None


def guess_event(lead: str, body: str, headline: str | None, rules: RuleBook) -> EventGuess:
    words = _event_word_pattern(rules)
    after = re.compile(_EVENT_AFTER_VERB.format(words=words))
    before = re.compile(_EVENT_BEFORE_VERB.format(words=words))
    for text in (lead, body):
        for pattern in (after, before):
            match = pattern.search(text)
            if match:
                name = _tidy(match.group("name"))
                return EventGuess(name, _event_kind(name, rules), _place(lead))
        inspection = _INSPECTION.search(text)
        if inspection:
            place = re.sub(r"(进行了|进行|开展)$", "", _tidy(inspection.group("place")))
            return EventGuess(_tidy(inspection.group(0)), EventKind.INSPECTION.value, place)
        guest = _RECEPTION.search(text)
        if guest:
            return EventGuess(_tidy(guest.group(0)), EventKind.VISIT.value, _place(lead))
        signing = _SIGNING.search(text)
        if signing:
            return EventGuess(_tidy(signing.group("name")), EventKind.SIGNING.value, _place(lead))
    fallback = headline or _first_clause(strip_lead_mark(lead)[0])
    return EventGuess(_tidy(fallback)[:60], EventKind.OTHER.value, _place(lead))


def _first_clause(text: str) -> str:
    return re.split(r"[，,。；;]", text, maxsplit=1)[0]


def _tidy(text: str) -> str:
    text = re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text.strip())
    text = re.sub(r"^(?:了|\d{1,2}月\d{1,2}日)", "", strip_lead_mark(text)[0])
    return text.strip("，,。 ")


def _event_kind(name: str, rules: RuleBook) -> str:
    for word in sorted(rules.event_words, key=len, reverse=True):
        if name.endswith(word):
            return rules.event_words[word]
    return EventKind.OTHER.value


def _place(lead: str) -> str | None:
    match = _PLACE.search(lead)
    return _tidy(match.group("place")) if match else None


def topics_of(text: str, rules: RuleBook) -> tuple[str, ...]:
    found = []
    for topic, signals in rules.topics.items():
        hits = sum(text.count(signal) for signal in signals)
        if hits >= 2 or any(signal in text[:200] for signal in signals):
            found.append(topic)
    return tuple(found)


# ---------------------------------------------------------------------------------------------
# Bylines

# 实习生 (an intern) is neither a 记者 nor a 通讯员: ANNOTATION.md counts only those two.
_BYLINE_ROLE = {"记者": "reporters", "实习生": None, "文/": "reporters",
                "通讯员": "correspondents", "图/": None, "摄影/": None}
_BYLINE_ROLES_LONGEST_FIRST = tuple(sorted(_BYLINE_ROLE.items(), key=lambda kv: len(kv[0]), reverse=True))
_OUTLET = re.compile(OUTLET)
# 古丽娜尔·艾力, 乌云毕力格: names of other peoples, longer than four characters
_LONG_BYLINE_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[·•・][\u4e00-\u9fff]{1,8})+|[\u4e00-\u9fff]{5,6}")
_BYLINE_QUALIFIER = re.compile(rf"^{BYLINE_ROLE_PREFIX}(?=记者|通讯员)")
# Tokens that name no one: what the journalist did (摄, 报道, 整理), or a qualifier cut from its
# 记者/通讯员 by a line break (特约 / 通讯员 阿苏拉哈).
_BYLINE_SKIPPED = frozenset({"摄", "报道", "整理", "编辑", *BYLINE_PAPERS, *BYLINE_QUALIFIERS})
_PHOTO_CREDITS = frozenset({"摄影", "图"})  # 摄影 林大卫: the names after it took the pictures


def parse_byline(byline: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(reporters, correspondents) of a byline; 文/图 and photo credits name no one."""
    people: dict[str, list[str]] = {"reporters": [], "correspondents": []}
    current = None
    byline = re.sub(r"文/图|文／图|图/文|[■□◎●▲△★☆◆◇]", " ", byline).replace("／", "/")
    byline = re.sub(r"([文图影])\s*/\s*", r"\1/ ", byline)
    for token in _joined_spaced_names(re.split(r"[\s()（）]+", byline)):
        token = _BYLINE_QUALIFIER.sub("", token.strip())
        if not token:
            continue
        for word, kind in _BYLINE_ROLES_LONGEST_FIRST:
            if token.startswith(word):
                current, token = kind, token[len(word):].lstrip("/／")  # 记者/黄小敏
                break
        else:
            if _OUTLET.fullmatch(token):
                current, token = "correspondents", ""  # （白沙县融媒体中心 沙马伍各）
        if token in _PHOTO_CREDITS:
            current = None
            continue
        if token in _BYLINE_SKIPPED:
            continue
        if current and (2 <= len(token) <= 4 and all("\u3400" <= ch <= "\u9fff" for ch in token)
                        or _LONG_BYLINE_NAME.fullmatch(token)):
            if token not in people[current]:
                people[current].append(token)
    return tuple(people["reporters"]), tuple(people["correspondents"])


def _joined_spaced_names(tokens: list[str]) -> list[str]:
    """邱 悦: a two-character name printed with a space between its characters is one name."""
    out: list[str] = []
    for token in tokens:
        if len(token) == 1 and out and len(out[-1]) == 1 and "\u3400" <= token <= "\u9fff" \
                and "\u3400" <= out[-1] <= "\u9fff":
            out[-1] += token
        else:
            out.append(token)
    return out


def article_bylines(span: ArticleSpan) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Journalists from the closing byline and from a lead's brackets: 本报讯（记者 张三）."""
    inside = strip_lead_mark(span.body[0].text)[1] if span.body else ""
    reporters, correspondents = parse_byline(" ".join(part for part in (inside, span.byline) if part))
    return reporters, correspondents


# ---------------------------------------------------------------------------------------------
# One article, one page

@dataclass(frozen=True)
class PageContext:
    source: str
    joined: JoinedText
    page_anchor: float | None
    given_date: tuple[int, int, int] | None
    given_basis: str | None
    journalists: frozenset[str]
    page_region: str | None
    page_hash: str  # of the decoded page, as PageResult and --resume use it (not the joined text)
    titled_names: frozenset[str] = frozenset()  # names the page writes with a title somewhere
    issue_day: tuple[int, int] | None = None  # month, day of a masthead that prints no year


def _article_text(span: ArticleSpan) -> tuple[str, list[tuple[int, int]]]:
    """The article's paragraphs joined by newlines, with each paragraph's (article offset, joined offset)."""
    pieces, starts, position = [], [], 0
    for paragraph in span.body:
        starts.append((position, paragraph.start))
        pieces.append(paragraph.text)
        position += len(paragraph.text) + 1
    return "\n".join(pieces), starts


def _to_joined(offset: int, starts: list[tuple[int, int]]) -> int:
    at = bisect_right(starts, offset, key=lambda start: start[0]) - 1  # the paragraph holding offset
    if at < 0:
        return starts[0][1]
    article_at, joined_at = starts[at]
    return joined_at + (offset - article_at)


def _regions_in(text: str, mentions: list[Mention], rules: RuleBook) -> Counter:
    counter: Counter = Counter()
    for m in mentions:
        for title in m.titles:
            region, _ = split_region(title, rules)
            if region and region not in rules.relative_regions:
                counter[rules.region_aliases.get(region, region)] += 1
    return counter


# How far evidence reaches before the title and after the name: a whole sentence in newspaper
# text, but bounded, so a sentence of 10,000 names (or a page with no full stop) does not give
# every person the whole of it (quadratic time and output).
EVIDENCE_REACH = 500


def _evidence(text: str, m: Mention) -> tuple[int, int]:
    """The sentence from the start of the name list (or the clause) to the end of the sentence."""
    start = m.title_start
    floor = max(0, start - EVIDENCE_REACH)
    while start > floor and text[start - 1] not in "。！？!?；;\n":
        start -= 1
    end = m.end
    ceiling = min(len(text), end + EVIDENCE_REACH)
    while end < ceiling and text[end] not in "。！？!?；;\n":
        end += 1
    return start, end


def extract_article(span: ArticleSpan, page: PageContext, rules: RuleBook,
                    after_posts: dict[int, str] | None = None) -> ArticleRecord:
    text, starts = _article_text(span)
    reporters, correspondents = article_bylines(span)
    relay = _relay_spans(text, rules)
    in_relay = _span_test(relay)
    found = [m for m in find_mentions(text, rules, page.titled_names, after_posts)
             if compact(m.name) not in page.journalists]
    mentions = [m for m in found if not in_relay(m.start)]
    assign_roles(text, mentions, rules)
    # 传达了省委书记汪建国的讲话精神 … 汪建国在讲话中强调: the relayed speech goes on.
    relayed = {m.name for m in found if in_relay(m.start)}
    for m in mentions:
        if m.name in relayed:
            m.roles.discard("speak")
    if not _reports_an_event(text, mentions, rules):
        for m in mentions:
            m.roles.clear()  # an interview or a feature: the people it quotes took part in nothing
    region_counts = _regions_in(text, mentions, rules)
    article_region = region_counts.most_common(1)[0][0] if region_counts else page.page_region
    lead = span.body[0].text
    plain_lead = strip_lead_mark(lead)[0]
    # 本报11月28日讯 … 27日下午: the dateline is the day of the report; a day or 昨天 in the lead
    # is read against it, and it is the event's date only when the lead gives none.
    # (Without a lead mark the lead is the plain lead, so no dateline is found where it was not.)
    dateline = dates.lead_date(lead, window=30)
    day = (dates.lead_date(plain_lead)
           or (dateline and dates.relative_date(plain_lead, (dateline.year or dates.ANY_LEAP_YEAR,
                                                             dateline.month, dateline.day), bool(dateline.year)))
           or dateline or dates.relative_date(plain_lead, page.given_date)
           or (page.issue_day and dates.relative_date(plain_lead, (dates.ANY_LEAP_YEAR, *page.issue_day), False))
           or dates.festival_date(plain_lead, page.given_date)
           or dates.lead_date(plain_lead, spans=True) or dates.body_date(text, plain_lead)
           or _headline_day(span.headline, page))
    article_anchor = dates.anchor_of(dates.year_anchors(text + (span.headline or "")))
    when = dates.resolve(day, article_anchor, page.page_anchor, page.given_date, page.given_basis)
    topics = topics_of((span.headline or "") + text, rules)
    first_sentence = _SENTENCE.match(text)  # None when the text opens with 。
    later = _later_days(text, first_sentence.end() if first_sentence else 0, day, mentions, page.given_date)
    ends = [at for at, _ in later] + [len(text)]
    first = [m for m in mentions if m.start < ends[0]]
    event_guess = guess_event(lead, text[:ends[0]], span.headline, rules)
    events = [Event(index=0, name=event_guess.name, kind=event_guess.kind, date=when.value,
                    date_precision=when.precision, location=event_guess.location, topics=topics,
                    appearances=_appearances(text, starts, first, page, article_region, rules))]
    for n, (at, later_day) in enumerate(later, 1):
        part = text[at:ends[n]]
        guess = guess_event(part, part, None, rules)
        later_when = dates.resolve(later_day, article_anchor, page.page_anchor, page.given_date, page.given_basis)
        events.append(Event(index=n, name=guess.name, kind=guess.kind, date=later_when.value,
                            date_precision=later_when.precision, location=guess.location, topics=topics,
                            appearances=_appearances(text, starts, [m for m in mentions if at <= m.start < ends[n]],
                                                     page, article_region, rules)))
    start, end = page.joined.page_span(span.start, span.end)
    return ArticleRecord(
        source=page.source, page_hash=page.page_hash, start=start, end=end,
        headline=span.headline, date=when.value, date_precision=when.precision, year_basis=when.basis,
        region=article_region, reporters=reporters, correspondents=correspondents, events=tuple(events),
    )


# A later sentence that opens with another day (13日上午，… / 次日，…) reports another event.
def _headline_day(headline: str | None, page: PageContext) -> dates.MonthDay | None:
    """6月18日 县委常委会召开: a day the headline gives, unless it is the issue's own date (a
    masthead printed above the first headline)."""
    day = dates.lead_date(headline or "", spans=True)
    if day and page.given_date and (day.month, day.day) == page.given_date[1:]:
        return None
    return day


# 昨日上午，X又主持召开… counts back from the page's date; 同日/当天 is the day before it again.
_LATER_DAY = re.compile(r"(?:^|(?<=[。！？!?\n]))\s*(?:(?:(?P<month>\d{1,2})\s*月\s*)?(?P<day>\d{1,2})\s*日|(?P<next>次日|第二天)"
                        r"|(?P<back>" + "|".join(dates.DAYS_BACK) + r")|(?P<same>同日|当天|当日|当晚))"
                        r"(?:上午|下午|晚上|晚间|晚|早上|中午|凌晨)?(?:\d{1,2}\s*[时点](?:\d{1,2}\s*分|半)?许?)?\s*[，,]")


def _later_days(text: str, lead_end: int, main: dates.MonthDay | None, mentions: list[Mention],
                page_date: tuple[int, int, int] | None = None) -> list[tuple[int, dates.MonthDay]]:
    """(offset, day) where a sentence after the lead opens with a day other than the main
    event's (or 同日 with another event) and people with a role appear before the next such
    sentence."""
    if main is None:
        return []
    found: list[tuple[int, dates.MonthDay]] = []
    for match in _LATER_DAY.finditer(text, lead_end):
        previous = found[-1][1] if found else main
        if match.group("same"):
            found.append((match.start(), dataclasses.replace(previous, start=match.start(), end=match.end())))
            continue
        if match.group("back"):
            if page_date is None:
                continue
            back = dates.relative_date(match.group("back"), page_date)
            month, day = back.month, back.day
        elif match.group("next"):  # 次日: the day after the one before it
            after = datetime.date(main.year or dates.ANY_LEAP_YEAR, previous.month, previous.day) + datetime.timedelta(days=1)
            month, day = after.month, after.day
        else:
            day = int(match.group("day"))
            # 30日 … 1日 with no month: the day after the month's end
            month = int(match.group("month") or (previous.month if day >= previous.day else previous.month % 12 + 1))
        if not (1 <= month <= 12 and 1 <= day <= 31) or (month, day) == (previous.month, previous.day):
            continue  # no day, or the day already running
        found.append((match.start(), dates.MonthDay(main.year, month, day, match.start(), match.end())))
    bounds = [at for at, _ in found] + [len(text)]
    return [(at, day) for n, (at, day) in enumerate(found)
            if any(m.roles and at <= m.start < bounds[n + 1] for m in mentions)]


def _appearances(text: str, starts, mentions: list[Mention], page: PageContext,
                 article_region: str | None, rules: RuleBook) -> tuple[Appearance, ...]:
    by_name: dict[str, list[Mention]] = {}
    for m in mentions:
        by_name.setdefault(compact(m.name), []).append(m)
    people = []
    for name, own in by_name.items():
        roles = set().union(*(m.roles for m in own))
        if not roles:
            continue
        titles: list[str] = []
        for m in own:
            # 总经济师 after 区总经济师 is the same title written shorter.
            titles += [t for t in m.titles if not any(known.endswith(t) for known in titles)]
        first_with_role = next(m for m in own if m.roles)
        people.append((own[0].start, name, titles, roles, first_with_role))
    result = []
    for order, (_, name, titles, roles, m) in enumerate(sorted(people, key=lambda p: p[0]), 1):
        parsed = parse_chain(titles, article_region, rules)
        ev_start, ev_end = _evidence(text, m)
        joined_start, joined_end = _to_joined(ev_start, starts), _to_joined(ev_end, starts)
        page_start, page_end = page.joined.page_span(joined_start, joined_end)
        result.append(Appearance(
            person=name, region=region_of(parsed, article_region), titles=parsed,
            roles=tuple(r for r in ("host", "attend", "speak", "report", "inspect", "sign", "receive") if r in roles),
            order=order, evidence=text[ev_start:ev_end], evidence_start=page_start, evidence_end=page_end,
        ))
    return tuple(result)


def extract_page(text: str, source: str, *, page_date: str | None = None) -> list[ArticleRecord]:
    """All article records of one decoded page. ``page_date`` (YYYY-MM-DD) is the user's date."""
    rules = load_rules()
    source = Path(source).name
    _check_encodable(text, source)
    joined = join_lines(text)
    spans = split_articles(joined)
    given, basis = _given_date(page_date, source)
    # The issue date printed on the page beats one guessed from the file's name.
    printed = dates.masthead_date(text) if basis != "user" else None
    if printed and printed[0]:
        given, basis = printed, "page"
    issue_day = printed[1:] if printed and not printed[0] and given is None else None
    journalists = frozenset(n for s in spans for group in article_bylines(s) for n in group)
    page_anchor = dates.anchor_of(dates.year_anchors(joined.text))
    # Titled names first, over the whole page: an article may name without a title someone
    # another article titles.
    after_posts = [names_after_posts(_article_text(span)[0], rules) for span in spans]
    titled = frozenset(name for names in after_posts for name in names.values()) - journalists
    context = PageContext(source, joined, page_anchor, given, basis, journalists, _page_region(joined.text, rules),
                          page_hash(text), titled, issue_day)
    return [extract_article(span, context, rules, names) for span, names in zip(spans, after_posts)]


def _check_encodable(text: str, source: str) -> None:
    """A str handed in from Python may hold lone surrogates, which no page file can (decoding
    refuses them): an InputError here, not a UnicodeEncodeError from hashing later."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(f"{source}: lone surrogate at character {error.start}, not text") from None


def names_after_posts(text: str, rules: RuleBook) -> dict[int, str]:
    """Offset -> name for every name written right after a post word (the titled names)."""
    names = {}
    for at in set(_post_ends(text, rules)):
        across = text[at - 2:at + 2]
        if across not in rules.posts and common_word(across):
            continue  # 领导班子作…: the post word is the start of a longer noun, no title
        name = name_at(text, at, after_post=True, rules=rules)
        if name:
            names[at] = name
    return names


def _given_date(page_date: str | None, source: str) -> tuple[tuple[int, int, int] | None, str | None]:
    if page_date:
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", page_date)
        if not match:
            raise InputError(f"--date {page_date!r}: expected YYYY-MM-DD")
        return (int(match.group(1)), int(match.group(2)), int(match.group(3))), "user"
    from_name = dates.date_from_file_name(source)
    return (from_name, "filename") if from_name else (None, None)


_LEAD_SUBJECT = re.compile(r"(?:^|[，,])\s*([^，。,；;\s（(]{2,14}?)(?:召开|举行|举办|组织|开展|启动|出台|印发|部署)")


def _page_region(text: str, rules: RuleBook) -> str | None:
    """The region a page's leads name as their subject most often (航空港实验区召开…)."""
    counter: Counter = Counter()
    for paragraph in text.split("\n"):
        if not LEAD_MARK.match(paragraph):
            continue
        match = _LEAD_SUBJECT.search(strip_lead_mark(paragraph)[0][:60])
        if not match:
            continue
        region, _ = split_region(match.group(1), rules)
        if region and region not in rules.relative_regions and len(region) >= 2:
            counter[rules.region_aliases.get(region, region)] += 1
    return counter.most_common(1)[0][0] if counter else None


# ---------------------------------------------------------------------------------------------
# Many pages

def page_files(paths: Iterable[str | Path]) -> list[Path]:
    """The .txt files named or inside the folders named, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.txt") if p.is_file())
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


@dataclass(frozen=True)
class PageResult:
    source: str
    size: int
    page_hash: str | None
    records: tuple[ArticleRecord, ...]
    error: str | None = None
    skipped: bool = False  # its content hash was in skip_hashes: decoded and hashed, not extracted


def extract_file(path: str | Path, page_date: str | None = None,
                 skip_hashes: frozenset[str] = frozenset()) -> PageResult:
    path = Path(path)
    try:
        text = read_page(path)
        digest = page_hash(text)
        if digest in skip_hashes:
            return PageResult(path.name, _size(path), digest, (), skipped=True)
        records = tuple(extract_page(text, path.name, page_date=page_date))
        return PageResult(path.name, _size(path), digest, records)
    except OfficialGraphError as error:
        return PageResult(path.name, _size(path), None, (), str(error))
    except RecursionError:
        return PageResult(path.name, _size(path), None, (), f"{path.name}: page too deeply nested to extract")
    except Exception as error:  # noqa: BLE001 - one odd page must not end a run over thousands
        return PageResult(path.name, _size(path), None, (),
                          f"{path.name}: extractor failed on this page ({type(error).__name__}: {error})")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# Worker state: the hashes to skip travel once per worker process, not once per page.
_WORKER_SKIP: frozenset[str] = frozenset()
CHUNK_PAGES = 8  # pages per task sent to a worker
CHUNKS_AHEAD = 4  # tasks in flight per worker: bounds memory when the consumer is slower


def _init_worker(skip_hashes: frozenset[str]) -> None:
    global _WORKER_SKIP
    _WORKER_SKIP = skip_hashes


def _extract_chunk(paths: list[str], page_date: str | None) -> list[PageResult]:
    return [extract_file(path, page_date, _WORKER_SKIP) for path in paths]


def extract_pages(files: list[Path], *, page_date: str | None = None, jobs: int = 1,
                  skip_hashes: frozenset[str] = frozenset()) -> Iterator[PageResult]:
    """PageResults in file order, streamed; with jobs > 1 pages are extracted in worker processes.

    A page whose content hash is in ``skip_hashes`` is read and hashed but not extracted
    (``skipped=True``, no records). At most ``jobs * CHUNKS_AHEAD`` tasks are in flight, so
    memory stays flat however many pages there are and however slow the consumer is.
    """
    paths = [str(f) for f in files]
    skip_hashes = frozenset(skip_hashes)
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield extract_file(path, page_date, skip_hashes)
        return
    chunks = iter([paths[i:i + CHUNK_PAGES] for i in range(0, len(paths), CHUNK_PAGES)])
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(skip_hashes,))
    try:
        pending = deque(pool.submit(_extract_chunk, chunk, page_date)
                        for chunk in islice(chunks, jobs * CHUNKS_AHEAD))
        while pending:
            results = pending.popleft().result()
            for chunk in islice(chunks, 1):
                pending.append(pool.submit(_extract_chunk, chunk, page_date))
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def extract_paths(paths: Iterable[str | Path], *, page_date: str | None = None, jobs: int = 1,
                  progress: Callable[[int, int, int], None] | None = None) -> Iterator[ArticleRecord]:
    """Records of every page under ``paths``; the first page that fails raises its InputError."""
    files = page_files(paths)
    done = size = 0
    for result in extract_pages(files, page_date=page_date, jobs=jobs):
        if result.error:
            raise InputError(result.error)
        done += 1
        size += result.size
        if progress:
            progress(done, len(files), size)
        yield from result.records


def prepare() -> None:
    """Load the rule tables and jieba's dictionaries now rather than on the first page."""
    load_rules()
    _pos_tokenizer()


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
