"""Module calls that are not read (remote sources, nothing downloaded): every output format names
each call, and whatever depends on their outputs is unknown, never a failure.

The fixture is a root written the way Anyscale's administrator guide writes one (the VPC,
security group, S3, IAM, S3 policy and EFS all come from modules by GitHub source, and the
register command output is built from the modules' outputs), but from a repository this tool
does not describe: Anyscale's own modules are understood (tests/test_official_modules.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import load_config
from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.register_values import items
from anyscale_lint.model import Partial
from anyscale_lint.sources.terraform.markers import MARKER, unknown
from tests.conftest import REPO, run_cli

GUIDE = REPO / "tests" / "fixtures" / "unread-modules"
SHOWN = "tests/fixtures/unread-modules"
MODULES = "github.com/example/terraform-aws-cloud-modules//modules/"
CALLS = {
    "module.anyscale_vpc": MODULES + "aws-anyscale-vpc",
    "module.anyscale_security_group": MODULES + "aws-anyscale-securitygroups",
    "module.anyscale_s3": MODULES + "aws-anyscale-s3",
    "module.anyscale_iam": MODULES + "aws-anyscale-iam",
    "module.anyscale_s3_policy": MODULES + "aws-anyscale-s3-policy",
    "module.anyscale_efs": MODULES + "aws-anyscale-efs",
}
NAMED = [f"{address} ({source}) was not read" for address, source in CALLS.items()]
# The results that depend on nothing the modules hold: the register command names no MemoryDB
# cluster and no external ID, so those rules have nothing to judge.
INDEPENDENT = ("AWS-MDB-", "AWS-REG-002")


def _names_every_call(notices: list[str]) -> None:
    for named in NAMED:
        assert sum(named in notice for notice in notices) == 1, (named, notices)


def _results(paths: list[str], **options: Any) -> list[Result]:
    return lint(paths, LintOptions(**options)).results


# ---- the notice, in every format ---------------------------------------------------------------


def test_text_names_the_six_calls_and_exits_0() -> None:
    run = run_cli("scan", SHOWN)
    assert run.returncode == 0, run.stdout + run.stderr
    notes = [line for line in run.stdout.splitlines() if line.startswith("note: ")]
    _names_every_call(notes)
    assert f"note: {SHOWN}/main.tf:14: module.anyscale_vpc" in run.stdout
    assert "0 node subnet" not in run.stdout


def test_json_names_the_six_calls_and_reports_no_failure() -> None:
    run = run_cli("scan", SHOWN, "-f", "json")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    _names_every_call(report["notices"])
    assert report["errors"] == []
    assert [r for r in report["results"] if r["outcome"] == "fail"] == []


def test_markdown_names_the_six_calls() -> None:
    run = run_cli("scan", SHOWN, "-f", "markdown")
    assert run.returncode == 0, run.stdout + run.stderr
    notices = run.stdout.split("### Notices", 1)[1].replace("\\", "")  # Markdown escapes
    _names_every_call([line for line in notices.splitlines() if line.startswith("- ")])


def test_sarif_names_the_six_calls() -> None:
    run = run_cli("scan", SHOWN, "-f", "sarif")
    assert run.returncode == 0, run.stdout + run.stderr
    [sarif_run] = json.loads(run.stdout)["runs"]
    [invocation] = sarif_run["invocations"]
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    _names_every_call(texts)
    assert sarif_run["results"] == [] or all(
        r["kind"] != "fail" for r in sarif_run["results"] if "kind" in r
    )


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_ready_names_the_six_calls_and_predicts_no_blocking_outcome(fmt: str) -> None:
    run = run_cli("ready", SHOWN, "-f", fmt)
    assert run.returncode == 0, run.stdout + run.stderr
    if fmt == "json":
        report = json.loads(run.stdout)
        _names_every_call(report["notices"])
        [deployment] = report["deployments"]
        assert deployment["verdict"] != "NOT READY"
        assert "delete" not in deployment["anyscale_verdict"]
        assert "abort" not in deployment["anyscale_verdict"]
    else:
        marker = "note: " if fmt == "text" else "- "
        section = run.stdout if fmt == "text" else run.stdout.split("## Notices", 1)[1]
        _names_every_call([line for line in section.splitlines() if line.startswith(marker)])
        assert "NOT READY" not in run.stdout
        assert "delete the new cloud" not in run.stdout


# ---- what depends on the modules is unknown ----------------------------------------------------


def test_every_result_that_depends_on_the_modules_is_unknown() -> None:
    results = _results([str(GUIDE)])
    assert results
    for result in results:
        if result.rule_id.startswith(INDEPENDENT):
            assert result.outcome == "not-evaluated", result
            continue
        assert result.outcome == "unknown", result
        assert any(address in result.message for address in CALLS), result


def test_no_zero_subnet_failure() -> None:
    [result] = _results([str(GUIDE)], select=["AWS-NET-001"])
    assert result.outcome == "unknown"
    assert "0 node subnet" not in result.message
    assert f"module.anyscale_vpc ({CALLS['module.anyscale_vpc']}) was not read" in result.message


def test_the_subnet_flag_is_one_unknown_value() -> None:
    results = _results([str(GUIDE)], select=["AWS-REG-004"])
    subnets = [r for r in results if r.register_input == "subnets"]
    assert len(subnets) == 1, subnets
    [result] = subnets
    assert result.outcome == "unknown"
    assert 'join(",", module.anyscale_vpc.private_subnet_ids)' in result.message
    assert "module.anyscale_vpc (" in result.message


def test_ready_checklist_has_unknown_inputs_not_missing_ones() -> None:
    run = run_cli("ready", SHOWN, "-f", "json")
    [deployment] = json.loads(run.stdout)["deployments"]
    statuses = {item["flag"]: item["status"] for item in deployment["checklist"]}
    for flag in (
        "vpc-id",
        "subnet-ids",
        "security-group-ids",
        "cloud-storage-bucket-name",
        "anyscale-iam-role-id",
        "instance-iam-role-id",
        "file-storage-id",
    ):
        assert statuses[flag] == "unknown", (flag, statuses)


# ---- a command given to `ready` ----------------------------------------------------------------

GIVEN = (
    "anyscale cloud register --provider aws --name anyscale-ec2 --region us-west-2 "
    "--vpc-id vpc-0123456789abcdef0 "
    "--subnet-ids subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb "
    "--security-group-ids sg-0cccccccccccccccc "
    "--cloud-storage-bucket-name anyscale-ec2-data "
    "--anyscale-iam-role-id arn:aws:iam::123456789012:role/anyscale-ec2-control-plane "
    "--instance-iam-role-id arn:aws:iam::123456789012:role/anyscale-ec2-nodes "
    "--private-network"
)


def test_a_given_command_is_unknown_where_the_code_holds_its_values_in_unread_modules() -> None:
    results = _results([str(GUIDE)], register_command=GIVEN, select=["AWS-REG-004"])
    given = [r for r in results if "--register-command" in r.message]
    assert given and all(r.outcome == "unknown" for r in given), given
    bucket = next(r for r in given if "anyscale-ec2-data" in r.message)
    assert "module.anyscale_s3 (" in bucket.message
    role = next(r for r in given if "anyscale-ec2-control-plane" in r.message)
    assert "module.anyscale_iam (" in role.message


def test_ready_with_a_given_command_predicts_no_deletion() -> None:
    run = run_cli("ready", SHOWN, "--register-command", GIVEN)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "delete the new cloud" not in run.stdout


# ---- register values ---------------------------------------------------------------------------


def test_a_literal_comma_list_is_still_split() -> None:
    assert items("subnet-a, subnet-b,subnet-c") == ["subnet-a", "subnet-b", "subnet-c"]


def _from_terraform(text: str) -> str:
    """A value as the Terraform source hands it to the model: its markers typed."""
    pieces = MARKER.split(text)
    parts = [p if n % 2 == 0 else unknown(p, "module not read") for n, p in enumerate(pieces)]
    return Partial(parts, text) if len(pieces) > 1 else text


def test_an_unresolved_expression_is_one_item_whatever_commas_it_holds() -> None:
    joined = '${join(",", module.vpc.private_subnet_ids)}'
    assert items(_from_terraform(joined)) == [_from_terraform(joined)]
    listed = items(_from_terraform(f"subnet-a,{joined}"))
    assert listed == ["subnet-a", _from_terraform(joined)]
    nested = '${join(",", [for s in module.vpc.ids : "${s}"])}'
    assert items(_from_terraform(nested)) == [_from_terraform(nested)]


# ---- other roots -------------------------------------------------------------------------------

_PARTLY = """
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

