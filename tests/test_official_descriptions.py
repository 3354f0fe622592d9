"""The descriptions of Anyscale's official submodules follow the modules' code where a rule's
outcome depends on it (NAT gateway routes, EFS mount targets, MemoryDB's switch and TLS input,
the trust policy's external ID), and a scan never takes the descriptions for the user's roots.
"""

from __future__ import annotations

import json
from pathlib import Path

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import load_config
from anyscale_lint.engine.findings import Result
from anyscale_lint.model import SecurityGroup
from anyscale_lint.sources.terraform import official
from anyscale_lint.sources.terraform.loader import TerraformSource
from tests.conftest import REPO, run_cli

MODULES = "github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules//modules/"

_VPC = f"""
provider "aws" {{
  region = "us-west-2"
}}

module "vpc" {{
  source          = "{MODULES}aws-anyscale-vpc"
  cidr_block      = "172.24.0.0/16"
  public_subnets  = ["172.24.101.0/24", "172.24.102.0/24"]
  private_subnets = ["172.24.20.0/24", "172.24.21.0/24"]
  %VPC%
}}

module "sg" {{
  source = "{MODULES}aws-anyscale-securitygroups"
  vpc_id = module.vpc.vpc_id
}}
"""

_REGISTER = """
output "anyscale_register_command" {
  value = <<-EOT
    anyscale cloud register --provider aws --name x --region us-west-2 \\
    --vpc-id ${module.vpc.vpc_id} \\
    --subnet-ids ${join(",", module.vpc.private_subnet_ids)} \\
    --security-group-ids ${module.sg.security_group_id} \\
    %FLAGS%
    --private-network
  EOT
}
"""


def _root(tmp_path: Path, vpc: str = "", calls: str = "", flags: str = "") -> Path:
    text = _VPC.replace("%VPC%", vpc) + calls + _REGISTER.replace("%FLAGS%", flags)
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    return tmp_path


def _results(root: Path) -> list[Result]:
    report = lint([str(root)], LintOptions(config=load_config(None), scope="all"))
    assert not report.errors, report.errors
    return report.results


def _outcomes(results: list[Result], rule: str) -> dict[str, str]:
    return {r.resource: r.outcome for r in results if r.rule_id == rule}


def _line_of(root: Path, text: str) -> int:
    lines = (root / "main.tf").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


# ---- aws-anyscale-vpc: one default route per NAT gateway ----------------------------------------


def test_every_private_subnet_routes_to_a_nat_gateway_by_default(tmp_path: Path) -> None:
    outcomes = _outcomes(_results(_root(tmp_path)), "AWS-NET-003")
    assert outcomes == {
        "module.vpc.aws_subnet.private[0]": "pass",
        "module.vpc.aws_subnet.private[1]": "pass",
    }


def test_one_nat_gateway_leaves_the_second_private_subnet_without_egress(tmp_path: Path) -> None:
    # The module adds one route per NAT gateway, the i-th on the i-th private route table: with
    # max_nat_gateway_count = 1 the second private route table has no default route.
    root = _root(tmp_path, vpc="max_nat_gateway_count = 1")
    [failure] = [r for r in _results(root) if r.rule_id == "AWS-NET-003" and r.outcome == "fail"]
    assert failure.resource == "module.vpc.aws_subnet.private[1]"
    assert failure.location is not None
    assert failure.location.path.endswith("main.tf")
    assert failure.location.start_line == _line_of(root, 'module "vpc"')


# ---- aws-anyscale-efs: mount_targets_subnet_count, not the subnets, counts mount targets -------

_EFS = f"""
module "efs" {{
  source                        = "{MODULES}aws-anyscale-efs"
  mount_targets_subnets         = module.vpc.private_subnet_ids
  associated_security_group_ids = [module.sg.security_group_id]
  %EFS%
}}
"""
_EFS_FLAG = "--efs-id ${module.efs.efs_id} \\"


def test_efs_subnets_without_their_count_get_no_mount_target(tmp_path: Path) -> None:
    root = _root(tmp_path, calls=_EFS.replace("%EFS%", ""), flags=_EFS_FLAG)
    results = _results(root)
    [failure] = [r for r in results if r.rule_id == "AWS-EFS-001" and r.outcome == "fail"]
    assert failure.resource == "module.efs.aws_efs_file_system.anyscale_efs[0]"
    assert failure.location is not None
    assert failure.location.start_line == _line_of(root, 'module "efs"')
    assert not any(r.resource.startswith("module.efs.aws_efs_mount_target") for r in results)


def test_efs_subnets_with_their_count_get_a_mount_target_each(tmp_path: Path) -> None:
    calls = _EFS.replace("%EFS%", "mount_targets_subnet_count = 2")
    outcomes = _outcomes(_results(_root(tmp_path, calls=calls, flags=_EFS_FLAG)), "AWS-EFS-001")
    assert outcomes == {"module.efs.aws_efs_file_system.anyscale_efs[0]": "pass"}


# ---- aws-anyscale-memorydb: off unless module_enabled; TLS from memorydb_tls_enabled -------------

_MEMORYDB = f"""
module "memorydb" {{
  source                      = "{MODULES}aws-anyscale-memorydb"
  memorydb_subnet_ids         = module.vpc.private_subnet_ids
  memorydb_security_group_ids = [module.sg.security_group_id]
  memorydb_tls_enabled        = false
  %MEMORYDB%
}}
"""
_MEMORYDB_FLAG = "--memorydb-cluster-id ${module.memorydb.memorydb_cluster_id} \\"


