"""The Terraform builder's google provider resources: every resource type, the links between
them, provider defaults, policy_data JSON, Unknowns with their reasons, and plan JSON."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent
from typing import TypeVar

import pytest

from anyscale_lint.model import (
    CloudModel,
    FirewallRule,
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
)
from anyscale_lint.sources.terraform.loader import TerraformOptions, TerraformSource
from anyscale_lint.sources.terraform.plan import read_plan
from tests.conftest import REPO

ROOTS = REPO / "tests" / "fixtures" / "gcp_roots"
R = TypeVar("R", bound=Resource)

ACCESS = "anyscale-access@acme-anyscale-prod.iam.gserviceaccount.com"
CLUSTER = "anyscale-cluster@acme-anyscale-prod.iam.gserviceaccount.com"


def _model(directory: Path) -> CloudModel:
    source = TerraformSource(directory, TerraformOptions([], []))
    model, errors = source.evaluate_root(directory)
    assert not errors and not source.all_errors()
    return model


def _written(tmp_path: Path, text: str) -> CloudModel:
    (tmp_path / "main.tf").write_text(dedent(text))
    return _model(tmp_path)


def _get(model: CloudModel, key: str, cls: type[R]) -> R:
    resource = model.resources[key]
    assert isinstance(resource, cls), resource
    return resource


@pytest.fixture(scope="module")
def ready() -> CloudModel:
    return _model(ROOTS / "ready")


@pytest.fixture(scope="module")
def builder() -> CloudModel:
    return _model(ROOTS / "builder")


def _line(model: CloudModel, key: str) -> int:
    origin = model.resources[key].origin
    return getattr(origin, "start_line", 0)


# ---- the ready root: every resource type --------------------------------------------------


def test_project_network_and_subnetworks(ready: CloudModel) -> None:
    project = _get(ready, "google_project.prod", GcpProject)
    assert project.project_id == "acme-anyscale-prod"
    # The provider assigns the number: a reference to it, never a guess.
    assert isinstance(project.number, Partial) and project.number.ref == Ref(
        "google_project.prod", "number"
    )
    network = _get(ready, "google_compute_network.vpc", GcpNetwork)
    assert (network.network_name, network.project) == ("anyscale-vpc", "acme-anyscale-prod")
    assert network.auto_create_subnetworks is False
    nodes = _get(ready, "google_compute_subnetwork.nodes", GcpSubnetwork)
    assert nodes.network == "google_compute_network.vpc"  # written as `.id`
    assert (nodes.region, nodes.ip_cidr_range, nodes.purpose) == (
        "us-central1",
        "10.10.0.0/20",
        "PRIVATE",
    )
    assert nodes.private_ip_google_access is True and nodes.role is None
    proxy = _get(ready, "google_compute_subnetwork.proxy", GcpSubnetwork)
    assert proxy.network == "google_compute_network.vpc"  # written as `.self_link`
    assert (proxy.purpose, proxy.role, proxy.private_ip_google_access) == (
        "REGIONAL_MANAGED_PROXY",
        "ACTIVE",
        False,
    )


def test_policy_rules_and_associations_merge_into_the_policy(ready: CloudModel) -> None:
    policy = _get(ready, "google_compute_network_firewall_policy.anyscale", GcpFirewallPolicy)
    assert policy.policy_name == "anyscale-firewall-policy" and policy.region is None
    # The association names the network by `.id`; rules name the policy by `.name` or `.id`.
    assert policy.networks == ("google_compute_network.vpc",)
    by_priority = {rule.priority: rule for rule in policy.rules}
    assert set(by_priority) == {100, 443, 1005}
    internal = by_priority[100]
    assert internal.layer4 == (("all", ()),)
    assert internal.source_ranges == ("10.10.0.0/20",)  # the subnet's ip_cidr_range
    assert (internal.direction, internal.action, internal.label) == ("INGRESS", "allow", "rule 100")
    assert by_priority[443].layer4 == (("tcp", ("443",)),)
    health = by_priority[1005]
    assert health.label == "health-checks"
    assert health.source_ranges == ("10.20.0.0/23", "35.191.0.0/16", "130.211.0.0/22")
    # Each rule points at the resource that declares it, where the fix goes.
    rule_line = _line(ready, "google_compute_network_firewall_policy.anyscale")
    assert all(getattr(r.origin, "start_line", 0) > rule_line for r in policy.rules)


def test_service_accounts_have_their_emails(ready: CloudModel) -> None:
    access = _get(ready, "google_service_account.access", GcpServiceAccount)
    assert (access.account_id, access.email, access.project) == (
        "anyscale-access",
        ACCESS,
        "acme-anyscale-prod",
    )
    assert access.name == ACCESS


def _grants(model: CloudModel, target_kind: str) -> dict[str, GcpIamGrant]:
    return {
        g.key: g
        for g in model.resources.values()
        if isinstance(g, GcpIamGrant) and g.target_kind == target_kind
    }


def test_project_grants_member_binding(ready: CloudModel) -> None:
    grants = _grants(ready, "project")
    owner = grants["google_project_iam_member.access_owner"]
    # `serviceAccount:${...email}` and `.member` resolve to the account's literal member.
    assert owner.members == (f"serviceAccount:{ACCESS}",)
    assert (owner.role, owner.target, owner.authoritative) == (
        "roles/owner",
        "google_project.prod",
        False,
    )
    registry = grants["google_project_iam_member.cluster_registry"]
    assert registry.members == (f"serviceAccount:{CLUSTER}",)
    logs = grants["google_project_iam_binding.cluster_logs"]
    assert logs.authoritative is True and logs.members == (f"serviceAccount:{CLUSTER}",)


def test_bucket_policy_from_data_google_iam_policy(ready: CloudModel) -> None:
    grants = _grants(ready, "bucket")
    (grant,) = grants.values()
    assert grant.key == "google_storage_bucket_iam_policy.storage#bindings[0]"
    assert grant.address == "google_storage_bucket_iam_policy.storage"
    assert grant.target == "google_storage_bucket.storage"
    assert (grant.role, grant.authoritative) == ("roles/storage.admin", True)
    assert grant.members == (f"serviceAccount:{ACCESS}", f"serviceAccount:{CLUSTER}")
    # The grant points at its `binding` block in the data source.
    text = (ROOTS / "ready" / "main.tf").read_text().splitlines()
    assert text[getattr(grant.origin, "start_line", 0) - 1].strip() == "binding {"


def test_service_account_grants_and_workload_identity(ready: CloudModel) -> None:
    grants = _grants(ready, "service_account")
    assert {g.target for g in grants.values()} == {"google_service_account.access"}
    federation = grants["google_service_account_iam_member.workload_identity"]
    assert federation.role == "roles/iam.workloadIdentityUser"
    assert federation.members == (
        "principalSet://iam.googleapis.com/projects/123456789012/locations/global/"
        "workloadIdentityPools/anyscale-pool/attribute.aws_role/arn:aws:sts::525325868955:"
        "assumed-role/gcp_if_org_7f3k2",
    )
    pool = _get(ready, "google_iam_workload_identity_pool.anyscale", GcpWorkloadIdentityPool)
    assert (pool.pool_id, pool.disabled) == ("anyscale-pool", False)
    provider = _get(
        ready, "google_iam_workload_identity_pool_provider.anyscale", GcpWorkloadIdentityProvider
    )
    assert provider.pool == pool.key
    assert (provider.provider_id, provider.provider_type, provider.aws_account_id) == (
        "anyscale-access",
        "aws",
        "525325868955",
    )
    assert isinstance(provider.attribute_mapping, dict)
    assert provider.attribute_mapping["google.subject"] == "assertion.arn"
    assert set(provider.attribute_mapping) == {
        "google.subject",
        "attribute.arn",
        "attribute.aws_role",
    }
    assert provider.attribute_condition == (
        "google.subject.startsWith('arn:aws:sts::525325868955:assumed-role/gcp_if_org_7f3k2')"
    )


def test_bucket_settings(ready: CloudModel) -> None:
    bucket = _get(ready, "google_storage_bucket.storage", GcsBucket)
    assert bucket.bucket_name == "acme-anyscale-prod-storage"
    assert bucket.location == "US-CENTRAL1"  # as the API reports it
    assert (bucket.uniform_access, bucket.public_access_prevention) == (True, "enforced")
    assert bucket.labels == {"anyscale-cloud-id": "cld_abc123"} == bucket.tags
    assert not isinstance(bucket.cors, Unknown)
    (cors,) = bucket.cors
    assert cors.origins == ("https://*.anyscale.com",)
    assert cors.methods == ("GET", "PUT", "POST", "HEAD", "DELETE")
    assert cors.response_headers == ("*",)
    assert bucket.cors_origin == cors.origin


def test_filestore_and_memorystore(ready: CloudModel) -> None:
    filestore = _get(ready, "google_filestore_instance.anyscale", GcpFilestore)
    assert (filestore.instance_name, filestore.location, filestore.tier) == (
        "anyscale-filestore",
        "us-central1-b",
        "STANDARD",
    )
    assert filestore.networks == ("google_compute_network.vpc",)  # written as `.name`
    redis = _get(ready, "google_redis_instance.anyscale", GcpRedis)
    assert (redis.tier, redis.transit_encryption_mode, redis.read_replicas_mode) == (
        "STANDARD_HA",
        "DISABLED",
        "READ_REPLICAS_ENABLED",
    )
    assert (redis.region, redis.authorized_network) == ("us-central1", "google_compute_network.vpc")
    assert redis.redis_configs == {"maxmemory-policy": "allkeys-lru"}


def test_the_register_command_is_read_with_gcp_flags(ready: CloudModel) -> None:
    (command,) = ready.register_commands
    assert command.flags["provider"] == "gcp"
    assert command.flags["anyscale-service-account-email"] == ACCESS
    assert command.flags["provider-name"] == (
        "projects/123456789012/locations/global/workloadIdentityPools/anyscale-pool/"
        "providers/anyscale-access"
    )
    assert "private-network" in command.flags
    assert ready.region == "us-central1"  # the google provider's: no aws provider here


# ---- the builder root: other spellings, provider aliases, Unknowns ------------------------


def test_aliased_provider_and_literal_network_path(builder: CloudModel) -> None:
    west = _get(builder, "google_compute_subnetwork.west", GcpSubnetwork)
    assert (west.region, west.project) == ("us-west1", "acme-west")  # provider = google.west
    assert west.network == "google_compute_network.main"  # "projects/acme-dev/global/networks/main"
    account = _get(builder, "google_service_account.west", GcpServiceAccount)
    assert account.email == "west-runner@acme-west.iam.gserviceaccount.com"
    # A network the root does not declare stays as written.
    elsewhere = _get(builder, "google_compute_subnetwork.elsewhere", GcpSubnetwork)
    assert (elsewhere.network, elsewhere.region) == ("shared-vpc", "europe-west1")
    assert builder.region == "us-east1"


def test_unresolved_values_are_unknown_with_their_reason(builder: CloudModel) -> None:
    west = _get(builder, "google_compute_subnetwork.west", GcpSubnetwork)
    assert isinstance(west.ip_cidr_range, Unknown)
    assert "variable cidr has no value" in west.ip_cidr_range.reason
    bucket = _get(builder, "google_storage_bucket.open", GcsBucket)
    assert not isinstance(bucket.cors, Unknown)
    assert isinstance(bucket.cors[0].origins, Unknown)
    assert "origins" in bucket.cors[0].origins.reason
    regional = _get(
        builder, "google_compute_region_network_firewall_policy.regional", GcpFirewallPolicy
    )
    (rule,) = regional.rules
    assert isinstance(rule.source_ranges, Unknown)
    # A service account whose project is unknown has no derived email: a reference to it.
    somewhere = _get(builder, "google_service_account.somewhere", GcpServiceAccount)
    assert isinstance(somewhere.project, Unknown)
    assert isinstance(somewhere.email, Partial)
    assert somewhere.email.ref == Ref("google_service_account.somewhere", "email")


def test_invalid_policy_data_is_unknown(builder: CloudModel) -> None:
    grant = _get(builder, "google_service_account_iam_policy.somewhere#bindings[0]", GcpIamGrant)
    assert grant.target == "google_service_account.somewhere"
    assert isinstance(grant.role, Unknown) and isinstance(grant.members, Unknown)
    assert grant.role.reason.startswith("policy_data: invalid JSON")


def test_project_policy_from_jsonencode(builder: CloudModel) -> None:
    editor = _get(builder, "google_project_iam_policy.dev#bindings[0]", GcpIamGrant)
    viewer = _get(builder, "google_project_iam_policy.dev#bindings[1]", GcpIamGrant)
    assert (editor.role, editor.target, editor.authoritative) == ("roles/editor", "acme-dev", True)
    assert editor.members == ("serviceAccount:west-runner@acme-west.iam.gserviceaccount.com",)
    assert (viewer.role, viewer.members) == ("roles/viewer", ("domain:acme.dev",))
    # Without `project`, a project grant is on the provider's project.
    default = _get(builder, "google_project_iam_member.unknown_policy_target", GcpIamGrant)
    assert default.target == "acme-dev"


def test_bucket_and_account_grants_link_and_keep_conditions(builder: CloudModel) -> None:
    public = _get(builder, "google_storage_bucket_iam_member.public", GcpIamGrant)
    assert (public.target, public.members) == ("google_storage_bucket.open", ("allUsers",))
    admins = _get(builder, "google_storage_bucket_iam_binding.admins", GcpIamGrant)
    assert admins.target == "google_storage_bucket.plain"  # by its literal name
    assert admins.condition == 'request.time < timestamp("2030-01-01T00:00:00Z")'
    users = _get(builder, "google_service_account_iam_binding.users", GcpIamGrant)
    # A literal `projects/<p>/serviceAccounts/<email>` names the account by its email.
    assert users.target == "google_service_account.west"


def test_inline_rules_of_a_policy_with_rules(builder: CloudModel) -> None:
    policy = _get(
        builder, "google_compute_network_firewall_policy_with_rules.inline", GcpFirewallPolicy
    )
    ssh, egress = policy.rules
    assert ssh == FirewallRule(
        direction="INGRESS",
        action="allow",
        priority=1000,
        layer4=(("tcp", ("22", "8000-9000")),),
        source_ranges=("0.0.0.0/0",),
        disabled=False,
        label="ssh",
        origin=ssh.origin,
    )
    assert (egress.direction, egress.action, egress.disabled, egress.label) == (
        "EGRESS",
        "deny",
        True,
        "rule 2000",
    )
    assert getattr(ssh.origin, "start_line", 0) != getattr(egress.origin, "start_line", 0)


def test_regional_policy_and_its_association(builder: CloudModel) -> None:
    regional = _get(
        builder, "google_compute_region_network_firewall_policy.regional", GcpFirewallPolicy
    )
    assert regional.region == "us-east1"  # the provider's region
    assert regional.networks == ("google_compute_network.main",)  # written as `.self_link`
    # No layer4 config: every protocol, as Anyscale's verifier reads it.
    assert regional.rules[0].layer4 == (("all", ()),)


def test_rules_of_a_policy_declared_elsewhere_invent_no_policy(builder: CloudModel) -> None:
    policies = [r for r in builder.resources.values() if isinstance(r, GcpFirewallPolicy)]
    assert {p.key for p in policies} == {
        "google_compute_network_firewall_policy_with_rules.inline",
        "google_compute_region_network_firewall_policy.regional",
    }
    assert all(r.priority != 1 for p in policies for r in p.rules)


def test_classic_firewalls(builder: CloudModel) -> None:
    ssh = _get(builder, "google_compute_firewall.ssh", GcpFirewall)
    assert ssh.network == "google_compute_network.main"
    allow, deny = ssh.rules
    assert allow.layer4 == (("tcp", ("22",)), ("icmp", ()))
    # No source at all: the Compute API admits every address.
    assert allow.source_ranges == ("0.0.0.0/0",) and allow.priority == 1000
    assert (deny.action, deny.layer4) == ("deny", (("udp", ()),))
    tagged = _get(builder, "google_compute_firewall.tagged", GcpFirewall)
    (rule,) = tagged.rules
    assert (rule.source_ranges, rule.priority, rule.layer4) == ((), 500, (("all", ()),))
    assert tagged.network == "google_compute_network.main"  # written as `.id`


def test_other_identity_providers_filestore_zone_and_redis_defaults(builder: CloudModel) -> None:
    github = _get(
        builder, "google_iam_workload_identity_pool_provider.github", GcpWorkloadIdentityProvider
    )
    assert (github.provider_type, github.aws_account_id) == ("oidc", None)
    assert github.pool == "google_iam_workload_identity_pool.github"
    assert _get(
        builder, "google_iam_workload_identity_pool.github", GcpWorkloadIdentityPool
    ).disabled
    legacy = _get(builder, "google_filestore_instance.legacy", GcpFilestore)
    assert (legacy.location, legacy.networks) == ("us-east1-b", ("default",))
    cache = _get(builder, "google_redis_instance.cache", GcpRedis)
    # The API's defaults when unset: judged as Anyscale's verifier would see the instance.
    assert (cache.tier, cache.transit_encryption_mode, cache.read_replicas_mode) == (
        "BASIC",
        "DISABLED",
        "READ_REPLICAS_DISABLED",
    )
    assert (cache.region, cache.authorized_network) == ("us-east1", "default")


# ---- small roots --------------------------------------------------------------------------


def test_no_provider_project_is_unknown_with_the_reason(tmp_path: Path) -> None:
    model = _written(
        tmp_path,
        """
        resource "google_compute_network" "n" { name = "n" }
        resource "google_service_account" "a" { account_id = "a" }
        """,
    )
    network = _get(model, "google_compute_network.n", GcpNetwork)
    assert isinstance(network.project, Unknown)
    assert "GOOGLE_PROJECT" in network.project.reason
    account = _get(model, "google_service_account.a", GcpServiceAccount)
    assert isinstance(account.email, Partial) and account.email.ref is not None
    assert model.region is None


def test_client_config_reads_the_provider(tmp_path: Path) -> None:
    model = _written(
        tmp_path,
        """
        provider "google" {
          project = "from-provider"
          region  = "asia-east1"
        }
        data "google_client_config" "current" {}
        resource "google_compute_subnetwork" "s" {
          name          = "s"
          network       = "n"
          ip_cidr_range = "10.0.0.0/24"
          project       = data.google_client_config.current.project
          region        = data.google_client_config.current.region
        }
        """,
    )
    subnet = _get(model, "google_compute_subnetwork.s", GcpSubnetwork)
    assert (subnet.project, subnet.region) == ("from-provider", "asia-east1")


def test_dynamic_blocks_with_unknown_for_each(tmp_path: Path) -> None:
    model = _written(
        tmp_path,
        """
        variable "rules" {}
        variable "networks" {}
        resource "google_compute_network_firewall_policy_with_rules" "p" {
          name = "p"
          dynamic "rule" {
            for_each = var.rules
            content {
              priority = rule.value.priority
              action   = "allow"
              match { src_ip_ranges = ["0.0.0.0/0"] }
            }
          }
        }
        resource "google_filestore_instance" "f" {
          name     = "f"
          location = "us-east1-b"
          dynamic "networks" {
            for_each = var.networks
            content { network = networks.value }
          }
        }
        """,
    )
    policy = _get(model, "google_compute_network_firewall_policy_with_rules.p", GcpFirewallPolicy)
    (rule,) = policy.rules
    assert isinstance(rule.layer4, Unknown) and isinstance(rule.source_ranges, Unknown)
    assert "rules" in rule.layer4.reason
    filestore = _get(model, "google_filestore_instance.f", GcpFilestore)
    assert isinstance(filestore.networks, Unknown)


# ---- plan JSON ----------------------------------------------------------------------------


def test_plan_json_builds_the_same_model() -> None:
    path = ROOTS / "plan" / "gcp.plan.json"
    read = read_plan(path, str(path))
    assert not isinstance(read, BaseException) and isinstance(read, tuple)
    model, problems = read
    assert not problems
    assert model.region == "us-central1"
    subnet = _get(model, "google_compute_subnetwork.nodes", GcpSubnetwork)
    # `network` is known only after apply: the configuration's reference links it.
    assert (subnet.network, subnet.purpose, subnet.project) == (
        "google_compute_network.vpc",
        "PRIVATE",
        "acme-anyscale-prod",
    )
    policy = _get(model, "google_compute_network_firewall_policy.anyscale", GcpFirewallPolicy)
    assert policy.networks == ("google_compute_network.vpc",)
    (rule,) = policy.rules
    assert (rule.priority, rule.layer4, rule.source_ranges) == (
        443,
        (("tcp", ("443",)),),
        ("0.0.0.0/0",),
    )
    account = _get(model, "google_service_account.access", GcpServiceAccount)
    assert account.email == "anyscale-access@acme-anyscale-prod.iam.gserviceaccount.com"
    grant = _get(model, "google_project_iam_member.owner", GcpIamGrant)
    # A member built from an email known only after apply is unknown, and says so.
    assert isinstance(grant.members, Unknown) and grant.members.reason == "known only after apply"
    provider = _get(
        model, "google_iam_workload_identity_pool_provider.anyscale", GcpWorkloadIdentityProvider
    )
    assert (provider.pool, provider.aws_account_id) == (
        "google_iam_workload_identity_pool.anyscale",
        "525325868955",
    )
    bucket = _get(model, "google_storage_bucket.storage", GcsBucket)
    assert bucket.labels == {"anyscale-cloud-id": "cld_abc123"}
    assert not isinstance(bucket.cors, Unknown) and bucket.cors[0].response_headers == ("*",)
