"""Output formats: small modules behind one dict, each rendering a Report to text."""

from __future__ import annotations

from collections.abc import Callable

from anyscale_lint.engine.report import Report
from anyscale_lint.formatters import json_report, sarif, text

Formatter = Callable[[Report], str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
}
