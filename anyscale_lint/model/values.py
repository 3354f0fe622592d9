"""Values that cannot be resolved statically, and strings that are only partly known.

A whole value that cannot be resolved is an `Unknown`. A string with unresolved parts keeps
its known text and writes each unresolved part as a Terraform interpolation marker
(`arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/x`), so it still names
what it can; `unknown_parts` lists the markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# IAM policy variables (`${aws:username}`) contain a colon; Terraform references never do.
MARKER = re.compile(r"\$\{([^}:]+)\}")


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be resolved statically; `reason` says why."""

    expression: str
    reason: str

    def __str__(self) -> str:
        return f"${{{self.expression}}}"

    def because(self) -> str:
        """The reason in a form that reads after 'unknown, because'."""
        return f"{self.expression} is not known ({self.reason})"


def unknown_parts(value: object) -> list[str]:
    """The unresolved references inside a value (an Unknown or a partly known string)."""
    if isinstance(value, Unknown):
        return [value.expression]
    if isinstance(value, str):
        return MARKER.findall(value)
    if isinstance(value, (list, tuple)):
        return [part for item in value for part in unknown_parts(item)]
    return []


# The reason given to references to attributes that the provider computes (an ARN, an ID):
# their value is not known, but the resource they identify is.
COMPUTED = "computed by the provider at apply time"


def unresolved_parts(value: Any, reasons: dict[str, str]) -> list[str]:
    """Unresolved parts of a value (recursively), other than references to computed attributes."""
    if isinstance(value, Unknown):
        return [value.expression]
    if isinstance(value, str):
        return [p for p in unknown_parts(value) if not reasons.get(p, "").startswith(COMPUTED)]
    if isinstance(value, (list, tuple)):
        return [part for item in value for part in unresolved_parts(item, reasons)]
    if isinstance(value, dict):
        return [part for item in value.values() for part in unresolved_parts(item, reasons)]
    if hasattr(value, "__dataclass_fields__"):
        return [
            part
            for name in value.__dataclass_fields__
            for part in unresolved_parts(getattr(value, name), reasons)
        ]
    return []


def is_known(value: Any) -> bool:
    """True when a value (recursively) holds no Unknown and no unresolved marker."""
    if isinstance(value, Unknown):
        return False
    if isinstance(value, str):
        return MARKER.search(value) is None
    if isinstance(value, (list, tuple)):
        return all(is_known(item) for item in value)
    if isinstance(value, dict):
        return all(is_known(item) for item in value.values())
    return True
