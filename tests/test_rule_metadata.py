"""Catalog tests: every rules/*.yaml validates against its schema and matches the catalog."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[1]
RULES_DIR = REPO / "rules"
SCHEMA_PATH = REPO / "schemas" / "rule.schema.json"
DOCS_CATALOG = REPO / "docs" / "rules.md"

# A row of a Markdown catalog table: `| ID | name | severity | ...`, the ID possibly a link.
CATALOG_ROW = re.compile(
    r"^\|\s*\[?(?P<id>(?:AWS|GCP|CORE)-[A-Z0-9-]+)(?:\]\([^)]*\))?\s*\|"
    r"\s*(?P<name>[a-z0-9-]+)\s*\|\s*(?P<severity>[a-z]+)\s*\|"
)

# The rule catalog the project was specified with (ID -> name, severity). IDs are stable and
# never reused, so a rule that leaves rules/ or changes its name or default severity must
# change this table on purpose. GCP rules are listed ahead of their implementation.
CATALOG = {
    "AWS-EFS-001": ("efs-mount-targets", "medium"),
    "AWS-EFS-002": ("efs-mount-target-sg", "low"),
    "AWS-EFS-003": ("efs-encrypted", "medium"),
    "AWS-EFS-004": ("efs-backup", "low"),
    "AWS-EFS-005": ("efs-policy-actions", "low"),
    "AWS-IAM-001": ("control-plane-trust-principal", "high"),
    "AWS-IAM-002": ("trust-policy-too-broad", "critical"),
    "AWS-IAM-003": ("control-plane-external-id", "medium"),
    "AWS-IAM-004": ("trust-action-form", "medium"),
    "AWS-IAM-005": ("control-plane-ec2-permissions", "low"),
    "AWS-IAM-006": ("instance-role-trust", "high"),
    "AWS-IAM-007": ("instance-profile", "high"),
    "AWS-IAM-008": ("ecr-readonly", "low"),
    "AWS-IAM-009": ("s3-access-scope", "high"),
    "AWS-IAM-010": ("s3-actions-least-privilege", "medium"),
    "AWS-IAM-011": ("admin-wildcard", "critical"),
    "AWS-IAM-012": ("passrole-scope", "medium"),
    "AWS-IAM-013": ("roles-same-account", "high"),
    "AWS-IAM-014": ("control-plane-services-permissions", "medium"),
    "AWS-MDB-001": ("memorydb-tls", "high"),
    "AWS-MDB-002": ("memorydb-ha", "medium"),
    "AWS-MDB-003": ("memorydb-eviction", "low"),
    "AWS-MDB-004": ("memorydb-placement", "low"),
    "AWS-NET-001": ("subnets-multi-az", "high"),
    "AWS-NET-002": ("private-node-subnets", "high"),
    "AWS-NET-003": ("private-egress", "high"),
    "AWS-NET-004": ("vpc-capacity", "medium"),
    "AWS-NET-005": ("subnet-capacity", "medium"),
    "AWS-NET-006": ("subnets-in-vpc", "high"),
    "AWS-NET-007": ("s3-gateway-endpoint", "low"),
    "AWS-NET-008": ("vpc-dns", "low"),
    "AWS-REG-001": ("required-resources", "high"),
    "AWS-REG-002": ("external-id-format", "high"),
    "AWS-REG-003": ("unidentified-resource", "low"),
    "AWS-S3-001": ("bucket-access-for-roles", "medium"),
    "AWS-S3-002": ("bucket-policy-public", "critical"),
    "AWS-S3-003": ("cors-present", "medium"),
    "AWS-S3-004": ("cors-anyscale-rule", "medium"),
    "AWS-S3-005": ("cors-origin-too-broad", "high"),
    "AWS-S3-006": ("public-access-block", "high"),
    "AWS-S3-007": ("tls-only", "low"),
    "AWS-S3-008": ("bucket-region", "low"),
    "AWS-SG-001": ("self-ingress", "high"),
    "AWS-SG-002": ("self-egress", "low"),
    "AWS-SG-003": ("https-ingress", "medium"),
    "AWS-SG-004": ("https-only", "high"),
    "AWS-SG-005": ("ssh-from-internet", "critical"),
    "AWS-SG-006": ("all-traffic-from-internet", "critical"),
    "AWS-SG-007": ("https-from-anywhere", "medium"),
    "CORE-001": ("parse-error", "high"),
    "CORE-002": ("unused-or-expired-ignore", "low"),
    "CORE-003": ("collection-error", "high"),
    "GCP-FS-001": ("filestore-network", "high"),
    "GCP-FW-001": ("internal-traffic", "high"),
    "GCP-FW-002": ("https-ingress", "medium"),
    "GCP-FW-003": ("https-only", "high"),
    "GCP-FW-004": ("ssh-or-all-from-internet", "critical"),
    "GCP-FW-005": ("shared-vpc-health-checks", "medium"),
    "GCP-GCS-001": ("gcs-cors", "medium"),
    "GCP-GCS-002": ("gcs-cors-origin-too-broad", "high"),
    "GCP-GCS-003": ("gcs-public", "critical"),
    "GCP-GCS-004": ("gcs-uniform-access", "low"),
    "GCP-GCS-005": ("gcs-access-for-service-accounts", "medium"),
    "GCP-IAM-001": ("primitive-roles-on-node-sa", "high"),
    "GCP-MEM-001": ("memorystore-settings", "high"),
    "GCP-NET-001": ("subnet-capacity", "medium"),
    "GCP-NET-002": ("proxy-only-subnet", "medium"),
    "GCP-NET-003": ("private-google-access", "low"),
    "GCP-REG-001": ("required-resources", "high"),
    "GCP-WIF-001": ("wif-anyscale-account", "high"),
    "GCP-WIF-002": ("wif-attribute-condition", "high"),
    "GCP-WIF-003": ("wif-binding-scope", "medium"),
}

RULE_FILES = sorted(RULES_DIR.glob("*.yaml"))


@cache
def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def load_rule(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: top level must be a mapping"
    return data


def parse_catalog(text: str) -> dict[str, tuple[str, str]]:
    """Map rule ID to (name, severity) from the catalog's Markdown table rows."""
    rows: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        match = CATALOG_ROW.match(line)
        if match:
            rows[match["id"]] = (match["name"], match["severity"])
    return rows


