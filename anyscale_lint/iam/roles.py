"""Questions about roles and buckets, answered once: who a role trusts, which principal or
flag value names it, whether it is granted a bucket.

Identification, the checks, the register-input matching and the readiness report all ask
these; keeping one answer keeps them from disagreeing.
"""

from __future__ import annotations

from anyscale_lint.iam.analysis import allowed_actions, covers_resource, principal_values
from anyscale_lint.iam.principals import principal_account
from anyscale_lint.model import IamRole, PolicyDocument, S3Bucket, Statement, Unknown, is_known
from anyscale_lint.model.values import joined_text, refers_to

EC2_SERVICE = "ec2.amazonaws.com"


def trusted_accounts(role: IamRole) -> list[str]:
    """The AWS accounts whose principals the role's trust policy allows, in statement order."""
    document = role.trust_policy
    if not isinstance(document, PolicyDocument):
        return []
    accounts = (
        principal_account(value)
        for statement in document.statements
        if statement.is_allow
        for value in principal_values(statement, "AWS")
    )
    return list(dict.fromkeys(a for a in accounts if a is not None))


def trusts_account(role: IamRole, account: str) -> bool:
    """Whether the role's trust policy allows a principal of this AWS account."""
    return account in trusted_accounts(role)


def assumable_by_accounts(role: IamRole) -> list[str]:
    """The AWS accounts an Allow `sts:AssumeRole` statement of the trust policy names: whom a
    cross-account role lets in (the shape of Anyscale's control-plane role)."""
    document = role.trust_policy
    if not isinstance(document, PolicyDocument):
        return []
    accounts = (
        principal_account(value)
        for statement in document.statements
        if statement.is_allow and _assume_role(statement)
        for value in principal_values(statement, "AWS")
    )
    return list(dict.fromkeys(a for a in accounts if a is not None))


def is_cross_account(role: IamRole) -> bool:
    """Whether an AWS account's principals may assume the role (whichever account it is)."""
    return bool(assumable_by_accounts(role))


def requires_external_id(role: IamRole) -> bool:
    """Whether an Allow statement of the trust policy has an `sts:ExternalId` condition."""
    document = role.trust_policy
    if not isinstance(document, PolicyDocument):
        return False
    return any(
        statement.is_allow
        and not isinstance(statement.conditions, Unknown)
        and any(c.key.lower() == "sts:externalid" for c in statement.conditions)
        for statement in document.statements
    )


def _assume_role(statement: Statement) -> bool:
    actions = allowed_actions(statement)
    return not isinstance(actions, Unknown) and "sts:assumerole" in actions


def trusts_service(role: IamRole, service: str = EC2_SERVICE) -> bool:
    """Whether the role's trust policy allows this AWS service (`ec2.amazonaws.com`)."""
    document = role.trust_policy
    if not isinstance(document, PolicyDocument):
        return False
    return any(
        statement.is_allow and service in principal_values(statement, "Service")
        for statement in document.statements
    )


def _literal_name(role: IamRole) -> str | None:
    name = role.name
    return name if isinstance(name, str) and name and is_known(name) else None


def names_role(value: str, role: IamRole) -> bool:
    """Whether a principal or a register flag value names the role: its ARN (literal or the
    reference to it), its key, its unique ID reference, its name, or an ARN ending in
    `:role/<name>` or `/<path>/<name>`."""
    if value in (role.arn, role.key) or refers_to(value, role.key, ("arn", "name", "unique_id")):
        return True
    name = _literal_name(role)
    return name is not None and (value == name or value.endswith((f":role/{name}", f"/{name}")))


def bucket_arns(bucket: S3Bucket) -> tuple[str, str]:
    """The bucket's ARN and its objects' ARN pattern (literal, or partly known)."""
    arn = bucket.arn if isinstance(bucket.arn, str) else str(bucket.arn)
    return arn, joined_text(arn, "/*")


def _grants(statement: Statement, bucket: S3Bucket) -> bool:
    if not statement.is_allow or isinstance(allowed_actions(statement), Unknown):
        return False
    # A statement on every resource grants every bucket alike: it does not single one out.
    if isinstance(statement.resources, tuple) and "*" in statement.resources:
        return False
    if isinstance(statement.resources, tuple) and any(
        refers_to(resource, bucket.key, ("arn",)) for resource in statement.resources
    ):
        return True
    return any(covers_resource(statement, arn) is True for arn in bucket_arns(bucket))


def is_granted_bucket(role: IamRole, bucket: S3Bucket) -> bool:
    """Whether the role's permissions name the bucket, or the bucket policy names the role."""
    for attachment in role.policies:
        document = attachment.document
        if isinstance(document, PolicyDocument) and any(
            _grants(statement, bucket) for statement in document.statements
        ):
            return True
    policy = bucket.policy
    if isinstance(policy, PolicyDocument):
        return any(
            names_role(value, role)
            for statement in policy.statements
            if statement.is_allow
            for value in principal_values(statement, "AWS")
        )
    return False
