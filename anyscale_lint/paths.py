"""Locate the rule metadata and schemas: in a wheel, an editable install or a source checkout."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`rules` or `schemas`: inside the package (wheel) or beside it (checkout, editable)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"anyscale-lint's {name}/ directory is missing from the installation")


def rules_dir() -> Path:
    """The directory of rules/*.yaml."""
    return data_dir("rules")


def schemas_dir() -> Path:
    """The directory of the JSON schemas."""
    return data_dir("schemas")


def cache_dir() -> Path:
    """The user cache directory (ANYSCALE_LINT_CACHE_DIR overrides; XDG_CACHE_HOME honoured)."""
    explicit = os.environ.get("ANYSCALE_LINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "anyscale-lint"
