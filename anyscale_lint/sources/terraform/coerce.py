"""Coercions of evaluated attribute values into the model's value types."""

from __future__ import annotations

import re
from typing import Any

from anyscale_lint.model import Unknown
from anyscale_lint.sources.terraform.markers import is_known, unknown

# A reference to one attribute of a declared resource: `${aws_vpc.main.id}`.
MARKER = re.compile(r"^\$\{(?P<address>.+)\.(?P<attribute>[A-Za-z_][\w-]*)\}$")


def text(value: Any) -> str | Unknown:
    """A string (or Unknown); null becomes an Unknown saying it is not set."""
    if isinstance(value, (Unknown, str)):
        return value
    if value is None:
        return unknown("null", "not set")
    return str(value)


def texts(value: Any) -> tuple[str, ...] | Unknown:
    """A list of strings (a single value becomes a one-element tuple), or an Unknown."""
    if isinstance(value, Unknown):
        return value
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, Unknown):
            return item
    return tuple(str(item) for item in items)


def flag(value: Any, default: bool = False) -> bool | Unknown:
    """A bool (also from "true"/"false"), the default when not set."""
    if isinstance(value, (bool, Unknown)):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    return default


def port(value: Any) -> int | Unknown | None:
    """A port or count number, None when not set."""
    if value is None or isinstance(value, Unknown):
        return value
    try:
        number = int(value)
    except (TypeError, ValueError):
        return unknown(str(value), "not a port number")
    # Ports run to 65535 (-1 means all); a larger number is no port, not a huge range.
    if not -1 <= number <= 65535:
        return unknown(str(value)[:24], "not a port number (out of range)")
    return number


def optional_text(value: Any) -> str | Unknown | None:
    """A string attribute that may be unset (None)."""
    return None if value is None else text(value)


def literal(value: Any) -> str | None:
    """The value when it is a string known in full (no unresolved part), else None."""
    return value if isinstance(value, str) and is_known(value) else None


def text_map(value: Any) -> dict[str, str | Unknown] | Unknown:
    """A map of strings (`labels`, `attribute_mapping`): unset is empty, unknown stays so."""
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, dict):
        return {}
    return {str(key): text(entry) for key, entry in value.items()}