resource "aws_subnet" "a" {
  vpc_id            = module.vpc.vpc_id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-west-2a"
}

output "register" {
  value = <<-EOT
    anyscale cloud register --provider aws --name c --region us-west-2 \\
    --vpc-id ${module.vpc.vpc_id} \\
    --subnet-ids ${aws_subnet.a.id},${module.vpc.private_subnets[1]} \\
    --security-group-ids ${module.vpc.default_security_group_id} \\
    --s3-bucket-id ${module.vpc.bucket} \\
    --anyscale-iam-role-id ${module.vpc.role} \\
    --instance-iam-role-id ${module.vpc.node_role}
  EOT
}
"""


def test_a_subnet_list_partly_from_an_unread_module_is_unknown_not_one_subnet(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(_PARTLY, encoding="utf-8")
    results = _results([str(tmp_path)], select=["AWS-NET-001", "AWS-REG-001"])
    assert {r.rule_id: r.outcome for r in results} == {
        "AWS-NET-001": "unknown",
        "AWS-REG-001": "unknown",
    }, results
    net = next(r for r in results if r.rule_id == "AWS-NET-001")
    assert "module.vpc (terraform-aws-modules/vpc/aws) was not read" in net.message


def test_a_module_directory_that_does_not_exist_is_named_too(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'module "network" {\n  source = "./network"\n}\n', encoding="utf-8"
    )
    report = lint([str(tmp_path)], LintOptions())
    assert any("module.network (./network) was not read" in notice for notice in report.notices), (
        report.notices
    )


_INFERRED = """
module "vpc" {
  source = "git::https://example.com/network.git//vpc?ref=v1"
}

