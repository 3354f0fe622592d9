"""What several formatters show alike: the order of findings, their text, input errors, counts."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from anyscale_lint.engine.findings import SEVERITIES, Result, severity_rank
from anyscale_lint.engine.report import Report
from anyscale_lint.formatters.locations import display_path
from anyscale_lint.model import ParseError


def indented_json(document: Any, sort_keys: bool = False) -> str:
    """`json.dumps(document, indent=2)` and a newline, without holding all its pieces at once."""
    # json.dumps joins a list of millions of small strings for a large report: several
    # times the memory of the text itself.
    buffer = io.StringIO()
    for chunk in json.JSONEncoder(indent=2, sort_keys=sort_keys).iterencode(document):
        buffer.write(chunk)
    buffer.write("\n")
    return buffer.getvalue()


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
