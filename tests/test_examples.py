"""The pinned examples: aws-insecure and gcp-insecure yield exactly their committed findings
(every AWS rule, most GCP rules); aws-ready and gcp-ready yield none and pass every rule of
their provider."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.engine.registry import registered_rules
from anyscale_lint.engine.report import Report

REPO = Path(__file__).resolve().parents[1]
INSECURE = "examples/aws-insecure"
READY = "examples/aws-ready"
EXPECTED_FILE = REPO / INSECURE / "expected-findings.yaml"
GCP_INSECURE = "examples/gcp-insecure"
GCP_READY = "examples/gcp-ready"

REGISTERED_RULES = frozenset(meta.id for meta, _ in registered_rules())
AWS_RULES = frozenset(rule for rule in REGISTERED_RULES if rule.startswith("AWS-"))
GCP_RULES = frozenset(rule for rule in REGISTERED_RULES if rule.startswith("GCP-"))

# Every rule the insecure example must trip at least once: every registered AWS rule, and
# CORE-002 (an expired inline ignore). CORE-001 is left out on purpose: a file that does not
# parse makes the scan incomplete (exit 3) and hides what it defines. CORE-003 only occurs in
# live scans.
INSECURE_RULES = AWS_RULES | {"CORE-002"}
INSECURE_DEPLOYMENTS = {
    f"{INSECURE}/prod": "private",
    f"{INSECURE}/legacy": "public",
    f"{INSECURE}/sandbox": "public",
}

# (rule ID, resource address) pairs the ready example may fail or leave unknown, each with
# the reason it cannot be avoided. Keep it empty unless a rule truly cannot pass.
READY_EXCEPTIONS: dict[tuple[str, str], str] = {}

# Rules with no pass result on the ready example, each with the reason. Every AWS rule must
# pass there (EFS and MemoryDB are configured so that their rules are evaluated, not skipped).
READY_WITHOUT_PASS: dict[str, str] = {
    "CORE-001": "reports parse errors only; a file that parses yields no result at all",
    "CORE-002": "reports unused or expired ignores only; the example has no ignores",
    "CORE-003": "reports live collection errors only; the example is scanned offline",
}

# GCP rules gcp-insecure passes, each with the reason (its README says the same).
GCP_INSECURE_PASSES = {
    "GCP-REG-001": "every part registration needs is declared",
    "GCP-FW-002": "the internal rule's TCP 1-1024 covers 443, as Anyscale's verifier reads it",
}
# GCP rules with no pass result on gcp-ready, each with the reason.
GCP_READY_WITHOUT_PASS = {
    "GCP-FW-005": "applies to shared VPCs only; gcp-ready has no --host-project-id",
}

# `Mistake (AWS-SG-005, AWS-SG-004):`, anywhere in a comment.
_MISTAKE = re.compile(
    r"Mistake \(((?:AWS|GCP|CORE)-[A-Z0-9-]+(?:, *(?:AWS|GCP|CORE)-[A-Z0-9-]+)*)\)"
)

Key = tuple[str, str, str, str]


def _keys(report: Report) -> set[Key]:
    return {(f.deployment, f.rule_id, f.resource, f.outcome) for f in report.findings()}


def _expected(path: Path = EXPECTED_FILE) -> set[Key]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
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


def test_insecure_example_trips_every_aws_rule(in_repo: Path) -> None:
    expected = _expected()
    assert len(AWS_RULES) >= 49, "registered_rules() lost AWS rules"
    tripped = {rule for _, rule, _, outcome in expected if outcome == "fail"}
    assert sorted(INSECURE_RULES - tripped) == [], "rules the insecure example does not trip"
    assert {outcome for *_, outcome in expected} == {"fail"}, "the example holds no unknowns"
    assert {"CORE-001", "CORE-003"}.isdisjoint(rule for _, rule, _, _ in expected)


def _mistakes(root: Path) -> set[str]:
    """Rule IDs named by `# Mistake (RULE-ID, ...)` comments in a deployment's files."""
    found: set[str] = set()
    for path in root.rglob("*"):
        if path.suffix in (".tf", ".tfvars") and path.is_file():
            for ids in _MISTAKE.findall(path.read_text(encoding="utf-8")):
                found |= {part.strip() for part in ids.split(",")}
    return found


def test_insecure_example_comments_every_mistake(in_repo: Path) -> None:
    expected = _expected()
    for deployment in INSECURE_DEPLOYMENTS:
        reported = {rule for d, rule, _, _ in expected if d == deployment}
        commented = _mistakes(in_repo / deployment)
        assert sorted(reported - commented) == [], (
            f"findings without a Mistake comment: {deployment}"
        )
        assert sorted(commented - reported) == [], f"Mistake comments not reported: {deployment}"


