"""Read the generator's word lists and templates (the data files beside this module).

Every file is UTF-8 text, "#" starts a comment line, fields are separated by tabs. The
readers return plain tuples and dicts in file order, so that generation never depends on
hash order.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=None)
def name_parts() -> dict[str, tuple[str, ...]]:
    """Name building blocks by kind: surname, given, rare_given, tibetan_head ..."""
    return {kind: tuple(items.split()) for kind, items in _rows("names.tsv")}


@lru_cache(maxsize=None)
def place_parts() -> dict[str, tuple[str, ...]]:
    return {kind: tuple(items.split()) for kind, items in _rows("places.tsv")}


@dataclass(frozen=True)
class RegionSpec:
    key: str
    kind: str  # zone | city | district | soe
    name: str  # as written in titles: 临空港实验区, 青岚市
    alt: str | None  # a longer prefix also written in titles
    stem: str  # 青岚 (青岚市委)


@lru_cache(maxsize=None)
def regions() -> tuple[RegionSpec, ...]:
    return tuple(RegionSpec(k, kind, name, None if alt == "-" else alt, stem)
                 for k, kind, name, alt, stem in _rows("regions.tsv"))


@dataclass(frozen=True)
class OrgSpec:
    kind: str
    key: str
    full: str  # template with {R}, {S}, {X}
    mid: str  # the name written without the region
    org_kind: str


@lru_cache(maxsize=None)
def orgs() -> dict[tuple[str, str], OrgSpec]:
    return {(kind, key): OrgSpec(kind, key, full, mid, ok) for kind, key, full, mid, ok in _rows("orgs.tsv")}


@dataclass(frozen=True)
class PostSpec:
    org: str
    post: str
    chain: str  # mid | post


@dataclass(frozen=True)
class SlotSpec:
    kind: str
    key: str
    count: str  # a number, or an instance kind (bur, st, com, ent)
    rank: int
    posts: tuple[PostSpec, ...]


@lru_cache(maxsize=None)
def slots() -> tuple[SlotSpec, ...]:
    out = []
    for kind, key, count, rank, posts in _rows("slots.tsv"):
        specs = []
        for p in posts.split(";"):
            bits = p.split(":")
            specs.append(PostSpec(bits[0], bits[1], bits[2] if len(bits) > 2 else "mid"))
        out.append(SlotSpec(kind, key, count, int(rank), tuple(specs)))
    return tuple(out)


@lru_cache(maxsize=None)
def instances() -> dict[tuple[str, str], tuple[int, tuple[str, ...]]]:
    """(region kind, instance kind) -> (how many, names to draw from; ("places",) = invent)."""
    return {(kind, ik): (int(n), tuple(names.split())) for kind, ik, n, names in _rows("instances.tsv")}


@dataclass(frozen=True)
class Topic:
    name: str
    first_year: int
    last_year: int
    extra: str | None
    fields: dict  # field -> tuple of values (slogan, event, up, purpose, act, ctx, site, report, group)

    def get(self, field: str) -> tuple[str, ...]:
        return self.fields.get(field, ())


@lru_cache(maxsize=None)
def topics() -> tuple[Topic, ...]:
    out, name, fields = [], None, {}

    def flush():
        if name:
            years = fields.pop("years")[0].split("\t")
            extra = fields.pop("extra")[0]
            out.append(Topic(name, int(years[0]), int(years[1]), None if extra == "-" else extra,
                             {k: tuple(v) for k, v in fields.items()}))

    for line in (DATA_DIR / "topics.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@topic "):
            flush()
            name, fields = line[len("@topic "):].strip(), {}
            continue
        field, value = line.split("\t", 1)
        fields.setdefault(field, []).append(value)
    flush()
    return tuple(out)


@dataclass(frozen=True)
class Template:
    shape: str
    roles: tuple[tuple[str, tuple[str, ...]], ...]  # (slot, roles)
    text: str


@lru_cache(maxsize=None)
def templates() -> dict[str, tuple[Template, ...]]:
    out: dict[str, list[Template]] = {}
    for shape, roles, text in _rows("templates.tsv"):
        parsed = []
        if roles != "-":
            for part in roles.split("|"):
                slot, rs = part.split(":")
                parsed.append((slot, tuple(rs.split(","))))
        out.setdefault(shape, []).append(Template(shape, tuple(parsed), text))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def phrases() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for kind, text in _rows("phrases.tsv"):
        out.setdefault(kind, []).append(text)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def datable() -> tuple[tuple[str, str], ...]:
    return tuple((ref, date) for ref, date in _rows("datable.tsv"))
