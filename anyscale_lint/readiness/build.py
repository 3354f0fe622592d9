"""Build the readiness report from a run's Report: nothing here reads HCL or cloud responses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from anyscale_lint.engine.findings import Result, severity_rank
from anyscale_lint.engine.registry import RuleMeta
from anyscale_lint.engine.report import Report
from anyscale_lint.model import Deployment, Resource, Subnet, is_known, unknown_parts
from anyscale_lint.readiness.model import (
    ChecklistItem,
    DeploymentReadiness,
    ReadinessReport,
    Requirement,
    RuleCount,
    RuleLine,
    Section,
    Status,
    Verdict,
)
from anyscale_lint.readiness.plan import plan


@dataclass(frozen=True)
class _Input:
    name: str
    flag: str
    required: bool
    # Rule ID prefixes whose results decide it (IAM results go to the role they name).
    rules: tuple[str, ...]
    # The Identification part name (engine/identify.py), to say how it was found.
    part: str


# The register inputs of `--provider aws`, in the order of the register command.
INPUTS = (
    _Input("name", "name", True, (), ""),
    _Input("region", "region", True, (), ""),
    _Input("VPC", "vpc-id", True, ("AWS-NET-004", "AWS-NET-008"), "vpc"),
    _Input(
        "subnets",
        "subnet-ids",
        True,
        ("AWS-NET-001", "AWS-NET-002", "AWS-NET-003", "AWS-NET-005", "AWS-NET-006", "AWS-NET-007"),
        "subnets",
    ),
    _Input("security groups", "security-group-ids", True, ("AWS-SG-",), "security groups"),
    _Input("S3 bucket", "cloud-storage-bucket-name", True, ("AWS-S3-",), "bucket"),
    _Input("control-plane role", "anyscale-iam-role-id", True, ("AWS-IAM-",), "control-plane role"),
    _Input("instance role", "instance-iam-role-id", True, ("AWS-IAM-",), "instance role"),
    _Input("EFS", "file-storage-id", False, ("AWS-EFS-",), "efs"),
    _Input("MemoryDB", "memorydb-cluster-id", False, ("AWS-MDB-",), "memorydb"),
    _Input("networking mode", "private-network", False, (), ""),
    _Input("external ID", "external-id", False, ("AWS-REG-002",), ""),
)

# Requirement areas in the order of Anyscale's verifier (REQUIREMENTS.md section 2), then ours.
SECTIONS = (
    ("VPC", ("AWS-NET-004", "AWS-NET-008")),
    (
        "Subnets",
        ("AWS-NET-001", "AWS-NET-002", "AWS-NET-003", "AWS-NET-005", "AWS-NET-006", "AWS-NET-007"),
    ),
    ("IAM", ("AWS-IAM-",)),
    ("Security groups", ("AWS-SG-",)),
    ("S3", ("AWS-S3-",)),
    ("EFS", ("AWS-EFS-",)),
    ("MemoryDB", ("AWS-MDB-",)),
    ("Registration", ("AWS-REG-",)),
    ("Inputs", ("CORE-",)),
)

_ANYSCALE_FAIL = {
    "fatal": "aborts `cloud register` before anything is created",
    "error": "fails `cloud verify`; `cloud register` deletes the new cloud",
    "warn": "prints a warning",
    "prompt": "asks a [DANGER] confirmation",
    "none": "does not check it",
}


def anyscale_blocks(result: Result, meta: RuleMeta | None) -> bool:
    """Whether Anyscale's register/verify stops on this failure.

    A rule whose result carries a lower level than its default (capacity: /20 is a warning,
    /24 an error) blocks only at its default level or above.
    """
    return bool(meta and meta.anyscale_blocks) and severity_rank(result.severity) >= severity_rank(
        meta.severity if meta else "info"
    )


def is_blocking(result: Result, meta: RuleMeta | None) -> bool:
    """A failure we will not call ready: exposure, broken registration, or Anyscale blocks it."""
    return result.severity in ("critical", "high") or anyscale_blocks(result, meta)


def _line(result: Result, meta: RuleMeta | None) -> RuleLine:
    location = str(result.location) if result.location is not None else None
    return RuleLine(
        result.rule_id,
        result.outcome,
        result.severity,
        result.resource,
        result.message,
        location,
        result.outcome == "fail" and is_blocking(result, meta),
    )


def _zone(subnet: Subnet) -> str:
    zone = subnet.availability_zone
    return zone if isinstance(zone, str) and is_known(zone) else "AZ not known statically"


def _matches(rule_id: str, prefixes: Sequence[str]) -> bool:
    return any(rule_id == p or (p.endswith("-") and rule_id.startswith(p)) for p in prefixes)


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

    # ---- checklist -------------------------------------------------------------------------

    def parts(self, spec: _Input) -> list[Resource]:
        d = self.deployment
        found: dict[str, Sequence[Resource | None]] = {
            "vpc-id": [d.vpc],
            "subnet-ids": d.subnets,
            "security-group-ids": d.security_groups,
            "cloud-storage-bucket-name": [d.bucket],
            "anyscale-iam-role-id": [d.control_plane_role],
            "instance-iam-role-id": [d.instance_role],
            "file-storage-id": [d.efs],
            "memorydb-cluster-id": [d.memorydb],
        }
        return [r for r in found.get(spec.flag, []) if r is not None]

    def input_results(self, spec: _Input, addresses: set[str]) -> list[Result]:
        """The active findings that decide one register input."""
        roles = {r.address for _, r in self.deployment.roles()}
        chosen = []
        for result in self.active:
            if result.rule_id == "AWS-REG-003":
                mine = bool(spec.part) and result.value == spec.part
            elif result.rule_id == "AWS-REG-004":
                mine = (result.value or "").startswith(f"--{spec.flag} ")
            elif result.rule_id.startswith("AWS-IAM-") and result.resource in roles:
                # IAM rules judge each role: the result belongs to the role it names.
                mine = _matches(result.rule_id, spec.rules) and result.resource in addresses
            else:
                mine = _matches(result.rule_id, spec.rules) and spec.flag != "instance-iam-role-id"
            if mine:
                chosen.append(result)
        return chosen

    def status(self, results: Sequence[Result]) -> Status:
        fails = [r for r in results if r.outcome == "fail"]
        if any(is_blocking(r, self.meta(r.rule_id)) for r in fails):
            return "fail"
        if fails:
            return "warn"
        if any(r.outcome == "unknown" for r in results):
            return "unknown"
        return "pass"

    def how_found(self, spec: _Input) -> str:
        methods = [i for i in self.deployment.identifications if i.part == spec.part]
        return methods[-1].method if methods else ""

    def flag_value(self, flag: str) -> object:
        command = self.deployment.register_command
        return command.flags.get(flag) if command else None

    def item(self, spec: _Input) -> ChecklistItem:
        d = self.deployment
        if spec.flag == "name":
            return self.given_item(spec, self.flag_value("name"), "the register command's --name")
        if spec.flag == "region":
            return self.given_item(spec, d.region, "the register command, else the provider")
        if spec.flag == "private-network":
            return ChecklistItem(
                spec.name,
                spec.flag,
                False,
                "pass",
                (d.network_mode,),
                None,
                f"{d.network_mode} (decided by {d.network_mode_source})",
            )
        if spec.flag == "external-id":
            return self.external_id_item(spec)
        parts = self.parts(spec)
        addresses = {r.address for r in parts}
        results = self.input_results(spec, addresses)
        lines = tuple(_line(r, self.meta(r.rule_id)) for r in results)
        location = str(parts[0].origin) if parts else None
        if not parts:
            status: Status = "not found" if spec.required else "not used"
            detail = self.how_found(spec) or "not in this deployment"
            if not spec.required:
                detail = f"optional; {detail}"
            return ChecklistItem(
                spec.name, spec.flag, spec.required, status, (), None, detail, lines
            )
        detail = self.how_found(spec)
        if spec.flag == "subnet-ids":
            detail = "; ".join(f"{s.address} ({_zone(s)})" for s in d.subnets)
            uncounted = [s for s in d.subnets if s.key in d.model.uncounted]
            if uncounted:
                why = d.model.uncounted[uncounted[0].key]
                detail = f"how many subnets {uncounted[0].address} creates is not known: {why}"
        return ChecklistItem(
            spec.name,
            spec.flag,
            spec.required,
            self.status(results),
            tuple(r.address for r in parts),
            location,
            detail,
            lines,
        )

    def given_item(self, spec: _Input, value: object, source: str) -> ChecklistItem:
        if isinstance(value, str) and value and is_known(value):
            return ChecklistItem(
                spec.name, spec.flag, True, "pass", (value,), None, f"from {source}"
            )
        if value is None or value == "":
            default = " (the CLI defaults to us-west-2)" if spec.flag == "region" else ""
            return ChecklistItem(
                spec.name, spec.flag, True, "not found", (), None, f"not given in the code{default}"
            )
        reasons = self.deployment.model.unknown_reasons
        parts = unknown_parts(value)
        why = ", ".join(f"`{p}` ({reasons.get(p, 'not known statically')})" for p in parts[:3])
        return ChecklistItem(
            spec.name, spec.flag, True, "unknown", (), None, f"not known: depends on {why}"
        )

    def external_id_item(self, spec: _Input) -> ChecklistItem:
        results = [r for r in self.active if r.rule_id in ("AWS-REG-002", "AWS-IAM-003")]
        value = self.flag_value("external-id") or self.report.settings.external_id
        lines = tuple(_line(r, self.meta(r.rule_id)) for r in results)
        if not value:
            detail = (
                "not given: without --external-id the CLI rewrites the control-plane trust policy "
                "(Terraform drift)"
            )
            status: Status = self.status(results) if results else "not used"
            return ChecklistItem(spec.name, spec.flag, False, status, (), None, detail, lines)
        shown = str(value) if is_known(value) else "(not known statically)"
        return ChecklistItem(
            spec.name, spec.flag, False, self.status(results), (shown,), None, "", lines
        )

    # ---- sections and both verdicts ------------------------------------------------------

    def sections(self) -> list[Section]:
        sections = []
        for name, prefixes in SECTIONS:
            counts: list[RuleCount] = []
            for meta in self.report.rules:
                if not _matches(meta.id, prefixes):
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
        checklist = [self.item(spec) for spec in INPUTS] if d.identified else []
        verdict, reasons = self.verdict(checklist)
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
            checklist=checklist,
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
        if deployment.model.source_kind != "iam_json"
    ]
    files = {f for d in report.deployments for f in d.model.files}
    loose = [f"{e.location()}: {e.message}" for e in report.errors if e.path not in files]
    return ReadinessReport(report.version, strict, deployments, loose, list(report.notices))
