"""Terraform's built-in functions, as documented, for static evaluation.

Each function takes the evaluator (for Unknown bookkeeping and file access) and its evaluated
arguments. A whole-Unknown argument makes most results Unknown; strings with `${...}`
markers pass through the string-building functions so partly known values keep their parts.
Importing this package registers every family's functions in FUNCTIONS.
"""

from __future__ import annotations

from anyscale_lint.sources.terraform.functions import (
    apply_time,
    collection,
    conversions,
    encoding,
    files,
    formatting,
    graphemes,
    network,
    regex,
    strings,
)
from anyscale_lint.sources.terraform.functions.base import FUNCTIONS
from anyscale_lint.sources.terraform.functions.encoding import encode_json

__all__ = [
    "FUNCTIONS",
    "apply_time",
    "collection",
    "conversions",
    "encode_json",
    "encoding",
    "files",
    "formatting",
    "graphemes",
    "network",
    "regex",
    "strings",
]
