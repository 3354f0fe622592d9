"""Rule logic, one small module per area; importing this package registers every check."""

from anyscale_lint.checks import (
    aws_efs,
    aws_iam,
    aws_iam_permissions,
    aws_memorydb,
    aws_network,
    aws_register_inputs,
    aws_registration,
    aws_s3,
    aws_security_groups,
    core,
)

__all__ = [
    "aws_efs",
    "aws_iam",
    "aws_iam_permissions",
    "aws_memorydb",
    "aws_network",
    "aws_register_inputs",
    "aws_registration",
    "aws_s3",
    "aws_security_groups",
    "core",
]
