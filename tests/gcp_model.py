"""Hand-built GCP deployments for unit tests of the GCP checks: the ready deployment of
GCP_DEPLOYMENTS (examples/gcp-ready) as model objects, and running one rule on it."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from anyscale_lint.engine.context import CheckContext, Settings
from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.registry import load_metadata, registered_rules
from anyscale_lint.model import (
    CloudModel,
    Deployment,
    FirewallRule,
    GcpFilestore,
    GcpFirewall,
    GcpFirewallPolicy,
    GcpIamGrant,
    GcpNetwork,
    GcpParts,
    GcpProject,
    GcpRedis,
    GcpServiceAccount,
    GcpSubnetwork,
    GcpWorkloadIdentityPool,
    GcpWorkloadIdentityProvider,
    GcsBucket,
    GcsCors,
    RegisterCommand,
    Resource,
    SourceSpan,
    Unknown,
)

PROJECT = "acme-anyscale-prod"
NUMBER = "123456789012"
ACCESS = f"anyscale-access@{PROJECT}.iam.gserviceaccount.com"
CLUSTER = f"anyscale-cluster@{PROJECT}.iam.gserviceaccount.com"
POOL = f"projects/{NUMBER}/locations/global/workloadIdentityPools/anyscale-pool"
ANYSCALE_ROLE = "arn:aws:sts::525325868955:assumed-role/gcp_if_org_7f3k2"
CONDITION = f"google.subject.startsWith('{ANYSCALE_ROLE}')"

_lines = itertools.count(1, 10)


def span() -> SourceSpan:
    """A fresh location in main.tf (each resource and rule its own lines)."""
    start = next(_lines)
    return SourceSpan("main.tf", start, start + 8)


def common(kind: str, name: str) -> dict[str, Any]:
    address = f"{kind}.{name}"
    return {"key": address, "address": address, "origin": span()}


def fw_rule(
    label: str,
    layer4: tuple[tuple[str, tuple[str, ...]], ...],
    sources: tuple[str, ...],
    *,
    direction: str = "INGRESS",
    action: str = "allow",
    **extra: Any,
) -> FirewallRule:
    """One rule: `(("tcp", ("443",)),)` from `("0.0.0.0/0",)`."""
    return FirewallRule(
        direction=direction,
        action=action,
        priority=int(label.split()[-1]) if label.split()[-1].isdigit() else None,
        layer4=layer4,
        source_ranges=sources,
        label=label,
        origin=span(),
        **extra,
    )


def policy(name: str, *rules: FirewallRule) -> GcpFirewallPolicy:
    return GcpFirewallPolicy(
        **common("google_compute_network_firewall_policy", name),
        policy_name=name.replace("_", "-"),
        rules=rules,
        networks=("google_compute_network.anyscale",),
    )


def classic(name: str, *rules: FirewallRule) -> GcpFirewall:
    return GcpFirewall(
        **common("google_compute_firewall", name),
        network="google_compute_network.anyscale",
        rules=rules,
    )


def grant(
    name: str, target_kind: str, target: str, role: str, *members: object, **extra: Any
) -> GcpIamGrant:
    kinds = {
        "project": "google_project_iam_member",
        "bucket": "google_storage_bucket_iam_member",
        "service_account": "google_service_account_iam_member",
    }
    return GcpIamGrant(
        **common(kinds[target_kind], name),
        target_kind=target_kind,
        target=target,
        role=role,
        members=tuple(members),
        **extra,
    )


INTERNAL = fw_rule("rule 100", (("all", ()),), ("10.10.0.0/20",))
HTTPS = fw_rule("rule 443", (("tcp", ("443",)),), ("0.0.0.0/0",))
HEALTH = fw_rule(
    "rule 1005", (("tcp", ("8000",)),), ("10.20.0.0/23", "35.191.0.0/16", "130.211.0.0/22")
)


def ready_parts() -> GcpParts:
    """The parts of the ready deployment."""
    network = GcpNetwork(
        **common("google_compute_network", "anyscale"),
        network_name="anyscale-vpc",
        auto_create_subnetworks=False,
    )
    nodes = GcpSubnetwork(
        **common("google_compute_subnetwork", "nodes"),
        subnet_name="anyscale-nodes",
        network=network.key,
        region="us-central1",
        ip_cidr_range="10.10.0.0/20",
        private_ip_google_access=True,
    )
    proxy = GcpSubnetwork(
        **common("google_compute_subnetwork", "proxy"),
        subnet_name="anyscale-proxy",
        network=network.key,
        region="us-central1",
        ip_cidr_range="10.20.0.0/23",
        purpose="REGIONAL_MANAGED_PROXY",
    )
    pool = GcpWorkloadIdentityPool(
        **common("google_iam_workload_identity_pool", "anyscale"), pool_id="anyscale-pool"
    )
    return GcpParts(
        project=GcpProject(**common("google_project", "anyscale"), project_id=PROJECT),
        project_id=PROJECT,
        network=network,
        subnets=(nodes,),
        proxy_subnets=(proxy,),
        firewall_policies=(policy("anyscale", INTERNAL, HTTPS, HEALTH),),
        access_service_account=GcpServiceAccount(
            **common("google_service_account", "anyscale_access"),
            account_id="anyscale-access",
            email=ACCESS,
        ),
        node_service_account=GcpServiceAccount(
            **common("google_service_account", "anyscale_cluster"),
            account_id="anyscale-cluster",
            email=CLUSTER,
        ),
        pool=pool,
        identity_provider=GcpWorkloadIdentityProvider(
            **common("google_iam_workload_identity_pool_provider", "anyscale"),
            pool=pool.key,
            provider_id="anyscale-access",
            aws_account_id="525325868955",
            attribute_condition=CONDITION,
        ),
        bucket=GcsBucket(
            **common("google_storage_bucket", "anyscale"),
            bucket_name=f"{PROJECT}-storage",
            location="US-CENTRAL1",
            cors=(
                GcsCors(
                    ("https://*.anyscale.com",),
                    ("GET", "PUT", "POST", "HEAD", "DELETE"),
                    ("*",),
                    origin=span(),
                ),
            ),
            uniform_access=True,
            public_access_prevention="enforced",
        ),
        filestore=GcpFilestore(
            **common("google_filestore_instance", "anyscale"),
            instance_name="anyscale-filestore",
            location="us-central1-b",
            tier="STANDARD",
            networks=("anyscale-vpc",),
        ),
        memorystore=GcpRedis(
            **common("google_redis_instance", "anyscale"),
            instance_name="anyscale-redis",
            region="us-central1",
            tier="STANDARD_HA",
            transit_encryption_mode="DISABLED",
            read_replicas_mode="READ_REPLICAS_ENABLED",
            authorized_network="google_compute_network.anyscale",
            redis_configs={"maxmemory-policy": "allkeys-lru"},
        ),
    )


def ready_grants() -> list[GcpIamGrant]:
    """The ready deployment's IAM grants, by the keys of its parts."""
    bucket = "google_storage_bucket.anyscale"
    access = "google_service_account.anyscale_access"
    return [
        grant("access_owner", "project", PROJECT, "roles/owner", f"serviceAccount:{ACCESS}"),
        grant(
            "cluster_registry",
            "project",
            PROJECT,
            "roles/artifactregistry.reader",
            f"serviceAccount:{CLUSTER}",
        ),
        grant("bucket_access", "bucket", bucket, "roles/storage.admin", f"serviceAccount:{ACCESS}"),
        grant(
            "bucket_cluster", "bucket", bucket, "roles/storage.admin", f"serviceAccount:{CLUSTER}"
        ),
        grant(
            "token_creator",
            "service_account",
            access,
            "roles/iam.serviceAccountTokenCreator",
            f"serviceAccount:{ACCESS}",
        ),
        grant(
            "wif",
            "service_account",
            access,
            "roles/iam.workloadIdentityUser",
            f"principalSet://iam.googleapis.com/{POOL}/attribute.aws_role/{ANYSCALE_ROLE}",
        ),
    ]


