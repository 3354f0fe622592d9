"""Output formats: small modules behind one dict, each rendering a Report to text.

Each module is imported when its format is asked for, so a scan pays only for the formats it
writes (the JUnit writer alone pulls in xml.etree).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from anyscale_lint.engine.report import Report

Formatter = Callable[[Report], str]


def _lazy(module: str) -> Formatter:
    def render(report: Report) -> str:
        formatter: Formatter = importlib.import_module(f"anyscale_lint.formatters.{module}").render
        return formatter(report)

    render.__doc__ = f"Render with anyscale_lint.formatters.{module}."
    return render


def readiness(report: Report) -> str:
    """`scan -f readiness`: the readiness report (Markdown) of the scanned deployments."""
    from anyscale_lint.formatters import readiness_markdown
    from anyscale_lint.readiness.build import build_readiness

    account = report.settings.anyscale_account_id
    return readiness_markdown.render(build_readiness(report), account)


FORMATTERS: dict[str, Formatter] = {
    "text": _lazy("text"),
    "json": _lazy("json_report"),
    "sarif": _lazy("sarif"),
    "github": _lazy("github"),
    "junit": _lazy("junit"),
    "markdown": _lazy("markdown"),
    "readiness": readiness,
}
