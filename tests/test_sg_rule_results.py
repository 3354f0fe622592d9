"""One security-group result per offending rule (inline block or rule resource), at its own
lines: the rule resource is the result's resource, the group is named in the message, and
inline ignores and baselines attach to that one rule."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.engine.baseline import Baseline, BaselineEntry, apply_baseline
from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.report import Report
from anyscale_lint.model import SourceSpan

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sg_rule_results"
TODAY = dt.date(2026, 1, 15)


def scan(root: Path, *rules: str) -> Report:
    report = lint([str(root)], LintOptions(select=list(rules), today=TODAY))
    assert not report.errors, report.errors
    return report


def failures(report: Report, rule_id: str) -> list[Result]:
    return [r for r in report.results if r.rule_id == rule_id and r.outcome == "fail"]


def lines(result: Result) -> tuple[int, int]:
    assert isinstance(result.location, SourceSpan)
    return result.location.start_line, result.location.end_line


@pytest.fixture
def inline(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "inline_blocks", tmp_path / "inline"))


@pytest.fixture
def split(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "rule_resources", tmp_path / "split"))


def test_ssh_and_http_open_to_the_world_are_two_findings_at_their_blocks(inline: Path) -> None:
    found = failures(scan(inline, "AWS-SG-004"), "AWS-SG-004")
    assert sorted(lines(r) for r in found) == [(30, 36), (38, 44)]
    assert {r.resource for r in found} == {"aws_security_group.nodes"}
    by_line = {lines(r)[0]: r for r in found}
    assert "tcp/22 open to 0.0.0.0/0" in by_line[30].message
    assert "tcp/80" not in by_line[30].message
    assert "tcp/80 open to 0.0.0.0/0" in by_line[38].message
    assert len({r.fingerprint for r in found}) == 2


def test_rule_resources_are_the_resources_of_their_findings(split: Path) -> None:
    found = failures(scan(split, "AWS-SG-005"), "AWS-SG-005")
    assert sorted((r.resource, lines(r)) for r in found) == [
        ("aws_security_group_rule.ssh", (29, 36)),
        ("aws_vpc_security_group_ingress_rule.ssh_v6", (39, 45)),
    ]
    assert all("aws_security_group.nodes" in r.message for r in found)


def test_inline_ignore_on_a_rule_resource_applies_to_that_rule_only(split: Path) -> None:
    report = scan(split, "AWS-SG-005", "CORE-002")
    found = {r.resource: r for r in failures(report, "AWS-SG-005")}
    ignored = found["aws_vpc_security_group_ingress_rule.ssh_v6"]
    assert ignored.suppression is not None
    assert ignored.suppression.reason == "IPv6 bastion, tracked in OPS-12"
    assert found["aws_security_group_rule.ssh"].active
    assert not failures(report, "CORE-002"), "the ignore matched a finding"


def test_inline_ignore_above_an_inline_block_applies_to_that_block_only(inline: Path) -> None:
    text = (inline / "main.tf").read_text(encoding="utf-8")
    ignore = '  # anyscale-lint:ignore AWS-SG-004 reason="web port, tracked in OPS-7"\n'
    marker = '  ingress {\n    description = "HTTP"'
    (inline / "main.tf").write_text(text.replace(marker, ignore + marker), encoding="utf-8")
    found = failures(scan(inline, "AWS-SG-004", "CORE-002"), "AWS-SG-004")
    by_port = {("tcp/80" in r.message): r for r in found}
    assert by_port[True].suppression is not None
    assert by_port[False].active


def test_baseline_entry_for_one_rule_does_not_hide_another(inline: Path, split: Path) -> None:
    for root, rule_id in ((inline, "AWS-SG-004"), (split, "AWS-SG-005")):
        report = scan(root, rule_id)
        first, second = sorted(failures(report, rule_id), key=lines)
        entry = BaselineEntry(
            first.fingerprint, rule_id, first.deployment, first.resource, first.message
        )
        applied = apply_baseline(report, Baseline(root / "baseline.json", "", (entry,)))
        after = {lines(r): r for r in failures(applied, rule_id)}
        assert after[lines(first)].baselined
        assert not after[lines(second)].baselined, f"{rule_id}: one entry hid two rules"
