"""CSV files for ``neo4j-admin database import full``: the first load of a large corpus.

The files are written from the embedded store's graph, which holds exactly the merged rows of
``rows.build_rows`` that the batched writer (``neo4j_store``) MERGEs, so an imported database
equals a loaded one: the same labels, keys, types and properties.

Layout (one file per label and per relationship type, header in the first line)::

    nodes_Person.csv        key:ID(Person),name:string,aliases:string[],...,:LABEL
    rels_APPEARED_AT.csv    :START_ID(Person),:END_ID(Event),:TYPE,roles:string[],order:long,...

* every label is its own ID space (``key:ID(Person)``), so a person and an organisation may
  share a key; the ID column is also stored as the ``key`` property, as the writer stores it;
* journalists carry ``Person;Journalist`` in ``:LABEL``;
* lists are ``string[]``/``long[]`` joined with ``;`` (another delimiter is chosen when a
  value contains ``;``; ``import.args`` names it);
* every present value is quoted (an empty string stays an empty string); an absent property is
  an empty, unquoted field, which neo4j-admin leaves absent. An empty list is written as ``""``
  and imports as an empty array, as the writer stores it.

``import.args`` holds the options for ``neo4j-admin database import full``; the database then
needs its key constraints, which any ``Neo4jStore`` creates before its first write
(``Neo4jStore.ensure_schema``).
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from officialgraph.errors import StoreError
from officialgraph.graph.model import Label

DELIMITERS = (";", "|", "\u001f")  # for arrays; the first one that no list value contains
ARGS_FILE = "import.args"
EMPTY_LISTS_FILE = "empty_lists.json"
META = {"label", "type"}  # networkx attributes that are not properties
# neo4j-admin leaves an empty array absent, where the writer stores []: rows name their empty
# lists in this temporary property, and finish_import sets them to [] and removes it.
EMPTY_MARK = "_officialgraph_empty"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _type_of(values: Iterable[Any]) -> str:
    """The neo4j-admin column type of a property, from all its values."""
    kinds = set()
    inner = set()
    for value in values:
        if isinstance(value, (list, tuple)):
            kinds.add("list")
            inner.update("bool" if isinstance(v, bool) else type(v).__name__ for v in value)
        else:
            kinds.add("bool" if isinstance(value, bool) else type(value).__name__)
    if len(kinds) != 1:
        raise StoreError(f"a property mixes value kinds {sorted(kinds)}; neo4j-admin needs one type per column")
    kind = kinds.pop()
    if kind == "list":
        if len(inner) > 1:
            raise StoreError(f"a list property mixes element kinds {sorted(inner)}")
        return {"int": "long[]", "float": "double[]", "bool": "boolean[]"}.get(next(iter(inner), "str"), "string[]")
    return {"int": "long", "float": "double", "bool": "boolean"}.get(kind, "string")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field(value: Any, delimiter: str) -> str:
    if value is None:
        return ""  # absent property
    if isinstance(value, (list, tuple)):
        return _quote(delimiter.join(_scalar(v) for v in value))
    return _quote(_scalar(value))


def _pick_delimiter(graph: nx.MultiDiGraph) -> str:
    used: set[str] = set()
    for items in (graph.nodes(data=True), ((u, a) for u, _, a in graph.edges(data=True))):
        for _, attrs in items:
            for value in attrs.values():
                if isinstance(value, (list, tuple)):
                    for v in value:
                        used.update(ch for ch in DELIMITERS if ch in str(v))
    for delimiter in DELIMITERS:
        if delimiter not in used:
            return delimiter
    raise StoreError("list values contain every array delimiter neo4j-admin could use")


def _columns(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(property, type) for every property of these rows but ``key``."""
    names = sorted({k for row in rows for k in row if k not in META} - {"key"})
    for name in names:
        if not _NAME.match(name):
            raise StoreError(f"property name {name!r} cannot be a neo4j-admin column")
    return [(name, _type_of(row[name] for row in rows if row.get(name) is not None)) for name in names]


def _empties(row: dict[str, Any]) -> list[str] | None:
    empty = sorted(k for k, v in row.items() if isinstance(v, (list, tuple)) and not v)
    return empty or None


def _write(path: Path, header: list[str], lines: Iterable[list[str]]) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(",".join(header) + "\n")
        for line in lines:
            fh.write(",".join(line) + "\n")
            count += 1
    return count


