"""The readiness report as JSON (schemas/readiness.schema.json)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from anyscale_lint.readiness.model import DeploymentReadiness, ReadinessReport

SCHEMA_VERSION = 1


def _deployment(item: DeploymentReadiness) -> dict[str, Any]:
    plan = item.plan
    return {
        "key": item.key,
        "identified": item.identified,
        "verdict": item.verdict,
        "reasons": item.reasons,
        "anyscale_verdict": item.anyscale_verdict,
        "network_mode": item.network_mode,
        "network_mode_source": item.network_mode_source,
        "region": item.region,
        "checklist": [dataclasses.asdict(entry) for entry in item.checklist],
        "sections": [dataclasses.asdict(section) for section in item.sections],
        "requirements": [dataclasses.asdict(row) for row in item.requirements],
        "register": None
        if plan is None
        else {
            "command": plan.command,
            "values": [dataclasses.asdict(value) for value in plan.values],
            "placeholders": [value.flag for value in plan.placeholders],
            "outputs_to_add": list(plan.outputs_to_add),
            "resource_file": plan.resource_file,
            "resource_file_script": plan.resource_file_script,
        },
    }


def as_data(report: ReadinessReport) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "anyscale-lint", "version": report.version},
        "strict": report.strict,
        "verdict": report.verdict,
        "deployments": [_deployment(item) for item in report.deployments],
        "errors": report.errors,
        "notices": report.notices,
    }


def render(report: ReadinessReport) -> str:
    """The report as indented JSON."""
    return json.dumps(as_data(report), indent=2) + "\n"
