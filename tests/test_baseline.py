"""The baseline through real scans: recorded findings stay baselined when code moves."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.engine.baseline import (
    Baseline,
    BaselineError,
    apply_baseline,
    fixed_entries,
    load_baseline,
    update_baseline,
    write_baseline,
)
from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.report import EXIT_FINDINGS, EXIT_OK, Report

# One deployment, written as named blocks so that tests can move and rewrite each one.
# SSH and RDP open to the internet come from two rule resources, each its own finding;
# the role has two admin policies; two unknowns show expression text and a JSON position.
BLOCKS = {
    "variables": """
variable "admin_cidrs" {
  type = list(string)
}
""",
    "vpc": """
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}
""",
    "subnet_a": """
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/20"
  availability_zone = "us-east-1a"
}
""",
    "subnet_b": """
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.16.0/20"
  availability_zone = "us-east-1b"
}
""",
    "group": """
resource "aws_security_group" "anyscale" {
  name   = "anyscale-cluster"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
    self      = true
  }
}
""",
    "admin_group": """
resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [for cidr in var.admin_cidrs : cidr if cidr != ""]
  }
}
""",
    "rule_rdp": """
resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  security_group_id = aws_security_group.anyscale.id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
""",
    "rule_ssh": """
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.anyscale.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
""",
    "bucket": """
# anyscale-lint:ignore AWS-S3-007 reason="TLS enforced by an SCP"
resource "aws_s3_bucket" "anyscale" {
  bucket = "acme-anyscale"
}
""",
    "control_plane": """
resource "aws_iam_role" "control_plane" {
  name = "anyscale-control-plane"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::525325868955:root" }
      Condition = { StringEquals = { "sts:ExternalId" = "org_acme-cloud" } }
    }]
  })
}
""",
    "policy_iam": """
resource "aws_iam_role_policy" "iam_admin" {
  name = "iam-admin"
  role = aws_iam_role.control_plane.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }]
  })
}
""",
    "policy_debug": """
resource "aws_iam_role_policy" "debug_admin" {
  name = "debug-admin"
  role = aws_iam_role.control_plane.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
""",
    "legacy_role": """
resource "aws_iam_role" "legacy" {
  name               = "legacy-ops"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow" "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}}
      ]
    }
  EOT
}
""",
    "output": """
output "register" {
  value = <<-EOT
    anyscale cloud register --provider aws --name acme --region us-east-1 \\
      --vpc-id ${aws_vpc.main.id} \\
      --subnet-ids ${aws_subnet.a.id},${aws_subnet.b.id} \\
      --security-group-ids ${aws_security_group.anyscale.id} \\
      --s3-bucket-id ${aws_s3_bucket.anyscale.id} \\
      --anyscale-iam-role-id ${aws_iam_role.control_plane.arn} \\
      --external-id org_acme-cloud
  EOT
}
""",
}

IAM_BLOCKS = ("control_plane", "policy_iam", "policy_debug", "legacy_role")

# The same resources reformatted: reindented, attributes reordered, expressions respaced,
# the invalid policy reindented (which moves its JSON error to another column).
REFORMATTED = {
    "admin_group": """
resource "aws_security_group" "admin" {
    vpc_id = aws_vpc.main.id
    name = "admin"
    ingress {
        protocol = "tcp"
        cidr_blocks = [
            for cidr in var.admin_cidrs:
            cidr
            if cidr != ""
        ]
        to_port = 22
        from_port = 22
    }
}
""",
    "rule_ssh": """
resource "aws_security_group_rule" "ssh" {
    cidr_blocks = [
        "0.0.0.0/0",
    ]
    protocol = "tcp"
    to_port = 22
    from_port = 22
    security_group_id = aws_security_group.anyscale.id
    type = "ingress"
}
""",
    "policy_debug": """
resource "aws_iam_role_policy" "debug_admin" {
  role   = aws_iam_role.control_plane.id
  policy = jsonencode({
    Statement = [
      {
        Resource = "*"
        Action   = "*"
        Effect   = "Allow"
      },
    ]
    Version = "2012-10-17"
  })
  name = "debug-admin"
}
""",
    "legacy_role": """
