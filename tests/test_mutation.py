"""Mutation test: each rule's own fixtures must catch a check that always passes and one that
always fails (recorded on the deployment key, as a rule that ignores its input would)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_rules import CASES, Case, run_case

from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import registered_rules, replace_check

RULE_IDS = [meta.id for meta, _ in registered_rules()]


def always_pass(ctx: CheckContext) -> None:
    ctx.passed(ctx.deployment.key)


def always_fail(ctx: CheckContext) -> None:
    ctx.fail(ctx.deployment.key, "mutant: always fails", value="mutant")


MUTANTS: dict[str, Callable[[CheckContext], None]] = {
    "always_pass": always_pass,
    "always_fail": always_fail,
}


def _caught(rule_id: str, mutant: Callable[[CheckContext], None], cases: list[Case]) -> bool:
    """Whether some case's expected results differ from what the mutant produces."""
    previous = replace_check(rule_id, mutant)
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            return any(run_case(case, monkeypatch) != case.results for case in cases)
    finally:
        replace_check(rule_id, previous)


@pytest.mark.parametrize("mutant_name", sorted(MUTANTS))
@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_fixtures_catch_mutant(rule_id: str, mutant_name: str) -> None:
    # Known-bug (xfail) cases expect what the rule should do, not what it does: leave them out.
    cases = [case for case in CASES if case.rule == rule_id and not case.xfail]
    assert cases, f"{rule_id} has no fixtures"
    assert _caught(rule_id, MUTANTS[mutant_name], cases), (
        f"no fixture of {rule_id} tells its check apart from a check that {mutant_name}"
    )
