"""Sensitive values never reach an output: redaction of records and of rendered text.

Records (the report, the readiness report) are redacted field by field before a formatter
sees them, because a formatter may escape a value (JSON turns a key's newlines into `\\n`)
so that a search of the rendered text no longer finds it; the rendered text then gets a
final pass over the value's raw and escaped spellings as a second line of defence.

Every value computed from a secret is registered (Terraform hides it whole), so a large
configuration may register thousands of strings: the search finds candidate positions by
the values' first characters in one pass of the regular-expression engine, then compares
only the values that start there, so it stays linear in the text whatever the number of values.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterable, Iterator
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


class _Matcher:
    """Leftmost-longest search for many literal values at once."""

    def __init__(self, values: Iterable[str]) -> None:
        self._buckets: dict[str, list[str]] = {}
        for value in sorted(set(values), key=len, reverse=True):
            self._buckets.setdefault(value[:MIN_LENGTH], []).append(value)
        self._anchor = re.compile(_trie(self._buckets)) if self._buckets else None

    def __bool__(self) -> bool:
        return self._anchor is not None

    def _matches(self, text: str) -> Iterator[tuple[int, int]]:
        if self._anchor is None:
            return
        position = 0
        while (found := self._anchor.search(text, position)) is not None:
            start = found.start()
            value = next(
                (v for v in self._buckets[found.group()] if text.startswith(v, start)), None
            )
            if value is None:
                position = start + 1
                continue
            yield start, start + len(value)
            position = start + len(value)

    def search(self, text: str) -> bool:
        """Whether a value occurs in the text."""
        return next(self._matches(text), None) is not None

    def sub(self, text: str, mark: str) -> str:
        """The text with every occurrence replaced by `mark`."""
        parts: list[str] = []
        end = 0
        for start, stop in self._matches(text):
            parts += [text[end:start], mark]
            end = stop
        return "".join(parts) + text[end:] if parts else text


def _trie(anchors: Iterable[str]) -> str:
    """A pattern matching any of the anchors, as a trie so each position costs little."""
    root: dict[str, Any] = {}
    for anchor in anchors:
        node = root
        for char in anchor:
            node = node.setdefault(char, {})

    def render(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items())]
        if len(branches) <= 1:
            return "".join(branches)
        return "(?:" + "|".join(branches) + ")"

    return render(root)


class Redactor:
    """Replaces sensitive values with `(sensitive)`, longest first."""

    def __init__(self, values: Iterable[str]) -> None:
        self.exact = frozenset(v for v in values if v)
        searched = [v for v in self.exact if len(v) >= MIN_LENGTH]
        self._raw = _Matcher(searched)
        self._rendered = _Matcher(form for value in searched for form in _spellings(value))

    def __bool__(self) -> bool:
        return bool(self.exact)

    def is_sensitive(self, text: str) -> bool:
        """Whether a value is, or holds, a sensitive value."""
        return text in self.exact or self._raw.search(text)

    def text(self, text: str) -> str:
        """A string with every sensitive value inside it replaced."""
        return self._raw.sub(text, MARK)

    def rendered(self, text: str) -> str:
        """Rendered output with every sensitive value replaced, also in escaped spellings."""
        return self._rendered.sub(text, MARK)

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
