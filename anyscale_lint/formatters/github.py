"""GitHub Actions workflow commands: one annotation per active finding, then the input errors."""

from __future__ import annotations

from pathlib import Path

from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.report import Report
from anyscale_lint.formatters.common import (
    active_findings,
    counts,
    error_id,
    error_source,
    finding_text,
    names_file,
)
from anyscale_lint.formatters.locations import display_path, scan_root
from anyscale_lint.model import ParseError, SourceSpan

LEVELS = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "notice",
    "info": "notice",
}


def escape_data(text: str) -> str:
    """A command's message, escaped as `escapeData` in @actions/core does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value, escaped as `escapeProperty` in @actions/core does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, properties: dict[str, str | int], message: str) -> str:
    listed = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{level} {listed}::{escape_data(message)}"


def _finding(result: Result, root: Path) -> str:
    properties: dict[str, str | int] = {}
    if isinstance(result.location, SourceSpan):
        properties["file"] = display_path(result.location.path, root)
        properties["line"] = result.location.start_line
        properties["endLine"] = result.location.end_line
    properties["title"] = result.rule_id
    level = "notice" if result.outcome == "unknown" else LEVELS[result.severity]
    return _command(level, properties, finding_text(result))


def _error(error: ParseError, root: Path) -> str:
    properties: dict[str, str | int] = {}
    if names_file(error):
        properties["file"] = error_source(error, root)
        if error.line:
            properties["line"] = error.line
    properties["title"] = error_id(error)
    return _command("error", properties, error.message)


def render(report: Report) -> str:
    """The report as workflow commands that GitHub turns into annotations."""
    root = scan_root(report.inputs)
    # GitHub shows only the first few annotations of each level per step: most severe first.
    lines = [_finding(result, root) for result in active_findings(report)]
    lines += [_error(error, root) for error in report.errors]
    lines.append(f"anyscale-lint: {', '.join(counts(report))}")
    return "\n".join(lines) + "\n"
