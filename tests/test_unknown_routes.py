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
