"""A call to the root module of Anyscale's AWS module repository (issue 15, part 5) is read from
this project's description of it, which calls each submodule by its official source, so each is
read from its own description; every finding is located at the user's call.

The two roots under tests/fixtures/official_modules/root-* are written for these tests in the
way the repository's examples use the root module (a public cloud; a private one with MemoryDB
and an org-prefixed external ID); docs/REQUIREMENTS.md section 7 lists what such a root is
expected to diverge from Anyscale's checks in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import load_config
from anyscale_lint.engine.findings import Result
from anyscale_lint.sources.terraform import official
from anyscale_lint.sources.terraform.loader import TerraformSource
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "official_modules"
REPOSITORY = "github.com/anyscale/terraform-aws-anyscale-cloudfoundation-modules"
REGISTRY = "anyscale/anyscale-cloudfoundation-modules/aws"
ROOT_WRITTEN_FOR = "72dd059b6443d70b4eb0f0a109411339e8487f26"
PREFIX = "module.anyscale_cloud.module."
ACCESS_ROLE = f"{PREFIX}aws_anyscale_iam.aws_iam_role.anyscale_access_role[0]"
GROUP = f"{PREFIX}aws_anyscale_securitygroup_self.aws_security_group.anyscale_security_group"
# What the module's secure defaults must pass, whatever else a root adds.
SECURE_DEFAULTS = {
    "AWS-SG-001",
    "AWS-SG-002",
    "AWS-SG-003",
    "AWS-SG-005",
    "AWS-SG-006",
    "AWS-S3-003",
    "AWS-S3-004",
    "AWS-S3-006",
    "AWS-S3-007",
    "AWS-IAM-003",
    "AWS-IAM-006",
    "AWS-IAM-009",
    "AWS-EFS-001",
    "AWS-EFS-003",
    "AWS-EFS-004",
    "AWS-NET-001",
    "AWS-NET-007",
    "AWS-NET-008",
}


def _report(root: Path) -> tuple[list[Result], list[str]]:
    report = lint([str(root)], LintOptions(config=load_config(None), scope="all"))
    assert not report.errors, report.errors
    return report.results, report.notices


def _failures(results: list[Result]) -> list[tuple[str, str]]:
    return sorted((r.rule_id, r.resource) for r in results if r.outcome == "fail")


def _call_line(root: Path) -> int:
    lines = (root / "main.tf").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith('module "anyscale_cloud"'))


# ---- the description and its submodule calls --------------------------------------------------


@pytest.mark.parametrize(
    ("source", "version", "pinned"),
    [
        (REPOSITORY, None, None),
        (f"git::https://{REPOSITORY}.git?ref=v0.24.0", None, "v0.24.0"),
        (REGISTRY, "0.24.0", "0.24.0"),
    ],
)
def test_the_root_module_is_described(source: str, version: str | None, pinned: str | None) -> None:
    described = official.described(source, version)
    assert described is not None
    assert (described.name, described.written_for, described.pinned) == (
        "aws-anyscale-root",
        ROOT_WRITTEN_FOR,
        pinned,
    )


def test_the_root_calls_each_submodule_by_its_official_source_with_declared_inputs() -> None:
    source = TerraformSource(Path.cwd())
    root = source.load(official.DESCRIPTIONS / "aws-anyscale-root")
    assert root is not None and not root.errors
    reserved = {"source", "version", "count", "for_each", "providers", "depends_on"}
    called = []
    for call in root.body.blocks_of("module"):
        written = call.body.attributes["source"].expr.source().strip('"')
        described = official.described(written, None)
        assert described is not None, call.labels
        submodule = source.load(described.directory)
        assert submodule is not None
        given = set(call.body.attributes) - reserved
        assert official.ignored_inputs(submodule.body, given) == [], call.labels
        called.append(described.name)
    assert sorted(called) == [
        "aws-anyscale-efs",
        "aws-anyscale-iam",
        "aws-anyscale-memorydb",
        "aws-anyscale-s3",
        "aws-anyscale-s3-policy",
        "aws-anyscale-securitygroups",
        "aws-anyscale-vpc",
    ]


# ---- a public cloud, as the anyscale-v2 example builds one ------------------------------------


def test_a_public_root_fails_only_the_documented_steady_state_gap() -> None:
    results, _ = _report(FIXTURES / "root-public")
    # docs/REQUIREMENTS.md section 7, item 1: the steady-state policy lacks
    # ec2:DescribeCapacityReservations, which Anyscale's verify only warns about.
    assert _failures(results) == [("AWS-IAM-005", ACCESS_ROLE)]
    [gap] = [r for r in results if r.rule_id == "AWS-IAM-005"]
    assert gap.severity == "low" and "ec2:DescribeCapacityReservations" in gap.message
    passed = {r.rule_id for r in results if r.outcome == "pass"}
    assert passed >= SECURE_DEFAULTS, SECURE_DEFAULTS - passed
    assert [r for r in results if r.outcome == "unknown"] == []


def test_findings_in_nested_descriptions_are_located_at_the_users_call() -> None:
    root = FIXTURES / "root-public"
    results, _ = _report(root)
    nested = [r for r in results if r.resource.startswith(PREFIX)]
    assert {r.resource.split(".")[3] for r in nested} >= {
        "aws_anyscale_iam",
        "aws_anyscale_s3",
        "aws_anyscale_securitygroup_self",
        "aws_anyscale_efs",
    }
    line = _call_line(root)
    for result in nested:
        assert result.location is not None, result
        assert Path(result.location.path).resolve() == (root / "main.tf").resolve(), result
        assert result.location.start_line == line, result
    assert not any(
        "anyscale_modules" in str(r.location.path) for r in results if r.location is not None
    )


def test_the_call_is_named_once_with_the_version_of_the_root_description() -> None:
    _, notices = _report(FIXTURES / "root-public")
    understood = [n for n in notices if "is understood from" in n]
    assert understood == [
        "tests/fixtures/official_modules/root-public/main.tf:9: module.anyscale_cloud "
        f"({REPOSITORY}) is understood from anyscale-lint's description of aws-anyscale-root "
        f"(written for {ROOT_WRITTEN_FOR})"
    ]


# ---- a private cloud with MemoryDB and an org-prefixed external ID ------------------------------


def test_a_private_root_with_memorydb_fails_only_the_documented_gap() -> None:
    results, notices = _report(FIXTURES / "root-private")
    assert _failures(results) == [("AWS-IAM-005", ACCESS_ROLE)]
    outcomes = {(r.rule_id, r.resource): r.outcome for r in results}
    vpc = f"{PREFIX}aws_anyscale_vpc.aws_subnet.private"
    assert outcomes[("AWS-NET-003", f"{vpc}[0]")] == "pass"
    assert outcomes[("AWS-NET-003", f"{vpc}[1]")] == "pass"
    cluster = f"{PREFIX}aws_anyscale_memorydb.aws_memorydb_cluster.anyscale_memorydb[0]"
    for rule in ("AWS-MDB-001", "AWS-MDB-002", "AWS-MDB-003", "AWS-MDB-004"):
        assert outcomes[(rule, cluster)] == "pass", rule
    # The root prefixes the external ID with the organization ID; the register command gives
    # that value, so registration will not rewrite the trust policy (section 7, item 4).
    assert [r.outcome for r in results if r.rule_id == "AWS-REG-002"] == ["pass"]
    assert any("the call pins ~> 0.24" in n for n in notices), notices


# ---- the root's own decisions --------------------------------------------------------------------


def _variant(tmp_path: Path, fixture: str, old: str, new: str) -> Path:
    text = (FIXTURES / fixture / "main.tf").read_text(encoding="utf-8")
    assert old in text
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "main.tf").write_text(text.replace(old, new), encoding="utf-8")
    return tmp_path


def test_a_cidr_range_of_one_character_opens_no_https(tmp_path: Path) -> None:
    # Section 7, item 2: the root adds 443 only for a range longer than one character.
    root = _variant(tmp_path, "root-public", '= "10.20.0.0/16,192.0.2.0/24"', '= "*"')
    results, _ = _report(root)
    assert ("AWS-SG-003", GROUP) in _failures(results)
    [failure] = [r for r in results if r.rule_id == "AWS-SG-003"]
    assert failure.location is not None and failure.location.start_line == _call_line(root)


def test_without_a_cloud_or_external_id_the_trust_has_no_external_id(tmp_path: Path) -> None:
    root = _variant(
        tmp_path, "root-public", '  anyscale_cloud_id = "cld_4n8yqkq3vx2m1p0s7t5w9z6b"\n', ""
    )
    assert ("AWS-IAM-003", ACCESS_ROLE) in _failures(_report(root)[0])


def test_the_register_external_id_must_carry_the_org_prefix(tmp_path: Path) -> None:
    # The trust policy holds org_...-lint-private; registering with the bare suffix fails.
    old = "--external-id org_7c1Kalm9WcX2bNIjW53GUT-lint-private"
    root = _variant(tmp_path, "root-private", old, "--external-id lint-private")
    assert [r.outcome for r in _report(root)[0] if r.rule_id == "AWS-REG-002"] == ["fail"]


_OVERRIDE = """
  security_group_override_ingress_from_cidr_map = [
    { rule = "ssh-tcp", cidr_blocks = "0.0.0.0/0" },%s
  ]
