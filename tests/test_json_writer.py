"""The JSON writer of the json and sarif formats: indented on top, one line per entry below."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from anyscale_lint.formatters.common import indented_json

DOCUMENT = {
    "b": [1, {"x": [], "y": {}}, "tab\there"],
    "a": {"nested": {"deep": [1, 2]}, "empty": []},
    "c": None,
    "d": [],
    "e": "é \u2028 </script>",
}


@pytest.mark.parametrize("sort_keys", [False, True])
def test_deep_enough_it_is_python_s_indented_json(sort_keys: bool) -> None:
    expected = json.dumps(DOCUMENT, indent=2, sort_keys=sort_keys) + "\n"
    assert indented_json(DOCUMENT, sort_keys=sort_keys, flat_depth=99) == expected


def test_below_the_flat_depth_each_entry_is_one_line() -> None:
    text = indented_json(DOCUMENT, flat_depth=2)
    assert json.loads(text) == DOCUMENT
    lines = text.splitlines()
    assert '    {"x": [], "y": {}},' in lines
    assert '    "nested": {"deep": [1, 2]},' in lines
    assert '  "d": [],' in lines


def test_a_list_may_be_an_iterator_consumed_as_it_is_written() -> None:
    produced: list[int] = []

    def entries() -> Iterator[dict[str, int]]:
        for number in range(3):
            produced.append(number)
            yield {"n": number}

    text = indented_json({"results": entries(), "none": iter(())}, flat_depth=2)
    assert json.loads(text) == {"results": [{"n": 0}, {"n": 1}, {"n": 2}], "none": []}
    assert produced == [0, 1, 2]
