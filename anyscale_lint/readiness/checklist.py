"""The checklist of register inputs: what was found for each, its status, the rules behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.registry import RuleMeta
from anyscale_lint.engine.report import Report
from anyscale_lint.model import Deployment, Resource, Subnet, is_known, unknown_parts
from anyscale_lint.readiness.judgement import input_status, matches, rule_line
from anyscale_lint.readiness.model import ChecklistItem, Status


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
def _zone(subnet: Subnet) -> str:
    zone = subnet.availability_zone
    return zone if isinstance(zone, str) and is_known(zone) else "AZ not known statically"


class _Checklist:
    def __init__(self, report: Report, deployment: Deployment, active: list[Result]) -> None:
        self.report = report
        self.deployment = deployment
        self.active = active

    def meta(self, rule_id: str) -> RuleMeta | None:
        return self.report.rule(rule_id)

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
                mine = matches(result.rule_id, spec.rules) and result.resource in addresses
            else:
                mine = matches(result.rule_id, spec.rules) and spec.flag != "instance-iam-role-id"
            if mine:
                chosen.append(result)
        return chosen

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
        lines = tuple(rule_line(r, self.meta(r.rule_id)) for r in results)
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
            input_status(results, self.meta),
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
        lines = tuple(rule_line(r, self.meta(r.rule_id)) for r in results)
        if not value:
            detail = (
                "not given: without --external-id the CLI rewrites the control-plane trust policy "
                "(Terraform drift)"
            )
            status: Status = input_status(results, self.meta) if results else "not used"
            return ChecklistItem(spec.name, spec.flag, False, status, (), None, detail, lines)
        shown = str(value) if is_known(value) else "(not known statically)"
        return ChecklistItem(
            spec.name, spec.flag, False, input_status(results, self.meta), (shown,), None, "", lines
        )


def checklist(report: Report, deployment: Deployment, active: list[Result]) -> list[ChecklistItem]:
    """One item per register input of `--provider aws`, in the register command's order."""
    items = _Checklist(report, deployment, active)
    return [items.item(spec) for spec in INPUTS]
