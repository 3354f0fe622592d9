"""JSON text from inputs, read safely: bounded nesting, exact numbers, no NaN or Infinity."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from anyscale_lint.model import Unknown

# Past this depth the input is refused before decoding: Python's decoder (and every walk
# of the result) recurses once per level and would exhaust the stack.
MAX_NESTING = 200
# Python refuses to print ints of more than 4300 digits; larger numbers become unknown.
MAX_DIGITS = 4000

_SCANNED = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}\n]')


class JsonInputError(ValueError):
    """JSON that cannot be read, with its position."""

    def __init__(self, line: int | None, column: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def nesting_depth(text: str) -> tuple[int, int]:
    """Deepest bracket nesting outside strings, and the line where it is reached."""
    depth = deepest = 0
    line = deepest_line = 1
    for match in _SCANNED.finditer(text):
        token = match.group()
        if token == "\n":
            line += 1
        elif token in "[{":
            depth += 1
            if depth > deepest:
                deepest, deepest_line = depth, line
        elif token in "]}":
            depth -= 1
        else:
            line += token.count("\n")
    return deepest, deepest_line


def _number(text: str) -> Any:
    if len(text) < 20 and text.lstrip("-").isdigit():
        return int(text)
    decimal = Decimal(text)
    if decimal.adjusted() >= MAX_DIGITS:
        return Unknown(
            f"{text[:12]}...", f"a number of more than {MAX_DIGITS} digits is not evaluated"
        )
    # JSON numbers are exact, as Terraform's are: 1e400 is a whole number, never infinity.
    return int(decimal) if decimal == decimal.to_integral_value() else float(decimal)


def _constant(name: str) -> Any:
    raise JsonInputError(None, None, f"invalid JSON: {name} is not a JSON value")


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def loads(text: str, unique_keys: bool = False) -> Any:
    """The JSON value of `text` (JsonInputError with line and column when it is not JSON).

    With `unique_keys`, an object that repeats a key is refused: readers disagree on which
    value wins (Python keeps the last), so the document is ambiguous.
    """
    depth, line = nesting_depth(text)
    if depth > MAX_NESTING:
        raise JsonInputError(line, None, f"nesting deeper than {MAX_NESTING} levels")
    hook = _unique_object if unique_keys else None
    try:
        return json.loads(
            text,
            parse_int=_number,
            parse_float=_number,
            parse_constant=_constant,
            object_pairs_hook=hook,
        )
    except _DuplicateKey as error:
        quoted = json.dumps(error.key)
        first = text.find(quoted)
        second = text.find(quoted, first + 1) if first >= 0 else -1
        where = text.count("\n", 0, second) + 1 if second >= 0 else None
        raise JsonInputError(where, None, f"duplicate key {quoted[:80]} in an object") from None
    except json.JSONDecodeError as error:
        raise JsonInputError(error.lineno, error.colno, f"invalid JSON: {error.msg}") from None
    except RecursionError:
        raise JsonInputError(line, None, "nesting too deep to read") from None
