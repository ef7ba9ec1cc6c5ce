"""Neo4j Browser, driven in real headless Chromium: paste a canned query, style the graph.

What a user does by hand: open http://127.0.0.1:7474/browser/, log in over bolt, paste the
`:param` lines that `officialgraph cypher` prints and run them, then paste and run the query; then
load officialgraph.grass with `:style` and look at a graph. The checks read the rendered page: the
result table lists the networkx twin's people in its order, and the drawn Person node has the style
file's caption and colour. Screenshots go to test-artifacts/.

With CI=true a missing Chromium, chromedriver, selenium or Browser page fails the run.
"""
from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from chromium import missing, start_chromium
from conftest import ROOT, wipe_neo4j
from officialgraph.cli import main
from officialgraph.graph.memory import MemoryStore
from officialgraph.graph.neo4j_store import Neo4jStore
from officialgraph.queries import run_query

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]

ARTIFACTS = ROOT / "test-artifacts"
GRASS = ROOT / "officialgraph" / "browser" / "officialgraph.grass"
WAIT_S = 30
PERSON = "张俊峰"
STYLE_QUERY = "MATCH (p:Person {name: $person})-[r]->(x) RETURN p, r, x"


@pytest.fixture(scope="module")
def browser_url(neo4j_settings) -> str:
    """Neo4j Browser on the test server's HTTP port (scripts/neo4j-local serves it)."""
    host = urllib.parse.urlparse(neo4j_settings.uri).hostname or "127.0.0.1"
    url = f"http://{host}:{os.environ.get('OFFICIALGRAPH_NEO4J_HTTP_PORT', '7474')}/browser/"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            page = response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        missing(f"Neo4j Browser is not served at {url}: {exc}")
    if "Neo4j Browser" not in page:
        missing(f"{url} does not serve Neo4j Browser")
    return url


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"), window="1400,1000", page_load_timeout=WAIT_S)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def seeded(neo4j_settings, neo4j_driver, seed_records) -> MemoryStore:
    """Seeds in Neo4j (for Browser) and in a MemoryStore (for the expected rows)."""
    wipe_neo4j(neo4j_driver, neo4j_settings.database)
    with Neo4jStore(neo4j_settings.uri, neo4j_settings.user, neo4j_settings.password,
                    neo4j_settings.database) as store:
        store.load_records(seed_records)
    memory = MemoryStore()
    memory.load_records(seed_records)
    return memory


