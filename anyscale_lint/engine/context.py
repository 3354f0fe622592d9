"""What a check sees: the deployment, its settings and parameters, and how it reports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from anyscale_lint.engine.findings import Outcome, Related, Result
from anyscale_lint.engine.registry import RuleMeta
from anyscale_lint.model import (
    CloudModel,
    Deployment,
    Origin,
    ParseError,
    Resource,
    SourceSpan,
    Unknown,
    unknown_parts,
)
from anyscale_lint.providers.aws import ANYSCALE_ACCOUNT_ID, ANYSCALE_CORS_ORIGIN

R = TypeVar("R", bound=Resource)


@dataclass(frozen=True)
class Settings:
    """Global settings rules read (from the config file and the command line)."""

    anyscale_account_id: str = ANYSCALE_ACCOUNT_ID
    cors_origin: str = ANYSCALE_CORS_ORIGIN
    scope: str = "deployment"
    # The external ID registration will use when no register command says (config).
    external_id: str | None = None


@dataclass(frozen=True)
class IgnoreProblem:
    """An inline ignore or waiver that matched nothing, expired, or gave no reason."""

    # The resource the ignore belongs to (else its file), or the waiver: never a line
    # number, so the finding's fingerprint survives moved code.
    subject: str
    message: str
    value: str
    location: Origin | None
    # The file holding an inline ignore (None for config waivers), to find its deployment.
    path: str | None = None


@dataclass
class CheckContext:
    """One rule on one deployment: inputs and the results it records."""

    meta: RuleMeta
    severity: str
    deployment: Deployment
    settings: Settings
    parameters: dict[str, Any]
    errors: list[ParseError] = field(default_factory=list)
    ignore_problems: list[IgnoreProblem] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    # Whether the configuration set this rule's severity: it then applies to every level.
    severity_overridden: bool = False

    @property
    def model(self) -> CloudModel:
        """The model the deployment belongs to."""
        return self.deployment.model

    @property
    def judges_everything(self) -> bool:
        """Whether this rule judges every resource of its kind, not only the deployment's: a
        hygiene rule under `--scope all`, or on files given as IAM JSON (named by the user)."""
        everything = self.settings.scope == "all" or self.model.judge_all_resources
        return self.meta.hygiene and everything

    def targets(self, cls: type[R]) -> Iterator[R]:
        """Resources of a kind this rule judges: the deployment's, or all of them under
        `--scope all` for hygiene rules."""
        members = self.deployment.member_keys()
        if self.judges_everything:
            # Of a root with several deployments, the first judges every resource no other
            # deployment is made of; each other judges its own.
            others = self.deployment.sibling_members - members
            if self.deployment.primary:
                yield from (r for r in self.model.of_kind(cls) if r.key not in others)
                return
        for resource in self.model.of_kind(cls):
            if resource.key in members:
                yield resource

    def explain(self, value: object) -> str:
        """Why a value is not known, naming what would settle it."""
        reasons = self.model.unknown_reasons
        parts = unknown_parts(value)
        if isinstance(value, Unknown):
            return f"`{value.expression}` is not known: {value.reason}"
        if not parts:
            return "the value is not known statically"
        explained = [
            f"`{part}` ({reasons.get(part, 'not known statically')})" for part in parts[:3]
        ]
        return "it depends on " + ", ".join(explained)

    # ---- recording ------------------------------------------------------------------------

    def _record(
        self,
        outcome: Outcome,
        resource: Resource | str,
        message: str,
        location: Origin | None,
        value: str | None,
        evidence: str | None,
        related: Iterable[tuple[Origin | None, str]],
        register_input: str | None = None,
    ) -> None:
        address = resource if isinstance(resource, str) else resource.address
        where = location if location is not None or isinstance(resource, str) else resource.origin
        if where is None:
            where = self.model.first_file_span()
        if isinstance(where, SourceSpan) and where.pointer:
            message = f"{message} (at {where.pointer} in {where.path})"
        self.results.append(
            Result(
                rule_id=self.meta.id,
                outcome=outcome,
                severity=self.severity,
                deployment=self.deployment.key,
                resource=address,
                message=message,
                location=where,
                value=value,
                evidence=evidence if evidence is not None else (value or message),
                remediation=self.meta.remediation,
                related=tuple(
                    Related(origin, text) for origin, text in related if origin is not None
                ),
                register_input=register_input,
            )
        )

    def passed(self, resource: Resource | str, message: str = "") -> None:
        """The rule holds for this resource."""
        self._record("pass", resource, message or self.meta.title, None, None, "", ())

    def fail(
        self,
        resource: Resource | str,
        message: str,
        *,
        value: str | None = None,
        location: Origin | None = None,
        evidence: str | None = None,
        related: Iterable[tuple[Origin | None, str]] = (),
        level: str | None = None,
        register_input: str | None = None,
        remediation: str | None = None,
    ) -> None:
        """The rule fails: say what, name the offending value and where it is.

        `level` names one of the rule's declared levels (rules/*.yaml `levels`), which sets the
        failure's severity and how Anyscale treats it; `remediation` replaces the rule's fix
        where this failure needs another (a read error is not a syntax error).
        """
        self._record("fail", resource, message, location, value, evidence, related, register_input)
        if level is not None:
            declared = self.meta.levels.get(level)
            if declared is None:
                raise KeyError(f"{self.meta.id} declares no level {level!r}")
            severity = self.severity if self.severity_overridden else declared.severity
            self.results[-1] = replace(self.results[-1], severity=severity, level=level)
        if remediation is not None:
            self.results[-1] = replace(self.results[-1], remediation=remediation)

    def unknown(
        self,
        resource: Resource | str,
        message: str,
        *,
        location: Origin | None = None,
        value: str | None = None,
        related: Iterable[tuple[Origin | None, str]] = (),
        register_input: str | None = None,
    ) -> None:
        """The rule cannot decide: `message` says what is unknown and why."""
        self._record("unknown", resource, message, location, value, None, related, register_input)

    def not_evaluated(self, resource: Resource | str, why: str) -> None:
        """The rule does not apply here, or its subject could not be identified."""
        self._record("not-evaluated", resource, why, None, None, "", ())
