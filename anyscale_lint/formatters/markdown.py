"""GitHub-flavoured Markdown for pull request comments: the verdict and a findings table."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.report import Report
from anyscale_lint.formatters.common import (
    active_findings,
    counts,
    echoes_error,
    error_source,
    finding_text,
    most_severe_first,
)
from anyscale_lint.formatters.locations import display_location, scan_root
from anyscale_lint.model import ParseError

FINDING_COLUMNS = ("Severity", "Rule", "Resource", "Location", "Finding")
WAIVED_COLUMNS = ("Rule", "Resource", "Location", "Why")
# Messages quote values in `code spans`, which are kept; markup outside them is escaped.
_CODE_SPAN = re.compile(r"(`[^`\n]*`)")
_INLINE_MARKUP = re.compile(r"([\\*_\[\]<>~&])")


def _cell(text: str) -> str:
    """Markdown text for a table cell: markup and HTML escaped, code spans kept."""
    parts = _CODE_SPAN.split(text)
    escaped = "".join(
        part if index % 2 else _INLINE_MARKUP.sub(r"\\\1", part) for index, part in enumerate(parts)
    )
    # A row is one line, and GFM splits cells on `|` even inside code spans.
    return "<br>".join(escaped.replace("|", "\\|").splitlines())


def _code(text: str) -> str:
    """`text` as a code span that fits in a table cell."""
    if not text:
        return ""
    flat = " ".join(text.splitlines()).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    padding = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{padding}{flat}{padding}{fence}"


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    return [
        "| " + " | ".join(cells) + " |" for cells in (columns, tuple("---" for _ in columns), *rows)
    ]


def _finding_row(result: Result, root: Path) -> tuple[str, ...]:
    return (
        result.severity,
        result.rule_id,
        _code(result.resource),
        _code(display_location(result.location, root)),
        _cell(finding_text(result)),
    )


def _waived_row(result: Result, root: Path) -> tuple[str, ...]:
    if result.suppression is not None:
        why = f"suppressed ({result.suppression.kind}): {result.suppression.reason}"
    else:
        why = "baselined"
    return (
        result.rule_id,
        _code(result.resource),
        _code(display_location(result.location, root)),
        _cell(why),
    )


def _details(summary: str, table: list[str]) -> list[str]:
    return ["<details>", f"<summary>{summary}</summary>", "", *table, "", "</details>", ""]


def _deployment(
    report: Report, key: str, active: list[Result], waived: list[Result], root: Path
) -> list[str]:
    deployment = next((d for d in report.deployments if d.key == key), None)
    heading = f"### Deployment {_code(key)}"
    if deployment is not None:
        heading += f" (network mode {deployment.network_mode})"
    lines = [heading, ""]
    failures = [_finding_row(r, root) for r in active if r.outcome == "fail"]
    if failures:
        lines += [*_table(FINDING_COLUMNS, failures), ""]
    unknowns = [_finding_row(r, root) for r in active if r.outcome == "unknown"]
    if unknowns:
        lines += _details(f"{len(unknowns)} unknown", _table(FINDING_COLUMNS, unknowns))
    if waived:
        rows = [_waived_row(r, root) for r in waived]
        lines += _details(f"{len(rows)} suppressed or baselined", _table(WAIVED_COLUMNS, rows))
    return lines


def _error_line(error: ParseError, root: Path) -> str:
    line = f" line {error.line}" if error.line else ""
    return f"- {_code(error_source(error, root))}{line}: {_cell(error.message)}"


def render(report: Report) -> str:
    """The report as a Markdown findings table per deployment."""
    root = scan_root(report.inputs)
    # An input that failed makes the run incomplete: never OK, whatever the findings.
    verdict = "FAIL" if report.gating() else "INCOMPLETE" if report.incomplete() else "OK"
    if report.incomplete():
        verdict += (
            " (see the input errors)"
            if verdict == "INCOMPLETE"
            else " (incomplete: see the input errors)"
        )
    lines = [f"## anyscale-lint: {verdict}", "", " · ".join(counts(report)), ""]
    if not report.gating():
        lines += [f"No findings at or above **{report.fail_on}**.", ""]
    active: dict[str, list[Result]] = defaultdict(list)
    for result in active_findings(report):
        active[result.deployment].append(result)
    waived: dict[str, list[Result]] = defaultdict(list)
    for result in most_severe_first(report.results):
        if result.is_finding and not result.active and not echoes_error(result, report.errors):
            waived[result.deployment].append(result)
    for key in sorted(set(active) | set(waived)):
        lines += _deployment(report, key, active[key], waived[key], root)
    if report.errors:
        lines += ["### Input errors", "", *(_error_line(e, root) for e in report.errors), ""]
    if report.notices:
        lines += ["### Notices", "", *(f"- {_cell(notice)}" for notice in report.notices), ""]
    rule_ids = sorted(meta.id for meta in report.rules)
    lines.append(f"Rules checked ({len(rule_ids)}): {', '.join(rule_ids)}")
    return "\n".join(lines) + "\n"
