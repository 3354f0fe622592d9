"""format(): Go's fmt verbs as Terraform documents them."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from anyscale_lint.sources.terraform.evaluation import EvalError
from anyscale_lint.sources.terraform.evaluator import MAX_COLLECTION
from anyscale_lint.sources.terraform.functions.base import (
    as_int,
    as_number,
    as_text,
    function,
    kind_of,
)
from anyscale_lint.sources.terraform.functions.encoding import encode_json, json_string
from anyscale_lint.sources.terraform.functions.graphemes import graphemes
from anyscale_lint.sources.terraform.operators import number_text

# A verb as Terraform's scanner reads it: % flags [argument] width .precision letter.
_VERB = re.compile(r"([-+ #0]*)(?:\[([1-9]\d*)\])?([1-9]\d*)?(?:\.(\d*))?([A-Za-z])")


class _Spec:
    """One parsed format verb."""

    def __init__(self, match: re.Match[str]) -> None:
        flags, _, width, precision, verb = match.groups()
        self.raw = "%" + match.group(0)
        self.flags = flags
        self.width = int(width) if width else None
        self.precision = None if precision is None else int(precision or "0")
        self.verb = verb
        if max(self.width or 0, self.precision or 0) > MAX_COLLECTION:
            raise EvalError(f"{self.raw}: width or precision above {MAX_COLLECTION}")

    def pad(self, text: str) -> str:
        # Widths count characters; "0" pads with zeros even before a sign, as Terraform does.
        missing = (self.width or 0) - len(graphemes(text))
        if missing <= 0:
            return text
        if "-" in self.flags:
            return text + " " * missing
        return ("0" if "0" in self.flags else " ") * missing + text


def _sign(negative: bool, flags: str) -> str:
    return "-" if negative else "+" if "+" in flags else " " if " " in flags else ""


def _format_integer(spec: _Spec, value: Any) -> str:
    number = as_int(value)
    digits = format(abs(number), spec.verb)
    prefix = (
        {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(spec.verb, "") if "#" in spec.flags else ""
    )
    sign = _sign(number < 0, spec.flags)
    zeros = 0
    if spec.precision is not None:
        if spec.precision == 0 and number == 0:
            digits = ""
        zeros = max(spec.precision - len(digits), 0)
    length = len(sign) + len(prefix) + zeros + len(digits)
    left = right = 0
    if spec.width and length < spec.width:
        if "-" in spec.flags:
            right = spec.width - length
        elif "0" in spec.flags and spec.precision is None:
            zeros += spec.width - length
        else:
            left = spec.width - length
    return " " * left + sign + prefix + "0" * zeros + digits + " " * right


def _shortest(number: int | float) -> str:
    """Go's %g with no precision: the shortest digits, exponent form below 1e-4 or from 1e6."""
    if isinstance(number, float) and not math.isfinite(number):
        raise EvalError("infinity cannot be formatted")
    if isinstance(number, int):
        negative, whole = number < 0, str(abs(number))
        mantissa, point = whole.rstrip("0") or "0", len(whole)
    else:
        sign, digits, exponent = Decimal(repr(number)).normalize().as_tuple()
        assert isinstance(exponent, int)
        negative, mantissa = bool(sign), "".join(map(str, digits))
        point = len(mantissa) + exponent  # the value is 0.<mantissa> x 10^point
    exponent10 = point - 1
    if mantissa != "0" and (exponent10 < -4 or exponent10 >= 6):
        fraction = mantissa[1:]
        body = mantissa[0] + ("." + fraction if fraction else "")
        body += f"e{'-' if exponent10 < 0 else '+'}{abs(exponent10):02d}"
    else:
        body = number_text(abs(number))
    return ("-" if negative else "") + body


def _format_float(spec: _Spec, value: Any) -> str:
    number = float(as_number(value))
    if spec.verb in "gG" and spec.precision is None:
        body = _shortest(abs(number)).upper() if spec.verb == "G" else _shortest(abs(number))
    else:
        precision = 6 if spec.precision is None else spec.precision
        body = f"{abs(number):.{precision}{spec.verb}}"
    sign = _sign(number < 0 or (number == 0 and math.copysign(1, number) < 0), spec.flags)
    padding = max((spec.width or 0) - len(sign) - len(body), 0)
    if "0" in spec.flags and math.isfinite(number):
        return sign + "0" * padding + body
    if "-" in spec.flags:
        return sign + body + " " * padding
    return " " * padding + sign + body


def _format_string(spec: _Spec, value: Any) -> str:
    text = as_text(value)
    if spec.precision:
        text = "".join(graphemes(text)[: spec.precision])
    return spec.pad(json_string(text) if spec.verb == "q" else text)


def _format_value(spec: _Spec, value: Any) -> str:
    if spec.verb == "v":
        if "#" not in spec.flags and isinstance(value, str):
            return spec.pad(value)
        if "#" not in spec.flags and kind_of(value) == "number":
            return spec.pad(_shortest(value))
        return spec.pad(encode_json(value))
    if value is None:
        raise EvalError(f"null cannot be formatted with {spec.raw}")
    if spec.verb == "t":
        if value in ("true", "false") or isinstance(value, bool):
            return "true" if value in ("true", True) else "false"
        raise EvalError(f"{spec.raw} needs a bool")
    if spec.verb in "bdoxX":
        return _format_integer(spec, value)
    if spec.verb in "eEfgG":
        return _format_float(spec, value)
    if spec.verb in "sq":
        return _format_string(spec, value)
    raise EvalError(f"unsupported format verb {spec.raw}")


@function("format", partial=True)
def _format(ev: Any, template: Any, *arguments: Any) -> Any:
    text = as_text(template)
    output: list[str] = []
    position, next_argument, highest = 0, 1, 0
    while position < len(text):
        percent = text.find("%", position)
        if percent < 0:
            output.append(text[position:])
            break
        output.append(text[position:percent])
        if text.startswith("%%", percent):
            output.append("%")
            position = percent + 2
            continue
        match = _VERB.match(text, percent + 1)
        if match is None:
            raise EvalError(f"invalid format verb at offset {percent}")
        spec = _Spec(match)
        argument = int(match.group(2)) if match.group(2) else next_argument
        if argument > len(arguments):
            raise EvalError(f"not enough arguments for {spec.raw}")
        output.append(_format_value(spec, arguments[argument - 1]))
        next_argument, highest = argument + 1, max(highest, argument)
        position = match.end()
    if highest < len(arguments):
        raise EvalError(f"too many arguments; only {highest} used by the format string")
    return "".join(output)
