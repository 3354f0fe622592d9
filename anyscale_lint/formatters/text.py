"""Terminal output: findings grouped by deployment and resource, with the fix and a summary."""

from __future__ import annotations

import os
import sys
from collections import defaultdict

from anyscale_lint.engine.findings import Result, severity_rank
from anyscale_lint.engine.report import Report

_COLOURS = {
    "critical": "magenta",
    "high": "red",
    "medium": "yellow",
    "low": "cyan",
    "info": "blue",
    "unknown": "bright_black",
}
_CODES = {
    "magenta": 35,
    "red": 31,
    "yellow": 33,
    "cyan": 36,
    "blue": 34,
    "bright_black": 90,
    "green": 32,
}


def use_colour(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    target = stream or sys.stdout
    return "NO_COLOR" not in os.environ and bool(getattr(target, "isatty", lambda: False)())


def paint(text: str, colour: str, enabled: bool, bold: bool = False) -> str:
    """Text in an ANSI colour when enabled."""
    if not enabled:
        return text
    return f"\033[{'1;' if bold else ''}{_CODES[colour]}m{text}\033[0m"


def _label(result: Result) -> str:
    return "UNKNOWN" if result.outcome == "unknown" else result.severity.upper()


def render(report: Report, colour: bool | None = None) -> str:
    """The report as text for a terminal or a CI log."""
    enabled = use_colour() if colour is None else colour
    lines: list[str] = []
    findings = report.findings()
    by_deployment: dict[str, dict[str, list[Result]]] = defaultdict(lambda: defaultdict(list))
    for result in findings:
        by_deployment[result.deployment][result.resource].append(result)
    modes = {d.key: d for d in report.deployments}
    for deployment_key in sorted(by_deployment):
        deployment = modes.get(deployment_key)
        header = f"Deployment {deployment_key}"
        if deployment is not None:
            header += (
                f"  (network mode {deployment.network_mode}: {deployment.network_mode_source})"
            )
        lines.append(paint(header, "blue", enabled, bold=True))
        resources = by_deployment[deployment_key]
        for resource in sorted(
            resources, key=lambda r: (-max(severity_rank(x.severity) for x in resources[r]), r)
        ):
            lines.append(f"  {paint(resource, 'blue', enabled)}")
            for result in sorted(
                resources[resource], key=lambda r: (-severity_rank(r.severity), r.rule_id)
            ):
                lines.extend(_result_lines(report, result, enabled))
        lines.append("")
    if report.errors:
        lines.append(
            paint("Inputs that could not be read or evaluated:", "red", enabled, bold=True)
        )
        lines.extend(f"  {e.location()}: {e.message}" for e in report.errors)
        lines.append("")
    if report.notices:
        lines.extend(f"note: {notice}" for notice in report.notices)
        lines.append("")
    lines.append(_summary(report, enabled))
    return "\n".join(lines) + "\n"


def _result_lines(report: Report, result: Result, enabled: bool) -> list[str]:
    colour = _COLOURS["unknown" if result.outcome == "unknown" else result.severity]
    meta = report.rule(result.rule_id)
    name = meta.name if meta else ""
    where = str(result.location) if result.location is not None else ""
    label = paint(f"{_label(result):<8}", colour, enabled, bold=True)
    head = f"    {label} {result.rule_id} {name}  {where}"
    if result.suppression is not None:
        head += paint(f"  [suppressed: {result.suppression.reason}]", "bright_black", enabled)
    elif result.baselined:
        head += paint("  [baselined]", "bright_black", enabled)
    lines = [head, f"             {result.message}"]
    if result.outcome == "fail" and result.remediation:
        lines.append(f"             fix: {result.remediation}")
    return lines


def _summary(report: Report, enabled: bool) -> str:
    summary = report.summary()
    counts = ", ".join(f"{summary[s]} {s}" for s in ("critical", "high", "medium", "low", "info"))
    tail = (
        f" | {summary['unknown']} unknown | {summary['suppressed']} suppressed"
        + (f" | {summary['baselined']} baselined" if summary["baselined"] else "")
        + f" | {summary['errors']} input errors"
    )
    evaluated = sum(1 for r in report.results if r.outcome != "not-evaluated")
    passed = sum(1 for r in report.results if r.outcome == "pass")
    gate = report.gating()
    # An input that failed makes the run incomplete: never OK, whatever the findings.
    verdict = (
        paint("FAIL", "red", enabled, bold=True)
        if gate
        else paint("INCOMPLETE", "red", enabled, bold=True)
        if report.incomplete()
        else paint("OK", "green", enabled, bold=True)
    )
    checks = f"{passed} of {evaluated} checks passed; failing at {report.fail_on} and above"
    return f"{verdict}: {counts}{tail} ({checks})"
