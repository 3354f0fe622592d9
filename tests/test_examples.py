"""The pinned examples: aws-insecure yields exactly its committed findings, aws-ready none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.engine.report import Report

REPO = Path(__file__).resolve().parents[1]
INSECURE = "examples/aws-insecure"
READY = "examples/aws-ready"
EXPECTED_FILE = REPO / INSECURE / "expected-findings.yaml"

# Every rule the insecure example must trip at least once. CORE-001 is left out on purpose:
# a file that does not parse makes the scan incomplete (exit 3) and hides what it defines.
INSECURE_RULES = {
    *(f"AWS-IAM-{n:03d}" for n in (1, 2, 3, 6, 7, 9, 10, 11)),
    *(f"AWS-S3-{n:03d}" for n in range(1, 6)),
    *(f"AWS-NET-{n:03d}" for n in range(1, 4)),
    *(f"AWS-SG-{n:03d}" for n in range(1, 8)),
    "CORE-002",
}

# (rule ID, resource address) pairs the ready example may fail or leave unknown, each with
# the reason it cannot be avoided. Keep it empty unless a rule truly cannot pass.
READY_EXCEPTIONS: dict[tuple[str, str], str] = {}

Key = tuple[str, str, str, str]


def _keys(report: Report) -> set[Key]:
    return {(f.deployment, f.rule_id, f.resource, f.outcome) for f in report.findings()}


def _expected() -> set[Key]:
    entries = yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8"))
    keys = {(e["deployment"], e["rule"], e["resource"], e["outcome"]) for e in entries}
    assert len(keys) == len(entries), "expected-findings.yaml holds duplicate entries"
    return keys


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so paths in results match the committed ones."""
    monkeypatch.chdir(REPO)
    return REPO


def test_insecure_example_yields_exactly_the_committed_findings(in_repo: Path) -> None:
    report = lint([INSECURE], LintOptions())
    assert not report.errors, report.errors
    actual, expected = _keys(report), _expected()
    assert sorted(actual - expected) == [], "findings not in expected-findings.yaml"
    assert sorted(expected - actual) == [], "expected findings that were not reported"


def test_insecure_example_trips_every_listed_rule(in_repo: Path) -> None:
    expected = _expected()
    assert {rule for _, rule, _, outcome in expected if outcome == "fail"} >= INSECURE_RULES
    assert {outcome for *_, outcome in expected} == {"fail"}, "the example holds no unknowns"
    assert "CORE-001" not in {rule for _, rule, _, _ in expected}


def test_insecure_example_has_two_deployments(in_repo: Path) -> None:
    report = lint([INSECURE], LintOptions())
    modes = {d.key: d.network_mode for d in report.deployments}
    assert modes == {f"{INSECURE}/prod": "private", f"{INSECURE}/legacy": "public"}
    assert report.exit_code() == 1


def test_ready_example_has_no_failure_or_unknown(in_repo: Path) -> None:
    report = lint([READY], LintOptions())
    assert not report.errors, report.errors
    unexpected = sorted(
        (f.rule_id, f.resource, f.outcome, f.message)
        for f in report.findings()
        if (f.rule_id, f.resource) not in READY_EXCEPTIONS
    )
    assert unexpected == []
    assert report.exit_code() == 0


def test_ready_example_is_fully_identified_and_every_rule_passes(in_repo: Path) -> None:
    report = lint([READY], LintOptions())
    [deployment] = report.deployments
    assert deployment.network_mode == "private"
    assert deployment.control_plane_role is not None
    assert deployment.instance_role is not None
    assert deployment.bucket is not None
    assert deployment.vpc is not None
    assert len(deployment.subnets) == 3
    assert len(deployment.security_groups) == 1
    # The rules the insecure example trips must really pass here, not be skipped.
    counts = report.counts_by_rule()
    not_passed = sorted(
        rule for rule in INSECURE_RULES - {"CORE-002"} if counts.get(rule, {}).get("pass", 0) == 0
    )
    assert not_passed == [], "rules with no pass result on the ready example"


def _console_script() -> Path:
    script = Path(sys.executable).parent / "anyscale-lint"
    if not script.exists():
        pytest.fail(f"console script not installed at {script}")
    return script


def _scan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(_console_script()), "scan", *args],
        cwd=REPO,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_cli_scan_insecure_example_reports_ssh_from_internet() -> None:
    completed = _scan(INSECURE, "-f", "json")
    assert completed.returncode == 1, completed.stderr
    results = json.loads(completed.stdout)["results"]
    assert any(r["rule_id"] == "AWS-SG-005" and r["outcome"] == "fail" for r in results)


@pytest.mark.slow
def test_cli_scan_ready_example_exits_zero() -> None:
    completed = _scan(READY)
    assert completed.returncode == 0, completed.stdout + completed.stderr
