"""Core rules about the inputs themselves: parse errors and stale ignores."""

from __future__ import annotations

from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.model import SourceSpan

# What went wrong, by error kind: `invalid` is a value Terraform rejects (an invalid count),
# `internal` a bug in anyscale-lint while evaluating the input.
_FAILED = {"read": "read", "parse": "parsed", "invalid": "evaluated", "internal": "evaluated"}

# The rule's own fix is for syntax errors; the other kinds need their own.
_FIXES = {
    # A file that could not be read has no syntax to fix.
    "read": (
        "Make the path a readable regular file or directory (check its permissions; replace a "
        "broken or looping symbolic link, a device or a FIFO with the file itself; keep files "
        "under the size limit and in UTF-8), or leave it out of the scanned paths, then scan again"
    ),
    "invalid": "Give the attribute a value Terraform accepts, as the message says",
    "internal": (
        "This is a bug in anyscale-lint, not in the input: report it with the file; the rest of "
        "the root was still checked"
    ),
}


@rule("CORE-001", phase="inputs")
def parse_error(ctx: CheckContext) -> None:
    for error in ctx.errors:
        verb = _FAILED.get(error.kind)
        # An internal error without a line (a bug outside any expression) stays a tool error.
        if verb is None or (error.kind == "internal" and error.line is None):
            continue
        location = SourceSpan(error.path, error.line or 1, error.line or 1)
        column = f", column {error.column}" if error.column else ""
        where = f" at line {error.line}{column}" if error.line else ""
        ctx.fail(
            error.path,
            f"{error.path} could not be {verb}{where}: {error.message}.",
            value=error.message,
            location=location,
            evidence=error.message,
            remediation=_FIXES.get(error.kind),
        )


@rule("CORE-002", phase="suppressions")
def unused_or_expired_ignore(ctx: CheckContext) -> None:
    # The runner matches ignores and waivers after every other rule has run (engine.suppress)
    # and hands over the ones that matched nothing, expired, or lack a reason.
    for problem in ctx.ignore_problems:
        ctx.fail(
            problem.subject,
            problem.message,
            value=problem.value,
            location=problem.location,
            evidence=problem.value,
        )


@rule("CORE-003", phase="inputs")
def collection_error(ctx: CheckContext) -> None:
    # Live collection (a later source) reports what it could not read as "collection" errors.
    for error in ctx.errors:
        if error.kind == "collection":
            ctx.fail(
                error.path,
                f"{error.path} could not be collected: {error.message}; the "
                "rules that need it report unknown.",
                value=error.message,
                evidence=error.message,
            )
