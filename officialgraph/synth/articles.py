"""Build one article: its text as paragraphs of segments, and its gold record.

Every clause that names a person is rendered from a template (data/templates.tsv) and records,
at the same time, what the guideline (ANNOTATION.md) wants for that person: the titles exactly
as written, the roles its verbs give, the order of first mention and the evidence clause. So the
gold is the text's own bookkeeping, not a second reading of it.

Segments carry a flag for the page layout: FREE text may be broken anywhere (even with a blank
line, as column breaks do); PROT (a clause naming people) only between two Han characters with a
single newline, so that line-joining restores it exactly; ATOM (dates, bylines) never.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date

from officialgraph.synth import data
from officialgraph.synth.names import make_unique
from officialgraph.synth.roster import Roster, Slot

FREE, PROT, ATOM = 0, 1, 2

SHAPES = (("meeting", 40), ("inspect", 18), ("video", 10), ("sign", 6), ("receive", 7),
          ("promo", 4), ("lecture", 5), ("brief", 5))
MEETINGS = ("meeting", "video", "brief", "lecture")
EXTRA_TITLE_SLOTS = ("sec", "dir", "mayor")  # who may also head a topic's task force
VISITOR_TITLES = ("董事长", "总经理", "副总裁", "总裁")
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass
class Style:
    """How a page writes punctuation (OCR of some papers gives ASCII commas and brackets)."""
    ascii_punct: bool = False

    def fix(self, text: str) -> str:
        if self.ascii_punct:
            return text.translate(_ASCII)
        return text


_ASCII = str.maketrans({"，": ",", "；": ";", "（": "(", "）": ")", "：": ":"})


@dataclass
class Ref:
    """A person as an article names them: name, and the slot (None for visitors)."""
    name: str
    slot: Slot | None = None
    visitor_title: str | None = None


@dataclass
class Built:
    shape: str
    headline: str | None
    paragraphs: list[list[tuple[str, int]]]
    byline: tuple[list[str], list[str]]
    event_name: str
    location: str | None
    day: date | None  # None for 近日/日前
    text_year: bool  # the article itself states the event's year
    appearances: list[dict]


@dataclass
class _Mention:
    person: str
    titles: list[str]
    roles: list[str] = field(default_factory=list)
    order: int = 0
    evidence: str = ""


class ArticleBuilder:
    """Builds articles of one page (one region, one day's edition)."""

    def __init__(self, rng: random.Random, roster: Roster, region: str, style: Style, page_day: date):
        self.rng = rng
        self.roster = roster
        self.region = roster.regions[region]
        self.spec = self.region.spec
        self.style = style
        self.page_day = page_day
        self.whole = "全区" if self.spec.kind != "city" else "全市"
        holders = roster.holders(region)
        self.leaders = [(s, p) for s, p in holders if s.rank >= 7]
        self.middle = [(s, p) for s, p in holders if 5 <= s.rank <= 6]
        self.low = [(s, p) for s, p in holders if s.rank <= 4]
        self.soe = roster.holders("soe")
        self.local_names = {p.name for _, p in holders}

    # -- public -------------------------------------------------------------------------
    def build(self, shape: str | None = None) -> Built:
        rng = self.rng
        if shape is None:
            shape = rng.choices([s for s, _ in SHAPES], [w for _, w in SHAPES])[0]
        self._reset()
        self.topic = self._topic()
        back = min(rng.choice((0, 1, 1, 1, 2, 2, 3, 4)), self.page_day.timetuple().tm_yday - 1)
        self.day = None if rng.random() < 0.2 else date.fromordinal(self.page_day.toordinal() - back)
        self.text_year = False
        self.shape = shape
        getattr(self, "_" + shape)()
        self.end_para()
        if self.rng.random() < 0.65:
            self.headline = self.make_headline(shape)
        appearances = [{"person": m.person, "titles": m.titles, "roles": m.roles, "order": m.order,
                        "evidence": m.evidence} for m in self.mentions.values()]
        return Built(shape, self.headline, self.paragraphs, self._byline(), self.event_name, self.location,
                     self.day, self.text_year, appearances)

    # -- state --------------------------------------------------------------------------
    def _reset(self) -> None:
        self.mentions: dict[str, _Mention] = {}
        self.paragraphs: list[list[tuple[str, int]]] = []
        self.cur: list[tuple[str, int]] = []
        self.headline = None
        self.event_name = ""
        self.location = None
        self.used: set[str] = set()
        self.fields_sign: dict[str, str] = {}
        self._company = ""
        self._city = ""
        self.ctx_pool: list[str] = []
        self.lead_purpose = False

    def _topic(self) -> data.Topic:
        year = self.page_day.year
        pool = [t for t in data.topics() if t.first_year <= year <= t.last_year]
        return self.rng.choice(pool)

    def add(self, text: str, flag: int = FREE) -> None:
        if self.whole == "全市":  # the word lists speak of a district; a city says 市
            text = text.replace("全区", "全市").replace("区属", "市属")
        self.cur.append((self.style.fix(text), flag))

    def end_para(self) -> None:
        if self.cur:
            self.paragraphs.append(self.cur)
            self.cur = []

    # -- people -------------------------------------------------------------------------
    def pick(self, pool, n: int = 1) -> list[Ref]:
        free = [(s, p) for s, p in pool if p.name not in self.used]
        chosen = self.rng.sample(free, min(n, len(free)))
        chosen.sort(key=lambda sp: (-sp[0].rank, sp[0].id))  # protocol order
        refs = [Ref(p.name, s) for s, p in chosen]
        self.used.update(r.name for r in refs)
        return refs

    def pick_soe(self, n: int) -> list[Ref]:
        free = [(s, p) for s, p in self.soe if p.name not in self.used and p.name not in self.local_names]
        ent = self.rng.choice(sorted({s.group for s, _ in free})) if free else None
        chosen = [(s, p) for s, p in free if s.group == ent][:n]
        refs = [Ref(p.name, s) for s, p in chosen]
        self.used.update(r.name for r in refs)
        return refs

    def visitor(self, company: str) -> Ref:
        taken = _Union(self.local_names, self.roster.reserved, self.used,
                       {p.name for _, p in self.soe})
        name = make_unique(self.rng, taken)
        self.used.add(name)
        return Ref(name, None, company + self.rng.choice(VISITOR_TITLES))

    def titles_of(self, refs: list[Ref], first_in_article: bool) -> list[str]:
        """Decide how the shared title of ``refs`` (same slot key) is written."""
        rng = self.rng
        ref = refs[0]
        if ref.slot is None:
            return [ref.visitor_title]
        forms = ref.slot.titles
        keep = [i for i in range(len(forms)) if rng.random() < (0.85 if i == 0 else 0.75)] or [0]
        out = []
        for k, i in enumerate(keep):
            form = forms[i]
            if k == 0:
                r = rng.random()
                if first_in_article or r < 0.4:
                    out.append(form.full)
                elif r < 0.5 and form.alt:
                    out.append(form.alt)
                else:
                    out.append(form.mid)
            else:
                out.append(form.chain)
        if (self.topic.extra and ref.slot.key in EXTRA_TITLE_SLOTS and len(refs) == 1 and rng.random() < 0.35):
            out.append(self.topic.extra)
        return out

    def render_list(self, refs: list[Ref]) -> tuple[str, dict[str, list[str]]]:
        """Title groups joined by 、 or ，; people of one slot key share one title."""
        rng = self.rng
        groups: list[list[Ref]] = []
        for ref in refs:
            if (groups and ref.slot is not None and groups[-1][0].slot is not None
                    and groups[-1][0].slot.key == ref.slot.key and groups[-1][0].slot.region == ref.slot.region
                    and rng.random() < 0.85):
                groups[-1].append(ref)
            else:
                groups.append([ref])
        text, titles, prev_titles = "", {}, []
        for gi, group in enumerate(groups):
            t = self.titles_of(group, first_in_article=not self.mentions and gi == 0)
            for r in group:
                titles[r.name] = t
            if gi:
                chained = len(t) > 1 or len(prev_titles) > 1
                text += "，" if len(groups[gi - 1]) > 1 or rng.random() < (0.6 if chained else 0.25) else "、"
            prev_titles = t
            text += "、".join(t) + "、".join(r.name for r in group)
        return text, titles

    # -- clauses ------------------------------------------------------------------------
    def clause(self, shape: str, fields: dict | None = None, **people) -> list[tuple[str, int]]:
        """Render one template of ``shape``; register first mentions and roles.

        people: P/P2 -> Ref, L/NL -> list[Ref], N -> Ref (already introduced).
        Returns segments: a leading date ("{D}，") as ATOM, the rest as PROT.
        """
        rng = self.rng
        values = self._plain()
        values.update(fields or {})
        pool = [t for t in data.templates()[shape] if all(
            k in people or k in values for k in _FIELD.findall(t.text))]
        tpl = rng.choice(pool)
        text = tpl.text
        segs: list[tuple[str, int]] = []
        if text.startswith("{D}，"):
            segs.append((self.style.fix(values["D"] + "，"), ATOM))
            text = text[len("{D}，"):]
        new: list[tuple[str, list[str], str]] = []  # (name, titles, slot key in template)
        rendered = {}
        for key in _FIELD.findall(text):
            if key in ("P", "P2"):
                s, t = self.render_list([people[key]])
                rendered[key] = s
                new += [(people[key].name, t[people[key].name], key)]
            elif key == "L":
                s, t = self.render_list(people["L"])
                rendered[key] = s
                new += [(r.name, t[r.name], "L") for r in people["L"]]
            elif key == "NL":
                rendered[key] = "、".join(r.name for r in people["NL"])
                new += [(r.name, [self.spec.name + "领导"], "NL") for r in people["NL"]]
            elif key == "N":
                rendered[key] = people["N"].name
            else:
                rendered[key] = values[key]
        # Evidence: the shortest run of the template's comma parts that holds the person.
        parts = text.split("，")
        done = [self.style.fix(_FIELD.sub(lambda m: rendered[m.group(1)], p)) for p in parts]
        comma = self.style.fix("，")
        for name, titles, key in new:
            idx = [i for i, p in enumerate(parts) if "{" + key + "}" in p]
            evidence = comma.join(done[idx[0]:idx[-1] + 1])
            self._mention(name, titles, evidence)
        for key, roles in tpl.roles:
            if key in ("P", "P2", "N"):
                names = [people[key].name]
            else:
                names = [r.name for r in people[key]]
            for name in names:
                for role in roles:
                    if role not in self.mentions[name].roles:
                        self.mentions[name].roles.append(role)
        body = comma.join(done)
        segs.append((body, PROT))
        return segs

    def _mention(self, name: str, titles: list[str], evidence: str) -> None:
        assert name not in self.mentions, name
        self.mentions[name] = _Mention(name, list(titles), [], len(self.mentions) + 1, evidence)

    def _plain(self) -> dict[str, str]:
        rng, t = self.rng, self.topic
        d = self._date_text()
        return {"D": d, "R": self.spec.name, "A": self.whole, "T": t.name,
                "EV": self.event_name, "PL": self.location or rng.choice(t.get("site")),
                "OBJ": rng.choice(t.get("report")), "GRP": rng.choice(t.get("group")),
                "UNG": rng.choice(data.phrases()["ung"]), "ABS": self._abs(),
                "TTL": rng.choice(data.phrases()["ttl"]).format(T=t.name)}

    def _date_text(self) -> str:
        rng = self.rng
        if self.day is None:
            return rng.choice(("近日", "日前"))
        space = " " if rng.random() < 0.3 else ""
        part = rng.choice(("", "", "", "", "上午", "下午"))
        return f"{self.day.month}月{space}{self.day.day}日{part}"

    def _abs(self) -> str:
        rng = self.rng
        title = rng.choice(sorted(self.roster.absent))
        return rng.choice(data.phrases()["abs"]).format(
            T=self.topic.name, AT=title, AN=self.roster.absent[title], UPW=rng.choice(("全省", "全市")))

    def _event(self) -> str:
        """Pick an event name; names that state the year set text_year."""
        rng = self.rng
        when = self.day or self.page_day
        names = list(self.topic.get("event"))
        if when.month < 9:
            names = [n for n in names if "{YS}" not in n]
        name = rng.choice(names)
        if "{Y}" in name or "{YS}" in name:
            self.text_year = True
        return name.format(A=self.whole, Y=when.year, YS=f"{when.year}~{when.year + 1}年",
                           n=rng.randint(2, 30))

    # -- filler -------------------------------------------------------------------------
    def instructions(self, opening_segs: list[tuple[str, int]] | None = None) -> None:
        """A paragraph of instructions, opened by 会议指出， or by a speaker clause."""
        rng, ph = self.rng, data.phrases()
        if opening_segs is None:
            self.add(rng.choice(ph["open"]))
        else:
            self.cur.extend(opening_segs)
        acts = list(ph["act"]) + list(self.topic.get("act")) * 2
        if rng.random() < 0.35:
            chunks = [f"{n}是{self._acts(acts, 2)}" for n in "一二三四"[:rng.randint(2, 4)]]
        else:
            chunks = [rng.choice(ph["lead"]) + self._acts(acts, rng.randint(2, 3)) for _ in range(rng.randint(2, 4))]
        self.add("；".join(chunks) + "。")
        self.end_para()

    def _acts(self, acts, n: int) -> str:
        return "，".join(self.rng.sample(acts, n))

    def context(self) -> None:
        """Background sentences, each used once per article while the pool lasts."""
        rng, ph = self.rng, data.phrases()
        if not self.ctx_pool:
            self.ctx_pool = list(self.topic.get("ctx")) + list(ph["gctx"])
            rng.shuffle(self.ctx_pool)
        sents = [self.ctx_pool.pop() for _ in range(min(len(self.ctx_pool), rng.randint(1, 3)))]
        if self.shape not in MEETINGS and rng.random() < 0.3 and "，" not in sents[0][:6]:
            sents[0] = rng.choice(ph["vopen"]) + sents[0]
        if rng.random() < 0.3:
            sents.append(rng.choice(ph["stat"]).format(n=rng.randint(12, 980), m=rng.randint(3, 96),
                                                        p=rng.randint(60, 99)))
        self.add("".join(sents))
        self.end_para()

    def relay(self) -> None:
        rng, ph = self.rng, data.phrases()
        ref = self._datable()
        if ref and rng.random() < 0.5:
            self.add(rng.choice(ph["datable"]).format(DR=ref))
            self.text_year = True
        else:
            self.add(rng.choice(ph["relay"]).format(ABS=self._abs()))
        self.end_para()

    def _datable(self) -> str | None:
        """The latest datable reference held earlier in the same year, if any."""
        when = self.day or self.page_day
        found = None
        for ref, held_s in data.datable():
            held = date.fromisoformat(held_s)
            if held.year == when.year and held < when:
                found = ref
        return found

    def unnamed(self, verb: str = "参加会议") -> str:
        return "、".join(self.rng.sample(data.phrases()["unnamed"], self.rng.randint(1, 2))) + verb

    def fill(self, speakers: list[Ref], target: int) -> None:
        """Body paragraphs until the article is about ``target`` characters long."""
        rng = self.rng
        queue = list(speakers)
        while self._length() < target or queue:
            if queue:
                who = queue.pop(0)
                self.instructions(self.clause("speak", N=who))
            elif rng.random() < (0.45 if self.shape in MEETINGS else 0.25):
                if self.shape in MEETINGS or not self.speakers():
                    self.instructions()
                else:
                    # Outside meetings the instructions come from someone who is there.
                    self.instructions(self.clause("speak", N=rng.choice(self.speakers())))
            else:
                self.context()
        if rng.random() < 0.5:
            self.add(rng.choice(data.phrases()["close"]))
            self.end_para()

    def speakers(self) -> list[Ref]:
        """Officials of this region already named in the article."""
        return [Ref(m.person) for m in self.mentions.values() if m.person in self.local_names]

    def _length(self) -> int:
        return sum(len(t) for p in self.paragraphs for t, _ in p)

    def _target(self) -> int:
        return self.rng.randint(800, 1500)

    def lead(self, segs: list[tuple[str, int]], tail: str = "。") -> None:
        self.cur.append(("本报讯 ", ATOM))
        if self.rng.random() < 0.15 and segs and segs[0][1] == ATOM:
            self.add("为" + self.rng.choice(self.topic.get("purpose")) + "，")
            self.lead_purpose = True
        self.cur.extend(segs)
        if tail:
            self.add(tail)

    def sentence(self, *clauses: list[tuple[str, int]]) -> None:
        for i, segs in enumerate(clauses):
            if i:
                self.add("，")
            self.cur.extend(segs)
        self.add("。")

    # -- shapes -------------------------------------------------------------------------
    def _meeting(self) -> None:
        rng = self.rng
        self.event_name = self._event()
        host = self.pick(self.leaders)
        form = rng.choice("ABCD")
        speakers: list[Ref] = []
        if form == "A":
            self.lead(self.clause("lead_plain"), tail="")
            self.add("。" if self.lead_purpose else "，" + rng.choice(self.topic.get("purpose")) + "。")
            att = self.pick(self.leaders, rng.randint(1, 4))
            self.sentence(self.clause("host", P=host[0]), self.clause("attend", L=att))
            speakers = host if rng.random() < 0.7 else []
        elif form == "B":
            self.lead(self.clause("lead_host", P=host[0]), tail="")
            self.add("。" if self.lead_purpose else "，" + rng.choice(self.topic.get("purpose")) + "。")
            att = self.pick(self.leaders, rng.randint(0, 3))
            if att:
                self.sentence(self.clause("attend", L=att))
            speakers = host
        elif form == "C":
            self.lead(self.clause("lead_plain"))
            chair = self.pick(self.middle)
            if chair:
                self.sentence(self.clause("attend_one", P=host[0]), self.clause("host", P=chair[0]))
            else:
                self.sentence(self.clause("attend_one", P=host[0]))
            speakers = host if rng.random() < 0.6 else []
        else:
            self.lead(self.clause("lead_plain"))
            att = self.pick(self.leaders, rng.randint(2, 4))
            self.sentence(self.clause("leaders", NL=att))
            speakers = att[:1] if rng.random() < 0.5 else []
        if rng.random() < 0.5:
            self.add(self.unnamed() + "。")
        self.end_para()
        if rng.random() < 0.45:
            self.relay()
        if rng.random() < 0.55:
            who = self.pick(self.middle, rng.randint(1, 2))
            for i, ref in enumerate(who):
                self.cur.extend(self.clause("report", P=ref))
                self.add("，" if i + 1 < len(who) else "。")
            if rng.random() < 0.5:
                units = "、".join(rng.sample(self.region.bureaus, 2))
                self.add(rng.choice(data.phrases()["units"]).format(X=units) + "。")
            self.end_para()
        self.fill(speakers, self._target())

    def _inspect(self) -> None:
        rng, t = self.rng, self.topic
        where = rng.random()
        if where < 0.4:
            self.location = rng.choice(self.region.communities) + "社区"
        elif where < 0.6 and self.region.streets:
            self.location = rng.choice(self.region.streets) + ("办事处" if self.spec.kind == "zone" else "街道")
        else:
            self.location = rng.choice(t.get("site"))
        self.event_name = f"到{self.location}调研{t.name}工作"
        lead = self.pick(self.leaders if rng.random() < 0.8 else self.middle)[0]
        self.lead(self.clause("inspect_lead", P=lead))
        comp = self.pick(self.middle, rng.randint(0, 2))
        if comp:
            self.sentence(self.clause("accompany", L=comp))
        self.end_para()
        self.add(rng.choice(data.phrases()["trip"]).format(PL=rng.choice(t.get("site"))))
        self.end_para()
        if rng.random() < 0.6:
            reporter = self.pick(self.low)
            if reporter:
                self.sentence(self.clause("inspect_report", P=reporter[0], N=lead))
                self.end_para()
        self.fill([lead], self._target())

    def _video(self) -> None:
        rng = self.rng
        up = rng.choice(self.topic.get("up") or ("全省" + self.topic.name + "工作视频会议",))
        self.event_name = up
        self.location = self.spec.name + "分会场"
        fields = {"UP": up}
        speaker: list[Ref]
        if rng.random() < 0.6:
            att = self.pick(self.leaders, rng.randint(2, 4))
            if rng.random() < 0.6:
                self.lead(self.clause("video_lead", fields, NL=att))
            else:
                self.lead(self.clause("video_lead", fields, L=att))
            speaker = att[:1]
        else:
            host = self.pick(self.leaders)
            self.cur.append(("本报讯 ", ATOM))
            self.add(up)
            self.cur.append((self.style.fix(self._date_text()), ATOM))
            self.add("召开。")
            segs = self.clause("video_lead_host", P=host[0])
            if "分会场" not in segs[-1][0]:
                self.location = None
            self.sentence(segs)
            speaker = host
        self.end_para()
        self.relay()
        self.context()
        opening = [("收听收看会议后，", FREE)] + self.clause("speak", N=speaker[0]) if speaker else None
        if opening:
            self.instructions(opening)
        self.fill([], self._target())

    def _sign(self) -> None:
        rng = self.rng
        ents = [s for s, _ in self.middle if s.key == "entsec"]
        partner = self.pick_soe(3)
        if not ents or len(partner) < 2:
            return self._meeting()
        local_ent = rng.choice(ents)
        e1 = self.spec.name + local_ent.group
        e2 = "省" + partner[0].slot.group
        ag = rng.choice(data.phrases()["ag"])
        self.event_name = f"{e1}与{e2}{ag}签约仪式"
        self.fields_sign = {"E1": e1, "E2": e2, "AG": ag}
        self.lead(self.clause("sign_lead", self.fields_sign))
        leaders = self.pick(self.leaders, rng.randint(1, 2))
        self.sentence(self.clause("sign_attend", L=leaders + partner[:1]))
        holders = dict((s.id, p) for s, p in self.roster.holders(self.spec.key))
        chair = self._holder_ref(holders, local_ent.id)
        gm = self._holder_ref(holders, local_ent.id.replace("/entsec/", "/entgm/"))
        if chair:
            self.sentence(self.clause("sign_host", P=chair))
        self.end_para()
        signer = gm or chair
        if signer and signer.name not in self.mentions:
            self.sentence(self.clause("sign", P=partner[-1], P2=signer, fields=self.fields_sign))
            self.add(rng.choice(data.phrases()["coop"]))
            self.end_para()
        self.add(rng.choice(data.phrases()["coop"]))
        self.end_para()
        self.instructions(self.clause("sign_speak", N=partner[0]))
        self.instructions(self.clause("sign_speak", N=leaders[0]))
        self.fill([], self._target() - 300)

    def _holder_ref(self, holders, slot_id: str) -> Ref | None:
        person = holders.get(slot_id)
        if person is None or person.name in self.used:
            return None
        self.used.add(person.name)
        return Ref(person.name, self.roster.slots[slot_id])

    def _receive(self) -> None:
        rng = self.rng
        company = rng.choice(data.phrases()["co"])
        guest = self.visitor(company)
        host = self.pick(self.leaders)[0]
        self.event_name = f"会见{company}客人"
        self.lead(self.clause("receive_lead", P=host, P2=guest))
        comp = self.pick(self.middle, rng.randint(0, 2))
        if comp:
            self.sentence(self.clause("receive_attend", L=comp))
        self.end_para()
        self.sentence(self.clause("visitor_speak", {"T": self.topic.name}, N=guest))
        self.add(rng.choice(data.phrases()["visit"]))
        self.end_para()
        self.instructions(self.clause("speak", N=host))
        self.fill([], self._target() - 300)
        self._company = company

    def _promo(self) -> None:
        rng = self.rng
        city = rng.choice(data.phrases()["city"])
        self.event_name = rng.choice(data.phrases()["ind"])
        self.location = city
        self.lead(self.clause("promo_lead", {"CITY": city}))
        att = self.pick(self.leaders, rng.randint(1, 3))
        self.sentence(self.clause("promo_attend", L=att))
        self.add("参加会议的还有" + self.unnamed("") + "等。")
        self.end_para()
        intro = self.pick(self.middle)
        clauses = [self.clause("promo_speak", N=att[0])]
        if intro:
            clauses.append(self.clause("promo_intro", P=intro[0]))
        self.sentence(*clauses)
        guest = self.visitor(rng.choice(data.phrases()["co"]))
        self.sentence(self.clause("promo_guest", P=guest))
        self.end_para()
        self.fill([], self._target() - 300)
        self._city = city

    def _lecture(self) -> None:
        rng = self.rng
        self.event_name = f"{self.topic.name}专题报告会"
        speaker = self.pick(self.leaders)[0]
        self.lead(self.clause("lecture_lead", P=speaker))
        chair = self.pick(self.middle)
        att = self.pick(self.leaders, rng.randint(0, 2))
        clauses = []
        if chair:
            clauses.append(self.clause("lecture_host", P=chair[0]))
        if att:
            clauses.append(self.clause("lecture_attend", L=att))
        if clauses:
            self.sentence(*clauses)
        self.end_para()
        self.context()
        self.instructions()
        self.fill([], self._target())

    def _brief(self) -> None:
        """An article that names nobody (unnamed participants only)."""
        self.event_name = self._event()
        self.lead(self.clause("lead_plain"))
        self.add(self.unnamed() + "。")
        self.end_para()
        self.fill([], self.rng.randint(500, 900))

    # -- headline and byline ------------------------------------------------------------
    def make_headline(self, shape: str) -> str:
        rng = self.rng
        key = {"inspect": "headline_inspect", "video": "headline_video", "sign": "headline_sign",
               "receive": "headline_receive", "promo": "headline_promo", "lecture": "headline_lecture"}.get(
            shape, "headline")
        first = next(iter(self.mentions.values()), None)
        values = {"R": self.spec.name, "EV": self.event_name, "S": rng.choice(self.topic.get("slogan")),
                  "T": self.topic.name, "PL": self.location or "", "UP": self.event_name,
                  "N": first.person if first else "", "CO": getattr(self, "_company", ""),
                  "CITY": getattr(self, "_city", ""), **getattr(self, "fields_sign", {})}
        pool = [t.text for t in data.templates()[key]
                if all(values.get(k) for k in _FIELD.findall(t.text))] or [t.text for t in data.templates()["headline"][2:3]]
        return self.style.fix(_FIELD.sub(lambda m: values[m.group(1)], rng.choice(pool)))

    def _byline(self) -> tuple[list[str], list[str]]:
        rng = self.rng
        reporters = rng.sample(self.region.reporters, 2 if rng.random() < 0.08 else 1)
        correspondents = rng.sample(self.region.correspondents, rng.choice((0, 0, 1, 1, 1, 2, 2, 3)))
        return reporters, correspondents


class _Union:
    def __init__(self, *parts):
        self.parts = parts

    def __contains__(self, item) -> bool:
        return any(item in p for p in self.parts)
