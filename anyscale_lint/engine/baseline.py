"""The baseline: today's findings recorded once, reported later as baselined, not failing.

The file is JSON, validated against `schemas/baseline.schema.json` when it is loaded::

    {
      "version": 1,
      "tool": "anyscale-lint",
      "generated": "2025-06-30",
      "findings": [
        {
          "fingerprint": "3f1c...(32 hex digits)",
          "rule": "AWS-SG-005",
          "deployment": "infra/prod",
          "resource": "aws_security_group.anyscale",
          "message": "aws_security_group.anyscale: tcp/22 open to 0.0.0.0/0."
        }
      ]
    }

`findings` holds the findings (failures and unknowns) that were not suppressed when the file
was written, sorted by rule, deployment, resource and fingerprint so that regenerating it
gives small diffs. Only `fingerprint` decides whether a finding is baselined (see
`Result.fingerprint`: rule, deployment, resource and normalized evidence, never a line or a
file name); the other fields are for the people who review the file. Deployment keys are
root paths as the scan shows them (relative to its working directory), so write and use a
baseline from the same directory.

`write_baseline` records every finding (`--write-baseline` is how findings are added);
`update_baseline` only drops the entries of fixed findings and never adds new ones.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from anyscale_lint import jsontext
from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.report import Report
from anyscale_lint.paths import schemas_dir
from anyscale_lint.reading import UnreadableFile, read_regular_text

BASELINE_VERSION = 1
TOOL = "anyscale-lint"


class BaselineError(ValueError):
    """A baseline file that cannot be read, parsed, validated or written: names the file."""


@dataclass(frozen=True)
class BaselineEntry:
    """One recorded finding."""

    fingerprint: str
    rule: str
    deployment: str
    resource: str
    message: str


@dataclass(frozen=True)
class Baseline:
    """The recorded findings of a baseline file."""

    path: Path
    generated: str
    entries: tuple[BaselineEntry, ...]

    @property
    def fingerprints(self) -> frozenset[str]:
        """The fingerprints of every entry."""
        return frozenset(entry.fingerprint for entry in self.entries)


def _recorded(result: Result) -> bool:
    # Findings already baselined by an older file are still findings: keep them.
    return result.is_finding and result.suppression is None


def write_baseline(report: Report, path: Path | str, today: dt.date | None = None) -> Baseline:
    """Record the report's unsuppressed findings in a new baseline file at `path`."""
    entries = {
        result.fingerprint: BaselineEntry(
            result.fingerprint, result.rule_id, result.deployment, result.resource, result.message
        )
        for result in report.results
        if _recorded(result)
    }
    baseline = Baseline(Path(path), (today or dt.date.today()).isoformat(), tuple(entries.values()))
    _write(baseline)
    return baseline


def load_baseline(path: Path | str) -> Baseline:
    """Read and validate a baseline file (BaselineError naming the file and the problem)."""
    path = Path(path)
    if not os.path.lexists(path):
        raise BaselineError(f"{path}: baseline file not found (create it with --write-baseline)")
    try:
        text = read_regular_text(path)
    except UnreadableFile as error:
        if error.line is not None:
            raise BaselineError(f"{path}: not a baseline file: it is not UTF-8 text") from None
        raise BaselineError(error.located(path)) from None
    try:
        data = jsontext.loads(text)
    except jsontext.JsonInputError as error:
        where = "".join(f":{n}" for n in (error.line, error.column) if n)
        raise BaselineError(f"{path}{where}: {error.message}") from None
    _validate(data, path)
    entries = tuple(
        BaselineEntry(
            item["fingerprint"], item["rule"], item["deployment"], item["resource"], item["message"]
        )
        for item in data["findings"]
    )
    return Baseline(path, data["generated"], entries)


def apply_baseline(report: Report, baseline: Baseline) -> Report:
    """The report with its findings recorded in the baseline marked baselined."""
    known = baseline.fingerprints
    results = [
        replace(result, baselined=True) if result.active and result.fingerprint in known else result
        for result in report.results
    ]
    return replace(report, results=results)


def fixed_entries(report: Report, baseline: Baseline) -> list[BaselineEntry]:
    """Entries the report could have matched but did not: their findings were fixed."""
    present = {result.fingerprint for result in report.results if result.is_finding}
    # Entries of rules or deployments this run did not cover may still hold: a scan of one
    # root, or with --select, must not declare the others' findings fixed.
    rules = {meta.id for meta in report.rules}
    deployments = {d.key for d in report.deployments} | {r.deployment for r in report.results}
    return [
        entry
        for entry in baseline.entries
        if entry.fingerprint not in present
        and entry.rule in rules
        and entry.deployment in deployments
    ]


def update_baseline(report: Report, baseline: Baseline, path: Path | str) -> Baseline:
    """Rewrite the baseline without the entries of fixed findings; new findings are not added."""
    fixed = set(fixed_entries(report, baseline))
    kept = tuple(entry for entry in baseline.entries if entry not in fixed)
    # The date stays the one the kept findings were recorded on, so an update that drops
    # nothing leaves the file unchanged.
    updated = Baseline(Path(path), baseline.generated, kept)
    _write(updated)
    return updated


def _write(baseline: Baseline) -> None:
    entries = sorted(
        baseline.entries, key=lambda e: (e.rule, e.deployment, e.resource, e.fingerprint)
    )
    document = {
        "version": BASELINE_VERSION,
        "tool": TOOL,
        "generated": baseline.generated,
        "findings": [
            {
                "fingerprint": e.fingerprint,
                "rule": e.rule,
                "deployment": e.deployment,
                "resource": e.resource,
                "message": e.message,
            }
            for e in entries
        ],
    }
    try:
        baseline.path.write_text(
            json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    except OSError as error:
        raise BaselineError(f"{baseline.path}: cannot write: {error.strerror}") from None


def _validate(data: Any, path: Path) -> None:
    import jsonschema  # only when a baseline is used: it slows the start of every scan

    version = data.get("version") if isinstance(data, dict) else None
    # A newer file says so plainly; a version that is no number is a schema error below.
    if type(version) is int and version != BASELINE_VERSION:
        raise BaselineError(
            f"{path}: unsupported baseline version {version} (this anyscale-lint "
            f"reads version {BASELINE_VERSION}; regenerate it with --write-baseline)"
        )
    schema = json.loads((schemas_dir() / "baseline.schema.json").read_text(encoding="utf-8"))
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(data)
    )
    if error is not None:
        key = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        raise BaselineError(f"{path}: key {key}: {error.message}")
