"""Catalog tests: every rules/*.yaml validates against schemas/rule.schema.json and RULES.md."""

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
CATALOG_PATH = REPO.parent / "shared" / "docs" / "RULES.md"

CATALOG_ROW = re.compile(
    r"^\|\s*(?P<id>(?:AWS|GCP|CORE)-[A-Z0-9-]+)\s*\|\s*(?P<name>[a-z0-9-]+)\s*\|"
    r"\s*(?P<severity>[a-z]+)\s*\|"
)

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
    if not CATALOG_PATH.is_file():
        pytest.skip(f"rule catalog not found at {CATALOG_PATH}")
    catalog = parse_catalog(CATALOG_PATH.read_text(encoding="utf-8")) | ADDED_RULES
    rule = load_rule(path)
    assert rule["id"] in catalog, f"{rule['id']} is not in {CATALOG_PATH.name} nor ADDED_RULES"
    assert (rule["name"], rule["severity"]) == catalog[rule["id"]]


def test_catalog_parser_reads_core_rows() -> None:
    rows = parse_catalog(
        "| AWS-S3-001 | bucket-access-for-roles | medium | x | T J L |\n"
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
