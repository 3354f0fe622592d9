"""Deployments identified from evidence, not from correctness (issue 12 items 1-3).

Each `tests/fixtures/evidence/<case>/` is a Terraform root and an `expected.yaml` listing
results the scan must produce (`findings`, a subset of all results: `rule`, `outcome`, and
optionally `resource`, `deployment`, `severity` and a `message` fragment), results it must not
produce (`absent`, same keys), and optionally the exact deployment keys (`deployments`).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
import yaml

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import load_config
from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.report import Report
from tests.conftest import run_cli

EVIDENCE = Path(__file__).resolve().parent / "fixtures" / "evidence"
CASES = sorted(path.parent.name for path in EVIDENCE.glob("*/expected.yaml"))
ANYSCALE = "525325868955"


def _scan(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(directory)
    report = lint(["."], LintOptions(config=load_config(None, Path())))
    assert not [e for e in report.errors if e.kind == "internal"], report.errors
    return report


def _matches(result: Result, expected: dict[str, Any]) -> bool:
    fields = {
        "rule": result.rule_id,
        "resource": result.resource,
        "outcome": result.outcome,
        "deployment": result.deployment,
        "severity": result.severity,
    }
    if any(fields[key] != value for key, value in expected.items() if key in fields):
        return False
    return str(expected.get("message", "")) in result.message


def _shown(results: list[Result]) -> str:
    return "\n".join(
        f"{r.deployment} {r.rule_id} {r.resource} {r.outcome} {r.severity}: {r.message}"
        for r in results
        if r.outcome != "not-evaluated"
    )


@pytest.mark.parametrize("case", CASES)
def test_evidence_fixture(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = yaml.safe_load((EVIDENCE / case / "expected.yaml").read_text(encoding="utf-8"))
    report = _scan(EVIDENCE / case, monkeypatch)
    if "deployments" in expected:
        assert sorted(d.key for d in report.deployments) == sorted(expected["deployments"])
    for wanted in expected.get("findings") or []:
        assert any(_matches(r, wanted) for r in report.results), (
            f"missing {wanted}\n{_shown(report.results)}"
        )
    for unwanted in expected.get("absent") or []:
        found = [r for r in report.results if _matches(r, unwanted)]
        assert not found, _shown(found)


@pytest.mark.parametrize(
    ("account", "typo"),
    [("525325868595", True), ("552532586895", True), ("123456789012", False)],
)
def test_mistyped_or_foreign_trust_without_register_command_is_judged(
    account: str, typo: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "root"
    shutil.copytree(EVIDENCE / "typo_flag_outputs", root)
    main = root / "main.tf"
    main.write_text(main.read_text().replace("525325868595", account))
    report = _scan(root, monkeypatch)
    [deployment] = report.deployments
    assert deployment.identified
    assert deployment.control_plane_role is not None
    assert deployment.control_plane_role.address == "aws_iam_role.platform"
    [trust] = [r for r in report.results if r.rule_id == "AWS-IAM-001"]
    assert trust.outcome == "fail"
    assert account in trust.message and ANYSCALE in trust.message
    assert ("looks like a typo of 525325868955" in trust.message) is typo
    failing = {r.rule_id for r in report.results if r.outcome == "fail"}
    assert {"AWS-S3-005", "AWS-SG-005", "AWS-NET-002", "AWS-IAM-009"} <= failing


def test_the_cli_fails_a_root_whose_trust_is_mistyped(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(EVIDENCE / "typo_flag_outputs", root)
    completed = run_cli("scan", str(root))
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "looks like a typo of 525325868955" in completed.stdout


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("525325868595", True),  # adjacent digits swapped
        ("552532586895", True),  # a digit moved: two edits
        ("525325868965", True),  # one digit wrong
        ("52532586895", True),  # one digit missing
        ("595325868955", True),  # two distant digits swapped
        ("525325868955", False),  # the account itself
        ("123456789012", False),
        ("464622532012", False),
    ],
)
def test_typo_of_the_account(candidate: str, expected: bool) -> None:
    from anyscale_lint.iam.accounts import looks_like_typo

    assert looks_like_typo(candidate, ANYSCALE) is expected


def _write(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.tf").write_text(dedent(text), encoding="utf-8")
    return root


def test_weak_signs_are_reported_at_least_low(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _write(
        tmp_path / "weak",
        """
        resource "aws_s3_bucket" "anyscale_data" {
          bucket = "acme-anyscale-data"
        }
        """,
    )
    report = _scan(root, monkeypatch)
    [finding] = [r for r in report.results if r.rule_id == "AWS-REG-003" and r.outcome == "fail"]
    assert finding.severity == "low"
    assert not report.deployments[0].identified


SAAS_ROLE = """
    resource "aws_iam_role" "monitoring" {
      name = "monitoring-integration"
      assume_role_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Action    = "sts:AssumeRole"
          Principal = { AWS = "arn:aws:iam::464622532012:root" }
          Condition = { StringEquals = { "sts:ExternalId" = "abc123" } }
        }]
      })
    }
