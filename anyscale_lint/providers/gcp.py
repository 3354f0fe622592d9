"""The register inputs of `anyscale cloud register --provider gcp`, as one table.

Identification (engine/identify_gcp.py), the register command parser and the readiness
report read this table: a flag's spellings, the part it names and where a `--resource-file`
holds it are written once here (REQUIREMENTS.md sections 3 and 5).
"""

from __future__ import annotations

from collections.abc import Mapping

from anyscale_lint.model import (
    GcpFilestore,
    GcpFirewallPolicy,
    GcpNetwork,
    GcpProject,
    GcpRedis,
    GcpServiceAccount,
    GcpSubnetwork,
    GcpWorkloadIdentityProvider,
    GcsBucket,
)
from anyscale_lint.providers.inputs import NAME_INPUT, InputTable, RegisterInput

# The region `anyscale cloud register --provider gcp` uses without `--region`.
GCP_DEFAULT_REGION = "us-west1"
# Google's load balancer health-check ranges (REQUIREMENTS.md GCP-FW-07).
HEALTH_CHECK_RANGES = ("35.191.0.0/16", "130.211.0.0/22")
# The purpose of a proxy-only subnet (REQUIREMENTS.md GCP-NET-05).
PROXY_ONLY_PURPOSE = "REGIONAL_MANAGED_PROXY"

# Keys (rules/GCP-*.yaml `readiness.inputs`) follow the resource file's `gcp_config` names
# where GCP has its own input; `name`, `region`, `vpc`, `subnets`, `bucket` and
# `networking-mode` are the rows both providers share.
GCP_INPUTS = (
    NAME_INPUT,
    RegisterInput(
        "region",
        "region",
        "region",
        resource_file_key=(None, "region"),
        placeholder="REGION",
        default=GCP_DEFAULT_REGION,
    ),
    RegisterInput(
        "project",
        "project",
        "project-id",
        aliases=("gcp-project-id",),
        required=True,
        resource_file_key=("gcp_config", "project_id"),
        cls=GcpProject,
        part="project",
        attribute="project_id",
        placeholder="PROJECT_ID",
        output_name="anyscale_project_id",
    ),
    RegisterInput(
        "host_project",
        "host project (shared VPC)",
        "host-project-id",
        resource_file_key=("gcp_config", "host_project_id"),
        placeholder="HOST_PROJECT_ID",
    ),
    RegisterInput(
        "vpc",
        "VPC network",
        "vpc-name",
        required=True,
        resource_file_key=("gcp_config", "vpc_name"),
        cls=GcpNetwork,
        part="network",
        attribute="name",
        placeholder="VPC_NAME",
        output_name="anyscale_vpc_name",
    ),
    RegisterInput(
        "subnets",
        "subnets",
        "subnet-names",
        required=True,
        resource_file_key=("gcp_config", "subnet_names"),
        cls=GcpSubnetwork,
        many=True,
        part="subnets",
        attribute="name",
        placeholder="SUBNET_NAMES",
        output_name="anyscale_subnet_names",
    ),
    RegisterInput(
        "firewall_policies",
        "firewall policies",
        "firewall-policy-names",
        required=True,
        resource_file_key=("gcp_config", "firewall_policy_names"),
        cls=GcpFirewallPolicy,
        many=True,
        part="firewall policies",
        attribute="name",
        placeholder="FIREWALL_POLICY_NAMES",
        output_name="anyscale_firewall_policy_names",
    ),
    RegisterInput(
        "anyscale_service_account",
        "Anyscale access service account",
        "anyscale-service-account-email",
        required=True,
        resource_file_key=("gcp_config", "anyscale_service_account_email"),
        cls=GcpServiceAccount,
        part="access service account",
        attribute="email",
        placeholder="ACCESS_SERVICE_ACCOUNT_EMAIL",
        output_name="anyscale_access_service_account_email",
    ),
    RegisterInput(
        "instance_service_account",
        "cluster node service account",
        "instance-service-account-email",
        required=True,
        resource_file_key=("gcp_config", "cluster_service_account_email"),
        cls=GcpServiceAccount,
        part="node service account",
        attribute="email",
        placeholder="NODE_SERVICE_ACCOUNT_EMAIL",
        output_name="anyscale_cluster_service_account_email",
    ),
    RegisterInput(
        "provider_name",
        "workload identity provider",
        "provider-name",
        required=True,
        resource_file_key=("gcp_config", "provider_name"),
        cls=GcpWorkloadIdentityProvider,
        part="identity provider",
        attribute="name",
        placeholder="WORKLOAD_IDENTITY_PROVIDER_NAME",
        output_name="anyscale_workload_identity_provider_name",
    ),
    RegisterInput(
        "bucket",
        "GCS bucket",
        "cloud-storage-bucket-name",
        required=True,
        resource_file_key=("object_storage", "bucket_name"),
        cls=GcsBucket,
        part="bucket",
        attribute="name",
        placeholder="BUCKET_NAME",
        output_name="anyscale_bucket_name",
    ),
    RegisterInput(
        "filestore",
        "Filestore",
        "file-storage-id",
        aliases=("filestore-instance-id",),
        resource_file_key=("file_storage", "file_storage_id"),
        cls=GcpFilestore,
        part="filestore",
        attribute="name",
        placeholder="FILESTORE_INSTANCE_ID",
        output_name="anyscale_filestore_instance_id",
    ),
    RegisterInput(
        "filestore_location",
        "Filestore location",
        "filestore-location",
        placeholder="FILESTORE_LOCATION",
    ),
    RegisterInput(
        "memorystore",
        "Memorystore",
        "memorystore-instance-name",
        resource_file_key=("gcp_config", "memorystore_instance_name"),
        cls=GcpRedis,
        part="memorystore",
        # The full `projects/.../locations/.../instances/...` name: Terraform's `id`.
        attribute="id",
        placeholder="MEMORYSTORE_INSTANCE_NAME",
        output_name="anyscale_memorystore_instance_name",
    ),
    RegisterInput("networking-mode", "networking mode", "private-network"),
)

# The readiness report's requirement sections, in the order of Anyscale's verifier
# (REQUIREMENTS.md section 3: project, access and node service accounts, networking, firewall
# policy, Cloud Storage, Anyscale's access, Filestore, Memorystore), then ours; each rule
# names its section (rules/*.yaml). Sections no rule names are not shown.
READINESS_SECTIONS = (
    "Project",
    "Service accounts",
    "IAM",
    "Network",
    "Subnets",
    "Firewall",
    "Cloud Storage",
    "Workload identity",
    "Filestore",
    "Memorystore",
    "Registration",
    "Inputs",
)

TABLE = InputTable("gcp", GCP_INPUTS, READINESS_SECTIONS)
INPUTS_BY_KEY = TABLE.by_key
INPUTS_BY_FLAG = TABLE.by_flag
INPUTS_BY_PART = TABLE.by_part
RESOURCE_INPUTS = TABLE.resource_inputs
# The documented spelling of a flag (`gcp-project-id` -> `project-id`).
canonical_flag = TABLE.canonical_flag


def names_gcp(flags: Mapping[str, object]) -> bool:
    """Whether a register command's flags say `--provider gcp` (any case, as the CLI reads)."""
    provider = flags.get("provider")
    return isinstance(provider, str) and provider.strip().lower() == "gcp"
