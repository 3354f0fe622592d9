"""`anyscale-lint live --provider gcp` against a fake of the Google REST APIs over real HTTP on
127.0.0.1 (tests/gcp_fake): the ready and insecure deployments of GCP_DEPLOYMENTS.md are
collected into the GCP model, lists are read across pages, and parts no flag names are
discovered. Faults, the command and snapshots: test_live_gcp_audit.py."""

from __future__ import annotations

from anyscale_lint.model import (
    CloudRef,
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
)
from tests.gcp_fake import FakeGoogle, flags
from tests.gcp_live_support import (
    ACCESS,
    BUCKET,
    CLUSTER,
    POOL,
    READY,
    REGION,
    audit_fake,
    keys_of,
    resource_of,
)

# ---- the ready deployment ------------------------------------------------------------------


def test_ready_is_collected_into_the_gcp_model(ready_fake: FakeGoogle) -> None:
    found = audit_fake(ready_fake, flags("ready"))
    model = found.model
    assert found.errors == []
    assert (model.root, model.source_kind, model.rule_source) == (
        "gcp://acme-anyscale-prod/us-central1",
        "gcp_live",
        "live",
    )
    project = resource_of(model, GcpProject, READY)
    assert (project.project_id, project.number) == ("acme-anyscale-prod", "123456789012")
    assert project.origin == CloudRef(
        "gcp",
        "acme-anyscale-prod",
        REGION,
        READY,
        "https://console.cloud.google.com/home/dashboard?project=acme-anyscale-prod",
    )
    network_key = f"{READY}/global/networks/anyscale-vpc"
    network = resource_of(model, GcpNetwork, network_key)
    assert (network.network_name, network.auto_create_subnetworks) == ("anyscale-vpc", False)
    # The region's `default` subnetwork belongs to another network: not part of the model.
    subnets = {s.subnet_name: s for s in model.of_kind(GcpSubnetwork)}
    assert set(subnets) == {"anyscale-nodes", "anyscale-proxy"}
    nodes, proxy = subnets["anyscale-nodes"], subnets["anyscale-proxy"]
    assert nodes.key == f"{READY}/regions/us-central1/subnetworks/anyscale-nodes"
    assert (nodes.network, nodes.region, nodes.ip_cidr_range) == (
        network_key,
        REGION,
        "10.10.0.0/20",
    )
    assert (nodes.purpose, nodes.private_ip_google_access) == ("PRIVATE", True)
    assert (proxy.purpose, proxy.role, proxy.ip_cidr_range) == (
        "REGIONAL_MANAGED_PROXY",
        "ACTIVE",
        "10.20.0.0/23",
    )
    assert nodes.role is None
    policy = resource_of(
        model, GcpFirewallPolicy, f"{READY}/global/firewallPolicies/anyscale-firewall-policy"
    )
    assert (policy.policy_name, policy.region, policy.networks) == (
        "anyscale-firewall-policy",
        None,
        (network_key,),
    )
    allowed = [
        (r.priority, r.direction, r.layer4, r.source_ranges)
        for r in policy.rules
        if r.action == "allow"
    ]
    assert allowed == [
        (100, "INGRESS", (("all", ()),), ("10.10.0.0/20",)),
        (443, "INGRESS", (("tcp", ("443",)),), ("0.0.0.0/0",)),
        (
            1005,
            "INGRESS",
            (("tcp", ("8000",)),),
            ("10.20.0.0/23", "35.191.0.0/16", "130.211.0.0/22"),
        ),
    ]
    assert [r.label for r in policy.rules][:3] == ["rule 100", "rule 443", "rule 1005"]
    assert {r.action for r in policy.rules} == {"allow", "goto_next"}  # the API's default rules
    # The classic `default-allow-ssh` is on the `default` network: not this deployment's.
    assert keys_of(model, GcpFirewall) == set()
    bucket = resource_of(model, GcsBucket, BUCKET)
    assert (bucket.bucket_name, bucket.location, bucket.uniform_access) == (
        "acme-anyscale-prod-storage",
        "US-CENTRAL1",
        True,
    )
    assert bucket.public_access_prevention == "enforced"
    assert [(c.origins, c.methods, c.response_headers) for c in bucket.cors] == [
        (("https://*.anyscale.com",), ("GET", "PUT", "POST", "HEAD", "DELETE"), ("*",))
    ]
    assert bucket.labels == {"anyscale-cloud-id": "cld_abc123"}
    assert bucket.origin.console_url.endswith(
        "/storage/browser/_details/acme-anyscale-prod-storage?project=acme-anyscale-prod"
    )
    storage_admin = resource_of(model, GcpIamGrant, f"{BUCKET}#roles/storage.admin")
    assert (storage_admin.target_kind, storage_admin.target, storage_admin.members) == (
        "bucket",
        BUCKET,
        (f"serviceAccount:{ACCESS}", f"serviceAccount:{CLUSTER}"),
    )
    owner = resource_of(model, GcpIamGrant, f"{READY}#roles/owner")
    assert (owner.target_kind, owner.target, owner.members, owner.authoritative) == (
        "project",
        READY,
        (f"serviceAccount:{ACCESS}",),
        True,
    )
    access_key = f"{READY}/serviceAccounts/{ACCESS}"
    access = resource_of(model, GcpServiceAccount, access_key)
    assert (access.account_id, access.email, access.project) == (
        "anyscale-access",
        ACCESS,
        "acme-anyscale-prod",
    )
    assert (
        resource_of(model, GcpServiceAccount, f"{READY}/serviceAccounts/{CLUSTER}").email == CLUSTER
    )
    wif_user = resource_of(model, GcpIamGrant, f"{access_key}#roles/iam.workloadIdentityUser")
    assert wif_user.target_kind == "service_account" and wif_user.target == access_key
    assert wif_user.members == (
        f"principalSet://iam.googleapis.com/{POOL}/attribute.aws_role/"
        "arn:aws:sts::525325868955:assumed-role/gcp_if_org_7f3k2",
    )
    creator = resource_of(model, GcpIamGrant, f"{access_key}#roles/iam.serviceAccountTokenCreator")
    assert creator.members == (f"serviceAccount:{ACCESS}",)
    pool = resource_of(model, GcpWorkloadIdentityPool, POOL)
    assert (pool.pool_id, pool.project, pool.disabled) == ("anyscale-pool", "123456789012", False)
    provider = resource_of(model, GcpWorkloadIdentityProvider, f"{POOL}/providers/anyscale-access")
    assert (provider.pool, provider.provider_id, provider.provider_type) == (
        POOL,
        "anyscale-access",
        "aws",
    )
    assert provider.aws_account_id == "525325868955"
    assert provider.attribute_condition == (
        "google.subject.startsWith('arn:aws:sts::525325868955:assumed-role/gcp_if_org_7f3k2')"
    )
    assert provider.attribute_mapping["google.subject"] == "assertion.arn"
    assert set(provider.attribute_mapping) == {
        "google.subject",
        "attribute.arn",
        "attribute.aws_role",
    }
    filestore = resource_of(
        model, GcpFilestore, f"{READY}/locations/us-central1-b/instances/anyscale-filestore"
    )
    assert (filestore.instance_name, filestore.location, filestore.tier, filestore.networks) == (
        "anyscale-filestore",
        "us-central1-b",
        "STANDARD",
        (network_key,),
    )
    redis = resource_of(model, GcpRedis, f"{READY}/locations/us-central1/instances/anyscale-redis")
    assert (redis.instance_name, redis.region, redis.tier) == (
        "anyscale-redis",
        REGION,
        "STANDARD_HA",
    )
    assert (redis.transit_encryption_mode, redis.read_replicas_mode) == (
        "DISABLED",
        "READ_REPLICAS_ENABLED",
    )
    assert redis.authorized_network == network_key
    assert redis.redis_configs == {"maxmemory-policy": "allkeys-lru"}
    (command,) = model.register_commands
    assert command.flags["provider"] == "gcp" and command.flags["region"] == REGION
    assert {k: v for k, v in command.flags.items() if k not in ("provider", "region")} == {
        k: v for k, v in flags("ready").items() if k != "region"
    }
    assert command.text.startswith("anyscale cloud register --provider gcp --region us-central1")
    assert found.calls == 17


