"""The readiness report for a terminal: verdict, checklist table, register command."""

from __future__ import annotations

from anyscale_lint.formatters.text import paint, use_colour
from anyscale_lint.readiness.model import DeploymentReadiness, ReadinessReport

_STATUS_COLOURS = {
    "pass": "green",
    "fail": "red",
    "warn": "yellow",
    "unknown": "bright_black",
    "not found": "red",
    "not used": "bright_black",
}
_VERDICT_COLOURS = {"READY": "green", "READY WITH WARNINGS": "yellow", "NOT READY": "red"}
MAX_REASONS = 10


def _table(item: DeploymentReadiness, colour: bool) -> list[str]:
    rows = [(entry.name, "--" + entry.flag, entry.status, entry) for entry in item.checklist]
    width = max((len(name) for name, *_ in rows), default=10)
    flag_width = max((len(flag) for _, flag, *_ in rows), default=10)
    lines = []
    for name, flag, status, entry in rows:
        found = ", ".join(entry.resources) or entry.detail
        shown = paint(f"{status:<9}", _STATUS_COLOURS[status], colour)
        lines.append(f"  {name:<{width}}  {flag:<{flag_width}}  {shown}  {found}")
        if entry.location:
            lines.append(f"  {'':<{width}}  {'':<{flag_width}}  {'':<9}  at {entry.location}")
        for line in entry.rules:
            lines.append(
                f"  {'':<{width}}  {'':<{flag_width}}  {'':<9}  {line.rule_id}: {line.message}"
            )
    return lines


def _deployment(item: DeploymentReadiness, colour: bool) -> list[str]:
    verdict = paint(item.verdict, _VERDICT_COLOURS[item.verdict], colour, bold=True)
    lines = [f"Deployment {item.key}: {verdict}"]
    if not item.identified:
        return [*lines, "  no Anyscale deployment was identified in this root", ""]
    lines += [
        f"  Anyscale's own checks: {item.anyscale_verdict}",
        f"  networking: {item.network_mode} ({item.network_mode_source}); region: "
        f"{item.region or 'not known'}",
        "",
    ]
    if item.reasons:
        lines.append("  Why:")
        lines += [f"    - {reason}" for reason in item.reasons[:MAX_REASONS]]
        if len(item.reasons) > MAX_REASONS:
            lines.append(f"    ... and {len(item.reasons) - MAX_REASONS} more (-f json for all)")
        lines.append("")
    lines += ["  Register inputs:", *_table(item, colour), ""]
    lines.append("  Requirements (Anyscale's verifier order):")
    width = max([16, *(len(section.name) for section in item.sections)])
    for section in item.sections:
        counts = {"passed": 0, "failed": 0, "unknown": 0, "not checked": 0}
        for rule in section.rules:
            counts[rule.status] += 1
        summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        lines.append(f"    {section.name:<{width}} {section.status:<12} rules: {summary}")
    lines.append("")
    if item.plan is not None:
        lines += [
            "  Register command:",
            *("    " + line for line in item.plan.command.splitlines()),
        ]
        for value in item.plan.placeholders:
            lines.append(f"    placeholder --{value.flag}: {value.note}")
        if item.plan.outputs_to_add:
            lines += ["  Outputs to add:", *("    " + o for o in item.plan.outputs_to_add)]
        lines.append("")
    return lines


def render(report: ReadinessReport, colour: bool | None = None) -> str:
    """The report as text, coloured only on a terminal."""
    enabled = use_colour() if colour is None else colour
    lines: list[str] = []
    for item in report.deployments:
        lines += _deployment(item, enabled)
    if not report.deployments:
        lines.append("No Anyscale deployment was found in the inputs.")
    lines += [f"input error: {error}" for error in report.errors]
    lines += [f"note: {notice}" for notice in report.notices]
    verdict = paint(report.verdict, _VERDICT_COLOURS[report.verdict], enabled, bold=True)
    strict = " (--strict: warnings fail)" if report.strict else ""
    lines.append(f"Readiness: {verdict}{strict}")
    return "\n".join(lines) + "\n"