def export_admin_csv(graph: nx.MultiDiGraph, out_dir: str | os.PathLike) -> dict[str, int]:
    """Write node and relationship CSV files plus ``import.args`` into ``out_dir``.

    Returns the rows written per label and per relationship type.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {out}: {exc.strerror or exc}") from None
    delimiter = _pick_delimiter(graph)
    counts: dict[str, int] = {}
    node_files: list[tuple[str, Path]] = []
    rel_files: list[tuple[str, Path]] = []
    label_of: dict[Any, str] = {}
    by_label: dict[str, list[dict[str, Any]]] = {}
    empty_lists: dict[str, dict[str, list[str]]] = {"nodes": {}, "relationships": {}}
    for node, attrs in graph.nodes(data=True):
        if "label" not in attrs or "key" not in attrs:
            raise StoreError(f"node {node!r} has no label or key; is this an officialgraph graph?")
        label_of[node] = attrs["label"]
        by_label.setdefault(attrs["label"], []).append(attrs)
    try:
        for label in sorted(by_label):
            rows = by_label[label]
            columns = _columns(rows)
            header = ([f"key:ID({label})"] + [f"{name}:{kind}" for name, kind in columns]
                      + [f"{EMPTY_MARK}:string[]", ":LABEL"])
            path = out / f"nodes_{label}.csv"
            counts[label] = _write(path, header, (
                [_field(row["key"], delimiter)] + [_field(row.get(name), delimiter) for name, _ in columns]
                + [_field(_empties(row), delimiter), _quote(_labels(row))] for row in rows))
            empty_lists["nodes"][label] = sorted({n for row in rows for n in _empties(row) or ()})
            node_files.append((label, path))
        by_type: dict[tuple[str, str, str], list[tuple[Any, Any, dict[str, Any]]]] = {}
        for u, v, attrs in graph.edges(data=True):
            by_type.setdefault((attrs["type"], label_of[u], label_of[v]), []).append((u, v, attrs))
        for (rel_type, start, end), edges in sorted(by_type.items()):
            columns = _columns([attrs for _, _, attrs in edges])
            header = ([f":START_ID({start})", f":END_ID({end})", ":TYPE"] + [f"{n}:{k}" for n, k in columns]
                      + [f"{EMPTY_MARK}:string[]"])
            suffix = "" if sum(1 for t, _, _ in by_type if t == rel_type) == 1 else f"_{start}_{end}"
            path = out / f"rels_{rel_type}{suffix}.csv"
            written = _write(path, header, (
                [_field(graph.nodes[u]["key"], delimiter), _field(graph.nodes[v]["key"], delimiter),
                 _quote(rel_type)] + [_field(attrs.get(name), delimiter) for name, _ in columns]
                + [_field(_empties(attrs), delimiter)] for u, v, attrs in edges))
            empty_lists["relationships"].setdefault(rel_type, [])
            empty_lists["relationships"][rel_type] = sorted(
                set(empty_lists["relationships"][rel_type]) | {n for _, _, a in edges for n in _empties(a) or ()})
            counts[rel_type] = counts.get(rel_type, 0) + written
            rel_files.append((rel_type, path))
        (out / EMPTY_LISTS_FILE).write_text(json.dumps(empty_lists, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
        (out / ARGS_FILE).write_text("\n".join(import_options(node_files, rel_files, delimiter)) + "\n",
                                     encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot write into {out}: {exc.strerror or exc}") from None
    return counts


def _labels(row: dict[str, Any]) -> str:
    if row.get("journalist"):
        return f"{row['label']};{Label.JOURNALIST.value}"
    return row["label"]


def import_options(node_files: list[tuple[str, Path]], rel_files: list[tuple[str, Path]],
                   delimiter: str) -> list[str]:
    """Options of ``neo4j-admin database import full`` for these files (absolute paths)."""
    options = [f"--nodes={path.resolve()}" for _, path in node_files]
    options += [f"--relationships={path.resolve()}" for _, path in rel_files]
    # Multiline: an evidence sentence or headline may hold a line break.
    options += [f"--array-delimiter={delimiter}", "--multiline-fields=true", "--id-type=string"]
    return options


def import_arguments(out_dir: str | os.PathLike, database: str = "neo4j") -> list[str]:
    """The full ``neo4j-admin`` argument list for an exported folder."""
    path = Path(out_dir) / ARGS_FILE
    if not path.is_file():
        raise StoreError(f"{path}: no such file; run `officialgraph export neo4j-admin` first")
    options = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    return ["database", "import", "full", *options, "--overwrite-destination=true", database]


# After the import: the writer's schema, then the empty lists. Labels, types and property names
# come from the export's own file (checked as plain names); values would go as parameters.
SET_EMPTY_NODES = """
MATCH (n:{label}) WHERE n.{mark} IS NOT NULL
CALL (n) {{
  FOREACH (_ IN CASE WHEN '{prop}' IN n.{mark} THEN [1] ELSE [] END | SET n.{prop} = [])
}} IN TRANSACTIONS OF 10000 ROWS
"""
SET_EMPTY_RELS = """
MATCH ()-[r:{label}]->() WHERE r.{mark} IS NOT NULL
CALL (r) {{
  FOREACH (_ IN CASE WHEN '{prop}' IN r.{mark} THEN [1] ELSE [] END | SET r.{prop} = [])
}} IN TRANSACTIONS OF 10000 ROWS
"""
DROP_MARK_NODES = "MATCH (n:{label}) WHERE n.{mark} IS NOT NULL CALL (n) {{ REMOVE n.{mark} }} IN TRANSACTIONS OF 10000 ROWS"
DROP_MARK_RELS = ("MATCH ()-[r:{label}]->() WHERE r.{mark} IS NOT NULL "
                  "CALL (r) {{ REMOVE r.{mark} }} IN TRANSACTIONS OF 10000 ROWS")


def finish_statements(out_dir: str | os.PathLike) -> list[str]:
    """The Cypher that makes an imported database equal to a loaded one (empty lists as [])."""
    path = Path(out_dir) / EMPTY_LISTS_FILE
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: cannot read ({exc}); run `officialgraph export neo4j-admin` first") from None
    statements = []
    for kind, set_query, drop_query in (("nodes", SET_EMPTY_NODES, DROP_MARK_NODES),
                                        ("relationships", SET_EMPTY_RELS, DROP_MARK_RELS)):
        for label, props in sorted(plan.get(kind, {}).items()):
            if not props:
                continue
            for name in (label, *props):
                if not _NAME.match(name):
                    raise StoreError(f"{path}: {name!r} is not a plain name")
            statements += [set_query.format(label=label, prop=prop, mark=EMPTY_MARK) for prop in props]
            statements.append(drop_query.format(label=label, mark=EMPTY_MARK))
    return statements


def finish_import(store: Any, out_dir: str | os.PathLike) -> None:
    """Run on the started, imported database: key constraints, then the empty lists."""
    store.ensure_schema()
    with store.driver.session(database=store.database) as session:
        for statement in finish_statements(out_dir):
            session.run(statement).consume()  # CALL IN TRANSACTIONS needs an auto-commit transaction
