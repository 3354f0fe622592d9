"""The versioned JSON report (schemas/report.schema.json): every rule x resource result."""

from __future__ import annotations

from typing import Any

from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.report import Report
from anyscale_lint.formatters.common import indented_json
from anyscale_lint.model import CloudRef, Origin, SourceSpan

SCHEMA_VERSION = "1.0"


def _location(origin: Origin | None) -> dict[str, Any] | None:
    if isinstance(origin, SourceSpan):
        return {"path": origin.path, "start_line": origin.start_line, "end_line": origin.end_line}
    if isinstance(origin, CloudRef):
        return {
            "cloud": origin.provider,
            "account": origin.account,
            "region": origin.region,
            "id": origin.identifier,
            **({"console_url": origin.console_url} if origin.console_url else {}),
        }
    return None


def _result(result: Result) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "rule_id": result.rule_id,
        "outcome": result.outcome,
        "severity": result.severity,
        "deployment": result.deployment,
        "resource": result.resource,
        "message": result.message,
        "location": _location(result.location),
        "value": result.value,
        "fingerprint": result.fingerprint,
        "suppressed": None,
        "baselined": result.baselined,
    }
    if result.suppression is not None:
        entry["suppressed"] = {
            "kind": result.suppression.kind,
            "reason": result.suppression.reason,
            "expires": result.suppression.expires,
        }
    if result.outcome == "fail":
        entry["remediation"] = result.remediation
    if result.related:
        entry["related"] = [
            {"location": _location(r.origin), "message": r.message} for r in result.related
        ]
    return entry


def render(report: Report) -> str:
    """The report as deterministic JSON."""
    counts = report.counts_by_rule()
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "anyscale-lint", "version": report.version},
        "inputs": report.inputs,
        "errors": [
            {
                "path": e.path,
                "line": e.line,
                "column": e.column,
                "kind": e.kind,
                "message": e.message,
            }
            for e in report.errors
        ],
        "notices": report.notices,
        "settings": {
            "fail_on": report.fail_on,
            "fail_on_unknown": report.fail_on_unknown,
            "scope": report.settings.scope,
            "anyscale_account_id": report.settings.anyscale_account_id,
            "cors_origin": report.settings.cors_origin,
        },
        "deployments": [
            {
                "key": d.key,
                "source": d.model.source_kind,
                "network_mode": d.network_mode,
                "network_mode_source": d.network_mode_source,
                "register_command": d.register_command.output_name if d.register_command else None,
                "inputs": d.model.notes,
                "identified": [
                    {
                        "part": i.part,
                        "resource": i.resource,
                        "method": i.method,
                        "considered": list(i.considered),
                    }
                    for i in d.identifications
                ],
            }
            for d in report.deployments
        ],
        "rules": [
            {
                "id": r.id,
                "name": r.name,
                "severity": r.severity,
                "title": r.title,
                "counts": {
                    o: counts[r.id][o] if r.id in counts else 0
                    for o in ("pass", "fail", "unknown", "not-evaluated")
                },
            }
            for r in report.rules
        ],
        # Encoded one by one: a large report never holds every entry as a dict at once.
        "results": (_result(r) for r in report.results),
        "summary": report.summary(),
        "exit_code": report.exit_code(),
    }
    # Each result, deployment and rule on one line.
    return indented_json(document, flat_depth=2)
