"""Terraform's operators and number formatting, on known values."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from anyscale_lint.sources.terraform.evaluation import EvalError
from anyscale_lint.sources.terraform.numeric import arithmetic, parse_number


def number_text(value: int | float) -> str:
    """A number as Terraform writes it in strings: plain decimal digits, never an exponent."""
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        value = int(value)
    if isinstance(value, int) or not math.isfinite(value):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("a bool is not a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return parse_number(value)
    raise EvalError("not a number")


def binary(operator: str, left: Any, right: Any) -> Any:
    if operator == "==":
        return _equal(left, right)
    if operator == "!=":
        return not _equal(left, right)
    if operator in ("&&", "||"):
        if not isinstance(left, bool) or not isinstance(right, bool):
            raise EvalError(f"{operator} needs bools")
        return left and right if operator == "&&" else left or right
    a, b = to_number(left), to_number(right)
    if operator in ("+", "-", "*", "/", "%"):
        return arithmetic(operator, a, b)
    comparisons = {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}
    if operator in comparisons:
        return comparisons[operator]
    raise EvalError(f"unknown operator {operator}")


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        # Python compares int and float exactly, without converting a huge int to a float.
        return bool(left == right)
    return bool(left == right)


def primitive_text(value: Any) -> str | None:
    """A bool, number or string as Terraform writes it in a string; None for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, str):
        return value
    return None
