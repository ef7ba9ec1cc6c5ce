"""The dossier page in a real headless Chromium (Debian's chromium + chromium-driver, selenium).

Each page is written to disk and opened as file://; the checks read the RENDERED DOM, the chart
instances' own counts, the browser's resource timing and its network log. Screenshots go to
test-artifacts/. With CI=true a missing browser fails the run instead of skipping it.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from officialgraph.dossier import build_dossier, render_dossier
from officialgraph.queries import run_query

from chromium import start_chromium
from test_dossier import HOSTILE_NAME, SUBJECT, hostile_records, in_display_order, lone_record, many_appearances, store_of

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
RENDER_BUDGET_S = 2.0  # the bar for a 500-appearance page
LOADS = 3
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
REMOTE_SCHEMES = ("http:", "https:", "ws:", "wss:", "ftp:")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"), window="1280,2200", performance_log=True)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def seed_store(seed_records):
    return store_of(seed_records)


def open_page(driver, html: str, path: Path) -> dict:
    """Write, open from disk, wait for the charts; return what the page and the browser measured."""
    from selenium.webdriver.support.ui import WebDriverWait

    path.write_text(html, encoding="utf-8")
    driver.get_log("performance")  # drop what earlier pages logged
    started = time.perf_counter()
    driver.get(path.resolve().as_uri())
    WebDriverWait(driver, 20).until(
        lambda d: d.find_element("tag name", "body").get_attribute("data-rendered") == "true")
    wall = time.perf_counter() - started
    body = driver.find_element("tag name", "body")
    return {"wall_s": wall, "render_ms": float(body.get_attribute("data-render-ms")),
            "script_ms": float(body.get_attribute("data-script-start-ms"))}


def requested_urls(driver, page_url: str) -> tuple[list[str], list[str]]:
    """(what the page asked for, what the whole browser asked for): resource timing plus the
    DevTools network log; the browser's own chrome:// pages are not the dossier's doing."""
    mine = list(driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"))
    everything = list(mine)
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            everything.append(url)
            if message["params"].get("documentURL") == page_url:
                mine.append(url)
    return mine, everything


def assert_offline(driver) -> None:
    page_url = driver.current_url
    mine, everything = requested_urls(driver, page_url)
    assert page_url in mine, "the network log recorded not even the page itself"
    assert not [u for u in mine if not u.startswith(LOCAL_SCHEMES)], f"the page requested {mine}"
    assert not [u for u in everything if u.startswith(REMOTE_SCHEMES)], f"the browser went out: {everything}"


def text_of(driver, css: str) -> list[str]:
    return [e.text.strip() for e in driver.find_elements("css selector", css)]


def screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(int(height), 800), 6000))
    # the charts redraw after the resize: let two frames pass before the picture is taken
    driver.execute_async_script("var done = arguments[0];"
                                "requestAnimationFrame(function () { requestAnimationFrame(function () {"
                                " setTimeout(done, 200); }); });")
    driver.save_screenshot(str(target))
    driver.set_window_size(1280, 2200)
    assert target.stat().st_size > 10_000
    return target


def show_tooltip(driver, chart: int, index_js: str) -> str:
    """Ask chart ``chart`` to show the tooltip of data item ``index_js``; the tooltip's text."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script(f"var c = window.dossierCharts[{chart}];"
                          f"c.dispatchAction({{type: 'showTip', seriesIndex: 0, dataIndex: {index_js}}});")
    find = (f"var boxes = Array.from(window.dossierCharts[{chart}].getDom().querySelectorAll('div'))"
            ".filter(function (d) { return d.style.zIndex === '9999999' && d.style.display !== 'none'; });"
            "return boxes.length ? boxes[0].textContent : '';")
    return WebDriverWait(driver, 5).until(lambda d: d.execute_script(find))


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_seed_dossier_in_chromium(browser, seed_store, tmp_path):
    data = build_dossier(seed_store, SUBJECT)
    timing = open_page(browser, render_dossier(data), tmp_path / "seed.html")
    print(f"\nseed dossier ({len(data.timeline)} appearances): rendered in {timing['render_ms']:.0f} ms "
          f"after navigation, {timing['wall_s']:.2f} s wall")
    assert_offline(browser)
    assert not console_errors(browser)
    assert text_of(browser, "#person-name") == [SUBJECT]
    timeline = in_display_order(run_query(seed_store, "timeline", person=SUBJECT))
    dates = text_of(browser, "#timeline tbody td.date")
    assert dates == [r["date"] or "—" for r in timeline]
    for row in timeline:
        if row["date"]:
            assert row["date"] in dates
    posts = text_of(browser, "#posts tbody tr")
    for post, row in zip(run_query(seed_store, "career", person=SUBJECT), posts, strict=True):
        assert post["organization"] in row and post["post"] in row
    top = run_query(seed_store, "met-with", person=SUBJECT)[0]
    first_tie = browser.find_element("css selector", "#ties tbody tr")
    assert first_tie.find_element("css selector", "td.person").text == top["person"]
    assert first_tie.find_element("css selector", "td.num").text == str(top["count"])
    network = browser.find_element("id", "network-chart")
    assert int(network.get_attribute("data-nodes")) == len(data.network.nodes) > 2
    assert int(network.get_attribute("data-edges")) == len(data.network.edges)
    dated = [a for a in data.timeline if a.date_precision in ("day", "day-year-inferred") and a.date]
    assert int(browser.find_element("id", "timeline-chart").get_attribute("data-points")) == len(dated)
    # the chart instance itself, not only the marks the page set
    drawn = browser.execute_script("return window.dossierCharts[1].getOption().series[0].data.length")
    assert drawn == len(data.network.nodes)
    # a canvas was really painted (not blank)
    painted = browser.execute_script(
        "var c = document.querySelector('#network-chart canvas'); var d = c.getContext('2d')"
        ".getImageData(0, 0, c.width, c.height).data; var n = 0;"
        "for (var i = 3; i < d.length; i += 4) { if (d[i]) { n++; } } return n;")
    assert painted > 1000
    # evidence links resolve to the sentence with its page file and offsets
    link = browser.find_element("css selector", "#timeline a.ev")
    target = browser.find_element("id", link.get_attribute("href").split("#")[1])
    assert target.get_attribute("data-source") in target.text
    assert f"[{target.get_attribute('data-start')}, {target.get_attribute('data-end')})" in target.text
    print(f"screenshot: {screenshot(browser, 'dossier-seed.png')}")


