"""Deployment identification: inferred parts, utility subnets, networking-mode precedence."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import load_config
from anyscale_lint.model import Deployment

NETWORK = """
    data "aws_iam_policy_document" "trust" {
      statement {
        actions = ["sts:AssumeRole"]
        principals {
          type        = "AWS"
          identifiers = ["525325868955"]
        }
      }
    }
    resource "aws_iam_role" "anyscale" {
      name               = "anyscale-cp"
      assume_role_policy = data.aws_iam_policy_document.trust.json
    }
    resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
    resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.main.id }
    resource "aws_subnet" "public" {
      count                   = 2
      vpc_id                  = aws_vpc.main.id
      cidr_block              = cidrsubnet("10.0.0.0/16", 8, count.index)
      availability_zone       = ["us-west-2a", "us-west-2b"][count.index]
      map_public_ip_on_launch = true
    }
    resource "aws_subnet" "private" {
      count             = 2
      vpc_id            = aws_vpc.main.id
      cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index + 10)
      availability_zone = ["us-west-2a", "us-west-2b"][count.index]
    }
    resource "aws_route_table" "public" {
      vpc_id = aws_vpc.main.id
      route {
        cidr_block = "0.0.0.0/0"
        gateway_id = aws_internet_gateway.igw.id
      }
    }
    resource "aws_route_table_association" "public" {
      count          = 2
      subnet_id      = aws_subnet.public[count.index].id
      route_table_id = aws_route_table.public.id
    }
    # One NAT gateway: the other public subnet shares its route table, so it is a utility
    # subnet too.
    resource "aws_nat_gateway" "nat" { subnet_id = aws_subnet.public[0].id }
"""


def _deployment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], **options: object
) -> Deployment:
    for name, text in files.items():
        (tmp_path / name).write_text(dedent(text))
    monkeypatch.chdir(tmp_path)
    report = lint(["."], LintOptions(config=load_config(None), **options))  # type: ignore[arg-type]
    [deployment] = report.deployments
    return deployment


def test_node_subnets_exclude_public_utility_subnets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployment = _deployment(tmp_path, monkeypatch, {"main.tf": NETWORK})
    assert deployment.control_plane_role is not None
    assert deployment.control_plane_role.address == "aws_iam_role.anyscale"
    assert [s.address for s in deployment.subnets] == [
        "aws_subnet.private[0]",
        "aws_subnet.private[1]",
    ]
    assert any("public utility subnets" in i.method for i in deployment.identifications)


REGISTER = """
    output "register" {
      value = <<-EOT
        anyscale cloud register --provider aws --name x \
          --subnet-ids ${aws_subnet.public[0].id},${aws_subnet.public[1].id}
      EOT
    }
"""


def test_register_command_names_the_subnets_and_decides_public_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployment = _deployment(tmp_path, monkeypatch, {"main.tf": NETWORK, "outputs.tf": REGISTER})
    assert [s.address for s in deployment.subnets] == [
        "aws_subnet.public[0]",
        "aws_subnet.public[1]",
    ]
    assert deployment.network_mode == "public"
    assert "lacks --private-network" in deployment.network_mode_source


def test_network_mode_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "main.tf": NETWORK,
        "outputs.tf": REGISTER,
        ".anyscale-lint.yaml": "network_mode: private\n",
    }
    from_config = _deployment(tmp_path, monkeypatch, files)
    assert from_config.network_mode == "private" and "config" in from_config.network_mode_source
    from_flag = _deployment(tmp_path, monkeypatch, {}, network_mode="public")
    assert from_flag.network_mode == "public" and from_flag.network_mode_source == "--network-mode"
    (tmp_path / ".anyscale-lint.yaml").unlink()
    (tmp_path / "outputs.tf").unlink()
    default = _deployment(tmp_path, monkeypatch, {})
    assert default.network_mode == "private" and default.network_mode_source == "default (private)"


def test_pyproject_section_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.anyscale-lint]\nnetwork_mode = "public"\n')
    deployment = _deployment(tmp_path, monkeypatch, {"main.tf": NETWORK})
    assert (
        deployment.network_mode == "public" and "pyproject.toml" in deployment.network_mode_source
    )


def test_a_root_without_anyscale_resources_is_not_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployment = _deployment(
        tmp_path,
        monkeypatch,
        {"main.tf": 'resource "aws_vpc" "x" { cidr_block = "10.0.0.0/16" }\n'},
    )
    assert not deployment.identified and deployment.vpc is None


TWO_TRUSTING_ROLES = """
    resource "aws_iam_role" "%s" {
      name = "%s"
      assume_role_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Action    = "sts:AssumeRole"
          Principal = { AWS = "arn:aws:iam::111122223333:root" }
          Condition = { StringEquals = { "sts:ExternalId" = "org_abc" } }
        }]
      })
    }
"""


# Roles that trust Anyscale's account are each a deployment (tests/test_evidence_identification.py);
# roles that only look like one (cross-account with an external ID, named for anyscale) are
# candidates for one deployment, and a tie among them is reported.
def test_two_equally_fitting_candidates_are_reported_not_picked_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "a.tf": TWO_TRUSTING_ROLES % ("alpha", "anyscale-alpha"),
        "b.tf": TWO_TRUSTING_ROLES % ("beta", "anyscale-beta"),
    }
    deployment = _deployment(tmp_path, monkeypatch, files)
    [note] = [i for i in deployment.identifications if i.part == "control-plane role"]
    assert note.considered == ("aws_iam_role.beta",)
    assert "ambiguous" in note.method and "aws_iam_role.beta" in note.method


def test_evidence_breaks_a_tie_without_calling_it_ambiguous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "a.tf": TWO_TRUSTING_ROLES % ("alpha", "cp-alpha"),
        "b.tf": TWO_TRUSTING_ROLES % ("beta", "anyscale-cp"),
    }
    deployment = _deployment(tmp_path, monkeypatch, files)
    assert deployment.control_plane_role is not None
    assert deployment.control_plane_role.address == "aws_iam_role.beta"
    [note] = [i for i in deployment.identifications if i.part == "control-plane role"]
    assert note.considered == () and "ambiguous" not in note.method


def test_identification_records_what_the_report_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployment = _deployment(tmp_path, monkeypatch, {"main.tf": NETWORK})
    assert {s.address for s in deployment.utility_subnets} == {
        "aws_subnet.public[0]",
        "aws_subnet.public[1]",
    }
    role = deployment.control_plane_role
    assert role is not None and deployment.trust[role.key].accounts == ("525325868955",)