def printed_script(*args: str) -> tuple[str, str]:
    """(`:param` lines, query) as `officialgraph cypher` prints them."""
    result = CliRunner().invoke(main, ["cypher", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    params = [line for line in lines if line.startswith(":param ")]
    return "\n".join(params), "\n".join(lines[len(params):])


def grass_rule(selector: str) -> dict[str, str]:
    rule = re.search(rf"^{re.escape(selector)} \{{(.*)\}}$", GRASS.read_text(encoding="utf-8"), re.M)
    assert rule, f"no {selector} rule in {GRASS.name}"
    return {k.strip(): v.strip().strip('"') for k, v in
            (part.split(":", 1) for part in rule[1].split(";") if part.strip())}


def by_test_id(driver, test_id: str):
    from selenium.webdriver.common.by import By
    return driver.find_element(By.CSS_SELECTOR, f"[data-testid={test_id}]")


def wait(driver, condition, what: str):
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        # React replaces elements as the page settles; a stale one is looked up again next poll.
        return WebDriverWait(driver, WAIT_S, ignored_exceptions=[StaleElementReferenceException]).until(condition)
    except TimeoutException:
        shot = ARTIFACTS / "neo4j-browser-timeout.png"
        driver.save_screenshot(str(shot))
        pytest.fail(f"Neo4j Browser: no {what} after {WAIT_S} s (screenshot {shot})")


def bolt_scheme_picked(driver) -> bool:
    """True once the scheme select holds bolt://; otherwise type "bolt" into it and poll again.

    The form fades in and Browser rewrites the host (and so the scheme) when its discovery request
    returns, so one keystroke can land on a hidden select or be undone: keep picking until it holds.
    Typing picks the option and fires React's change event; clicking an <option> of a closed
    <select> is refused as "not interactable" by some Chromium builds. The value, unlike the
    option's text, does not depend on the select being visible.
    """
    scheme = by_test_id(driver, "bolt-scheme-select")
    if scheme.get_attribute("value") == "bolt://":
        return True
    if scheme.is_displayed() and scheme.is_enabled():
        scheme.send_keys("bolt")  # no "/": that key is Browser's shortcut to the editor
    return False


def connect(driver, url: str, settings, editor_text: str) -> None:
    """Open Browser with ``editor_text`` in its editor (its own ?cmd=edit) and log in over bolt."""
    from selenium.webdriver.common.keys import Keys
    driver.get(url + "?" + urllib.parse.urlencode({"cmd": "edit", "arg": editor_text}))
    wait(driver, lambda d: by_test_id(d, "connect").is_displayed(), "login form")
    parsed = urllib.parse.urlparse(settings.uri)
    wait(driver, bolt_scheme_picked, "bolt:// in the scheme select")
    address = by_test_id(driver, "boltaddress")
    address.send_keys(Keys.CONTROL, "a")  # clear() does not reach React's state; keys do
    address.send_keys(Keys.DELETE)
    address.send_keys(f"{parsed.hostname}:{parsed.port or 7687}")
    by_test_id(driver, "username").send_keys(settings.user)
    by_test_id(driver, "password").send_keys(settings.password)
    wait(driver, bolt_scheme_picked, "bolt:// in the scheme select after the address")
    assert by_test_id(driver, "boltaddress").get_attribute("value") == f"{parsed.hostname}:{parsed.port or 7687}"
    by_test_id(driver, "connect").click()
    wait(driver, lambda d: f"to bolt://{parsed.hostname}:{parsed.port or 7687}" in d.find_element("tag name", "body").text,
         "login over bolt")


def top_frame_text(driver) -> str:
    from selenium.webdriver.common.by import By
    frames = driver.find_elements(By.CSS_SELECTOR, "[data-testid=frame]")
    return frames[0].text if frames else ""


def run_editor(driver, text: str | None = None) -> None:
    """Replace the editor's text the way a paste does (no auto-closing brackets), then run it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    if text is not None:
        editor = by_test_id(driver, "activeEditor")
        editor.click()
        area = editor.find_element(By.CSS_SELECTOR, "textarea")
        area.send_keys(Keys.CONTROL, "a")
        area.send_keys(Keys.DELETE)
        driver.execute_cdp_cmd("Input.insertText", {"text": text})
    by_test_id(driver, "editor-Run").click()


def test_pasted_canned_query_and_style_in_neo4j_browser(chromium, browser_url, seeded, neo4j_settings):
    from selenium.webdriver.common.by import By
    ARTIFACTS.mkdir(exist_ok=True)
    params, query = printed_script("met-with", PERSON, "--limit", "5")
    expected = [row["person"] for row in run_query(seeded, "met-with", person=PERSON, limit=5)]
    assert expected, "the seeds must give met-with rows for the check to mean anything"

    connect(chromium, browser_url, neo4j_settings, params)
    run_editor(chromium)  # the :param lines, as Browser's multi-statement run
    wait(chromium, lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=multi-statement-list-title]"))
         == params.count(":param") and "ERROR" not in top_frame_text(d), "`:param` statements")

    run_editor(chromium, query)
    text = wait(chromium, lambda d: next((t for t in [top_frame_text(d)] if f'"{expected[0]}"' in t), None),
                f"result table with {expected[0]}")
    chromium.save_screenshot(str(ARTIFACTS / "neo4j-browser-met-with.png"))
    positions = [text.find(f'"{name}"') for name in expected]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), (expected, text)
    assert f"Started streaming {len(expected)} records" in text

    # The style file, pasted after :style, then a graph: the Person node has its caption and colour.
    run_editor(chromium, ":style " + GRASS.read_text(encoding="utf-8"))
    wait(chromium, lambda d: "node.Person" in top_frame_text(d), "style frame")
    run_editor(chromium, STYLE_QUERY)
    person = grass_rule("node.Person")
    wait(chromium, lambda d: PERSON in " ".join(t.text for t in d.find_elements(By.CSS_SELECTOR, "svg g.node text")),
         f"graph with a {PERSON} caption")
    chromium.save_screenshot(str(ARTIFACTS / "neo4j-browser-style.png"))
    assert "went wrong" not in chromium.find_element(By.TAG_NAME, "body").text
    fills = {(c.get_attribute("fill") or "").lower() for c in chromium.find_elements(By.CSS_SELECTOR, "svg g.node circle")}
    assert person["color"].lower() in fills, fills
    assert grass_rule("node.Event")["color"].lower() in fills, fills
