"""The offline AWS managed policy table: generated from moto's copy, dated, used by rules."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.iam import managed_policies
from anyscale_lint.iam.policy import parse_document
from anyscale_lint.model import PolicyDocument, SourceSpan, Unknown
from tests.conftest import REPO

SPAN = SourceSpan("main.tf", 1, 1)
SCRIPT = REPO / "scripts" / "generate_managed_policies.py"

# The families the issue names, and what Anyscale deployments attach beside them.
EXPECTED = {
    "AdministratorAccess",
    "PowerUserAccess",
    "ReadOnlyAccess",
    "IAMFullAccess",
    "CloudWatchAgentServerPolicy",
    "CloudWatchLogsFullAccess",
    "CloudWatchFullAccess",
    "AmazonSSMManagedInstanceCore",
    "AmazonSSMFullAccess",
    "AmazonEC2RoleforSSM",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEC2ContainerRegistryPowerUser",
    "AmazonEC2ContainerRegistryFullAccess",
    "AmazonS3ReadOnlyAccess",
    "AmazonS3FullAccess",
    "AmazonEFSCSIDriverPolicy",
    "AmazonElasticFileSystemClientReadWriteAccess",
    "AmazonMemoryDBFullAccess",
}


def test_table_loads_and_names_its_source_and_date() -> None:
    table = managed_policies.managed_table()
    assert table.source.startswith("moto ")
    assert dt.date.fromisoformat(table.generated) <= dt.date.today()
    assert set(table.policies) >= EXPECTED
    # Modest: a selection of families, not every AWS managed policy.
    assert len(table.policies) < 150


def test_every_document_in_the_table_parses() -> None:
    for name, policy in managed_policies.managed_table().policies.items():
        assert policy.name == name and policy.arn.endswith("/" + name)
        assert policy.arn.startswith(managed_policies.ARN_PREFIX)
        assert isinstance(parse_document(dict(policy.document), SPAN, name), PolicyDocument)


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy",
        "arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM",
    ],
)
def test_plausible_attachments_resolve(arn: str) -> None:
    attachment = managed_policies.aws_managed_attachment(arn, SPAN)
    assert attachment.kind == "aws" and attachment.arn == arn
    assert attachment.label == arn.rsplit("/", 1)[1]
    assert isinstance(attachment.document, PolicyDocument)


def test_unknown_managed_policy_stays_unknown_and_named() -> None:
    arn = "arn:aws:iam::aws:policy/AmazonMadeUpPolicyForTests"
    attachment = managed_policies.aws_managed_attachment(arn, SPAN)
    assert isinstance(attachment.document, Unknown)
    assert "AmazonMadeUpPolicyForTests" in attachment.document.reason
    assert managed_policies.managed_table().source in attachment.document.reason


def test_known_name_under_the_wrong_path_is_unknown_naming_the_real_arn() -> None:
    arn = "arn:aws:iam::aws:policy/AmazonEFSCSIDriverPolicy"
    attachment = managed_policies.aws_managed_attachment(arn, SPAN)
    assert isinstance(attachment.document, Unknown)
    assert "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy" in (
        attachment.document.reason
    )


def test_managed_document_keeps_returning_plain_documents() -> None:
    document = managed_policies.managed_document("AdministratorAccess")
    assert document is not None and document["Statement"][0]["Action"] == "*"
    assert managed_policies.managed_document("AmazonMadeUpPolicyForTests") is None


ROOT = """
resource "aws_iam_role" "cp" {
  name = "anyscale-control-plane"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::525325868955:root" }
      Condition = { StringEquals = { "sts:ExternalId" = "org_7c1d2e3f4a5b6c7d8e9f0a1b" } }
    }]
  })
}

resource "aws_iam_role" "nodes" {
  name = "anyscale-cluster-node"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
  managed_policy_arns = [%s]
}

resource "aws_iam_instance_profile" "nodes" {
  name = aws_iam_role.nodes.name
  role = aws_iam_role.nodes.name
}
"""


def _node_outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *names: str) -> str:
    arns = ", ".join(f'"arn:aws:iam::aws:policy/{name}"' for name in names)
    (tmp_path / "main.tf").write_text(dedent(ROOT % arns))
    monkeypatch.chdir(tmp_path)
    report = lint(["."], LintOptions(select=["AWS-IAM-011"]))
    outcomes = {r.resource: r.outcome for r in report.results if r.rule_id == "AWS-IAM-011"}
    return outcomes["aws_iam_role.nodes"]


def test_rule_fails_a_role_with_administrator_access(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _node_outcome(tmp_path, monkeypatch, "AdministratorAccess") == "fail"


def test_rule_judges_cloudwatch_agent_and_ssm_policies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = _node_outcome(
        tmp_path, monkeypatch, "CloudWatchAgentServerPolicy", "AmazonSSMManagedInstanceCore"
    )
    assert outcome == "pass"


def test_rule_reports_an_unknown_managed_policy_as_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _node_outcome(tmp_path, monkeypatch, "AmazonMadeUpPolicyForTests") == "unknown"


def test_committed_table_is_what_the_script_generates() -> None:
    if importlib.util.find_spec("moto") is None:
        pytest.skip("moto (the table's source) is not installed")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_script_output_is_deterministic_apart_from_the_date(tmp_path: Path) -> None:
    if importlib.util.find_spec("moto") is None:
        pytest.skip("moto (the table's source) is not installed")
    outputs = []
    for name in ("a.json", "b.json"):
        output = tmp_path / name
        subprocess.run(
            [sys.executable, str(SCRIPT), "--output", str(output)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        outputs.append(output.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    generated = json.loads(outputs[0])
    committed = json.loads(managed_policies.TABLE_PATH.read_text(encoding="utf-8"))
    assert {**generated, "generated": ""} == {**committed, "generated": ""}
