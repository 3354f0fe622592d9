"""Hostile shapes of input: huge numbers, deep nesting, wrong types, duplicates, invalid HCL.

Each yields a located CORE-001 (exit 3) or an exit 2 naming the file, never a traceback, and
never drops another root's results.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

GROUP = 'resource "aws_security_group" "g" {\n  name = "g"\n}\n'


def _scan(directory: Path, *args: str) -> tuple[int, str]:
    result = run_cli("scan", ".", "--exit-zero", *args, cwd=directory)
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, result.stdout + result.stderr


def _json_scan(directory: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    result = run_cli("scan", ".", "-f", "json", *args, cwd=directory, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    report["exit"] = result.returncode
    return report


def _core(report: dict[str, object]) -> list[dict[str, object]]:
    results = report["results"]
    assert isinstance(results, list)
    return [r for r in results if r["rule_id"] == "CORE-001" and r["outcome"] == "fail"]


# ---- item 11: numbers and internal errors ----------------------------------------------------


def test_count_1e400_is_a_located_invalid_count_and_the_root_is_kept(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_security_group" "x" {\n  name = "x"\n  count = 1e400\n}\n' + GROUP
    )
    code, output = _scan(tmp_path)
    assert code == 3
    assert "main.tf:3" in output and "Invalid count argument" in output
    assert "internal error" not in output
    assert "OK:" not in output


def test_negative_and_fractional_count_are_errors(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_security_group" "x" {\n  count = -1\n}\n'
        'resource "aws_security_group" "y" {\n  count = 1.5\n}\n'
    )
    code, output = _scan(tmp_path)
    assert code == 3
    assert "main.tf:2" in output and "greater than or equal to zero" in output
    assert "main.tf:5" in output and "whole number" in output


def test_infinite_arithmetic_is_exact(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_security_group" "x" {\n  count = 1e400 - 1e400\n  name = "x"\n}\n'
        'resource "aws_security_group" "y" {\n  ingress {\n    from_port = 1e400\n'
        '    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n'
    )
    code, output = _scan(tmp_path)
    assert code == 0, output
    assert "internal error" not in output


@pytest.mark.parametrize("where", ["tfvars", "tfvars.json", "var", "env", "tf.json"])
def test_5000_digit_numbers_keep_the_root(tmp_path: Path, where: str) -> None:
    big = "9" * 5000
    (tmp_path / "main.tf").write_text('variable "n" {\n  type = number\n}\n' + GROUP)
    args: list[str] = []
    env: dict[str, str] = {}
    if where == "tfvars":
        (tmp_path / "terraform.tfvars").write_text(f"n = {big}\n")
    elif where == "tfvars.json":
        (tmp_path / "terraform.tfvars.json").write_text(f'{{"n": {big}}}\n')
    elif where == "var":
        args = ["--var", f"n={big}"]
    elif where == "env":
        env = {"TF_VAR_n": big}
    else:
        (tmp_path / "extra.tf.json").write_text(f'{{"locals": {{"n": {big}}}}}\n')
    report = _json_scan(tmp_path, *args, env=env)
    assert report["exit"] == 0, report
    assert report["deployments"], report


def test_5000_digit_number_in_iam_json(tmp_path: Path) -> None:
    (tmp_path / "policy.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
        '"Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": ' + "9" * 5000 + "}}}]}"
    )
    code, output = _scan(tmp_path)
    assert code == 0, output
    assert "Exceeds the limit" not in output


def test_internal_error_is_a_located_core_result_and_other_roots_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anyscale_lint.api import lint
    from anyscale_lint.sources.terraform import builder_security_groups

    def broken(self: object, item: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(builder_security_groups.SecurityGroups, "security_group", broken)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "main.tf").write_text(
        GROUP + 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
    )
    (tmp_path / "b" / "main.tf").write_text('resource "aws_s3_bucket" "c" {\n  bucket = "c"\n}\n')
    monkeypatch.chdir(tmp_path)
    report = lint(["a", "b"])
    core = [r for r in report.results if r.rule_id == "CORE-001" and r.outcome == "fail"]
    assert len(core) == 1
    assert "a bug" in core[0].message and str(core[0].location) == "a/main.tf:1"
    assert report.exit_code() == 3
    modelled = {key for d in report.deployments for key in d.model.resources}
    assert {"aws_s3_bucket.b", "aws_s3_bucket.c"} <= modelled


def test_summary_never_says_ok_when_an_input_failed(tmp_path: Path) -> None:
    # CORE-001 is high: below a critical threshold nothing gates, and the summary said OK.
    (tmp_path / "main.tf").write_text(GROUP + "resource {\n")
    code, output = _scan(tmp_path, "--fail-on", "critical")
    assert code == 3
    assert "OK:" not in output and "INCOMPLETE" in output


# ---- item 12: tracebacks on hostile shapes ----------------------------------------------------


@pytest.mark.parametrize("name", ["policy.json", "main.tf.json"])
def test_json_nested_5000_deep(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text('{"locals": {"a": ' + "[" * 5000 + "]" * 5000 + "}}")
    code, output = _scan(tmp_path)
    assert code == 3
    assert name in output and "nesting deeper" in output


def test_comment_of_closing_brackets_does_not_bypass_the_nesting_guard(tmp_path: Path) -> None:
    depth = 3000
    (tmp_path / "main.tf").write_text(
        "# " + ")" * depth + "\nlocals {\n  a = " + "[" * depth + "]" * depth + "\n}\n"
    )
    code, output = _scan(tmp_path)
    assert code == 3
    assert "main.tf:3" in output and "nesting deeper" in output


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"RoleDetailList": 5}, "RoleDetailList: expected array"),
        ({"RoleDetailList": [{"RoleName": "r", "Arn": ["x"]}]}, "RoleDetailList/0/Arn"),
        ({"Role": {"RoleName": 3}}, "Role/RoleName: expected string"),
    ],
)
def test_authorization_details_with_wrong_types(
    tmp_path: Path, document: dict[str, object], expected: str
) -> None:
    (tmp_path / "details.json").write_text(json.dumps(document, indent=2))
    code, output = _scan(tmp_path)
    assert code == 3
    assert "details.json" in output and expected in output


def test_policy_document_with_wrong_types(tmp_path: Path) -> None:
    (tmp_path / "policy.json").write_text(
        json.dumps({"Statement": [{"Effect": "Allow", "Action": {"a": 1}}]})
    )
    code, output = _scan(tmp_path)
    assert code == 3
    assert "policy.json" in output and "Statement/0/Action" in output


DEEP_YAML = "a: " + "[" * 5000 + "]" * 5000 + "\n"


def test_deep_config_yaml(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GROUP)
    (tmp_path / ".anyscale-lint.yaml").write_text(DEEP_YAML)
    result = run_cli("scan", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert ".anyscale-lint.yaml" in result.stderr and "Traceback" not in result.stderr


def test_deep_baseline(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GROUP)
    (tmp_path / "baseline.json").write_text('{"findings": ' + "[" * 5000 + "]" * 5000 + "}")
    result = run_cli("scan", ".", "--baseline", "baseline.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "baseline.json" in result.stderr and "Traceback" not in result.stderr


def test_deep_resource_file(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GROUP)
    (tmp_path / "resource.yaml").write_text(DEEP_YAML)
    result = run_cli("ready", ".", "--resource-file", "resource.yaml", cwd=tmp_path)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 3
    assert "resource.yaml" in result.stdout + result.stderr


@pytest.mark.parametrize("content", ["tool = 5\n", "[tool]\nanyscale-lint = 3\n"])
def test_pyproject_tool_not_a_table(tmp_path: Path, content: str) -> None:
    (tmp_path / "main.tf").write_text(GROUP)
    (tmp_path / "pyproject.toml").write_text(content)
    result = run_cli("scan", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "pyproject.toml" in result.stderr and "Traceback" not in result.stderr


# ---- item 14: duplicates ---------------------------------------------------------------------


def test_duplicate_attribute_in_a_block(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_security_group" "x" {\n  ingress {\n    from_port = 22\n'
        "    from_port = 0\n  }\n}\n"
    )
    report = _json_scan(tmp_path)
    assert report["exit"] == 3
    [core] = _core(report)
    assert "Attribute redefined" in str(core["message"]) and "main.tf:3" in str(core["message"])
    assert core["location"]["start_line"] == 4  # type: ignore[index]


def test_duplicate_resource_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text('resource "aws_security_group" "x" {\n  name = "a"\n}\n')
    (tmp_path / "b.tf").write_text('resource "aws_security_group" "x" {\n  name = "b"\n}\n')
    code, output = _scan(tmp_path)
    assert code == 3
    assert "b.tf:1" in output and 'Duplicate resource "aws_security_group" configuration' in output
    assert "already declared at a.tf:1" in output


def test_duplicate_names_in_a_module(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "v" {}\nvariable "v" {}\noutput "o" {\n  value = 1\n}\n'
        'output "o" {\n  value = 2\n}\nlocals {\n  l = 1\n}\nlocals {\n  l = 2\n}\n'
    )
    code, output = _scan(tmp_path)
    assert code == 3
    assert "Duplicate variable declaration" in output
    assert "Duplicate output definition" in output
    assert "Duplicate local value definition" in output


def test_override_files_are_not_duplicates(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GROUP)
    (tmp_path / "main_override.tf").write_text(GROUP)
    code, output = _scan(tmp_path)
    assert code == 0, output


# ---- item 15: invalid HCL accepted silently --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("resource {}\n", 1, "Missing type for resource"),
        ('resource "aws_security_group" {}\n', 1, "Missing name for resource"),
        ('locals "x" {}\n', 1, "Extraneous label for locals"),
        ("locals { a = 1 b = 2 }\n", 1, "Missing newline after argument"),
        ("locals {\n  a = <<EOT\nhello ${var.x\nEOT\n}\n", 2, "unclosed interpolation"),
        ('locals {\n  a = "%{ if true }x"\n}\n', 2, "has no matching %{ endif }"),
        ("locals {\n  a = <<EOT\n%{ if true }\nEOT\n}\n", 2, "has no matching %{ endif }"),
    ],
)
def test_invalid_hcl_is_a_located_error(
    tmp_path: Path, text: str, line: int, expected: str
) -> None:
    (tmp_path / "main.tf").write_text(text)
    code, output = _scan(tmp_path)
    assert code == 3
    assert f"main.tf:{line}" in output and expected in output


def test_nul_byte_after_the_first_8_kb(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_bytes(("# x\n" * 3000).encode() + b"\x00" + GROUP.encode())
    code, output = _scan(tmp_path)
    assert code == 3
    assert "main.tf" in output and "binary file" in output


def test_huge_numbers_evaluate_exactly_never_to_infinity(tmp_path: Path) -> None:
    from anyscale_lint.sources.terraform.loader import TerraformSource

    expressions = {
        "difference": ("1e400 - 1e400", 0),
        "sum": ("1e400 + 1", 10**400 + 1),
        "tonumber": ('tonumber("1e400")', 10**400),
        "jsondecode": ('jsondecode("1e400")', 10**400),
        "compare": ("1e400 > 1.7e308", True),
        "scaled": ("1e400 * 1.5", 15 * 10**399),
    }
    (tmp_path / "main.tf").write_text(
        "".join(
            f'output "{name}" {{\n  value = {text}\n}}\n' for name, (text, _) in expressions.items()
        )
    )
    model, errors = TerraformSource(tmp_path).evaluate_root(tmp_path)
    assert errors == []
    values = {output.name: output.value for output in model.outputs}
    assert values == {name: value for name, (_, value) in expressions.items()}


def test_duplicate_keys_in_iam_json(tmp_path: Path) -> None:
    # {"Effect": "Deny", "Effect": "Allow"}: readers disagree on which wins; never pick one.
    (tmp_path / "policy.json").write_text(
        '{\n  "Statement": [{\n    "Effect": "Deny",\n    "Effect": "Allow",\n'
        '    "Action": "s3:*",\n    "Resource": "*"\n  }]\n}\n'
    )
    code, output = _scan(tmp_path)
    assert code == 3
    assert "policy.json:4" in output and 'duplicate key "Effect"' in output
