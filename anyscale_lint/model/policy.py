"""IAM policy documents, normalized: what every source turns a policy into."""

from __future__ import annotations

from dataclasses import dataclass

from anyscale_lint.model.origin import Origin
from anyscale_lint.model.values import Unknown


@dataclass(frozen=True)
class Principal:
    """One principal: `kind` is AWS, Service, Federated, CanonicalUser or `*` (anyone)."""

    kind: str
    value: str


@dataclass(frozen=True)
class Condition:
    """One condition entry: operator (e.g. StringEquals), context key, values."""

    operator: str
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """A normalized statement. Lists keep the patterns as written (not expanded)."""

    sid: str | None
    effect: str | Unknown
    actions: tuple[str, ...] | Unknown
    not_action: bool
    resources: tuple[str, ...] | Unknown
    not_resource: bool
    # None: no Principal element (an identity policy).
    principals: tuple[Principal, ...] | Unknown | None
    not_principal: bool
    conditions: tuple[Condition, ...] | Unknown
    # "string" when Action was written as a single string, "list" for an array (AWS-IAM-004).
    action_form: str
    origin: Origin

    @property
    def is_allow(self) -> bool:
        """True for a known Allow statement."""
        return self.effect == "Allow"


@dataclass(frozen=True)
class PolicyDocument:
    """A policy document: identity, trust or resource policy."""

    statements: tuple[Statement, ...]
    origin: Origin
    # Where it came from, for messages: "inline policy s3-access", "aws_iam_policy.node_s3".
    label: str