def test_insecure_is_collected_with_its_defects(insecure_fake: FakeGoogle) -> None:
    found = audit_fake(insecure_fake, flags("insecure"))
    model = found.model
    assert found.errors == []
    # A shared VPC: the network and its firewall policy are read in the host project.
    host = "projects/acme-network-host"
    network_key = f"{host}/global/networks/anyscale-vpc"
    assert keys_of(model, GcpNetwork) == {network_key}
    (nodes,) = model.of_kind(GcpSubnetwork)  # no proxy-only subnet
    assert (nodes.key, nodes.ip_cidr_range, nodes.private_ip_google_access) == (
        f"{host}/regions/us-central1/subnetworks/anyscale-nodes",
        "10.10.0.0/26",
        False,
    )
    policy = resource_of(
        model, GcpFirewallPolicy, f"{host}/global/firewallPolicies/anyscale-firewall-policy"
    )
    assert [
        (r.priority, r.layer4, r.source_ranges) for r in policy.rules if r.action == "allow"
    ] == [
        (100, (("tcp", ("1-1024",)),), ("10.10.0.0/20",)),
        (22, (("tcp", ("22",)),), ("0.0.0.0/0",)),
        (8265, (("tcp", ("8265",)),), ("0.0.0.0/0",)),
    ]
    dev = "projects/acme-anyscale-dev"
    bucket_key = "projects/_/buckets/acme-anyscale-dev-storage"
    bucket = resource_of(model, GcsBucket, bucket_key)
    assert (bucket.uniform_access, bucket.public_access_prevention) == (False, "inherited")
    assert [(c.origins, c.methods) for c in bucket.cors] == [(("*",), ("GET",))]
    viewer = resource_of(model, GcpIamGrant, f"{bucket_key}#roles/storage.objectViewer")
    assert viewer.members == ("allUsers",)
    admin = resource_of(model, GcpIamGrant, f"{bucket_key}#roles/storage.admin")
    assert admin.members == (
        "serviceAccount:anyscale-access@acme-anyscale-dev.iam.gserviceaccount.com",
    )
    editor = resource_of(model, GcpIamGrant, f"{dev}#roles/editor")
    assert editor.members == (
        "serviceAccount:anyscale-cluster@acme-anyscale-dev.iam.gserviceaccount.com",
    )
    pool = "projects/210987654321/locations/global/workloadIdentityPools/anyscale-pool"
    provider = resource_of(model, GcpWorkloadIdentityProvider, f"{pool}/providers/anyscale-access")
    assert (provider.aws_account_id, provider.attribute_condition) == ("123456789012", None)
    access_key = f"{dev}/serviceAccounts/anyscale-access@acme-anyscale-dev.iam.gserviceaccount.com"
    wif_user = resource_of(model, GcpIamGrant, f"{access_key}#roles/iam.workloadIdentityUser")
    assert wif_user.members == (f"principalSet://iam.googleapis.com/{pool}/*",)
    redis = resource_of(model, GcpRedis, f"{dev}/locations/us-central1/instances/anyscale-redis")
    assert (redis.transit_encryption_mode, redis.read_replicas_mode, redis.authorized_network) == (
        "SERVER_AUTHENTICATION",
        "READ_REPLICAS_DISABLED",
        network_key,
    )
    filestore = resource_of(
        model, GcpFilestore, f"{dev}/locations/us-central1-b/instances/anyscale-filestore"
    )
    assert filestore.networks == ("default",)  # not in the model: kept as the API wrote it
    (command,) = model.register_commands
    assert command.flags["host-project-id"] == "acme-network-host"


