"""Calls to Anyscale's official Terraform modules are understood without downloading them
(issue 15, part 5): each resolves to this project's description of the module, findings are
located at the call, and a notice names the module version the description was written for.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import load_config
from anyscale_lint.engine.findings import Result
from anyscale_lint.sources.terraform import official
from tests.conftest import REPO, run_cli

FIXTURES = REPO / "tests" / "fixtures" / "official_modules"
GUIDE = REPO / "tests" / "fixtures" / "guide-modules"
REPOSITORY = "github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules"
WRITTEN_FOR = "9880f839099b428243a75324ad518b098f553263"
# The described steady-state policy lacks ec2:DescribeCapacityReservations, as Anyscale's module
# does (docs/REQUIREMENTS.md section 7, item 1): the one failure a reader expects from them.
DOCUMENTED_DIVERGENCE = "AWS-IAM-005"


def _report(root: Path, scope: str = "all") -> tuple[list[Result], list[str]]:
    report = lint([str(root)], LintOptions(config=load_config(None), scope=scope))
    assert not report.errors, report.errors
    return report.results, report.notices


def _failures(results: list[Result]) -> list[Result]:
    return [r for r in results if r.outcome == "fail"]


# ---- the acceptance: SSH from the internet, and the secure defaults ---------------------------


def test_ssh_opened_by_ingress_from_cidr_map_is_found_at_the_module_call() -> None:
    results, _ = _report(FIXTURES / "ssh-open")
    group = "module.security_group.aws_security_group.anyscale_security_group"
    ssh = [r for r in _failures(results) if r.rule_id == "AWS-SG-005"]
    assert [r.resource for r in ssh] == [group], results
    [finding] = ssh
    assert finding.location is not None
    assert str(finding.location).endswith("official_modules/ssh-open/main.tf:15"), finding.location
    assert "22" in finding.message and "0.0.0.0/0" in finding.message
    # Ingress other than 443 from CIDRs fails too; nothing else but the documented divergence.
    assert {r.rule_id for r in _failures(results)} == {
        "AWS-SG-005",
        "AWS-SG-004",
        DOCUMENTED_DIVERGENCE,
    }, _failures(results)


def test_the_documented_secure_defaults_yield_no_failure_and_nothing_unknown() -> None:
    results, notices = _report(FIXTURES / "secure")
    assert [r.rule_id for r in _failures(results)] == [DOCUMENTED_DIVERGENCE], _failures(results)
    assert [r for r in results if r.outcome == "unknown"] == []
    assert {r.rule_id for r in results if r.outcome == "pass"} >= {
        "AWS-SG-001",
        "AWS-SG-002",
        "AWS-SG-005",
        "AWS-S3-003",
        "AWS-IAM-003",
        "AWS-EFS-004",
        "AWS-MDB-001",
        "AWS-NET-001",
    }
    assert not any("was not read" in notice for notice in notices), notices


def test_each_call_is_named_in_a_notice_with_the_described_version() -> None:
    _, notices = _report(FIXTURES / "secure")
    understood = [n for n in notices if "is understood from anyscale-lint's description" in n]
    names = [
        "aws-anyscale-vpc",
        "aws-anyscale-securitygroups",
        "aws-anyscale-s3",
        "aws-anyscale-iam",
        "aws-anyscale-s3-policy",
        "aws-anyscale-efs",
        "aws-anyscale-memorydb",
    ]
    for name in names:
        [notice] = [n for n in understood if f"description of {name} " in n]
        assert f"(written for {WRITTEN_FOR})" in notice
        assert "official_modules/secure/main.tf:" in notice
    # The VPC call pins the very commit the description was written for: no warning about it.
    assert not any("pins" in n for n in understood), understood


def test_a_git_source_with_a_ref_is_understood() -> None:
    described = official.described(
        f"git::https://{REPOSITORY}.git//modules/aws-anyscale-securitygroups?ref=v0.24.0", None
    )
    assert described is not None
    assert described.name == "aws-anyscale-securitygroups"
    assert described.pinned == "v0.24.0"


@pytest.mark.parametrize(
    "source",
    [
        "github.com/example/terraform-aws-anyscale-cloudfoundation-modules//modules/aws-anyscale-s3",
        f"{REPOSITORY}//modules/aws-anyscale-cloudwatch",
        f"{REPOSITORY}//modules/aws-anyscale-s3/../aws-anyscale-iam",
        "./modules/aws-anyscale-s3",
    ],
)
def test_other_sources_are_not_described(source: str) -> None:
    assert official.described(source, None) is None


# ---- the guide's root --------------------------------------------------------------------------


def test_the_guide_root_is_understood_with_the_findings_a_reader_expects() -> None:
    # The guide opens 443 from the customer's ranges and no SSH, keeps the module defaults for
    # S3, EFS and IAM, and passes no external ID or cloud ID to the IAM module.
    results, notices = _report(GUIDE, scope="deployment")
    assert not any("was not read" in notice for notice in notices), notices
    assert len([n for n in notices if "is understood from" in n]) == 6, notices
    failures = {(r.rule_id, r.resource) for r in _failures(results)}
    role = "module.anyscale_iam.aws_iam_role.anyscale_access_role[0]"
    assert failures == {("AWS-IAM-003", role), (DOCUMENTED_DIVERGENCE, role)}, failures
    assert [r for r in results if r.outcome == "unknown"] == []
    passed = {r.rule_id for r in results if r.outcome == "pass"}
    # No SSH from the internet, 443 open for the console, intra-cluster traffic, two private
    # subnets in two zones behind NAT, the bucket's CORS and policy, encrypted and backed-up EFS.
    assert {"AWS-SG-001", "AWS-SG-002", "AWS-SG-005", "AWS-NET-001", "AWS-S3-003"} <= passed
    assert {"AWS-EFS-004", "AWS-IAM-009"} <= passed


def test_the_guide_root_json_output_has_no_ssh_finding() -> None:
    run = run_cli("scan", "tests/fixtures/guide-modules", "-f", "json")
    report = json.loads(run.stdout)
    assert report["errors"] == []
    assert not [
        r for r in report["results"] if r["rule_id"] == "AWS-SG-005" and r["outcome"] == "fail"
    ]


# ---- versions, downloaded copies, undescribed modules ------------------------------------------

_PINNED = f"""
module "sg" {{
  source = "{REPOSITORY}//modules/aws-anyscale-securitygroups?ref=v0.20.0"
  vpc_id = "vpc-0123456789abcdef0"
}}
"""


def test_a_call_pinning_another_ref_says_so(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(_PINNED, encoding="utf-8")
    _, notices = _report(tmp_path)
    [notice] = [n for n in notices if "module.sg (" in n]
    assert "description of aws-anyscale-securitygroups" in notice
    assert f"written for {WRITTEN_FOR}" in notice
    assert "the call pins v0.20.0" in notice


_COPY = """
resource "aws_security_group" "copy" {
  name   = "from-the-downloaded-copy"
  vpc_id = var.vpc_id
  ingress {
    protocol    = "tcp"
    from_port   = 3389
    to_port     = 3389
    cidr_blocks = ["0.0.0.0/0"]
  }
}
variable "vpc_id" {}
"""


def test_a_downloaded_copy_wins_over_the_description(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(_PINNED, encoding="utf-8")
    copy = tmp_path / ".terraform" / "modules" / "sg"
    copy.mkdir(parents=True)
    (copy / "main.tf").write_text(_COPY, encoding="utf-8")
    index = {"Modules": [{"Key": "", "Source": "", "Dir": "."}, {"Key": "sg", "Dir": str(copy)}]}
    (tmp_path / ".terraform" / "modules" / "modules.json").write_text(
        json.dumps(index), encoding="utf-8"
    )
    results, notices = _report(tmp_path)
    resources = {r.resource for r in results}
    assert "module.sg.aws_security_group.copy" in resources, resources
    assert not any("anyscale_security_group" in resource for resource in resources)
    assert not any("is understood from" in n for n in notices), notices


def test_an_undescribed_official_submodule_is_not_read(tmp_path: Path) -> None:
    source = f"{REPOSITORY}//modules/aws-anyscale-cloudwatch"
    (tmp_path / "main.tf").write_text(
        f'module "logs" {{\n  source = "{source}"\n}}\n', encoding="utf-8"
    )
    _, notices = _report(tmp_path)
    assert any(f"module.logs ({source}) was not read" in n for n in notices), notices
    assert not any("is understood from" in n for n in notices), notices


def test_the_descriptions_stay_inside_the_package_and_read_no_files() -> None:
    index = json.loads(official.INDEX.read_text(encoding="utf-8"))
    for repository in index["repositories"].values():
        for entry in repository["modules"].values():
            name = entry if isinstance(entry, str) else entry["description"]
            files = sorted((official.DESCRIPTIONS / name).glob("*.tf"))
            assert files, name
            for path in files:
                text = path.read_text(encoding="utf-8")
                assert "file(" not in text and "templatefile(" not in text, path


def test_a_scan_from_another_directory_finds_the_descriptions(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "ssh-open", root)
    run = run_cli("scan", str(root), "-f", "json", cwd=tmp_path)
    report = json.loads(run.stdout)
    assert report["errors"] == []
    assert any(r["rule_id"] == "AWS-SG-005" and r["outcome"] == "fail" for r in report["results"])


def test_the_registry_address_of_a_submodule_and_of_the_root_are_understood() -> None:
    registry = "anyscale/anyscale-cloudfoundation-modules/aws"
    described = official.described(f"{registry}//modules/aws-anyscale-s3", "0.24.0")
    assert described is not None
    assert described.name == "aws-anyscale-s3"
    assert described.pinned == "0.24.0"
    # The root module (no //modules/... path) has its own description (tests/test_official_root.py).
    for root in (official.described(registry, "0.24.0"), official.described(REPOSITORY, None)):
        assert root is not None and root.name == "aws-anyscale-root"


def test_inputs_the_description_does_not_cover_are_named(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        _PINNED.replace("vpc_id", 'existing_security_group_id = "sg-0123"\n  vpc_id'),
        encoding="utf-8",
    )
    _, notices = _report(tmp_path)
    [notice] = [n for n in notices if "module.sg (" in n]
    assert "the description does not cover its inputs existing_security_group_id" in notice
