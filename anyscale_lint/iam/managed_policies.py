"""AWS managed policies that deployments commonly attach, with their documents, so rules can
judge them offline. Any other AWS managed policy is reported as not known, never assumed empty.

The documents are the policies' default versions as AWS publishes them (statements trimmed to
what grants access; Sids dropped).
"""

from __future__ import annotations

from typing import Any

from anyscale_lint.iam.policy import parse_document
from anyscale_lint.model import Origin, PolicyAttachment, Unknown

ARN_PREFIX = "arn:aws:iam::aws:policy/"


def _allow(actions: list[str], not_action: bool = False) -> dict[str, Any]:
    key = "NotAction" if not_action else "Action"
    return {"Effect": "Allow", key: actions, "Resource": "*"}


DOCUMENTS: dict[str, dict[str, Any]] = {
    "AdministratorAccess": {"Version": "2012-10-17", "Statement": [_allow(["*"])]},
    "PowerUserAccess": {
        "Version": "2012-10-17",
        "Statement": [
            _allow(["iam:*", "organizations:*", "account:*"], not_action=True),
            _allow(
                [
                    "iam:CreateServiceLinkedRole",
                    "iam:DeleteServiceLinkedRole",
                    "iam:ListRoles",
                    "organizations:DescribeOrganization",
                    "account:ListRegions",
                    "account:GetAccountInformation",
                ]
            ),
        ],
    },
    "IAMFullAccess": {"Version": "2012-10-17", "Statement": [_allow(["iam:*"])]},
    "AmazonS3FullAccess": {
        "Version": "2012-10-17",
        "Statement": [_allow(["s3:*", "s3-object-lambda:*"])],
    },
    "AmazonS3ReadOnlyAccess": {
        "Version": "2012-10-17",
        "Statement": [
            _allow(
                [
                    "s3:Get*",
                    "s3:List*",
                    "s3:Describe*",
                    "s3-object-lambda:Get*",
                    "s3-object-lambda:List*",
                ]
            )
        ],
    },
    "AmazonEC2ContainerRegistryReadOnly": {
        "Version": "2012-10-17",
        "Statement": [
            _allow(
                [
                    "ecr:GetAuthorizationToken",
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:GetRepositoryPolicy",
                    "ecr:DescribeRepositories",
                    "ecr:ListImages",
                    "ecr:DescribeImages",
                    "ecr:BatchGetImage",
                    "ecr:GetLifecyclePolicy",
                    "ecr:GetLifecyclePolicyPreview",
                    "ecr:ListTagsForResource",
                    "ecr:DescribeImageScanFindings",
                ]
            )
        ],
    },
}


def managed_document(name: str) -> dict[str, Any] | None:
    """The document of a known AWS managed policy (by name), or None."""
    return DOCUMENTS.get(name)


def aws_managed_attachment(arn: str, origin: Origin) -> PolicyAttachment:
    """An attached AWS managed policy: its document when known, else an Unknown saying so."""
    name = arn.removeprefix(ARN_PREFIX)
    document = managed_document(name)
    if document is None:
        reason = f"the AWS managed policy {name} is not among those anyscale-lint knows offline"
        return PolicyAttachment(name, "aws", Unknown(name, reason), arn, origin)
    return PolicyAttachment(name, "aws", parse_document(document, origin, name), arn, origin)
