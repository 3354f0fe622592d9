"""The code stays `ruff` and `mypy --strict` clean (configured in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: it is part of the [test] extras")
    return found


def test_ruff_check_and_format() -> None:
    check = subprocess.run(
        [_tool("ruff"), "check", "."], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, check.stdout
    formatted = subprocess.run(
        [_tool("ruff"), "format", "--check", "anyscale_lint", "tests", "scripts"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert formatted.returncode == 0, formatted.stdout


def test_mypy_strict() -> None:
    result = subprocess.run([_tool("mypy")], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout
