"""Terraform numbers: exact arithmetic, whole numbers as int, others as finite floats.

Terraform's numbers are arbitrary-precision (big.Float), so `1e400 - 1e400` is 0 and
`1e400` is a whole number, not infinity. Values are computed exactly (int, Fraction) and
stored as int when whole, else as float (exactness does not matter past a float's precision).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

from anyscale_lint.jsontext import MAX_DIGITS
from anyscale_lint.sources.terraform.evaluation import EvalError

# Python refuses to print ints of more than 4300 digits, and every number may end up in a
# message: larger magnitudes are refused with a reason instead of failing in a formatter.
_MAX = 10**MAX_DIGITS

# Terraform's number syntax (cty.ParseNumberVal): no hex, no underscores, no inf or nan.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(text: str) -> int | float:
    """A number written as text (HCL, JSON, a variable value); EvalError when it is not one."""
    if not _NUMBER.fullmatch(text):
        raise EvalError(f"{_shorten(text)!r} is not a number")
    decimal = Decimal(text)
    if decimal.adjusted() >= MAX_DIGITS:
        raise EvalError(f"the number {_shorten(text)} has more than {MAX_DIGITS} digits")
    if decimal == decimal.to_integral_value():
        return int(decimal)
    nearest = float(decimal)
    if math.isinf(nearest):
        # Beyond a float's range only the whole part is significant (big.Float keeps 512 bits).
        return int(decimal.to_integral_value())
    return nearest


def _shorten(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:12]}...{text[-6:]} ({len(text)} characters)"


def from_fraction(value: Fraction) -> int | float:
    """An exact result as a Terraform number: int when whole, else the nearest float."""
    if value.denominator == 1:
        return checked(value.numerator)
    if abs(value) >= _MAX:
        raise EvalError(f"a result has more than {MAX_DIGITS} digits")
    try:
        return float(value)
    except OverflowError:
        # Beyond a float's range only the whole part is significant (big.Float keeps 512 bits).
        return round(value)


def checked(value: int) -> int:
    """A whole number within the range anyscale-lint evaluates."""
    if abs(value) >= _MAX:
        raise EvalError(f"a result has more than {MAX_DIGITS} digits")
    return value


def arithmetic(operator: str, a: int | float, b: int | float) -> int | float:
    """`a OP b` for + - * / %, computed exactly as Terraform's arbitrary precision does."""
    if isinstance(a, int) and isinstance(b, int) and operator in ("+", "-", "*"):
        if operator == "*" and a.bit_length() + b.bit_length() > 4 * MAX_DIGITS:
            raise EvalError(f"a result has more than {MAX_DIGITS} digits")
        return checked(a + b if operator == "+" else a - b if operator == "-" else a * b)
    x, y = Fraction(a), Fraction(b)
    if operator == "+":
        return from_fraction(x + y)
    if operator == "-":
        return from_fraction(x - y)
    if operator == "*":
        return from_fraction(x * y)
    if y == 0:
        raise EvalError("division by zero" if operator == "/" else "modulo by zero")
    return from_fraction(x / y if operator == "/" else x % y)


_NOT_AN_INT = "value must be a whole number, between -9223372036854775808 and 9223372036854775807"


def whole_count(value: int | float) -> int:
    """A `count` value: a whole number from 0 up, as Terraform requires (EvalError otherwise)."""
    # Terraform converts count to a Go int and reports gocty's message for anything else.
    if isinstance(value, float) and not value.is_integer():
        raise EvalError(_NOT_AN_INT)
    number = int(value)
    if not -(2**63) <= number < 2**63:
        raise EvalError(_NOT_AN_INT)
    if number < 0:
        raise EvalError("must be greater than or equal to zero")
    return number
