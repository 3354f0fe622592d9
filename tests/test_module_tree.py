"""The evaluator on real-world module code: tests/fixtures/modules (Anyscale-style modules)
and tests/fixtures/functions (one documented example per Terraform function)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lark import Tree

from anyscale_lint.model import Unknown
from anyscale_lint.sources.terraform import parser
from anyscale_lint.sources.terraform.loader import TerraformOptions, TerraformSource
from anyscale_lint.sources.terraform.module import ModuleInstance
from anyscale_lint.sources.terraform.templates import Interpolation, parts_of_template
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
    if isinstance(node, Tree):
        if node.data == "function_call":
            names.add(str(node.children[0].children[0]))
        for child in node.children:
            names |= _calls(child)
            if isinstance(child, Tree) and child.data in (
                "heredoc_template",
                "heredoc_template_trim",
            ):
                names |= _template_calls(str(child.children[0]).split("\n", 1)[1])
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
            called |= _calls(parser.parse(path.read_text(encoding="utf-8")))
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