def test_insecure_example_has_three_deployments(in_repo: Path) -> None:
    report = lint([INSECURE], LintOptions())
    modes = {d.key: d.network_mode for d in report.deployments}
    assert modes == INSECURE_DEPLOYMENTS
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
    assert deployment.efs is not None
    assert deployment.memorydb is not None
    # Every rule must really pass here, not be skipped, unless READY_WITHOUT_PASS says why not.
    counts = report.counts_by_rule()
    assert set(READY_WITHOUT_PASS) <= REGISTERED_RULES, "stale READY_WITHOUT_PASS entries"
    # GCP rules are judged on gcp-ready (below); an AWS deployment is not theirs to judge.
    not_passed = sorted(
        rule
        for rule in REGISTERED_RULES - set(READY_WITHOUT_PASS) - GCP_RULES
        if counts.get(rule, {}).get("pass", 0) == 0
    )
    assert not_passed == [], "rules with no pass result on the ready example"
    assert AWS_RULES.isdisjoint(READY_WITHOUT_PASS), "every AWS rule must pass on the ready example"


def test_gcp_insecure_example_yields_exactly_the_committed_findings(in_repo: Path) -> None:
    report = lint([GCP_INSECURE], LintOptions())
    assert not report.errors, report.errors
    actual = _keys(report)
    expected = _expected(REPO / GCP_INSECURE / "expected-findings.yaml")
    assert sorted(actual - expected) == [], "findings not in expected-findings.yaml"
    assert sorted(expected - actual) == [], "expected findings that were not reported"
    assert report.exit_code() == 1


def test_gcp_insecure_example_trips_every_gcp_rule_but_the_documented_ones(in_repo: Path) -> None:
    expected = _expected(REPO / GCP_INSECURE / "expected-findings.yaml")
    assert len(GCP_RULES) == 20, "registered_rules() lost GCP rules"
    tripped = {rule for _, rule, _, outcome in expected if outcome == "fail"}
    assert len(tripped) >= 12
    assert tripped == GCP_RULES - set(GCP_INSECURE_PASSES)
    assert {outcome for *_, outcome in expected} == {"fail"}, "the example holds no unknowns"
    report = lint([GCP_INSECURE], LintOptions())
    [deployment] = report.deployments
    assert (deployment.provider, deployment.network_mode) == ("gcp", "private")
    counts = report.counts_by_rule()
    assert all(counts.get(rule, {}).get("pass", 0) > 0 for rule in GCP_INSECURE_PASSES)


def test_gcp_insecure_example_comments_every_mistake(in_repo: Path) -> None:
    expected = _expected(REPO / GCP_INSECURE / "expected-findings.yaml")
    reported = {rule for _, rule, _, _ in expected}
    commented = _mistakes(in_repo / GCP_INSECURE)
    assert sorted(reported - commented) == [], "findings without a Mistake comment"
    assert sorted(commented - reported) == [], "Mistake comments not reported"


def test_gcp_ready_example_has_no_failure_or_unknown_and_every_gcp_rule_passes(
    in_repo: Path,
) -> None:
    report = lint([GCP_READY], LintOptions())
    assert not report.errors, report.errors
    assert [(f.rule_id, f.resource, f.outcome, f.message) for f in report.findings()] == []
    assert report.exit_code() == 0
    [deployment] = report.deployments
    parts = deployment.gcp
    assert deployment.provider == "gcp" and parts is not None
    assert deployment.network_mode == "private"
    found = [
        parts.project_id,
        parts.network,
        parts.access_service_account,
        parts.node_service_account,
        parts.identity_provider,
        parts.bucket,
        parts.filestore,
        parts.memorystore,
    ]
    assert all(part is not None for part in found)
    assert len(parts.subnets) == 1 and len(parts.proxy_subnets) == 1
    assert len(parts.firewall_policies) == 1
    counts = report.counts_by_rule()
    not_passed = sorted(
        rule
        for rule in GCP_RULES - set(GCP_READY_WITHOUT_PASS)
        if counts.get(rule, {}).get("pass", 0) == 0
    )
    assert not_passed == [], "GCP rules with no pass result on the gcp-ready example"
    for rule in GCP_READY_WITHOUT_PASS:
        assert set(counts.get(rule, {})) == {"not-evaluated"}, rule


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


@pytest.mark.slow
def test_cli_scan_gcp_examples() -> None:
    ready = _scan(GCP_READY, "--fail-on", "medium")
    assert ready.returncode == 0, ready.stdout + ready.stderr
    insecure = _scan(GCP_INSECURE, "-f", "json")
    assert insecure.returncode == 1, insecure.stderr
    results = json.loads(insecure.stdout)["results"]
    assert any(r["rule_id"] == "GCP-FW-004" and r["outcome"] == "fail" for r in results)
