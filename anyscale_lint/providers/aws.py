"""The register inputs of `anyscale cloud register --provider aws`, as one table.

Identification, AWS-REG-004, the register command and resource file the readiness report
prints, the readiness checklist, the resource-file reader and rule metadata all read this
table: adding a flag alias or an input is one line here (REQUIREMENTS.md section 5).
"""

from __future__ import annotations

from anyscale_lint.model import (
    EfsFileSystem,
    IamRole,
    MemoryDbCluster,
    S3Bucket,
    SecurityGroup,
    Subnet,
    Vpc,
)
from anyscale_lint.providers.inputs import NAME_INPUT, InputTable, RegisterInput

# Anyscale's production control-plane account and console origin (the config may override
# them, e.g. for staging).
ANYSCALE_ACCOUNT_ID = "525325868955"
ANYSCALE_CORS_ORIGIN = "https://*.anyscale.com"
# The region `anyscale cloud register --provider aws` uses without `--region`.
AWS_DEFAULT_REGION = "us-west-2"


AWS_INPUTS = (
    NAME_INPUT,
    RegisterInput(
        "region",
        "region",
        "region",
        required=True,
        resource_file_key=(None, "region"),
        placeholder="REGION",
        default=AWS_DEFAULT_REGION,
    ),
    RegisterInput(
        "vpc",
        "VPC",
        "vpc-id",
        required=True,
        resource_file_key=("aws_config", "vpc_id"),
        cls=Vpc,
        part="vpc",
        attribute="id",
        placeholder="VPC_ID",
        output_name="anyscale_vpc_id",
    ),
    RegisterInput(
        "subnets",
        "subnets",
        "subnet-ids",
        required=True,
        resource_file_key=("aws_config", "subnet_ids"),
        cls=Subnet,
        many=True,
        part="subnets",
        attribute="id",
        placeholder="SUBNET_IDS",
        output_name="anyscale_subnet_ids",
    ),
    RegisterInput(
        "security-groups",
        "security groups",
        "security-group-ids",
        required=True,
        resource_file_key=("aws_config", "security_group_ids"),
        cls=SecurityGroup,
        many=True,
        part="security groups",
        attribute="id",
        placeholder="SECURITY_GROUP_IDS",
        output_name="anyscale_security_group_ids",
    ),
    RegisterInput(
        "bucket",
        "S3 bucket",
        "cloud-storage-bucket-name",
        aliases=("s3-bucket-id",),
        required=True,
        resource_file_key=("object_storage", "bucket_name"),
        cls=S3Bucket,
        part="bucket",
        attribute="bucket",
        placeholder="BUCKET_NAME",
        output_name="anyscale_bucket_name",
    ),
    RegisterInput(
        "control-plane-role",
        "control-plane role",
        "anyscale-iam-role-id",
        required=True,
        resource_file_key=("aws_config", "anyscale_iam_role_id"),
        cls=IamRole,
        part="control-plane role",
        attribute="arn",
        placeholder="CONTROL_PLANE_ROLE_ARN",
        output_name="anyscale_iam_role_arn",
    ),
    RegisterInput(
        "instance-role",
        "instance role",
        "instance-iam-role-id",
        required=True,
        resource_file_key=("aws_config", "cluster_iam_role_id"),
        cls=IamRole,
        part="instance role",
        attribute="arn",
        placeholder="INSTANCE_ROLE_ARN",
        output_name="anyscale_instance_role_arn",
    ),
    RegisterInput(
        "efs",
        "EFS",
        "file-storage-id",
        aliases=("efs-id",),
        resource_file_key=("file_storage", "file_storage_id"),
        cls=EfsFileSystem,
        part="efs",
        attribute="id",
        placeholder="EFS_ID",
        output_name="anyscale_efs_id",
    ),
    RegisterInput(
        "memorydb",
        "MemoryDB",
        "memorydb-cluster-id",
        resource_file_key=("aws_config", "memorydb_cluster_name"),
        cls=MemoryDbCluster,
        part="memorydb",
        attribute="name",
        placeholder="MEMORYDB_CLUSTER_NAME",
        output_name="anyscale_memorydb_cluster_name",
    ),
    RegisterInput("networking-mode", "networking mode", "private-network"),
    RegisterInput(
        "external-id",
        "external ID",
        "external-id",
        resource_file_key=("aws_config", "external_id"),
        placeholder="EXTERNAL_ID",
    ),
)

# The readiness report's requirement sections, in the order of Anyscale's verifier
# (REQUIREMENTS.md section 2), then ours; each rule names its section (rules/*.yaml).
READINESS_SECTIONS = (
    "VPC",
    "Subnets",
    "IAM",
    "Security groups",
    "S3",
    "EFS",
    "MemoryDB",
    "Registration",
    "Inputs",
)

TABLE = InputTable("aws", AWS_INPUTS, READINESS_SECTIONS)
INPUTS_BY_KEY = TABLE.by_key
INPUTS_BY_FLAG = TABLE.by_flag
INPUTS_BY_PART = TABLE.by_part
RESOURCE_INPUTS = TABLE.resource_inputs
# The documented spelling of a flag (`s3-bucket-id` -> `cloud-storage-bucket-name`).
canonical_flag = TABLE.canonical_flag
