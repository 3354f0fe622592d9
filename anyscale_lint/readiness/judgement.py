"""Which failures block registration, for Anyscale and for us, and rule lines for reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.registry import RuleMeta
from anyscale_lint.readiness.model import RuleLine, Status


def anyscale_blocks(result: Result, meta: RuleMeta | None) -> bool:
    """Whether Anyscale's register/verify stops on this failure: the rule's metadata says,
    or its level's for a rule that fails at several levels (capacity: /24 is an error, /20 a
    warning). Never the severity, which the configuration may change."""
    if meta is None:
        return False
    level = meta.levels.get(result.level) if result.level else None
    return level.anyscale_blocks if level is not None else meta.anyscale_blocks


def is_blocking(result: Result, meta: RuleMeta | None) -> bool:
    """A failure we will not call ready: exposure, broken registration, or Anyscale blocks it."""
    return result.severity in ("critical", "high") or anyscale_blocks(result, meta)


def rule_line(result: Result, meta: RuleMeta | None) -> RuleLine:
    """One finding as a checklist line, marked blocking or not."""
    location = str(result.location) if result.location is not None else None
    return RuleLine(
        result.rule_id,
        result.outcome,
        result.severity,
        result.resource,
        result.message,
        location,
        result.outcome == "fail" and is_blocking(result, meta),
    )


def input_status(results: Sequence[Result], meta: Callable[[str], RuleMeta | None]) -> Status:
    """fail (something blocks), warn (a failure that does not), unknown, else pass."""
    fails = [r for r in results if r.outcome == "fail"]
    if any(is_blocking(r, meta(r.rule_id)) for r in fails):
        return "fail"
    if fails:
        return "warn"
    if any(r.outcome == "unknown" for r in results):
        return "unknown"
    return "pass"
