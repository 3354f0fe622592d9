"""rules/ and schemas/ are found from a wheel, an editable install and a source checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

PROBE = (
    "import anyscale_lint, anyscale_lint.paths as p;"
    "from anyscale_lint.engine.registry import registered_rules;"
    "print(anyscale_lint.__file__); print(p.rules_dir()); print(len(registered_rules()))"
)


def _probe(env_path: Path | None, cwd: Path) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if env_path is not None:
        environment["PYTHONPATH"] = str(env_path)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once per test run (no network: hatchling comes from the test extras)."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return next(out.glob("anyscale_lint-*.whl"))


def test_wheel_ships_rules_schemas_and_action_table(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "anyscale_lint/rules/AWS-SG-001.yaml" in names
    assert "anyscale_lint/schemas/rule.schema.json" in names
    assert "anyscale_lint/iam/data/aws_actions.json" in names
    assert "anyscale_lint/iam/data/aws_managed_policies.json" in names
    assert "anyscale_lint/data/anyscale_modules/index.json" in names
    assert "anyscale_lint/data/anyscale_modules/aws-anyscale-securitygroups/main.tf" in names


def test_installed_wheel_finds_its_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    package, rules, count = _probe(target, tmp_path)
    assert package.startswith(str(target)) and rules == str(target / "anyscale_lint" / "rules")
    assert int(count) >= 25


def test_editable_install_finds_the_checkout_data(tmp_path: Path) -> None:
    package, rules, count = _probe(None, tmp_path)
    if not package.startswith(str(REPO)):
        pytest.skip(f"anyscale_lint is not installed editable from this checkout ({package})")
    assert rules == str(REPO / "rules") and int(count) >= 25


def test_source_checkout_without_install_finds_its_data(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    for name in ("anyscale_lint", "rules", "schemas"):
        shutil.copytree(REPO / name, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
    package, rules, count = _probe(checkout, tmp_path)
    assert package.startswith(str(checkout)) and rules == str(checkout / "rules")
    assert int(count) >= 25
