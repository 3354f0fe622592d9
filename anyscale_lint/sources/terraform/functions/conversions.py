"""Type conversion functions: tostring, tonumber, tobool, toset, tolist, tomap."""

from __future__ import annotations

from typing import Any

from anyscale_lint.sources.terraform.evaluation import EvalError
from anyscale_lint.sources.terraform.functions.base import (
    as_list,
    as_map,
    as_number,
    as_set,
    as_text,
    function,
    shown,
    unify,
)


@function("tostring", partial=True)
def _tostring(ev: Any, value: Any) -> Any:
    return None if value is None else as_text(value)


@function("tonumber")
def _tonumber(ev: Any, value: Any) -> Any:
    return None if value is None else as_number(value)


@function("tobool")
def _tobool(ev: Any, value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f'cannot convert {shown(value)} to a bool: only "true" or "false"')


@function("toset", partial=True)
def _toset(ev: Any, values: Any) -> Any:
    return as_set(as_list(values))


@function("tolist", partial=True)
def _tolist(ev: Any, values: Any) -> Any:
    return unify(list(as_list(values)))


@function("tomap", partial=True)
def _tomap(ev: Any, values: Any) -> Any:
    mapping = as_map(values)
    return dict(zip(mapping, unify(list(mapping.values())), strict=True))
