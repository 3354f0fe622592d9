"""The checklist of register inputs: what was found for each, its status, the rules behind it.

One row per input of the deployment's provider (providers/aws.py, providers/gcp.py), in the
register command's order; inputs that name resources show what identification found, the
others (name, region, project ID, ...) the value the code gives.
"""

from __future__ import annotations

from dataclasses import replace

from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.registry import RuleMeta
from anyscale_lint.engine.report import Report
from anyscale_lint.engine.unresolved import unresolved
from anyscale_lint.model import (
    Deployment,
    GcpParts,
    GcpSubnetwork,
    Resource,
    Subnet,
    is_known,
    unknown_parts,
)
from anyscale_lint.providers.inputs import RegisterInput
from anyscale_lint.providers.registry import provider_table
from anyscale_lint.readiness.judgement import input_status, rule_line
from anyscale_lint.readiness.model import ChecklistItem, Status
from anyscale_lint.readiness.parts import input_parts, project_value


def _zone(subnet: Subnet) -> str:
    zone = subnet.availability_zone
    return zone if isinstance(zone, str) and is_known(zone) else "AZ not known statically"


def _known(value: object) -> str | None:
    return value if isinstance(value, str) and value and is_known(value) else None


def _gcp_subnet(subnet: GcpSubnetwork) -> str:
    """`address (region, CIDR)`, what is known of it."""
    shown = [v for v in (_known(subnet.region), _known(subnet.ip_cidr_range)) if v]
    return f"{subnet.address} ({', '.join(shown)})" if shown else subnet.address


class _Checklist:
    def __init__(self, report: Report, deployment: Deployment, active: list[Result]) -> None:
        self.report = report
        self.deployment = deployment
        self.active = active
        self.table = provider_table(deployment.provider)
        self.gcp = deployment.gcp or GcpParts()

    def meta(self, rule_id: str) -> RuleMeta | None:
        return self.report.rule(rule_id)

    def parts(self, spec: RegisterInput) -> list[Resource]:
        return input_parts(self.deployment, spec.key)

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
        inputs = self.table.by_key
        naming = [inputs[key] for key in listed if key in inputs and inputs[key].cls is not None]
        holders = [s for s in naming if result.resource in {r.address for r in self.parts(s)}]
        return spec in holders if holders else spec == naming[0]

    def input_results(self, spec: RegisterInput) -> list[Result]:
        """The active findings that decide one register input."""
        return [result for result in self.active if self.decides(result, spec)]

    def how_found(self, spec: RegisterInput) -> str:
        return self.note(spec.part)

    def note(self, part: str) -> str:
        """How identification found a part (or what it tried), its last word on it."""
        methods = [i for i in self.deployment.identifications if i.part == part]
        return methods[-1].method if methods else ""

    def flag_value(self, flag: str) -> object:
        command = self.deployment.register_command
        return command.flags.get(flag) if command else None

    def item(self, spec: RegisterInput) -> ChecklistItem:
        d = self.deployment
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
        if spec.cls is None or (spec.key == "project" and not self.parts(spec)):
            # A value, or a project the root uses without declaring it.
            return self.value_item(spec)
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
        if isinstance(parts[0], GcpSubnetwork):
            detail = self.gcp_subnets_detail()
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

    def gcp_subnets_detail(self) -> str:
        """The node subnets (Anyscale uses the first), and the proxy-only subnets private mode
        needs."""
        detail = "; ".join(_gcp_subnet(s) for s in self.gcp.subnets)
        if self.deployment.network_mode == "private":
            proxies = ", ".join(_gcp_subnet(s) for s in self.gcp.proxy_subnets)
            detail += f"; proxy-only subnet: {proxies or 'none in the region'}"
        return detail

    def given_value(self, spec: RegisterInput) -> tuple[object, str, str]:
        """A value input's value, where it comes from, and what its absence means."""
        d = self.deployment
        if spec.key == "region":
            return d.region, self.note("region") or "the register command, else the provider", ""
        if spec.key == "project":
            source = (
                "the register command's --project-id"
                if self.flag_value(spec.flag)
                else "the project the deployment's resources are created in"
            )
            return project_value(self.gcp), source, ""
        if spec.key == "host_project":
            return (
                self.gcp.host_project_id,
                "the register command's --host-project-id",
                ("no shared VPC (no --host-project-id)"),
            )
        if spec.key == "filestore_location":
            given = self.flag_value(spec.flag)
            filestore = self.gcp.filestore
            if given is None and filestore is not None:
                return filestore.location, f"the location of {filestore.address}", ""
            return given, f"the register command's --{spec.flag}", "no Filestore"
        return self.flag_value(spec.flag), f"the register command's --{spec.flag}", ""

    def value_item(self, spec: RegisterInput) -> ChecklistItem:
        value, source, absent = self.given_value(spec)
        results = self.input_results(spec)
        lines = tuple(rule_line(r, self.meta(r.rule_id)) for r in results)
        item = self.given_item(spec, value, source, absent)
        if not lines or item.status in ("not found", "not used"):
            # A missing value is reported as such; a rule saying so adds nothing.
            return item
        return replace(item, status=input_status(results, self.meta), rules=lines)

    def given_item(
        self, spec: RegisterInput, value: object, source: str, absent: str = ""
    ) -> ChecklistItem:
        required = spec.required
        if isinstance(value, str) and value and is_known(value):
            return ChecklistItem(
                spec.label, spec.flag, required, "pass", (value,), None, f"from {source}"
            )
        if value is None or value == "":
            detail = absent or "not given in the code"
            if spec.default:
                detail += f" (the CLI defaults to {spec.default})"
            if not required:
                detail = f"optional; {detail}"
            status: Status = "not found" if required else "not used"
            return ChecklistItem(spec.label, spec.flag, required, status, (), None, detail)
        reasons = self.deployment.model.unknown_reasons
        parts = unknown_parts(value)
        why = ", ".join(f"`{p}` ({reasons.get(p, 'not known statically')})" for p in parts[:3])
        return ChecklistItem(
            spec.label, spec.flag, required, "unknown", (), None, f"not known: depends on {why}"
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
    """One item per register input of the deployment's provider, in the command's order."""
    items = _Checklist(report, deployment, active)
    return [items.item(spec) for spec in items.table.inputs]