def test_memorydb_with_tls_off_fails_at_the_call(tmp_path: Path) -> None:
    calls = _MEMORYDB.replace("%MEMORYDB%", "module_enabled = true")
    root = _root(tmp_path, calls=calls, flags=_MEMORYDB_FLAG)
    [failure] = [r for r in _results(root) if r.rule_id == "AWS-MDB-001" and r.outcome == "fail"]
    assert failure.resource == "module.memorydb.aws_memorydb_cluster.anyscale_memorydb[0]"
    assert failure.location is not None
    assert failure.location.start_line == _line_of(root, 'module "memorydb"')


def test_memorydb_is_off_unless_the_call_enables_it(tmp_path: Path) -> None:
    # module_enabled defaults to false: no cluster, whatever its other inputs say.
    root = _root(tmp_path, calls=_MEMORYDB.replace("%MEMORYDB%", ""))
    results = _results(root)
    assert not any(r.resource.startswith("module.memorydb.") for r in results), results
    assert [r.outcome for r in results if r.rule_id == "AWS-MDB-001"] == ["not-evaluated"]


# ---- aws-anyscale-iam: the external ID is anyscale_trusted_role_sts_externalid alone -----------

_IAM = f"""
module "iam" {{
  source = "{MODULES}aws-anyscale-iam"
  %IAM%
}}
"""
_ROLE = "module.iam.aws_iam_role.anyscale_access_role[0]"


def test_a_cloud_id_alone_adds_no_external_id_to_the_trust_policy(tmp_path: Path) -> None:
    calls = _IAM.replace("%IAM%", 'anyscale_cloud_id = "cld_abcdefghijklmnop1234567890"')
    root = _root(tmp_path, calls=calls)
    [result] = [r for r in _results(root) if r.rule_id == "AWS-IAM-003"]
    assert (result.resource, result.outcome) == (_ROLE, "fail")
    assert result.location is not None
    assert result.location.start_line == _line_of(root, 'module "iam"')


def test_the_sts_external_id_values_are_the_trust_condition(tmp_path: Path) -> None:
    calls = _IAM.replace(
        "%IAM%",
        'anyscale_cloud_id = "cld_abcdefghijklmnop1234567890"\n'
        '  anyscale_trusted_role_sts_externalid = ["org_7c1Kalm9WcX2bNIjW53GUT-lint"]',
    )
    [result] = [r for r in _results(_root(tmp_path, calls=calls)) if r.rule_id == "AWS-IAM-003"]
    assert (result.resource, result.outcome) == (_ROLE, "pass")


# ---- aws-anyscale-securitygroups: rules from existing groups name them as security_group_id -----


def test_https_from_an_existing_group_counts_as_the_ui_port(tmp_path: Path) -> None:
    root = _root(tmp_path)
    text = (root / "main.tf").read_text(encoding="utf-8")
    (root / "main.tf").write_text(
        text.replace(
            "  vpc_id = module.vpc.vpc_id\n",
            "  vpc_id = module.vpc.vpc_id\n"
            "  ingress_with_existing_security_groups_map = [\n"
            '    { rule = "https-443-tcp", security_group_id = "sg-0123456789abcdef0" },\n'
            "  ]\n",
        ),
        encoding="utf-8",
    )
    outcomes = _outcomes(_results(root), "AWS-SG-003")
    assert outcomes == {"module.sg.aws_security_group.anyscale_security_group": "pass"}
    model, _ = TerraformSource(Path.cwd()).evaluate_root(root, root)
    [group] = model.of_kind(SecurityGroup)
    [https] = [r for r in group.rules if r.direction == "ingress" and r.from_port == 443]
    assert https.source_groups == ("sg-0123456789abcdef0",), https


# ---- the descriptions are package data, never roots -------------------------------------------


def test_scanning_this_checkout_finds_no_description_as_a_root() -> None:
    # What `anyscale-lint scan .` walks at the repository's root.
    found = TerraformSource(REPO).module_dirs(REPO)
    assert (REPO / "tests" / "fixtures" / "official_modules" / "secure").resolve() in found
    assert not [d for d in found if official.is_description(d)]


def test_walking_the_package_finds_no_description_as_a_root() -> None:
    source = TerraformSource(Path.cwd())
    assert source.module_dirs(REPO / "anyscale_lint") == []
    found = source.module_dirs(REPO / "tests" / "fixtures" / "official_modules")
    assert {d.name for d in found} == {"secure", "ssh-open", "root-public", "root-private"}


def test_a_link_to_the_descriptions_is_not_walked_either(tmp_path: Path) -> None:
    # Skipped by the directory's identity, not its name: a link under another name is too.
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "v" {}\n', encoding="utf-8")
    (tmp_path / "vendored").symlink_to(official.DESCRIPTIONS)
    source = TerraformSource(Path.cwd())
    assert source.module_dirs(tmp_path, Path("/")) == [tmp_path.resolve()]


def test_a_description_named_on_the_command_line_is_no_root() -> None:
    source = TerraformSource(Path.cwd())
    directory = (official.DESCRIPTIONS / "aws-anyscale-vpc").resolve()
    assert source.roots([directory]) == []
    run = run_cli("scan", str(official.DESCRIPTIONS), "-f", "json")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["results"] == []
    assert any("package data" in notice for notice in report["notices"]), report["notices"]
