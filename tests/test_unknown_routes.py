"""A route table that cannot be resolved makes the route rules unknown, never a failure."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from anyscale_lint.api import LintOptions, lint

MAIN = """
    variable "route_table_ids" { type = list(string) }
    resource "aws_iam_role" "cp" {
      name = "anyscale-cp"
      assume_role_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Action    = "sts:AssumeRole"
          Principal = { AWS = "arn:aws:iam::525325868955:root" }
        }]
      })
    }
    resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
    resource "aws_subnet" "private" {
      count             = 2
      vpc_id            = aws_vpc.main.id
      cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
      availability_zone = ["us-west-2a", "us-west-2b"][count.index]
    }
    resource "aws_route_table_association" "private" {
      count          = 2
      subnet_id      = aws_subnet.private[count.index].id
      route_table_id = element(var.route_table_ids, count.index)
    }
"""


def test_unknown_route_tables_give_unknown_route_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "main.tf").write_text(dedent(MAIN))
    monkeypatch.chdir(tmp_path)
    report = lint(["."], LintOptions(select=["AWS-NET-002", "AWS-NET-003", "AWS-NET-007"]))
    outcomes = {(r.rule_id, r.resource): r.outcome for r in report.results}
    assert set(outcomes.values()) == {"unknown"}, outcomes
    assert len(outcomes) == 5  # two subnets for NET-002 and NET-003, the VPC for NET-007
    assert all("var.route_table_ids" in r.message for r in report.results)


NAT_WITH_UNKNOWN_COUNT = """
    data "aws_availability_zones" "available" { state = "available" }
    resource "aws_route_table" "private" {
      count  = 2
      vpc_id = aws_vpc.main.id
    }
    resource "aws_route_table_association" "private" {
      count          = 2
      subnet_id      = aws_subnet.private[count.index].id
      route_table_id = aws_route_table.private[count.index].id
    }
    resource "aws_nat_gateway" "nat" { subnet_id = "subnet-public" }
    # As in Anyscale's VPC module: one NAT route per zone, so the count is only known at apply.
    resource "aws_route" "nat" {
      count                  = min(length(data.aws_availability_zones.available.names), 2)
      route_table_id         = element(aws_route_table.private[*].id, count.index)
      destination_cidr_block = "0.0.0.0/0"
      nat_gateway_id         = aws_nat_gateway.nat.id
    }
    data "aws_vpc_endpoint_service" "s3" {
      service      = "s3"
      service_type = "Gateway"
    }
    resource "aws_vpc_endpoint" "s3" {
      vpc_id          = aws_vpc.main.id
      service_name    = data.aws_vpc_endpoint_service.s3.service_name
      route_table_ids = aws_route_table.private[*].id
    }
"""


def test_routes_with_unknown_tables_and_endpoint_services_are_not_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = MAIN.replace('variable "route_table_ids" { type = list(string) }', "")
    base = base[: base.index('    resource "aws_route_table_association"')]
    (tmp_path / "main.tf").write_text(dedent(base) + dedent(NAT_WITH_UNKNOWN_COUNT))
    (tmp_path / "provider.tf").write_text('provider "aws" { region = "us-west-2" }\n')
    monkeypatch.chdir(tmp_path)
    report = lint(["."], LintOptions(select=["AWS-NET-003", "AWS-NET-007"]))
    outcomes = {(r.rule_id, r.resource): r.outcome for r in report.results}
    assert outcomes[("AWS-NET-007", "aws_vpc.main")] == "pass"
    net3 = {o for (rule, _), o in outcomes.items() if rule == "AWS-NET-003"}
    assert net3 == {"unknown"}