resource "aws_iam_role" "legacy" {
  assume_role_policy = <<-EOT
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow" "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}}
            ]
        }
  EOT
  name = "legacy-ops"
}
""",
}

OPTIONS = LintOptions(scope="all", today=dt.date(2025, 6, 30))


def write_root(root: Path, blocks: dict[str, str], moved: tuple[str, ...] = ()) -> None:
    """Write the blocks: IAM ones to iam.tf, `moved` ones to 0_moved.tf, the rest to main.tf."""
    for old in root.glob("*.tf"):
        old.unlink()
    files: dict[str, list[str]] = {}
    for name, text in blocks.items():
        file = "0_moved.tf" if name in moved else "iam.tf" if name in IAM_BLOCKS else "main.tf"
        files.setdefault(file, []).append(text)
    for file, texts in files.items():
        (root / file).write_text("".join(texts), encoding="utf-8")


def scan(root: Path) -> Report:
    report = lint([str(root)], OPTIONS)
    assert not report.errors, report.errors
    return report


def active(report: Report) -> list[Result]:
    return [r for r in report.results if r.active]


def summary(results: list[Result]) -> list[tuple[str, str]]:
    return sorted((r.rule_id, r.resource) for r in results)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    directory = tmp_path / "infra"
    directory.mkdir()
    write_root(directory, BLOCKS)
    return directory


@pytest.fixture
def baseline(root: Path, tmp_path: Path) -> Baseline:
    write_baseline(scan(root), tmp_path / "baseline.json")
    return load_baseline(tmp_path / "baseline.json")


def assert_fully_baselined(report: Report, baseline: Baseline) -> None:
    applied = apply_baseline(report, baseline)
    assert summary(active(applied)) == []
    assert applied.exit_code() == EXIT_OK
    assert len([r for r in applied.results if r.baselined]) == len(baseline.entries)
    assert fixed_entries(applied, baseline) == []


def test_root_has_the_findings_the_tests_rely_on(root: Path) -> None:
    report = scan(root)
    findings = {(r.rule_id, r.resource): r for r in report.findings()}
    # Each rule resource is its own finding, naming the group.
    for rule_resource in ("aws_security_group_rule.rdp", "aws_security_group_rule.ssh"):
        sg004 = findings["AWS-SG-004", rule_resource]
        assert sg004.message.count("open to 0.0.0.0/0") == 1
        assert "aws_security_group.anyscale" in sg004.message
    assert "AWS-S3-006" in {rule for rule, _ in findings}
    # One result per offending statement (issue 12, item 7): iam:* and * in two policies.
    admin = [
        r
        for r in report.findings()
        if (r.rule_id, r.resource) == ("AWS-IAM-011", "aws_iam_role.control_plane")
    ]
    assert sorted(r.value or "" for r in admin) == [
        "* on * in statement 1 of aws_iam_role_policy.debug_admin (debug-admin)",
        "iam:* on * in statement 1 of aws_iam_role_policy.iam_admin (iam-admin)",
    ]
    assert findings["AWS-SG-005", "aws_security_group.admin"].outcome == "unknown"
    legacy = findings["AWS-IAM-002", "aws_iam_role.legacy"]
    assert legacy.outcome == "unknown"
    assert "column" in legacy.message
    assert findings["AWS-S3-007", "aws_s3_bucket.anyscale"].suppression is not None


def test_written_baseline_records_unsuppressed_findings_sorted(root: Path, tmp_path: Path) -> None:
    report = scan(root)
    path = tmp_path / "baseline.json"
    write_baseline(report, path, today=dt.date(2025, 6, 30))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["version"], document["tool"], document["generated"]) == (
        1,
        "anyscale-lint",
        "2025-06-30",
    )
    findings = document["findings"]
    assert {f["fingerprint"] for f in findings} == {r.fingerprint for r in active(report)}
    assert "AWS-S3-007" not in {f["rule"] for f in findings}
    keys = [(f["rule"], f["deployment"], f["resource"]) for f in findings]
    assert keys == sorted(keys)
    assert set(findings[0]) == {"fingerprint", "rule", "deployment", "resource", "message"}
    assert len(load_baseline(path).entries) == len(findings)


def test_baseline_silences_recorded_findings(root: Path, baseline: Baseline) -> None:
    report = scan(root)
    assert report.exit_code() == EXIT_FINDINGS
    assert len(baseline.entries) == len(active(report)) > 10
    assert_fully_baselined(report, baseline)
    applied = apply_baseline(report, baseline)
    assert applied.gating() == []
    suppressed = [r for r in applied.results if r.suppression is not None]
    assert suppressed
    assert not any(r.baselined for r in suppressed)


def test_inserted_lines_and_reformatting_keep_findings_baselined(
    root: Path, baseline: Baseline
) -> None:
    blocks = {
        name: "\n# moved down by a comment\n\n\n" + REFORMATTED.get(name, text)
        for name, text in BLOCKS.items()
    }
    write_root(root, blocks)
    assert_fully_baselined(scan(root), baseline)


def test_moving_resources_to_another_file_keeps_findings_baselined(
    root: Path, baseline: Baseline
) -> None:
    write_root(root, BLOCKS, moved=("rule_ssh", "policy_debug", "bucket", "legacy_role"))
    assert (root / "0_moved.tf").is_file()
    assert_fully_baselined(scan(root), baseline)


def test_a_new_problem_is_the_only_active_finding(root: Path, baseline: Baseline) -> None:
    blocks = dict(BLOCKS, subnet_b=BLOCKS["subnet_b"].replace("us-east-1b", "us-east-1a"))
    write_root(root, blocks)
    applied = apply_baseline(scan(root), baseline)
    assert summary(active(applied)) == [("AWS-NET-001", "aws_vpc.main")]
    assert applied.exit_code() == EXIT_FINDINGS
    assert fixed_entries(applied, baseline) == []


def test_update_drops_fixed_entries_and_adds_nothing(
    root: Path, baseline: Baseline, tmp_path: Path
) -> None:
    block = """
