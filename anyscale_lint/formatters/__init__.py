"""Output formats: small modules behind one dict, each rendering a Report to text.

Each module is imported when its format is asked for, so a scan pays only for the formats it
writes (the JUnit writer alone pulls in xml.etree). Every format goes through `redacted`: the
report is redacted before rendering and the rendered text once more, so no format shows a
sensitive value.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace

from anyscale_lint.engine.redaction import Redactor
from anyscale_lint.engine.report import Report

Formatter = Callable[[Report], str]


def redacted(formatter: Formatter) -> Formatter:
    """A formatter that sees the report redacted, and whose output is redacted once more."""

    def render(report: Report) -> str:
        redactor = Redactor(report.sensitive_values)
        return redactor.rendered(formatter(redact_report(report, redactor)))

    render.__doc__ = formatter.__doc__
    return render


def redact_report(report: Report, redactor: Redactor) -> Report:
    """The report with sensitive values replaced in everything a formatter prints of it."""
    if not redactor:
        return report
    return replace(
        report,
        inputs=redactor.scrub(report.inputs),
        results=redactor.scrub(report.results),
        errors=redactor.scrub(report.errors),
        notices=redactor.scrub(report.notices),
    )


def _lazy(module: str) -> Formatter:
    @redacted
    def render(report: Report) -> str:
        formatter: Formatter = importlib.import_module(f"anyscale_lint.formatters.{module}").render
        return formatter(report)

    render.__doc__ = f"Render with anyscale_lint.formatters.{module}."
    return render


@redacted
def readiness(report: Report) -> str:
    """`scan -f readiness`: the readiness report (Markdown) of the scanned deployments."""
    from anyscale_lint.formatters import readiness_markdown
    from anyscale_lint.readiness.build import build_readiness

    account = report.settings.anyscale_account_id
    redactor = Redactor(report.sensitive_values)
    return readiness_markdown.render(redactor.scrub(build_readiness(report)), account)


FORMATTERS: dict[str, Formatter] = {
    "text": _lazy("text"),
    "json": _lazy("json_report"),
    "sarif": _lazy("sarif"),
    "github": _lazy("github"),
    "junit": _lazy("junit"),
    "markdown": _lazy("markdown"),
    "readiness": readiness,
}
