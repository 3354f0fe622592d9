"""Fingerprints survive moved blocks and reformatting, so baselines and alerts hold."""

from __future__ import annotations

from pathlib import Path

from anyscale_lint.engine.findings import Result
from tests.test_baseline import scan

NETWORK = """
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/20"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.16.0/20"
  availability_zone = "us-east-1b"
}
resource "aws_route_table" "nodes" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.nodes.id
}
resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.nodes.id
}
resource "aws_security_group" "anyscale" {
  name   = "anyscale"
  vpc_id = aws_vpc.main.id
}
resource "aws_iam_role" "control_plane" {
  name = "anyscale-control-plane"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Action = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::525325868955:root" }
    }]
  })
}
resource "aws_iam_role" "node" {
  name = "anyscale-node"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}
output "register" {
  value = join(" ", [
    "anyscale cloud register --provider aws --private-network",
    "--vpc-id ${aws_vpc.main.id} --subnet-ids ${aws_subnet.a.id},${aws_subnet.b.id}",
    "--security-group-ids ${aws_security_group.anyscale.id}",
    "--anyscale-iam-role-id ${aws_iam_role.control_plane.arn}",
    "--instance-iam-role-id ${aws_iam_role.node.arn}",
  ])
}
"""
ROUTES = """
resource "aws_route" "ipv4" {
  route_table_id         = aws_route_table.nodes.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.gw.id
}
"""
IPV6_ROUTE = """
resource "aws_route" "ipv6" {
  route_table_id              = aws_route_table.nodes.id
  destination_ipv6_cidr_block = "::/0"
  gateway_id                  = aws_internet_gateway.gw.id
}
"""
PROFILE = """
resource "aws_iam_instance_profile" "node" {
  name = aws_iam_role.node.name
  role = aws_iam_role.node.name
}
"""


def fingerprints(root: Path, files: dict[str, str]) -> set[tuple[str, str, str]]:
    """The findings of a root holding exactly these files."""
    root.mkdir(exist_ok=True)
    for old in root.glob("*.tf"):
        old.unlink()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return {(r.rule_id, r.resource, r.fingerprint) for r in scan(root).findings()}


def test_moving_a_route_keeps_the_subnet_findings(tmp_path: Path) -> None:
    root = tmp_path / "network"
    together = fingerprints(root, {"main.tf": NETWORK + ROUTES + IPV6_ROUTE + PROFILE})
    assert {(rule, resource) for rule, resource, _ in together} >= {
        ("AWS-NET-002", "aws_subnet.a"),
        ("AWS-NET-002", "aws_subnet.b"),
    }
    apart = {"main.tf": NETWORK + ROUTES + PROFILE, "0_routes.tf": IPV6_ROUTE}
    assert fingerprints(root, apart) == together


def test_moving_an_instance_profile_keeps_the_findings(tmp_path: Path) -> None:
    root = tmp_path / "profile"
    together = fingerprints(root, {"main.tf": NETWORK + PROFILE})
    assert fingerprints(root, {"main.tf": NETWORK, "0_profile.tf": PROFILE}) == together


def test_fingerprint_ignores_layout_and_positions() -> None:
    def fingerprint(evidence: str) -> str:
        return Result("AWS-X-001", "fail", "high", "d", "r", "m", evidence=evidence).fingerprint

    assert fingerprint('[for c in var.x : c if c != ""]') == fingerprint(
        '[ for c in var.x:\n    c if c!="" ]'
    )
    assert fingerprint('["a", "b",]') == fingerprint('["a", "b"]')
    assert fingerprint("Expecting ',' at line 4 column 28") == fingerprint(
        "Expecting ',' at line 9 column 3"
    )
    assert fingerprint("tcp/22 open to 0.0.0.0/0") != fingerprint("tcp/23 open to 0.0.0.0/0")
