"""AWS IAM rules on what the Anyscale roles may do: least privilege, admin wildcards, and the
permissions Anyscale's verifier expects."""

from __future__ import annotations

from anyscale_lint.checks.anyscale_actions import EC2_STEADY_STATE, SERVICES_V2
from anyscale_lint.checks.common import (
    ANYSCALE_S3_ACTIONS,
    given_to_unread_module,
    require,
    role_statements,
    unknown_policies,
    unknown_roles,
)
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.iam.actions import display_name, expand_actions
from anyscale_lint.iam.analysis import allowed_actions, covers_resource, joined, principal_values
from anyscale_lint.iam.roles import bucket_arns, names_role
from anyscale_lint.model import IamRole, Origin, PolicyDocument, Statement, Unknown


def _s3_grants(statement: Statement) -> frozenset[str] | Unknown:
    actions = allowed_actions(statement)
    if isinstance(actions, Unknown):
        return actions
    return frozenset(a for a in actions if a.startswith("s3:"))


@rule("AWS-IAM-009")
def s3_access_scope(ctx: CheckContext) -> None:
    unknown_roles(ctx)
    for part, role in ctx.deployment.roles():
        broad = []
        for attachment, statement in role_statements(role):
            if not statement.is_allow:
                continue
            grants = _s3_grants(statement)
            if (
                isinstance(grants, Unknown)
                or not grants
                or isinstance(statement.resources, Unknown)
            ):
                continue
            wide = (
                [r for r in statement.resources if _wider_than_bucket(r)]
                if not statement.not_resource
                else ["NotResource"]
            )
            if wide:
                broad.append((attachment.label, statement, wide))
        if broad:
            label, statement, wide = broad[0]
            ctx.fail(
                role,
                f"The {part} {role.address} grants S3 actions on {joined(wide)} in {label}; scope "
                "them to the Anyscale bucket and its objects.",
                value=", ".join(wide),
                location=statement.origin,
                # Every broad policy, sorted: the first one depends on the order of the files.
                evidence=";".join(
                    sorted(f"{policy}:{','.join(arns)}" for policy, _, arns in broad)
                ),
            )
        elif unknown_policies(role):
            policy = unknown_policies(role)[0]
            ctx.unknown(
                role,
                f"A policy of {role.address} is not known: {ctx.explain(policy.document)}.",
                location=policy.origin,
            )
        else:
            ctx.passed(role)


def _wider_than_bucket(resource: str) -> bool:
    if resource in ("*", "arn:aws:s3:::*", "arn:*:s3:::*"):
        return True
    if not resource.lower().startswith(("arn:aws:s3:::", "arn:*:s3:::")):
        return resource.startswith("arn:") and "*" in resource.split(":")[2]
    bucket = resource.split(":::", 1)[1].split("/", 1)[0]
    return "*" in bucket.replace("${", "") or "?" in bucket


@rule("AWS-IAM-010")
def s3_actions_least_privilege(ctx: CheckContext) -> None:
    bucket = ctx.deployment.bucket
    allowed = ANYSCALE_S3_ACTIONS | {
        a.lower() for a in expand_actions(ctx.parameters.get("extra_s3_actions", []))[0]
    }
    targets = bucket_arns(bucket) if bucket else None
    unknown_roles(ctx)
    for part, role in ctx.deployment.roles():
        granted: dict[str, set[str]] = {}
        where: dict[str, Origin] = {}
        unresolved: list[object] = []
        for attachment, statement in role_statements(role):
            if not statement.is_allow:
                continue
            if targets and not any(covers_resource(statement, t) is True for t in targets):
                continue
            grants = _s3_grants(statement)
            if isinstance(grants, Unknown):
                unresolved.append(grants)
                continue
            for action in grants - allowed:
                granted.setdefault(action, set()).add(attachment.label)
                where.setdefault(attachment.label, statement.origin)
        if bucket is not None and isinstance(bucket.policy, PolicyDocument):
            for statement in bucket.policy.statements:
                if statement.is_allow and any(
                    names_role(p, role) for p in principal_values(statement, "AWS")
                ):
                    grants = _s3_grants(statement)
                    if not isinstance(grants, Unknown):
                        for action in grants - allowed:
                            granted.setdefault(action, set()).add(bucket.policy.label)
                            where.setdefault(bucket.policy.label, statement.origin)
        if granted:
            names = [display_name(a) for a in sorted(granted, key=_riskiest_first)]
            shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
            sources = sorted({label for labels in granted.values() for label in labels})
            ctx.fail(
                role,
                f"The {part} {role.address} is granted S3 actions beyond Anyscale's documented "
                "set: "
                f"{shown} (in {', '.join(sources)}).",
                value=shown,
                evidence=",".join(names),
                location=where[sources[0]],
                related=[(role.origin, role.address)],
            )
        elif unresolved or unknown_policies(role):
            cause = unresolved[0] if unresolved else unknown_policies(role)[0].document
            ctx.unknown(
                role, f"Some S3 grants of {role.address} are not known: {ctx.explain(cause)}."
            )
        else:
            ctx.passed(role)


# Excess S3 actions that hurt most, named first in messages: they change who can reach the
# bucket, or destroy it and its protections.
_RISKY_S3 = tuple(
    action.lower()
    for action in (
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketAcl",
        "s3:PutObjectAcl",
        "s3:PutBucketPublicAccessBlock",
        "s3:DeleteBucket",
        "s3:PutBucketCORS",
        "s3:PutLifecycleConfiguration",
        "s3:BypassGovernanceRetention",
    )
)


def _riskiest_first(action: str) -> tuple[int, str]:
    return (_RISKY_S3.index(action) if action in _RISKY_S3 else len(_RISKY_S3), action)


