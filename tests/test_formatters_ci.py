"""CI formats (GitHub workflow commands, JUnit XML, Markdown) and SARIF's category and limit."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from anyscale_lint.api import lint
from anyscale_lint.engine.findings import Result, Suppression, severity_rank
from anyscale_lint.engine.registry import load_metadata
from anyscale_lint.engine.report import Report
from anyscale_lint.formatters import FORMATTERS, sarif
from anyscale_lint.formatters.locations import scan_root
from anyscale_lint.model import CloudRef, ParseError, SourceSpan
from tests.test_sarif import sarif_validator

REPO = Path(__file__).resolve().parents[1]
INSECURE = "examples/aws-insecure"
GITHUB_LEVELS = {"critical": "error", "high": "error", "medium": "warning"}
# `::level key=value,...::message`: escaped property values hold no `:`.
COMMAND = re.compile(r"^::(?P<level>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")
NASTY = "100% of 0.0.0.0/0, then:\r\nmore | pipes & <b>tags</b>"
PARSE_MESSAGE = "Unexpected token '=' (expected an expression)"


@pytest.fixture(scope="module")
def insecure() -> Iterator[Report]:
    """The committed insecure example, scanned from the repository root."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        yield lint([INSECURE])


def finding(tmp_path: Path, **changes: Any) -> Result:
    """A critical SSH finding in tmp_path/main.tf, with `changes` applied."""
    base = Result(
        rule_id="AWS-SG-005",
        outcome="fail",
        severity="critical",
        deployment="prod",
        resource="aws_security_group.ssh",
        message=NASTY,
        location=SourceSpan(str(tmp_path / "main.tf"), 3, 9),
        value="0.0.0.0/0",
        remediation="Close port 22",
    )
    return replace(base, **changes)


@pytest.fixture
def edge_report(tmp_path: Path) -> Report:
    """Every edge case at once: escaping, a cloud location, waived findings, a parse error."""
    broken = str(tmp_path / "broken.tf")
    results = [
        finding(tmp_path, severity="low", rule_id="AWS-SG-001", message="low one"),
        finding(tmp_path, outcome="pass", message="passes"),
        finding(
            tmp_path,
            rule_id="AWS-IAM-001",
            outcome="unknown",
            severity="high",
            resource="role",
            message="trust depends on var.account",
            location=CloudRef("aws", "123456789012", "us-west-2", "arn:aws:iam::1:role/x"),
        ),
        finding(
            tmp_path,
            severity="medium",
            rule_id="AWS-SG-004",
            message="odd path",
            location=SourceSpan(str(tmp_path / "a,b:c" / "sg.tf"), 1, 2),
            remediation="",
        ),
        finding(tmp_path, suppression=Suppression("inline", "VPN-only bastion | ok")),
        finding(tmp_path, rule_id="AWS-SG-006", baselined=True, message="old news"),
        finding(
            tmp_path,
            rule_id="CORE-001",
            severity="high",
            resource=broken,
            message=f"{broken} could not be parsed at line 3: {PARSE_MESSAGE}.",
            location=SourceSpan(broken, 3, 3),
            value=PARSE_MESSAGE,
        ),
        finding(tmp_path),
    ]
    metadata = load_metadata()
    rule_ids = sorted({r.rule_id for r in results})
    return Report(
        version="9.9.9",
        inputs=[str(tmp_path)],
        results=results,
        rules=[metadata[rule_id] for rule_id in rule_ids],
        errors=[ParseError(broken, 3, PARSE_MESSAGE)],
    )


def unescape(text: str) -> str:
    """The inverse of @actions/core's escaping (`%25` last, so `%253A` stays `%3A`)."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command line as (level, unescaped properties, unescaped message)."""
    match = COMMAND.match(line)
    assert match, line
    properties = dict(pair.split("=", 1) for pair in (match["props"] or "").split(",") if pair)
    return (
        match["level"],
        {key: unescape(value) for key, value in properties.items()},
        unescape(match["message"]),
    )


