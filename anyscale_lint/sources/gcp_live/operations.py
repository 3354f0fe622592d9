"""Every Google API method the live GCP collector may call, with the IAM permission it needs.

One table: the collector can call only what is listed here (`Caller.call` refuses anything
else), `live --provider gcp --print-required-permissions` prints the permissions from it, and
a test keeps the table and the readers (clients.py) equal. Whatever the collector asks, the
credentials every client sends with refuse any request that is not a read (guard.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Operation:
    """One API method (`service.resource.method`, as Google's API reference names it) and
    the IAM permission it needs."""

    name: str
    permission: str


OPERATIONS = (
    Operation("cloudresourcemanager.projects.get", "resourcemanager.projects.get"),
    Operation(
        "cloudresourcemanager.projects.getIamPolicy", "resourcemanager.projects.getIamPolicy"
    ),
    Operation("compute.networks.get", "compute.networks.get"),
    Operation("compute.subnetworks.list", "compute.subnetworks.list"),
    Operation("compute.networkFirewallPolicies.get", "compute.firewallPolicies.get"),
    Operation("compute.networkFirewallPolicies.list", "compute.firewallPolicies.list"),
    Operation("compute.regionNetworkFirewallPolicies.get", "compute.regionFirewallPolicies.get"),
    Operation("compute.regionNetworkFirewallPolicies.list", "compute.regionFirewallPolicies.list"),
    Operation("compute.firewalls.list", "compute.firewalls.list"),
    Operation("storage.buckets.get", "storage.buckets.get"),
    Operation("storage.buckets.getIamPolicy", "storage.buckets.getIamPolicy"),
    Operation("storage.buckets.list", "storage.buckets.list"),
    Operation("iam.projects.serviceAccounts.get", "iam.serviceAccounts.get"),
    Operation("iam.projects.serviceAccounts.list", "iam.serviceAccounts.list"),
    Operation("iam.projects.serviceAccounts.getIamPolicy", "iam.serviceAccounts.getIamPolicy"),
    Operation("iam.projects.locations.workloadIdentityPools.get", "iam.workloadIdentityPools.get"),
    Operation(
        "iam.projects.locations.workloadIdentityPools.list", "iam.workloadIdentityPools.list"
    ),
    Operation(
        "iam.projects.locations.workloadIdentityPools.providers.get",
        "iam.workloadIdentityPoolProviders.get",
    ),
    Operation(
        "iam.projects.locations.workloadIdentityPools.providers.list",
        "iam.workloadIdentityPoolProviders.list",
    ),
    Operation("file.projects.locations.instances.get", "file.instances.get"),
    Operation("file.projects.locations.instances.list", "file.instances.list"),
    Operation("redis.projects.locations.instances.get", "redis.instances.get"),
    Operation("redis.projects.locations.instances.list", "redis.instances.list"),
)

BY_NAME = {op.name: op for op in OPERATIONS}
READ_METHODS = ("get", "list", "getIamPolicy")


def is_read_only(name: str) -> bool:
    """Whether an API method only reads: its last part is get, list or getIamPolicy."""
    return name.rsplit(".", 1)[-1] in READ_METHODS


def required_permissions() -> list[str]:
    """The IAM permissions `anyscale-lint live --provider gcp` needs, sorted."""
    return sorted({op.permission for op in OPERATIONS})


def required_role_json() -> str:
    """A custom role holding them (`gcloud iam roles create --file`), as indented JSON."""
    role = {
        "title": "anyscale-lint read-only audit",
        "description": "The reads `anyscale-lint live --provider gcp` makes",
        "stage": "GA",
        "includedPermissions": required_permissions(),
    }
    return json.dumps(role, indent=2) + "\n"
