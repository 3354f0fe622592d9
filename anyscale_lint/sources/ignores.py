"""Inline ignore comments: `# anyscale-lint:ignore AWS-SG-004 reason="..." expires=2027-06-30`."""

from __future__ import annotations

import re
from collections.abc import Iterable

from anyscale_lint.model import InlineIgnore, SourceSpan

# Rule IDs separated by commas, spaces or both: `AWS-SG-005, AWS-SG-004` or `AWS-SG-005 AWS-SG-004`.
_IGNORE = re.compile(
    r"(?:#|//)\s*anyscale-lint:ignore\s+"
    r"(?P<rules>[A-Za-z]+-[A-Za-z0-9-]+(?:(?:\s*,\s*|\s+)[A-Za-z]+-[A-Za-z0-9-]+)*)"
    r"(?P<rest>.*)$"
)
_SEPARATOR = re.compile(r"\s*,\s*|\s+")
_REASON = re.compile(r"reason=(?:\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)')")
_EXPIRES = re.compile(r"expires=(?P<date>\S+)")


def find_ignores(
    text: str, path: str, blocks: Iterable[tuple[SourceSpan, str]]
) -> list[InlineIgnore]:
    """Ignore comments in a file, each tied to the block it is inside or directly above."""
    spans = list(blocks)
    found = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        match = _IGNORE.search(line)
        if not match:
            continue
        rules = tuple(rule for rule in _SEPARATOR.split(match.group("rules")) if rule)
        reason_match = _REASON.search(match.group("rest"))
        reason = (
            (reason_match.group("double") or reason_match.group("single") or "")
            if reason_match
            else ""
        )
        expires_match = _EXPIRES.search(match.group("rest"))
        owner = _owner(number, lines, spans)
        found.append(
            InlineIgnore(
                rules,
                reason.strip(),
                expires_match.group("date") if expires_match else None,
                path,
                number,
                owner,
            )
        )
    return found


def _owner(line: int, lines: list[str], spans: list[tuple[SourceSpan, str]]) -> str | None:
    inside = [(span, key) for span, key in spans if span.start_line <= line <= span.end_line]
    if inside:
        return min(inside, key=lambda pair: pair[0].end_line - pair[0].start_line)[1]
    following = line + 1
    while following <= len(lines) and lines[following - 1].lstrip().startswith(("#", "//")):
        following += 1
    for span, key in spans:
        if span.start_line == following:
            return key
    return None
