"""Input forms beyond plain HCL: .tf.json, IAM CLI output, both provider styles, secrets."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.engine.report import Report
from anyscale_lint.formatters import FORMATTERS
from anyscale_lint.model import IamRole, PolicyDocument
from anyscale_lint.sources.terraform.loader import TerraformSource

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::525325868955:root"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "acme-prod"}},
        }
    ],
}


def _scan(
    directory: Path, files: dict[str, str], monkeypatch: pytest.MonkeyPatch, **options: object
) -> Report:
    _write(directory, files)
    monkeypatch.chdir(directory)
    return lint(["."], LintOptions(**options))  # type: ignore[arg-type]


def _write(directory: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (directory / name).write_text(dedent(text))


def _outcomes(report: Report, rule: str) -> dict[str, str]:
    return {r.resource: r.outcome for r in report.results if r.rule_id == rule}


def test_terraform_json_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = {
        "variable": {"ssh": {"default": ["0.0.0.0/0"]}},
        "resource": {
            "aws_security_group": {
                "bastion": {
                    "name": "bastion",
                    "ingress": [
                        {
                            "from_port": 22,
                            "to_port": 22,
                            "protocol": "tcp",
                            "cidr_blocks": "${var.ssh}",
                        }
                    ],
                }
            }
        },
    }
    report = _scan(
        tmp_path, {"main.tf.json": json.dumps(config, indent=2)}, monkeypatch, scope="all"
    )
    [finding] = [r for r in report.results if r.rule_id == "AWS-SG-005"]
    assert finding.outcome == "fail" and "0.0.0.0/0" in finding.message


def test_aws_iam_get_role_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = {
        "Role": {
            "RoleName": "anyscale-cp",
            "Arn": "arn:aws:iam::111122223333:role/anyscale-cp",
            "AssumeRolePolicyDocument": TRUST,
        }
    }
    report = _scan(tmp_path, {"role.json": json.dumps(output, indent=2)}, monkeypatch)
    assert _outcomes(report, "AWS-IAM-001") == {"role anyscale-cp": "pass"}
    # The external ID is neither a cloud ID nor org-prefixed.
    assert _outcomes(report, "AWS-IAM-003") == {"role anyscale-cp": "fail"}


def test_account_authorization_details(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    details = {
        "RoleDetailList": [
            {
                "RoleName": "anyscale-cp",
                "Arn": "arn:aws:iam::111122223333:role/anyscale-cp",
                "AssumeRolePolicyDocument": TRUST,
                "RolePolicyList": [],
                "AttachedManagedPolicies": [
                    {"PolicyName": "AdministratorAccess", "PolicyArn": admin}
                ],
                "InstanceProfileList": [],
            }
        ],
        "Policies": [],
    }
    report = _scan(tmp_path, {"details.json": json.dumps(details, indent=2)}, monkeypatch)
    assert _outcomes(report, "AWS-IAM-011") == {"role anyscale-cp": "fail"}


def test_not_a_policy_is_skipped_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _scan(tmp_path, {"package.json": '{"name": "web"}'}, monkeypatch)
    assert not report.errors and not report.results
    assert any("package.json: skipped" in notice for notice in report.notices)


def test_managed_policy_arns_and_policy_attachments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = """
        resource "aws_iam_role" "node" {
          name                = "anyscale-node"
          assume_role_policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Principal = { Service = "ec2.amazonaws.com" }
              Action    = "sts:AssumeRole"
            }]
          })
          managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"]
        }
        resource "aws_iam_policy" "s3" {
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
          })
        }
        resource "aws_iam_policy_attachment" "s3" {
          name       = "s3"
          roles      = [aws_iam_role.node.name]
          policy_arn = aws_iam_policy.s3.arn
        }
    """
    _write(tmp_path, {"main.tf": main})
    model, _ = TerraformSource(tmp_path).evaluate_root(tmp_path)
    role = model.resources["aws_iam_role.node"]
    assert isinstance(role, IamRole)
    kinds = {(a.kind, a.label) for a in role.policies}
    assert ("aws", "AmazonEC2ContainerRegistryReadOnly") in kinds
    assert ("customer", "aws_iam_policy.s3") in kinds
    customer = next(a for a in role.policies if a.kind == "customer")
    assert isinstance(customer.document, PolicyDocument)


def test_sensitive_values_never_appear_in_any_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = """
        variable "external_id" {
          default   = "hunter2-not-org-prefixed"
          sensitive = true
        }
        data "aws_iam_policy_document" "trust" {
          statement {
            actions = ["sts:AssumeRole"]
            principals {
              type        = "AWS"
              identifiers = ["arn:aws:iam::525325868955:root"]
            }
            condition {
              test     = "StringEquals"
              variable = "sts:ExternalId"
              values   = [var.external_id]
            }
          }
        }
        resource "aws_iam_role" "cp" {
          name               = "anyscale-cp"
          assume_role_policy = data.aws_iam_policy_document.trust.json
        }
    """
    report = _scan(tmp_path, {"main.tf": main}, monkeypatch)
    [finding] = [r for r in report.results if r.rule_id == "AWS-IAM-003"]
    assert finding.outcome == "fail" and "(sensitive)" in finding.message
    for name, render in FORMATTERS.items():
        assert "hunter2" not in render(report), name


def test_actions_unknown_to_the_table_are_kept_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectTurbo"], "Resource": "*"}
        ],
    }
    report = _scan(tmp_path, {"node.json": json.dumps(policy)}, monkeypatch)
    [notice] = [n for n in report.notices if "s3:GetObjectTurbo" in n]
    assert (
        notice.startswith("node.json:1")
        and "policy_sentry" in notice
        and "kept as written" in notice
    )
