"""`--scope all`: hygiene rules (recorded as `hygiene: true` in each rule's YAML) judge every
resource of their kind, whatever spelling declares a security-group rule and wherever its
group is declared."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.registry import load_metadata
from anyscale_lint.engine.report import Report
from anyscale_lint.model import SourceSpan

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hygiene_scope"

# Rules whose condition makes sense outside Anyscale: exposure to the internet, public
# buckets, wildcard trust and admin, storage without encryption or TLS, and the input rules.
HYGIENE = {
    "AWS-EFS-003",
    "AWS-IAM-002",
    "AWS-IAM-011",
    "AWS-MDB-001",
    "AWS-S3-002",
    "AWS-S3-007",
    "AWS-SG-005",
    "AWS-SG-006",
    "CORE-001",
    "CORE-002",
    "CORE-003",
    "GCP-FW-004",
    "GCP-GCS-003",
}


def scan(root: Path, scope: str) -> Report:
    report = lint([str(root)], LintOptions(scope=scope))
    assert not report.errors, report.errors
    return report


def failures(report: Report) -> list[Result]:
    return [r for r in report.results if r.outcome == "fail"]


def copy_case(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / name, tmp_path / name))


def test_every_rule_records_whether_it_is_hygiene() -> None:
    metadata = load_metadata()
    for path in sorted((REPO / "rules").glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(document.get("hygiene"), bool), path.name
    assert {rule_id for rule_id, meta in metadata.items() if meta.hygiene} == HYGIENE


def test_the_schema_requires_the_hygiene_field() -> None:
    schema = yaml.safe_load((REPO / "schemas" / "rule.schema.json").read_text(encoding="utf-8"))
    document = yaml.safe_load((REPO / "rules" / "AWS-SG-005.yaml").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    assert not list(validator.iter_errors(document))
    without = copy.deepcopy(document)
    del without["hygiene"]
    assert list(validator.iter_errors(without))
    document["hygiene"] = "yes"
    assert list(validator.iter_errors(document))


def test_the_hygiene_set_is_documented() -> None:
    catalog = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule_id in HYGIENE:
        row = next(line for line in catalog.splitlines() if line.startswith(f"| [{rule_id}]"))
        assert row.rstrip().endswith("| yes |"), row
    assert "--scope all" in catalog


def test_attribute_list_opening_all_ports_is_found_by_scope_all(tmp_path: Path) -> None:
    root = copy_case("attribute_list", tmp_path)
    assert not failures(scan(root, "deployment"))
    found = [r for r in failures(scan(root, "all")) if r.rule_id.startswith("AWS-SG")]
    # All traffic includes SSH: both internet rules fail, each at the offending element.
    assert sorted((r.rule_id, r.resource) for r in found) == [
        ("AWS-SG-005", "aws_security_group.web"),
        ("AWS-SG-006", "aws_security_group.web"),
    ]
    for result in found:
        assert isinstance(result.location, SourceSpan)
        assert (result.location.start_line, result.location.end_line) == (17, 27)
        assert "all traffic open to 0.0.0.0/0" in result.message or "0.0.0.0/0" in result.message


def test_rule_resources_of_groups_in_other_roots_are_judged(tmp_path: Path) -> None:
    root = copy_case("foreign_group", tmp_path)
    assert not failures(scan(root, "deployment"))
    found = sorted((r.rule_id, r.resource, r.message) for r in failures(scan(root, "all")))
    assert [(rule_id, resource) for rule_id, resource, _ in found] == [
        ("AWS-SG-005", "aws_security_group_rule.ssh"),
        ("AWS-SG-005", "aws_vpc_security_group_ingress_rule.ssh_v6"),
    ]
    messages = {resource: message for _, resource, message in found}
    assert "var.bastion_sg_id" in messages["aws_security_group_rule.ssh"]
    assert "sg-0123456789abcdef0" in messages["aws_vpc_security_group_ingress_rule.ssh_v6"]


@pytest.mark.parametrize(
    ("rule_id", "resource"),
    [
        ("AWS-EFS-003", "aws_efs_file_system.shared"),
        ("AWS-MDB-001", "aws_memorydb_cluster.cache"),
        ("AWS-S3-007", "aws_s3_bucket.reports"),
    ],
)
def test_unencrypted_or_non_tls_storage_is_hygiene(
    rule_id: str, resource: str, tmp_path: Path
) -> None:
    root = copy_case("storage", tmp_path)
    assert not failures(scan(root, "deployment"))
    found = {(r.rule_id, r.resource) for r in failures(scan(root, "all"))}
    assert (rule_id, resource) in found


def test_anyscale_only_conditions_do_not_run_outside_a_deployment(tmp_path: Path) -> None:
    root = copy_case("storage", tmp_path)
    ran = {r.rule_id for r in scan(root, "all").results if r.outcome in ("fail", "pass")}
    assert ran <= HYGIENE, sorted(ran - HYGIENE)
