"""The tree-sitter parser: located syntax errors that drop only their block, and the HCL
constructs its grammar reads differently from HCL (fixed up by the conversion)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anyscale_lint.sources.terraform import parser
from anyscale_lint.sources.terraform.loader import TerraformSource
from tests.conftest import run_cli
from tests.function_cases import evaluate

BUCKET = 'resource "aws_s3_bucket" "{name}" {{\n  bucket = "{name}"\n}}\n'


def _errors(directory: Path) -> tuple[list[Any], list[str]]:
    source = TerraformSource(directory)
    module = source.load(directory)
    assert module is not None
    addresses = [".".join(block.labels) for block in module.body.blocks_of("resource")]
    return module.errors, addresses


def test_an_error_in_one_block_drops_only_that_block(tmp_path: Path) -> None:
    text = (
        BUCKET.format(name="first")
        + 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  acl = \n}\n'
        + BUCKET.format(name="last")
    )
    (tmp_path / "main.tf").write_text(text)
    errors, addresses = _errors(tmp_path)
    assert addresses == ["aws_s3_bucket.first", "aws_s3_bucket.last"]
    [error] = errors
    assert (error.path.endswith("main.tf"), error.line, error.column) == (True, 6, 7)
    assert "expected an expression after '='" in error.message
    assert 'block resource "aws_s3_bucket" "b" dropped' in error.message


def test_every_error_is_a_located_core_001_and_the_rest_is_judged(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_security_group" "open" {\n'
        '  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n'
        '    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = foo(1 2)\n}\n'
        'resource "aws_s3_bucket" "c" {\n  tags = { a = 1 b }\n}\n'
    )
    result = run_cli("scan", ".", "--scope", "all", "-f", "json", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    results = json.loads(result.stdout)["results"]
    core = [r for r in results if r["rule_id"] == "CORE-001"]
    assert len(core) >= 2
    for finding in core:
        assert finding["location"]["path"] == "main.tf"
        assert finding["location"]["start_line"] >= 9
        assert "dropped" in finding["message"]
    assert any('"b" dropped' in r["message"] for r in core)
    assert any('"c" dropped' in r["message"] for r in core)
    assert any(r["rule_id"] == "AWS-SG-005" and r["outcome"] == "fail" for r in results)


SECRET = "s3cr3t-" + "0123456789" * 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f'locals {{\n  a = "{SECRET}\n}}\n', "string opened at line 2 is never closed"),
        (f"locals {{\n  a = <<EOT\n{SECRET}\n}}\n", "heredoc opened at line 2 (<<EOT)"),
        (f"locals {{\n  a = '{SECRET}'\n}}\n", "a string in ' quotes"),
        (f'locals {{\n  a = "${{{SECRET}"\n}}\n', "Invalid template"),
        (f'locals {{\n  a = "%{{ if x }}{SECRET}"\n}}\n', "has no matching %{ endif }"),
    ],
)
def test_messages_never_quote_a_string_or_heredoc(text: str, expected: str) -> None:
    parsed = parser.parse(text)
    assert parsed.errors
    messages = " ".join(error.message for error in parsed.errors)
    assert expected in messages
    assert SECRET[:10] not in messages
    assert all(error.line >= 1 for error in parsed.errors)


def test_a_top_level_error_outside_blocks_names_its_lines() -> None:
    parsed = parser.parse('}\nresource "a" "b" {}\n')
    assert [error.line for error in parsed.errors] == [1]
    assert "line 1 dropped" in parsed.errors[0].message
    assert [item.value for item in parsed.body.children] == [("resource", ["a", "b"])]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # tree-sitter-hcl groups conditionals to the left; HCL to the right.
        ("true ? 1 : false ? 2 : 3", 1),
        ("false ? 1 : true ? 2 : 3", 2),
        ("false ? 1 : false ? 2 : 3", 3),
        # tree-sitter-hcl 1.2 has no exponent without a fraction.
        ("1e3 + 1E+2 - 1e-1", 1099.9),
        ("[1e3]", [1000]),
        # Literal text between template parts keeps its whitespace; escapes are decoded.
        ('"  a ${"b"}  c  "', "  a b  c  "),
        ('"$${x} %%{y} \\u00e9\\n"', "${x} %{y} é\n"),
        ('"${~ " a " ~}  b  %{~ if true ~}  c  %{~ endif ~}  "', " a bc"),
        ('"${"in${"ner"}"}"', "inner"),
        ('"%{ for k, v in {a = 1, b = 2} }${k}=${v};%{ endfor }"', "a=1;b=2;"),
        ("<<-EOT\n    x ${1 + 1}\n      y\n    EOT\n", "x 2\n  y\n"),
        ("<<EOT\n  %{~ if true ~}\n  kept\n  %{~ endif ~}\nEOT\n", "kept"),
        ('{ "é" = 1, (upper("k")) = 2, k = 3 }', {"é": 1, "K": 2, "k": 3}),
        ("[for x in [3, 1, 2] : x * 2 if x > 1]", [6, 4]),
        ("[{a = [1, 2]}, {a = [3]}][*].a[0]", [1, 3]),
    ],
)
def test_constructs_evaluate_as_terraform_does(
    expression: str, expected: Any, tmp_path: Path
) -> None:
    assert evaluate(expression, tmp_path) == expected
