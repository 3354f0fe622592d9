"""Bad input yields a located message and exit 3, never a traceback; parsers fuzzed."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.sources.terraform import parser
from anyscale_lint.sources.terraform.loader import TerraformSource
from tests.conftest import as_nobody, console_script, run_cli

GOOD = 'resource "aws_security_group" "g" {\n  name = "g"\n}\n'


def _scan(directory: Path) -> tuple[int, str]:
    result = run_cli("scan", ".", "--exit-zero", cwd=directory)
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, result.stdout


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("binary.tf", b"\x00\x01\x02resource", "binary file"),
        ("latin1.tf", 'a = "caf\xe9"\n'.encode("latin-1"), "not valid UTF-8"),
        ("huge.tf", b"# x\n" * (5 * 1024 * 1024 // 4 + 10), "over the 5 MB limit"),
        ("deep.tf", ("a = " + "[" * 500 + "]" * 500 + "\n").encode(), "nesting deeper"),
    ],
)
def test_unreadable_kinds_of_file(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    (tmp_path / "good.tf").write_text(GOOD)
    (tmp_path / name).write_bytes(content)
    code, output = _scan(tmp_path)
    assert code == 3
    assert f"{name}" in output and expected in output


def test_bom_and_crlf_parse_cleanly(tmp_path: Path) -> None:
    text = GOOD.replace("\n", "\r\n")
    (tmp_path / "main.tf").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "policy.tf").write_bytes(b'locals {\r\n  p = <<EOT\r\n{"a": 1}\r\nEOT\r\n}\r\n')
    code, output = _scan(tmp_path)
    assert code == 0, output


def test_broken_symlink_and_loop(tmp_path: Path) -> None:
    (tmp_path / "good.tf").write_text(GOOD)
    (tmp_path / "dangling.tf").symlink_to(tmp_path / "missing.tf")
    (tmp_path / "loop").symlink_to(tmp_path)
    code, output = _scan(tmp_path)
    assert code == 3 and "dangling.tf" in output and "broken symbolic link" in output


def test_unreadable_file() -> None:
    # Root reads files whatever their mode: as root, the scan runs as nobody.
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        directory.chmod(0o777)
        (directory / "good.tf").write_text(GOOD)
        (directory / "secret.tf").write_text(GOOD)
        (directory / "good.tf").chmod(0o644)
        (directory / "secret.tf").chmod(0)
        prefix = as_nobody() if os.geteuid() == 0 else []
        result = subprocess.run(
            [*prefix, str(console_script()), "scan", ".", "--exit-zero"],
            cwd=directory,
            env={**os.environ, "NO_COLOR": "1", "ANYSCALE_LINT_NO_CACHE": "1"},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert "Traceback" not in result.stderr + result.stdout
    assert (
        result.returncode == 3 and "secret.tf could not be read: permission denied" in result.stdout
    )


def test_empty_directory_says_so(tmp_path: Path) -> None:
    code, output = _scan(tmp_path)
    assert code == 0 and "no Terraform or IAM JSON files found" in output


def test_json_that_is_not_a_policy_is_skipped_with_a_notice(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    code, output = _scan(tmp_path)
    assert (
        code == 0
        and "package.json: skipped, not an IAM policy" in output
        and "CORE-001" not in output
    )


# ---- property-based ---------------------------------------------------------------------------


@given(
    st.text(alphabet=st.sampled_from(list('abc{}[]()"=\n #$%.,:?*<>-~0123456789\\')), max_size=120)
)
def test_malformed_hcl_gives_a_located_parse_error_never_an_internal_one(text: str) -> None:
    try:
        parser.parse(text)
    except parser.HclSyntaxError as error:
        assert error.line is None or error.line >= 1
        assert error.message


_NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda n: n not in {"true", "false", "null", "for", "in", "if"}
)
_LITERALS = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.text(alphabet=st.sampled_from(list("abcxyz 0123-_/:*")), max_size=12).map(
        lambda s: f'"{s}"'
    ),
)


def _expressions() -> st.SearchStrategy[str]:
    return st.recursive(
        st.one_of(_LITERALS, _NAMES.map(lambda n: f"var.{n}"), _NAMES.map(lambda n: f"local.{n}")),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
            st.tuples(inner, inner).map(lambda p: f"({p[0]} + {p[1]})"),
            st.tuples(inner, inner, inner).map(lambda p: f"{p[0]} ? {p[1]} : {p[2]}"),
            st.tuples(
                st.sampled_from(
                    ["length", "tostring", "upper", "jsonencode", "concat", "nosuchfn"]
                ),
                inner,
            ).map(lambda p: f"{p[0]}({p[1]})"),
            inner.map(lambda e: f'"x-${{{e}}}"'),
            st.tuples(_NAMES, inner).map(lambda p: "{ " + f"{p[0]} = {p[1]}" + " }"),
            inner.map(lambda e: f"[for v in [1, 2] : {e}]"),
        ),
        max_leaves=8,
    )


@given(st.dictionaries(_NAMES, _expressions(), min_size=1, max_size=4))
def test_grammar_valid_hcl_parses_and_evaluates_without_internal_errors(
    tmp_path_factory: pytest.TempPathFactory, assignments: dict[str, str]
) -> None:
    directory = tmp_path_factory.mktemp("gen")
    body = "\n".join(f"  {name} = {expression}" for name, expression in assignments.items())
    (directory / "main.tf").write_text(
        f'variable "v" {{ default = 1 }}\nlocals {{\n{body}\n}}\n'
        f'resource "aws_security_group" "g" {{\n{body}\n}}\n'
    )
    source = TerraformSource(directory)
    _, errors = source.evaluate_root(directory)
    assert not source.all_errors(), source.all_errors()
    assert not [e for e in errors if e.kind == "internal"], errors
    report = lint([str(directory)], LintOptions())
    assert not [e for e in report.errors if e.kind == "internal"], report.errors


def test_unparsable_json_alone_reports_only_the_parse_error(tmp_path: Path) -> None:
    # The inputs' errors are held by a pseudo-deployment, which deployment rules must not judge
    # (it once reported "0 node subnets" and every register input missing).
    (tmp_path / "tsconfig.json").write_text('{\n  // comment\n  "compilerOptions": {}\n}\n')
    report = lint([str(tmp_path / "tsconfig.json")], LintOptions())
    failing = [(r.rule_id, r.resource) for r in report.results if r.outcome == "fail"]
    assert failing == [("CORE-001", str(tmp_path / "tsconfig.json"))]
    assert report.exit_code() == 3


@pytest.mark.parametrize("name", ["broken.json", "missing-dir"])
def test_inputs_that_hold_no_model_get_only_the_rules_about_inputs(
    tmp_path: Path, name: str
) -> None:
    # A broken policy file or a path that does not exist is an input error (CORE-001), not a
    # deployment: no deployment rule reports "not evaluated" about it.
    if name.endswith(".json"):
        (tmp_path / name).write_text('{"Version": "2012-10-17", "Statement": [')
    report = lint([str(tmp_path / name)])
    assert [(r.rule_id, r.outcome) for r in report.results] == [("CORE-001", "fail")]
    assert report.exit_code() == 3
