"""Parse policy documents from any source form into the model's normalized statements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from anyscale_lint import jsontext
from anyscale_lint.iam.principals import normalize_aws_principal
from anyscale_lint.model import Condition, Origin, PolicyDocument, Principal, Statement, Unknown


class PolicyParseError(ValueError):
    """A document that is not a valid IAM policy."""


def _as_tuple(value: Any, field: str) -> tuple[str, ...] | Unknown:
    if isinstance(value, Unknown):
        return value
    items = value if isinstance(value, list) else [value]
    result = []
    for item in items:
        if isinstance(item, Unknown):
            return item
        if not isinstance(item, (str, int)) or isinstance(item, bool):
            raise PolicyParseError(f"{field} must be a string or a list of strings")
        result.append(str(item))
    return tuple(result)


def _principals(value: Any) -> tuple[Principal, ...] | Unknown:
    if isinstance(value, Unknown):
        return value
    if value == "*":
        return (Principal("*", "*"),)
    if not isinstance(value, dict):
        raise PolicyParseError('Principal must be "*" or an object such as {"AWS": ...}')
    principals: list[Principal] = []
    for kind, identifiers in value.items():
        values = _as_tuple(identifiers, f"Principal.{kind}")
        if isinstance(values, Unknown):
            return values
        for identifier in values:
            normalized = normalize_aws_principal(identifier) if kind == "AWS" else identifier
            principals.append(Principal(str(kind), normalized))
    return tuple(principals)


def _conditions(value: Any) -> tuple[Condition, ...] | Unknown:
    if value is None:
        return ()
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, dict):
        raise PolicyParseError("Condition must be an object")
    conditions = []
    for operator, entries in value.items():
        if isinstance(entries, Unknown):
            return entries
        if not isinstance(entries, dict):
            raise PolicyParseError(f"Condition {operator} must be an object")
        for key, values in entries.items():
            items = _as_tuple(
                values if not isinstance(values, bool) else str(values).lower(),
                f"Condition {operator}",
            )
            if isinstance(items, Unknown):
                return items
            conditions.append(Condition(str(operator), str(key), items))
    return tuple(conditions)


def parse_statement(raw: Any, origin: Origin) -> Statement:
    """One statement object."""
    if not isinstance(raw, dict):
        raise PolicyParseError("a statement must be an object")
    effect = raw.get("Effect")
    if effect is None:
        raise PolicyParseError("a statement has no Effect")
    if not isinstance(effect, (str, Unknown)):
        raise PolicyParseError("Effect must be Allow or Deny")
    not_action = "NotAction" in raw
    action_raw = raw.get("NotAction" if not_action else "Action")
    if action_raw is None:
        raise PolicyParseError("a statement has neither Action nor NotAction")
    not_resource = "NotResource" in raw
    resource_raw = raw.get("NotResource" if not_resource else "Resource")
    not_principal = "NotPrincipal" in raw
    principal_raw = raw.get("NotPrincipal" if not_principal else "Principal")
    sid = raw.get("Sid")
    return Statement(
        sid=str(sid) if isinstance(sid, (str, int)) else None,
        effect=effect,
        actions=_as_tuple(action_raw, "Action"),
        not_action=not_action,
        resources=_as_tuple(resource_raw, "Resource") if resource_raw is not None else (),
        not_resource=not_resource,
        principals=_principals(principal_raw) if principal_raw is not None else None,
        not_principal=not_principal,
        conditions=_conditions(raw.get("Condition")),
        action_form="list" if isinstance(action_raw, list) else "string",
        origin=origin,
    )


def loads_policy(value: Any) -> Any:
    """The JSON structure of a policy given as text, or the structure itself."""
    if isinstance(value, str):
        try:
            return jsontext.loads(value)
        except jsontext.JsonInputError as error:
            where = f" at line {error.line} column {error.column}" if error.column else ""
            message = error.message.removeprefix("invalid JSON: ")
            raise PolicyParseError(f"not valid JSON: {message}{where}") from None
    return value


def parse_document(
    value: Any, origin: Origin, label: str, statement_origins: Sequence[Origin] = ()
) -> PolicyDocument | Unknown:
    """A normalized document from JSON text, a JSON-shaped dict, or an Unknown.

    `statement_origins`, when known, locates each statement (else the document's origin).
    """
    if isinstance(value, Unknown):
        return value
    structure = loads_policy(value)
    if not isinstance(structure, dict):
        raise PolicyParseError("a policy document must be a JSON object")
    statements = structure.get("Statement")
    if statements is None:
        raise PolicyParseError("a policy document has no Statement")
    if isinstance(statements, Unknown):
        return statements
    items = statements if isinstance(statements, list) else [statements]
    origins = (
        list(statement_origins) if len(statement_origins) == len(items) else [origin] * len(items)
    )
    parsed = tuple(parse_statement(item, where) for item, where in zip(items, origins, strict=True))
    return PolicyDocument(parsed, origin, label)


def is_policy_like(structure: Any) -> bool:
    """True for a JSON object that looks like a policy document (has Statement)."""
    return isinstance(structure, dict) and "Statement" in structure
