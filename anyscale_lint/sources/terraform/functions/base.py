"""The function registry and the value coercions every function family shares."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from anyscale_lint.model import Unknown
from anyscale_lint.sources.terraform.evaluation import EvalError
from anyscale_lint.sources.terraform.markers import MARKER, is_known
from anyscale_lint.sources.terraform.numeric import parse_number
from anyscale_lint.sources.terraform.operators import number_text, primitive_text

Function = Callable[[Any, list[Any]], Any]
FUNCTIONS: dict[str, Function] = {}

_NOT_KNOWN = "an argument is known only after apply"


def function(
    name: str, *, partial: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function; unless `partial`, any not-fully-known argument gives Unknown."""

    def register(implementation: Callable[..., Any]) -> Callable[..., Any]:
        def call(evaluator: Any, arguments: list[Any]) -> Any:
            check = _not_wholly_unknown if partial else is_known
            for argument in arguments:
                if not check(argument):
                    arguments_text = ", ".join(shown(a) for a in arguments)
                    reason = reason_of(evaluator, argument)
                    return evaluator.unknown(f"{name}({arguments_text})", reason)
            return implementation(evaluator, *arguments)

        FUNCTIONS[name] = call
        return implementation

    return register


def _not_wholly_unknown(value: Any) -> bool:
    return not isinstance(value, Unknown)


def reason_of(ev: Any, value: Any) -> str:
    """Why a value is not known: its first Unknown's reason, or that of its first marker."""
    if isinstance(value, Unknown):
        return value.reason
    if isinstance(value, str):
        reasons: dict[str, str] = getattr(ev, "reasons", {})
        for marker in MARKER.finditer(value):
            if marker.group(1) in reasons:
                return reasons[marker.group(1)]
    items = list(value.values()) if isinstance(value, dict) else value
    if isinstance(items, list):
        for item in items:
            if not is_known(item):
                return reason_of(ev, item)
    return _NOT_KNOWN


def shown(value: Any) -> str:
    if isinstance(value, Unknown):
        return value.expression
    text = json.dumps(value, default=str)
    return text if len(text) < 60 else text[:57] + "..."


def as_text(value: Any) -> str:
    written = primitive_text(value)
    if written is not None:
        return written
    if value is None:
        raise EvalError("expected a string, got null")
    raise EvalError(f"expected a string, got {type(value).__name__}")


def as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    raise EvalError(f"expected a list, got {'null' if value is None else type(value).__name__}")


def as_map(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise EvalError(f"expected a map, got {'null' if value is None else type(value).__name__}")


# Terraform converts only decimal text to a number: no hex, no "inf", no surrounding spaces.
_DECIMAL = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def as_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("a bool cannot be converted to a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return parse_number(value)
    written = "null" if value is None else repr(value)
    raise EvalError(f"cannot convert {written} to a number: it must be decimal digits")


def as_int(value: Any) -> int:
    number = as_number(value)
    if isinstance(number, float) and not (math.isfinite(number) and number.is_integer()):
        raise EvalError(f"expected a whole number, got {number_text(number)}")
    return int(number)


def same_value(left: Any, right: Any) -> bool:
    """Terraform's `==`: no conversion between types, so `true` never equals `1`."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same_value, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same_value(left[k], right[k]) for k in left)
    return type(left) is type(right) and bool(left == right)


def unique(items: list[Any]) -> list[Any]:
    result: list[Any] = []
    for item in items:
        if not any(same_value(item, seen) for seen in result):
            result.append(item)
    return result


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "collection"


def unify(values: list[Any]) -> list[Any]:
    """Mixed primitives converted to their common type, as Terraform's type unification does."""
    kinds = {kind_of(v) for v in values if v is not None and not isinstance(v, Unknown)}
    if len(kinds) < 2:
        return values
    if "collection" in kinds or "string" not in kinds:
        raise EvalError(f"the values have no common type ({', '.join(sorted(kinds))})")
    return [v if v is None or isinstance(v, (str, Unknown)) else as_text(v) for v in values]


def as_set(items: list[Any]) -> list[Any]:
    """A set: one of each value, in Terraform's order (strings lexical, numbers ascending)."""
    members = unique(unify(items))
    kinds = {kind_of(item) for item in members}
    if not all(is_known(item) for item in members) or len(kinds) != 1:
        return members
    return sorted(members) if kinds in ({"string"}, {"number"}) else members
