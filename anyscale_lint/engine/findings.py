"""Rule results and findings: one frozen record per rule x resource evaluation."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal

from anyscale_lint.model import Origin

Outcome = Literal["pass", "fail", "unknown", "not-evaluated"]
SEVERITIES = ("critical", "high", "medium", "low", "info")

# Evidence may quote source text (an unknown expression) or a parser's position in it: both
# change when code is reindented, respaced or moved, while the finding stays the same.
_POSITION = re.compile(r"\b(line|column)\s+\d+", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_TRAILING_COMMA = re.compile(r",(?=[\])}])")


def severity_rank(severity: str) -> int:
    """Higher is more severe (critical=4 ... info=0)."""
    return len(SEVERITIES) - 1 - SEVERITIES.index(severity)


@dataclass(frozen=True)
class Suppression:
    """Why a finding is waived: an inline ignore or a config waiver."""

    kind: str
    reason: str
    expires: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class Related:
    """Another resource involved in a finding."""

    origin: Origin
    message: str


@dataclass(frozen=True)
class Result:
    """The outcome of one rule on one resource of one deployment."""

    rule_id: str
    outcome: Outcome
    severity: str
    deployment: str
    resource: str
    message: str
    location: Origin | None = None
    # The offending value, shown to the user (e.g. `0.0.0.0/0 on tcp/22`).
    value: str | None = None
    # Normalized evidence for the fingerprint: stable when code moves.
    evidence: str = ""
    remediation: str = ""
    related: tuple[Related, ...] = field(default_factory=tuple)
    suppression: Suppression | None = None
    baselined: bool = False
    # The rule level of a failure, for rules that fail at several levels (rules/*.yaml `levels`).
    level: str | None = None
    # The register input (providers/aws.py key) a result is about, for rules whose results
    # each concern another input (rules/*.yaml `readiness.inputs: [result]`).
    register_input: str | None = None

    @property
    def fingerprint(self) -> str:
        """Stable identity: rule, deployment, resource and layout-free evidence (never the line)."""
        material = "\x1f".join(
            (
                self.rule_id,
                self.deployment,
                self.resource,
                _layout_free(self.evidence or self.message),
            )
        )
        return hashlib.sha256(material.encode()).hexdigest()[:32]

    @property
    def is_finding(self) -> bool:
        """Failures and unknowns are findings; passes and not-evaluated are not."""
        return self.outcome in ("fail", "unknown")

    @property
    def active(self) -> bool:
        """A finding that is neither suppressed nor baselined."""
        return self.is_finding and self.suppression is None and not self.baselined


def _layout_free(text: str) -> str:
    """Evidence without whitespace, trailing commas and line/column numbers."""
    text = _WHITESPACE.sub("", _POSITION.sub(r"\1", text))
    return _TRAILING_COMMA.sub("", text)
