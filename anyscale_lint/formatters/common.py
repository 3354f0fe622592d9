"""What several formatters show alike: the order of findings, their text, input errors, counts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from anyscale_lint.engine.findings import SEVERITIES, Result, severity_rank
from anyscale_lint.engine.report import Report
from anyscale_lint.formatters.locations import display_path
from anyscale_lint.model import ParseError


def indented_json(document: Any, sort_keys: bool = False, flat_depth: int = 3) -> str:
    """`document` as JSON, indented by two spaces down to `flat_depth`, each value below on
    one line, and a newline.

    Python's JSON encoder has a fast C path only without indentation; with `indent` a report
    of 50,000 results took seconds and, through the buffer it was joined in, four times the
    memory of its text. Here the large lists (results, rules) are written one compact,
    C-encoded line per entry, which also keeps the output easy to grep and diff. A list may
    be an iterator, consumed as it is written, so its entries need not all exist at once.
    """
    encode = json.JSONEncoder(sort_keys=sort_keys, separators=(", ", ": ")).encode
    parts: list[str] = []
    _write_layered(document, 0, flat_depth, encode, sort_keys, parts)
    parts.append("\n")
    return "".join(parts)


def _write_layered(
    value: Any,
    depth: int,
    flat_depth: int,
    encode: Callable[[Any], str],
    sort_keys: bool,
    parts: list[str],
) -> None:
    if depth >= flat_depth or not isinstance(value, dict | list | Iterator):
        parts.append(encode(value))
        return
    inner = "\n" + "  " * (depth + 1)
    items: Iterable[tuple[Any, Any]]
    if isinstance(value, dict):
        items = sorted(value.items()) if sort_keys else value.items()
        opened, closed = "{", "}"
    else:
        items = ((None, entry) for entry in value)
        opened, closed = "[", "]"
    parts.append(opened)
    empty = True
    for key, entry in items:
        parts.append(inner if empty else "," + inner)
        empty = False
        if key is not None:
            parts.append(encode(key) + ": ")
        _write_layered(entry, depth + 1, flat_depth, encode, sort_keys, parts)
    parts.append(closed if empty else "\n" + "  " * depth + closed)


def _severity_key(result: Result) -> tuple[bool, int, bool, str, str, str, str]:
    return (
        not result.active,
        -severity_rank(result.severity),
        result.outcome != "fail",
        result.deployment,
        result.rule_id,
        result.resource,
        result.message,
    )


def most_severe_first(results: Iterable[Result]) -> list[Result]:
    """Active before waived, then most severe first, failures before unknowns of a severity."""
    return sorted(results, key=_severity_key)


def finding_text(result: Result) -> str:
    """One finding as a sentence: `Unknown: ...` for unknowns, else the message and its fix."""
    if result.outcome == "unknown":
        return f"Unknown: {result.message}"
    if result.remediation:
        return f"{result.message} Fix: {result.remediation}"
    return result.message


def error_id(error: ParseError) -> str:
    """The rule that reports an input error (`internal` for a bug not located in a file)."""
    if error.kind == "internal" and error.line is None:
        return "internal"
    return "CORE-003" if error.kind == "collection" else "CORE-001"


def names_file(error: ParseError) -> bool:
    """Read, parse and evaluation errors name a file; collection and other internal errors a
    source."""
    return error.kind in ("read", "parse", "invalid") or (
        error.kind == "internal" and error.line is not None
    )


def error_source(error: ParseError, root: Path) -> str:
    """The file of a read or parse error relative to `root`, else the source it names."""
    return display_path(error.path, root) if names_file(error) else error.path


def echoes_error(result: Result, errors: Sequence[ParseError]) -> bool:
    """True for a result that restates an input error, which formatters show once, as the error."""
    return any(
        result.rule_id == error_id(error)
        and result.resource == error.path
        and result.value == error.message
        for error in errors
    )


def active_findings(report: Report) -> list[Result]:
    """Findings neither waived, baselined nor restating an input error, most severe first."""
    return most_severe_first(
        r for r in report.results if r.active and not echoes_error(r, report.errors)
    )


def counts(report: Report) -> list[str]:
    """`1 critical`, `2 high`, ... `3 unknown`, `1 suppressed`, `0 input errors`."""
    summary = report.summary()
    return [
        *(f"{summary[severity]} {severity}" for severity in SEVERITIES),
        f"{summary['unknown']} unknown",
        f"{summary['suppressed']} suppressed",
        *([f"{summary['baselined']} baselined"] if summary["baselined"] else []),
        f"{summary['errors']} input errors",
    ]