def relative(result: Result, root: Path) -> str:
    """The path of a result's source span relative to `root`."""
    assert isinstance(result.location, SourceSpan)
    return Path(result.location.path).resolve().relative_to(root).as_posix()


# GitHub workflow commands


def test_github_annotates_every_active_finding_of_the_example(insecure: Report) -> None:
    lines = FORMATTERS["github"](insecure).splitlines()
    *commands, summary = lines
    active = [r for r in insecure.results if r.active]
    assert len(commands) == len(active) > 0
    assert "::" not in summary and summary.startswith("anyscale-lint: ")
    root = scan_root(insecure.inputs)
    expected = Counter(
        (
            GITHUB_LEVELS.get(r.severity, "notice"),
            r.rule_id,
            relative(r, root),
            f"{r.message} Fix: {r.remediation}" if r.remediation else r.message,
        )
        for r in active
    )
    seen: Counter[tuple[str, str, str, str]] = Counter()
    ranks = []
    for line in commands:
        level, properties, message = parse_command(line)
        assert (root / properties["file"]).is_file()
        assert int(properties["line"]) <= int(properties["endLine"])
        seen[(level, properties["title"], properties["file"], message)] += 1
        ranks.append(["notice", "warning", "error"].index(level))
    assert seen == expected
    assert ranks == sorted(ranks, reverse=True)


def test_github_escapes_skips_waived_and_ends_with_parse_errors(edge_report: Report) -> None:
    lines = FORMATTERS["github"](edge_report).splitlines()
    assert lines[:-1] == [
        "::error file=main.tf,line=3,endLine=9,title=AWS-SG-005::"
        "100%25 of 0.0.0.0/0, then:%0D%0Amore | pipes & <b>tags</b> Fix: Close port 22",
        "::notice title=AWS-IAM-001::Unknown: trust depends on var.account",
        "::warning file=a%2Cb%3Ac/sg.tf,line=1,endLine=2,title=AWS-SG-004::odd path",
        "::notice file=main.tf,line=3,endLine=9,title=AWS-SG-001::low one Fix: Close port 22",
        f"::error file=broken.tf,line=3,title=CORE-001::{PARSE_MESSAGE}",
    ]
    level, properties, message = parse_command(lines[0])
    assert (level, message) == ("error", f"{NASTY} Fix: Close port 22")
    assert properties == {"file": "main.tf", "line": "3", "endLine": "9", "title": "AWS-SG-005"}
    assert parse_command(lines[2])[1]["file"] == "a,b:c/sg.tf"
    # The summary counts the CORE-001 result (high) that the last line restates.
    assert lines[-1].startswith("anyscale-lint: 1 critical, 1 high, 1 medium, 1 low, 0 info")
    assert "1 unknown, 1 suppressed, 1 baselined, 1 input errors" in lines[-1]


# JUnit XML

# What Jenkins' junit-10.xsd (jenkinsci/xunit-plugin) allows, as used by the common CI readers:
# element -> (required attributes, optional attributes, allowed children).
JUNIT_10: dict[str, tuple[set[str], set[str], set[str]]] = {
    "testsuites": (set(), {"name", "time", "tests", "failures", "errors"}, {"testsuite"}),
    "testsuite": (
        {"name", "tests", "failures", "errors"},
        {"group", "time", "skipped", "timestamp", "hostname", "id", "package", "file", "log"}
        | {"url"},
        {"testsuite", "properties", "testcase", "system-out", "system-err"},
    ),
    "testcase": (
        {"name"},
        {"time", "classname", "group"},
        {"skipped", "error", "failure", "system-out", "system-err"},
    ),
    "failure": (set(), {"type", "message"}, set()),
    "error": (set(), {"type", "message"}, set()),
    "skipped": (set(), {"type", "message"}, set()),
}


