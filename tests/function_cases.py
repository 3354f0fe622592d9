"""Shared harness of the Terraform function tests: evaluate one expression as a local."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from anyscale_lint.model import Unknown
from anyscale_lint.sources.terraform.loader import TerraformSource
from anyscale_lint.sources.terraform.module import ModuleInstance

DOCS = "https://developer.hashicorp.com/terraform/language/functions/"

# Declarations every case can use: a variable with no value and the `local.foo` of the
# try/can examples.
PRELUDE = """
variable "unset" {}
locals {
  foo = { bar = "baz" }
}
"""

# Files every case's module directory holds, for file(), templatefile() and fileexists().
FILES = {
    "hello.txt": "Hello World",
    "backends.tftpl": "%{ for addr in ip_addrs ~}\nbackend ${addr}:${port}\n%{ endfor ~}\n",
    "config.tftpl": (
        "%{ for config_key, config_value in config }\nset ${config_key} = ${config_value}\n"
        "%{ endfor ~}\n"
    ),
    "pairs.tftpl": "%{ for key, value in config }${key}=${value};%{ endfor }",
    "backends-json.tftpl": (
        '${jsonencode({\n  "backends": [for addr in ip_addrs : "${addr}:${port}"],\n})}'
    ),
    "example.yaml": "name: app\n",
    "custom-section.sh": "echo custom\n",
    "latin1.txt": b"caf\xe9".decode("latin-1"),  # written as Latin-1 below: not UTF-8
}


@dataclass(frozen=True)
class Unresolved:
    """Expect an `Unknown` whose reason contains `because`."""

    because: str = ""


@dataclass(frozen=True)
class SetOf:
    """Expect a list holding exactly these elements, in any order (a Terraform set)."""

    items: tuple[Any, ...]


# Terraform reports an error: the linter gives an Unknown that says why.
FAILS = Unresolved()
# The value depends on `var.unset`, so the Unknown's reason names that variable.
UNSET = Unresolved("variable unset has no value")


def module_dir(tmp_path: Path, expression: str, prelude: str = PRELUDE) -> Path:
    """A scanned directory whose module sets `local.x` to `expression`."""
    directory = tmp_path / "scan"
    directory.mkdir(exist_ok=True)
    for name, text in FILES.items():
        encoding = "latin-1" if name == "latin1.txt" else "utf-8"
        (directory / name).write_text(text, encoding=encoding)
    (directory / "main.tf").write_text(f"{prelude}\nlocals {{\n  x = {expression}\n}}\n")
    return directory


def instance_at(directory: Path) -> ModuleInstance:
    """The root module instance of `directory`, scanned with `directory` as the boundary."""
    source = TerraformSource(directory)
    files = source.load(directory)
    assert files is not None and not files.errors, files and files.errors
    return ModuleInstance(files, "", {}, source.load, directory.resolve(), {}, {})


def evaluate(expression: str, tmp_path: Path, prelude: str = PRELUDE) -> Any:
    """The value of an HCL expression, evaluated as `local.x` of a module."""
    return instance_at(module_dir(tmp_path, expression, prelude)).local("x")


def matches(actual: Any, expected: Any) -> bool:
    """Equality that keeps Terraform's types apart (`true` is not `1`, `"1"` is not `1`)."""
    if isinstance(expected, Unresolved):
        return isinstance(actual, Unknown) and expected.because in actual.reason
    if isinstance(expected, SetOf):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected.items)
            and all(any(matches(a, e) for a in actual) for e in expected.items)
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(actual, bool) and isinstance(expected, bool) and actual == expected
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and actual == expected
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(map(matches, actual, expected))
        )
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(matches(actual[key], expected[key]) for key in expected)
        )
    return type(actual) is type(expected) and bool(actual == expected)


def check(expression: str, expected: Any, tmp_path: Path) -> None:
    actual = evaluate(expression, tmp_path)
    assert matches(actual, expected), (
        f"{expression}\n  gave     {actual!r}\n  expected {expected!r}"
    )


def case(name: str, expression: str, expected: Any, xfail: str = "") -> Any:
    """One table row; `name` starts with the function it is about."""
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(expression, expected, id=name, marks=marks)
