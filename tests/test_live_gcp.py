"""`anyscale-lint live --provider gcp` against a fake of the Google REST APIs over real HTTP on
127.0.0.1 (tests/gcp_fake): the ready and insecure deployments of GCP_DEPLOYMENTS.md are
collected into the GCP model, lists are read across pages, faults become collection errors
and Unknown values, and snapshots re-check offline."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from anyscale_lint.model import (
    CloudModel,
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
    Resource,
    Unknown,
)
from anyscale_lint.sources.gcp_live import GcpConnection, audit
from anyscale_lint.sources.gcp_live.session import ENDPOINT_ENV
from anyscale_lint.sources.live.audit import Audit
from tests.conftest import REPO, console_script, run_cli
from tests.gcp_fake import FakeGoogle, arguments, flags, load, serve
from tests.terminal import stderr_on_terminal

REGION = "us-central1"
READY = "projects/acme-anyscale-prod"
POOL = "projects/123456789012/locations/global/workloadIdentityPools/anyscale-pool"
ACCESS = "anyscale-access@acme-anyscale-prod.iam.gserviceaccount.com"
CLUSTER = "anyscale-cluster@acme-anyscale-prod.iam.gserviceaccount.com"
BUCKET = "projects/_/buckets/acme-anyscale-prod-storage"
BUCKET_IAM = "GET /storage/v1/b/acme-anyscale-prod-storage/iam"
DENIED = {
    "$error": {
        "code": 403,
        "status": "PERMISSION_DENIED",
        "message": "anyscale-audit@acme.iam.gserviceaccount.com does not have "
        "storage.buckets.getIamPolicy access (token ya29.a0AfB_fake-token-0042)",
    }
}


@pytest.fixture(scope="module")
def ready_fake() -> Iterator[FakeGoogle]:
    with serve(load("ready")) as fake:
        yield fake


@pytest.fixture(scope="module")
def insecure_fake() -> Iterator[FakeGoogle]:
    with serve(load("insecure")) as fake:
        yield fake


def _audit(fake: FakeGoogle, given: dict[str, str], **connection: Any) -> Audit:
    scoped = {k: v for k, v in given.items() if k != "region"}
    settings = {"endpoint": fake.base, "max_attempts": 1, **connection}
    (found,) = audit(GcpConnection(**settings), scoped, [REGION])
    return found


def _get(model: CloudModel, cls: type[Any], key: str) -> Any:
    resource = model.resources[key]
    assert isinstance(resource, cls), (key, resource)
    return resource


def _keys(model: CloudModel, cls: type[Resource]) -> set[str]:
    return {r.key for r in model.of_kind(cls)}


# ---- the ready deployment ------------------------------------------------------------------


def test_ready_is_collected_into_the_gcp_model(ready_fake: FakeGoogle) -> None:
    found = _audit(ready_fake, flags("ready"))
    model = found.model
    assert found.errors == []
    assert (model.root, model.source_kind, model.rule_source) == (
        "gcp://acme-anyscale-prod/us-central1",
        "gcp_live",
        "live",
    )
    project = _get(model, GcpProject, READY)
    assert (project.project_id, project.number) == ("acme-anyscale-prod", "123456789012")
    assert project.origin == CloudRef(
        "gcp",
        "acme-anyscale-prod",
        REGION,
        READY,
        "https://console.cloud.google.com/home/dashboard?project=acme-anyscale-prod",
    )
    network_key = f"{READY}/global/networks/anyscale-vpc"
    network = _get(model, GcpNetwork, network_key)
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
    policy = _get(
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
    assert _keys(model, GcpFirewall) == set()
    bucket = _get(model, GcsBucket, BUCKET)
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
    storage_admin = _get(model, GcpIamGrant, f"{BUCKET}#roles/storage.admin")
    assert (storage_admin.target_kind, storage_admin.target, storage_admin.members) == (
        "bucket",
        BUCKET,
        (f"serviceAccount:{ACCESS}", f"serviceAccount:{CLUSTER}"),
    )
    owner = _get(model, GcpIamGrant, f"{READY}#roles/owner")
    assert (owner.target_kind, owner.target, owner.members, owner.authoritative) == (
        "project",
        READY,
        (f"serviceAccount:{ACCESS}",),
        True,
    )
    access_key = f"{READY}/serviceAccounts/{ACCESS}"
    access = _get(model, GcpServiceAccount, access_key)
    assert (access.account_id, access.email, access.project) == (
        "anyscale-access",
        ACCESS,
        "acme-anyscale-prod",
    )
    assert _get(model, GcpServiceAccount, f"{READY}/serviceAccounts/{CLUSTER}").email == CLUSTER
    wif_user = _get(model, GcpIamGrant, f"{access_key}#roles/iam.workloadIdentityUser")
    assert wif_user.target_kind == "service_account" and wif_user.target == access_key
    assert wif_user.members == (
        f"principalSet://iam.googleapis.com/{POOL}/attribute.aws_role/"
        "arn:aws:sts::525325868955:assumed-role/gcp_if_org_7f3k2",
    )
    creator = _get(model, GcpIamGrant, f"{access_key}#roles/iam.serviceAccountTokenCreator")
    assert creator.members == (f"serviceAccount:{ACCESS}",)
    pool = _get(model, GcpWorkloadIdentityPool, POOL)
    assert (pool.pool_id, pool.project, pool.disabled) == ("anyscale-pool", "123456789012", False)
    provider = _get(model, GcpWorkloadIdentityProvider, f"{POOL}/providers/anyscale-access")
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
    filestore = _get(
        model, GcpFilestore, f"{READY}/locations/us-central1-b/instances/anyscale-filestore"
    )
    assert (filestore.instance_name, filestore.location, filestore.tier, filestore.networks) == (
        "anyscale-filestore",
        "us-central1-b",
        "STANDARD",
        (network_key,),
    )
    redis = _get(model, GcpRedis, f"{READY}/locations/us-central1/instances/anyscale-redis")
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
    found = _audit(insecure_fake, flags("insecure"))
    model = found.model
    assert found.errors == []
    # A shared VPC: the network and its firewall policy are read in the host project.
    host = "projects/acme-network-host"
    network_key = f"{host}/global/networks/anyscale-vpc"
    assert _keys(model, GcpNetwork) == {network_key}
    (nodes,) = model.of_kind(GcpSubnetwork)  # no proxy-only subnet
    assert (nodes.key, nodes.ip_cidr_range, nodes.private_ip_google_access) == (
        f"{host}/regions/us-central1/subnetworks/anyscale-nodes",
        "10.10.0.0/26",
        False,
    )
    policy = _get(
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
    bucket = _get(model, GcsBucket, bucket_key)
    assert (bucket.uniform_access, bucket.public_access_prevention) == (False, "inherited")
    assert [(c.origins, c.methods) for c in bucket.cors] == [(("*",), ("GET",))]
    viewer = _get(model, GcpIamGrant, f"{bucket_key}#roles/storage.objectViewer")
    assert viewer.members == ("allUsers",)
    admin = _get(model, GcpIamGrant, f"{bucket_key}#roles/storage.admin")
    assert admin.members == (
        "serviceAccount:anyscale-access@acme-anyscale-dev.iam.gserviceaccount.com",
    )
    editor = _get(model, GcpIamGrant, f"{dev}#roles/editor")
    assert editor.members == (
        "serviceAccount:anyscale-cluster@acme-anyscale-dev.iam.gserviceaccount.com",
    )
    pool = "projects/210987654321/locations/global/workloadIdentityPools/anyscale-pool"
    provider = _get(model, GcpWorkloadIdentityProvider, f"{pool}/providers/anyscale-access")
    assert (provider.aws_account_id, provider.attribute_condition) == ("123456789012", None)
    access_key = f"{dev}/serviceAccounts/anyscale-access@acme-anyscale-dev.iam.gserviceaccount.com"
    wif_user = _get(model, GcpIamGrant, f"{access_key}#roles/iam.workloadIdentityUser")
    assert wif_user.members == (f"principalSet://iam.googleapis.com/{pool}/*",)
    redis = _get(model, GcpRedis, f"{dev}/locations/us-central1/instances/anyscale-redis")
    assert (redis.transit_encryption_mode, redis.read_replicas_mode, redis.authorized_network) == (
        "SERVER_AUTHENTICATION",
        "READ_REPLICAS_DISABLED",
        network_key,
    )
    filestore = _get(
        model, GcpFilestore, f"{dev}/locations/us-central1-b/instances/anyscale-filestore"
    )
    assert filestore.networks == ("default",)  # not in the model: kept as the API wrote it
    (command,) = model.register_commands
    assert command.flags["host-project-id"] == "acme-network-host"


def test_lists_are_read_across_pages(ready_fake: FakeGoogle) -> None:
    ready_fake.requests.clear()
    model = _audit(ready_fake, flags("ready")).model
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
    found = _audit(ready_fake, given)
    model = found.model
    assert found.errors == []
    # Service accounts across two pages; the Compute Engine default one is not named for
    # anyscale.
    emails = {a.email for a in model.of_kind(GcpServiceAccount)}
    assert emails == {ACCESS, CLUSTER}
    assert _keys(model, GcpWorkloadIdentityProvider) == {f"{POOL}/providers/anyscale-access"}
    assert _keys(model, GcsBucket) == {BUCKET}
    assert len(list(model.of_kind(GcpFilestore))) == len(list(model.of_kind(GcpRedis))) == 1
    # No policy named: the one associated with the VPC.
    assert _keys(model, GcpFirewallPolicy) == {
        f"{READY}/global/firewallPolicies/anyscale-firewall-policy"
    }
    assert model.register_commands == []  # nothing named: identification infers the parts
    listed = {path for method, service, path, query in ready_fake.requests if method == "GET"}
    assert "/v1/projects/acme-anyscale-prod/serviceAccounts" in listed
    assert "/v1/projects/acme-anyscale-prod/locations/-/instances" in listed


# ---- faults ----------------------------------------------------------------------------------


def _with(deployment: str, service: str, route: str, answer: Any) -> dict[str, dict[str, Any]]:
    routes = load(deployment)
    if answer is None:
        del routes[service][route]
    else:
        routes[service][route] = answer
    return routes


def test_a_403_is_a_collection_error_and_the_values_unknown() -> None:
    with serve(_with("ready", "storage", BUCKET_IAM, DENIED)) as fake:
        found = _audit(fake, flags("ready"))
    (error,) = found.errors
    assert (error.path, error.kind) == (BUCKET, "collection")
    assert error.message == (
        "access denied calling storage.buckets.getIamPolicy (PERMISSION_DENIED)"
    )
    grant = _get(found.model, GcpIamGrant, f"{BUCKET}#iam-policy")
    assert isinstance(grant.role, Unknown) and isinstance(grant.members, Unknown)
    assert "access denied calling storage.buckets.getIamPolicy" in grant.role.reason
    # What was read stays known; no grant of the bucket is made up.
    assert _get(found.model, GcsBucket, BUCKET).uniform_access is True
    assert not [
        g for g in found.model.of_kind(GcpIamGrant) if g.target == BUCKET and g is not grant
    ]


def test_a_403_on_the_bucket_leaves_every_bucket_value_unknown() -> None:
    route = "GET /storage/v1/b/acme-anyscale-prod-storage"
    with serve(_with("ready", "storage", route, DENIED)) as fake:
        found = _audit(fake, flags("ready"))
    bucket = _get(found.model, GcsBucket, BUCKET)
    for value in (
        bucket.location,
        bucket.cors,
        bucket.uniform_access,
        bucket.public_access_prevention,
    ):
        assert isinstance(value, Unknown), value
        assert "access denied calling storage.buckets.get (PERMISSION_DENIED)" in value.reason
    assert [e.path for e in found.errors] == [BUCKET]


def test_a_403_through_the_command_exits_3_with_core_003_and_no_token(tmp_path: Path) -> None:
    with serve(_with("ready", "storage", BUCKET_IAM, DENIED)) as fake:
        done = _cli(
            fake, "ready", "-f", "json", "-f", "text:report.txt", "--save-snapshot", "state.json",
            cwd=tmp_path,
        )  # fmt: skip
    assert done.returncode == 3, done.stderr
    report = json.loads(done.stdout)
    core = [r for r in report["results"] if r["rule_id"] == "CORE-003"]
    assert [(r["resource"], r["outcome"]) for r in core] == [(BUCKET, "fail")]
    # The rules that read the bucket's IAM policy cannot pass or fail: they report unknown.
    bucket_iam = {
        (r["rule_id"], r["outcome"])
        for r in report["results"]
        if r["rule_id"] in ("GCP-GCS-003", "GCP-GCS-005")
    }
    assert bucket_iam == {("GCP-GCS-003", "unknown"), ("GCP-GCS-005", "unknown")}
    unknown = next(r for r in report["results"] if r["rule_id"] == "GCP-GCS-003")
    assert "access denied calling storage.buckets.getIamPolicy" in unknown["message"]
    every_output = done.stdout + done.stderr + (tmp_path / "report.txt").read_text()
    every_output += (tmp_path / "state.json").read_text()
    assert "CORE-003" in every_output and "ya29." not in every_output
    assert "fake-token" not in every_output
    # The collection error and the unknown grant travel with the snapshot.
    offline = run_cli("scan", "state.json", "-f", "json", cwd=tmp_path)
    assert offline.returncode == 3, offline.stderr
    assert [r for r in json.loads(offline.stdout)["results"] if r["rule_id"] == "CORE-003"] == core


def test_a_timeout_is_a_collection_error() -> None:
    route = "GET /v1/projects/acme-anyscale-prod/locations/us-central1/instances/anyscale-redis"
    routes = load("ready")
    routes["redis"][route] = {"$delay": 6, "body": routes["redis"][route]}
    with serve(routes) as fake:
        found = _audit(fake, flags("ready"), timeout=2.5)
    (error,) = found.errors
    assert error.path == f"{READY}/locations/us-central1/instances/anyscale-redis"
    assert error.message.startswith("redis.instances.get timed out or could not connect (")
    redis = _get(found.model, GcpRedis, error.path)
    assert isinstance(redis.transit_encryption_mode, Unknown)
    assert isinstance(redis.read_replicas_mode, Unknown)


def test_a_missing_resource_is_a_fact_not_a_collection_error() -> None:
    route = (
        "GET /v1/projects/acme-anyscale-prod/locations/us-central1-b/instances/anyscale-filestore"
    )
    with serve(_with("ready", "file", route, None)) as fake:
        found = _audit(fake, flags("ready"))
    assert found.errors == []
    assert list(found.model.of_kind(GcpFilestore)) == []
    assert (
        "projects/acme-anyscale-prod/locations/us-central1-b/instances/anyscale-filestore "
        "does not exist (NOT_FOUND)"
    ) in found.model.notes


def test_a_named_policy_that_is_not_global_is_read_in_the_region() -> None:
    routes = load("ready")
    path = (
        "/compute/v1/projects/acme-anyscale-prod/global/firewallPolicies/anyscale-firewall-policy"
    )
    policy = routes["compute"].pop(f"GET {path}")
    regional = path.replace("/global/", "/regions/us-central1/")
    routes["compute"][f"GET {regional}"] = {
        **policy,
        "region": "https://www.googleapis.com/compute/v1/projects/acme-anyscale-prod/regions/us-central1",
    }
    with serve(routes) as fake:
        found = _audit(fake, flags("ready"))
    assert found.errors == []
    (read,) = found.model.of_kind(GcpFirewallPolicy)
    assert (read.key, read.region) == (
        f"{READY}/regions/us-central1/firewallPolicies/anyscale-firewall-policy",
        REGION,
    )


def test_an_unreadable_subnet_list_leaves_the_named_subnets_unknown() -> None:
    route = "GET /compute/v1/projects/acme-anyscale-prod/regions/us-central1/subnetworks"
    with serve(_with("ready", "compute", route, DENIED)) as fake:
        found = _audit(fake, flags("ready"))
    (subnet,) = found.model.of_kind(GcpSubnetwork)
    assert subnet.subnet_name == "anyscale-nodes"
    for value in (subnet.network, subnet.ip_cidr_range, subnet.purpose):
        assert isinstance(value, Unknown)
    assert [e.path for e in found.errors] == [f"{READY}/regions/us-central1/subnetworks"]


# ---- the command -----------------------------------------------------------------------------


def _cli(fake: FakeGoogle, deployment: str, *extra: str, cwd: Path | None = None) -> Any:
    return run_cli(
        "live",
        "--provider",
        "gcp",
        "--max-attempts",
        "1",
        *arguments(flags(deployment)),
        *extra,
        cwd=cwd,
        env={ENDPOINT_ENV: fake.base},
    )


def test_the_command_reports_calls_and_the_test_endpoint(ready_fake: FakeGoogle) -> None:
    done = _cli(ready_fake, "ready", "-f", "json")
    report = json.loads(done.stdout)
    assert done.stderr == ""  # no terminal: no progress bar
    assert "gcp://acme-anyscale-prod/us-central1: 17 Google API calls" in report["notices"]
    assert f"every Google API call went to {ready_fake.base} ({ENDPOINT_ENV})" in report["notices"]
    assert not [r for r in report["results"] if r["rule_id"] == "CORE-003"]
    # Identification finds every part the flags name, by the live resource names.
    (deployment,) = report["deployments"]
    assert deployment["key"] == "gcp://acme-anyscale-prod/us-central1"
    assert deployment["network_mode"] == "private"
    found = {p["part"]: p["resource"] for p in deployment["identified"]}
    assert found == {
        "project": READY,
        "network": f"{READY}/global/networks/anyscale-vpc",
        "subnets": f"{READY}/regions/us-central1/subnetworks/anyscale-nodes",
        "proxy subnets": f"{READY}/regions/us-central1/subnetworks/anyscale-proxy",
        "firewall policies": f"{READY}/global/firewallPolicies/anyscale-firewall-policy",
        "firewalls": None,
        "access service account": f"{READY}/serviceAccounts/{ACCESS}",
        "node service account": f"{READY}/serviceAccounts/{CLUSTER}",
        "identity provider": f"{POOL}/providers/anyscale-access",
        "pool": POOL,
        "bucket": BUCKET,
        "filestore": f"{READY}/locations/us-central1-b/instances/anyscale-filestore",
        "memorystore": f"{READY}/locations/us-central1/instances/anyscale-redis",
    }


def test_a_snapshot_rechecks_offline_with_the_same_results(
    insecure_fake: FakeGoogle, tmp_path: Path
) -> None:
    snapshot = tmp_path / "state.json"
    live = _cli(insecure_fake, "insecure", "-f", "json", "--save-snapshot", str(snapshot))
    assert live.returncode in (0, 1), live.stderr
    document = json.loads(snapshot.read_text())
    schema = json.loads((REPO / "schemas/snapshot.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    assert {r["$type"] for r in document["resources"]} >= {
        "GcpProject", "GcpNetwork", "GcpSubnetwork", "GcpFirewallPolicy", "GcsBucket",
        "GcpServiceAccount", "GcpIamGrant", "GcpWorkloadIdentityPool",
        "GcpWorkloadIdentityProvider", "GcpFilestore", "GcpRedis",
    }  # fmt: skip
    offline = run_cli("scan", str(snapshot), "-f", "json")
    assert offline.returncode == live.returncode, offline.stderr

    def outcomes(done: Any) -> list[tuple[str, str, str, str]]:
        results = json.loads(done.stdout)["results"]
        return sorted((r["rule_id"], r["resource"], r["outcome"], r["message"]) for r in results)

    assert outcomes(offline) == outcomes(live)
    assert [o for o in outcomes(live) if o[2] == "fail"]

    def parts(done: Any) -> list[dict[str, Any]]:
        (deployment,) = json.loads(done.stdout)["deployments"]
        return [p for p in deployment["identified"] if p["resource"]]

    # Every part but the proxy-only subnet the insecure deployment lacks (and classic firewalls).
    assert parts(offline) == parts(live) and len(parts(live)) == 11


def test_the_progress_bar_shows_the_phases_on_a_terminal(ready_fake: FakeGoogle) -> None:
    env = {**os.environ, "NO_COLOR": "1", ENDPOINT_ENV: ready_fake.base}
    env.pop("CI", None)
    args = [str(console_script()), "live", "--provider", "gcp", "--max-attempts", "1"]
    shown = stderr_on_terminal([*args, *arguments(flags("ready")), "-f", "json"], env)
    frames = [f.rstrip() for f in shown.split("\r") if f.strip()]
    assert frames, repr(shown)
    assert all(re.fullmatch(r"\[[#.]{20}\] \d/6 phases  \d+ calls(  .+)?", f) for f in frames)
    assert "network (us-central1)" in shown and "Memorystore (us-central1)" in shown, shown
    assert re.fullmatch(r"\[#{20}\] 6/6 phases  17 calls  .+ \(us-central1\)", frames[-1]), shown
    assert not shown.split("\r")[-2].strip()  # erased at the end


def _by_rule(done: Any) -> dict[str, list[str]]:
    """The outcomes of each GCP rule in a JSON report."""
    found: dict[str, set[str]] = {}
    for result in json.loads(done.stdout)["results"]:
        if result["rule_id"].startswith("GCP-"):
            found.setdefault(result["rule_id"], set()).add(result["outcome"])
    return {rule: sorted(outcomes) for rule, outcomes in found.items()}


@pytest.mark.parametrize(("deployment", "failing"), [("ready", 0), ("insecure", 18)])
def test_live_against_the_fake_judges_as_the_example_scan(deployment: str, failing: int) -> None:
    # GCP_DEPLOYMENTS.md: the fake holds the deployments examples/gcp-* declare.
    scan = run_cli("scan", f"examples/gcp-{deployment}", "-f", "json")
    with serve(load(deployment)) as fake:
        live = _cli(fake, deployment, "-f", "json")
    assert (live.returncode, scan.returncode) == ((1, 1) if failing else (0, 0)), live.stderr
    assert _by_rule(live) == _by_rule(scan)
    assert len(_by_rule(live)) == 20
    assert len([r for r, outcomes in _by_rule(live).items() if "fail" in outcomes]) == failing
    assert not [r for r, outcomes in _by_rule(live).items() if "unknown" in outcomes]
