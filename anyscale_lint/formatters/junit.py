"""JUnit XML for CI test reports: one suite per rule, one test case per rule x resource result."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.report import Report
from anyscale_lint.formatters.common import echoes_error, error_id, error_source
from anyscale_lint.formatters.locations import display_location, scan_root
from anyscale_lint.model import ParseError

# Characters XML 1.0 cannot hold even escaped (a parse error may quote a binary file).
_NOT_XML = re.compile(r"[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
# The deployment key of errors that belong to no deployment, as the engine names it.
INPUTS_CLASSNAME = "(inputs)"
_OUTCOMES = ("failure", "error", "skipped")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=_text(classname), name=_text(name))


def _skip_reason(result: Result) -> str | None:
    if result.suppression is not None:
        return f"suppressed ({result.suppression.kind}): {result.suppression.reason}"
    if result.baselined:
        return f"baselined: {result.message}"
    if result.outcome == "unknown":
        return f"unknown: {result.message}"
    if result.outcome == "not-evaluated":
        return f"not evaluated: {result.message}"
    return None


def _failure_body(result: Result, root: Path) -> str:
    lines = [result.message]
    where = display_location(result.location, root)
    if where:
        lines.append(f"location: {where}")
    if result.value is not None:
        lines.append(f"value: {result.value}")
    if result.remediation:
        lines.append(f"fix: {result.remediation}")
    return "\n".join(lines)


def _result_case(suite: ET.Element, result: Result, root: Path) -> None:
    case = _case(suite, result.deployment, f"{result.rule_id} {result.resource}")
    reason = _skip_reason(result)
    if reason is not None:
        ET.SubElement(case, "skipped", message=_text(reason))
    elif result.outcome == "fail":
        failure = ET.SubElement(
            case, "failure", message=_text(result.message), type=result.severity
        )
        failure.text = _text(_failure_body(result, root))


def _error_case(suite: ET.Element, error: ParseError, root: Path) -> None:
    source = error_source(error, root)
    case = _case(suite, INPUTS_CLASSNAME, f"{error_id(error)} {source}")
    element = ET.SubElement(case, "error", message=_text(error.message), type=error.kind)
    where = f"{source}:{error.line}" if error.line else source
    element.text = _text(f"{where}: {error.message}")


def _count(suite: ET.Element) -> Counter[str]:
    counts: Counter[str] = Counter()
    for case in suite.iter("testcase"):
        counts["tests"] += 1
        counts.update(child.tag for child in case if child.tag in _OUTCOMES)
    return counts


def render(report: Report) -> str:
    """The report as a JUnit XML document (Jenkins `junit-10.xsd` / Ant layout)."""
    root = scan_root(report.inputs)
    results: dict[str, list[Result]] = defaultdict(list)
    for result in report.results:
        if not echoes_error(result, report.errors):
            results[result.rule_id].append(result)
    errors: dict[str, list[ParseError]] = defaultdict(list)
    for error in report.errors:
        errors[error_id(error)].append(error)
    suites = ET.Element("testsuites", name="anyscale-lint")
    totals: Counter[str] = Counter()
    for rule_id in sorted({meta.id for meta in report.rules} | set(results) | set(errors)):
        suite = ET.SubElement(suites, "testsuite", name=rule_id)
        for result in results[rule_id]:
            _result_case(suite, result, root)
        for error in errors[rule_id]:
            _error_case(suite, error, root)
        counts = _count(suite)
        totals.update(counts)
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failure"]))
        suite.set("errors", str(counts["error"]))
        suite.set("skipped", str(counts["skipped"]))
    # junit-10.xsd allows no `skipped` on <testsuites>: readers sum it from the suites.
    suites.set("tests", str(totals["tests"]))
    suites.set("failures", str(totals["failure"]))
    suites.set("errors", str(totals["error"]))
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
