"""AWS resources of an Anyscale deployment, normalized across Terraform, JSON and live state.

Links to other resources hold the linked resource's `key` (its Terraform address, or its
live ID); a link to something outside the model holds the literal ID it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from anyscale_lint.model.cloud import Resource
from anyscale_lint.model.origin import Origin
from anyscale_lint.model.policy import PolicyDocument
from anyscale_lint.model.values import Unknown

Text = str | Unknown
Link = str | Unknown


@dataclass(frozen=True)
class PolicyAttachment:
    """A permissions policy that applies to a role: inline, customer managed or AWS managed."""

    label: str
    # "inline", "customer" or "aws" (an AWS managed policy known only by its ARN).
    kind: str
    document: PolicyDocument | Unknown | None
    arn: Text | None
    origin: Origin


@dataclass(frozen=True)
class IamRole(Resource):
    """An IAM role with its trust policy and every permissions policy attached to it."""

    kind: ClassVar[str] = "aws_iam_role"
    arn: Text = ""
    trust_policy: PolicyDocument | Unknown | None = None
    policies: tuple[PolicyAttachment, ...] = ()


@dataclass(frozen=True)
class IamPolicy(Resource):
    """A permissions policy declared as a resource of its own (`aws_iam_policy`,
    `aws_iam_role_policy`), with the roles it is attached to, wherever they are declared."""

    kind: ClassVar[str] = "aws_iam_policy"
    document: PolicyDocument | Unknown | None = None
    # The roles it applies to: keys of roles in the model, or the names/ARNs written.
    roles: tuple[Link, ...] = ()
    # "inline" for a role's own policy (aws_iam_role_policy), "customer" for a managed one.
    attachment_kind: str = "customer"


@dataclass(frozen=True)
class InstanceProfile(Resource):
    """An instance profile and the roles it holds."""

    kind: ClassVar[str] = "aws_iam_instance_profile"
    roles: tuple[Link, ...] = ()


@dataclass(frozen=True)
class CorsRule:
    """One S3 CORS rule."""

    allowed_origins: tuple[str, ...] | Unknown
    allowed_methods: tuple[str, ...] | Unknown
    allowed_headers: tuple[str, ...] | Unknown
    expose_headers: tuple[str, ...] | Unknown
    origin: Origin


@dataclass(frozen=True)
class PublicAccessBlock:
    """The four S3 public access block settings."""

    settings: dict[str, bool | Unknown]
    origin: Origin


@dataclass(frozen=True)
class S3Bucket(Resource):
    """An S3 bucket with its policy, CORS rules and public access block."""

    kind: ClassVar[str] = "aws_s3_bucket"
    arn: Text = ""
    region: Text | None = None
    policy: PolicyDocument | Unknown | None = None
    cors_rules: tuple[CorsRule, ...] | Unknown | None = None
    cors_origin: Origin | None = None
    public_access_block: PublicAccessBlock | None = None


@dataclass(frozen=True)
class BucketPolicy(Resource):
    """A bucket policy whose bucket is not declared in the scanned code (`--scope all`)."""

    kind: ClassVar[str] = "aws_s3_bucket_policy"
    # The bucket as written: its name, or a reference the code cannot resolve.
    bucket: Link = ""
    policy: PolicyDocument | Unknown | None = None


@dataclass(frozen=True)
class Vpc(Resource):
    """A VPC."""

    kind: ClassVar[str] = "aws_vpc"
    cidr_block: Text | None = None
    secondary_cidr_blocks: tuple[Text, ...] = ()
    enable_dns_support: bool | Unknown | None = None
    enable_dns_hostnames: bool | Unknown | None = None


@dataclass(frozen=True)
class Route:
    """A route: destination and the kind of target it sends traffic to."""

    destination: Text
    # internet_gateway, nat_gateway, transit_gateway, vpc_endpoint, network_interface,
    # vpc_peering, egress_only_gateway, local, or unknown.
    target_kind: str
    target: Link | None
    origin: Origin


@dataclass(frozen=True)
class RouteTable(Resource):
    """A route table with its routes."""

    kind: ClassVar[str] = "aws_route_table"
    vpc: Link | None = None
    routes: tuple[Route, ...] = ()
    is_main: bool = False


@dataclass(frozen=True)
class Subnet(Resource):
    """A subnet, with the route table that applies to it (explicit or the VPC's main one)."""

    kind: ClassVar[str] = "aws_subnet"
    vpc: Link | None = None
    cidr_block: Text | None = None
    availability_zone: Text | None = None
    map_public_ip_on_launch: bool | Unknown = False
    route_table: Link | None = None


@dataclass(frozen=True)
class NatGateway(Resource):
    """A NAT gateway; a public one lives in a public utility subnet."""

    kind: ClassVar[str] = "aws_nat_gateway"
    subnet: Link | None = None
    connectivity_type: str = "public"


@dataclass(frozen=True)
class InternetGateway(Resource):
    """An Internet gateway."""

    kind: ClassVar[str] = "aws_internet_gateway"
    vpc: Link | None = None


@dataclass(frozen=True)
class SgRule:
    """One security-group rule (ingress or egress) with one kind of source or destination."""

    direction: str
    protocol: Text
    from_port: int | Unknown | None
    to_port: int | Unknown | None
    cidr_ipv4: tuple[Text, ...] = ()
    cidr_ipv6: tuple[Text, ...] = ()
    prefix_lists: tuple[Text, ...] = ()
    # Security groups this rule admits (links); the group itself when `self = true`.
    source_groups: tuple[Link, ...] = ()
    description: str | None = None
    origin: Origin | None = None
    # Where the rule is declared: the group's own block, or a separate rule resource.
    declared_by: str = ""


@dataclass(frozen=True)
class SecurityGroup(Resource):
    """A security group with all its rules, wherever they were declared."""

    kind: ClassVar[str] = "aws_security_group"
    vpc: Link | None = None
    rules: tuple[SgRule, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SgRuleResource(Resource):
    """A rule resource (`aws_security_group_rule`, ...) whose group this root does not declare."""

    kind: ClassVar[str] = "aws_security_group_rule"
    # The group it names: an ID, or a value known only where the group is declared.
    group: Link = ""
    rules: tuple[SgRule, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class VpcEndpoint(Resource):
    """A VPC endpoint (the S3 gateway endpoint keeps S3 traffic off the NAT gateway)."""

    kind: ClassVar[str] = "aws_vpc_endpoint"
    vpc: Link | None = None
    service_name: Text = ""
    endpoint_type: Text = "Gateway"
    route_tables: tuple[Link, ...] | Unknown = ()


@dataclass(frozen=True)
class EfsFileSystem(Resource):
    """An EFS file system with its backup and file-system policies."""

    kind: ClassVar[str] = "aws_efs_file_system"
    encrypted: bool | Unknown = False
    # ENABLED, DISABLED, or None when no aws_efs_backup_policy manages it.
    backup_status: Text | None = None
    policy: PolicyDocument | Unknown | None = None


@dataclass(frozen=True)
class EfsMountTarget(Resource):
    """An EFS mount target: one subnet, its security groups."""

    kind: ClassVar[str] = "aws_efs_mount_target"
    file_system: Link | None = None
    subnet: Link | None = None
    security_groups: tuple[Link, ...] | Unknown = ()


@dataclass(frozen=True)
class MemoryDbCluster(Resource):
    """A MemoryDB cluster (head-node fault tolerance), with its subnets and parameters."""

    kind: ClassVar[str] = "aws_memorydb_cluster"
    tls_enabled: bool | Unknown = True
    num_shards: int | Unknown = 1
    replicas_per_shard: int | Unknown = 1
    subnets: tuple[Link, ...] | Unknown = ()
    subnet_group: Link | None = None
    security_groups: tuple[Link, ...] | Unknown = ()
    # The parameter group's parameters, or None for the engine's default group.
    parameters: dict[str, Text] | Unknown | None = field(default=None, compare=False, hash=False)
    parameter_group: Link | None = None