resource "aws_iam_role" "anyscale" {
  name = "anyscale-control-plane"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::525325868955:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
"""


def test_parts_missing_from_a_root_with_unread_modules_are_unknown(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(_INFERRED, encoding="utf-8")
    results = _results(
        [str(tmp_path)], select=["AWS-NET-001", "AWS-NET-004", "AWS-SG-001", "AWS-REG-001"]
    )
    assert results and all(r.outcome == "unknown" for r in results), results
    assert all("may be declared in a module that was not read" in r.message for r in results)


_MIXED = """
module "iam" {
  source = "github.com/example/anyscale-iam"
}

module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}

resource "aws_s3_bucket" "anyscale" {
  bucket = "anyscale-data-example"
}

resource "aws_security_group" "anyscale" {
  name   = "anyscale-sg"
  vpc_id = module.vpc.vpc_id
}

resource "aws_efs_file_system" "anyscale" {
  encrypted = true
}

resource "aws_efs_mount_target" "a" {
  file_system_id  = aws_efs_file_system.anyscale.id
  subnet_id       = "subnet-0123456789abcdef0"
  security_groups = [aws_security_group.anyscale.id]
}

resource "aws_memorydb_subnet_group" "anyscale" {
  name       = "anyscale-memorydb"
  subnet_ids = ["subnet-0123456789abcdef0"]
}

resource "aws_memorydb_cluster" "anyscale" {
  name                   = "anyscale-gcs"
  node_type              = "db.t4g.small"
  acl_name               = "open-access"
  num_replicas_per_shard = 1
  subnet_group_name      = aws_memorydb_subnet_group.anyscale.name
  security_group_ids     = [aws_security_group.anyscale.id]
}

