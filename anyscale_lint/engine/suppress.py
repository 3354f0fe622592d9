"""Apply inline ignores and config waivers to results; report the ones that do not apply."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, replace

from anyscale_lint.engine.context import IgnoreProblem
from anyscale_lint.engine.findings import Result, Suppression
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
    return key is not None and (
        resource == key or resource.startswith(key + "[") or resource.startswith(key + ".")
    )


def apply(
    results: list[Result],
    ignores: Sequence[InlineIgnore],
    waivers: Sequence[Waiver],
    today: dt.date,
) -> tuple[list[Result], list[IgnoreProblem]]:
    """Results with suppressions set, and the ignores/waivers that are themselves problems."""
    problems: list[IgnoreProblem] = []
    used: set[int] = set()
    live_ignores: list[tuple[int, InlineIgnore]] = []
    for number, ignore in enumerate(ignores):
        where = SourceSpan(ignore.path, ignore.line, ignore.line)
        subject = f"{ignore.path}:{ignore.line}"
        expired = _expired(ignore.expires, today)
        if not ignore.reason:
            problems.append(
                IgnoreProblem(
                    subject,
                    f'The ignore of {", ".join(ignore.rule_ids)} at {subject} has no reason="...", so it is not applied.',
                    "no reason",
                    where,
                )
            )
        elif expired is None:
            problems.append(
                IgnoreProblem(
                    subject,
                    f"The ignore at {subject} has an invalid expiry {ignore.expires!r} (use YYYY-MM-DD), so it is not applied.",
                    f"expires={ignore.expires}",
                    where,
                )
            )
        elif expired:
            problems.append(
                IgnoreProblem(
                    subject,
                    f"The ignore of {', '.join(ignore.rule_ids)} at {subject} expired on {ignore.expires}; the findings it hid are reported again.",
                    f"expired {ignore.expires}",
                    where,
                )
            )
        else:
            live_ignores.append((number, ignore))
    live_waivers = []
    for number, waiver in enumerate(waivers):
        expired = _expired(waiver.expires, today)
        if expired:
            problems.append(
                IgnoreProblem(
                    waiver.source,
                    f"The waiver of {waiver.rule} for {waiver.resource} in {waiver.source} expired on {waiver.expires}.",
                    f"expired {waiver.expires}",
                    None,
                )
            )
        elif expired is None:
            problems.append(
                IgnoreProblem(
                    waiver.source,
                    f"The waiver of {waiver.rule} for {waiver.resource} has an invalid expiry {waiver.expires!r}.",
                    f"expires={waiver.expires}",
                    None,
                )
            )
        else:
            live_waivers.append((number, waiver))
    updated = []
    for result in results:
        if not result.is_finding:
            updated.append(result)
            continue
        suppression = None
        for number, ignore in live_ignores:
            location = result.location
            at_line = (
                isinstance(location, SourceSpan)
                and location.path == ignore.path
                and location.start_line in (ignore.line, ignore.line + 1)
            )
            if result.rule_id in ignore.rule_ids and (
                _covers(ignore.resource_key, result.resource) or at_line
            ):
                suppression = Suppression(
                    "inline", ignore.reason, ignore.expires, f"{ignore.path}:{ignore.line}"
                )
                used.add(number)
                break
        if suppression is None:
            for number, waiver in live_waivers:
                if result.rule_id.startswith(waiver.rule) and fnmatch.fnmatchcase(
                    result.resource, waiver.resource
                ):
                    suppression = Suppression(
                        "waiver", waiver.reason, waiver.expires, waiver.source
                    )
                    used.add(len(ignores) + number)
                    break
        updated.append(replace(result, suppression=suppression) if suppression else result)
    for number, ignore in live_ignores:
        if number not in used:
            subject = f"{ignore.path}:{ignore.line}"
            problems.append(
                IgnoreProblem(
                    subject,
                    f"The ignore of {', '.join(ignore.rule_ids)} at {subject} matches no finding; remove it.",
                    "unused",
                    SourceSpan(ignore.path, ignore.line, ignore.line),
                )
            )
    for number, waiver in live_waivers:
        if len(ignores) + number not in used:
            problems.append(
                IgnoreProblem(
                    waiver.source,
                    f"The waiver of {waiver.rule} for {waiver.resource} in {waiver.source} matches no finding; remove it.",
                    "unused",
                    None,
                )
            )
    return updated, problems
