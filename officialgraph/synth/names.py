"""Invent personal names: two to four characters, a few rare characters, compound surnames,
and Tibetan- and Uyghur-style transliterations (made by combining syllables of our own lists)."""
from __future__ import annotations

import random

from officialgraph.synth.data import name_parts

# Shares of the name shapes; the rest are ordinary Han names.
MINORITY_SHARE = 0.03
COMPOUND_SHARE = 0.025
RARE_SURNAME_SHARE = 0.04
RARE_GIVEN_SHARE = 0.05
ONE_CHAR_GIVEN_SHARE = 0.2


def make_name(rng: random.Random) -> str:
    parts = name_parts()
    r = rng.random()
    if r < MINORITY_SHARE:
        if rng.random() < 0.6:
            return rng.choice(parts["tibetan_head"]) + rng.choice(parts["tibetan_tail"])
        return rng.choice(parts["uyghur_head"]) + rng.choice(parts["uyghur_tail"])
    if r < MINORITY_SHARE + COMPOUND_SHARE:
        return rng.choice(parts["compound_surname"]) + _given(rng, 2)
    if rng.random() < RARE_SURNAME_SHARE:
        surname = rng.choice(parts["rare_surname"])
    else:
        # Frequent surnames first in the list: a falling weight keeps 王/李/张 common,
        # which makes namesakes happen on their own.
        common = parts["surname"]
        surname = common[min(int(rng.expovariate(1 / 25)), len(common) - 1)]
    return surname + _given(rng, 1 if rng.random() < ONE_CHAR_GIVEN_SHARE else 2)


def _given(rng: random.Random, n: int) -> str:
    parts = name_parts()
    chars: list[str] = []
    while len(chars) < n:
        pool = parts["rare_given"] if rng.random() < RARE_GIVEN_SHARE else parts["given"]
        c = rng.choice(pool)
        if c not in chars:
            chars.append(c)
    return "".join(chars)


def make_unique(rng: random.Random, taken) -> str:
    """A fresh name not in ``taken`` (any container supporting ``in``)."""
    while True:
        name = make_name(rng)
        if name not in taken:
            return name
