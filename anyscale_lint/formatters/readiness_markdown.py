"""The readiness report as GitHub-flavoured Markdown (a PR comment or `$GITHUB_STEP_SUMMARY`)."""

from __future__ import annotations

from anyscale_lint.formatters.mermaid import diagram
from anyscale_lint.providers.aws import ANYSCALE_ACCOUNT_ID
from anyscale_lint.readiness.model import ChecklistItem, DeploymentReadiness, ReadinessReport

ICONS = {
    "pass": "✅ pass",
    "fail": "❌ fail",
    "warn": "⚠️ warn",
    "unknown": "❔ unknown",
    "not found": "⛔ not found",
    "not used": "➖ not used",
    "passed": "✅ passed",
    "failed": "❌ failed",
    "not checked": "➖ not checked",
}
VERDICT_ICONS = {"READY": "✅", "READY WITH WARNINGS": "⚠️", "NOT READY": "❌"}
MAX_REASONS = 12


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _checklist_row(item: ChecklistItem) -> str:
    found = "<br>".join(f"`{cell(r)}`" for r in item.resources) or "—"
    rules = "<br>".join(
        f"{'❌' if line.blocking else '⚠️' if line.outcome == 'fail' else '❔'} "
        f"{line.rule_id}: {cell(line.message)}"
        for line in item.rules
    )
    detail = cell(item.detail)
    flag = f"`--{item.flag}`" + ("" if item.required else " (optional)")
    return (
        f"| {cell(item.name)} | {flag} | {ICONS[item.status]} | {found} | "
        f"{cell(item.location or '')} | {'<br>'.join(x for x in (detail, rules) if x)} |"
    )


def _deployment(item: DeploymentReadiness, account: str) -> list[str]:
    lines = [f"## `{item.key}`: {VERDICT_ICONS[item.verdict]} {item.verdict}", ""]
    if not item.identified:
        lines += ["No Anyscale deployment was identified in this root: nothing to register.", ""]
        return lines
    lines += [
        f"- **Anyscale's own checks:** {item.anyscale_verdict}",
        f"- **Networking:** {item.network_mode} ({cell(item.network_mode_source)})",
        f"- **Region:** {item.region or 'not known'}",
        "",
    ]
    if item.reasons:
        lines += ["### Why", ""]
        lines += [f"- {cell(reason)}" for reason in item.reasons[:MAX_REASONS]]
        if len(item.reasons) > MAX_REASONS:
            lines.append(f"- … and {len(item.reasons) - MAX_REASONS} more (see `-f json`)")
        lines.append("")
    lines += [
        "### Register inputs",
        "",
        "| Input | Flag | Status | Found | Location | Details and rules |",
        "|---|---|---|---|---|---|",
        *(_checklist_row(entry) for entry in item.checklist),
        "",
        "### Requirements, in the order of Anyscale's verifier",
        "",
        "| Area | Status | Rules (pass / fail / unknown / not evaluated) |",
        "|---|---|---|",
    ]
    for section in item.sections:
        rules = ", ".join(
            f"{count.rule_id} {ICONS[count.status].split()[0]} "
            f"{count.counts.get('pass', 0)}/{count.counts.get('fail', 0)}/"
            f"{count.counts.get('unknown', 0)}/{count.counts.get('not-evaluated', 0)}"
            for count in section.rules
        )
        lines.append(f"| {section.name} | {ICONS[section.status]} | {rules} |")
    lines.append("")
    if item.requirements:
        lines += [
            "<details><summary>Anyscale's verdict and ours, per requirement</summary>",
            "",
            "| Rule | Result | Anyscale (default) | Anyscale (--strict) | anyscale-lint | Note |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {row.rule_id} {cell(row.title)} | {row.outcome} | {cell(row.anyscale_default)} | "
            f"{cell(row.anyscale_strict)} | {cell(row.recommendation)} | {cell(row.note)} |"
            for row in item.requirements
        ]
        lines += ["", "</details>", ""]
    if item.plan is not None:
        lines += ["### Register command", "", "```sh", item.plan.command, "```", ""]
        if item.plan.placeholders:
            shown = ", ".join(f"`--{v.flag}` ({cell(v.note)})" for v in item.plan.placeholders)
            lines += [f"Placeholders to fill in: {shown}.", ""]
        if item.plan.outputs_to_add:
            lines += ["Outputs to add to the root module:", "", "```hcl"]
            lines += [*item.plan.outputs_to_add, "```", ""]
        lines += [
            "<details><summary>The same as a resource file (--resource-file)</summary>",
            "",
            "```sh",
            item.plan.resource_file_script,
            "```",
            "",
            "</details>",
            "",
        ]
    if item.deployment is not None:
        lines += [
            "### Diagram",
            "",
            "Parts with a failing finding are marked ❌ and drawn in red.",
            "",
            "```mermaid",
            diagram(item.deployment, item.failing_resources, account),
            "```",
            "",
        ]
    return lines


def render(report: ReadinessReport, account: str = ANYSCALE_ACCOUNT_ID) -> str:
    """The whole readiness report as Markdown."""
    count = len(report.deployments)
    lines = [
        f"# Anyscale readiness: {VERDICT_ICONS[report.verdict]} {report.verdict}",
        "",
        f"anyscale-lint {report.version} · {count} deployment{'s' if count != 1 else ''}"
        + (" · --strict (warnings fail)" if report.strict else ""),
        "",
    ]
    if not report.deployments:
        lines += ["No Anyscale deployment was found in the inputs.", ""]
    for item in report.deployments:
        lines += _deployment(item, account)
    if report.errors:
        lines += ["## Input errors", "", *(f"- {cell(error)}" for error in report.errors), ""]
    if report.notices:
        lines += ["## Notices", "", *(f"- {cell(notice)}" for notice in report.notices), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
