"""JSON Lines of records: what a broken or unholdable line gives."""
from __future__ import annotations

import pytest

from officialgraph.errors import InputError
from officialgraph.loaders.records import parse_records


def test_lone_surrogate_escape_is_refused_naming_the_line():
    lines = ['{"source": "ok.txt", "events": []}\n', '{"source": "a\\ud800.txt", "events": []}\n']
    with pytest.raises(InputError, match="line 2: a string holds a lone surrogate"):
        list(parse_records(lines, "records.jsonl"))


def test_a_surrogate_pair_escape_is_an_ordinary_character():
    [record] = parse_records(['{"source": "\\ud840\\udc00.txt", "events": []}'])
    assert record.source == "\U00020000.txt"
