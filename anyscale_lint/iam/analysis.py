"""Questions rules ask of statements: what they allow, to whom, on what, under which conditions."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from anyscale_lint.iam.actions import complement, expand_actions
from anyscale_lint.model import Condition, Partial, Statement, Unknown
from anyscale_lint.model.values import opaque

# Condition keys that restrict who can use a statement's grant to a known party or network.
NARROWING_KEYS = frozenset(
    key.lower()
    for key in (
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceOwner",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:SourceIp",
        "aws:userid",
        "sts:ExternalId",
        "aws:SourceOrgID",
    )
)
_POSITIVE_OPERATORS = (
    "StringEquals",
    "StringLike",
    "ArnEquals",
    "ArnLike",
    "IpAddress",
    "ForAnyValue:StringEquals",
)
# Fixed prefixes of condition values, before the part that names an account, organization,
# endpoint or network: a wildcard right after one matches every caller (`o-*`, `vpce-*`).
_VALUE_PREFIXES = (
    "arn:aws:iam::",
    "arn:aws:sts::",
    "arn:*:iam::",
    "arn:*:sts::",
    "vpce-",
    "vpc-",
    "o-",
)
_EVERY_ADDRESS = ("0.0.0.0/0", "::/0")


@functools.lru_cache(maxsize=4096)
def _expanded(patterns: tuple[str, ...], negated: bool) -> tuple[frozenset[str], tuple[str, ...]]:
    if negated:
        return complement(patterns), ()
    return expand_actions(patterns)


def allowed_actions(statement: Statement) -> frozenset[str] | Unknown:
    """The canonical (lower-case) actions a statement covers, wildcards and NotAction expanded."""
    if isinstance(statement.actions, Unknown):
        return statement.actions
    known = tuple(a for a in statement.actions if not isinstance(a, Partial))
    if len(known) != len(statement.actions):
        partial = next(a for a in statement.actions if isinstance(a, Partial))
        return Unknown(str(partial), "an action in the statement is not known")
    actions, _ = _expanded(known, statement.not_action)
    return actions


def unknown_action_patterns(statement: Statement) -> tuple[str, ...]:
    """Action patterns that the action table does not know (new or misspelled)."""
    if isinstance(statement.actions, Unknown) or statement.not_action:
        return ()
    _, unknown = _expanded(tuple(statement.actions), False)
    return unknown


def _glob_text(text: str) -> str:
    return re.escape(text).replace(r"\*", ".*").replace(r"\?", ".")


@functools.lru_cache(maxsize=4096)
def _glob(pattern: str) -> re.Pattern[str]:
    # Wildcards count only in known text; an unresolved part matches only itself.
    parts = pattern.parts if isinstance(pattern, Partial) else (pattern,)
    regex = "".join(
        _glob_text(p) if isinstance(p, str) else re.escape(opaque(Partial([p], ""))) for p in parts
    )
    return re.compile(f"^{regex}$", re.IGNORECASE | re.DOTALL)


def glob_matches(pattern: str, value: str) -> bool:
    """IAM-style match: `*` any run of characters, `?` one character."""
    return bool(_glob(pattern).match(opaque(value)))


def covers_resource(statement: Statement, resource: str) -> bool | Unknown:
    """Whether the statement's Resource (or NotResource) element covers a resource ARN."""
    if isinstance(statement.resources, Unknown):
        return statement.resources
    matched = any(glob_matches(pattern, resource) for pattern in statement.resources)
    return not matched if statement.not_resource else matched


def narrowing_conditions(statement: Statement) -> list[Condition]:
    """Conditions that limit a grant to a known account, organization, role or network."""
    if isinstance(statement.conditions, Unknown):
        return []
    narrowing = []
    for condition in statement.conditions:
        if condition.key.lower() not in NARROWING_KEYS:
            continue
        # `...IfExists` holds when the key is absent (anonymous callers have no principal
        # account), and so does `ForAllValues:` on an empty set: neither narrows.
        operator = condition.operator
        if not operator.startswith(_POSITIVE_OPERATORS) or operator.endswith("IfExists"):
            continue
        if any(_matches_everyone(operator, value) for value in condition.values):
            continue
        narrowing.append(condition)
    return narrowing


def _matches_everyone(operator: str, value: str) -> bool:
    """Whether a condition value lets every caller through (`*`, `o-*`, `0.0.0.0/0`)."""
    if value in ("*", "", *_EVERY_ADDRESS):
        return True
    if "Like" not in operator:
        return False
    rest = next((value[len(p) :] for p in _VALUE_PREFIXES if value.startswith(p)), value)
    return rest.startswith(("*", "?"))


def condition_values(statement: Statement, operator: str, key: str) -> tuple[str, ...] | None:
    """The values of one condition (operator and key compared case-insensitively)."""
    if isinstance(statement.conditions, Unknown):
        return None
    for condition in statement.conditions:
        if condition.operator.lower() == operator.lower() and condition.key.lower() == key.lower():
            return condition.values
    return None


def principal_values(statement: Statement, kind: str) -> list[str]:
    """Identifiers of one principal kind (AWS, Service, ...) in a statement."""
    if statement.principals is None or isinstance(statement.principals, Unknown):
        return []
    return [p.value for p in statement.principals if p.kind == kind]


def is_anyone(statement: Statement) -> bool:
    """True when the principal is `*` or `{"AWS": "*"}`."""
    if statement.principals is None or isinstance(statement.principals, Unknown):
        return False
    return any(p.value == "*" and p.kind in ("*", "AWS") for p in statement.principals)


def joined(values: Iterable[str]) -> str:
    """A short human list: `a`, `b` and `c`."""
    items = [f"`{value}`" for value in values]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