output "anyscale_register_command" {
  value = <<-EOT
    anyscale cloud register --provider aws --name c --region us-west-2 \\
    --vpc-id ${module.vpc.vpc_id} \\
    --subnet-ids ${join(",", module.vpc.private_subnets)} \\
    --security-group-ids ${aws_security_group.anyscale.id} \\
    --cloud-storage-bucket-name ${aws_s3_bucket.anyscale.id} \\
    --anyscale-iam-role-id ${module.iam.control_plane_role_arn} \\
    --instance-iam-role-id ${module.iam.node_role_arn} \\
    --file-storage-id ${aws_efs_file_system.anyscale.id} \\
    --memorydb-cluster-id ${aws_memorydb_cluster.anyscale.name}
  EOT
}
"""


def test_rules_over_parts_in_unread_modules_neither_pass_nor_fail_vacuously(
    tmp_path: Path,
) -> None:
    # The node subnets and both roles are in unread modules: a mount target "in every node
    # subnet" of none is no pass, a subnet group "outside the node subnets" no failure, and
    # the roles' access to the bucket is unknown rather than never mentioned.
    (tmp_path / "main.tf").write_text(_MIXED, encoding="utf-8")
    rules = ["AWS-EFS-001", "AWS-EFS-002", "AWS-MDB-004", "AWS-S3-001", "AWS-IAM-009"]
    results = _results([str(tmp_path)], select=rules)
    assert {r.rule_id for r in results} == set(rules), results
    assert all(r.outcome == "unknown" for r in results), results
    assert all("was not read" in r.message for r in results), results


_GIVEN_TO_MODULE = """
resource "aws_s3_bucket" "anyscale" {
  bucket = "anyscale-data-example"
}

resource "aws_iam_role" "control" {
  name = "anyscale-control-plane"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::525325868955:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "nodes" {
  name = "anyscale-nodes"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
"""

_POLICY_MODULE = """
module "s3_policy" {
  source                         = "github.com/example/anyscale-s3-policy"
  anyscale_bucket_name           = aws_s3_bucket.anyscale.id
  anyscale_controlplane_role_arn = aws_iam_role.control.arn
  anyscale_dataplane_role_arn    = aws_iam_role.nodes.arn
}
"""


@pytest.mark.parametrize("with_module", [False, True])
def test_what_an_unread_module_is_given_may_be_completed_there(
    tmp_path: Path, with_module: bool
) -> None:
    # The bucket policy (TLS only, the roles' grants), the public access block and the roles'
    # policies may all be declared by the module the bucket and roles are given to.
    text = _GIVEN_TO_MODULE + (_POLICY_MODULE if with_module else "")
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    rules = ["AWS-S3-001", "AWS-S3-006", "AWS-S3-007", "AWS-IAM-005", "AWS-IAM-008"]
    results = _results([str(tmp_path)], select=rules)
    outcomes = {r.outcome for r in results}
    if not with_module:
        assert outcomes == {"fail"}, results
        return
    assert outcomes == {"unknown"}, results
    assert all(
        "module.s3_policy (github.com/example/anyscale-s3-policy)" in r.message for r in results
    )


def test_a_copy_without_terraform_inits_index_is_not_read(tmp_path: Path) -> None:
    # Copies are read through .terraform/modules/modules.json (tests/test_downloaded_modules.py).
    (tmp_path / "main.tf").write_text(
        'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n', encoding="utf-8"
    )
    (tmp_path / ".terraform" / "modules" / "vpc").mkdir(parents=True)
    [notice] = lint([str(tmp_path)], LintOptions()).notices
    assert "module.vpc (terraform-aws-modules/vpc/aws) was not read" in notice
    assert "no .terraform/modules/modules.json" in notice


def test_a_trust_principal_from_an_unread_module_is_unknown_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
module "accounts" {
  source = "github.com/example/accounts"
}

resource "aws_iam_role" "control_plane" {
  name = "anyscale-control-plane"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = "arn:aws:iam::525325868955:root" }
        Condition = { StringEquals = { "sts:ExternalId" = "org_abc-123" } }
      },
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = module.accounts.auditor_arn }
      },
    ]
  })
}
""",
        encoding="utf-8",
    )
    report = lint([str(tmp_path)], LintOptions(config=load_config(None)))
    trust = [r for r in report.results if r.rule_id == "AWS-IAM-002"]
    assert [r.outcome for r in trust] == ["unknown"], trust
    assert "module.accounts" in trust[0].message
