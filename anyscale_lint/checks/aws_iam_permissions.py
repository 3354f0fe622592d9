"""AWS IAM rules on what the Anyscale roles may do: least privilege, admin wildcards, and the
permissions Anyscale's verifier expects."""

from __future__ import annotations

import functools

from anyscale_lint.checks.anyscale_actions import EC2_STEADY_STATE, SERVICES_V2
from anyscale_lint.checks.common import (
    ANYSCALE_S3_ACTIONS,
    given_to_unread_module,
    not_identified,
    require,
    role_statements,
    unknown_policies,
    unknown_roles,
)
from anyscale_lint.checks.policy_targets import (
    judges_every_policy,
    policy_holders,
    statement_key,
    statement_name,
)
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.iam.actions import display_name, expand_actions
from anyscale_lint.iam.analysis import allowed_actions, covers_resource, joined, principal_values
from anyscale_lint.iam.roles import bucket_arns, names_role
from anyscale_lint.model import IamRole, Origin, PolicyDocument, Statement, Unknown, shape


def _s3_grants(statement: Statement) -> frozenset[str] | Unknown:
    actions = allowed_actions(statement)
    if isinstance(actions, Unknown):
        return actions
    return _s3_only(actions)


@functools.lru_cache(maxsize=1024)
def _s3_only(actions: frozenset[str]) -> frozenset[str]:
    # Statements with the same actions share one expanded set (allowed_actions is cached), which
    # for `*` or NotAction holds every action of the table: filter it once, not per rule.
    return frozenset(a for a in actions if a.startswith("s3:"))


@rule("AWS-IAM-009")
def s3_access_scope(ctx: CheckContext) -> None:
    unknown_roles(ctx)
    for holder in policy_holders(ctx):
        broad = 0
        for attachment, number, statement in holder.statements():
            wide = _broad_s3(statement)
            if not wide:
                continue
            broad += 1
            name = statement_name(attachment, number, statement)
            ctx.fail(
                holder.subject,
                f"The {holder.described} grants S3 actions on {joined(wide)} in {name}; scope "
                "them to the Anyscale bucket and its objects.",
                value=", ".join(wide),
                location=statement.origin,
                evidence=f"{statement_key(attachment.label, statement)}:{','.join(wide)}",
            )
        if broad:
            continue
        if holder.unknown_policies():
            policy = holder.unknown_policies()[0]
            ctx.unknown(
                holder.subject,
                f"A policy of {holder.subject.address} is not known: "
                f"{ctx.explain(policy.document)}.",
                location=policy.origin,
            )
        else:
            ctx.passed(holder.subject)


def _broad_s3(statement: Statement) -> list[str]:
    """The resources wider than one bucket on which an Allow statement grants S3 actions."""
    if not statement.is_allow or isinstance(statement.resources, Unknown):
        return []
    grants = _s3_grants(statement)
    if isinstance(grants, Unknown) or not grants:
        return []
    if statement.not_resource:
        return ["NotResource"]
    return [r for r in statement.resources if _wider_than_bucket(r)]


def _wider_than_bucket(resource: str) -> bool:
    # Only the known text can hold a wildcard; unresolved parts are one placeholder each.
    text = shape(resource)
    if text in ("*", "arn:aws:s3:::*", "arn:*:s3:::*"):
        return True
    if not text.lower().startswith(("arn:aws:s3:::", "arn:*:s3:::")):
        return text.startswith("arn:") and "*" in text.split(":")[2]
    bucket = text.split(":::", 1)[1].split("/", 1)[0]
    return "*" in bucket or "?" in bucket


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
    parts = {role.key: part for part, role in ctx.deployment.roles()}
    roles = [(parts.get(role.key, "role"), role) for role in ctx.targets(IamRole)]
    for holder in policy_holders(ctx, roles):
        offending = 0
        unresolved: list[object] = [a.document for a in holder.unknown_policies()]
        admin = [
            a for a in holder.attachments if a.kind == "aws" and a.label == "AdministratorAccess"
        ]
        for attachment in admin:
            offending += 1
            ctx.fail(
                holder.subject,
                f"The {holder.described} has administrator-level access: AdministratorAccess "
                "attached.",
                value="AdministratorAccess attached",
                location=attachment.origin,
                evidence="AdministratorAccess attached",
            )
        for attachment, number, statement in holder.statements():
            if attachment in admin:
                continue  # reported as the attachment above
            if isinstance(statement.actions, Unknown) or isinstance(statement.resources, Unknown):
                unresolved.append(
                    statement.actions
                    if isinstance(statement.actions, Unknown)
                    else statement.resources
                )
                continue
            patterns = (
                {a.lower() for a in statement.actions} & _ADMIN_PATTERNS
                if statement.is_allow and not statement.not_action
                else set()
            )
            if patterns and "*" in statement.resources:
                offending += 1
                name = statement_name(attachment, number, statement)
                grant = f"{', '.join(sorted(patterns))} on *"
                ctx.fail(
                    holder.subject,
                    f"The {holder.described} has administrator-level access: {grant} in {name}.",
                    value=f"{grant} in {name}",
                    location=statement.origin,
                    evidence=f"{statement_key(attachment.label, statement)}:{grant}",
                )
        if offending:
            continue
        if unresolved:
            ctx.unknown(
                holder.subject,
                f"A policy of {holder.subject.address} is not known: {ctx.explain(unresolved[0])}.",
            )
        else:
            ctx.passed(holder.subject)


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
    if role is None and not judges_every_policy(ctx):
        not_identified(ctx, "control-plane role")
        return
    for holder in policy_holders(ctx, [("control-plane role", role)] if role else []):
        offending = 0
        unresolved: list[object] = [a.document for a in holder.unknown_policies()]
        for attachment, number, statement in holder.statements():
            if not statement.is_allow:
                continue
            actions = allowed_actions(statement)
            if isinstance(actions, Unknown) or isinstance(statement.resources, Unknown):
                unresolved.append(actions if isinstance(actions, Unknown) else statement.resources)
                continue
            if "iam:passrole" in actions and ("*" in statement.resources or statement.not_resource):
                offending += 1
                scope = (
                    "every role but those NotResource names" if statement.not_resource else '"*"'
                )
                name = statement_name(attachment, number, statement)
                ctx.fail(
                    holder.subject,
                    f"The {holder.described} allows iam:PassRole on {scope} in {name}; scope "
                    "it to the instance role's ARN so the control plane can pass no other role.",
                    value=f"iam:PassRole on {scope}",
                    location=statement.origin,
                    evidence=f"{statement_key(attachment.label, statement)}:PassRole {scope}",
                )
        if offending:
            continue
        if unresolved:
            ctx.unknown(
                holder.subject,
                f"A policy of {holder.subject.address} is not known: {ctx.explain(unresolved[0])}.",
            )
        else:
            ctx.passed(holder.subject)
