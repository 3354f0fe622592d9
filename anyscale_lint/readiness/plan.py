"""The `anyscale cloud register` command and resource file a deployment implies.

Each value is a literal when the code fixes it (a bucket name, a region), else
`$(terraform output -raw NAME)` when a root output holds exactly that value (read after
`terraform apply`), else a marked placeholder with the output to add. A sensitive value is
never a literal: it is read from a root output holding exactly it, else a placeholder.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import replace

import yaml

from anyscale_lint.engine.redaction import Redactor
from anyscale_lint.engine.unresolved import unresolved
from anyscale_lint.model import (
    CloudModel,
    Deployment,
    IamRole,
    PolicyDocument,
    Resource,
    S3Bucket,
    SecurityGroup,
    comma_items,
    is_known,
    refers_to,
)
from anyscale_lint.providers.aws import INPUTS_BY_FLAG, RESOURCE_INPUTS
from anyscale_lint.readiness.model import PlannedValue, RegisterPlan

# Whether a value (an output's, a flag's) stands for a resource's attribute.
Matcher = Callable[[object], bool]

# Which attribute of each part a flag takes, its placeholder, and the output name we suggest.
_ATTRIBUTES = {
    spec.flag: (spec.attribute, spec.placeholder, spec.output_name) for spec in RESOURCE_INPUTS
}
# Placeholders of the flags that are not resources.
_OTHER_PLACEHOLDERS = {"name": "CLOUD_NAME", "region": "REGION", "external-id": "EXTERNAL_ID"}
# Attributes that hold the same value, for matching outputs (`bucket` and `id` of a bucket).
_SAME = {"bucket": ("bucket", "id"), "id": ("id",), "arn": ("arn",), "name": ("name", "id")}


def _holds(resource: Resource, attribute: str, literal: str | None = None) -> Matcher:
    """Whether a value is this attribute of the resource: a reference to it (or to an
    attribute holding the same value), or its literal value."""
    same = _SAME[attribute]
    return lambda value: (
        refers_to(value, resource.key, same) or (literal is not None and value == literal)
    )


def _literal(resource: Resource, attribute: str, model: CloudModel) -> str | None:
    """The value when the code or the account fixes it (never a partly known one)."""
    if not model.ids_assigned_at_apply and attribute in ("id", "name"):
        return resource.key
    if isinstance(resource, S3Bucket) and attribute == "bucket":
        return resource.name if isinstance(resource.name, str) and is_known(resource.name) else None
    if isinstance(resource, IamRole) and attribute == "arn":
        arn = resource.arn
        return arn if isinstance(arn, str) and arn and is_known(arn) else None
    if attribute == "name" and isinstance(resource.name, str) and is_known(resource.name):
        return resource.name
    return None


class _Planner:
    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.model = deployment.model
        self.outputs_to_add: list[str] = []
        command = deployment.register_command
        self.flags = command.flags if command else {}
        self.redactor = Redactor(self.model.sensitive_values)

    def guarded(self, value: PlannedValue) -> PlannedValue:
        """A sensitive literal becomes `$(terraform output -raw NAME)` or a placeholder."""
        if value.source != "literal" or not self.redactor.is_sensitive(value.text):
            return value
        output = next(
            (o.name for o in self.model.outputs if o.in_root and o.value == value.text), None
        )
        if output is not None:
            return replace(
                value,
                text=f"$(terraform output -raw {output})",
                source="output",
                output=output,
                note="sensitive: read from the output after apply",
            )
        placeholder = _OTHER_PLACEHOLDERS.get(value.flag) or _ATTRIBUTES[value.flag][1]
        return replace(
            value,
            text=f"<{placeholder}>",
            source="placeholder",
            note="sensitive, so not printed: add a root output holding it (sensitive = true) "
            "and use $(terraform output -raw NAME)",
        )

    def root_output(self, wanted: Sequence[Matcher], joined: bool) -> str | None:
        """A root output whose value is exactly these values (one string, or joined by commas)."""
        for output in self.model.outputs:
            if not output.in_root or output.sensitive:
                continue
            value = output.value
            if isinstance(value, str):
                parts = comma_items(value) if joined else [value]
                if len(parts) == len(wanted) and all(
                    holds(p) for p, holds in zip(parts, wanted, strict=True)
                ):
                    return output.name
        return None

    def suggestion(self, flag: str, resources: Sequence[Resource], attribute: str) -> str:
        """The output block to add so the value can be read after apply; returns its name."""
        name = _ATTRIBUTES[flag][2]
        references = [self.module_output(r, attribute) or f"{r.key}.{attribute}" for r in resources]
        listed = self.list_output(resources, attribute) if len(resources) > 1 else None
        if listed is not None:
            references, value = [listed], f'join(",", {listed})'
        elif len(references) == 1:
            value = references[0]
        else:
            value = f'join(",", [{", ".join(references)}])'
        block = f'output "{name}" {{ value = {value} }}'
        hidden = [r for r in references if r.startswith("module.") and r.count(".") > 2]
        if hidden:
            block += (
                f"  # {', '.join(hidden)} is inside a module: expose it as an output of that "
                "module and refer to module.<name>.<output>"
            )
        self.outputs_to_add.append(block)
        return name

    def list_output(self, resources: Sequence[Resource], attribute: str) -> str | None:
        """An expression the root can join: a list output holding exactly these values."""
        wanted = [_holds(r, attribute) for r in resources]
        for output in self.model.outputs:
            value = output.value
            if not isinstance(value, list) or len(value) != len(wanted):
                continue
            if all(holds(v) for v, holds in zip(value, wanted, strict=True)):
                if output.in_root:
                    return output.expression
                if output.address.count("module.") == 1:
                    return output.address
        return None

    def module_output(self, resource: Resource, attribute: str) -> str | None:
        """`module.x.out` when a direct child module's output is exactly the resource's value."""
        holds = _holds(resource, attribute)
        for output in self.model.outputs:
            if output.in_root or output.address.count("module.") != 1:
                continue
            if holds(output.value):
                return output.address
        return None

    def part(self, flag: str, resources: Sequence[Resource]) -> PlannedValue:
        attribute, placeholder, _ = _ATTRIBUTES[flag]
        addresses = ", ".join(r.address for r in resources)
        literals = [_literal(r, attribute, self.model) for r in resources]
        if resources and all(literals):
            text = ",".join(v for v in literals if v)
            return PlannedValue(flag, text, "literal", addresses)
        written = self.flags.get(flag)
        if isinstance(written, str) and written and is_known(written):
            # The code's register command gives the value literally (an ARN pasted in).
            return PlannedValue(flag, written, "literal", addresses, note="as the code writes it")
        wanted = [_holds(r, attribute, lit) for r, lit in zip(resources, literals, strict=True)]
        output = self.root_output(wanted, joined=len(resources) > 1) if resources else None
        if output is not None:
            return PlannedValue(
                flag, f"$(terraform output -raw {output})", "output", addresses, output
            )
        if not resources:
            # A part the code declares where it was not read is unknown, not missing.
            reason = unresolved(self.deployment, INPUTS_BY_FLAG[flag].part)
            note = f"not known: {reason}" if reason else "not found in the code"
            return PlannedValue(flag, f"<{placeholder}>", "placeholder", None, note=note)
        name = self.suggestion(flag, resources, attribute)
        return PlannedValue(
            flag,
            f"<{placeholder}>",
            "placeholder",
            addresses,
            note=f"known after apply; add output {name!r} and use $(terraform output -raw {name})",
        )

    def given(self, flag: str, placeholder: str, fallback: object = None) -> PlannedValue:
        """A value the register command (or the config) fixes: the name, the region."""
        value: object = self.flags.get(flag)
        if value is None:
            value = fallback
        if isinstance(value, str) and value and is_known(value):
            return PlannedValue(flag, value, "literal")
        return PlannedValue(flag, f"<{placeholder}>", "placeholder", note="not given in the code")

    def external_id(self) -> PlannedValue | None:
        given = self.flags.get("external-id")
        if isinstance(given, str) and given and is_known(given):
            return PlannedValue("external-id", given, "literal")
        role = self.deployment.control_plane_role
        document = role.trust_policy if role else None
        values: set[str] = set()
        if isinstance(document, PolicyDocument):
            for statement in document.statements:
                conditions = statement.conditions if isinstance(statement.conditions, tuple) else ()
                for condition in conditions:
                    if condition.key.lower() == "sts:externalid" and is_known(condition.values):
                        values |= {str(v) for v in condition.values}
        org = sorted(v for v in values if v.startswith("org_"))
        if len(org) == 1:
            return PlannedValue(
                "external-id", org[0], "literal", note="the control-plane trust condition's value"
            )
        return None

    def plan(self) -> RegisterPlan:
        d = self.deployment
        groups = _primary_first(d)
        values = [
            PlannedValue("provider", "aws", "literal"),
            self.given("name", "CLOUD_NAME"),
            self.given("region", "REGION", d.region),
            self.part("vpc-id", _present(d.vpc)),
            self.part("subnet-ids", list(d.subnets)),
            self.part("security-group-ids", groups),
            self.part("cloud-storage-bucket-name", _present(d.bucket)),
            self.part(
                "anyscale-iam-role-id", [d.control_plane_role] if d.control_plane_role else []
            ),
            self.part("instance-iam-role-id", [d.instance_role] if d.instance_role else []),
        ]
        if d.efs is not None:
            values.append(self.part("file-storage-id", [d.efs]))
        if d.memorydb is not None:
            values.append(self.part("memorydb-cluster-id", [d.memorydb]))
        if d.network_mode == "private":
            values.append(PlannedValue("private-network", "", "flag"))
        external = self.external_id()
        if external is not None:
            values.append(external)
        values = [self.guarded(value) for value in values]
        return RegisterPlan(
            tuple(values),
            render_command(values),
            resource_file(values, d),
            resource_file_script(values, d),
            tuple(dict.fromkeys(self.outputs_to_add)),
        )


def _present(resource: Resource | None) -> list[Resource]:
    return [resource] if resource is not None else []


def _primary_first(deployment: Deployment) -> list[SecurityGroup]:
    """The deployment's groups, the one EFS and MemoryDB carry first (Anyscale's primary)."""
    return sorted(deployment.security_groups, key=lambda g: g.key not in deployment.service_groups)


def _shell(text: str) -> str:
    """A value for the shell: `$(...)` substitutions double-quoted, literals quoted if needed."""
    if text.startswith("$("):
        return f'"{text}"'
    return shlex.quote(text)


def render_command(values: Sequence[PlannedValue]) -> str:
    """`anyscale cloud register ...`, one flag per continued line."""
    lines = ["anyscale cloud register"]
    for value in values:
        lines.append(
            f"--{value.flag}" + (f" {_shell(value.text)}" if value.source != "flag" else "")
        )
    return " \\\n  ".join(lines)


def _value(values: Sequence[PlannedValue], flag: str) -> PlannedValue | None:
    return next((v for v in values if v.flag == flag), None)


def resource_file(values: Sequence[PlannedValue], deployment: Deployment) -> dict[str, object]:
    """The CloudDeployment YAML (REQUIREMENTS.md section 5) as data."""

    def text(flag: str) -> str | None:
        value = _value(values, flag)
        return value.text if value is not None else None

    def listed(flag: str) -> list[str]:
        value = _value(values, flag)
        if value is None:
            return []
        return value.text.split(",") if value.source == "literal" else [value.text]

    bucket = text("cloud-storage-bucket-name") or "<BUCKET_NAME>"
    aws_config: dict[str, object] = {
        "vpc_id": text("vpc-id"),
        "subnet_ids": listed("subnet-ids"),
        "zones": [
            s.availability_zone
            if isinstance(s.availability_zone, str) and is_known(s.availability_zone)
            else "<ZONE>"
            for s in deployment.subnets
        ],
        "security_group_ids": listed("security-group-ids"),
        "anyscale_iam_role_id": text("anyscale-iam-role-id"),
        "cluster_iam_role_id": text("instance-iam-role-id"),
    }
    if _value(values, "external-id"):
        aws_config["external_id"] = text("external-id")
    if _value(values, "memorydb-cluster-id"):
        aws_config["memorydb_cluster_name"] = text("memorydb-cluster-id")
    document: dict[str, object] = {
        "name": text("name"),
        "provider": "AWS",
        "compute_stack": "VM",
        "region": text("region"),
        "networking_mode": "PRIVATE" if _value(values, "private-network") else "PUBLIC",
        "object_storage": {
            "bucket_name": bucket if bucket.startswith(("$(", "<")) else f"s3://{bucket}"
        },
    }
    if _value(values, "file-storage-id"):
        document["file_storage"] = {"file_storage_id": text("file-storage-id")}
    document["aws_config"] = aws_config
    return document


def resource_file_script(values: Sequence[PlannedValue], deployment: Deployment) -> str:
    """A shell snippet writing the resource file, `$(terraform output ...)` expanded by the shell.

    A list held by one comma-joined output is written `[$(terraform output -raw NAME)]`, which
    the shell expands to a YAML flow sequence of the IDs.
    """
    document = resource_file(values, deployment)
    body = yaml.safe_dump(document, sort_keys=False, default_flow_style=False, width=200)
    for value in values:
        if value.source == "output" and value.flag in ("subnet-ids", "security-group-ids"):
            body = body.replace(f"- {value.text}\n", f"[{value.text}]\n")
    lines = []
    for line in body.splitlines():
        key, sep, rest = line.partition(": ")
        if sep and rest.startswith("$("):
            line = f'{key}: "{rest}"'
        lines.append(line)
    # `key:\n  [$(...)]` (a block list turned into a flow list) back onto the key's line.
    fixed = "\n".join(lines).replace(":\n  [$(", ": [$(")
    return f"cat > cloud.yaml <<EOF\n{fixed}\nEOF"


def plan(deployment: Deployment) -> RegisterPlan:
    """The register command and resource file for one deployment."""
    return _Planner(deployment).plan()
