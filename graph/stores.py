"""One way to open a store, whichever kind: the CLI and notebooks both go through ``open_store``."""
from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

from officialgraph.errors import StoreError
from officialgraph.graph.memory import MemoryStore, default_graph_path

STORE_KINDS = ("memory", "neo4j")


def neo4j_settings_from_env() -> dict[str, str | None]:
    """The variable names Neo4j's own tools use."""
    return {
        "uri": os.environ.get("NEO4J_URI"),
        "user": os.environ.get("NEO4J_USERNAME"),
        "password": os.environ.get("NEO4J_PASSWORD"),
        "database": os.environ.get("NEO4J_DATABASE"),
    }


def open_store(kind: str = "memory", *, graph: str | os.PathLike | None = None, create: bool = False,
               uri: str | None = None, user: str | None = None, password: str | None = None,
               database: str | None = None) -> Any:
    """Open a store.

    ``memory``: the graph file ``graph`` (default ``$OFFICIALGRAPH_GRAPH`` or
    ``./officialgraph.graph.json``); ``create`` allows a file that does not exist yet.
    ``neo4j``: a server; unset connection settings come from ``NEO4J_*``.
    """
    if kind == "memory":
        return MemoryStore.open(Path(graph) if graph else default_graph_path(), create=create)
    if kind == "neo4j":
        try:
            module = importlib.import_module("officialgraph.graph.neo4j_store")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith("neo4j_store"):
                raise StoreError("the neo4j store is not available in this version") from exc
            raise
        env = neo4j_settings_from_env()
        return module.Neo4jStore(uri=uri or env["uri"], user=user or env["user"],
                                 password=password or env["password"],
                                 database=database or env["database"])
    raise StoreError(f"unknown store {kind!r}; choose one of {', '.join(STORE_KINDS)}")
