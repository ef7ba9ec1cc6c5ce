"""Lay articles out as an OCR/column dump of a newspaper page.

Two page styles, as real dumps come: narrow columns (lines of 11-15 characters, broken inside
words and names, sometimes with a blank line at a column break) and flowing paragraphs (one line
per paragraph, now and then cut by a blank line at a page break). Segments flagged PROT (clauses
that name people) are only broken between two Han characters with a single newline, so that
removing line breaks between CJK characters gives the gold evidence back exactly.
"""
from __future__ import annotations

import random
import re

from officialgraph.synth.articles import ATOM, FREE, PROT, Built

NO_START = set("，。、；：！？）》”’,.;:!?)%")
NO_END = set("（《“‘(")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
COLUMN_WIDTHS = (11, 12, 12, 13, 13, 13, 14, 14, 15)
COLUMN_BLANK_BREAK = 0.012  # share of free line breaks that are column breaks (blank line)
FLOW_PAGE_BREAK = 0.12  # share of long paragraphs cut by a blank line in flow pages

# Line-joining as ANNOTATION.md reads the text: a newline between two CJK characters goes.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u201c\u201d\u2018\u2019"
_JOIN = re.compile(rf"(?<=[{_CJK}])\n(?=[{_CJK}])")


def join_lines(text: str) -> str:
    """Remove line breaks between two CJK characters (the gold's reading of a page)."""
    return _JOIN.sub("", text)


def is_han(c: str) -> bool:
    return bool(_HAN.match(c))


def _flatten(segs):
    chars, flags, ids = [], [], []
    for i, (text, flag) in enumerate(segs):
        for c in text:
            chars.append(c)
            flags.append(flag)
            ids.append(i)
    return chars, flags, ids


def _can_break(chars, flags, ids, j) -> bool:
    a, b = chars[j - 1], chars[j]
    if b in NO_START or a in NO_END or a == " " or b == " ":
        return False
    if ids[j - 1] == ids[j]:
        if flags[j] == ATOM:
            return False
        if flags[j] == PROT:
            return is_han(a) and is_han(b)
    return True


def _free_pair(chars, flags, j) -> bool:
    return flags[j - 1] == FREE and flags[j] == FREE and is_han(chars[j - 1]) and is_han(chars[j])


def wrap_column(segs, width: int, rng: random.Random) -> str:
    chars, flags, ids = _flatten(segs)
    out, start, used, j = [], 0, 0.0, 0
    n = len(chars)
    while j < n:
        w = 1.0 if ord(chars[j]) >= 0x2E80 or chars[j] in "“”‘’" else 0.5
        if used + w > width and j > start:
            k = j
            while k < n and not _can_break(chars, flags, ids, k):
                k += 1
            if k >= n:
                break
            out.append("".join(chars[start:k]))
            out.append("\n\n" if _free_pair(chars, flags, k) and rng.random() < COLUMN_BLANK_BREAK else "\n")
            start, used, j = k, 0.0, k
            continue
        used += w
        j += 1
    out.append("".join(chars[start:]))
    return "".join(out)


def wrap_flow(segs, rng: random.Random) -> str:
    chars, flags, _ = _flatten(segs)
    text = "".join(chars)
    if len(chars) > 60 and rng.random() < FLOW_PAGE_BREAK:
        spots = [j for j in range(20, len(chars) - 10) if _free_pair(chars, flags, j)]
        if spots:
            j = rng.choice(spots)
            return text[:j] + "\n\n" + text[j:]
    return text


def byline_text(reporters, correspondents, rng: random.Random) -> tuple[str, bool]:
    """The byline and whether it may stand inline after the last sentence."""
    text = "记者 " + " ".join(reporters)
    two_lines = bool(correspondents) and rng.random() < 0.35
    if correspondents:
        text += ("\n" if two_lines else " ") + "通讯员 " + " ".join(correspondents)
    if rng.random() < 0.12:
        text += " 文/图"
    return text, not two_lines


def render_article(built: Built, rng: random.Random, column: bool, first: bool) -> str:
    """One article as page text (headline, paragraphs, byline, maybe an OCR repeat)."""
    width = rng.choice(COLUMN_WIDTHS)
    paragraphs = [list(p) for p in built.paragraphs]
    # OCR repeats: a paragraph printed twice in a row, or a tail left after the byline.
    if len(paragraphs) > 2 and rng.random() < 0.06:
        k = rng.randrange(1, len(paragraphs))
        paragraphs.insert(k + 1, list(paragraphs[k]))
    orphan = None
    if len(paragraphs) > 2 and rng.random() < 0.03:
        source = paragraphs[rng.randrange(1, len(paragraphs))]
        text = "".join(t for t, _ in source)
        cuts = [m.end() for m in re.finditer("[。；;]", text[:-1])]
        if cuts:
            orphan = [(text[rng.choice(cuts):], FREE)]
    byline, inline_ok = byline_text(*built.byline, rng)
    inline = inline_ok and rng.random() < 0.25
    if inline:
        paragraphs[-1].append(((" " if rng.random() < 0.4 else "") + byline, ATOM))
    parts: list[str] = []
    if built.headline:
        parts.append(_headline(built.headline, rng, first))
    elif not first:
        parts.append("\n" if rng.random() < 0.6 else "\n\n")
    for i, para in enumerate(paragraphs):
        text = wrap_column(para, width, rng) if column else wrap_flow(para, rng)
        if i == 0 and column and rng.random() < 0.6:
            text = " " + text
        if i:
            parts.append("\n\n" if not column or rng.random() < 0.65 else "\n")
        parts.append(text)
    if not inline:
        parts.append("\n" if column or rng.random() < 0.5 else "\n\n")
        parts.append(byline)
    if orphan:
        parts.append("\n\n")
        parts.append(wrap_column(orphan, width, rng) if column else wrap_flow(orphan, rng))
    parts.append("\n")
    return "".join(parts)


def _headline(headline: str, rng: random.Random, first: bool) -> str:
    lead = "" if first and rng.random() < 0.5 else "\n"
    r = rng.random()
    if r < 0.2:
        body = "# " + headline
    elif r < 0.4:
        body = "## " + headline
    elif " " in headline and r < 0.55:
        main, sub = headline.split(" ", 1)
        body = main + "\n\n" + sub
    else:
        body = headline
    return lead + "\n" + body + "\n\n" + ("\n" if rng.random() < 0.3 else "")
