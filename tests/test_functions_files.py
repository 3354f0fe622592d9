"""Terraform functions against their documentation: files, try/can, and values known at apply time.

See tests/function_cases.py for how each case is evaluated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from anyscale_lint.model import Unknown
from anyscale_lint.sources.terraform.variables import parse_assignments
from tests.function_cases import (
    FAILS,
    UNSET,
    Unresolved,
    case,
    check,
    evaluate,
    instance_at,
    matches,
    module_dir,
)

# ---- files and paths ------------------------------------------------------------------------

FILE_FUNCTIONS = [
    # https://developer.hashicorp.com/terraform/language/functions/file
    case("file-example", 'file("${path.module}/hello.txt")', "Hello World"),
    case("file-relative-to-module", 'file("hello.txt")', "Hello World"),
    case("file-outside-tree", 'file("../secret.txt")', Unresolved("outside the scanned")),
    case("file-absolute-outside-tree", 'file("/etc/hostname")', Unresolved("outside the scanned")),
    case("file-missing", 'file("missing.txt")', Unresolved("cannot read")),
    case("file-directory", 'file(".")', FAILS),
    case("file-not-utf8", 'file("latin1.txt")', Unresolved("UTF-8")),
    case("file-null", "file(null)", FAILS),
    case("file-unknown", "file(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/templatefile
    case(
        "templatefile-lists",
        'templatefile("${path.module}/backends.tftpl", '
        '{ port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"] })',
        "backend 10.0.0.1:8080\nbackend 10.0.0.2:8080\n",
    ),
    case(
        "templatefile-maps",
        'templatefile("${path.module}/config.tftpl", '
        '{ config = { "x" = "y", "foo" = "bar", "key" = "value" } })',
        "\nset foo = bar\n\nset key = value\n\nset x = y\n",
    ),
    case(
        "templatefile-maps-iterate-in-key-order",
        'templatefile("pairs.tftpl", { config = { "x" = "y", "foo" = "bar", "key" = "value" } })',
        "foo=bar;key=value;x=y;",
    ),
    case(
        "templatefile-json",
        'templatefile("backends-json.tftpl", { port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"] })',
        '{"backends":["10.0.0.1:8080","10.0.0.2:8080"]}',
    ),
    case(
        "templatefile-partly-known",
        'templatefile("backends-json.tftpl", { port = var.unset, ip_addrs = ["10.0.0.1"] })',
        '{"backends":["10.0.0.1:${var.unset}"]}',
    ),
    case("templatefile-outside-tree", 'templatefile("../secret.txt", {})', Unresolved("outside")),
    case("templatefile-missing", 'templatefile("missing.tftpl", {})', Unresolved("cannot read")),
    case("templatefile-bad-variable-name", 'templatefile("hello.txt", {"1a" = 1})', FAILS),
    case("templatefile-vars-not-a-map", 'templatefile("hello.txt", ["a"])', FAILS),
    case("templatefile-unknown-vars", 'templatefile("hello.txt", var.unset)', UNSET),
    case("templatefile-unknown-path", "templatefile(var.unset, {})", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/fileexists
    case("fileexists-example", 'fileexists("${path.module}/hello.txt")', True),
    case(
        "fileexists-conditional",
        'fileexists("custom-section.sh") ? file("custom-section.sh") : "default"',
        "echo custom\n",
    ),
    case("fileexists-missing", 'fileexists("missing.txt")', False),
    case("fileexists-directory-is-an-error", 'fileexists(".")', Unresolved("regular file")),
    case("fileexists-outside-tree", 'fileexists("../secret.txt")', Unresolved("outside")),
    case("fileexists-unknown", "fileexists(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/dirname
    case("dirname-example", 'dirname("foo/bar/baz.txt")', "foo/bar"),
    case("dirname-empty", 'dirname("")', "."),
    case("dirname-root", 'dirname("/foo")', "/"),
    case("dirname-bare-name", 'dirname("foo")', "."),
    case("dirname-trailing-slash", 'dirname("foo/bar/")', "foo/bar"),
    case("dirname-cleaned", 'dirname("a//b/c")', "a/b"),
    case("dirname-null", "dirname(null)", FAILS),
    case("dirname-unknown", "dirname(var.unset)", UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/basename
    case("basename-example", 'basename("foo/bar/baz.txt")', "baz.txt"),
    case("basename-empty", 'basename("")', "."),
    case("basename-root", 'basename("/")', "/"),
    case("basename-trailing-slash", 'basename("foo/bar/")', "bar"),
    case("basename-null", "basename(null)", FAILS),
]


@pytest.mark.parametrize(("expression", "expected"), FILE_FUNCTIONS)
def test_file_functions(expression: str, expected: Any, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("not part of the scan")
    check(expression, expected, tmp_path)


def test_abspath_is_the_working_directory_joined(tmp_path: Path) -> None:
    # https://developer.hashicorp.com/terraform/language/functions/abspath
    # `abspath(path.root)` gives the root's absolute path; relative paths join path.cwd.
    directory = module_dir(tmp_path, '[abspath(path.root), abspath("a/../b"), abspath("/x/y")]')
    root = str(directory.resolve())
    assert instance_at(directory).local("x") == [root, f"{root}/b", "/x/y"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param("abspath(null)", FAILS, id="null"),
        pytest.param("abspath(var.unset)", UNSET, id="unknown"),
        pytest.param("abspath([])", FAILS, id="list"),
    ],
)
def test_abspath_edge_cases(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


def test_a_child_module_reads_files_relative_to_its_own_directory(tmp_path: Path) -> None:
    # https://developer.hashicorp.com/terraform/language/functions/file: paths are relative to
    # the module's directory, while abspath() joins the working directory (path.cwd).
    directory = module_dir(tmp_path, "[module.child.content, module.child.cwd]")
    (directory / "data.txt").write_text("root data")
    child = directory / "child"
    child.mkdir()
    (child / "data.txt").write_text("child data")
    (child / "main.tf").write_text(
        'output "content" { value = file("data.txt") }\noutput "cwd" { value = abspath(".") }\n'
    )
    (directory / "calls.tf").write_text('module "child" { source = "./child" }\n')
    assert instance_at(directory).local("x") == ["child data", str(directory.resolve())]


def test_a_symlink_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    directory = module_dir(tmp_path, 'file("link.txt")')
    (tmp_path / "secret.txt").write_text("not part of the scan")
    (directory / "link.txt").symlink_to(tmp_path / "secret.txt")
    value = instance_at(directory).local("x")
    assert matches(value, Unresolved("outside the scanned tree")), value


def test_file_functions_in_a_variables_file_are_unknown() -> None:
    # .tfvars values have no module directory to read from: the call cannot be evaluated.
    values = parse_assignments(
        'a = file("x")\nb = fileexists("x")\nc = templatefile("x", {})\nd = abspath("x")\n',
        "test.tfvars",
    )
    assert isinstance(values, dict)
    assert all(isinstance(value, Unknown) for value in values.values()), values


# ---- try and can ----------------------------------------------------------------------------

TRY_AND_CAN = [
    # https://developer.hashicorp.com/terraform/language/functions/try
    case("try-attribute-present", 'try(local.foo.bar, "fallback")', "baz"),
    case("try-attribute-absent", 'try(local.foo.boop, "fallback")', "fallback"),
    case(
        "try-undeclared-is-not-caught",
        'try(local.nonexist, "fallback")',
        FAILS,
    ),
    case(
        "try-normalizes-decoded-data",
        '{ name = tostring(try(yamldecode(file("example.yaml")).name, null)), '
        'groups = try(yamldecode(file("example.yaml")).groups, []) }',
        {"name": "app", "groups": []},
    ),
    case("try-function-error-caught", 'try(jsondecode("{"), "x")', "x"),
    case("try-null-is-a-value", 'try(null, "x")', None),
    case("try-all-fail", 'try(regex("z", "a"), local.foo.boop)', FAILS),
    case("try-unknown-first", 'try(var.unset, "x")', UNSET),
    case("try-unknown-attribute", 'try(var.unset.attr, "x")', UNSET),
    case("try-unknown-after-failure", 'try(local.foo.boop, var.unset, "x")', UNSET),
    # https://developer.hashicorp.com/terraform/language/functions/can
    case("can-attribute-present", "can(local.foo.bar)", True),
    case("can-attribute-absent", "can(local.foo.boop)", False),
    case("can-regex-no-match", 'can(regex("^[a-z]+$", "ABC"))', False),
    case("can-conversion", 'can(tonumber("1"))', True),
    case("can-conversion-fails", 'can(tonumber("x"))', False),
    case("can-unknown", "can(var.unset)", UNSET),
]


@pytest.mark.parametrize(("expression", "expected"), TRY_AND_CAN)
def test_try_and_can(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param('"a"', ["a"], id="string"),
        pytest.param('["a", "b"]', ["a", "b"], id="list"),
        pytest.param("{}", FAILS, id="neither"),
    ],
)
def test_try_normalizes_a_string_or_a_list(value: str, expected: Any, tmp_path: Path) -> None:
    # https://developer.hashicorp.com/terraform/language/functions/try (second example)
    prelude = f'variable "example" {{\n  default = {value}\n}}\n'
    actual = evaluate("try([tostring(var.example)], tolist(var.example))", tmp_path, prelude)
    assert matches(actual, expected), actual


# ---- known only at apply time ---------------------------------------------------------------

APPLY_TIME = [
    # https://developer.hashicorp.com/terraform/language/functions/timestamp
    case("timestamp-unknown", "timestamp()", Unresolved("apply")),
    case("timestamp-in-a-string", '"at-${timestamp()}"', "at-${timestamp()}"),
    # https://developer.hashicorp.com/terraform/language/functions/uuid
    case("uuid-unknown", "uuid()", Unresolved("apply")),
    case("uuid-through-a-function", "upper(uuid())", Unresolved("apply")),
]


@pytest.mark.parametrize(("expression", "expected"), APPLY_TIME)
def test_apply_time_functions(expression: str, expected: Any, tmp_path: Path) -> None:
    check(expression, expected, tmp_path)
