"""Terraform functions against their documentation: coverage; no argument makes a function raise.

See tests/function_cases.py for how each case is evaluated.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from anyscale_lint.model import Unknown
from anyscale_lint.sources.terraform.functions import FUNCTIONS
from tests.function_cases import instance_at
from tests.test_functions_collections import COLLECTIONS, CONVERSIONS, ENCODINGS, NETWORK
from tests.test_functions_files import APPLY_TIME, FILE_FUNCTIONS, TRY_AND_CAN
from tests.test_functions_text import FORMAT, REGEX, STRINGS

# ---- every function, every kind of argument -------------------------------------------------

TABLES = [FORMAT, STRINGS, REGEX, COLLECTIONS, CONVERSIONS, ENCODINGS, NETWORK, FILE_FUNCTIONS]
TABLES += [TRY_AND_CAN, APPLY_TIME]
# The functions deployment code uses.
# fmt: off
REQUIRED = frozenset({
    "format", "join", "split", "replace", "lower", "upper", "trimspace", "trim", "trimprefix",
    "trimsuffix", "substr", "startswith", "endswith", "regex", "regexall", "length", "concat",
    "merge", "lookup", "element", "index", "keys", "values", "contains", "distinct", "flatten",
    "compact", "coalesce", "coalescelist", "one", "range", "slice", "zipmap", "setunion",
    "toset", "tolist", "tomap", "tostring", "tonumber", "tobool", "jsonencode", "jsondecode",
    "yamldecode", "base64encode", "base64decode", "cidrsubnet", "cidrsubnets", "cidrhost",
    "cidrnetmask", "file", "templatefile", "fileexists", "abspath", "dirname", "basename",
    "try", "can", "timestamp", "uuid",
})
# fmt: on


def test_every_function_has_documented_cases() -> None:
    covered = {param.id.split("-")[0] for table in TABLES for param in table} | {"abspath"}
    assert REQUIRED - covered == set()
    assert set(FUNCTIONS) | {"try", "can"} >= REQUIRED


ODD_ARGUMENTS = [
    "",
    "null",
    '""',
    "[]",
    "{}",
    "-1.5",
    "true",
    "var.unset",
    '"${var.unset}/x"',
    "[var.unset]",
    "null, null",
    '"a", [1]',
    '{}, "x", -1',
    '"/(/", "a", "b"',
    '"a", "/(/", "b"',
    r'"a.b", "/[.]/", "\\"',
    '"%", 1, 2',
    '["a", 1, true, null], 1e30',
    "1e400, 1e400",
    '"%999999999d", 1',
    '"../../etc/passwd", {}',
]


@pytest.mark.parametrize("name", sorted(set(FUNCTIONS) | {"try", "can"}))
def test_odd_arguments_never_raise(name: str, tmp_path: Path) -> None:
    # Whatever the arguments, a call gives a value or an Unknown, never an exception.
    calls = "\n".join(f"  a{i} = {name}({args})" for i, args in enumerate(ODD_ARGUMENTS))
    directory = tmp_path / "scan"
    directory.mkdir()
    (directory / "main.tf").write_text(f'variable "unset" {{}}\nlocals {{\n{calls}\n}}\n')
    instance = instance_at(directory)
    for index in range(len(ODD_ARGUMENTS)):
        assert plain(instance.local(f"a{index}")), (name, ODD_ARGUMENTS[index])


def plain(value: Any) -> bool:
    """Whether a value is made only of the evaluator's value types."""
    if isinstance(value, list):
        return all(plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and plain(item) for key, item in value.items())
    return value is None or isinstance(value, (str, int, float, bool, Unknown))


def test_case_ids_name_their_function() -> None:
    for table in TABLES:
        for param in table:
            assert re.fullmatch(r"[a-z0-9]+-[A-Za-z0-9-]+", param.id), param.id