def test_lists_are_read_across_pages(ready_fake: FakeGoogle) -> None:
    ready_fake.requests.clear()
    model = audit_fake(ready_fake, flags("ready")).model
    subnet_pages = [
        query.get("pageToken")
        for method, service, path, query in ready_fake.requests
        if path.endswith("/regions/us-central1/subnetworks")
    ]
    assert subnet_pages == [None, ["page-1"]]
    # The proxy-only subnet is on the second page.
    assert any(s.subnet_name == "anyscale-proxy" for s in model.of_kind(GcpSubnetwork))


def test_discovery_finds_the_parts_no_flag_names(ready_fake: FakeGoogle) -> None:
    given = {"project-id": "acme-anyscale-prod", "vpc-name": "anyscale-vpc", "private-network": ""}
    ready_fake.requests.clear()
    found = audit_fake(ready_fake, given)
    model = found.model
    assert found.errors == []
    # Service accounts across two pages; the Compute Engine default one is not named for
    # anyscale.
    emails = {a.email for a in model.of_kind(GcpServiceAccount)}
    assert emails == {ACCESS, CLUSTER}
    assert keys_of(model, GcpWorkloadIdentityProvider) == {f"{POOL}/providers/anyscale-access"}
    assert keys_of(model, GcsBucket) == {BUCKET}
    assert len(list(model.of_kind(GcpFilestore))) == len(list(model.of_kind(GcpRedis))) == 1
    # No policy named: the one associated with the VPC.
    assert keys_of(model, GcpFirewallPolicy) == {
        f"{READY}/global/firewallPolicies/anyscale-firewall-policy"
    }
    assert model.register_commands == []  # nothing named: identification infers the parts
    listed = {path for method, service, path, query in ready_fake.requests if method == "GET"}
    assert "/v1/projects/acme-anyscale-prod/serviceAccounts" in listed
    assert "/v1/projects/acme-anyscale-prod/locations/-/instances" in listed
