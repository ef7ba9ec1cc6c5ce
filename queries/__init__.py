"""The ten canned queries: one module each, a registry, and ``run_query``.

Each module defines ``NAME``, ``DESCRIPTION``, ``ARGS`` (``spec.Arg``), ``EXAMPLE``, ``COLUMNS`` and
``networkx(graph, **args)``; the Neo4j layer adds a ``CYPHER`` constant beside it. Rows are lists
of dicts of JSON scalars and lists, fully ordered, identical from either store.

    from officialgraph.graph.stores import open_store
    from officialgraph.queries import run_query
    run_query(open_store(graph="officialgraph.graph.json"), "met-with", person="张俊峰")
"""
from __future__ import annotations

from types import ModuleType
from typing import Any

from officialgraph.errors import QueryError
from officialgraph.queries import (career, coverage, events, evidence, met_with, path, roster, ties,
                                   timeline, top)
from officialgraph.queries.spec import Arg, QuerySpec

MODULES: tuple[ModuleType, ...] = (met_with, timeline, career, roster, events, path, top, ties, coverage, evidence)


def _spec(module: ModuleType) -> QuerySpec:
    return QuerySpec(name=module.NAME, description=module.DESCRIPTION, args=module.ARGS,
                     networkx=module.networkx, example=module.EXAMPLE, columns=module.COLUMNS,
                     cypher=getattr(module, "CYPHER", None), parameters=getattr(module, "parameters", None),
                     check=getattr(module, "check", None), finish=getattr(module, "finish", None))


QUERIES: dict[str, QuerySpec] = {module.NAME: _spec(module) for module in MODULES}


def get_query(name: str) -> QuerySpec:
    try:
        return QUERIES[name]
    except KeyError:
        raise QueryError(f"unknown query {name!r}; choose one of {', '.join(QUERIES)}") from None


def check_args(spec: QuerySpec, args: dict[str, Any]) -> dict[str, Any]:
    """Reject unknown and missing arguments; fill defaults. Values are checked by the query."""
    known = {a.name: a for a in spec.args}
    unknown = sorted(set(args) - set(known))
    if unknown:
        raise QueryError(f"{spec.name} takes no argument {', '.join(unknown)}; it takes {', '.join(known)}")
    out = {}
    for arg in spec.args:
        value = args.get(arg.name, arg.default)
        if arg.required and value is None:
            raise QueryError(f"{spec.name} needs {arg.name}")
        if arg.choices and value is not None and value not in arg.choices:
            raise QueryError(f"{spec.name} {arg.name} must be one of {', '.join(arg.choices)}, not {value!r}")
        out[arg.name] = value
    return out


def run_query(store: Any, name: str, **args: Any) -> list[dict[str, Any]]:
    """Run canned query ``name`` on ``store`` (anything with ``execute(spec, args)``)."""
    spec = get_query(name)
    return store.execute(spec, check_args(spec, args))


__all__ = ["Arg", "QuerySpec", "QUERIES", "get_query", "check_args", "run_query"]
