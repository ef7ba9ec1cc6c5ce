"""Query rows to text: JSON (default), CSV, or a table whose columns line up with Chinese in them."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any, Iterable, Sequence

FORMATS = ("json", "csv", "table")
LIST_SEPARATOR = "|"  # CSV: one cell per value, lists joined (as in GraphML)
TABLE_LIST_SEPARATOR = "、"
TABLE_CELL_WIDTH = 40  # display columns; longer cells (evidence sentences) are cut with …


def char_width(char: str) -> int:
    """Terminal columns of one character: East Asian Wide/Fullwidth take two, combining marks none."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def truncate(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = char_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def columns_of(rows: Sequence[dict[str, Any]], preferred: Iterable[str] = ()) -> list[str]:
    """The preferred columns that occur, then any other keys in the order they first occur."""
    seen: dict[str, None] = {}
    present = {k for row in rows for k in row}
    for key in preferred:
        if key in present:
            seen[key] = None
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def cell(value: Any, separator: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return separator.join(cell(v, separator) for v in value)
    return str(value).replace("\r", " ").replace("\n", " ") if separator == TABLE_LIST_SEPARATOR else str(value)


def to_json(rows: Sequence[dict[str, Any]]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: Sequence[dict[str, Any]], columns: Iterable[str] = ()) -> str:
    cols = columns_of(rows, columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if cols:
        writer.writerow(cols)
    for row in rows:
        writer.writerow([cell(row.get(c), LIST_SEPARATOR) for c in cols])
    return buffer.getvalue()


def to_table(rows: Sequence[dict[str, Any]], columns: Iterable[str] = (), max_width: int = TABLE_CELL_WIDTH) -> str:
    cols = columns_of(rows, columns)
    if not cols:
        return ""
    body = [[truncate(cell(row.get(c), TABLE_LIST_SEPARATOR), max_width) for c in cols] for row in rows]
    widths = [max([display_width(c)] + [display_width(line[i]) for line in body]) for i, c in enumerate(cols)]
    lines = ["  ".join(pad(c, w) for c, w in zip(cols, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(v, w) for v, w in zip(line, widths)).rstrip() for line in body]
    return "\n".join(lines) + "\n"


def render(rows: Sequence[dict[str, Any]], fmt: str = "json", columns: Iterable[str] = ()) -> str:
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "table":
        return to_table(rows, columns)
    raise ValueError(f"unknown output format {fmt!r}")
