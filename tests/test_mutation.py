"""Mutation test: each rule's own fixtures must tell its check apart from mutants of it.

The mutants: a check that always passes and one that always fails (recorded on the deployment
key, as a rule that ignores its input would), the real check with every pass and fail
inverted on the resources it judged, and, for rules that fail at several levels, the real
check with its levels' severities swapped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from test_rules import CASES, DEFAULT_SEVERITY, Case, mismatches, observe_case

from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.registry import (
    CheckFunction,
    load_metadata,
    registered_rules,
    replace_check,
)

REAL_CHECKS = {meta.id: check for meta, check in registered_rules()}
RULE_IDS = sorted(REAL_CHECKS)
LEVELLED = sorted(rule_id for rule_id, meta in load_metadata().items() if meta.levels)

Mutant = Callable[[CheckFunction], CheckFunction]


def always_pass(real: CheckFunction) -> CheckFunction:
    def check(ctx: CheckContext) -> None:
        ctx.passed(ctx.deployment.key)

    return check


def always_fail(real: CheckFunction) -> CheckFunction:
    def check(ctx: CheckContext) -> None:
        ctx.fail(ctx.deployment.key, "mutant: always fails", value="mutant")

    return check


def _rewritten(
    real: CheckFunction, rewrite: Callable[[CheckContext, Result], Result]
) -> CheckFunction:
    def check(ctx: CheckContext) -> None:
        real(ctx)
        ctx.results[:] = [rewrite(ctx, result) for result in ctx.results]

    return check


def _invert(ctx: CheckContext, result: Result) -> Result:
    if result.outcome == "pass":
        return replace(result, outcome="fail")
    if result.outcome == "fail":
        return replace(result, outcome="pass", severity=ctx.severity, level=None)
    return result


def _swap_levels(ctx: CheckContext, result: Result) -> Result:
    levels = ctx.meta.levels
    if result.level not in levels:
        return result
    severities = [level.severity for level in levels.values()]
    swapped = severities[(severities.index(levels[result.level].severity) + 1) % len(severities)]
    return replace(result, severity=swapped)


def inverted(real: CheckFunction) -> CheckFunction:
    return _rewritten(real, _invert)


def levels_swapped(real: CheckFunction) -> CheckFunction:
    return _rewritten(real, _swap_levels)


MUTANTS: dict[str, Mutant] = {"always_pass": always_pass, "always_fail": always_fail}


def _caught(rule_id: str, mutant: Mutant, cases: list[Case]) -> bool:
    """Whether some case's expectations differ from what the mutant produces."""
    previous = replace_check(rule_id, mutant(REAL_CHECKS[rule_id]))
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            return any(
                mismatches(case, observe_case(case, monkeypatch), DEFAULT_SEVERITY[rule_id])
                for case in cases
            )
    finally:
        replace_check(rule_id, previous)


def _cases(rule_id: str) -> list[Case]:
    # Known-bug (xfail) cases expect what the rule should do, not what it does: leave them out.
    cases = [case for case in CASES if case.rule == rule_id and not case.xfail]
    assert cases, f"{rule_id} has no fixtures"
    return cases


@pytest.mark.parametrize("mutant_name", sorted(MUTANTS))
@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_fixtures_catch_mutant(rule_id: str, mutant_name: str) -> None:
    assert _caught(rule_id, MUTANTS[mutant_name], _cases(rule_id)), (
        f"no fixture of {rule_id} tells its check apart from the mutant {mutant_name}"
    )


# Rules whose fixtures expect a pass or a fail somewhere: the others (CORE-003, judged only
# on live collection) record nothing statically, so there is nothing to invert.
JUDGING = sorted(
    rule_id
    for rule_id in RULE_IDS
    if any(o in ("pass", "fail") for case in _cases(rule_id) for o in case.results.values())
)


@pytest.mark.parametrize("rule_id", JUDGING)
def test_fixtures_catch_inverted_outcomes(rule_id: str) -> None:
    assert _caught(rule_id, inverted, _cases(rule_id)), (
        f"no fixture of {rule_id} tells its check apart from one with pass and fail inverted"
    )


@pytest.mark.parametrize("rule_id", LEVELLED)
def test_fixtures_catch_swapped_levels(rule_id: str) -> None:
    assert _caught(rule_id, levels_swapped, _cases(rule_id)), (
        f"no fixture of {rule_id} pins the severity of each of its levels"
    )
