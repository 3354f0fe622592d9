"""The readiness report's records: verdict, checklist, sections, both verdicts, register plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from anyscale_lint.model import Deployment

Verdict = Literal["READY", "READY WITH WARNINGS", "NOT READY"]
Status = Literal["pass", "fail", "warn", "unknown", "not found", "not used"]


@dataclass(frozen=True)
class RuleLine:
    """One rule result behind a checklist item, in one line."""

    rule_id: str
    outcome: str
    severity: str
    resource: str
    message: str
    location: str | None
    blocking: bool


@dataclass(frozen=True)
class ChecklistItem:
    """One register input: what was found for it, its status and the rules behind it."""

    name: str
    flag: str
    required: bool
    status: Status
    # Resource addresses (or live IDs) found for it, and where the first one is declared.
    resources: tuple[str, ...]
    location: str | None
    # How it was found, what the value is, or what would settle it.
    detail: str
    rules: tuple[RuleLine, ...] = ()


@dataclass(frozen=True)
class RuleCount:
    """A rule's results in one deployment: `passed` apart from `not checked`."""

    rule_id: str
    title: str
    counts: dict[str, int]
    status: str


@dataclass(frozen=True)
class Section:
    """A requirement area in the order Anyscale's verifier checks it."""

    name: str
    status: str
    rules: tuple[RuleCount, ...]


@dataclass(frozen=True)
class Requirement:
    """One rule with a finding: what Anyscale's register/verify does and what we recommend."""

    rule_id: str
    title: str
    outcome: str
    anyscale_effect: str
    anyscale_default: str
    anyscale_strict: str
    recommendation: str
    note: str = ""


@dataclass(frozen=True)
class PlannedValue:
    """A register flag's value: a literal, a Terraform output, or a marked placeholder."""

    flag: str
    text: str
    source: Literal["literal", "output", "placeholder", "flag"]
    resource: str | None = None
    output: str | None = None
    note: str = ""


@dataclass(frozen=True)
class RegisterPlan:
    """The register command and the equivalent resource file, ready to paste."""

    values: tuple[PlannedValue, ...]
    command: str
    resource_file: dict[str, Any]
    resource_file_script: str
    outputs_to_add: tuple[str, ...]

    @property
    def placeholders(self) -> list[PlannedValue]:
        """Values the user still has to fill in."""
        return [v for v in self.values if v.source == "placeholder"]


@dataclass
class DeploymentReadiness:
    """The readiness of one deployment, keyed by its root path."""

    key: str
    identified: bool
    verdict: Verdict
    reasons: list[str]
    network_mode: str
    network_mode_source: str
    region: str | None
    checklist: list[ChecklistItem] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    anyscale_verdict: str = ""
    plan: RegisterPlan | None = None
    # Addresses of resources with a blocking or warning finding, marked in the diagram.
    failing_resources: set[str] = field(default_factory=set)
    # The identified parts, for the diagram (read from the model, never from a source). Not
    # redacted field by field (the diagram prints addresses); its rendering is redacted.
    deployment: Deployment | None = field(default=None, metadata={"redact": False})


@dataclass
class ReadinessReport:
    """Readiness of every deployment of one run."""

    version: str
    strict: bool
    deployments: list[DeploymentReadiness]
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        """The worst verdict of all deployments (NOT READY when there is none)."""
        order: list[Verdict] = ["READY", "READY WITH WARNINGS", "NOT READY"]
        if not self.deployments:
            return "NOT READY"
        return max((d.verdict for d in self.deployments), key=order.index)
