"""The officials behind the pages: regions, their organisations and posts, and who holds
which post in which year. Each year people retire, leave, move to another region and are
promoted; vacancies at the bottom are filled by new people. Names are unique inside a region
(so a page's gold is never ambiguous) but namesakes across regions are made on purpose.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from officialgraph.synth import data
from officialgraph.synth.names import make_name, make_unique

RETIREMENT_AGE = 60
LEAVE_SHARE = 0.02  # leave the roster for posts elsewhere
MOVE_SHARE = 0.03  # lateral move to the same post in another region
PROMOTE_FROM_SAME_REGION = 0.75
PROMOTE_FROM_OTHER_REGION = 0.12
NAMESAKE_SHARE = 0.04  # a new person who takes the name of someone in another region
REPORTERS_PER_REGION = 3
CORRESPONDENTS_PER_REGION = 10


@dataclass(frozen=True)
class TitleForm:
    """One post of a slot, as it can be written: with the region (full), without it (mid),
    and after "、" in a chain (chain: mid or the bare post)."""
    full: str
    mid: str
    chain: str
    alt: str | None  # full with the region's other prefix
    organization: str
    post: str


@dataclass(frozen=True)
class Slot:
    id: str
    region: str  # region key
    key: str  # slot key from slots.tsv (sec, dir, bhead ...)
    rank: int
    group: str  # org instance the slot belongs to (bureau, street ...) or "" for the leadership
    titles: tuple[TitleForm, ...]


@dataclass
class Person:
    pid: int
    name: str
    home: str  # region key where first appointed
    age: int


@dataclass
class Region:
    spec: data.RegionSpec
    slots: list[Slot] = field(default_factory=list)
    streets: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)
    bureaus: list[str] = field(default_factory=list)
    enterprises: list[str] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)


class Roster:
    """Mutable roster; ``advance_year`` moves it one year on and logs the changes."""

    def __init__(self, seed: int, year: int):
        self.rng = random.Random(f"{seed}/roster")
        self.year = year
        self.regions: dict[str, Region] = {}
        self.slots: dict[str, Slot] = {}
        self.persons: dict[int, Person] = {}
        self.holder: dict[str, int] = {}  # slot id -> pid
        self.post_of: dict[int, str] = {}  # pid -> slot id
        self.names_in: dict[str, dict[str, int]] = {}  # region -> name -> pid
        self.reserved: set[str] = set()  # journalists and relayed leaders
        self.changes: list[dict] = []
        self.absent: dict[str, str] = {}  # relayed leaders: title -> name
        self._next_pid = 1
        self._build()

    # -- construction -------------------------------------------------------------------
    def _build(self) -> None:
        rng = self.rng
        for spec in data.regions():
            region = Region(spec)
            self.regions[spec.key] = region
            self.names_in[spec.key] = {}
            places = self._places(rng, 100)
            for ik, attr in (("bur", "bureaus"), ("ent", "enterprises")):
                n, names = data.instances().get((spec.kind, ik), (0, ()))
                setattr(region, attr, rng.sample(names, min(n, len(names))))
            n_st = data.instances().get((spec.kind, "st"), (0, ()))[0]
            n_com = data.instances().get((spec.kind, "com"), (0, ()))[0]
            region.streets = places[:n_st]
            region.communities = places[n_st:n_st + n_com]
            if spec.kind != "soe":
                for _ in range(REPORTERS_PER_REGION):
                    region.reporters.append(self._reserve(rng))
                for _ in range(CORRESPONDENTS_PER_REGION):
                    region.correspondents.append(self._reserve(rng))
            for sspec in data.slots():
                if sspec.kind == spec.kind:
                    self._add_slots(region, sspec)
        for title in data.phrases()["abst"]:
            self.absent[title] = self._reserve(rng)
        for region in self.regions.values():
            for slot in region.slots:
                self._appoint(self._new_person(region.spec.key, rng.randint(30, 58)), slot)
        self.changes.clear()

    def _reserve(self, rng: random.Random) -> str:
        taken = set(self.reserved)
        for names in self.names_in.values():
            taken.update(names)
        name = make_unique(rng, taken)
        self.reserved.add(name)
        return name

    @staticmethod
    def _places(rng: random.Random, n: int) -> list[str]:
        parts = data.place_parts()
        combos = [h + t for h in parts["head"] for t in parts["tail"] if h != t]
        return rng.sample(combos, n)

    def _add_slots(self, region: Region, sspec: data.SlotSpec) -> None:
        if sspec.count.isdigit():
            groups = [("", "")] * int(sspec.count)
        else:
            names = {"bur": region.bureaus, "st": region.streets, "com": region.communities,
                     "ent": region.enterprises}[sspec.count]
            groups = [(x, x) for x in names]
        spec = region.spec
        for i, (group, x) in enumerate(groups):
            titles = []
            for p in sspec.posts:
                org = data.orgs()[(spec.kind, p.org)]
                org_full = org.full.format(R=spec.name, S=spec.stem, X=x)
                org_mid = org.mid.format(X=x)
                alt = org.full.format(R=spec.alt, S=spec.stem, X=x) + p.post if spec.alt and "{R}" in org.full else None
                mid = org_mid + p.post
                titles.append(TitleForm(org_full + p.post, mid, mid if p.chain == "mid" else p.post, alt,
                                        org_full, p.post))
            slot = Slot(f"{spec.key}/{sspec.key}/{i}", spec.key, sspec.key, sspec.rank, group, tuple(titles))
            region.slots.append(slot)
            self.slots[slot.id] = slot

    def _new_person(self, region: str, age: int) -> Person:
        rng = self.rng
        taken = self.names_in[region]
        name = None
        if rng.random() < NAMESAKE_SHARE:
            others = [r for r in self.names_in if r != region and self.names_in[r]]
            if others:
                pool = sorted(self.names_in[rng.choice(others)])
                cand = rng.choice(pool)
                if cand not in taken and cand not in self.reserved:
                    name = cand
        if name is None:
            name = make_unique(rng, _Union(taken, self.reserved))
        person = Person(self._next_pid, name, region, age)
        self._next_pid += 1
        self.persons[person.pid] = person
        self.changes.append({"year": self.year, "pid": person.pid, "name": name, "change": "new", "region": region})
        return person

    # -- appointments -------------------------------------------------------------------
    def _appoint(self, person: Person, slot: Slot) -> None:
        self.holder[slot.id] = person.pid
        self.post_of[person.pid] = slot.id
        self.names_in[slot.region][person.name] = person.pid

    def _vacate(self, pid: int) -> Slot:
        slot = self.slots[self.post_of.pop(pid)]
        del self.holder[slot.id]
        del self.names_in[slot.region][self.persons[pid].name]
        return slot

    def _fits(self, pid: int, region: str) -> bool:
        holder = self.names_in[region].get(self.persons[pid].name)
        return holder is None or holder == pid

    def advance_year(self) -> None:
        """One year on: retirements, departures, lateral moves, promotions, new people."""
        rng = self.rng
        self.year += 1
        self.changes = []
        vacancies: list[Slot] = []
        for pid in sorted(self.post_of):
            person = self.persons[pid]
            person.age += 1
            if person.age >= RETIREMENT_AGE or rng.random() < LEAVE_SHARE:
                slot = self._vacate(pid)
                vacancies.append(slot)
                self._log(pid, "retired" if person.age >= RETIREMENT_AGE else "left", slot, None)
        self._lateral_moves()
        while vacancies:
            vacancies.sort(key=lambda s: (-s.rank, s.id))
            slot = vacancies.pop(0)
            person, old = self._candidate(slot)
            if person is None:
                person = self._new_person(slot.region, rng.randint(28, 45))
            elif old is not None:
                vacancies.append(old)
            self._appoint(person, slot)
            if old is not None:
                self._log(person.pid, "promoted" if old.region == slot.region else "moved", old, slot)
        for title in sorted(self.absent):
            if rng.random() < 0.2:
                self.reserved.discard(self.absent[title])
                self.absent[title] = self._reserve(rng)

    def _candidate(self, slot: Slot) -> tuple[Person | None, Slot | None]:
        rng = self.rng
        r = rng.random()
        if r < PROMOTE_FROM_SAME_REGION:
            regions = [slot.region]
        elif r < PROMOTE_FROM_SAME_REGION + PROMOTE_FROM_OTHER_REGION:
            kind = self.regions[slot.region].spec.kind
            regions = [k for k, reg in self.regions.items() if reg.spec.kind == kind and k != slot.region]
        else:
            return None, None
        pool = []
        for key in regions:
            for s in self.regions[key].slots:
                pid = self.holder.get(s.id)
                if pid is not None and slot.rank - 2 <= s.rank < slot.rank and self._fits(pid, slot.region):
                    # Leadership slots draw from below; a bureau's or street's own ranks first.
                    if not slot.group or s.group == slot.group or s.rank >= slot.rank - 1:
                        pool.append((s.rank, s.id, pid))
        if not pool:
            return None, None
        pool.sort()
        top = [p for p in pool if p[0] == pool[-1][0]]
        _, sid, pid = rng.choice(top)
        return self.persons[pid], self._vacate(pid)

    def _lateral_moves(self) -> None:
        rng = self.rng
        by_key: dict[tuple[str, str], list[Slot]] = {}
        for region in self.regions.values():
            for s in region.slots:
                if s.rank >= 5 and s.id in self.holder:
                    by_key.setdefault((region.spec.kind, s.key), []).append(s)
        for key in sorted(by_key):
            group = by_key[key]
            for s in group:
                if rng.random() >= MOVE_SHARE:
                    continue
                t = rng.choice(group)
                if t.region == s.region or s.id not in self.holder or t.id not in self.holder:
                    continue
                a, b = self.holder[s.id], self.holder[t.id]
                if not (self._fits(a, t.region) and self._fits(b, s.region)):
                    continue
                self._vacate(a)
                self._vacate(b)
                if not (self._fits(a, t.region) and self._fits(b, s.region)):
                    self._appoint(self.persons[a], s)
                    self._appoint(self.persons[b], t)
                    continue
                self._appoint(self.persons[a], t)
                self._appoint(self.persons[b], s)
                self._log(a, "moved", s, t)
                self._log(b, "moved", t, s)

    def _log(self, pid: int, change: str, old: Slot | None, new: Slot | None) -> None:
        self.changes.append({"year": self.year, "pid": pid, "name": self.persons[pid].name, "change": change,
                             "from": _describe(old), "to": _describe(new)})

    # -- reading ------------------------------------------------------------------------
    def holders(self, region: str) -> list[tuple[Slot, Person]]:
        """Who holds which post in a region now, in slot order."""
        out = []
        for slot in self.regions[region].slots:
            pid = self.holder.get(slot.id)
            if pid is not None:
                out.append((slot, self.persons[pid]))
        return out

    def snapshot_rows(self) -> list[dict]:
        rows = []
        for region in self.regions.values():
            for slot, person in self.holders(region.spec.key):
                rows.append({"year": self.year, "pid": person.pid, "name": person.name,
                             "region": slot.region, "home_region": person.home, "slot": slot.id,
                             "rank": slot.rank, "titles": [t.full for t in slot.titles],
                             "organizations": [t.organization for t in slot.titles],
                             "posts": [t.post for t in slot.titles]})
        return rows


def _describe(slot: Slot | None) -> dict | None:
    if slot is None:
        return None
    return {"slot": slot.id, "region": slot.region, "titles": [t.full for t in slot.titles]}


class _Union:
    """``in`` over two containers without copying them."""

    def __init__(self, *parts):
        self.parts = parts

    def __contains__(self, item) -> bool:
        return any(item in p for p in self.parts)
