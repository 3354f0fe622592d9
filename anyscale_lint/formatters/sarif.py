"""SARIF 2.1.0 for code scanning: one run, rules from the metadata, findings with fingerprints."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.registry import RuleMeta
from anyscale_lint.engine.report import Report
from anyscale_lint.formatters.common import (
    error_id,
    finding_text,
    indented_json,
    most_severe_first,
    names_file,
)
from anyscale_lint.formatters.locations import (
    directory_uri,
    encode_relative,
    is_repository,
    source_roots,
)
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


# uriBaseId -> scanned root; artifact URIs are relative to the root holding the file.
Bases = dict[str, Path]


def base_ids(inputs: list[str]) -> Bases:
    """One uriBaseId per source root: %SRCROOT% for a lone root or the git root, else ROOTn."""
    roots = source_roots(inputs)
    if len(roots) == 1:
        return {SRCROOT: roots[0]}
    repository = next((root for root in roots if is_repository(root)), None)
    others = [root for root in roots if root != repository]
    bases = {f"ROOT{number}": root for number, root in enumerate(others, start=1)}
    return {SRCROOT: repository, **bases} if repository is not None else bases


@functools.lru_cache(maxsize=4096)
def _resolved(path: str, cwd: Path) -> Path:
    # Resolving costs a system call per path component; a report names few files, many times.
    return (cwd / path).resolve()


def _artifact(path: str, bases: Bases) -> dict[str, Any]:
    absolute = _resolved(path, Path.cwd())
    for base_id, root in bases.items():
        if absolute.is_relative_to(root):
            relative = absolute.relative_to(root).as_posix()
            return {"uri": encode_relative(relative), "uriBaseId": base_id}
    return {"uri": absolute.as_uri()}


def _location(origin: Origin, bases: Bases) -> dict[str, Any]:
    if isinstance(origin, CloudRef):
        return {"logicalLocations": [{"fullyQualifiedName": origin.identifier, "kind": "resource"}]}
    region = {"startLine": origin.start_line, "endLine": origin.end_line}
    return {
        "physicalLocation": {"artifactLocation": _artifact(origin.path, bases), "region": region}
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


def _result(result: Result, indices: dict[str, int], bases: Bases) -> dict[str, Any]:
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
        entry["locations"] = [_location(result.location, bases)]
    if result.related:
        entry["relatedLocations"] = [
            {"id": number, "message": {"text": related.message}, **_location(related.origin, bases)}
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


def _error_notification(error: ParseError, bases: Bases) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error",
        "message": {"text": error.message},
        "descriptor": {"id": error_id(error)},
    }
    if names_file(error):
        physical: dict[str, Any] = {"artifactLocation": _artifact(error.path, bases)}
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


def _invocation(report: Report, bases: Bases, kept: int, total: int) -> dict[str, Any]:
    notifications = [_error_notification(error, bases) for error in report.errors]
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
    _resolved.cache_clear()  # files and links may have changed since the last report
    bases = base_ids(report.inputs)
    findings = report.findings()
    kept = _kept(findings)
    rules = sorted({meta.id: meta for meta in report.rules}.values(), key=lambda m: m.id)
    indices = {meta.id: index for index, meta in enumerate(rules)}
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
            base_id: {"uri": directory_uri(path)} for base_id, path in bases.items()
        },
        "invocations": [_invocation(report, bases, len(kept), len(findings))],
        "results": [_result(result, indices, bases) for result in kept],
    }
    if report.category:
        run["automationDetails"] = {"id": automation_id(report.category)}
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    # Each result's properties, and each rule, on one line.
    return indented_json(log, sort_keys=True, flat_depth=5)