def check_junit_10(element: ET.Element) -> None:
    """Fail unless `element` and its children keep to junit-10.xsd's elements and attributes."""
    required, optional, children = JUNIT_10[element.tag]
    assert required <= set(element.attrib), (element.tag, element.attrib)
    assert set(element.attrib) <= required | optional, (element.tag, element.attrib)
    for name in {"tests", "failures", "errors", "skipped"} & set(element.attrib):
        assert element.attrib[name].isdigit()
    for child in element:
        assert child.tag in children, (element.tag, child.tag)
        check_junit_10(child)


def junit(report: Report) -> ET.Element:
    """The JUnit rendering of `report`, parsed back and checked against junit-10.xsd."""
    text = FORMATTERS["junit"](report)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites" and root.get("name") == "anyscale-lint"
    check_junit_10(root)
    return root


def outcome_of(case: ET.Element) -> str:
    """`failure`, `error`, `skipped` or `pass` for one test case."""
    tags = [child.tag for child in case]
    assert len(tags) <= 1
    return tags[0] if tags else "pass"


def test_junit_has_a_suite_per_rule_and_a_case_per_result(insecure: Report) -> None:
    root = junit(insecure)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == sorted(m.id for m in insecure.rules)
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(insecure.results) == int(root.get("tests", ""))
    outcomes = Counter(outcome_of(case) for case in cases)
    active_failures = sum(1 for r in insecure.results if r.active and r.outcome == "fail")
    assert outcomes["failure"] == active_failures == int(root.get("failures", ""))
    assert outcomes["error"] == 0 == int(root.get("errors", ""))
    assert outcomes["skipped"] == sum(
        1
        for r in insecure.results
        if r.outcome in ("unknown", "not-evaluated") or (r.is_finding and not r.active)
    )
    assert outcomes["pass"] == sum(1 for r in insecure.results if r.outcome == "pass")
    counts = insecure.counts_by_rule()
    for suite in suites:
        own = Counter(outcome_of(case) for case in suite.findall("testcase"))
        rule_counts = counts[suite.get("name", "")]
        assert int(suite.get("tests", "")) == sum(rule_counts.values()) == sum(own.values())
        assert int(suite.get("failures", "")) == own["failure"] == rule_counts["fail"]
        assert int(suite.get("skipped", "")) == own["skipped"]
    keys = {r.deployment for r in insecure.results}
    assert {case.get("classname") for case in cases} == keys
    first = next(r for r in insecure.results if r.outcome == "fail")
    [case] = [
        c
        for c in root.findall(f"testsuite[@name='{first.rule_id}']/testcase")
        if c.get("name") == f"{first.rule_id} {first.resource}"
        and c.get("classname") == first.deployment
    ]
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == first.severity
    assert failure.get("message") == first.message
    assert isinstance(first.location, SourceSpan)
    where = f"{relative(first, scan_root(insecure.inputs))}:{first.location.start_line}"
    value = [] if first.value is None else [f"value: {first.value}"]
    assert (failure.text or "").splitlines() == [
        first.message,
        f"location: {where}",
        *value,
        f"fix: {first.remediation}",
    ]


