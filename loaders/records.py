"""JSON Lines of ``ArticleRecord``: one record a line, UTF-8, Chinese as characters."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Iterable, Iterator

from officialgraph.errors import InputError
from officialgraph.graph.model import ArticleRecord


def parse_records(lines: Iterable[str], name: str = "<records>") -> Iterator[ArticleRecord]:
    """Records from lines of JSON; a broken line raises ``InputError`` naming file and line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}: line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise InputError(f"{name}: line {number}: expected a JSON object, got {type(data).__name__}")
        if "\\ud" in line.lower() and _has_lone_surrogate(data):
            # "\ud800" escapes decode to text no store can hold (UTF-8 has no lone surrogates).
            raise InputError(f"{name}: line {number}: a string holds a lone surrogate (\\ud800-\\udfff)")
        try:
            yield ArticleRecord.from_json(data)
        except (KeyError, TypeError, ValueError) as exc:
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise InputError(f"{name}: line {number}: not an article record ({detail})") from None


def _has_lone_surrogate(value: object) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def read_records(path: str | os.PathLike) -> Iterator[ArticleRecord]:
    """Stream the records of a JSON Lines file (a BOM is tolerated)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        with open(path, encoding="utf-8-sig") as fh:
            yield from parse_records(fh, str(path))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 JSON Lines ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def dump_record(record: ArticleRecord) -> str:
    return json.dumps(record.to_json(), ensure_ascii=False)


def write_records(records: Iterable[ArticleRecord], out: IO[str]) -> int:
    """Write records one a line to an open text stream; returns how many."""
    count = 0
    for record in records:
        out.write(dump_record(record))
        out.write("\n")
        count += 1
    return count