"""


def test_a_role_shaped_like_the_control_plane_role_alone_is_a_weak_sign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Other vendors' integration roles have the same shape: without any other sign of
    # Anyscale the root is not judged as a deployment (no high IAM-001 on a vendor's role).
    report = _scan(_write(tmp_path / "saas", SAAS_ROLE), monkeypatch)
    assert not report.deployments[0].identified
    findings = [r for r in report.results if r.outcome == "fail"]
    assert [(r.rule_id, r.severity) for r in findings] == [("AWS-REG-003", "low")]
    assert "aws_iam_role.monitoring" in findings[0].message


def test_shape_and_another_sign_make_a_deployment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        SAAS_ROLE
        + """
    resource "aws_s3_bucket" "anyscale" {
      bucket = "acme-anyscale-storage"
    }
    """
    )
    report = _scan(_write(tmp_path / "shaped", text), monkeypatch)
    [deployment] = report.deployments
    assert deployment.identified
    assert deployment.control_plane_role is not None
    assert deployment.control_plane_role.address == "aws_iam_role.monitoring"
    [trust] = [r for r in report.results if r.rule_id == "AWS-IAM-001"]
    assert trust.outcome == "fail" and "464622532012" in trust.message


def test_foreign_accounts_are_judged_on_every_role_of_the_deployment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _write(
        tmp_path / "nodes",
        """
        resource "aws_iam_role" "anyscale_cp" {
          name = "anyscale-cp"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::525325868955:root" }
              Condition = { StringEquals = { "sts:ExternalId" = "org_abc" } }
            }]
          })
        }
        resource "aws_iam_role" "anyscale_nodes" {
          name = "anyscale-nodes"
          assume_role_policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [
              {
                Effect    = "Allow"
                Action    = "sts:AssumeRole"
                Principal = { Service = "ec2.amazonaws.com" }
              },
              {
                Effect    = "Allow"
                Action    = "sts:AssumeRole"
                Principal = { AWS = "arn:aws:iam::111122223333:root" }
              },
            ]
          })
        }
        """,
    )
    report = _scan(root, monkeypatch)
    verdicts = {r.resource: r for r in report.results if r.rule_id == "AWS-IAM-002"}
    assert verdicts["aws_iam_role.anyscale_nodes"].outcome == "fail"
    assert "111122223333" in verdicts["aws_iam_role.anyscale_nodes"].message
    assert verdicts["aws_iam_role.anyscale_cp"].outcome == "pass"


def test_two_register_commands_are_two_deployments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (EVIDENCE / "two_deployments" / "main.tf").read_text()
    text += dedent(
        """
        output "register_prod" {
          value = join(" ", [
            "anyscale cloud register --provider aws --name prod",
            "--anyscale-iam-role-id ${aws_iam_role.prod_control_plane.arn}",
            "--instance-iam-role-id ${aws_iam_role.prod_nodes.arn}",
          ])
        }
        output "register_staging" {
          value = join(" ", [
            "anyscale cloud register --provider aws --name staging",
            "--anyscale-iam-role-id ${aws_iam_role.staging_control_plane.arn}",
            "--instance-iam-role-id ${aws_iam_role.staging_nodes.arn}",
          ])
        }
        """
    )
    report = _scan(_write(tmp_path / "two", text), monkeypatch)
    keys = sorted(d.key for d in report.deployments)
    assert keys == [".#output.register_prod", ".#output.register_staging"]
    pairs = {
        d.key: (
            d.control_plane_role.address if d.control_plane_role else None,
            d.instance_role.address if d.instance_role else None,
        )
        for d in report.deployments
    }
    assert pairs[".#output.register_staging"] == (
        "aws_iam_role.staging_control_plane",
        "aws_iam_role.staging_nodes",
    )
    failing = [r for r in report.results if r.rule_id == "AWS-IAM-003" and r.outcome == "fail"]
    assert [(r.deployment, r.resource) for r in failing] == [
        (".#output.register_staging", "aws_iam_role.staging_control_plane")
    ]


def test_the_config_maps_two_deployments_of_one_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "two"
    shutil.copytree(EVIDENCE / "two_deployments", root)
    (root / ".anyscale-lint.yaml").write_text(
        dedent(
            """
            deployments:
              ".#staging":
                control_plane_role: aws_iam_role.staging_control_plane
                instance_role: aws_iam_role.staging_nodes
              ".#prod":
                control_plane_role: aws_iam_role.prod_control_plane
                instance_role: aws_iam_role.prod_nodes
            """
        )
    )
    report = _scan(root, monkeypatch)
    assert sorted(d.key for d in report.deployments) == [".#prod", ".#staging"]
    staging = next(d for d in report.deployments if d.key == ".#staging")
    assert staging.instance_role is not None
    assert staging.instance_role.address == "aws_iam_role.staging_nodes"
    # The user split the root: parts still shared (one VPC) are their decision, not reported.
    assert not [r for r in report.results if r.rule_id == "AWS-REG-003" and r.outcome == "fail"]


def test_a_single_deployment_keeps_its_root_as_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fingerprints and baselines carry the key: a root with one deployment keeps it.
    root = tmp_path / "one"
    shutil.copytree(EVIDENCE / "typo_swapped_register", root)
    report = _scan(root, monkeypatch)
    assert [d.key for d in report.deployments] == ["."]
    assert {r.deployment for r in report.results} == {"."}


def test_each_resource_of_two_deployments_is_judged_once_under_scope_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "two"
    shutil.copytree(EVIDENCE / "two_deployments", root)
    # An ignore that matches nothing: CORE-002 reports it once, not once per deployment.
    with (root / "main.tf").open("a") as handle:
        handle.write('\n# anyscale-lint:ignore AWS-S3-006 reason="nothing here"\n')
        handle.write(
            'resource "aws_iam_role" "unrelated" {\n  name = "ci"\n  assume_role_policy = '
            'jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", '
            'Principal = { Service = "lambda.amazonaws.com" } }] })\n}\n'
        )
    monkeypatch.chdir(root)
    report = lint(["."], LintOptions(config=load_config(None, Path()), scope="all"))
    judged: dict[tuple[str, str], set[str]] = {}
    for result in report.results:
        judged.setdefault((result.rule_id, result.resource), set()).add(result.deployment)
    staging = ".#aws_iam_role.staging_control_plane"
    assert judged[("AWS-IAM-002", "aws_iam_role.staging_nodes")] == {staging}
    assert len(judged[("AWS-IAM-002", "aws_iam_role.unrelated")]) == 1
    assert len([r for r in report.results if r.rule_id == "CORE-002"]) == 1


def test_a_given_register_command_goes_to_the_deployment_it_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(EVIDENCE / "two_deployments")
    command = (
        "anyscale cloud register --provider aws --name staging "
        "--anyscale-iam-role-id arn:aws:iam::123456789012:role/anyscale-staging-control-plane "
        "--instance-iam-role-id arn:aws:iam::123456789012:role/anyscale-staging-nodes"
    )
    options = LintOptions(config=load_config(None, Path()), register_command=command)
    report = lint(["."], options)
    given = {d.key: d.given_register is not None for d in report.deployments}
    assert given == {
        ".#aws_iam_role.prod_control_plane": False,
        ".#aws_iam_role.staging_control_plane": True,
    }
    assert not [n for n in report.notices if "no single deployment" in n]


def test_a_control_plane_role_the_config_leaves_out_is_still_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "two"
    shutil.copytree(EVIDENCE / "two_deployments", root)
    (root / ".anyscale-lint.yaml").write_text(
        'deployments:\n  ".#prod": {control_plane_role: aws_iam_role.prod_control_plane}\n'
    )
    report = _scan(root, monkeypatch)
    assert sorted(d.key for d in report.deployments) == [
        ".#aws_iam_role.staging_control_plane",
        ".#prod",
    ]
    failing = [r for r in report.results if r.rule_id == "AWS-IAM-003" and r.outcome == "fail"]
    assert [r.resource for r in failing] == ["aws_iam_role.staging_control_plane"]


def test_outputs_for_register_flags_name_the_parts_without_a_register_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = _scan(EVIDENCE / "typo_flag_outputs", monkeypatch)
    [deployment] = report.deployments
    notes = {i.part: i.method for i in deployment.identifications}
    assert "output subnet_ids" in notes["subnets"]
    assert "output vpc_id" in notes["vpc"]
    assert "output anyscale_iam_role_arn" in notes["control-plane role"]
    assert "looks like a typo" in notes["control-plane role"]


def test_an_input_scoped_to_one_deployment_stays_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # A live scan given --vpc-id reads every role trusting Anyscale in the account: the VPC
    # names the deployment, so the other clouds' roles are candidates, not deployments.
    from anyscale_lint.engine.identify import IdentifyOptions, identify

    model = _scan(EVIDENCE / "two_deployments", monkeypatch).deployments[0].model
    model.one_deployment = True
    [deployment] = identify(model, IdentifyOptions())
    assert deployment.key == "."
    [note] = [i for i in deployment.identifications if i.part == "control-plane role"]
    assert "ambiguous" in note.method
