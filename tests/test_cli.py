"""The command line through its installed entry point: formats, exit codes, config errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from anyscale_lint.formatters.text import use_colour
from tests.conftest import REPO, run_cli

SSH_OPEN = """
resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""


def _write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory


def test_version_and_help() -> None:
    assert run_cli("--version").stdout.startswith("anyscale-lint ")
    help_text = run_cli("scan", "--help").stdout
    for flag in (
        "--select",
        "--ignore",
        "--fail-on",
        "--fail-on-unknown",
        "--exit-zero",
        "--config",
        "--var-file",
        "--var",
        "--network-mode",
        "--scope",
        "--no-inline-ignores",
        "-o",
    ):
        assert flag in help_text


def test_findings_exit_1_and_exit_zero(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": SSH_OPEN})
    result = run_cli("scan", ".", "--scope", "all", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "AWS-SG-005" in result.stdout and "main.tf:4" in result.stdout
    assert "\033[" not in result.stdout  # NO_COLOR and not a TTY
    assert run_cli("scan", ".", "--scope", "all", "--exit-zero", cwd=tmp_path).returncode == 0
    assert (
        run_cli("scan", ".", "--scope", "all", "--ignore", "AWS-SG-005", cwd=tmp_path).returncode
        == 0
    )
    # Without --scope all, hygiene rules judge only an identified Anyscale deployment: none here.
    assert run_cli("scan", ".", cwd=tmp_path).returncode == 0


def test_syntax_error_among_good_files_exits_3_and_keeps_findings(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": SSH_OPEN,
            "broken.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  acl = \n}\n',
        },
    )
    result = run_cli("scan", ".", "--scope", "all", "--exit-zero", "-f", "json", cwd=tmp_path)
    assert result.returncode == 3
    document = json.loads(result.stdout)
    core = [r for r in document["results"] if r["rule_id"] == "CORE-001"]
    assert (
        core
        and core[0]["location"]["path"] == "broken.tf"
        and core[0]["location"]["start_line"] == 3
    )
    assert any(r["rule_id"] == "AWS-SG-005" and r["outcome"] == "fail" for r in document["results"])


def test_json_report_validates_against_its_schema(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": SSH_OPEN})
    out = tmp_path.parent / f"{tmp_path.name}-report.json"
    result = run_cli("scan", ".", "--scope", "all", "-f", "text", "-f", f"json:{out}", cwd=tmp_path)
    assert result.returncode == 1
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text())
    document = json.loads(out.read_text())
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["exit_code"] == 1
    again = run_cli("scan", ".", "--scope", "all", "-f", f"json:{out}", cwd=tmp_path)
    assert again.returncode == 1 and json.loads(out.read_text()) == document  # deterministic


def test_output_option_needs_one_bare_format(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": SSH_OPEN})
    result = run_cli("scan", ".", "-f", "text", "-f", "json", "-o", "x.json", cwd=tmp_path)
    assert result.returncode == 2 and "-o" in result.stderr
    assert run_cli("scan", ".", "-f", "nope", cwd=tmp_path).returncode == 2


def test_config_errors_name_file_and_key(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": SSH_OPEN, ".anyscale-lint.yaml": "fail_on: urgent\n"})
    result = run_cli("scan", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert ".anyscale-lint.yaml" in result.stderr and "fail_on" in result.stderr
    _write(tmp_path, {".anyscale-lint.yaml": "rules:\n  AWS-SG-004:\n    allowed_port: [22]\n"})
    result = run_cli("scan", ".", cwd=tmp_path)
    assert (
        result.returncode == 2
        and "allowed_port" in result.stderr
        and "allowed_ports" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_config_parameters_and_waivers(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": SSH_OPEN,
            ".anyscale-lint.yaml": (
                "scope: all\n"
                "waivers:\n"
                "  - rule: AWS-SG-005\n    resource: aws_security_group.bastion\n    reason: "
                "VPN-only bastion\n"
                "  - rule: AWS-SG-006\n    resource: aws_security_group.*\n    reason: reviewed\n "
                "   expires: '2001-01-01'\n"
            ),
        },
    )
    result = run_cli("scan", ".", "-f", "json", cwd=tmp_path)
    document = json.loads(result.stdout)
    by_rule = {r["rule_id"]: r for r in document["results"] if r["outcome"] == "fail"}
    assert by_rule["AWS-SG-005"]["suppressed"]["reason"] == "VPN-only bastion"
    assert "expired" in by_rule["CORE-002"]["message"]


def test_rules_and_explain() -> None:
    listing = json.loads(run_cli("rules", "--format", "json").stdout)
    assert {"AWS-SG-001", "AWS-IAM-010", "CORE-001"} <= {r["id"] for r in listing}
    text = run_cli("explain", "AWS-SG-001").stdout
    assert "self-ingress" in text and "Fix:" in text and "```hcl" in text
    assert run_cli("explain", "AWS-XX-999").returncode == 2


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("scan", "does-not-exist", cwd=tmp_path)
    assert result.returncode == 3
    assert "does-not-exist: no such file or directory" in result.stdout
    assert "Traceback" not in result.stderr


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(Terminal()) is True
    assert use_colour(object()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_colour(Terminal()) is False
