"""Bare IAM policy JSON is judged as policy (issue 12, item 5): no network or registration
rules, the account checks on trust policies, the wildcard rules on identity policies."""

from __future__ import annotations

import shutil

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.report import Report
from anyscale_lint.iam.accounts import typo_of_anyscale_account
from anyscale_lint.model import SourceSpan
from tests.conftest import REPO, run_cli
from tests.test_precommit import HookRepo, hook_repo  # noqa: F401  - the installed hooks

FIXTURES = REPO / "tests" / "fixtures" / "iam_json_policy"
NETWORK_AND_REGISTRATION = ("AWS-NET-", "AWS-SG-", "AWS-REG-001", "AWS-REG-004", "AWS-S3-003")


def _scan(name: str, scope: str | None = None) -> Report:
    return lint([str(FIXTURES / name)], LintOptions(scope=scope))


def _results(report: Report, rule_id: str, outcome: str = "fail") -> list[Result]:
    return [r for r in report.results if r.rule_id == rule_id and r.outcome == outcome]


@pytest.mark.parametrize(
    ("account", "expected"),
    [
        ("525325868595", True),  # two neighbouring digits swapped
        ("552532586895", True),  # one digit moved: an insertion and a deletion
        ("525325868956", True),  # one digit wrong
        ("525325868955", False),  # the account itself
        ("123456789012", False),  # another account altogether
        ("52532586895", True),  # a digit dropped
        ("5253", False),  # not an account ID
        ("arn:aws:iam::525325868595:root", False),  # an ARN, not an account
    ],
)
def test_typo_of_anyscale_account(account: str, expected: bool) -> None:
    assert typo_of_anyscale_account(account) is expected


def test_typo_of_a_configured_account() -> None:
    assert typo_of_anyscale_account("111122223344", "111122223333")
    assert not typo_of_anyscale_account("525325868595", "111122223333")


def test_trust_policy_with_a_mistyped_account_fails_the_account_check() -> None:
    report = _scan("trust_typo")
    failed = _results(report, "AWS-IAM-001")
    assert len(failed) == 1, report.results
    assert "525325868595" in failed[0].message and "525325868955" in failed[0].message
    assert report.exit_code() == 1


def test_correct_trust_policy_gets_no_network_or_registration_failure() -> None:
    report = _scan("trust_good")
    failed = [r for r in report.results if r.outcome == "fail" and r.severity != "info"]
    assert failed == []
    assert report.exit_code() == 0
    network = [r for r in report.results if r.rule_id.startswith(NETWORK_AND_REGISTRATION)]
    skipped = {r.rule_id: r.message for r in network}
    assert "AWS-NET-001" in skipped and "AWS-REG-001" in skipped
    assert {r.outcome for r in network} == {"not-evaluated"}
    assert "IAM policy JSON" in skipped["AWS-NET-001"]
    passed = {r.rule_id for r in report.results if r.outcome == "pass"}
    assert {"AWS-IAM-001", "AWS-IAM-002", "AWS-IAM-003", "AWS-IAM-004"} <= passed


def test_trust_policy_alone_leaves_the_permissions_rules_unknown() -> None:
    report = _scan("trust_good")
    for rule_id in ("AWS-IAM-005", "AWS-IAM-014"):
        assert not _results(report, rule_id), rule_id
        (unknown,) = _results(report, rule_id, "unknown")
        assert "not among the inputs" in unknown.message


@pytest.mark.parametrize("scope", [None, "all"])
def test_node_policy_granting_s3_on_everything_is_flagged(scope: str | None) -> None:
    report = _scan("node_policy", scope)
    (failed,) = _results(report, "AWS-IAM-009")
    assert "`*`" in failed.message and "node-policy.json" in failed.message
    # At the offending statement's own lines, not the top of the file.
    assert isinstance(failed.location, SourceSpan)
    assert failed.location.start_line > 1
    assert report.exit_code() == 1


def test_identity_policy_gets_one_result_per_offending_statement() -> None:
    report = _scan("identity_wildcards")
    text = (FIXTURES / "identity_wildcards" / "ops-policy.json").read_text(encoding="utf-8")
    lines = text.splitlines()

    def sids(rule_id: str) -> list[str]:
        found = []
        for result in _results(report, rule_id):
            assert isinstance(result.location, SourceSpan)
            # The statement's own lines: its `{`, then its Sid.
            assert lines[result.location.start_line - 1].strip() == "{"
            found.append(lines[result.location.start_line].strip())
        return sorted(found)

    # `*` grants s3 too: four statements reach every bucket.
    assert len(_results(report, "AWS-IAM-009")) == 3
    assert sids("AWS-IAM-009") == sorted(
        ['"Sid": "ReadEveryBucket",', '"Sid": "WriteEveryBucket",', '"Sid": "Admin",']
    )
    assert sids("AWS-IAM-011") == ['"Sid": "Admin",']
    assert sids("AWS-IAM-012") == sorted(['"Sid": "Admin",', '"Sid": "PassAnyRole",'])
    fingerprints = [r.fingerprint for r in report.findings()]
    assert len(fingerprints) == len(set(fingerprints))


def test_cli_exit_codes_on_bare_policies() -> None:
    good = run_cli("scan", str(FIXTURES / "trust_good" / "control-plane-trust.json"))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "AWS-NET-001" not in good.stdout and "AWS-REG-001" not in good.stdout
    node = run_cli("scan", str(FIXTURES / "node_policy" / "node-policy.json"))
    assert node.returncode == 1, node.stdout + node.stderr
    assert "AWS-IAM-009" in node.stdout


@pytest.mark.slow
def test_iam_hook_passes_a_correct_trust_policy(hook_repo: HookRepo) -> None:  # noqa: F811
    policies = hook_repo.path / "trust-only"
    policies.mkdir()
    shutil.copy(FIXTURES / "trust_good" / "control-plane-trust.json", policies / "trust.json")
    hook_repo.stage("trust-only")
    passed = hook_repo.run("anyscale-lint-iam")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "AWS-NET-001" not in passed.stdout and "AWS-REG-001" not in passed.stdout

    shutil.copy(FIXTURES / "node_policy" / "node-policy.json", policies / "node.json")
    hook_repo.stage("trust-only")
    failed = hook_repo.run("anyscale-lint-iam")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "AWS-IAM-009" in failed.stdout and "trust-only/node.json:" in failed.stdout
