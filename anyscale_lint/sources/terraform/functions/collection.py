"""Collection functions: length, concat, merge, lookup, element, keys, range, slice, ..."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from anyscale_lint.model import Unknown
from anyscale_lint.sources.terraform.evaluation import EvalError
from anyscale_lint.sources.terraform.functions.base import (
    as_int,
    as_list,
    as_map,
    as_number,
    as_set,
    as_text,
    function,
    reason_of,
    same_value,
    shown,
    unify,
    unique,
)
from anyscale_lint.sources.terraform.functions.graphemes import graphemes
from anyscale_lint.sources.terraform.markers import is_known


@function("length", partial=True)
def _length(ev: Any, value: Any) -> Any:
    if isinstance(value, str):
        if not is_known(value):
            return ev.unknown(f"length({shown(value)})", reason_of(ev, value))
        return len(graphemes(value))
    if isinstance(value, (list, dict)):
        return len(value)
    raise EvalError("length() needs a string, list or map")


@function("concat", partial=True)
def _concat(ev: Any, *lists: Any) -> Any:
    return [item for values in lists for item in as_list(values)]


@function("merge", partial=True)
def _merge(ev: Any, *maps: Any) -> Any:
    result: dict[str, Any] = {}
    for value in maps:
        if value is not None:
            result.update(as_map(value))
    return result


@function("lookup", partial=True)
def _lookup(ev: Any, mapping: Any, key: Any, *default: Any) -> Any:
    values = as_map(mapping)
    if not is_known(key):
        return ev.unknown(f"lookup(..., {shown(key)})", reason_of(ev, key))
    if as_text(key) in values:
        return values[as_text(key)]
    if default:
        return default[0]
    raise EvalError(f"key {key!r} not found and no default given")


@function("element", partial=True)
def _element(ev: Any, values: Any, index: Any) -> Any:
    items = as_list(values)
    if not items:
        raise EvalError("element() of an empty list")
    # Terraform 1.10+ wraps negative indexes too: -1 is the last element.
    return items[as_int(index) % len(items)]


@function("index")
def _index(ev: Any, values: Any, value: Any) -> Any:
    for position, item in enumerate(as_list(values)):
        if same_value(item, value):
            return position
    raise EvalError("item not found")


@function("keys", partial=True)
def _keys(ev: Any, mapping: Any) -> Any:
    return sorted(as_map(mapping))


@function("values", partial=True)
def _values(ev: Any, mapping: Any) -> Any:
    values = as_map(mapping)
    return [values[key] for key in sorted(values)]


@function("contains")
def _contains(ev: Any, values: Any, value: Any) -> Any:
    return any(same_value(item, value) for item in as_list(values))


@function("distinct", partial=True)
def _distinct(ev: Any, values: Any) -> Any:
    return unique(as_list(values))


@function("flatten", partial=True)
def _flatten(ev: Any, values: Any) -> Any:
    def walk(items: list[Any]) -> list[Any]:
        flat: list[Any] = []
        for item in items:
            flat.extend(walk(item) if isinstance(item, list) else [item])
        return flat

    return walk(as_list(values))


@function("compact", partial=True)
def _compact(ev: Any, values: Any) -> Any:
    # compact takes a list of strings, so numbers and bools become strings.
    return [
        item if isinstance(item, Unknown) else as_text(item)
        for item in as_list(values)
        if item is not None and item != ""
    ]


@function("coalesce", partial=True)
def _coalesce(ev: Any, *values: Any) -> Any:
    # The result has the arguments' common type: coalesce(1, "a") is "1".
    for value in unify(list(values)):
        if value is not None and value != "":
            return value
    raise EvalError("no non-null, non-empty-string argument")


@function("coalescelist", partial=True)
def _coalescelist(ev: Any, *lists: Any) -> Any:
    for values in lists:
        if as_list(values):
            return values
    raise EvalError("no non-empty list")


@function("one", partial=True)
def _one(ev: Any, values: Any) -> Any:
    items = as_list(values)
    if len(items) > 1:
        raise EvalError("one() needs a list of at most one element")
    return items[0] if items else None


# Terraform's own cap on range(): the 1025th element is an error.
_RANGE_LIMIT = 1024


@function("range")
def _range(ev: Any, *arguments: Any) -> Any:
    numbers = [as_number(a) for a in arguments]
    start: int | float
    limit: int | float
    step: int | float
    if len(numbers) == 1:
        start, limit, step = 0, numbers[0], (-1 if numbers[0] < 0 else 1)
    elif len(numbers) == 2:
        start, limit = numbers
        step = -1 if limit < start else 1
    elif len(numbers) == 3:
        start, limit, step = numbers
    else:
        raise EvalError("range() takes one, two or three numbers")
    if step == 0:
        raise EvalError("range() step must not be zero")
    if (step < 0 and limit > start) or (step > 0 and limit < start):
        raise EvalError("range() limit is on the wrong side of start for the step")
    result: list[int | float] = []
    value = start
    while value > limit if step < 0 else value < limit:
        if len(result) >= _RANGE_LIMIT:
            raise EvalError(f"range() of more than {_RANGE_LIMIT} values")
        result.append(value)
        value = _step(start, step, len(result))
    return result


def _step(start: int | float, step: int | float, count: int) -> int | float:
    if isinstance(start, int) and isinstance(step, int):
        return start + step * count
    # Terraform's numbers are decimal: 0.1 + 0.1 + 0.1 is 0.3, not 0.30000000000000004.
    value = float(Decimal(repr(start)) + Decimal(repr(step)) * count)
    return int(value) if value.is_integer() else value


@function("slice", partial=True)
def _slice(ev: Any, values: Any, start: Any, end: Any) -> Any:
    items = as_list(values)
    first, last = as_int(start), as_int(end)
    if not 0 <= first <= last <= len(items):
        raise EvalError("slice() indexes out of range")
    return items[first:last]


@function("zipmap", partial=True)
def _zipmap(ev: Any, keys: Any, values: Any) -> Any:
    key_list, value_list = as_list(keys), as_list(values)
    if len(key_list) != len(value_list):
        raise EvalError("zipmap() needs lists of the same length")
    return {as_text(key): value for key, value in zip(key_list, value_list, strict=False)}


@function("setunion", partial=True)
def _setunion(ev: Any, *sets: Any) -> Any:
    return as_set([item for values in sets for item in as_list(values)])


@function("setintersection")
def _setintersection(ev: Any, first: Any, *others: Any) -> Any:
    return as_set(
        [
            item
            for item in as_list(first)
            if all(any(same_value(item, o) for o in as_list(other)) for other in others)
        ]
    )


@function("setsubtract")
def _setsubtract(ev: Any, first: Any, second: Any) -> Any:
    return as_set(
        [item for item in as_list(first) if not any(same_value(item, o) for o in as_list(second))]
    )


@function("reverse", partial=True)
def _reverse(ev: Any, values: Any) -> Any:
    return list(reversed(as_list(values)))


@function("sort")
def _sort(ev: Any, values: Any) -> Any:
    return sorted(as_text(v) for v in as_list(values))


@function("max")
def _max(ev: Any, *numbers: Any) -> Any:
    return max(as_number(n) for n in numbers)


@function("min")
def _min(ev: Any, *numbers: Any) -> Any:
    return min(as_number(n) for n in numbers)
