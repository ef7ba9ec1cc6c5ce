"""How a canned query describes itself, so the CLI and the Cypher layer can share it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Arg:
    name: str  # the Python keyword; the CLI option is --name-with-dashes
    help: str
    type: str = "text"  # text | int | date | choice
    required: bool = False
    positional: bool = False  # given on the command line without an option name
    default: Any = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuerySpec:
    name: str
    description: str
    args: tuple[Arg, ...]
    networkx: Callable[..., list[dict[str, Any]]]
    example: str
    columns: tuple[str, ...] = field(default=())  # the keys of every row, in order
    cypher: str | None = None  # filled in by the Neo4j layer's CYPHER constant, when present
    # Shared by both stores (see queries/cypher.py): arguments -> checked Cypher parameters;
    # named-error lookups of the people/organisations they name; pure post-processing of rows.
    parameters: Callable[..., dict[str, Any]] | None = None
    check: Callable[[Any, dict[str, Any]], Any] | None = None
    finish: Callable[[list[dict[str, Any]], dict[str, Any]], list[dict[str, Any]]] | None = None


PERSON = Arg("person", "the person's name", required=True, positional=True)
REGION = Arg("region", "the person's home region, when the name is held in several")
OTHER = Arg("other", "a second person's name")
OTHER_REGION = Arg("other_region", "the second person's home region")
LIMIT = Arg("limit", "at most this many rows", type="int")
