"""SARIF 2.1.0 for code scanning: one run, rules from the metadata, findings with fingerprints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.registry import RuleMeta
from anyscale_lint.engine.report import Report
from anyscale_lint.formatters.common import (
    error_id,
    finding_text,
    most_severe_first,
    names_file,
)
from anyscale_lint.formatters.locations import relative_uri, scan_root
from anyscale_lint.model import CloudRef, Origin, ParseError

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/anyscale-lint/anyscale-lint"
RULE_DOCS_URI = INFORMATION_URI + "/blob/main/docs/rules/{}.md"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "anyscaleLintFingerprint/v1"

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub code scanning reads this string (0.0-10.0) to rank security alerts.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
SUPPRESSION_KINDS = {"inline": "inSource", "waiver": "external"}
HELP_SECTIONS = (("what", "What"), ("why", "Why"), ("fix", "Fix"))
# GitHub code scanning includes at most 5,000 results of a run (its SARIF upload limits).
MAX_RESULTS = 5000


def _artifact(path: str, root: Path) -> dict[str, Any]:
    uri = relative_uri(path, root)
    if uri.startswith("file:"):
        return {"uri": uri}
    return {"uri": uri, "uriBaseId": SRCROOT}


def _location(origin: Origin, root: Path) -> dict[str, Any]:
    if isinstance(origin, CloudRef):
        return {"logicalLocations": [{"fullyQualifiedName": origin.identifier, "kind": "resource"}]}
    region = {"startLine": origin.start_line, "endLine": origin.end_line}
    return {
        "physicalLocation": {"artifactLocation": _artifact(origin.path, root), "region": region}
    }


def _help(meta: RuleMeta) -> dict[str, str]:
    present = [(key, heading) for key, heading in HELP_SECTIONS if meta.docs.get(key)]
    text = "\n\n".join(f"{heading}: {meta.docs[key].strip()}" for key, heading in present)
    markdown = "\n\n".join(f"## {heading}\n\n{meta.docs[key].strip()}" for key, heading in present)
    return {"text": text, "markdown": markdown}


def _rule(meta: RuleMeta) -> dict[str, Any]:
    return {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.docs.get("what", meta.title).strip()},
        "help": _help(meta),
        "helpUri": RULE_DOCS_URI.format(meta.id),
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": {
            "tags": sorted({*meta.tags, "security"}),
            "security-severity": SECURITY_SEVERITY[meta.severity],
            "precision": "high",
            "anyscale_effect": meta.anyscale_effect,
        },
    }


def _result(result: Result, indices: dict[str, int], root: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "ruleId": result.rule_id,
        "level": "note" if result.outcome == "unknown" else LEVELS[result.severity],
        "message": {"text": finding_text(result)},
        "partialFingerprints": {FINGERPRINT_KEY: result.fingerprint},
        "properties": {
            "deployment": result.deployment,
            "resource": result.resource,
            "outcome": result.outcome,
            "value": result.value,
        },
    }
    if result.rule_id in indices:
        entry["ruleIndex"] = indices[result.rule_id]
    if result.location is not None:
        entry["locations"] = [_location(result.location, root)]
    if result.related:
        entry["relatedLocations"] = [
            {"id": number, "message": {"text": related.message}, **_location(related.origin, root)}
            for number, related in enumerate(result.related, start=1)
        ]
    if result.suppression is not None:
        entry["suppressions"] = [
            {
                "kind": SUPPRESSION_KINDS.get(result.suppression.kind, "external"),
                "justification": result.suppression.reason,
                "status": "accepted",
            }
        ]
    return entry


def _error_notification(error: ParseError, root: Path) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error",
        "message": {"text": error.message},
        "descriptor": {"id": error_id(error)},
    }
    if names_file(error):
        physical: dict[str, Any] = {"artifactLocation": _artifact(error.path, root)}
        if error.line:
            physical["region"] = {"startLine": error.line}
            if error.column:
                physical["region"]["startColumn"] = error.column
        notification["locations"] = [{"physicalLocation": physical}]
    return notification


def _truncation_notification(kept: int, total: int) -> dict[str, Any]:
    text = (
        f"{total - kept} of {total} results were left out: GitHub code scanning keeps only "
        f"{MAX_RESULTS} results of a run, so this log holds the {kept} most severe. "
        "Run anyscale-lint with `-f json` to see every result."
    )
    return {"level": "warning", "message": {"text": text}}


def _invocation(report: Report, root: Path, kept: int, total: int) -> dict[str, Any]:
    notifications = [_error_notification(error, root) for error in report.errors]
    notifications += [{"level": "note", "message": {"text": notice}} for notice in report.notices]
    if kept < total:
        notifications.append(_truncation_notification(kept, total))
    return {
        "executionSuccessful": not any(error.kind == "internal" for error in report.errors),
        "toolExecutionNotifications": notifications,
    }


def automation_id(category: str) -> str:
    """The `automationDetails.id` for `--category`: `prod` becomes `prod/`.

    GitHub reads the id as `category/run-id`: an id without `/` is all run ID and no category,
    so two uploads for one commit would replace each other. GitHub's upload-sarif action turns
    its `category` input into an id the same way (it appends `/` when missing).
    """
    return category if category.endswith("/") else category + "/"


def _kept(findings: list[Result]) -> list[Result]:
    # Past the limit GitHub drops results silently: choose which go, and say so in the log.
    if len(findings) <= MAX_RESULTS:
        return findings
    return most_severe_first(findings)[:MAX_RESULTS]


def render(report: Report) -> str:
    """The report as a SARIF 2.1.0 log with one run."""
    root = scan_root(report.inputs)
    findings = report.findings()
    kept = _kept(findings)
    rules = sorted({meta.id: meta for meta in report.rules}.values(), key=lambda m: m.id)
    indices = {meta.id: index for index, meta in enumerate(rules)}
    root_uri = root.as_uri()
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "anyscale-lint",
                "version": report.version,
                "semanticVersion": report.version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(meta) for meta in rules],
            }
        },
        "originalUriBaseIds": {
            SRCROOT: {"uri": root_uri if root_uri.endswith("/") else root_uri + "/"}
        },
        "invocations": [_invocation(report, root, len(kept), len(findings))],
        "results": [_result(result, indices, root) for result in kept],
    }
    if report.category:
        run["automationDetails"] = {"id": automation_id(report.category)}
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, sort_keys=True) + "\n"
