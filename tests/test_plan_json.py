"""Terraform plan and state JSON: real `terraform show -json` output of the bundled examples
(tests/fixtures/plans, made by scripts/make_plan_fixtures.py) read into the same model."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import load_config
from tests.conftest import REPO, run_cli

PLANS = REPO / "tests" / "fixtures" / "plans"
Outcomes = set[tuple[str, str, str]]


def _outcomes(paths: list[str]) -> Outcomes:
    report = lint(paths, LintOptions(config=load_config(None)))
    return {(r.rule_id, r.outcome, r.resource) for r in report.results if r.outcome != "pass"}


def _beside(tmp_path: Path, example: str, plan: str) -> Path:
    """The example's HCL with its plan JSON beside it, as a CI job would have them."""
    root = tmp_path / "root"
    shutil.copytree(REPO / example, root)
    shutil.copy(PLANS / plan, root / "plan.json")
    return root


def _alone(tmp_path: Path, plan: str, document: dict[str, Any] | None = None) -> Path:
    target = tmp_path / "plan-only" / plan
    target.parent.mkdir(parents=True, exist_ok=True)
    if document is None:
        shutil.copy(PLANS / plan, target)
    else:
        target.write_text(json.dumps(document), encoding="utf-8")
    return target


def _load(plan: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PLANS / plan).read_text(encoding="utf-8"))
    return data


def _relative(outcomes: Outcomes, root: str) -> Outcomes:
    return {(rule, outcome, "ROOT" if r == root else r) for rule, outcome, r in outcomes}


@pytest.mark.parametrize(
    ("example", "plan"),
    [
        ("examples/aws-insecure/prod", "aws-insecure-prod.plan.json"),
        ("examples/aws-ready", "aws-ready.plan.json"),
    ],
)
def test_a_plan_beside_its_code_gives_the_code_scan_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: str, plan: str
) -> None:
    monkeypatch.chdir(REPO)
    from_code = _relative(_outcomes([example]), example)
    root = _beside(tmp_path, example, plan)
    from_plan = _relative(_outcomes([str(root / "plan.json")]), str(root))
    assert from_plan == from_code


def test_findings_of_a_plan_beside_its_code_point_at_the_code(tmp_path: Path) -> None:
    root = _beside(tmp_path, "examples/aws-insecure/prod", "aws-insecure-prod.plan.json")
    report = lint([str(root / "plan.json")], LintOptions(config=load_config(None)))
    failing = [r for r in report.results if r.outcome == "fail"]
    assert failing
    for result in failing:
        assert str(result.location).split(":")[0].endswith(".tf"), result


def test_a_plan_alone_points_at_the_plan_with_a_json_pointer(tmp_path: Path) -> None:
    plan = _alone(tmp_path, "aws-insecure-prod.plan.json")
    report = lint([str(plan)], LintOptions(config=load_config(None)))
    ssh = [r for r in report.results if r.rule_id == "AWS-SG-005" and r.outcome == "fail"]
    assert ssh, [r.rule_id for r in report.results]
    assert str(ssh[0].location).startswith(str(plan))
    assert "(at /planned_values/root_module/child_modules/" in ssh[0].message


def test_the_ready_plan_alone_has_no_failure(tmp_path: Path) -> None:
    # Without the code, what the plan knows only after apply is unknown: never a failure.
    outcomes = _outcomes([str(_alone(tmp_path, "aws-ready.plan.json"))])
    assert not [o for o in outcomes if o[1] == "fail"], outcomes
    assert [o for o in outcomes if o[1] == "unknown"]


def test_a_value_known_only_after_apply_is_unknown_never_a_pass(tmp_path: Path) -> None:
    document = _load("aws-insecure-prod.plan.json")
    for change in document["resource_changes"]:
        if change["type"] == "aws_s3_bucket_cors_configuration":
            change["change"]["after"]["cors_rule"] = []
            change["change"]["after_unknown"]["cors_rule"] = True
    outcomes = _outcomes([str(_alone(tmp_path, "cors.plan.json", document))])
    cors = {o for o in outcomes if o[0] in ("AWS-S3-004", "AWS-S3-005")}
    assert cors and all(outcome == "unknown" for _, outcome, _ in cors), cors


def test_sensitive_values_of_a_plan_never_reach_the_output(tmp_path: Path) -> None:
    document = _load("aws-insecure-prod.plan.json")
    secret = "northwind-prod-anyscale"  # the trust policy's sts:ExternalId
    for change in document["resource_changes"]:
        if change["address"] == "module.iam.aws_iam_role.control_plane":
            change["change"]["after_sensitive"]["assume_role_policy"] = True
    plan = _alone(tmp_path, "sensitive.plan.json", document)
    assert secret in plan.read_text(encoding="utf-8")
    for form in ("text", "json", "sarif"):
        result = run_cli("scan", str(plan), "-f", form)
        assert result.returncode == 1, result.stderr
        assert secret not in result.stdout + result.stderr, form


def test_a_newer_minor_format_and_unknown_fields_are_read(tmp_path: Path) -> None:
    document = _load("aws-insecure-prod.plan.json")
    document["format_version"] = "1.9"
    document["a_future_field"] = {"anything": [1, 2, 3]}
    for change in document["resource_changes"]:
        change["a_future_field"] = True
    outcomes = _outcomes([str(_alone(tmp_path, "future.plan.json", document))])
    ssh = ("AWS-SG-005", "fail", "module.network.aws_security_group_rule.ssh_debug")
    assert ssh in outcomes


def test_another_major_format_is_an_input_error_not_a_crash(tmp_path: Path) -> None:
    document = copy.deepcopy(_load("aws-ready.plan.json"))
    document["format_version"] = "2.0"
    result = run_cli("scan", str(_alone(tmp_path, "next.plan.json", document)))
    assert result.returncode == 3
    assert "format_version '2.0' is not supported" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_state_json_links_resources_by_their_recorded_ids(tmp_path: Path) -> None:
    # A real state: the insecure example applied to moto (scripts/make_plan_fixtures.py).
    # Every link is a literal ID there, so rules must follow IDs, not references.
    state = _alone(tmp_path, "aws-insecure-prod.state.json")
    outcomes = _outcomes([str(state)])
    for expected in [
        ("AWS-SG-005", "fail", "module.network.aws_security_group_rule.ssh_debug"),
        ("AWS-SG-001", "fail", "module.network.aws_security_group.anyscale"),
        ("AWS-S3-005", "fail", "module.storage.aws_s3_bucket.anyscale"),
        ("AWS-IAM-002", "fail", "module.iam.aws_iam_role.control_plane"),
        ("AWS-NET-002", "fail", "module.network.aws_subnet.private_a"),
    ]:
        assert expected in outcomes, (expected, sorted(outcomes))
