"""Parts the register command names by literal value, of a kind the code declares none of (an
existing VPC, roles of another root), are unknown with that reason: never "0 node subnets",
never "names no role" at high severity for a role the code never held."""

from __future__ import annotations

from pathlib import Path

from anyscale_lint.api import lint
from anyscale_lint.engine.findings import Result

GROUP = """
provider "aws" {
  region = "us-west-2"
}

resource "aws_security_group" "anyscale" {
  name   = "anyscale"
  vpc_id = "vpc-0abc1234"
  ingress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
    self      = true
  }
}
"""

COMMAND = """
output "anyscale_register_command" {
  value = <<-EOT
    anyscale cloud register --provider aws --name x --region us-west-2 \\
      --vpc-id vpc-0abc1234 \\
      --subnet-ids subnet-0aaa1111,subnet-0bbb2222 \\
      --security-group-ids ${aws_security_group.anyscale.id} \\
      --s3-bucket-id my-bucket \\
      --anyscale-iam-role-id arn:aws:iam::123456789012:role/cp \\
      --instance-iam-role-id arn:aws:iam::123456789012:role/node
  EOT
}
"""

SUBNET = """
resource "aws_subnet" "nodes" {
  vpc_id            = "vpc-0abc1234"
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-west-2a"
}
"""


def _scan(tmp_path: Path, text: str) -> list[Result]:
    (tmp_path / "main.tf").write_text(text)
    return lint([str(tmp_path)]).results


def _of(results: list[Result], rule: str) -> list[Result]:
    return [r for r in results if r.rule_id == rule]


def test_subnets_of_an_existing_vpc_are_unknown_not_missing(tmp_path: Path) -> None:
    results = _scan(tmp_path, GROUP + COMMAND)
    [subnets] = _of(results, "AWS-NET-001")
    assert subnets.outcome == "unknown"
    assert "subnet-0aaa1111,subnet-0bbb2222" in subnets.message
    assert "declares no aws_subnet" in subnets.message and "anyscale-lint live" in subnets.message


def test_roles_of_another_root_are_unknown_to_the_register_inputs_rule(tmp_path: Path) -> None:
    results = _scan(tmp_path, GROUP + COMMAND)
    roles = [r for r in _of(results, "AWS-REG-004") if "iam-role-id" in r.message]
    assert len(roles) == 2 and {r.outcome for r in roles} == {"unknown"}
    assert all("declares no aws_iam_role" in r.message for r in roles)
    assert not [r for r in results if r.outcome == "fail" and r.rule_id.startswith("AWS-IAM")]


def test_a_kind_the_code_declares_is_judged_from_the_code(tmp_path: Path) -> None:
    # The code declares a subnet: the literal IDs name none of it, which the register-inputs
    # rule reports, and the node-subnet rules judge what the code holds, never "elsewhere".
    results = _scan(tmp_path, GROUP + SUBNET + COMMAND)
    assert not [r for r in results if "declares no aws_subnet" in r.message]
    assert [r for r in _of(results, "AWS-REG-004") if "subnet-0aaa1111" in r.message]
