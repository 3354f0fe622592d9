"""The raw AWS responses one audit read, in the shapes boto3 returns: what the builder reads.

Each value is the response data, or a Fault saying the resource is absent or could not be
read. Tests build these from recorded-shape dicts without any AWS endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from anyscale_lint.sources.aws_live.faults import Fault

Data = Any  # a boto3 response fragment (dict or list), or a Fault


@dataclass
class RoleData:
    """One IAM role: GetRole, its inline and attached policies, its instance profiles."""

    name: str
    role: Data
    # (policy name, document or Fault), or a Fault when the list itself failed.
    inline: list[tuple[str, Data]] | Fault = field(default_factory=list)
    # (policy ARN, policy name, default-version document or Fault), or a Fault.
    attached: list[tuple[str, str, Data]] | Fault = field(default_factory=list)
    profiles: Data = field(default_factory=list)


@dataclass
class BucketData:
    """One S3 bucket: location, policy, CORS rules, public access block, tags."""

    name: str
    location: Data = None
    policy: Data = None
    cors: Data = None
    public_access_block: Data = None
    tags: Data = None


@dataclass
class EfsData:
    """One EFS file system, its mount targets (with their ENIs' groups) and policies."""

    file_system_id: str
    file_system: Data = None
    mount_targets: Data = field(default_factory=list)
    # Mount target ID -> its security group IDs, or a Fault.
    mount_target_groups: dict[str, Data] = field(default_factory=dict)
    backup_policy: Data = None
    policy: Data = None


@dataclass
class MemoryDbData:
    """One MemoryDB cluster, its subnet group and its parameter group's parameters."""

    name: str
    cluster: Data = None
    subnet_group: Data = None
    parameters: Data = None


@dataclass
class Collected:
    """Everything read from one account and region."""

    account: str
    region: str
    partition: str = "aws"
    # The register flags given (documented spelling -> value), for identification.
    flags: dict[str, str] = field(default_factory=dict)
    roles: list[RoleData] = field(default_factory=list)
    buckets: list[BucketData] = field(default_factory=list)
    vpcs: Data = field(default_factory=list)
    # VPC ID -> attribute name (enableDnsSupport, enableDnsHostnames) -> bool or Fault.
    vpc_attributes: dict[str, dict[str, Data]] = field(default_factory=dict)
    subnets: Data = field(default_factory=list)
    route_tables: Data = field(default_factory=list)
    nat_gateways: Data = field(default_factory=list)
    internet_gateways: Data = field(default_factory=list)
    vpc_endpoints: Data = field(default_factory=list)
    security_groups: Data = field(default_factory=list)
    file_systems: list[EfsData] = field(default_factory=list)
    memorydb: list[MemoryDbData] = field(default_factory=list)
    # Resources the flags name that do not exist (ID -> error code), for notices.
    missing: dict[str, str] = field(default_factory=dict)
    # (subject, fault) of every read that failed: collection errors (CORE-003).
    faults: list[tuple[str, Fault]] = field(default_factory=list)
    calls: int = 0
