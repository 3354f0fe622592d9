"""Rule levels: a failure's level sets its severity and Anyscale's effect, and what the
readiness report predicts Anyscale will do never follows a severity set in the config."""

from __future__ import annotations

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import Config
from anyscale_lint.engine.registry import load_metadata
from anyscale_lint.readiness.build import build_readiness
from tests.conftest import REPO

NET_004 = REPO / "tests" / "fixtures" / "AWS-NET-004" / "fail"


def _results(case: str, severities: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    config = Config("test", {"severity": severities} if severities else {})
    report = lint([str(NET_004 / case)], LintOptions(config=config, select=["AWS-NET-004"]))
    return [(r.outcome, r.severity, r.level or "") for r in report.results]


def test_levels_give_each_failure_its_severity() -> None:
    assert _results("vpc_cidr_var_slash_25") == [("fail", "high", "error")]
    assert _results("vpc_slash_22") == [("fail", "low", "warning")]


def test_config_severity_applies_to_every_level() -> None:
    override = {"AWS-NET-004": "medium"}
    assert _results("vpc_cidr_var_slash_25", override) == [("fail", "medium", "error")]
    assert _results("vpc_slash_22", override) == [("fail", "medium", "warning")]


def test_levelled_rules_declare_at_least_two_levels() -> None:
    levelled = {rule_id: meta for rule_id, meta in load_metadata().items() if meta.levels}
    assert {"AWS-NET-004", "AWS-NET-005", "AWS-EFS-001"} <= set(levelled)
    for meta in levelled.values():
        assert len(meta.levels) >= 2, meta.id
    # Anyscale's error and warning sizes are levels that differ in whether Anyscale blocks;
    # AWS-REG-003's levels (a root not identified, parts shared by two deployments) differ in
    # severity only: Anyscale has no such check.
    for rule_id in ("AWS-NET-004", "AWS-NET-005", "AWS-EFS-001"):
        blocks = {level.anyscale_blocks for level in levelled[rule_id].levels.values()}
        assert len(blocks) == 2, rule_id
    for meta in levelled.values():
        distinct = {(level.severity, level.anyscale_blocks) for level in meta.levels.values()}
        assert len(distinct) == len(meta.levels), meta.id


def _predictions(severities: dict[str, str]) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    config = Config("test", {"severity": severities} if severities else {})
    report = lint([str(REPO / "examples" / "aws-insecure")], LintOptions(config=config))
    readiness = build_readiness(report)
    return [
        (
            deployment.key,
            deployment.anyscale_verdict,
            [(r.rule_id, r.anyscale_default, r.anyscale_strict) for r in deployment.requirements],
        )
        for deployment in readiness.deployments
    ]


@pytest.mark.parametrize("severity", ["info", "critical"])
def test_config_severity_does_not_change_what_anyscale_is_predicted_to_do(
    severity: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    baseline = _predictions({})
    overridden = _predictions(dict.fromkeys(load_metadata(), severity))
    assert any("would fail" in verdict for _, verdict, _ in baseline)
    assert overridden == baseline
