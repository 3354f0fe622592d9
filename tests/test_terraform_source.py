"""The Terraform source: variable precedence, modules, register commands, Unknown reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from anyscale_lint.model import S3Bucket, SecurityGroup
from anyscale_lint.sources.terraform.loader import TerraformOptions, TerraformSource


def _model(directory: Path, files: dict[str, str], **options: object) -> object:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    source = TerraformSource(directory, TerraformOptions(**options))  # type: ignore[arg-type]
    model, errors = source.evaluate_root(directory)
    assert not errors and not source.all_errors()
    return model


BUCKET = 'variable "name" { default = "from-default" }\nresource "aws_s3_bucket" "b" { bucket = var.name }\n'


@pytest.mark.parametrize(
    ("files", "environ", "var_files", "cli_vars", "expected"),
    [
        ({}, {}, [], [], "from-default"),
        ({}, {"TF_VAR_name": "from-env"}, [], [], "from-env"),
        (
            {"terraform.tfvars": 'name = "from-tfvars"\n'},
            {"TF_VAR_name": "from-env"},
            [],
            [],
            "from-tfvars",
        ),
        (
            {"terraform.tfvars": 'name = "t"\n', "terraform.tfvars.json": '{"name": "from-json"}'},
            {},
            [],
            [],
            "from-json",
        ),
        (
            {
                "terraform.tfvars.json": '{"name": "j"}',
                "a.auto.tfvars": 'name = "a"\n',
                "b.auto.tfvars": 'name = "from-b-auto"\n',
            },
            {},
            [],
            [],
            "from-b-auto",
        ),
        (
            {"b.auto.tfvars": 'name = "b"\n', "prod.tfvars": 'name = "from-var-file"\n'},
            {},
            ["prod.tfvars"],
            [],
            "from-var-file",
        ),
        ({"prod.tfvars": 'name = "p"\n'}, {}, ["prod.tfvars"], [("name", "from-cli")], "from-cli"),
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
        var_files=[tmp_path / f for f in var_files],
        cli_vars=cli_vars,
    )
    bucket = model.resources["aws_s3_bucket.b"]  # type: ignore[attr-defined]
    assert isinstance(bucket, S3Bucket) and bucket.name == expected


def test_register_command_through_module_outputs_and_heredoc(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "main.tf": (
                'module "net" { source = "./net" }\n'
                'output "register" {\n  value = <<-EOT\n    anyscale cloud register --provider aws --name prod \\\n'
                '      --subnet-ids ${join(",", module.net.subnet_ids)} --private-network\n  EOT\n}\n'
            ),
            "net/main.tf": (
                'resource "aws_subnet" "private" {\n  count = 2\n  vpc_id = "vpc-1"\n'
                '  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index + 10)\n}\n'
                'output "subnet_ids" { value = aws_subnet.private[*].id }\n'
            ),
        },
    )
    [command] = model.register_commands  # type: ignore[attr-defined]
    assert command.output_name == "register"
    assert (
        command.flags["subnet-ids"]
        == "${module.net.aws_subnet.private[0].id},${module.net.aws_subnet.private[1].id}"
    )
    assert "private-network" in command.flags
    subnet = model.resources["module.net.aws_subnet.private[1]"]  # type: ignore[attr-defined]
    assert subnet.cidr_block == "10.0.11.0/24"


def test_unknown_names_the_variable_that_would_settle_it(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "main.tf": (
                'variable "ssh_cidrs" { type = list(string) }\n'
                'resource "aws_security_group" "g" {\n  ingress {\n    from_port = 22\n    to_port = 22\n'
                '    protocol = "tcp"\n    cidr_blocks = var.ssh_cidrs\n  }\n}\n'
            )
        },
    )
    group = model.resources["aws_security_group.g"]  # type: ignore[attr-defined]
    assert isinstance(group, SecurityGroup)
    [rule] = group.rules
    unknown = rule.cidr_ipv4[0]
    assert "var.ssh_cidrs" in str(unknown) and "TF_VAR_ssh_cidrs" in unknown.reason  # type: ignore[union-attr]


def test_dynamic_blocks_and_policy_document_render(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "main.tf": (
                'locals { ids = ["org_abc-1"] }\n'
                'data "aws_iam_policy_document" "trust" {\n  statement {\n    actions = ["sts:AssumeRole"]\n'
                '    principals {\n      type = "AWS"\n      identifiers = ["525325868955"]\n    }\n'
                '    dynamic "condition" {\n      for_each = length(local.ids) != 0 ? [true] : []\n'
                '      content {\n        test = "StringEquals"\n        variable = "sts:ExternalId"\n        values = local.ids\n      }\n    }\n  }\n}\n'
                'resource "aws_iam_role" "cp" {\n  name = "cp"\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n'
            )
        },
    )
    role = model.resources["aws_iam_role.cp"]  # type: ignore[attr-defined]
    [statement] = role.trust_policy.statements
    assert statement.action_form == "string"  # the provider renders one-element lists as strings
    assert statement.principals[0].value == "arn:aws:iam::525325868955:root"
    assert statement.conditions[0].values == ("org_abc-1",)
