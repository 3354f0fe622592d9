"""Rule logic, one small module per area; importing this package registers every check."""

from anyscale_lint.checks import aws_iam, aws_network, aws_s3, aws_security_groups, core

__all__ = ["aws_iam", "aws_network", "aws_s3", "aws_security_groups", "core"]
