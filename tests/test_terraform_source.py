"""The Terraform source: variable precedence, modules, register commands, Unknown reasons."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.model import (
    CloudModel,
    IamRole,
    PolicyDocument,
    S3Bucket,
    SecurityGroup,
    Unknown,
)
from anyscale_lint.sources.terraform.loader import TerraformOptions, TerraformSource


def _model(
    directory: Path,
    files: dict[str, str],
    environ: dict[str, str] | None = None,
    var_files: list[Path] | None = None,
    cli_vars: list[tuple[str, str]] | None = None,
) -> CloudModel:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text))
    options = TerraformOptions(var_files or [], cli_vars or [], environ=environ or {})
    source = TerraformSource(directory, options)
    model, errors = source.evaluate_root(directory)
    assert not errors and not source.all_errors()
    return model


BUCKET = """
    variable "name" { default = "from-default" }
    resource "aws_s3_bucket" "b" { bucket = var.name }
"""


@pytest.mark.parametrize(
    ("files", "environ", "var_files", "cli_vars", "expected"),
    [
        ({}, {}, [], [], "from-default"),
        ({}, {"TF_VAR_name": "from-env"}, [], [], "from-env"),
        (
            {"terraform.tfvars": 'name = "from-tfvars"'},
            {"TF_VAR_name": "env"},
            [],
            [],
            "from-tfvars",
        ),
        (
            {"terraform.tfvars": 'name = "t"', "terraform.tfvars.json": '{"name": "from-json"}'},
            {},
            [],
            [],
            "from-json",
        ),
        (
            {
                "terraform.tfvars.json": '{"name": "j"}',
                "a.auto.tfvars": 'name = "a"',
                "b.auto.tfvars": 'name = "from-b-auto"',
            },
            {},
            [],
            [],
            "from-b-auto",
        ),
        (
            {"b.auto.tfvars": 'name = "b"', "prod.tfvars": 'name = "from-var-file"'},
            {},
            ["prod.tfvars"],
            [],
            "from-var-file",
        ),
        ({"prod.tfvars": 'name = "p"'}, {}, ["prod.tfvars"], [("name", "from-cli")], "from-cli"),
    ],
)
def test_variable_precedence(
    tmp_path: Path,
    files: dict[str, str],
    environ: dict[str, str],
    var_files: list[str],
    cli_vars: list[tuple[str, str]],
    expected: str,
) -> None:
    model = _model(
        tmp_path,
        {"main.tf": BUCKET, **files},
        environ=environ,
        var_files=[tmp_path / name for name in var_files],
        cli_vars=cli_vars,
    )
    bucket = model.resources["aws_s3_bucket.b"]
    assert isinstance(bucket, S3Bucket) and bucket.name == expected


def test_register_command_through_module_outputs_and_heredoc(tmp_path: Path) -> None:
    main = """
        module "net" { source = "./net" }
        output "register" {
          value = <<-EOT
            anyscale cloud register --provider aws --name prod \\
              --subnet-ids ${join(",", module.net.subnet_ids)} --private-network
          EOT
        }
    """
    net = """
        resource "aws_subnet" "private" {
          count      = 2
          vpc_id     = "vpc-1"
          cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index + 10)
        }
        output "subnet_ids" { value = aws_subnet.private[*].id }
    """
    model = _model(tmp_path, {"main.tf": main, "net/main.tf": net})
    [command] = model.register_commands
    assert command.output_name == "register"
    expected = "${module.net.aws_subnet.private[0].id},${module.net.aws_subnet.private[1].id}"
    assert str(command.flags["subnet-ids"]) == expected
    assert "private-network" in command.flags
    subnet = model.resources["module.net.aws_subnet.private[1]"]
    assert getattr(subnet, "cidr_block", None) == "10.0.11.0/24"


def test_unknown_names_the_variable_that_would_settle_it(tmp_path: Path) -> None:
    main = """
        variable "ssh_cidrs" { type = list(string) }
        resource "aws_security_group" "g" {
          ingress {
            from_port   = 22
            to_port     = 22
            protocol    = "tcp"
            cidr_blocks = var.ssh_cidrs
          }
        }
    """
    group = _model(tmp_path, {"main.tf": main}).resources["aws_security_group.g"]
    assert isinstance(group, SecurityGroup)
    [rule] = group.rules
    unknown = rule.cidr_ipv4[0]
    assert isinstance(unknown, Unknown)
    assert unknown.expression == "var.ssh_cidrs" and "TF_VAR_ssh_cidrs" in unknown.reason


def test_dynamic_blocks_and_policy_document_render(tmp_path: Path) -> None:
    main = """
        locals { ids = ["org_abc-1"] }
        data "aws_iam_policy_document" "trust" {
          statement {
            actions = ["sts:AssumeRole"]
            principals {
              type        = "AWS"
              identifiers = ["525325868955"]
            }
            dynamic "condition" {
              for_each = length(local.ids) != 0 ? [true] : []
              content {
                test     = "StringEquals"
                variable = "sts:ExternalId"
                values   = local.ids
              }
            }
          }
        }
        resource "aws_iam_role" "cp" {
          name               = "cp"
          assume_role_policy = data.aws_iam_policy_document.trust.json
        }
    """
    role = _model(tmp_path, {"main.tf": main}).resources["aws_iam_role.cp"]
    assert isinstance(role, IamRole) and isinstance(role.trust_policy, PolicyDocument)
    [statement] = role.trust_policy.statements
    assert statement.action_form == "string"  # the provider renders one-element lists as strings
    assert (
        statement.principals and statement.principals[0].value == "arn:aws:iam::525325868955:root"
    )
    assert not isinstance(statement.conditions, Unknown)
    assert statement.conditions[0].values == ("org_abc-1",)
    # The statement is located at its `statement` block inside the data source.
    assert getattr(statement.origin, "start_line", None) == 4


def test_zone_indexes_stay_distinct_and_caller_identity_comes_from_the_config(
    tmp_path: Path,
) -> None:
    main = """
        data "aws_availability_zones" "available" { state = "available" }
        data "aws_caller_identity" "current" {}
        resource "aws_subnet" "private" {
          count             = 2
          vpc_id            = "vpc-1"
          cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
          availability_zone = data.aws_availability_zones.available.names[count.index]
        }
        resource "aws_s3_bucket" "b" {
          bucket = "logs-${data.aws_caller_identity.current.account_id}"
        }
    """
    without = _model(tmp_path, {"main.tf": main})
    zones = [
        getattr(without.resources[f"aws_subnet.private[{i}]"], "availability_zone", None)
        for i in (0, 1)
    ]
    assert [str(zone) for zone in zones] == [
        "${data.aws_availability_zones.available.names[0]}",
        "${data.aws_availability_zones.available.names[1]}",
    ]
    bucket = without.resources["aws_s3_bucket.b"]
    assert (
        str(getattr(bucket, "name", None)) == "logs-${data.aws_caller_identity.current.account_id}"
    )
    source = TerraformSource(tmp_path, TerraformOptions(environ={}, account_id="111122223333"))
    configured, _ = source.evaluate_root(tmp_path)
    assert getattr(configured.resources["aws_s3_bucket.b"], "name", None) == "logs-111122223333"


def test_module_instances_are_addressed_as_terraform_does(tmp_path: Path) -> None:
    main = """
        module "iam" {
          for_each = toset(["head", "worker"])
          source   = "./iam"
          name     = "anyscale-${each.key}"
        }
        module "net" {
          count  = 2
          source = "./iam"
          name   = "net-${count.index}"
        }
        output "roles" { value = [for key, m in module.iam : m.role_name] }
    """
    iam = """
        variable "name" {}
        resource "aws_iam_role" "this" {
          name               = var.name
          assume_role_policy = "{}"
        }
        output "role_name" { value = aws_iam_role.this.name }
    """
    model = _model(tmp_path, {"main.tf": main, "iam/main.tf": iam})
    roles = {key: getattr(r, "name", None) for key, r in model.resources.items()}
    assert roles == {
        'module.iam["head"].aws_iam_role.this': "anyscale-head",
        'module.iam["worker"].aws_iam_role.this': "anyscale-worker",
        "module.net[0].aws_iam_role.this": "net-0",
        "module.net[1].aws_iam_role.this": "net-1",
    }


def test_cycles_and_huge_ranges_are_bounded_unknowns(tmp_path: Path) -> None:
    main = """
        locals {
          a = local.b
          b = local.a
          huge = range(100000000)
        }
        resource "aws_s3_bucket" "cycle" { bucket = local.a }
        resource "aws_s3_bucket" "huge" { bucket = "x-${length(local.huge)}" }
    """
    model = _model(tmp_path, {"main.tf": main})
    cycle = getattr(model.resources["aws_s3_bucket.cycle"], "name", None)
    assert isinstance(cycle, Unknown) and "cycle" in cycle.reason
    huge = getattr(model.resources["aws_s3_bucket.huge"], "name", None)
    assert str(huge) == "x-${length(range(100000000))}"
    assert "more than 1024 values" in model.unknown_reasons["length(range(100000000))"]


def test_partly_known_arns_still_name_their_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = """
        data "aws_caller_identity" "current" {}
        resource "aws_iam_role" "cp" {
          name = "anyscale-cp"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Action    = "sts:AssumeRole"
              Principal = { AWS = "arn:aws:iam::525325868955:root" }
              Condition = { StringEquals = { "sts:ExternalId" = "org_abc-1" } }
            }]
          })
        }
        resource "aws_s3_bucket" "data" { bucket = "anyscale-data" }
        resource "aws_s3_bucket_policy" "data" {
          bucket = aws_s3_bucket.data.id
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Principal = {
                AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/anyscale-cp"
              }
              Action    = ["s3:PutObject", "s3:GetObject", "s3:ListBucket"]
              Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
            }]
          })
        }
    """
    _model(tmp_path, {"main.tf": main})
    monkeypatch.chdir(tmp_path)
    report = lint(["."], LintOptions(select=["AWS-S3-001"]))
    assert [(r.resource, r.outcome) for r in report.results] == [("aws_iam_role.cp", "pass")]


def test_maps_iterate_in_key_order_and_templates_see_only_their_variables(tmp_path: Path) -> None:
    main = """
        variable "secret" { default = "s3cr3t" }
        locals {
          ordered = [for key, value in { zebra = 1, apple = 2, mango = 3 } : key]
          leaked  = templatefile("${path.module}/t.tmpl", { name = "x" })
          number  = "v${0.0000001}"
        }
        resource "aws_s3_bucket" "b" { bucket = join("-", local.ordered) }
        resource "aws_s3_bucket" "t" { bucket = local.leaked }
        resource "aws_s3_bucket" "n" { bucket = local.number }
    """
    model = _model(tmp_path, {"main.tf": main, "t.tmpl": "${name}-${var.secret}"})
    assert getattr(model.resources["aws_s3_bucket.b"], "name", None) == "apple-mango-zebra"
    leaked = getattr(model.resources["aws_s3_bucket.t"], "name", None)
    assert isinstance(leaked, Unknown) and "not a variable passed to the template" in leaked.reason
    assert getattr(model.resources["aws_s3_bucket.n"], "name", None) == "v0.0000001"


def test_count_zero_gives_an_empty_collection(tmp_path: Path) -> None:
    main = """
        variable "create" { default = false }
        data "aws_iam_policy_document" "optional" {
          count = var.create ? 1 : 0
          statement {
            actions   = ["s3:GetObject"]
            resources = ["*"]
          }
        }
        module "none" {
          count  = 0
          source = "./child"
        }
        locals {
          documents = data.aws_iam_policy_document.optional[*].json
          outputs   = module.none[*].name
        }
        resource "aws_s3_bucket" "b" {
          bucket = "n-${length(local.documents)}-${length(local.outputs)}"
        }
    """
    child = 'output "name" { value = "child" }\n'
    model = _model(tmp_path, {"main.tf": main, "child/main.tf": child})
    assert getattr(model.resources["aws_s3_bucket.b"], "name", None) == "n-0-0"