def deployment(
    parts: GcpParts | None = None,
    *,
    grants: list[GcpIamGrant] | None = None,
    extra: tuple[Resource, ...] = (),
    mode: str = "private",
    region: object = "us-central1",
    flags: dict[str, Any] | None = None,
) -> Deployment:
    """A GCP deployment of `parts` (the ready ones by default), holding the grants (the ready
    ones by default) and `extra` resources, with a register command when `flags` are given."""
    parts = parts if parts is not None else ready_parts()
    model = CloudModel(root="root", source_kind="test", files=["main.tf"])
    for resource in [*parts.members(), *(ready_grants() if grants is None else grants), *extra]:
        model.add(resource)
    command = (
        RegisterCommand("anyscale cloud register --provider gcp", flags, span(), source="test")
        if flags is not None
        else None
    )
    return Deployment(
        key="root",
        model=model,
        provider="gcp",
        gcp=parts,
        region=region,
        network_mode=mode,
        network_mode_source="test",
        register_command=command,
    )


_CHECKS = {meta.id: check for meta, check in registered_rules()}


def run(
    rule_id: str,
    subject: Deployment,
    *,
    settings: Settings | None = None,
    parameters: dict[str, Any] | None = None,
) -> list[Result]:
    """The results of one rule on one deployment."""
    meta = load_metadata()[rule_id]
    ctx = CheckContext(
        meta,
        meta.severity,
        subject,
        settings or Settings(),
        {**meta.parameter_defaults(), **(parameters or {})},
    )
    _CHECKS[rule_id](ctx)
    return ctx.results


def outcomes(results: list[Result]) -> dict[str, str]:
    """{resource: outcome}, asserting one outcome per resource."""
    found: dict[str, str] = {}
    for result in results:
        assert found.setdefault(result.resource, result.outcome) == result.outcome, results
    return found


def changed(parts: GcpParts, **fields: Any) -> GcpParts:
    """A copy of the parts with some replaced."""
    return replace(parts, **fields)


# Addresses the checks' tests name, and a value no variable gives.
POLICY = "google_compute_network_firewall_policy.anyscale"
PROVIDER = "google_iam_workload_identity_pool_provider.anyscale"
BUCKET = "google_storage_bucket.anyscale"
ACCESS_SA = "google_service_account.anyscale_access"
CLUSTER_SA = "google_service_account.anyscale_cluster"
UNSET = Unknown("var.x", "the variable has no value")


def with_policy(*rules: object, **fields: object) -> GcpParts:
    """The ready parts with one firewall policy of these rules."""
    return changed(ready_parts(), firewall_policies=(policy("anyscale", *rules),), **fields)
