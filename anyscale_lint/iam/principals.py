"""Principals: normalization (`"123"` == `arn:aws:iam::123:root`) and account extraction."""

from __future__ import annotations

import functools
import importlib.util
import logging
import re
import sys
import types
from typing import Any

from anyscale_lint.model.values import Partial

_ACCOUNT = re.compile(r"^\d{12}$")


def normalize_aws_principal(identifier: str) -> str:
    """A bare 12-digit account becomes the account's root ARN, as IAM stores it."""
    if _ACCOUNT.match(identifier):
        return f"arn:aws:iam::{identifier}:root"
    return identifier


@functools.lru_cache(maxsize=1024)
def principal_account(identifier: str) -> str | None:
    """The account an AWS principal belongs to, or None when it is not an ARN with one."""
    if identifier == "*" or isinstance(identifier, Partial):
        return None
    arn = _arn_class()(normalize_aws_principal(identifier))
    if arn.error or not arn.account_number:
        return None
    return str(arn.account_number)


def arn_partition(identifier: str) -> str | None:
    """The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), or None."""
    parts = identifier.split(":")
    return parts[1] if len(parts) >= 6 and parts[0] == "arn" else None


@functools.lru_cache(maxsize=1)
def _arn_class() -> Any:
    """policyuniverse's ARN parser, without the 6 MB action data its package loads on import.

    `policyuniverse/__init__.py` reads all of its service data (~0.15 s, more than a whole scan
    of a small module); `arn.py` needs only the package's logger. Unless the package is already
    imported, load `arn.py` by itself with a stand-in parent that holds just that logger.
    """
    if "policyuniverse" in sys.modules:
        from policyuniverse.arn import ARN

        return ARN
    spec = importlib.util.find_spec("policyuniverse")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("policyuniverse is not installed")
    directory = next(iter(spec.submodule_search_locations))
    stand_in = types.ModuleType("policyuniverse")
    stand_in.logger = logging.getLogger("policyuniverse")  # type: ignore[attr-defined]
    arn_spec = importlib.util.spec_from_file_location(
        "_anyscale_lint_policyuniverse_arn", f"{directory}/arn.py"
    )
    if arn_spec is None or arn_spec.loader is None:
        raise ImportError("policyuniverse/arn.py is missing")
    module = importlib.util.module_from_spec(arn_spec)
    sys.modules["policyuniverse"] = stand_in
    try:
        arn_spec.loader.exec_module(module)
    finally:
        del sys.modules["policyuniverse"]
    return module.ARN
