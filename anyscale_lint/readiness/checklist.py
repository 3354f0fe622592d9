"""The checklist of register inputs: what was found for each, its status, the rules behind it."""

from __future__ import annotations

from collections.abc import Sequence

from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.registry import RuleMeta
from anyscale_lint.engine.report import Report
from anyscale_lint.engine.unresolved import unresolved
from anyscale_lint.model import Deployment, Resource, Subnet, is_known, unknown_parts
from anyscale_lint.providers.aws import AWS_INPUTS, INPUTS_BY_KEY
from anyscale_lint.providers.inputs import RegisterInput
from anyscale_lint.readiness.judgement import input_status, rule_line
from anyscale_lint.readiness.model import ChecklistItem, Status


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

    def parts(self, spec: RegisterInput) -> list[Resource]:
        d = self.deployment
        found: dict[str, Sequence[Resource | None]] = {
            "vpc": [d.vpc],
            "subnets": d.subnets,
            "security-groups": d.security_groups,
            "bucket": [d.bucket],
            "control-plane-role": [d.control_plane_role],
            "instance-role": [d.instance_role],
            "efs": [d.efs],
            "memorydb": [d.memorydb],
        }
        return [r for r in found.get(spec.key, []) if r is not None]

    def decides(self, result: Result, spec: RegisterInput) -> bool:
        """Whether a result decides this input, by its rule's `readiness.inputs`."""
        meta = self.meta(result.rule_id)
        listed = meta.readiness_inputs if meta else ()
        if "result" in listed:
            return result.register_input == spec.key
        if spec.key not in listed:
            return False
        if spec.cls is None:
            return True
        # A rule judging several parts (the two roles): the part holding the result's resource,
        # else the first listed.
        naming = [INPUTS_BY_KEY[key] for key in listed if INPUTS_BY_KEY[key].cls is not None]
        holders = [s for s in naming if result.resource in {r.address for r in self.parts(s)}]
        return spec in holders if holders else spec == naming[0]

    def input_results(self, spec: RegisterInput) -> list[Result]:
        """The active findings that decide one register input."""
        return [result for result in self.active if self.decides(result, spec)]

    def how_found(self, spec: RegisterInput) -> str:
        methods = [i for i in self.deployment.identifications if i.part == spec.part]
        return methods[-1].method if methods else ""

    def flag_value(self, flag: str) -> object:
        command = self.deployment.register_command
        return command.flags.get(flag) if command else None

    def item(self, spec: RegisterInput) -> ChecklistItem:
        d = self.deployment
        if spec.flag == "name":
            return self.given_item(spec, self.flag_value("name"), "the register command's --name")
        if spec.flag == "region":
            return self.given_item(spec, d.region, "the register command, else the provider")
        if spec.flag == "private-network":
            return ChecklistItem(
                spec.label,
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
        results = self.input_results(spec)
        lines = tuple(rule_line(r, self.meta(r.rule_id)) for r in results)
        location = str(parts[0].origin) if parts else None
        if not parts:
            status: Status = "not found" if spec.required else "not used"
            detail = self.how_found(spec) or "not in this deployment"
            if not spec.required:
                detail = f"optional; {detail}"
            reason = unresolved(d, spec.part)
            if reason is not None:
                # Declared, perhaps, where the code was not read: never "not found".
                status, detail = "unknown", f"not known: {reason}"
            return ChecklistItem(
                spec.label, spec.flag, spec.required, status, (), None, detail, lines
            )
        detail = self.how_found(spec)
        if spec.flag == "subnet-ids":
            detail = "; ".join(f"{s.address} ({_zone(s)})" for s in d.subnets)
            uncounted = [s for s in d.subnets if s.key in d.model.uncounted]
            if uncounted:
                why = d.model.uncounted[uncounted[0].key]
                detail = f"how many subnets {uncounted[0].address} creates is not known: {why}"
        return ChecklistItem(
            spec.label,
            spec.flag,
            spec.required,
            input_status(results, self.meta),
            tuple(r.address for r in parts),
            location,
            detail,
            lines,
        )

    def given_item(self, spec: RegisterInput, value: object, source: str) -> ChecklistItem:
        if isinstance(value, str) and value and is_known(value):
            return ChecklistItem(
                spec.label, spec.flag, True, "pass", (value,), None, f"from {source}"
            )
        if value is None or value == "":
            default = " (the CLI defaults to us-west-2)" if spec.flag == "region" else ""
            return ChecklistItem(
                spec.label,
                spec.flag,
                True,
                "not found",
                (),
                None,
                f"not given in the code{default}",
            )
        reasons = self.deployment.model.unknown_reasons
        parts = unknown_parts(value)
        why = ", ".join(f"`{p}` ({reasons.get(p, 'not known statically')})" for p in parts[:3])
        return ChecklistItem(
            spec.label, spec.flag, True, "unknown", (), None, f"not known: depends on {why}"
        )

    def external_id_item(self, spec: RegisterInput) -> ChecklistItem:
        results = self.input_results(spec)
        value = self.flag_value("external-id") or self.report.settings.external_id
        lines = tuple(rule_line(r, self.meta(r.rule_id)) for r in results)
        if not value:
            detail = (
                "not given: without --external-id the CLI rewrites the control-plane trust policy "
                "(Terraform drift)"
            )
            status: Status = input_status(results, self.meta) if results else "not used"
            return ChecklistItem(spec.label, spec.flag, False, status, (), None, detail, lines)
        shown = str(value) if is_known(value) else "(not known statically)"
        return ChecklistItem(
            spec.label,
            spec.flag,
            False,
            input_status(results, self.meta),
            (shown,),
            None,
            "",
            lines,
        )


def checklist(report: Report, deployment: Deployment, active: list[Result]) -> list[ChecklistItem]:
    """One item per register input of `--provider aws`, in the register command's order."""
    items = _Checklist(report, deployment, active)
    return [items.item(spec) for spec in AWS_INPUTS]
