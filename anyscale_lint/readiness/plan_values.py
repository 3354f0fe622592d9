"""What value a deployment part gives its register flag, per provider: the literal when the code
(or the account) fixes it, and which attributes of the resource hold that same value."""

from __future__ import annotations

from anyscale_lint.model import (
    Deployment,
    GcpFilestore,
    GcpFirewallPolicy,
    GcpNetwork,
    GcpParts,
    GcpProject,
    GcpRedis,
    GcpServiceAccount,
    GcpSubnetwork,
    GcpWorkloadIdentityPool,
    GcpWorkloadIdentityProvider,
    GcsBucket,
    IamRole,
    Resource,
    S3Bucket,
    is_known,
)

# Attributes that hold the same value on AWS, for matching outputs (`bucket` and `id` of a
# bucket, `name` and `id` of a MemoryDB cluster).
_AWS_SAME = {"bucket": ("bucket", "id"), "id": ("id",), "arn": ("arn",), "name": ("name", "id")}
# The GCP attribute each resource gives its flag, by class. A GCP resource's Terraform `id` is
# a path (`projects/p/global/networks/n`), never the name a flag takes, except a bucket's.
_GCP_NAMES: dict[type[Resource], str] = {
    GcpProject: "project_id",
    GcpNetwork: "network_name",
    GcpSubnetwork: "subnet_name",
    GcpFirewallPolicy: "policy_name",
    GcpServiceAccount: "email",
    GcsBucket: "bucket_name",
    GcpFilestore: "instance_name",
}


def known_text(value: object) -> str | None:
    """The value when it is a fully known, non-empty string."""
    return value if isinstance(value, str) and value and is_known(value) else None


def same_attributes(resource: Resource, attribute: str) -> tuple[str, ...]:
    """The resource's attributes whose references stand for the flag's value."""
    if isinstance(resource, GcsBucket):
        return ("name", "id")
    if type(resource) in _GCP_NAMES or isinstance(
        resource, (GcpRedis, GcpWorkloadIdentityProvider)
    ):
        return (attribute,)
    return _AWS_SAME[attribute]


def literal(resource: Resource, attribute: str, deployment: Deployment) -> str | None:
    """The flag's value when the code or the account fixes it (never a partly known one)."""
    if deployment.provider == "gcp":
        return _gcp_literal(resource, deployment.gcp or GcpParts())
    model = deployment.model
    if not model.ids_assigned_at_apply and attribute in ("id", "name"):
        return resource.key
    if isinstance(resource, S3Bucket) and attribute == "bucket":
        return known_text(resource.name)
    if isinstance(resource, IamRole) and attribute == "arn":
        return known_text(resource.arn)
    if attribute == "name":
        return known_text(resource.name)
    return None


def _gcp_literal(resource: Resource, gcp: GcpParts) -> str | None:
    name = _GCP_NAMES.get(type(resource))
    if name is not None:
        return known_text(getattr(resource, name))
    if isinstance(resource, GcpRedis):
        # The full name the flag takes (REQUIREMENTS.md section 3.0, registration-time validation).
        parts = (known_text(gcp.project_id), known_text(resource.region))
        instance = known_text(resource.instance_name)
        if all(parts) and instance:
            return f"projects/{parts[0]}/locations/{parts[1]}/instances/{instance}"
    if isinstance(resource, GcpWorkloadIdentityProvider):
        number = known_text(gcp.project.number) if gcp.project else None
        path = provider_path(resource, gcp)
        if number and path:
            return f"projects/{number}/{path}"
    return None


def provider_path(provider: GcpWorkloadIdentityProvider, gcp: GcpParts) -> str | None:
    """`locations/global/workloadIdentityPools/<pool>/providers/<id>`, when both IDs are known:
    the provider's full name without the project number (REQUIREMENTS.md section 3.0)."""
    pool = gcp.pool
    pool_id = known_text(pool.pool_id) if isinstance(pool, GcpWorkloadIdentityPool) else None
    provider_id = known_text(provider.provider_id)
    if pool_id and provider_id:
        return f"locations/global/workloadIdentityPools/{pool_id}/providers/{provider_id}"
    return None
