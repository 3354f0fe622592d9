"""Registry and git module calls read from the copies `terraform init` keeps under
.terraform/modules (issue 15, part 4); nothing is downloaded."""

from __future__ import annotations

import json
from pathlib import Path

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import load_config
from anyscale_lint.sources.terraform.downloaded import call_key

ROOT = """
module "network" {
  source  = "registry.terraform.io/example/network/aws"
  version = "1.0.0"
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = module.network.group_id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}
"""
COPY = """
resource "aws_security_group" "nodes" {
  name = "nodes"
  ingress {
    protocol    = "tcp"
    from_port   = 0
    to_port     = 65535
    cidr_blocks = ["0.0.0.0/0"]
  }
}
output "group_id" { value = aws_security_group.nodes.id }
"""


def _root(tmp_path: Path, directory: str = ".terraform/modules/network") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "main.tf").write_text(ROOT, encoding="utf-8")
    copy = tmp_path / ".terraform" / "modules" / "network"
    copy.mkdir(parents=True)
    (copy / "main.tf").write_text(COPY, encoding="utf-8")
    index = {
        "Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {
                "Key": "network",
                "Source": "registry.terraform.io/example/network/aws",
                "Version": "1.0.0",
                "Dir": directory,
            },
        ]
    }
    (tmp_path / ".terraform" / "modules" / "modules.json").write_text(
        json.dumps(index), encoding="utf-8"
    )
    return tmp_path


def _scan(root: Path) -> list[tuple[str, str, str]]:
    report = lint([str(root)], LintOptions(config=load_config(None), scope="all"))
    return [(r.rule_id, r.outcome, r.resource) for r in report.results if r.outcome != "pass"]


def test_a_downloaded_copy_is_read_and_judged(tmp_path: Path) -> None:
    outcomes = _scan(_root(tmp_path))
    assert ("AWS-SG-006", "fail", "module.network.aws_security_group.nodes") in outcomes, outcomes


def test_without_the_index_the_call_is_not_read(tmp_path: Path) -> None:
    root = _root(tmp_path)
    (root / ".terraform" / "modules" / "modules.json").unlink()
    report = lint([str(root)], LintOptions(config=load_config(None), scope="all"))
    assert not [r for r in report.results if "module.network.aws" in r.resource]
    assert any("module.network" in n and "not read" in n for n in report.notices)


def test_an_index_pointing_outside_the_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "main.tf").write_text(COPY, encoding="utf-8")
    root = _root(tmp_path / "root", directory="../elsewhere")
    report = lint([str(root)], LintOptions(config=load_config(None), scope="all"))
    assert not [r for r in report.results if "module.network.aws" in r.resource]
    assert any("outside the root" in n for n in report.notices), report.notices


def test_call_keys_follow_terraform() -> None:
    assert call_key("module.vpc") == "vpc"
    assert call_key('module.vpc.module.subnets["a"]') == "vpc.subnets"
    assert call_key("module.vpc[0].module.subnets[1]") == "vpc.subnets"
