"""regex() and regexall() with RE2 itself, the engine (through Go's regexp) Terraform uses."""

from __future__ import annotations

import functools
from typing import Any

import re2

from anyscale_lint.sources.terraform.evaluation import EvalError
from anyscale_lint.sources.terraform.functions.base import as_text, function

# Go's regexp compiles at most this much program; RE2's own default is 8 MB.
_MAX_PROGRAM_BYTES = 8 << 20


@functools.lru_cache(maxsize=1)
def _options() -> Any:
    options = re2.Options()
    # A rejected pattern is an EvalError with the reason; RE2 would also log it to stderr.
    options.log_errors = False
    options.max_mem = _MAX_PROGRAM_BYTES
    return options


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> Any:
    try:
        return re2.compile(pattern, _options())
    except re2.error as error:
        detail = error.args[0] if error.args else error
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise EvalError(
            f"invalid regular expression (RE2 syntax, as Terraform's): {detail}"
        ) from None


def compile_re2(pattern: Any) -> Any:
    """The compiled RE2 pattern (linear-time matching); EvalError for what RE2 rejects."""
    return _compiled(as_text(pattern))


def find_all(pattern: Any, text: str) -> list[Any]:
    """Go's FindAll: like finditer, but an empty match right after a match is skipped."""
    matches: list[Any] = []
    for match in pattern.finditer(text):
        if not (matches and match.start() == match.end() == matches[-1].end()):
            matches.append(match)
    return matches


def _capture_kind(pattern: Any) -> str:
    named = len(pattern.groupindex)
    if named and named != pattern.groups:
        raise EvalError("invalid regular expression: cannot mix named and unnamed groups")
    return "named" if named else "unnamed" if pattern.groups else "none"


def _match_value(match: Any, kind: str) -> Any:
    if kind == "named":
        return match.groupdict()
    if kind == "unnamed":
        return list(match.groups())
    return match.group(0)


@function("regex")
def _regex(ev: Any, pattern: Any, text: Any) -> Any:
    compiled = compile_re2(pattern)
    kind = _capture_kind(compiled)
    match = compiled.search(as_text(text))
    if match is None:
        raise EvalError("pattern did not match any part of the given string")
    return _match_value(match, kind)


@function("regexall")
def _regexall(ev: Any, pattern: Any, text: Any) -> Any:
    compiled = compile_re2(pattern)
    kind = _capture_kind(compiled)
    return [_match_value(match, kind) for match in find_all(compiled, as_text(text))]
