"""The extraction rules as data: tables in loaders/rules/, loaded once into a RuleBook.

A new title, verb or organisation ending is a line in a table, not a branch in the code.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import jieba

RULES_DIR = Path(__file__).resolve().parent / "rules"


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in (RULES_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append(line.split("\t") if "\t" in line else line.split())
    return rows


def _words(name: str) -> frozenset[str]:
    return frozenset(word for row in _rows(name) for word in row)


@dataclass(frozen=True)
class Datable:
    phrase: str
    year: int
    month: int
    future: bool


@dataclass(frozen=True)
class RuleBook:
    posts: dict[str, int]  # post word -> protocol rank
    post_bodies: dict[str, str]  # bare post -> the body it implies (市长 -> 政府)
    name_followers: frozenset[str]
    ranks_after_names: tuple[str, ...]  # 大校 in 司令员田永刚大校, longest first
    adverbs: tuple[str, ...]  # 分别 in 黎明分别作了发言, longest first
    roles: dict[str, str]  # verb -> role
    role_blockers: frozenset[str]
    role_nouns: frozenset[str]
    relay_starts: tuple[str, ...]
    relay_ends: tuple[str, ...]
    surnames: frozenset[str]
    transliteration_chars: frozenset[str]
    not_names: frozenset[str]
    not_name_endings: tuple[str, ...]  # 高新区, 史志办: a place or office, not a person
    org_kinds: dict[str, str]
    region_endings: tuple[str, ...]
    region_aliases: dict[str, str]
    relative_regions: frozenset[str]
    event_words: dict[str, str]
    event_markers: tuple[str, ...]  # words that name an event in an article whose people only speak
    topics: dict[str, tuple[str, ...]]
    datable: tuple[Datable, ...]
    festivals: dict[str, tuple[int, int]]  # 建军节 -> (8, 1)
    year_context: tuple[tuple[str, str, str], ...]  # (phrase, before|after, start|end)


@functools.lru_cache(maxsize=1)
def load_rules() -> RuleBook:
    relay = _rows("relay_spans.tsv")
    roles = {row[0]: row[1] for row in _rows("roles.tsv")}
    return RuleBook(
        posts={row[0]: int(row[1]) for row in _rows("posts.tsv")},
        post_bodies={row[0]: row[2] for row in _rows("posts.tsv") if len(row) > 2},
        # A verb that gives a role also ends the name before it: 王伟列席, 李强走访.
        name_followers=(_words("name_followers.txt") | {verb for verb in roles if "…" not in verb}
                        | _words("ranks_after_names.txt") | _words("adverbs.txt")),
        adverbs=tuple(sorted(_words("adverbs.txt"), key=len, reverse=True)),
        ranks_after_names=tuple(sorted(_words("ranks_after_names.txt"), key=len, reverse=True)),
        roles=roles,
        role_blockers=_words("role_blockers.txt"),
        role_nouns=_words("role_nouns.txt"),
        relay_starts=tuple(w for row in relay for w in row[0].split("|")),
        relay_ends=tuple(w for row in relay for w in row[1].split("|")),
        surnames=_words("surnames.txt"),
        transliteration_chars=frozenset("".join(_words("transliteration_chars.txt"))),
        not_names=_words("not_names.txt"),
        not_name_endings=tuple(_words("not_name_endings.txt")),
        org_kinds={row[0]: row[1] for row in _rows("org_kinds.tsv")},
        region_endings=tuple(sorted((row[0] for row in _rows("regions.tsv")), key=len, reverse=True)),
        region_aliases={row[0]: row[1] for row in _rows("region_aliases.tsv")},
        relative_regions=_words("relative_regions.txt"),
        event_words={row[0]: row[1] for row in _rows("event_words.tsv")},
        event_markers=tuple(_words("event_markers.txt")),
        topics={row[0]: tuple(row[1].split("|")) for row in _rows("topics.tsv")},
        datable=tuple(Datable(r[0], int(r[1]), int(r[2]), r[3] == "future") for r in _rows("datable.tsv")),
        festivals={r[0]: (int(r[1]), int(r[2])) for r in _rows("festivals.tsv")},
        year_context=tuple((r[0], r[1], r[2]) for r in _rows("year_context.tsv")),
    )


def per_rulebook(build):
    """Cache what ``build(rules)`` compiles, once per RuleBook (whose dict fields are unhashable)."""
    cache: dict[int, tuple[RuleBook, object]] = {}

    @functools.wraps(build)
    def cached(rules: RuleBook):
        entry = cache.get(id(rules))
        if entry is None or entry[0] is not rules:
            entry = cache[id(rules)] = (rules, build(rules))
        return entry[1]
    return cached


@functools.lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """The project's own jieba Tokenizer with the rule words added; the global one is untouched."""
    jieba.setLogLevel(logging.WARNING)
    rules = load_rules()
    own = jieba.Tokenizer()
    own.initialize()
    for word in list(rules.posts) + list(rules.roles) + list(rules.org_kinds) + list(rules.name_followers):
        if len(word) > 1:
            own.add_word(word, freq=50000)
    return own


def common_word(word: str) -> bool:
    """A word jieba's dictionary knows well: 高度, 同时... (a name candidate that is one is not a name)."""
    return tokenizer().FREQ.get(word, 0) >= 500
