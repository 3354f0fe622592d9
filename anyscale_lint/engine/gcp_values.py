"""What GCP register flag values and IAM members name in a model.

A flag value or member may be written as a literal (`anyscale-vpc`, a self link, a full
resource name `projects/p/locations/l/instances/x`, `gs://bucket`, an email), or as a
reference to an attribute known only after apply (a `Partial` holding a `Ref`). The same
functions serve identification and the checks, so both read a value alike.
"""

from __future__ import annotations

import re

from anyscale_lint.model import (
    CloudModel,
    GcpFilestore,
    GcpFirewall,
    GcpFirewallPolicy,
    GcpIamGrant,
    GcpNetwork,
    GcpProject,
    GcpRedis,
    GcpServiceAccount,
    GcpSubnetwork,
    GcpWorkloadIdentityPool,
    GcpWorkloadIdentityProvider,
    GcsBucket,
    Partial,
    Ref,
    Resource,
    Unknown,
    refers_to,
)

# Every resource class of the GCP model: a model holding these is a GCP root.
GCP_CLASSES: tuple[type[Resource], ...] = (
    GcpProject,
    GcpNetwork,
    GcpSubnetwork,
    GcpFirewallPolicy,
    GcpFirewall,
    GcsBucket,
    GcpServiceAccount,
    GcpIamGrant,
    GcpWorkloadIdentityPool,
    GcpWorkloadIdentityProvider,
    GcpFilestore,
    GcpRedis,
)
# `projects/<number>/locations/global/workloadIdentityPools/<pool>[/providers/<provider>]`.
_POOL_PATH = re.compile(r"workloadIdentityPools/(?P<pool>[^/]+)(?:/providers/(?P<provider>[^/]+))?")
_SA_DOMAIN = ".iam.gserviceaccount.com"
_IDENTITY = ("name", "id", "self_link")


def _last_ref(value: str) -> Ref | None:
    """The reference a value ends with (a path whose last segment is a resource's name known
    only after apply), if any."""
    if isinstance(value, Partial) and value.parts and isinstance(value.parts[-1], Ref):
        return value.parts[-1]
    return None


def _tail(value: str) -> str:
    """The last path segment of a literal name, self link or URL."""
    if isinstance(value, Partial):
        last = value.parts[-1] if value.parts else ""
        return last.rstrip("/").rsplit("/", 1)[-1] if isinstance(last, str) else ""
    return value.strip().rstrip("/").rsplit("/", 1)[-1]


def _refers(value: str, resource: Resource, attributes: tuple[str, ...]) -> bool:
    ref = _last_ref(value)
    whole = refers_to(value, resource.key, attributes)
    return whole or (ref is not None and ref.target == resource.key and ref.attribute in attributes)


def _named(value: str, name: object) -> bool:
    """Whether a literal (or a path ending in it) names a resource of this name."""
    return isinstance(name, str) and not isinstance(name, Partial) and _tail(value) == name


def names_network(value: object, network: GcpNetwork) -> bool:
    """Whether a value (a link, a name, a self link) names this network."""
    if not isinstance(value, str):
        return False
    if value == network.key or _refers(value, network, _IDENTITY):
        return True
    return _named(value, network.network_name)


def names_account(value: object, account: GcpServiceAccount) -> bool:
    """Whether a value (an email, `serviceAccount:<email>`, a resource name or a reference)
    names this service account."""
    if not isinstance(value, str):
        return False
    if value == account.key or _refers(value, account, ("email", "member", "name", "id")):
        return True
    tail = _tail(value).removeprefix("serviceAccount:")
    if isinstance(account.email, str) and not isinstance(account.email, Partial):
        return tail == account.email
    # The email is not known (nor its project): the account ID before the domain names it.
    return (
        tail.endswith(_SA_DOMAIN)
        and isinstance(account.account_id, str)
        and tail.split("@", 1)[0] == account.account_id
    )


def pool_path(value: object) -> tuple[str, str | None] | None:
    """(pool ID, provider ID or None) of a pool or provider resource name or principal."""
    if not isinstance(value, str):
        return None
    text = value.known_text() if isinstance(value, Partial) else value
    found = _POOL_PATH.search(text)
    return (found.group("pool"), found.group("provider")) if found else None


def member_pool(model: CloudModel, member: object) -> GcpWorkloadIdentityPool | str | None:
    """The pool a `principalSet://`/`principal://` member names: the pool of the model, else
    its pool ID as written; None for a member of another kind."""
    if not isinstance(member, str) or not member.startswith(("principalSet://", "principal://")):
        return None
    if isinstance(member, Partial):
        for part in member.unresolved():
            target = model.get(part.target) if isinstance(part, Ref) else None
            if isinstance(target, GcpWorkloadIdentityPool):
                return target
    path = pool_path(member)
    if path is None:
        return None
    pools = [p for p in model.of_kind(GcpWorkloadIdentityPool) if p.pool_id == path[0]]
    return pools[0] if pools else path[0]


def _provider(model: CloudModel, provider: GcpWorkloadIdentityProvider, value: str) -> bool:
    if _refers(value, provider, ("name", "id")):
        return True
    path = pool_path(value)
    if path is None or path[1] != provider.provider_id:
        return False
    pool = model.get(provider.pool)
    pool_id = pool.pool_id if isinstance(pool, GcpWorkloadIdentityPool) else provider.pool
    return pool_id == path[0]


def matches(model: CloudModel, resource: Resource, value: object) -> bool:
    """Whether a register flag value names this resource."""
    if not isinstance(value, str):
        return False
    if isinstance(resource, GcpNetwork):
        return names_network(value, resource)
    if isinstance(resource, GcpServiceAccount):
        return names_account(value, resource)
    if isinstance(resource, GcpWorkloadIdentityProvider):
        return _provider(model, resource, value)
    if value == resource.key:
        return True
    if isinstance(resource, GcpProject):
        return _refers(value, resource, ("project_id", "id", "name")) or value in (
            resource.project_id,
            resource.number,
        )
    if isinstance(resource, GcsBucket):
        if _refers(value, resource, ("name", "id", "url")):
            return True
        literal = value if isinstance(value, Partial) else value.strip().removeprefix("gs://")
        return _named(literal, resource.bucket_name)
    names = {
        GcpSubnetwork: "subnet_name",
        GcpFirewallPolicy: "policy_name",
        GcpFilestore: "instance_name",
        GcpRedis: "instance_name",
    }
    attribute = next((a for cls, a in names.items() if isinstance(resource, cls)), None)
    if attribute is None:
        return False
    return _refers(value, resource, _IDENTITY) or _named(value, getattr(resource, attribute))


def grants_to(model: CloudModel, account: GcpServiceAccount) -> list[GcpIamGrant]:
    """The grants whose members name this service account."""
    return [
        grant
        for grant in model.of_kind(GcpIamGrant)
        if not isinstance(grant.members, Unknown)
        and any(names_account(member, account) for member in grant.members)
    ]


def is_gcp_model(model: CloudModel) -> bool:
    """Whether the model holds resources of the GCP model."""
    return any(isinstance(r, GCP_CLASSES) for r in model.resources.values())
