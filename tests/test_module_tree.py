"""The evaluator on real-world module code: tests/fixtures/modules (Anyscale-style modules)
and tests/fixtures/functions (one documented example per Terraform function)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.model import (
    CloudModel,
    IamRole,
    S3Bucket,
    SecurityGroup,
    Subnet,
    Unknown,
    unresolved_parts,
)
from anyscale_lint.sources.terraform import parser
from anyscale_lint.sources.terraform.loader import TerraformOptions, TerraformSource
from anyscale_lint.sources.terraform.module import ModuleInstance
from anyscale_lint.sources.terraform.nodes import Node
from anyscale_lint.sources.terraform.templates import Directive, Interpolation, parts_of_template
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures"
FUNCTIONS_DIR = FIXTURES / "functions"
# Issue 3, part 2: the functions deployment code uses, each evaluated as Terraform documents.
REQUIRED_FUNCTIONS = frozenset(
    {
        "format",
        "join",
        "split",
        "replace",
        "lower",
        "upper",
        "trimspace",
        "trim",
        "trimprefix",
        "trimsuffix",
        "substr",
        "startswith",
        "endswith",
        "regex",
        "regexall",
        "length",
        "concat",
        "merge",
        "lookup",
        "element",
        "index",
        "keys",
        "values",
        "contains",
        "distinct",
        "flatten",
        "compact",
        "coalesce",
        "coalescelist",
        "one",
        "range",
        "slice",
        "zipmap",
        "setunion",
        "toset",
        "tolist",
        "tomap",
        "tostring",
        "tonumber",
        "tobool",
        "jsonencode",
        "jsondecode",
        "yamldecode",
        "base64encode",
        "base64decode",
        "cidrsubnet",
        "cidrsubnets",
        "cidrhost",
        "cidrnetmask",
        "file",
        "templatefile",
        "fileexists",
        "abspath",
        "dirname",
        "basename",
        "try",
        "can",
        "timestamp",
        "uuid",
    }
)


def _root(directory: Path, automatic_var_files: bool = True) -> ModuleInstance:
    options = TerraformOptions(environ={}, automatic_var_files=automatic_var_files)
    source = TerraformSource(FIXTURES, options)
    files = source.load(directory)
    assert files is not None and not files.errors
    return ModuleInstance(files, "", {}, source.load, FIXTURES, {}, {})


def _calls(node: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(node, Node):
        if node.kind == "call":
            names.add(node.value[0])
        if node.kind == "heredoc":
            names |= _template_calls(node.value.split("\n", 1)[1])
        if node.kind == "template":
            for part in node.value:
                if isinstance(part, Interpolation | Directive) and part.tree is not None:
                    names |= _calls(part.tree)
        for child in node.children:
            names |= _calls(child)
    return names


def _template_calls(text: str) -> set[str]:
    names: set[str] = set()
    for part in parts_of_template(text):
        if isinstance(part, Interpolation):
            names |= _calls(part.tree)
    return names


def test_every_function_is_called_somewhere_in_the_fixtures() -> None:
    called: set[str] = set()
    for path in FIXTURES.rglob("*.tf"):
        try:
            called |= _calls(parser.parse(path.read_text(encoding="utf-8")).body)
        except parser.HclSyntaxError:
            continue  # CORE-001's fixtures are broken on purpose
    for path in FIXTURES.rglob("*.tmpl"):
        called |= _template_calls(path.read_text(encoding="utf-8"))
    assert REQUIRED_FUNCTIONS - called == set()


CASES = _root(FUNCTIONS_DIR).local("cases")


@pytest.mark.parametrize("name", sorted(CASES))
def test_function_fixture_matches_its_documented_result(name: str) -> None:
    actual, expected = CASES[name]
    assert actual == expected


def test_apply_time_functions_are_unknown() -> None:
    values = _root(FUNCTIONS_DIR).local("apply_time")
    assert all(isinstance(value, Unknown) for value in values.values())
    assert "apply" in values["timestamp"].reason


MODULES = FIXTURES / "modules"
# The constructs quoted at the top of issue 3, as Anyscale's public modules write them.
QUOTED = [
    'source = "../.."',
    '"./modules/aws-anyscale-iam"',
    "coalescelist(var.anyscale_trusted_role_arns, var.anyscale_default_trusted_role_arns)",
    'try(aws_iam_role.x[0].arn, "arn:aws:iam::${local.account_id}:role/${local.name}")',
    'dynamic "condition"',
    "length(local.role_sts_externalid) != 0 ? [true] : []",
    "local.cloud_id_provided ? [1] : []",
    "templatefile(",
    "source_policy_documents",
    "cidrsubnet(",
    "lookup(",
    "merge(",
    "one(aws_s3_bucket.this[*].id)",
    'join(",", module.vpc.subnet_ids)',
]


def test_module_tree_contains_each_quoted_construct_verbatim() -> None:
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in MODULES.rglob("*") if p.suffix in (".tf", ".tmpl")
    )
    assert [construct for construct in QUOTED if construct not in text] == []
    assert any("for " in line and "cidrsubnet(" in line for line in text.splitlines())


def _modules_model(automatic_var_files: bool) -> CloudModel:
    options = TerraformOptions(
        environ={}, account_id="111122223333", automatic_var_files=automatic_var_files
    )
    source = TerraformSource(REPO, options)
    model, errors = source.evaluate_root(MODULES)
    assert not errors and not source.all_errors()
    return model


def _policy_parts(model: CloudModel) -> dict[str, list[str]]:
    """Unresolved parts of every policy, subnet CIDR and security-group rule, by owner."""
    found: dict[str, list[str]] = {}
    reasons = model.unknown_reasons
    for role in model.of_kind(IamRole):
        found[f"{role.key} trust"] = unresolved_parts(role.trust_policy, reasons)
        for attachment in role.policies:
            found[f"{role.key} {attachment.label}"] = unresolved_parts(attachment.document, reasons)
    for bucket in model.of_kind(S3Bucket):
        found[f"{bucket.key} policy"] = unresolved_parts(bucket.policy, reasons)
    for subnet in model.of_kind(Subnet):
        found[f"{subnet.key} cidr"] = unresolved_parts(subnet.cidr_block, reasons)
    for group in model.of_kind(SecurityGroup):
        found[f"{group.key} rules"] = unresolved_parts(group.rules, reasons)
    return found


def test_with_tfvars_policies_cidrs_and_rules_resolve_completely() -> None:
    model = _modules_model(automatic_var_files=True)
    parts = _policy_parts(model)
    assert len(parts) >= 14  # 2 roles with their policies, the bucket, 6 subnets, the group
    assert {owner: unresolved for owner, unresolved in parts.items() if unresolved} == {}
    zones = [s.availability_zone for s in model.of_kind(Subnet)]
    assert all(
        str(zone).startswith("${module.vpc.data.aws_availability_zones.available.names[")
        for zone in zones
    )
    assert len(set(zones)) == 3  # three indexes, three distinct zones


def _results(paths: list[str]) -> dict[tuple[str, str], str]:
    report = lint(paths, LintOptions())
    assert not report.errors
    return {(r.rule_id, r.resource): r.outcome for r in report.results}


def test_with_tfvars_the_deployment_has_no_finding() -> None:
    results = _results([str(MODULES / "main.tf")])
    findings = {key: outcome for key, outcome in results.items() if outcome in ("fail", "unknown")}
    assert findings == {}
    # The tree has no EFS and no MemoryDB: those rules do not apply; every other one passes.
    not_applicable = {rule for (rule, _), outcome in results.items() if outcome == "not-evaluated"}
    assert not_applicable == {f"AWS-EFS-00{i}" for i in range(1, 6)} | {
        f"AWS-MDB-00{i}" for i in range(1, 5)
    }
    assert sum(1 for outcome in results.values() if outcome == "pass") >= 40
    # The same tree called from its example root (source = "../..") resolves as well.
    example = _results([str(MODULES)])
    assert {
        key: outcome for key, outcome in example.items() if outcome in ("fail", "unknown")
    } == {}
    modelled = [resource for _, resource in example if not resource.startswith("tests/")]
    assert modelled and all(resource.startswith("module.anyscale.") for resource in modelled)


def test_without_tfvars_every_unknown_names_the_variable_that_settles_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "modules"
    shutil.copytree(MODULES, copy, ignore=shutil.ignore_patterns("terraform.tfvars", "examples"))
    monkeypatch.chdir(copy)
    report = lint(["."], LintOptions())
    assert not report.errors
    outcomes = {(r.rule_id, r.resource): r.outcome for r in report.results if r.is_finding}
    control_plane = "module.iam.aws_iam_role.x[0]"
    group = "module.securitygroups.aws_security_group.anyscale_security_group[0]"
    # Rules judged one by one are reported at the rule resource that holds the unknown CIDR.
    cidr_rule = "module.securitygroups.aws_security_group_rule.ingress_from_cidr_blocks"
    by_cloud_id = (
        "AWS-IAM-005",
        "AWS-IAM-009",
        "AWS-IAM-010",
        "AWS-IAM-011",
        "AWS-IAM-012",
        "AWS-IAM-014",
    )
    by_cidr_range = ("AWS-SG-003", "AWS-SG-004", "AWS-SG-005", "AWS-SG-007")
    by_cidr_rule = ("AWS-SG-004", "AWS-SG-005", "AWS-SG-007")
    expected = {
        ("AWS-IAM-003", control_plane): "unknown",
        ("AWS-REG-002", "."): "unknown",
        ("AWS-NET-004", "module.vpc.aws_vpc.this[0]"): "unknown",
        ("AWS-S3-008", "module.s3.aws_s3_bucket.this[0]"): "unknown",
        **{(rule, control_plane): "unknown" for rule in by_cloud_id},
        ("AWS-SG-003", group): "unknown",
        **{(rule, cidr_rule): "unknown" for rule in by_cidr_rule},
        **{("AWS-NET-005", f"module.vpc.aws_subnet.private[{i}]"): "unknown" for i in range(3)},
    }
    assert outcomes == expected
    settling = {
        "AWS-IAM-003": "variable anyscale_org_id has no value",
        "AWS-REG-002": "variable anyscale_org_id has no value",
        "AWS-NET-004": "variable vpc_cidr has no value",
        "AWS-NET-005": "variable vpc_cidr has no value",
        "AWS-S3-008": "variable aws_region has no value",
        **dict.fromkeys(by_cloud_id, "variable anyscale_cloud_id has no value"),
        **dict.fromkeys(
            by_cidr_range,
            "variable security_group_ingress_allow_access_from_cidr_range has no value",
        ),
    }
    for result in report.results:
        if result.outcome == "unknown":
            assert settling[result.rule_id] in result.message, result.message