def test_five_hundred_appearances_render_fast(browser, tmp_path):
    store = store_of(many_appearances())
    data = build_dossier(store, "周大海")
    html = render_dossier(data)
    # A first load warms a browser that may have just started (fonts, renderer process); then
    # three loads, the median held to the bar, so one load slowed by a busy machine does not
    # decide it. Every load is printed, the warm-up too.
    warm = open_page(browser, html, tmp_path / "many-warm.html")
    loads = [open_page(browser, html, tmp_path / f"many-{i}.html") for i in range(LOADS)]
    times = sorted(t["render_ms"] for t in loads)
    print(f"\n500 appearances ({len(html) / 1e6:.2f} MB, {len(data.network.nodes)} network nodes): warm-up "
          f"{warm['render_ms']:.0f} ms; rendered in "
          + ", ".join(f"{t['render_ms']:.0f} ms (page script from {t['script_ms']:.0f} ms, {t['wall_s']:.2f} s wall)"
                      for t in loads) + f"; median {times[len(times) // 2]:.0f} ms")
    assert times[len(times) // 2] < RENDER_BUDGET_S * 1000
    assert_offline(browser)
    assert not console_errors(browser)
    assert len(browser.find_elements("css selector", "#timeline tbody tr")) == 500
    network = browser.find_element("id", "network-chart")
    assert int(network.get_attribute("data-nodes")) == len(data.network.nodes)
    dated = sum(1 for a in data.timeline if a.date_precision in ("day", "day-year-inferred"))
    assert int(browser.find_element("id", "timeline-chart").get_attribute("data-points")) == dated
    top = run_query(store, "met-with", person="周大海")[0]
    assert browser.find_element("css selector", "#ties tbody tr td.person").text == top["person"]
    print(f"screenshot: {screenshot(browser, 'dossier-500.png')}")


def test_one_appearance_page_is_readable(browser, tmp_path):
    store = store_of(lone_record())
    open_page(browser, render_dossier(build_dossier(store, "孤一人")), tmp_path / "lone.html")
    assert_offline(browser)
    assert not console_errors(browser)
    assert text_of(browser, "#person-name") == ["孤一人"]
    assert text_of(browser, "#timeline tbody td.date") == ["—"]
    assert browser.find_element("id", "no-ties").is_displayed()
    assert browser.find_element("id", "network-chart").get_attribute("data-nodes") == "1"
    print(f"screenshot: {screenshot(browser, 'dossier-lone.png')}")


def test_hostile_page_text_stays_text(browser, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException

    store = store_of(hostile_records())
    open_page(browser, render_dossier(build_dossier(store, "甲乙丙")), tmp_path / "hostile.html")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it is the check
    assert browser.execute_script("return document.querySelectorAll('script').length") == 3
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert "<script>alert(1)</script>" in browser.find_element("id", "ev-1").text
    assert text_of(browser, "#timeline tbody td.event")[0].startswith("</script><script>alert(2)</script>会议")
    assert text_of(browser, "#ties td.person") == [HOSTILE_NAME]
    # ECharts tooltips are HTML: show the hostile event's and the hostile person's, then look
    tooltips = [show_tooltip(browser, 0, "0"),
                show_tooltip(browser, 1, "window.dossierCharts[1].getOption().series[0].data"
                                         ".findIndex(function (n) { return n.node.step === 1; })")]
    assert "</script><script>alert(2)</script>会议" in tooltips[0]
    assert HOSTILE_NAME in tooltips[1]
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
