"""Person names: where a name written after a title or in a list of names starts and ends.

A name is 2 to 4 characters (5 or 6 for an undotted transliterated name: 阿不都热依木). After a
title it must start with a surname; inside a list of names
(王智明、才旦加等) any name-shaped run is accepted, so non-Han names are kept. It ends where a
delimiter or a word that follows names (出席, 主持, 在, 和 …) begins.
"""
from __future__ import annotations

import re

from officialgraph.loaders.rules import RuleBook, common_word, load_rules, per_rulebook
from officialgraph.loaders.text import is_cjk

_DELIMITERS = set("、，,。；;：:“”\"‘’《》（）()【】！？!? \n\t·等")
# 买买提·艾力, 穆罕默德·努尔·哈桑: the last part is where the name may end;
# 卡尔-海因茨·福斯特: a part may itself be hyphenated.
_DOTTED = re.compile(r"([\u3400-\u9fff]{1,6}(?:[-－‐][\u3400-\u9fff]{1,6})?[·•・])((?:[\u3400-\u9fff]{1,8}[·•・])*)([\u3400-\u9fff]{1,8})")
# 向 and 从 are left out: 李向阳, 刘从军; 王伟向大会报告 ends at 向 as a word that follows names.
_NEVER_IN_NAME = set("的了在与及等是对就被把将各该此并或都这那个们")
# Adverbs that may sit inside a given name (杨再林) but never end one (王伟再强调: 王伟).
_NEVER_LAST = set("再又也")


def _follows_name(text: str, at: int, rules: RuleBook) -> bool:
    if at >= len(text) or text[at] in _DELIMITERS:
        return True
    return _follower_length(text, at, rules) > 0


def _follower_length(text: str, at: int, rules: RuleBook) -> int:
    """Length of the longest word that follows names starting at ``text[at]`` (0: none)."""
    return next((len(word) for word in _followers_by_char(rules).get(text[at], ()) if text.startswith(word, at)), 0)


@per_rulebook
def _followers_by_char(rules: RuleBook) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for word in rules.name_followers:
        index.setdefault(word[0], []).append(word)
    return {ch: tuple(sorted(words, key=len, reverse=True)) for ch, words in index.items()}


def _holds_post(part: str, rules: RuleBook) -> bool:
    return any(part[i:j] in rules.posts for i in range(len(part)) for j in range(i + 2, len(part) + 1))


