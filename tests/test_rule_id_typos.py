"""A mistyped rule ID never silently switches nothing: the CLI and the config exit 2 naming
the ID and the nearest real one; an inline ignore naming no rule is a CORE-002 finding; an
ignore listing IDs with spaces applies to each of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "AWS-SG-004" / "fail" / "admin_ssh_var"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--select", "AWS-XX"], "AWS-XX names no rule"),
        (["--ignore", "AWS-SG-0099"], "AWS-SG-0099 names no rule"),
        (["--select", "AWS-S3-01"], "AWS-S3-01 names no rule (did you mean AWS-S3-001?)"),
    ],
)
def test_unknown_ids_on_the_command_line_exit_2(args: list[str], named: str) -> None:
    result = run_cli("scan", str(FIXTURE), *args)
    assert result.returncode == 2, result.stderr
    assert named.split(" (")[0] in result.stderr
    assert "Traceback" not in result.stderr


def test_select_of_a_family_prefix_is_accepted() -> None:
    result = run_cli("scan", str(FIXTURE), "--select", "AWS-SG", "-f", "json")
    assert result.returncode == 1, result.stderr
    assert {r["rule_id"] for r in json.loads(result.stdout)["results"]} <= {
        f"AWS-SG-00{n}" for n in range(1, 8)
    }


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ("severity:\n  AWS-S3-04: low\n", "AWS-S3-04 names no rule (did you mean AWS-S3-004?)"),
        ("select: [AWS-NETT]\n", "AWS-NETT names no rule (did you mean AWS-NET?)"),
        (
            "waivers:\n  - {rule: AWS-SG-04, resource: '*', reason: vpn}\n",
            "AWS-SG-04 names no rule",
        ),
    ],
)
def test_unknown_ids_in_the_config_exit_2(tmp_path: Path, config: str, named: str) -> None:
    (tmp_path / ".anyscale-lint.yaml").write_text(config, encoding="utf-8")
    result = run_cli("scan", str(FIXTURE), "--config", str(tmp_path / ".anyscale-lint.yaml"))
    assert result.returncode == 2, result.stderr
    assert named in result.stderr
    assert ".anyscale-lint.yaml" in result.stderr


def _with_ignore(tmp_path: Path, comment: str) -> Path:
    root = tmp_path / "root"
    shutil.copytree(FIXTURE, root)
    main = root / "main.tf"
    text = main.read_text(encoding="utf-8")
    marker = '  ingress {\n    description = "SSH for admins"'
    assert marker in text
    main.write_text(text.replace(marker, f"  {comment}\n{marker}"), encoding="utf-8")
    return root


def test_space_separated_ids_in_an_ignore_each_apply(tmp_path: Path) -> None:
    root = _with_ignore(
        tmp_path, '# anyscale-lint:ignore AWS-SG-005 AWS-SG-004 reason="VPN-only admins"'
    )
    result = run_cli("scan", str(root), "-f", "json", "--select", "AWS-SG-004,CORE-002")
    results = json.loads(result.stdout)["results"]
    findings = [r for r in results if r["outcome"] == "fail"]
    sg004 = [r for r in findings if r["rule_id"] == "AWS-SG-004"]
    assert sg004 and all(r["suppressed"] for r in sg004), findings
    assert not [r for r in findings if r["rule_id"] == "CORE-002"], findings


def test_an_ignore_naming_no_rule_is_core_002(tmp_path: Path) -> None:
    root = _with_ignore(tmp_path, '# anyscale-lint:ignore AWS-SG-04 reason="VPN-only admins"')
    result = run_cli("scan", str(root), "-f", "json", "--select", "CORE-002")
    problems = [r for r in json.loads(result.stdout)["results"] if r["rule_id"] == "CORE-002"]
    assert any(
        "AWS-SG-04 names no rule (did you mean AWS-SG-004?)" in r["message"] for r in problems
    )
