"""`scan --changed-only`: changed files expand to the roots using them; results stay local."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from anyscale_lint.changed import changed_scope
from tests.conftest import REPO, run_cli

EXAMPLE = REPO / "examples" / "aws-insecure"
PROD_FILES = [
    f"prod/{name}.tf" for name in ("main", "outputs", "services", "variables", "versions")
]

Finding = tuple[str, str, str, str, str]


def _findings(document: dict[str, Any]) -> set[Finding]:
    return {
        (r["deployment"], r["rule_id"], r["resource"], r["outcome"], r["location"]["path"])
        for r in document["results"]
        if r["outcome"] in ("fail", "unknown")
    }


def _scan_changed(cwd: Path, *files: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("scan", "--changed-only", "-f", "json", *files, cwd=cwd)
    return result.returncode, json.loads(result.stdout)


def _touch(path: Path) -> None:
    """Change a file the way an edit would, without moving any finding's line."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")


@pytest.fixture(scope="module")
def full_scan() -> set[Finding]:
    """Findings of a full scan of the example, with paths as seen from its directory."""
    result = run_cli("scan", "-f", "json", ".", cwd=EXAMPLE)
    assert result.returncode == 1, result.stderr
    return _findings(json.loads(result.stdout))


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of examples/aws-insecure to edit."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "aws-insecure"))


def _located_in(findings: set[Finding], directory: str) -> set[Finding]:
    return {f for f in findings if Path(f[4]).parent == Path(directory)}


def test_help_documents_the_option() -> None:
    # Click wraps the help, hyphenated words included: compare without whitespace.
    help_text = "".join(run_cli("scan", "--help").stdout.split())
    assert "--changed-only" in help_text and "aspre-commitpassesthem" in help_text


def test_changed_module_file_scans_its_root_and_reports_only_that_module(
    example: Path, full_scan: set[Finding]
) -> None:
    _touch(example / "prod/modules/iam/instance.tf")
    code, document = _scan_changed(example, "prod/modules/iam/instance.tf")
    assert code == 1
    assert document["inputs"] == PROD_FILES
    assert [d["key"] for d in document["deployments"]] == ["prod"]
    expected = _located_in(full_scan, "prod/modules/iam")
    assert ("prod", "AWS-IAM-006", "module.iam.aws_iam_role.instance", "fail") in {
        f[:4] for f in expected
    }
    assert _findings(document) == expected
    # Passes of other modules are dropped too; the rule catalog stays for the formatters.
    locations = {Path(r["location"]["path"]).parent for r in document["results"]}
    assert locations == {Path("prod/modules/iam")}
    assert len(document["rules"]) == len(json.loads(run_cli("rules", "--format", "json").stdout))


def test_changed_root_file_reports_the_roots_own_directory(
    example: Path, full_scan: set[Finding]
) -> None:
    _touch(example / "prod/services.tf")
    code, document = _scan_changed(example, "prod/services.tf")
    assert code == 1
    assert document["inputs"] == PROD_FILES
    expected = _located_in(full_scan, "prod")
    assert {f[1] for f in expected} >= {"AWS-EFS-001", "AWS-MDB-001", "AWS-REG-002"}
    assert _findings(document) == expected


def test_changed_variable_file_reports_its_whole_root(
    example: Path, full_scan: set[Finding]
) -> None:
    _touch(example / "prod/terraform.tfvars")
    code, document = _scan_changed(example, "prod/terraform.tfvars")
    assert code == 1
    assert document["inputs"] == PROD_FILES
    # A variable's value shows up in the module resources it flows into.
    assert _findings(document) == {f for f in full_scan if f[0] == "prod"}


def test_unrelated_file_scans_nothing(example: Path) -> None:
    code, document = _scan_changed(example, "README.md")
    assert code == 0
    assert document["inputs"] == [] and document["results"] == []
    assert any("README.md: skipped" in notice for notice in document["notices"])


def test_findings_of_unchanged_modules_do_not_gate(example: Path) -> None:
    labels = example / "prod/modules/labels"
    labels.mkdir()
    (labels / "main.tf").write_text('output "tags" {\n  value = { team = "ml" }\n}\n')
    with (example / "prod/main.tf").open("a", encoding="utf-8") as handle:
        handle.write('\nmodule "labels" {\n  source = "./modules/labels"\n}\n')
    code, document = _scan_changed(example, "prod/modules/labels/main.tf")
    assert document["inputs"] == PROD_FILES
    assert code == 0
    assert _findings(document) == set()


def test_parse_errors_count_only_in_changed_modules(example: Path) -> None:
    broken = example / "prod/modules/network/main.tf"
    broken.write_text(broken.read_text(encoding="utf-8") + '\nresource "aws_vpc" "x" {\n')
    code, document = _scan_changed(example, "prod/modules/iam/instance.tf")
    assert (code, document["errors"]) == (1, [])
    code, document = _scan_changed(example, "prod/modules/network/main.tf")
    assert code == 3
    assert [e["path"] for e in document["errors"]] == ["prod/modules/network/main.tf"]


def _roots(paths: list[str]) -> set[str]:
    return {str(Path(p).parent) for p in changed_scope(paths).inputs}


def test_module_used_by_two_roots_scans_both(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staging = example / "staging"
    staging.mkdir()
    (staging / "main.tf").write_text(
        'module "network" {\n  source   = "../prod/modules/network"\n  name     = "staging"\n'
        '  vpc_cidr = "10.1.0.0/16"\n}\n'
    )
    monkeypatch.chdir(example)
    assert _roots(["prod/modules/network/security_group.tf"]) == {"prod", "staging"}
    assert _roots(["legacy/iam.tf"]) == {"legacy"}


def test_nested_module_calls_reach_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for directory, text in {
        "live/eu": 'module "app" {\n  source = "../../modules/app"\n}\n',
        "modules/app": 'module "net" {\n  source = "../net"\n}\n',
        "modules/net": 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
    }.items():
        (tmp_path / directory).mkdir(parents=True)
        (tmp_path / directory / "main.tf").write_text(text)
    monkeypatch.chdir(tmp_path)
    scope = changed_scope(["modules/net/main.tf"])
    assert scope.inputs == ["live/eu/main.tf"]
    assert scope.kept_dirs == {(tmp_path / "modules/net").resolve()}


def test_template_belongs_to_the_module_that_holds_it(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = example / "prod/modules/iam/templates/trust.json.tmpl"
    template.parent.mkdir()
    template.write_text('{"Version": "2012-10-17"}\n')
    (example / "notes.tmpl").write_text("not Terraform\n")
    monkeypatch.chdir(example)
    scope = changed_scope(["prod/modules/iam/templates/trust.json.tmpl", "notes.tmpl"])
    assert scope.inputs == PROD_FILES
    assert scope.kept_dirs == {(example / "prod/modules/iam").resolve()}
    assert scope.notices == ["notes.tmpl: skipped, no Terraform module directory holds it"]
