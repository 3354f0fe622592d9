"""Layering, start-up cost and generated docs: the architecture's promises, checked."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

from anyscale_lint.docs_gen import expected_files
from anyscale_lint.engine.registry import load_metadata, registered_rules
from tests.conftest import REPO

PACKAGE = REPO / "anyscale_lint"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("anyscale_lint")}


def _layer(package: str) -> dict[Path, set[str]]:
    return {path: _imports(path) for path in (PACKAGE / package).rglob("*.py")}


def test_model_imports_nothing_else_from_the_package() -> None:
    for path, imports in _layer("model").items():
        assert all(name.startswith("anyscale_lint.model") for name in imports), (path, imports)


def test_providers_import_only_the_model() -> None:
    # (and each other: every provider's table is made of providers/inputs.py's RegisterInput)
    allowed = ("anyscale_lint.model", "anyscale_lint.providers")
    for path, imports in _layer("providers").items():
        assert all(name.startswith(allowed) for name in imports), (path, imports)


def test_nothing_above_the_sources_asks_which_source_built_a_model() -> None:
    # Sources state facts on the model (holds_network, ids_assigned_at_apply, ...) instead.
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if (PACKAGE / "sources") in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(
                isinstance(part, ast.Attribute) and part.attr == "source_kind"
                for part in (node.left, *node.comparators)
            ):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not offenders, offenders


def test_only_the_terraform_source_spells_terraform_interpolations() -> None:
    # Partly known values and links are typed (model/values.py: Partial, Ref, Unknown); only
    # the Terraform source builds or reads Terraform's `${...}` spelling of them.
    terraform = PACKAGE / "sources" / "terraform"
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in PACKAGE.rglob("*.py")
        if terraform not in path.parents
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "${" in line
    ]
    assert not offenders, offenders


def test_readiness_holds_no_rule_ids() -> None:
    # Sections and checklist rows come from each rule's metadata (rules/*.yaml `readiness`).
    rule_id = re.compile(r"\b(?:AWS|GCP|CORE)-[A-Z0-9]+-?[0-9]*\b")
    for path in (PACKAGE / "readiness").rglob("*.py"):
        found = rule_id.findall(path.read_text(encoding="utf-8"))
        assert not found, (path, found)


def test_checks_import_model_iam_and_engine_only() -> None:
    allowed = (
        "anyscale_lint.model",
        "anyscale_lint.iam",
        "anyscale_lint.engine",
        "anyscale_lint.checks",
        "anyscale_lint.providers",
    )
    for path, imports in _layer("checks").items():
        assert all(name.startswith(allowed) for name in imports), (path, imports)


def test_sources_never_import_checks_or_formatters() -> None:
    for path, imports in _layer("sources").items():
        assert not any(
            name.startswith(("anyscale_lint.checks", "anyscale_lint.formatters"))
            for name in imports
        ), path


def test_formatters_never_import_sources() -> None:
    for path, imports in _layer("formatters").items():
        assert not any(name.startswith("anyscale_lint.sources") for name in imports), path


def test_formatters_and_readiness_never_recompute_identification() -> None:
    # They render the deployment identification built (parts, utility subnets, trust), and the
    # engine's results; importing identification or IAM analysis would mean judging again.
    forbidden = (
        "anyscale_lint.engine.identify",
        "anyscale_lint.engine.topology",
        "anyscale_lint.iam",
    )
    for layer in ("formatters", "readiness"):
        for path, imports in _layer(layer).items():
            assert not any(name.startswith(forbidden) for name in imports), (path, imports)


def test_engine_never_imports_a_source() -> None:
    for path, imports in _layer("engine").items():
        assert not any(name.startswith("anyscale_lint.sources") for name in imports), (
            path,
            imports,
        )


def test_scan_imports_neither_boto3_nor_google(tmp_path: Path) -> None:
    import boto3  # noqa: F401  - installed here, so an import by scan would succeed and be seen

    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" { bucket = "x" }\n')
    probe = (
        "import sys; from anyscale_lint.cli import main\n"
        "try:\n    main(['scan', '.', '-f', 'json'])\nexcept SystemExit:\n    pass\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', "
        "'google'))\n"
        "print('IMPORTED:', bad, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
    )
    assert "IMPORTED: []" in result.stderr, result.stderr


def test_every_rule_yaml_has_a_check_and_back() -> None:
    rules = registered_rules()
    assert {meta.id for meta, _ in rules} == set(load_metadata())
    assert len(rules) >= 25


def test_generated_rule_docs_are_current() -> None:
    stale = [
        str(path)
        for path, content in expected_files(REPO / "docs").items()
        if not path.is_file() or path.read_text(encoding="utf-8") != content
    ]
    assert not stale, f"run `python -m anyscale_lint.docs_gen`: stale {stale}"
