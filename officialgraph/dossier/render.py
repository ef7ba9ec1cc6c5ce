"""The dossier as one self-contained HTML page: Jinja2 (autoescaping on), ECharts inlined.

Text from pages reaches the page two ways, both inert: as HTML text, escaped by Jinja2; and as
the JSON the charts read, inside ``<script type="application/json">`` with ``<``, ``>`` and
``&`` written as ``\\u003c`` ... so no sentence can close the script element.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup

from officialgraph.dossier.build import DATED_PRECISIONS, DossierData, Network
from officialgraph.errors import OfficialGraphError

ECHARTS_VERSION = "6.1.0"  # officialgraph/dossier/static/README.md says where it comes from
ECHARTS_FILE = "echarts.min.js"
TEMPLATE = "dossier.html.j2"
APP_JS = "dossier.js"
STYLE = "dossier.css"
# What the page's own <meta> policy allows: inline code only; nothing may be fetched.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                           "img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; "
                           "form-action 'none'")
PRECISION_LABELS = {
    "day": "日期见原文",
    "day-year-inferred": "年份推断",
    "month-day": "缺年份",
    "none": "无日期",
}
ROLE_LABELS = {"host": "主持", "attend": "出席", "speak": "讲话", "report": "报告", "inspect": "调研",
               "sign": "签约", "receive": "接待"}
KIND_LABELS = {"meeting": "会议", "conference": "大会", "inspection": "调研", "signing": "签约", "visit": "来访",
               "other": "其他"}
CHANGE_LABELS = {"first": "首任", "new": "新任", "concurrent": "兼任", "undated": "无日期"}
SHOWN_PER_CELL = 6  # links, events and sentences in one table cell; the timeline lists them all
JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _package_text(*parts: str) -> str:
    return resources.files("officialgraph.dossier").joinpath(*parts).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("officialgraph.dossier", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["precision"] = lambda p: PRECISION_LABELS.get(p or "none", p)
    env.filters["role"] = lambda r: ROLE_LABELS.get(r, r)
    env.filters["kind"] = lambda k: KIND_LABELS.get(k, k)
    env.filters["change"] = lambda c: CHANGE_LABELS.get(c, c)
    return env


@lru_cache(maxsize=None)
def _inline_script(*parts: str) -> Markup:
    """A vendored or own script, checked to be safe inside <script>...</script>."""
    text = _package_text(*parts)
    if "</script" in text.lower():
        raise OfficialGraphError(f"{'/'.join(parts)} contains '</script' and cannot be inlined")
    return Markup(text)


def script_json(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` element: nothing in it can end the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text)


LAYOUT_SEED = 7  # the same network always gets the same drawing
LAYOUT_ITERATIONS = 200


def network_layout(network: Network) -> dict[str, tuple[float, float]]:
    """Force-directed positions (networkx's Fruchterman-Reingold), the subject pinned at the centre.

    Laid out here once rather than by ECharts in the browser, whose force layout redraws the
    whole chart on each of its ~500 steps (seconds for 80 people); the page then draws at once,
    and the drawing is the same on every opening.
    """
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in network.nodes)
    # Pull grows with the log of shared events: a tie of 300 events must not crush the others.
    graph.add_weighted_edges_from((e.source, e.target, 1 + math.log(e.weight)) for e in network.edges)
    centre = [n.id for n in network.nodes if n.step == 0]
    if len(graph) < 2:
        return {n: (0.0, 0.0) for n in graph}
    start = {n: (0.0, 0.0) for n in centre} or None
    pos = nx.spring_layout(graph, pos=start, fixed=centre or None, weight="weight", seed=LAYOUT_SEED,
                           iterations=LAYOUT_ITERATIONS)
    return {n: (round(float(x), 4), round(float(y), 4)) for n, (x, y) in pos.items()}


def chart_data(data: DossierData) -> dict[str, Any]:
    """Only what the two charts draw; the tables come from the template."""
    xy = network_layout(data.network)
    return {
        "person": data.name,
        "timeline": [{"date": a.date, "precision": a.date_precision, "event": a.event, "kind": a.kind or "other",
                      "roles": list(a.roles), "evidence": a.evidence_id, "row": f"ap-{i}"}
                     for i, a in enumerate(data.timeline, 1) if a.date_precision in DATED_PRECISIONS and a.date],
        "network": {"nodes": [{**asdict(n), "xy": xy[n.id]} for n in data.network.nodes],
                    "edges": [asdict(e) for e in data.network.edges]},
    }


def render_dossier(data: DossierData) -> str:
    """The whole page as one string: open it from disk, it fetches nothing."""
    evidence = {e.id: e for e in data.evidence}
    dated = sum(1 for a in data.timeline if a.date_precision in DATED_PRECISIONS and a.date)
    return _environment().get_template(TEMPLATE).render(
        d=data, evidence=evidence, dated=dated, csp=CONTENT_SECURITY_POLICY,
        chart_json=script_json(chart_data(data)), style=Markup(_package_text("static", STYLE)),
        echarts_js=_inline_script("static", ECHARTS_FILE), app_js=_inline_script("static", APP_JS),
        echarts_version=ECHARTS_VERSION, precision_labels=PRECISION_LABELS, shown=SHOWN_PER_CELL)