def test_junit_skips_waived_and_unknown_and_reports_parse_errors(edge_report: Report) -> None:
    root = junit(edge_report)
    # The CORE-001 result restates the parse error: it appears once, as an <error>.
    assert int(root.get("tests", "")) == len(edge_report.results)
    assert (root.get("failures"), root.get("errors")) == ("3", "1")
    [core] = root.findall("testsuite[@name='CORE-001']")
    [case] = core.findall("testcase")
    assert case.get("name") == "CORE-001 broken.tf"
    error = case.find("error")
    assert error is not None and error.get("message") == PARSE_MESSAGE
    assert (error.get("type"), error.text) == ("parse", f"broken.tf:3: {PARSE_MESSAGE}")
    assert (core.get("tests"), core.get("errors"), core.get("failures")) == ("1", "1", "0")
    skipped = {
        case.get("name"): (case.find("skipped").get("message") or "")
        for case in root.iter("testcase")
        if case.find("skipped") is not None
    }
    assert skipped == {
        "AWS-SG-005 aws_security_group.ssh": "suppressed (inline): VPN-only bastion | ok",
        "AWS-SG-006 aws_security_group.ssh": "baselined: old news",
        "AWS-IAM-001 role": "unknown: trust depends on var.account",
    }
    [ssh] = root.findall("testsuite[@name='AWS-SG-005']")
    assert (ssh.get("tests"), ssh.get("failures"), ssh.get("skipped")) == ("3", "1", "1")
    failure = ssh.find("testcase/failure")
    assert failure is not None
    # ElementTree's parser normalizes a CR LF in text to LF, as every XML parser must.
    assert failure.get("message") == NASTY
    assert (failure.text or "").startswith(NASTY.replace("\r\n", "\n") + "\nlocation: main.tf:3")


def test_junit_replaces_characters_xml_cannot_hold(edge_report: Report) -> None:
    report = replace(edge_report, errors=[ParseError("bin.tf", 1, "bad byte \x00\x1b here")])
    error = junit(report).find("testsuite[@name='CORE-001']/testcase/error")
    assert error is not None and error.get("message") == "bad byte \ufffd\ufffd here"


# Markdown


def table_rows(markdown: str) -> list[list[str]]:
    """Every table body row, split into cells on unescaped `|`."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith(("| Severity ", "| Rule ", "| ---")):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            rows.append([cell.strip() for cell in cells])
    return rows


def test_markdown_lists_each_active_finding_most_severe_first(insecure: Report) -> None:
    text = FORMATTERS["markdown"](insecure)
    assert text.startswith("## anyscale-lint: FAIL\n")
    rows = table_rows(text)
    failures = [r for r in insecure.results if r.active and r.outcome == "fail"]
    assert len(rows) == len(failures) > 0
    assert all(len(row) == 5 for row in rows)
    assert Counter((row[1], row[2].strip("`")) for row in rows) == Counter(
        (r.rule_id, r.resource) for r in failures
    )
    for key in {r.deployment for r in failures}:
        section = text.split(f"### Deployment `{key}`")[1].split("### ")[0]
        ranks = [severity_rank(row[0]) for row in table_rows(section)]
        assert ranks == sorted(ranks, reverse=True)
        assert len(ranks) == sum(1 for r in failures if r.deployment == key)
    rule_ids = sorted(m.id for m in insecure.rules)
    assert text.rstrip().endswith(f"Rules checked ({len(rule_ids)}): {', '.join(rule_ids)}")


def test_markdown_escapes_cells_and_collapses_waived_and_unknown(edge_report: Report) -> None:
    text = FORMATTERS["markdown"](edge_report)
    assert text.startswith("## anyscale-lint: FAIL (incomplete")
    table, unknown, waived = text.split("<details>")
    assert table_rows(table) == [
        [
            "critical",
            "AWS-SG-005",
            "`aws_security_group.ssh`",
            "`main.tf:3`",
            "100% of 0.0.0.0/0, then:<br>more \\| pipes \\& \\<b\\>tags\\</b\\> Fix: Close port 22",
        ],
        ["medium", "AWS-SG-004", "`aws_security_group.ssh`", "`a,b:c/sg.tf:1`", "odd path"],
        [
            "low",
            "AWS-SG-001",
            "`aws_security_group.ssh`",
            "`main.tf:3`",
            "low one Fix: Close port 22",
        ],
    ]
    assert "<summary>1 unknown</summary>" in unknown
    assert table_rows(unknown) == [
        [
            "high",
            "AWS-IAM-001",
            "`role`",
            "`arn:aws:iam::1:role/x`",
            "Unknown: trust depends on var.account",
        ]
    ]
    assert "<summary>2 suppressed or baselined</summary>" in waived
    assert table_rows(waived.split("### Input errors")[0]) == [
        [
            "AWS-SG-005",
            "`aws_security_group.ssh`",
            "`main.tf:3`",
            "suppressed (inline): VPN-only bastion \\| ok",
        ],
        ["AWS-SG-006", "`aws_security_group.ssh`", "`main.tf:3`", "baselined"],
    ]
    assert "CORE-001" not in text.split("### Input errors")[0].split("Rules checked")[0]
    assert f"- `broken.tf` line 3: {PARSE_MESSAGE}" in text


def test_markdown_with_no_findings_says_so(edge_report: Report) -> None:
    passes = [r for r in edge_report.results if r.outcome == "pass"]
    text = FORMATTERS["markdown"](replace(edge_report, results=passes, errors=[], fail_on="high"))
    assert text.splitlines()[:5] == [
        "## anyscale-lint: OK",
        "",
        "0 critical · 0 high · 0 medium · 0 low · 0 info · 0 unknown · 0 suppressed"
        " · 0 input errors",
        "",
        "No findings at or above **high**.",
    ]
    assert "|" not in text and "<details>" not in text


# SARIF: category and the 5,000 results limit


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF rendering of `report`, validated against the official 2.1.0 schema."""
    log: dict[str, Any] = json.loads(sarif.render(report))
    assert [e.message for e in sarif_validator().iter_errors(log)] == []
    return log


