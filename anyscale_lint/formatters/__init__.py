"""Output formats: small modules behind one dict, each rendering a Report to text."""

from __future__ import annotations

from collections.abc import Callable

from anyscale_lint.engine.report import Report
from anyscale_lint.formatters import github, json_report, junit, markdown, sarif, text

Formatter = Callable[[Report], str]


def readiness(report: Report) -> str:
    """`scan -f readiness`: the readiness report (Markdown) of the scanned deployments."""
    from anyscale_lint.formatters import readiness_markdown
    from anyscale_lint.readiness.build import build_readiness

    account = report.settings.anyscale_account_id
    return readiness_markdown.render(build_readiness(report), account)


FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "readiness": readiness,
}