_ADMIN_PATTERNS = {"*", "*:*", "iam:*", "sts:*"}


@rule("AWS-IAM-011")
def admin_wildcard(ctx: CheckContext) -> None:
    for role in ctx.targets(IamRole):
        offending = []
        unresolved: list[object] = [a.document for a in unknown_policies(role)]
        for attachment in role.policies:
            if attachment.kind == "aws" and attachment.label == "AdministratorAccess":
                offending.append(("AdministratorAccess attached", attachment.origin))
        for attachment, statement in role_statements(role):
            if isinstance(statement.actions, Unknown) or isinstance(statement.resources, Unknown):
                unresolved.append(
                    statement.actions
                    if isinstance(statement.actions, Unknown)
                    else statement.resources
                )
                continue
            if not statement.is_allow:
                continue
            patterns = (
                {a.lower() for a in statement.actions} & _ADMIN_PATTERNS
                if not statement.not_action
                else set()
            )
            if patterns and "*" in statement.resources:
                offending.append(
                    (f"{', '.join(sorted(patterns))} on * in {attachment.label}", statement.origin)
                )
        if offending:
            text, where = offending[0]
            ctx.fail(
                role,
                f"{role.address} has administrator-level access: {text}.",
                value=text,
                location=where,
                # Every offending grant, sorted: the first one depends on the order of the files.
                evidence="; ".join(sorted({grant for grant, _ in offending})),
            )
        elif unresolved:
            ctx.unknown(
                role, f"A policy of {role.address} is not known: {ctx.explain(unresolved[0])}."
            )
        else:
            ctx.passed(role)


def _granted(role: IamRole) -> tuple[set[str], list[object]]:
    """Actions the role's policies allow (wildcards expanded), and its unknown policies."""
    granted: set[str] = set()
    unresolved: list[object] = [a.document for a in unknown_policies(role)]
    for _, statement in role_statements(role):
        if not statement.is_allow:
            continue
        actions = allowed_actions(statement)
        if isinstance(actions, Unknown):
            unresolved.append(actions)
        else:
            granted |= actions
    return granted, unresolved


def _required_actions(ctx: CheckContext, required: tuple[str, ...], purpose: str) -> None:
    role = ctx.deployment.control_plane_role
    if not require(ctx, role, "control-plane role") or role is None:
        return
    granted, unresolved = _granted(role)
    missing = [a for a in required if a.lower() not in granted]
    if not missing:
        ctx.passed(role)
    elif given_to_unread_module(ctx, role, f"policy allowing {purpose}"):
        return
    elif unresolved:
        ctx.unknown(
            role,
            f"Whether {role.address} allows {purpose} is not known: {ctx.explain(unresolved[0])}.",
        )
    else:
        shown = ", ".join(missing[:8]) + (
            f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        )
        ctx.fail(
            role,
            f"The control-plane role {role.address} lacks {len(missing)} action(s) Anyscale needs "
            "for "
            f"{purpose}: {shown}.",
            value=", ".join(missing),
            evidence=",".join(missing),
        )


@rule("AWS-IAM-005")
def control_plane_ec2_permissions(ctx: CheckContext) -> None:
    _required_actions(ctx, EC2_STEADY_STATE, "running clusters (EC2 steady state)")


@rule("AWS-IAM-014")
def control_plane_services_permissions(ctx: CheckContext) -> None:
    _required_actions(ctx, SERVICES_V2, "Anyscale services (load balancers, certificates, stacks)")


_ECR_READONLY = "AmazonEC2ContainerRegistryReadOnly"


@rule("AWS-IAM-008")
def ecr_readonly(ctx: CheckContext) -> None:
    role = ctx.deployment.instance_role
    if not require(ctx, role, "instance role") or role is None:
        return
    if any(a.kind == "aws" and a.label == _ECR_READONLY for a in role.policies):
        ctx.passed(role)
        return
    unresolved = [a for a in role.policies if a.kind == "customer" and isinstance(a.arn, Unknown)]
    if unresolved:
        ctx.unknown(
            role,
            f"A policy attached to {role.address} is not known: {ctx.explain(unresolved[0].arn)}.",
        )
        return
    if given_to_unread_module(ctx, role, f"attachment of {_ECR_READONLY}"):
        return
    ctx.fail(
        role,
        f"The instance role {role.address} lacks the AWS managed policy {_ECR_READONLY}; nodes "
        "cannot pull images from private ECR repositories.",
        value=f"no {_ECR_READONLY}",
    )


@rule("AWS-IAM-012")
def passrole_scope(ctx: CheckContext) -> None:
    role = ctx.deployment.control_plane_role
    if not require(ctx, role, "control-plane role") or role is None:
        return
    unresolved: list[object] = [a.document for a in unknown_policies(role)]
    for attachment, statement in role_statements(role):
        if not statement.is_allow:
            continue
        actions = allowed_actions(statement)
        if isinstance(actions, Unknown) or isinstance(statement.resources, Unknown):
            unresolved.append(actions if isinstance(actions, Unknown) else statement.resources)
            continue
        if "iam:passrole" in actions and ("*" in statement.resources or statement.not_resource):
            scope = "every role but those NotResource names" if statement.not_resource else '"*"'
            ctx.fail(
                role,
                f"{role.address} allows iam:PassRole on {scope} in {attachment.label}; scope it "
                "to the instance role's ARN so the control plane can pass no other role.",
                value=f"iam:PassRole on {scope}",
                location=statement.origin,
            )
            return
    if unresolved:
        ctx.unknown(role, f"A policy of {role.address} is not known: {ctx.explain(unresolved[0])}.")
    else:
        ctx.passed(role)
