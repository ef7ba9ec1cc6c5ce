"""`officialgraph cypher`: a canned query as Neo4j Browser input (`:param` lines, then the query).

The Neo4j tests paste in principle: each `:param name => value;` line is evaluated by the server
the way Browser does (`RETURN value`), then the query runs with those parameters, and its rows
must be the networkx twin's.
"""
from __future__ import annotations

import re
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import wipe_neo4j
from officialgraph.cli import main
from officialgraph.graph.memory import MemoryStore
from officialgraph.graph.neo4j_store import Neo4jStore
from officialgraph.queries import QUERIES, check_args, run_query
from officialgraph.queries.cypher import literal

PARAM_LINE = re.compile(r"^:param (?P<name>\S+) => (?P<value>.*);$")

# One command line per query, with Chinese and every kind of value (text, int, null, choice).
COMMANDS = {
    "met-with": ["张俊峰", "--limit", "5"],
    "timeline": ["王新亭"],
    "career": ["王新亭", "--region", "高新区"],
    "roster": ["航空港实验区"],
    "events": ["--topic", "大气污染防治", "--since", "2021-11"],
    "path": ["丁柯", "宋恩民"],
    "top": ["--by", "central", "--limit", "5"],
    "ties": ["--min-count", "2"],
    "coverage": ["--journalist", "王军方"],
    "evidence": ["张俊峰", "--other", "魏学彬"],
}


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def split_script(text: str) -> tuple[dict[str, str], str]:
    """(parameter name -> literal text, query) of a printed script."""
    params: dict[str, str] = {}
    lines = text.splitlines()
    while lines and lines[0].startswith(":param "):
        match = PARAM_LINE.match(lines.pop(0))
        assert match, f"not a Browser :param line: {text.splitlines()[len(params)]!r}"
        params[match["name"].strip("`")] = match["value"]
    query = "\n".join(lines)
    assert query.endswith(";")
    return params, query[:-1]


def test_every_query_has_a_cypher_command():
    assert set(COMMANDS) == set(QUERIES)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_script_is_param_lines_then_the_query(name):
    result = run_cli("cypher", name, *COMMANDS[name])
    assert result.exit_code == 0, result.output
    params, query = split_script(result.output)
    assert query == QUERIES[name].cypher
    for param in params:
        assert f"${param}" in query, f"{name}: :param {param} is not used by the query"
    for used in set(re.findall(r"\$(\w+)", query)):
        assert used in params, f"{name}: the query needs ${used} but no :param line sets it"


def test_values_are_cypher_literals_with_chinese_intact():
    out = run_cli("cypher", "met-with", "张俊峰", "--limit", "5").output
    assert out.splitlines()[:3] == [":param person => '张俊峰';", ":param region => null;", ":param limit => 5;"]
    assert "\\u" not in out
    roster = run_cli("cypher", "roster", "航空港实验区").output
    assert re.search(r"^:param protocol => \{第一书记: 5, 书记: 10, ", roster, re.M)


def test_quotes_and_backslashes_are_escaped():
    out = run_cli("cypher", "timeline", "O'Neil\\x").output
    assert out.splitlines()[0] == ":param person => 'O\\'Neil\\\\x';"


def test_bad_arguments_are_one_error_line():
    result = CliRunner().invoke(main, ["cypher", "met-with", "张俊峰", "--limit", "0"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["Error: limit must be a positive integer, not 0"]
    result = CliRunner().invoke(main, ["cypher", "events", "--since", "2021/11"])
    assert result.exit_code == 1 and "since must look like" in result.output


# --- pasting, in principle, on a real server --------------------------------------------------

@pytest.fixture(scope="module")
def loaded(neo4j_settings, neo4j_driver, seed_records):
    memory = MemoryStore()
    memory.load_records(seed_records)
    wipe_neo4j(neo4j_driver, neo4j_settings.database)
    with Neo4jStore(neo4j_settings.uri, neo4j_settings.user, neo4j_settings.password,
                    neo4j_settings.database) as store:
        store.load_records(seed_records)
    return memory


def evaluate(driver, database: str, value: str) -> Any:
    """What Browser does with `:param name => value`: the server evaluates the expression."""
    return driver.execute_query(f"RETURN {value} AS value", database_=database).records[0]["value"]


@pytest.mark.neo4j
@pytest.mark.parametrize("value", ["张俊峰", "O'Neil \\ \"引号\"\n第二行\t", "𠀀康省楨", "", None, True, 0, -7,
                                   2 ** 62, [1, "二", None, []], {"第一书记": 5, "a b": ["x"], "`q": {"n": 1}}])
def test_literals_read_back_as_the_same_value(neo4j_driver, neo4j_settings, value):
    assert evaluate(neo4j_driver, neo4j_settings.database, literal(value)) == value


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_pasted_script_gives_the_twins_rows(name, loaded, neo4j_driver, neo4j_settings):
    spec = QUERIES[name]
    params_text, query = split_script(run_cli("cypher", name, *COMMANDS[name]).output)
    params = {k: evaluate(neo4j_driver, neo4j_settings.database, v) for k, v in params_text.items()}
    records = neo4j_driver.execute_query(query, params, database_=neo4j_settings.database).records
    rows = [r.data() for r in records]
    if spec.finish is not None:  # career's change/current, evidence's columns, path's NoPath
        rows = spec.finish(rows, params)
    args = check_args(spec, dict(_click_args(name)))
    assert rows == run_query(loaded, name, **args)
    assert rows, f"{name}: pick arguments that give rows, or this proves little"


def _click_args(name: str) -> dict[str, Any]:
    """The Python arguments of COMMANDS[name], parsed by the `query` command's own click params."""
    command = main.commands["query"].commands[name]
    ctx = command.make_context(name, list(COMMANDS[name]))
    return {k: v for k, v in ctx.params.items()
            if k in {a.name for a in QUERIES[name].args}}
