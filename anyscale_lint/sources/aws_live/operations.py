"""Every AWS API operation the live collector may call, with the IAM action it needs.

One table: the collector can call only what is listed here (`Caller.call` refuses anything
else), `--print-required-permissions` prints the policy built from it, and a test keeps the
two equal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

READ_PREFIXES = ("Describe", "Get", "List")


@dataclass(frozen=True)
class Operation:
    """One API operation: boto3 service name, operation name, IAM action it needs."""

    service: str
    name: str
    action: str


OPERATIONS = (
    Operation("sts", "GetCallerIdentity", "sts:GetCallerIdentity"),
    Operation("iam", "GetRole", "iam:GetRole"),
    Operation("iam", "ListRoles", "iam:ListRoles"),
    Operation("iam", "ListRoleTags", "iam:ListRoleTags"),
    Operation("iam", "ListRolePolicies", "iam:ListRolePolicies"),
    Operation("iam", "GetRolePolicy", "iam:GetRolePolicy"),
    Operation("iam", "ListAttachedRolePolicies", "iam:ListAttachedRolePolicies"),
    Operation("iam", "GetPolicy", "iam:GetPolicy"),
    Operation("iam", "GetPolicyVersion", "iam:GetPolicyVersion"),
    Operation("iam", "ListInstanceProfilesForRole", "iam:ListInstanceProfilesForRole"),
    Operation("s3", "ListBuckets", "s3:ListAllMyBuckets"),
    Operation("s3", "GetBucketLocation", "s3:GetBucketLocation"),
    Operation("s3", "GetBucketPolicy", "s3:GetBucketPolicy"),
    Operation("s3", "GetBucketCors", "s3:GetBucketCORS"),
    Operation("s3", "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
    Operation("s3", "GetBucketTagging", "s3:GetBucketTagging"),
    Operation("ec2", "DescribeVpcs", "ec2:DescribeVpcs"),
    Operation("ec2", "DescribeVpcAttribute", "ec2:DescribeVpcAttribute"),
    Operation("ec2", "DescribeSubnets", "ec2:DescribeSubnets"),
    Operation("ec2", "DescribeRouteTables", "ec2:DescribeRouteTables"),
    Operation("ec2", "DescribeNatGateways", "ec2:DescribeNatGateways"),
    Operation("ec2", "DescribeInternetGateways", "ec2:DescribeInternetGateways"),
    Operation("ec2", "DescribeVpcEndpoints", "ec2:DescribeVpcEndpoints"),
    Operation("ec2", "DescribeSecurityGroups", "ec2:DescribeSecurityGroups"),
    Operation("ec2", "DescribeNetworkInterfaces", "ec2:DescribeNetworkInterfaces"),
    Operation("efs", "DescribeFileSystems", "elasticfilesystem:DescribeFileSystems"),
    Operation("efs", "DescribeMountTargets", "elasticfilesystem:DescribeMountTargets"),
    Operation("efs", "DescribeBackupPolicy", "elasticfilesystem:DescribeBackupPolicy"),
    Operation("efs", "DescribeFileSystemPolicy", "elasticfilesystem:DescribeFileSystemPolicy"),
    Operation("memorydb", "DescribeClusters", "memorydb:DescribeClusters"),
    Operation("memorydb", "DescribeSubnetGroups", "memorydb:DescribeSubnetGroups"),
    Operation("memorydb", "DescribeParameters", "memorydb:DescribeParameters"),
    Operation("memorydb", "ListTags", "memorydb:ListTags"),
)

BY_NAME = {(op.service, op.name): op for op in OPERATIONS}
# Assuming `--role-arn` is the one call outside the table: it reads nothing and changes
# nothing, and the policy it needs belongs to the caller, not to the audited account.
ASSUME_ROLE = ("sts", "AssumeRole")


def is_read_only(service: str, operation: str) -> bool:
    """Whether the read-only guard lets this operation through."""
    return operation.startswith(READ_PREFIXES) or (service, operation) == ASSUME_ROLE


def required_policy() -> dict[str, object]:
    """The minimal IAM policy `anyscale-lint live` needs, as a policy document."""
    actions = sorted({op.action for op in OPERATIONS})
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AnyscaleLintReadOnly", "Effect": "Allow", "Action": actions, "Resource": "*"}
        ],
    }


def required_policy_json() -> str:
    """The policy as indented JSON, for `--print-required-permissions`."""
    return json.dumps(required_policy(), indent=2) + "\n"
