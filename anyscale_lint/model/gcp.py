"""GCP resources of an Anyscale deployment, normalized across Terraform and live state.

The same conventions as model/aws.py: links to other resources hold the linked resource's
`key` (its Terraform address, or its live resource name); a link to something outside the
model holds the name or self link as written; anything the source could not resolve is an
`Unknown` that says why. Names follow the REST API's resources (REQUIREMENTS.md section 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from anyscale_lint.model.cloud import Resource
from anyscale_lint.model.origin import Origin
from anyscale_lint.model.values import Unknown

Text = str | Unknown
Link = str | Unknown
Texts = tuple[Text, ...] | Unknown


@dataclass(frozen=True)
class GcpProject(Resource):
    """A project (`google_project`): its ID (never starts with a digit) and number."""

    kind: ClassVar[str] = "google_project"
    project_id: Text = ""
    number: Text | None = None


@dataclass(frozen=True)
class GcpNetwork(Resource):
    """A VPC network (`google_compute_network`)."""

    kind: ClassVar[str] = "google_compute_network"
    # The network's name: what `--vpc-name` takes and what associations' targets end in.
    network_name: Text = ""
    project: Text | None = None
    auto_create_subnetworks: bool | Unknown | None = None


@dataclass(frozen=True)
class GcpSubnetwork(Resource):
    """A subnetwork (`google_compute_subnetwork`): node subnet or proxy-only subnet."""

    kind: ClassVar[str] = "google_compute_subnetwork"
    subnet_name: Text = ""
    network: Link | None = None
    region: Text | None = None
    ip_cidr_range: Text | None = None
    # `PRIVATE` (the API's default for a node subnet) or `REGIONAL_MANAGED_PROXY`, ...
    purpose: Text = "PRIVATE"
    private_ip_google_access: bool | Unknown = False
    project: Text | None = None
    # Added by the Terraform builder (gcp-terraform): a proxy-only subnet's `ACTIVE` or
    # `BACKUP` role (only an ACTIVE one serves); None for other subnets or when not set.
    role: Text | None = None


@dataclass(frozen=True)
class FirewallRule:
    """One rule of a network firewall policy or one classic firewall, flattened.

    A classic `google_compute_firewall` with `allow` blocks is one rule with action `allow`;
    its `deny` blocks make a rule with action `deny`.
    """

    # `INGRESS` or `EGRESS`.
    direction: Text
    # `allow`, `deny`, `goto_next`, `apply_security_profile_group`.
    action: Text
    priority: int | Unknown | None
    # (protocol, ports) pairs from `layer4_configs` / `allow` blocks: protocol `all`, `tcp`,
    # `udp`, `icmp` or a number; ports as written (`"22"`, `"8000-9000"`); no ports = all ports.
    layer4: tuple[tuple[Text, tuple[Text, ...]], ...] | Unknown
    source_ranges: Texts = ()
    disabled: bool | Unknown = False
    # Who the rule names itself as, for messages: `rule 1000`, `allow-ssh`.
    label: str = ""
    origin: Origin | None = None


@dataclass(frozen=True)
class GcpFirewallPolicy(Resource):
    """A network firewall policy, global or regional, with its rules and associations.

    Rules and associations declared as their own resources (`..._firewall_policy_rule`,
    `..._association`) are merged into the policy they name, as for AWS security groups.
    """

    kind: ClassVar[str] = "google_compute_network_firewall_policy"
    policy_name: Text = ""
    # None for a global policy; the region of a regional one.
    region: Text | None = None
    rules: tuple[FirewallRule, ...] = ()
    # Networks the policy is associated with: keys of networks in the model, or the
    # attachment targets as written (a self link or a name).
    networks: tuple[Link, ...] = ()
    project: Text | None = None


@dataclass(frozen=True)
class GcpFirewall(Resource):
    """A classic VPC firewall (`google_compute_firewall`). Anyscale's verifier reads only
    network firewall policies; scanning counts these too and says which one it used."""

    kind: ClassVar[str] = "google_compute_firewall"
    network: Link | None = None
    rules: tuple[FirewallRule, ...] = ()


@dataclass(frozen=True)
class GcsCors:
    """One CORS entry of a bucket."""

    origins: Texts
    methods: Texts
    response_headers: Texts
    origin: Origin | None = None


@dataclass(frozen=True)
class GcsBucket(Resource):
    """A Cloud Storage bucket with its CORS, access settings and location."""

    kind: ClassVar[str] = "google_storage_bucket"
    bucket_name: Text = ""
    location: Text | None = None
    cors: tuple[GcsCors, ...] | Unknown = ()
    # Where CORS is written (the bucket block, or its first `cors` block).
    cors_origin: Origin | None = None
    uniform_access: bool | Unknown = False
    # `enforced`, `inherited` (the API's default when unset), or Unknown.
    public_access_prevention: Text = "inherited"
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    project: Text | None = None


@dataclass(frozen=True)
class GcpServiceAccount(Resource):
    """A service account: its account ID and email."""

    kind: ClassVar[str] = "google_service_account"
    account_id: Text = ""
    email: Text = ""
    project: Text | None = None


@dataclass(frozen=True)
class GcpIamGrant(Resource):
    """Members granted a role on a project, bucket or service account.

    One per Terraform IAM resource (`google_*_iam_member`, `_binding`, and one per binding of
    a `_policy`'s `policy_data`) or per binding of a live IAM policy.
    """

    kind: ClassVar[str] = "gcp_iam_grant"
    # `project`, `bucket` or `service_account`.
    target_kind: str = "project"
    # The resource the grant is on: a key in the model, or the ID/name/email as written.
    target: Link = ""
    role: Text = ""
    # `serviceAccount:x@p.iam.gserviceaccount.com`, `allUsers`, `principalSet://...`.
    members: Texts = ()
    # Whether it replaces every other member of the role (`_binding`, `_policy`).
    authoritative: bool = False
    # The IAM condition's expression, when the grant has one.
    condition: Text | None = None


@dataclass(frozen=True)
class GcpWorkloadIdentityPool(Resource):
    """A workload identity pool."""

    kind: ClassVar[str] = "google_iam_workload_identity_pool"
    pool_id: Text = ""
    project: Text | None = None
    disabled: bool | Unknown = False


@dataclass(frozen=True)
class GcpWorkloadIdentityProvider(Resource):
    """A workload identity pool provider: whom it trusts and on which condition."""

    kind: ClassVar[str] = "google_iam_workload_identity_pool_provider"
    pool: Link | None = None
    provider_id: Text = ""
    # The `aws { account_id }` the provider trusts; None for a provider of another kind.
    aws_account_id: Text | None = None
    # `oidc`, `saml` or `aws`: what kind of identities the provider accepts.
    provider_type: str = "aws"
    attribute_mapping: dict[str, Text] | Unknown = field(
        default_factory=dict, compare=False, hash=False
    )
    attribute_condition: Text | None = None
    disabled: bool | Unknown = False
    project: Text | None = None


@dataclass(frozen=True)
class GcpFilestore(Resource):
    """A Filestore instance and the networks it is attached to."""

    kind: ClassVar[str] = "google_filestore_instance"
    instance_name: Text = ""
    location: Text | None = None
    tier: Text | None = None
    # `networks[].network` as written: a network name, a key in the model, or a self link.
    networks: tuple[Link, ...] | Unknown = ()


@dataclass(frozen=True)
class GcpRedis(Resource):
    """A Memorystore for Redis instance (`google_redis_instance`)."""

    kind: ClassVar[str] = "google_redis_instance"
    instance_name: Text = ""
    region: Text | None = None
    # The API's defaults when unset: `BASIC`, `DISABLED`, `READ_REPLICAS_DISABLED`.
    tier: Text = "BASIC"
    transit_encryption_mode: Text = "DISABLED"
    read_replicas_mode: Text = "READ_REPLICAS_DISABLED"
    authorized_network: Link | None = None
    redis_configs: dict[str, Text] | Unknown = field(
        default_factory=dict, compare=False, hash=False
    )
