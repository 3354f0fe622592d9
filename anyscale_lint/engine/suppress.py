"""Apply inline ignores and config waivers to results; report the ones that do not apply."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, replace

from anyscale_lint.engine.context import IgnoreProblem
from anyscale_lint.engine.findings import Result, Suppression
from anyscale_lint.engine.rule_ids import unknown_entries
from anyscale_lint.model import InlineIgnore, SourceSpan


@dataclass(frozen=True)
class Waiver:
    """A config waiver: rule (ID or prefix), resource glob, reason, optional expiry."""

    rule: str
    resource: str
    reason: str
    expires: str | None = None
    source: str = ".anyscale-lint.yaml"


def _expired(expires: str | None, today: dt.date) -> bool | None:
    """True/False, or None when the date is not a valid YYYY-MM-DD."""
    if expires is None:
        return False
    try:
        return dt.date.fromisoformat(expires) < today
    except ValueError:
        return None


def _covers(key: str | None, resource: str) -> bool:
    return key is not None and (resource == key or resource.startswith((key + "[", key + ".")))


def _ignore_problem(ignore: InlineIgnore, problem: str, value: str) -> IgnoreProblem:
    where = f"{ignore.path}:{ignore.line}"
    rules = ", ".join(ignore.rule_ids)
    return IgnoreProblem(
        subject=ignore.resource_key or ignore.path,
        message=f"The ignore of {rules} at {where} {problem}",
        value=f"{rules}: {value}",
        location=SourceSpan(ignore.path, ignore.line, ignore.line),
        path=ignore.path,
    )


def _waiver_problem(waiver: Waiver, problem: str, value: str) -> IgnoreProblem:
    return IgnoreProblem(
        subject=f"waiver {waiver.rule} {waiver.resource}",
        message=f"The waiver of {waiver.rule} for {waiver.resource} in {waiver.source} {problem}",
        value=value,
        location=None,
    )


def _judge_dates(expires: str | None, today: dt.date) -> tuple[str, str] | None:
    """(problem, value) when an expiry makes an ignore or waiver inapplicable."""
    expired = _expired(expires, today)
    if expired is None:
        return (
            f"has an invalid expiry {expires!r} (use YYYY-MM-DD), so it is not applied.",
            f"expires={expires}",
        )
    if expired:
        return (
            f"expired on {expires}; the findings it hid are reported again.",
            f"expired {expires}",
        )
    return None


def apply(
    results: list[Result],
    ignores: Sequence[InlineIgnore],
    waivers: Sequence[Waiver],
    today: dt.date,
    selected: set[str],
    known: set[str] | None = None,
) -> tuple[list[Result], list[IgnoreProblem]]:
    """Results with suppressions set, and the ignores/waivers that are themselves problems.

    An ignore or waiver counts as unused only when a rule it names ran (`selected`); an
    ignore naming an ID that is no rule at all (`known`) is a problem of its own.
    """
    problems: list[IgnoreProblem] = []
    live_ignores: list[InlineIgnore] = []
    for ignore in ignores:
        if known is not None:
            problems += [
                _ignore_problem(ignore, f"is a mistake: {problem}.", "unknown rule ID")
                for problem in unknown_entries(ignore.rule_ids, known, prefixes=False)
            ]
        dated = _judge_dates(ignore.expires, today)
        if not ignore.reason:
            problems.append(
                _ignore_problem(ignore, 'has no reason="...", so it is not applied.', "no reason")
            )
        elif dated:
            problems.append(_ignore_problem(ignore, *dated))
        else:
            live_ignores.append(ignore)
    live_waivers: list[Waiver] = []
    for waiver in waivers:
        dated = _judge_dates(waiver.expires, today)
        if dated:
            problems.append(_waiver_problem(waiver, *dated))
        else:
            live_waivers.append(waiver)
    used_ignores: set[int] = set()
    used_waivers: set[int] = set()
    aimed = _aimed(results, live_ignores)
    updated = []
    for result in results:
        suppression = None
        if result.is_finding:
            suppression = _inline(result, live_ignores, used_ignores, aimed) or _waived(
                result, live_waivers, used_waivers
            )
        updated.append(replace(result, suppression=suppression) if suppression else result)
    for number, ignore in enumerate(live_ignores):
        if number not in used_ignores and selected & set(ignore.rule_ids):
            problems.append(_ignore_problem(ignore, "matches no finding; remove it.", "unused"))
    for number, waiver in enumerate(live_waivers):
        if number not in used_waivers and any(rule.startswith(waiver.rule) for rule in selected):
            problems.append(_waiver_problem(waiver, "matches no finding; remove it.", "unused"))
    return updated, problems


def _at_line(result: Result, ignore: InlineIgnore) -> bool:
    """Whether the ignore is on the first line of the finding's location or directly above."""
    location = result.location
    return (
        isinstance(location, SourceSpan)
        and location.path == ignore.path
        and location.start_line in (ignore.line, ignore.line + 1)
    )


def _aimed(results: list[Result], ignores: list[InlineIgnore]) -> set[tuple[int, str]]:
    """(ignore number, rule ID) pairs where the ignore sits at a finding of that rule.

    Such an ignore is aimed at that finding (a nested block's, such as one security-group
    rule): it does not also cover the rule's other findings on the resource it sits in.
    """
    return {
        (number, result.rule_id)
        for number, ignore in enumerate(ignores)
        for result in results
        if result.is_finding and result.rule_id in ignore.rule_ids and _at_line(result, ignore)
    }


def _inline(
    result: Result, ignores: list[InlineIgnore], used: set[int], aimed: set[tuple[int, str]]
) -> Suppression | None:
    for number, ignore in enumerate(ignores):
        if result.rule_id not in ignore.rule_ids:
            continue
        covers = (number, result.rule_id) not in aimed and _covers(
            ignore.resource_key, result.resource
        )
        if covers or _at_line(result, ignore):
            used.add(number)
            return Suppression(
                "inline", ignore.reason, ignore.expires, f"{ignore.path}:{ignore.line}"
            )
    return None


def _waived(result: Result, waivers: list[Waiver], used: set[int]) -> Suppression | None:
    for number, waiver in enumerate(waivers):
        if result.rule_id.startswith(waiver.rule) and fnmatch.fnmatchcase(
            result.resource, waiver.resource
        ):
            used.add(number)
            return Suppression("waiver", waiver.reason, waiver.expires, waiver.source)
    return None