def rule_id(path: Path) -> str:
    return path.stem


def test_rule_files_exist() -> None:
    assert RULE_FILES, f"no rule YAML under {RULES_DIR}"


def test_schema_is_valid() -> None:
    Draft202012Validator.check_schema(load_schema())


@pytest.mark.parametrize("path", RULE_FILES, ids=rule_id)
def test_rule_validates_against_schema(path: Path) -> None:
    validator = Draft202012Validator(load_schema())
    messages = sorted(f"{e.json_path}: {e.message}" for e in validator.iter_errors(load_rule(path)))
    assert not messages, f"{path.name}:\n" + "\n".join(messages)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("id", "AWS-S3-1"),
        ("severity", "blocker"),
        ("title", "Ends with a period."),
        ("remediation", "Two\nlines"),
        ("references", ["https://example.com/anyscale"]),
        ("unexpected", True),
    ],
)
def test_schema_rejects_bad_values(key: str, value: object) -> None:
    rule = dict(load_rule(RULE_FILES[0]), **{key: value})
    assert not Draft202012Validator(load_schema()).is_valid(rule)


def test_schema_rejects_fenced_examples() -> None:
    rule = load_rule(RULE_FILES[0])
    docs = dict(rule["docs"], example_pass="```hcl\nlocals {}\n```")
    assert not Draft202012Validator(load_schema()).is_valid(dict(rule, docs=docs))


@pytest.mark.parametrize("path", RULE_FILES, ids=rule_id)
def test_file_name_matches_id(path: Path) -> None:
    assert path.name == f"{load_rule(path)['id']}.yaml"


def test_ids_unique() -> None:
    ids = [load_rule(path)["id"] for path in RULE_FILES]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate IDs: {duplicates}"


def test_names_unique_per_provider() -> None:
    # The catalog reuses names across providers (AWS-SG-003 and GCP-FW-002 are both
    # https-ingress), so a name must be unique among the rules of its provider prefix.
    keys = [(load_rule(path)["id"].split("-")[0], load_rule(path)["name"]) for path in RULE_FILES]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates, f"duplicate names: {duplicates}"


# Rules this project added beyond the catalog ("add rules where users would expect them"),
# with (name, severity) and the issue that asked for them.
ADDED_RULES = {
    # Issue 5, part 8: register command values are matched to the resources they name.
    "AWS-REG-004": ("register-inputs-match", "high"),
}


@pytest.mark.parametrize("path", RULE_FILES, ids=rule_id)
def test_rule_matches_catalog(path: Path) -> None:
    catalog = CATALOG | ADDED_RULES
    rule = load_rule(path)
    assert rule["id"] in catalog, f"{rule['id']} is not in CATALOG nor ADDED_RULES"
    assert (rule["name"], rule["severity"]) == catalog[rule["id"]]


def test_every_aws_and_core_rule_of_the_catalog_has_a_rule_file() -> None:
    present = {rule_id(path) for path in RULE_FILES}
    expected = {key for key in CATALOG if not key.startswith("GCP-")}
    assert len(expected) >= 52
    assert expected - present == set()


def test_docs_catalog_lists_every_rule_with_its_name_and_severity() -> None:
    documented = parse_catalog(DOCS_CATALOG.read_text(encoding="utf-8"))
    rules = {
        load_rule(p)["id"]: (load_rule(p)["name"], load_rule(p)["severity"]) for p in RULE_FILES
    }
    assert documented == rules


def test_catalog_parser_reads_core_rows() -> None:
    rows = parse_catalog(
        "| [AWS-S3-001](rules/AWS-S3-001.md) | bucket-access-for-roles | medium | x | T J L |\n"
        "| CORE-001 | parse-error | high | x | T J |\n"
        "| ID | name | sev | what fails | src |\n"
    )
    assert rows == {
        "AWS-S3-001": ("bucket-access-for-roles", "medium"),
        "CORE-001": ("parse-error", "high"),
    }


@pytest.mark.parametrize("path", RULE_FILES, ids=rule_id)
def test_parameter_defaults_match_their_schema(path: Path) -> None:
    for name, parameter in load_rule(path).get("parameters", {}).items():
        Draft202012Validator.check_schema(parameter["schema"])
        errors = [
            e.message
            for e in Draft202012Validator(parameter["schema"]).iter_errors(parameter["default"])
        ]
        assert not errors, f"{path.name}: default of {name!r} is invalid: {errors}"
