"""Running a canned query's Cypher, and printing it for Neo4j Browser.

``execute(spec, args, run)`` is what a Neo4j store's ``execute`` does: the same argument checks as
the networkx twin (``spec.parameters``), the same named-error resolution of people and
organisations (``spec.check``, here through small Cypher lookups), then ``spec.cypher`` with the
checked parameters, then the same pure ``spec.finish`` step. ``run(query, params)`` runs one
read query and returns its records as dicts, so this module needs no driver.
"""
from __future__ import annotations

import math
import re
from typing import Any, Callable

from officialgraph.errors import QueryError
from officialgraph.queries.common import pick_organization, pick_person, require_text

Run = Callable[[str, dict[str, Any]], list[dict[str, Any]]]

PERSON_LOOKUP = """\
MATCH (p:Person {name: $name})
RETURN coalesce(p.region, '') AS region, p.key AS key"""

ORGANIZATION_LOOKUP = """\
OPTIONAL MATCH (o:Organization {key: $name})
RETURN o IS NOT NULL AS exists,
       COLLECT { MATCH (n:Organization) WHERE n.name CONTAINS $name RETURN n.name } AS near"""


class CypherLookup:
    """``common.GraphLookup`` for a Neo4j server: a lookup query, then the same decision."""

    def __init__(self, run: Run):
        self.run = run

    def person(self, name: str, region: str | None = None) -> str:
        name = require_text(name, "person")
        found = [(row["region"], row["key"]) for row in self.run(PERSON_LOOKUP, {"name": name})]
        return pick_person(name, region, found)

    def organization(self, name: str) -> str:
        name = require_text(name, "organization")
        row = self.run(ORGANIZATION_LOOKUP, {"name": name})[0]
        pick_organization(name, row["exists"], [] if row["exists"] else list(row["near"]))
        return name


def parameters(spec: Any, args: dict[str, Any]) -> dict[str, Any]:
    """The Cypher parameters of ``args``: checked and normalised exactly as the networkx twin does."""
    if spec.cypher is None or spec.parameters is None:
        raise QueryError(f"query {spec.name} has no Cypher")
    return spec.parameters(**args)


def execute(spec: Any, args: dict[str, Any], run: Run) -> list[dict[str, Any]]:
    """Rows of canned query ``spec`` on a Neo4j server reached through ``run``."""
    params = parameters(spec, args)
    if spec.check is not None:
        spec.check(CypherLookup(run), params)
    if spec.finish is None and spec.columns:
        packed_rows = run(packed(spec), params)[0]["rows"]
        return [dict(zip(spec.columns, values)) for values in packed_rows]
    rows = run(spec.cypher, params)
    return spec.finish(rows, params) if spec.finish is not None else rows


def packed(spec: Any) -> str:
    """``spec.cypher`` wrapped so that the server sends all its rows in one record, as a list of
    lists in the query's order. The Python driver builds a Record per row: for the 3,600-row
    timeline of a decade's busiest official that was 60 of its 100 ms, against a few ms for one
    list. Only for queries whose rows are their final ``columns`` (no ``finish`` step)."""
    names = ", ".join(f"`{name}`" for name in spec.columns)
    return f"CALL () {{\n{spec.cypher}\n}}\nRETURN collect([{names}]) AS rows"


# --- Neo4j Browser ------------------------------------------------------------------------------

STRING_ESCAPES = str.maketrans({"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"})
IDENTIFIER = re.compile(r"^[^\W\d]\w*$")  # Cypher identifiers: letters (any script), digits, _


def literal(value: Any) -> str:
    """``value`` as a Cypher literal, Chinese intact (what ``:param name => ...`` evaluates)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryError(f"no Cypher literal for {value!r}")
        return repr(value)
    if isinstance(value, str):
        return "'" + value.translate(STRING_ESCAPES) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise QueryError(f"no Cypher literal for {type(value).__name__} {value!r}")


def _key(name: Any) -> str:
    name = str(name)
    return name if IDENTIFIER.match(name) else "`" + name.replace("`", "``") + "`"


def browser_script(spec: Any, args: dict[str, Any]) -> str:
    """``:param name => value;`` lines, then the query: paste into Neo4j Browser and run."""
    params = parameters(spec, args)
    lines = [f":param {_key(name)} => {literal(value)};" for name, value in params.items()]
    return "\n".join(lines + [spec.cypher.rstrip() + ";"]) + "\n"
