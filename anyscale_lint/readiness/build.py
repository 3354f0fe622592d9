"""Build the readiness report from a run's Report: nothing here reads HCL or cloud responses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.registry import RuleMeta
from anyscale_lint.engine.report import Report
from anyscale_lint.model import Deployment, is_known
from anyscale_lint.readiness.checklist import checklist
from anyscale_lint.readiness.judgement import anyscale_blocks, is_blocking
from anyscale_lint.readiness.model import (
    ChecklistItem,
    DeploymentReadiness,
    ReadinessReport,
    Requirement,
    RuleCount,
    Section,
    Verdict,
)
from anyscale_lint.readiness.plan import plan

# Requirement sections in the order of Anyscale's verifier (REQUIREMENTS.md sections 2 and 3),
# then ours; each rule names its section in its metadata (rules/*.yaml `readiness.section`).
SECTIONS = (
    "VPC",
    "Subnets",
    "IAM",
    "Security groups",
    "S3",
    "EFS",
    "MemoryDB",
    "Workload identity",
    "Firewall",
    "Cloud Storage",
    "Filestore",
    "Memorystore",
    "Registration",
    "Inputs",
)

_ANYSCALE_FAIL = {
    "fatal": "aborts `cloud register` before anything is created",
    "error": "fails `cloud verify`; `cloud register` deletes the new cloud",
    "warn": "prints a warning",
    "prompt": "asks a [DANGER] confirmation",
    "none": "does not check it",
}


class _DeploymentBuilder:
    def __init__(self, report: Report, deployment: Deployment, strict: bool) -> None:
        self.report = report
        self.deployment = deployment
        self.strict = strict
        self.results = [r for r in report.results if r.deployment == deployment.key]
        self.active = [r for r in self.results if r.active]
        self.errors = [e for e in report.errors if e.path in deployment.model.files]

    def meta(self, rule_id: str) -> RuleMeta | None:
        return self.report.rule(rule_id)

    def sections(self) -> list[Section]:
        sections = []
        for name in SECTIONS:
            counts: list[RuleCount] = []
            for meta in self.report.rules:
                if meta.readiness_section != name:
                    continue
                own = [r for r in self.results if r.rule_id == meta.id]
                tally: Counter[str] = Counter(str(r.outcome) for r in own)
                tally["suppressed"] = sum(1 for r in own if r.is_finding and not r.active)
                status = self.rule_status(tally, [r for r in own if r.active])
                counts.append(RuleCount(meta.id, meta.title, dict(tally), status))
            if counts:
                statuses = {c.status for c in counts}
                status = next(
                    (s for s in ("failed", "unknown", "passed") if s in statuses), "not checked"
                )
                sections.append(Section(name, status, tuple(counts)))
        return sections

    @staticmethod
    def rule_status(tally: Counter[str], active: Sequence[Result]) -> str:
        if any(r.outcome == "fail" for r in active):
            return "failed"
        if any(r.outcome == "unknown" for r in active):
            return "unknown"
        if tally["pass"] or tally["suppressed"]:
            return "passed"
        return "not checked"

    def requirements(self) -> list[Requirement]:
        rows = []
        for meta in self.report.rules:
            active = [r for r in self.active if r.rule_id == meta.id]
            if not active:
                continue
            failing = [r for r in active if r.outcome == "fail"]
            outcome = "fail" if failing else "unknown"
            if failing:
                default = _ANYSCALE_FAIL[meta.anyscale_effect]
                blocked = any(anyscale_blocks(r, meta) for r in failing)
                if meta.anyscale_effect in ("fatal", "error") and not blocked:
                    # Report-only rules, or a lower level of a rule (a /22 VPC only warns).
                    default = (
                        "prints a warning"
                        if meta.anyscale_blocks
                        else "reports it, but it does not decide the result"
                    )
                # The lower level of a blocking rule is a warning that never fails (capacity).
                lower_level = meta.anyscale_blocks and not blocked
                fails_strict = blocked or (meta.anyscale_strict and not lower_level)
                strict = "fails" if fails_strict else default
                blocking = any(is_blocking(r, meta) for r in failing)
                ours = "blocks: fix before registering" if blocking else "warning: fix when you can"
            else:
                default = strict = "cannot be predicted (unknown)"
                ours = "unknown: settle the value (see the findings)"
            rows.append(
                Requirement(
                    meta.id,
                    meta.title,
                    outcome,
                    meta.anyscale_effect,
                    default,
                    strict,
                    ours,
                    meta.anyscale_note,
                )
            )
        return rows

    def anyscale_verdict(self) -> str:
        failing = [r for r in self.active if r.outcome == "fail"]
        metas = {r.rule_id: self.meta(r.rule_id) for r in failing}
        blocked = {r.rule_id for r in failing if anyscale_blocks(r, metas[r.rule_id])}
        aborts = sorted(i for i in blocked if (m := metas[i]) and m.anyscale_effect == "fatal")
        fails = sorted(blocked - set(aborts))
        strict = sorted(
            {i for i, m in metas.items() if m and m.anyscale_strict and i not in blocked}
        )
        if aborts:
            return f"`cloud register` would abort ({', '.join(aborts)})"
        if fails:
            return (
                "`cloud register` would fail verification and delete the new cloud "
                f"({', '.join(fails)})"
            )
        if strict:
            return (
                "`cloud register` would pass with warnings; `cloud verify --strict` would fail "
                f"({', '.join(strict)})"
            )
        return "`cloud register` would pass the checks this tool can predict"

    # ---- verdict -------------------------------------------------------------------------

    def verdict(self, checklist: Sequence[ChecklistItem]) -> tuple[Verdict, list[str]]:
        blocking: list[str] = []
        warnings: list[str] = []
        if not self.deployment.identified:
            blocking.append("no Anyscale deployment was identified in this root")
        for error in self.errors:
            blocking.append(f"input error: {error.location()}: {error.message}")
        for item in checklist:
            if item.required and item.status == "not found":
                blocking.append(f"{item.name} (--{item.flag}) not found: {item.detail}")
            elif item.required and item.status == "unknown" and not item.rules:
                warnings.append(f"{item.name} (--{item.flag}) {item.detail}")
        for result in self.active:
            meta = self.meta(result.rule_id)
            text = f"{result.rule_id} {result.resource}: {result.message}"
            if result.outcome == "fail" and is_blocking(result, meta):
                blocking.append(text)
            elif result.outcome == "fail":
                warnings.append(text)
            else:
                warnings.append(f"unknown: {text}")
        if blocking:
            return "NOT READY", blocking + warnings
        if warnings and self.strict:
            return "NOT READY", ["--strict: warnings fail", *warnings]
        if warnings:
            return "READY WITH WARNINGS", warnings
        return "READY", []

    def build(self) -> DeploymentReadiness:
        d = self.deployment
        items = checklist(self.report, d, self.active) if d.identified else []
        verdict, reasons = self.verdict(items)
        region = d.region if isinstance(d.region, str) and is_known(d.region) else None
        failing = {r.resource for r in self.active if r.outcome == "fail" and r.resource != d.key}
        return DeploymentReadiness(
            key=d.key,
            identified=d.identified,
            verdict=verdict,
            reasons=reasons,
            network_mode=d.network_mode,
            network_mode_source=d.network_mode_source,
            region=region,
            checklist=items,
            sections=self.sections(),
            requirements=self.requirements(),
            anyscale_verdict=self.anyscale_verdict(),
            plan=plan(d) if d.identified else None,
            failing_resources=failing,
            deployment=d,
        )


def build_readiness(report: Report, strict: bool = False) -> ReadinessReport:
    """One readiness record per deployment of the run, plus the inputs' errors."""
    deployments = [
        _DeploymentBuilder(report, deployment, strict).build()
        for deployment in report.deployments
        if deployment.model.holds_network
    ]
    files = {f for d in report.deployments for f in d.model.files}
    loose = [f"{e.location()}: {e.message}" for e in report.errors if e.path not in files]
    return ReadinessReport(report.version, strict, deployments, loose, list(report.notices))
