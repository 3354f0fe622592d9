"""Rule IDs and prefixes the user writes (--select, the config, inline ignores), checked
against the catalog, so a typo is an error that names the nearest real ID, never a silent
no-op."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def matches_rules(given: str, known: Iterable[str]) -> bool:
    """Whether a rule ID or ID prefix (`AWS-S3`, `AWS-S3-`) names at least one known rule."""
    return any(rule == given or rule.startswith(given.rstrip("-") + "-") for rule in known)


def nearest(given: str, known: Iterable[str]) -> str | None:
    """The known rule ID (or family prefix) closest to a mistyped one."""
    ids = sorted(set(known))
    families = sorted({rule.rsplit("-", 1)[0] for rule in ids})
    close = difflib.get_close_matches(given.upper(), [*ids, *families], n=1, cutoff=0.6)
    return close[0] if close else None


def describe_unknown(given: str, known: Iterable[str]) -> str:
    """`AWS-XX names no rule (did you mean AWS-S3?)`."""
    suggestion = nearest(given, known)
    hint = f" (did you mean {suggestion}?)" if suggestion else ""
    return f"{given} names no rule{hint}"


def unknown_entries(given: Iterable[str], known: Iterable[str], *, prefixes: bool) -> list[str]:
    """Descriptions of the entries that name no rule (exact IDs only unless `prefixes`)."""
    known_ids = list(known)
    problems = []
    for entry in given:
        ok = matches_rules(entry, known_ids) if prefixes else entry in known_ids
        if not ok:
            problems.append(describe_unknown(entry, known_ids))
    return problems
