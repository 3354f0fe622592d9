"""A long-lived process (the fuzz workers, an editor integration) keeps a bounded parse memo,
and a module source whose path is too long for the system is a module not read, not a bug
(both found by a long fuzz run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.sources.terraform import parser


def test_the_parse_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parser, "MEMO_ENTRIES", 3)
    for number in range(10):
        parser.parse(f"locals {{ n{number} = {number} }}\n")
    assert len(parser._PARSED) <= 3


def test_a_module_source_too_long_for_the_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_name = "m" + "0" * 600
    (tmp_path / "modules").mkdir()
    (tmp_path / "main.tf").write_text(
        f'module "x" {{\n  source = "./modules/{long_name}"\n}}\n'
        'resource "aws_s3_bucket" "b" { bucket = "b" }\n'
    )
    monkeypatch.chdir(tmp_path)
    report = lint(["."], LintOptions())
    assert not [e for e in report.errors if e.kind == "internal"], report.errors