@per_rulebook
def _long_followers(rules: RuleBook) -> re.Pattern:
    """The words of two or more characters that follow names, as one pattern."""
    words = sorted((w for w in rules.name_followers if len(w) >= 2), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def _has_surname(candidate: str, rules: RuleBook) -> bool:
    """A Chinese surname first, or a transliterated name of three or more name syllables."""
    if candidate[:2] in rules.surnames or candidate[0] in rules.surnames:
        return True
    # 朝鲁, 白音: two syllables do too, unless they spell a common word (特别)
    return all(ch in rules.transliteration_chars for ch in candidate) and (len(candidate) >= 3 or not common_word(candidate))


def _shaped_like_name(candidate: str, rules: RuleBook, *, common_allowed: bool = False) -> bool:
    if not all(is_cjk(ch) for ch in candidate):
        return False
    # 都 never ends a Han given name, but 阿不都热依木 (five or six syllables, all transliteration
    # characters: name_at checks) is one name.
    if len(candidate) <= 4 and (any(ch in _NEVER_IN_NAME for ch in candidate[1:]) or candidate[-1] in _NEVER_LAST):
        return False
    if candidate in rules.not_names or candidate in rules.posts or candidate.endswith(rules.not_name_endings):
        return False
    if len(candidate) > 2 and _long_followers(rules).search(candidate, 1):
        return False  # 和应邀, 黎明到会: a word that follows names starts inside, so the name ended before
    if any(candidate[-k:] in rules.posts for k in range(2, len(candidate) + 1)):
        return False  # 市委常委 in a chain after 、 is a title, not a name
    return common_allowed or not (len(candidate) == 2 and common_word(candidate))


# After a post, a two-character word that is also a common word (高峰, 万里, 白雪, 林立) is a name
# when what follows can only follow a person: a list comma or a hosting/attending/speaking verb.
_PERSON_ONLY_ROLES = ("host", "attend", "speak")


def _only_a_person_before(text: str, at: int, rules: RuleBook) -> bool:
    """A list comma, a person's verb, or an adverb (rules/adverbs.txt) and then a person's verb
    or 作/做 (黎明分别作了发言)."""
    if at < len(text) and text[at] in "、，,":
        return True
    adverb = next((a for a in rules.adverbs if text.startswith(a, at)), "")
    at += len(adverb)
    return text.startswith(_person_only_verbs(rules), at) or bool(adverb) and text.startswith(("作", "做"), at)


def _plain_verbs(rules: RuleBook, roles: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The role verbs of two or more characters without a gap (of ``roles`` only, if given), as
    one tuple for ``str.startswith``: these checks run for every name candidate."""
    return tuple(verb for verb, role in rules.roles.items()
                 if len(verb) >= 2 and "…" not in verb and (roles is None or role in roles))


@per_rulebook
def _role_verbs(rules: RuleBook) -> tuple[str, ...]:
    return _plain_verbs(rules)


@per_rulebook
def _person_only_verbs(rules: RuleBook) -> tuple[str, ...]:
    return _plain_verbs(rules, _PERSON_ONLY_ROLES)


def _third_is_given(text: str, start: int, rules: RuleBook) -> bool:
    """刘永和出席, 王春来主持, 冯开来大校, 王开来、, 甘永和就…, 甘永和关于…: the third character is a
    one-character follower (和, 来) only if read alone, and a verb of two or more characters, a
    rank, a list comma or 就 follows it (a comma, 等 or 关于 a conjunction: 覃正和，): a conjunction or a 来 would need a
    person or a place after it, so the character is the name's. (张伟说，: a delimiter follows;
    张伟来到: 来到 is itself a follower; 祁东作关于…的报告: 关于 is no role verb; all stay two.)"""
    third, after = start + 2, start + 3
    return (_follower_length(text, third, rules) == 1 and after < len(text)
            and (text[after] in "、就" or text.startswith(_role_verbs(rules) + rules.ranks_after_names, after)
                 or text[third] in "和与及" and (text[after] in "，,等" or text.startswith("关于", after))))


# 王　伟: a two-character name padded to the width of a three-character one in a roster.
_PADDED = re.compile(r"([\u4e00-\u9fff])[ \u3000]{1,2}([\u4e00-\u9fff])")
_PAD = re.compile(r"[ \u3000]")


def compact(name: str) -> str:
    """The name without the padding a roster may print inside it (王　伟 -> 王伟)."""
    return _PAD.sub("", name)


def _padded_name(text: str, start: int, rules: RuleBook) -> str | None:
    padded = _PADDED.match(text, start)
    if not padded or padded.group(1) not in rules.surnames or not _follows_name(text, padded.end(), rules):
        return None
    joined = padded.group(1) + padded.group(2)
    return padded.group() if _shaped_like_name(joined, rules, common_allowed=True) else None


def name_at(text: str, start: int, *, in_list: bool = False, after_post: bool = False,
            rules: RuleBook | None = None) -> str | None:
    """The name that starts at ``text[start]``, or None.

    Three characters are the usual length; two win when the third character begins a word that
    follows names (张伟说 -> 张伟); four only with a compound surname or inside a list.
    """
    rules = rules or load_rules()
    if (after_post or in_list) and (padded := _padded_name(text, start, rules)):
        return padded
    dotted = _DOTTED.match(text, start)
    if dotted and _holds_post(dotted.group(1)[:-1], rules):
        return None  # 书记兼省长坎培·西塔冯: the name starts after the last post
    if dotted:
        # 买买提·艾力: a transliterated name keeps its middle dot; it ends where a delimiter or a
        # follower of two or more characters starts (阿布都拉·艾则孜先后发言: not at 则), else
        # where any follower starts.
        ends = range(dotted.start(3) + 1, dotted.end() + 1)
        strong = next((end for end in ends if end >= len(text) or text[end] in _DELIMITERS
                       or _follower_length(text, end, rules) >= 2), None)
        weak = next((end for end in ends if _follows_name(text, end, rules)), None)
        end = strong or weak
        # 玉素甫江·买买提出席: 提 is the name's last syllable, not the start of 提出
        while end is not None and end < dotted.end() and text[end] in rules.transliteration_chars \
                and (end + 1 >= len(text) or text[end + 1] in _DELIMITERS or _follower_length(text, end + 1, rules) >= 2):
            end += 1
        if end:
            return text[start:end]
    fits = {}
    for length in (2, 3, 4, 5, 6):
        candidate = text[start:start + length]
        if length > 4 and not all(ch in rules.transliteration_chars for ch in candidate):
            break  # five or six characters: only an undotted transliterated name (阿不都热依木)
        common_allowed = (after_post or in_list) and length == 2 and _only_a_person_before(text, start + 2, rules)
        if len(candidate) < length or not _shaped_like_name(candidate, rules, common_allowed=common_allowed):
            continue
        if not in_list and not _has_surname(candidate, rules):
            continue
        if length == 4 and not in_list and candidate[:2] not in rules.surnames \
                and not all(ch in rules.transliteration_chars for ch in candidate):
            continue
        if _follows_name(text, start + length, rules):
            fits[length] = candidate
    if not fits:
        return None
    if 6 in fits or 5 in fits:
        return fits.get(6) or fits[5]
    if 4 in fits and 3 in fits and all(ch in rules.transliteration_chars for ch in fits[4]):
        return fits[4]  # 吐尔扎提出席: the fourth syllable is the name's, not 提出's
    if 3 in fits and 2 in fits and _follows_name(text, start + 2, rules) \
            and not _third_is_given(text, start, rules):
        return fits[2]
    for length in (3, 2, 4):
        if length in fits:
            return fits[length]
    return None
