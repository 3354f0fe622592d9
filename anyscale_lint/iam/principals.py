"""Principals: normalization (`"123"` == `arn:aws:iam::123:root`) and account extraction."""

from __future__ import annotations

import functools
import importlib.util
import logging
import re
import sys
import types
from typing import Any

_ACCOUNT = re.compile(r"^\d{12}$")


def normalize_aws_principal(identifier: str) -> str:
    """A bare 12-digit account becomes the account's root ARN, as IAM stores it."""
    if _ACCOUNT.match(identifier):
        return f"arn:aws:iam::{identifier}:root"
    return identifier


@functools.lru_cache(maxsize=1024)
def principal_account(identifier: str) -> str | None:
    """The account an AWS principal belongs to, or None when it is not an ARN with one."""
    if identifier == "*" or "${" in identifier:
        return None
    arn = _arn_class()(normalize_aws_principal(identifier))
    if arn.error or not arn.account_number:
        return None
    return str(arn.account_number)


def arn_partition(identifier: str) -> str | None:
    """The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), or None."""
    parts = identifier.split(":")
    return parts[1] if len(parts) >= 6 and parts[0] == "arn" else None
