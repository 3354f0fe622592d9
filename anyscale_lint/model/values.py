"""Values that cannot be resolved statically, links between resources, partly known strings.

A whole value that cannot be resolved is an `Unknown`. An attribute that the cloud assigns
(an ID, an ARN) is a `Ref` to the resource it belongs to: not known before apply, but it
identifies that resource. A string with such parts is a `Partial`: a sequence of known text,
`Ref`s and `Unknown`s. A `Partial` is also a `str` holding the source's own spelling of the
value, so messages show what the user wrote; comparisons and matching use its parts. Sources
build these; nothing above the sources reads the spelling to find the parts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be resolved statically; `reason` says why."""

    expression: str
    reason: str
    # How the source spells the expression in messages (Terraform: an interpolation).
    spelled: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.spelled or self.expression

    def because(self) -> str:
        """The reason in a form that reads after 'unknown, because'."""
        return f"{self.expression} is not known ({self.reason})"


@dataclass(frozen=True)
class Ref:
    """One attribute of a resource of the model (`target` is its key), known after apply."""

    target: str
    attribute: str

    @property
    def expression(self) -> str:
        """The attribute's address, the key of `CloudModel.unknown_reasons`."""
        return f"{self.target}.{self.attribute}"


Part = str | Ref | Unknown


class Partial(str):
    """A string known only in parts: known text, `Ref`s and `Unknown`s, in order.

    The `str` value is the source's spelling (for messages and text search); equality and
    hashing use the parts, so a literal never equals a partly known value by its spelling.
    """

    parts: tuple[Part, ...]

    def __new__(cls, parts: Iterable[Part], spelled: str) -> Partial:
        value = super().__new__(cls, spelled)
        value.parts = _merged(parts)
        return value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Partial):
            return self.parts == other.parts
        return False

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.parts)

    def __reduce__(self) -> Any:
        return (Partial, (self.parts, str(self)))

    @property
    def ref(self) -> Ref | None:
        """The reference when the whole value is one."""
        only = self.parts[0] if len(self.parts) == 1 else None
        return only if isinstance(only, Ref) else None

    @property
    def unknown(self) -> Unknown | None:
        """The Unknown when the whole value is one unresolved expression."""
        only = self.parts[0] if len(self.parts) == 1 else None
        return only if isinstance(only, Unknown) else None

    def unresolved(self) -> Iterator[Ref | Unknown]:
        """The parts that are not known text."""
        return (part for part in self.parts if not isinstance(part, str))

    def known_text(self) -> str:
        """The known text only (what a wildcard search may look at)."""
        return "".join(part for part in self.parts if isinstance(part, str))

    def pattern(self) -> re.Pattern[str]:
        """A regular expression a literal matches when it could be this value."""
        return re.compile(
            "".join(re.escape(p) if isinstance(p, str) else ".+" for p in self.parts), re.DOTALL
        )


def _merged(parts: Iterable[Part]) -> tuple[Part, ...]:
    """Adjacent text joined, empty text dropped: one value has one sequence of parts."""
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] = merged[-1] + part
                continue
            merged.append(str(part))
        else:
            merged.append(part)
    return tuple(merged)


def refers_to(value: object, target: str, attributes: Iterable[str]) -> bool:
    """Whether a value is a reference to one of these attributes of the resource `target`."""
    ref = value.ref if isinstance(value, Partial) else value if isinstance(value, Ref) else None
    return ref is not None and ref.target == target and ref.attribute in attributes


def comma_items(value: object) -> list[str]:
    """A comma-separated string's items; a partly known one splits only at commas of its
    known text, and an unresolved part is never split."""
    if not isinstance(value, Partial):
        return [part.strip() for part in str(value).split(",") if part.strip()]
    items: list[list[Part]] = [[]]
    for part in value.parts:
        if not isinstance(part, str):
            items[-1].append(part)
            continue
        pieces = part.split(",")
        items[-1].append(pieces[0])
        items += [[piece] for piece in pieces[1:]]
    return [_item(parts) for parts in items if _item(parts).strip()]


def _item(parts: list[Part]) -> str:
    if all(isinstance(part, str) for part in parts):
        return "".join(str(part) for part in parts).strip()
    text = list(parts)
    if isinstance(text[0], str):
        text[0] = text[0].lstrip()
    if isinstance(text[-1], str):
        text[-1] = text[-1].rstrip()
    return Partial(text, "".join(str(part) for part in text))


def joined_text(value: str, suffix: str) -> str:
    """A string with known text appended, partly known when the string was."""
    if isinstance(value, Partial):
        return Partial([*value.parts, suffix], value + suffix)
    return value + suffix


def token(part: Ref | Unknown) -> str:
    """An unresolved part as text that stands only for itself when matching."""
    return f"\0{part.expression}\0"


def opaque(value: str) -> str:
    """The text with each unresolved part as its `token` (for matching)."""
    if not isinstance(value, Partial):
        return value
    return "".join(p if isinstance(p, str) else token(p) for p in value.parts)


def shape(value: str, placeholder: str = "\0") -> str:
    """The text with each unresolved part replaced by `placeholder` (for pattern tests)."""
    if not isinstance(value, Partial):
        return value
    return "".join(p if isinstance(p, str) else placeholder for p in value.parts)


def unknown_parts(value: object) -> list[str]:
    """The unresolved references inside a value (an Unknown or a partly known string)."""
    if isinstance(value, Unknown):
        return [value.expression]
    if isinstance(value, Partial):
        return [part.expression for part in value.unresolved()]
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
    """True when a value (recursively) holds no Unknown and no unresolved part."""
    if isinstance(value, (Unknown, Partial, Ref)):
        return False
    if isinstance(value, (list, tuple)):
        return all(is_known(item) for item in value)
    if isinstance(value, dict):
        return all(is_known(item) for item in value.values())
    return True