@pytest.mark.parametrize(
    ("category", "expected"), [("prod", "prod/"), ("aws/prod/", "aws/prod/"), (None, None)]
)
def test_sarif_category_becomes_the_automation_id(
    insecure: Report, category: str | None, expected: str | None
) -> None:
    [run] = sarif_log(replace(insecure, category=category))["runs"]
    assert run.get("automationDetails") == (None if expected is None else {"id": expected})


def test_sarif_keeps_the_most_severe_results_past_the_limit(
    insecure: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 5)
    [run] = sarif_log(replace(insecure, category="ci"))["runs"]
    total = len(insecure.findings())
    critical = {(r.rule_id, r.resource) for r in insecure.findings() if r.severity == "critical"}
    assert total > 5 and len(critical) >= 5
    assert len(run["results"]) == 5
    assert {(r["ruleId"], r["properties"]["resource"]) for r in run["results"]} <= critical
    [warning] = [
        n for n in run["invocations"][0]["toolExecutionNotifications"] if n["level"] == "warning"
    ]
    assert warning["message"]["text"].startswith(f"{total - 5} of {total} results were left out")
    assert "`-f json`" in warning["message"]["text"]


def test_sarif_limit_puts_failures_before_unknowns_and_waived_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    results = [
        finding(tmp_path, suppression=Suppression("waiver", "accepted"), resource="waived"),
        # Named to sort before the failure: only the outcome may put it second.
        finding(tmp_path, outcome="unknown", resource="a-unknown"),
        finding(tmp_path, severity="low", resource="low"),
        finding(tmp_path, resource="b-failing"),
    ]
    report = Report("9.9.9", [str(tmp_path)], results, [load_metadata()["AWS-SG-005"]])
    [run] = sarif_log(report)["runs"]
    assert [r["properties"]["resource"] for r in run["results"]] == ["b-failing", "a-unknown"]
    assert "automationDetails" not in run
    [warning] = run["invocations"][0]["toolExecutionNotifications"]
    assert warning["message"]["text"].startswith("2 of 4 results were left out")


def test_sarif_under_the_limit_keeps_every_finding_and_adds_no_warning(
    insecure: Report,
) -> None:
    [run] = sarif_log(insecure)["runs"]
    assert len(run["results"]) == len(insecure.findings())
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    assert all(n["level"] != "warning" for n in notifications)
