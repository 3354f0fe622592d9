"""Sensitive values never reach an output: redaction of records and of rendered text.

Records (the report, the readiness report) are redacted field by field before a formatter
sees them, because a formatter may escape a value (JSON turns a key's newlines into `\\n`)
so that a search of the rendered text no longer finds it; the rendered text then gets a
final pass over the value's raw and escaped spellings as a second line of defence.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterable
from typing import Any, TypeVar

MARK = "(sensitive)"
# Values shorter than this are not searched for inside text: replacing "1", "us" or "yes"
# in every word and number would wreck the report and hide nothing worth hiding. A field
# whose whole value is such a short sensitive value is still hidden (`is_sensitive`).
MIN_LENGTH = 4

T = TypeVar("T")


def _spellings(value: str) -> set[str]:
    """The raw value and how the formatters escape it (JSON, XML, GitHub commands)."""
    json_text = json.dumps(value)[1:-1]
    github = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return {
        value,
        json_text,
        json.dumps(value, ensure_ascii=False)[1:-1],
        html.escape(value, quote=False),
        html.escape(value, quote=True),
        github,
        github.replace(":", "%3A").replace(",", "%2C"),
        # A Markdown table cell escapes pipes.
        value.replace("|", "\\|"),
    }


class Redactor:
    """Replaces sensitive values with `(sensitive)`, longest first."""

    def __init__(self, values: Iterable[str]) -> None:
        self.exact = frozenset(v for v in values if v)
        searched = sorted((v for v in self.exact if len(v) >= MIN_LENGTH), key=len, reverse=True)
        self._raw = _pattern(searched)
        spellings = {form for value in searched for form in _spellings(value)}
        self._rendered = _pattern(sorted(spellings, key=len, reverse=True))

    def __bool__(self) -> bool:
        return bool(self.exact)

    def is_sensitive(self, text: str) -> bool:
        """Whether a value is, or holds, a sensitive value."""
        return text in self.exact or bool(self._raw and self._raw.search(text))

    def text(self, text: str) -> str:
        """A string with every sensitive value inside it replaced."""
        return self._raw.sub(MARK, text) if self._raw else text

    def rendered(self, text: str) -> str:
        """Rendered output with every sensitive value replaced, also in escaped spellings."""
        return self._rendered.sub(MARK, text) if self._rendered else text

    def scrub(self, value: T) -> T:
        """A copy of a record with every string inside it redacted (dataclasses, collections)."""
        if not self:
            return value
        memo: dict[int, Any] = {}
        result: T = self._scrub(value, memo)
        return result

    def _scrub(self, value: Any, memo: dict[int, Any]) -> Any:
        if isinstance(value, str):
            return MARK if value in self.exact else self.text(value)
        if value is None or isinstance(value, (bool, int, float)):
            return value
        key = id(value)
        if key in memo:
            return memo[key]
        result: Any = value
        if isinstance(value, list):
            result = [self._scrub(item, memo) for item in value]
        elif isinstance(value, tuple) and not hasattr(value, "_fields"):
            result = tuple(self._scrub(item, memo) for item in value)
        elif isinstance(value, dict):
            result = {self._scrub(k, memo): self._scrub(v, memo) for k, v in value.items()}
        elif isinstance(value, (set, frozenset)):
            result = type(value)(self._scrub(item, memo) for item in value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for field in dataclasses.fields(value):
                if not field.init or field.metadata.get("redact") is False:
                    continue
                old = getattr(value, field.name)
                new = self._scrub(old, memo)
                if new is not old and new != old:
                    changes[field.name] = new
            result = dataclasses.replace(value, **changes) if changes else value
        memo[key] = result
        return result


def _pattern(values: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(re.escape(v) for v in values if v)) if values else None