resource "aws_s3_bucket_public_access_block" "anyscale" {
  bucket                  = aws_s3_bucket.anyscale.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"""
    new_problem = BLOCKS["subnet_b"].replace("us-east-1b", "us-east-1a")
    write_root(root, dict(BLOCKS, subnet_b=new_problem, public_access_block=block))
    report = scan(root)
    [fixed] = fixed_entries(report, baseline)
    assert (fixed.rule, fixed.resource) == ("AWS-S3-006", "aws_s3_bucket.anyscale")

    path = tmp_path / "baseline.json"
    updated = update_baseline(report, baseline, path)
    reloaded = load_baseline(path)
    assert set(reloaded.entries) == set(updated.entries) == set(baseline.entries) - {fixed}
    assert "AWS-NET-001" not in {e.rule for e in reloaded.entries}
    assert reloaded.generated == baseline.generated
    applied = apply_baseline(report, reloaded)
    assert summary(active(applied)) == [("AWS-NET-001", "aws_vpc.main")]


def test_entries_of_rules_or_roots_not_scanned_are_not_fixed(
    root: Path, baseline: Baseline, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "main.tf").write_text('resource "aws_s3_bucket" "b" { bucket = "b" }\n')
    assert fixed_entries(lint([str(other)], OPTIONS), baseline) == []
    selected = lint([str(root)], LintOptions(scope="all", select=["AWS-SG"]))
    assert fixed_entries(selected, baseline) == []


# Node subnets whose route table sends IPv4 and IPv6 default routes to an Internet gateway,
# through two `aws_route` resources (AWS-NET-002 fails each subnet), and an instance role
# whose profile is named after it (AWS-IAM-007 passes).
def test_unwritable_path_is_a_clear_error(root: Path, tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match=r"baseline\.json: cannot write"):
        write_baseline(scan(root), tmp_path / "missing" / "baseline.json")
