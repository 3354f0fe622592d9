"""The values of `anyscale cloud register --provider aws` for one deployment."""

from __future__ import annotations

from anyscale_lint.model import Deployment, PolicyDocument, Resource, SecurityGroup, is_known
from anyscale_lint.readiness.model import PlannedValue
from anyscale_lint.readiness.planner import Planner


def _present(resource: Resource | None) -> list[Resource]:
    return [resource] if resource is not None else []


def _primary_first(deployment: Deployment) -> list[SecurityGroup]:
    """The deployment's groups, the one EFS and MemoryDB carry first (Anyscale's primary)."""
    return sorted(deployment.security_groups, key=lambda g: g.key not in deployment.service_groups)


def _external_id(planner: Planner) -> PlannedValue | None:
    given = planner.flags.get("external-id")
    if isinstance(given, str) and given and is_known(given):
        return PlannedValue("external-id", given, "literal")
    role = planner.deployment.control_plane_role
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


def aws_values(planner: Planner) -> list[PlannedValue]:
    """Every flag's value, in the order the readiness report prints them."""
    d = planner.deployment
    values = [
        PlannedValue("provider", "aws", "literal"),
        planner.given("name"),
        planner.given("region", d.region),
        planner.part("vpc-id", _present(d.vpc)),
        planner.part("subnet-ids", list(d.subnets)),
        planner.part("security-group-ids", _primary_first(d)),
        planner.part("cloud-storage-bucket-name", _present(d.bucket)),
        planner.part("anyscale-iam-role-id", _present(d.control_plane_role)),
        planner.part("instance-iam-role-id", _present(d.instance_role)),
    ]
    if d.efs is not None:
        values.append(planner.part("file-storage-id", [d.efs]))
    if d.memorydb is not None:
        values.append(planner.part("memorydb-cluster-id", [d.memorydb]))
    if d.network_mode == "private":
        values.append(PlannedValue("private-network", "", "flag"))
    external = _external_id(planner)
    if external is not None:
        values.append(external)
    return values