"""


def test_an_override_map_counts_only_with_two_rules_or_more(tmp_path: Path) -> None:
    # The root takes the override map only when it holds more than one rule.
    anchor = "  create_memorydb_resources = true\n"
    one = _variant(tmp_path / "one", "root-private", anchor, anchor + _OVERRIDE % "")
    assert not any(rule == "AWS-SG-005" for rule, _ in _failures(_report(one)[0]))
    https = '\n    { rule = "https-443-tcp", cidr_blocks = "172.24.0.0/16" },'
    two = _variant(tmp_path / "two", "root-private", anchor, anchor + _OVERRIDE % https)
    assert ("AWS-SG-005", GROUP) in _failures(_report(two)[0])


def test_an_existing_bucket_gets_no_bucket_and_no_bucket_policy(tmp_path: Path) -> None:
    anchor = "  create_memorydb_resources = true\n"
    existing = '  existing_s3_bucket_arn = "arn:aws:s3:::acme-anyscale-existing"\n'
    root = _variant(tmp_path, "root-private", anchor, anchor + existing)
    model, _ = TerraformSource(Path.cwd()).evaluate_root(root, root)
    assert not [key for key in model.resources if ".aws_anyscale_s3." in key]
    assert not [key for key in model.resources if ".aws_anyscale_s3_policy." in key]
    [policy] = [
        key for key in model.resources if key.endswith("aws_iam_policy.anyscale_s3_access[0]")
    ]
    assert "arn:aws:s3:::acme-anyscale-existing" in str(model.resources[policy])


def test_inputs_the_root_description_does_not_cover_are_named(tmp_path: Path) -> None:
    anchor = "  create_memorydb_resources = true\n"
    extra = "  anyscale_s3_force_destroy = true\n"
    root = _variant(tmp_path, "root-private", anchor, anchor + extra)
    [notice] = [n for n in _report(root)[1] if "module.anyscale_cloud (" in n]
    assert "description of aws-anyscale-root" in notice
    assert notice.endswith("the description does not cover its inputs anyscale_s3_force_destroy")
