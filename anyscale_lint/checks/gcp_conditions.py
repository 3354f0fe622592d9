"""Read a workload identity provider's `attribute_condition` (a CEL expression) far enough to
tell whether it admits only Anyscale's AWS role for one organization (REQUIREMENTS.md 3.6,
GCP-WIF-03): `google.subject.startsWith('arn:aws:sts::<account>:assumed-role/gcp_if_<org>')`.

Only the shapes that restrict the subject are understood: `startsWith` or `==` on the subject
(or the `arn` / `aws_role` attributes mapped from it), combined with `&&` (one restricting
operand suffices) and `||` (every operand must restrict). Anything else restricts nothing.
The expression comes with each unresolved part replaced by NUL (`model.shape`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SUBJECTS = r"(?:google\.subject|attribute\.aws_role|attribute\.arn|assertion\.arn)"
_ATOM = re.compile(
    rf"^{_SUBJECTS}\s*(?:\.\s*startsWith\s*\(\s*(?P<q1>['\"])(?P<prefix>[^'\"]*)(?P=q1)\s*\)"
    rf"|==\s*(?P<q2>['\"])(?P<exact>[^'\"]*)(?P=q2))$",
    re.DOTALL,
)
_PLACEHOLDER = "\0"


@dataclass(frozen=True)
class Verdict:
    """`pass`, `fail` or `unknown`, and what was admitted or what is wrong."""

    outcome: str
    detail: str


def anyscale_role_prefix(account: str) -> str:
    """The ARN prefix of Anyscale's role for an organization, without the organization."""
    return f"arn:aws:sts::{account}:assumed-role/gcp_if_"


def judge_condition(expression: str, account: str) -> Verdict:
    """Whether the condition admits only Anyscale's role for one organization."""
    return _judge(expression.strip(), account)


def _judge(expression: str, account: str) -> Verdict:
    expression = _unwrapped(expression)
    disjuncts = _split(expression, "||")
    if len(disjuncts) > 1:
        verdicts = [_judge(part, account) for part in disjuncts]
        return _worst(verdicts) or Verdict("pass", " or ".join(v.detail for v in verdicts))
    conjuncts = _split(expression, "&&")
    if len(conjuncts) > 1:
        verdicts = [_judge(part, account) for part in conjuncts]
        passing = next((v for v in verdicts if v.outcome == "pass"), None)
        if passing is not None:
            return passing
        unknown = next((v for v in verdicts if v.outcome == "unknown"), None)
        return unknown or next(v for v in verdicts if v.outcome == "fail")
    return _atom(expression, account)


def _atom(expression: str, account: str) -> Verdict:
    match = _ATOM.match(expression)
    if match is None:
        if _PLACEHOLDER in expression:
            return Verdict("unknown", "part of the condition is not known")
        return Verdict("fail", "does not restrict google.subject to Anyscale's role")
    value = match.group("prefix") if match.group("q1") else match.group("exact")
    prefix = anyscale_role_prefix(account)
    if _PLACEHOLDER in value[: len(prefix)]:
        return Verdict("unknown", "the role the condition names is not known")
    if value.startswith(prefix) and len(value) > len(prefix):
        organization = value[len(prefix) :].split("/", 1)[0]
        if _PLACEHOLDER in organization:
            return Verdict("pass", "Anyscale's role for an organization not known statically")
        return Verdict("pass", f"Anyscale's role gcp_if_{organization}")
    if value.startswith(prefix):
        return Verdict(
            "fail",
            "admits the gcp_if_ role of every Anyscale organization: no organization ID follows "
            "gcp_if_",
        )
    if value.startswith(f"arn:aws:sts::{account}:"):
        return Verdict("fail", "admits roles of Anyscale's account other than gcp_if_<org_id>")
    return Verdict(
        "fail", f"admits {value}, not Anyscale's role {prefix}<org_id> (Anyscale cannot sign in)"
    )


def _worst(verdicts: list[Verdict]) -> Verdict | None:
    """The first failing verdict, else the first unknown one, else None."""
    for outcome in ("fail", "unknown"):
        found = next((v for v in verdicts if v.outcome == outcome), None)
        if found is not None:
            return found
    return None


def _unwrapped(expression: str) -> str:
    """The expression without parentheses enclosing all of it."""
    while expression.startswith("(") and expression.endswith(")"):
        inner = expression[1:-1]
        if _depth_ok(inner):
            expression = inner.strip()
        else:
            break
    return expression


def _depth_ok(text: str) -> bool:
    """Whether parentheses outside quotes balance without going below zero."""
    depth = 0
    for char, quoted in _scan(text):
        if quoted:
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _split(expression: str, operator: str) -> list[str]:
    """The operands of `operator` at the top level (outside quotes and parentheses)."""
    parts: list[str] = []
    depth = 0
    start = 0
    scanned = list(_scan(expression))
    index = 0
    while index < len(scanned):
        char, quoted = scanned[index]
        if not quoted:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0 and expression.startswith(operator, index):
                parts.append(expression[start:index].strip())
                index += len(operator)
                start = index
                continue
        index += 1
    parts.append(expression[start:].strip())
    return parts


def _scan(text: str) -> list[tuple[str, bool]]:
    """Each character with whether it is inside a quoted string (quotes themselves count as
    quoted)."""
    result: list[tuple[str, bool]] = []
    quote: str | None = None
    escaped = False
    for char in text:
        if quote is not None:
            result.append((char, True))
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            result.append((char, True))
        else:
            result.append((char, False))
    return result
