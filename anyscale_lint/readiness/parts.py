"""The resources identification found for each register input of a deployment, by input key."""

from __future__ import annotations

from collections.abc import Sequence

from anyscale_lint.model import Deployment, GcpParts, Resource, is_known


def _aws(d: Deployment) -> dict[str, Sequence[Resource | None]]:
    return {
        "vpc": [d.vpc],
        "subnets": d.subnets,
        "security-groups": d.security_groups,
        "bucket": [d.bucket],
        "control-plane-role": [d.control_plane_role],
        "instance-role": [d.instance_role],
        "efs": [d.efs],
        "memorydb": [d.memorydb],
    }


def _gcp(gcp: GcpParts) -> dict[str, Sequence[Resource | None]]:
    return {
        "project": [gcp.project],
        "vpc": [gcp.network],
        "subnets": gcp.subnets,
        "firewall_policies": gcp.firewall_policies,
        "anyscale_service_account": [gcp.access_service_account],
        "instance_service_account": [gcp.node_service_account],
        "provider_name": [gcp.identity_provider],
        "bucket": [gcp.bucket],
        "filestore": [gcp.filestore],
        "memorystore": [gcp.memorystore],
    }


def input_parts(deployment: Deployment, key: str) -> list[Resource]:
    """The resources found for one register input (by its key), in the order it takes them."""
    gcp = deployment.provider == "gcp"
    found = _gcp(deployment.gcp or GcpParts()) if gcp else _aws(deployment)
    return [r for r in found.get(key, []) if r is not None]


def project_value(gcp: GcpParts) -> object:
    """The project ID the deployment registers with; when identification settled none, the
    unresolved project its parts are created in (so the report says unknown, and why)."""
    if gcp.project_id is not None:
        return gcp.project_id
    projects = (getattr(part, "project", None) for part in gcp.members())
    return next((p for p in projects if p is not None and not is_known(p)), None)
