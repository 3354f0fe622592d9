"""AWS IAM rules: trust of the two Anyscale roles, instance profile, least privilege."""

from __future__ import annotations

from anyscale_lint.checks.common import (
    ANYSCALE_S3_ACTIONS,
    bucket_arns,
    names_role,
    require,
    role_statements,
    unknown_policies,
)
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.iam.actions import display_name, expand_actions
from anyscale_lint.iam.analysis import (
    allowed_actions,
    condition_values,
    covers_resource,
    is_anyone,
    joined,
    narrowing_conditions,
    principal_values,
)
from anyscale_lint.iam.principals import principal_account
from anyscale_lint.model import (
    IamRole,
    InstanceProfile,
    Origin,
    PolicyDocument,
    Statement,
    Unknown,
    is_known,
)

# Conditions that pin a trusted caller to a fixed identity (sts:ExternalId is not a secret).
_TRUST_NARROWING = {"aws:principalaccount", "aws:principalorgid", "aws:principalarn"}


def _trust(ctx: CheckContext, role: IamRole) -> PolicyDocument | None:
    """The role's trust policy, recording unknown/failed outcomes when it is not usable."""
    document = role.trust_policy
    if isinstance(document, Unknown):
        ctx.unknown(
            role, f"The trust policy of {role.address} is not known: {ctx.explain(document)}."
        )
        return None
    if document is None:
        ctx.fail(role, f"{role.address} has no trust policy (assume_role_policy).", value="(none)")
        return None
    return document


def _assume_role(statement: Statement) -> bool:
    actions = allowed_actions(statement)
    return not isinstance(actions, Unknown) and "sts:assumerole" in actions


def _trusted(document: PolicyDocument) -> list[str]:
    """Whom a trust policy names, for messages: AWS principals, then `service X`."""
    principals = sorted({p for s in document.statements for p in principal_values(s, "AWS")})
    services = sorted({p for s in document.statements for p in principal_values(s, "Service")})
    return [*principals, *(f"service {s}" for s in services)] or ["no principal"]


def _anyscale_statements(document: PolicyDocument, account: str) -> list[Statement]:
    return [
        s
        for s in document.statements
        if s.is_allow and any(principal_account(p) == account for p in principal_values(s, "AWS"))
    ]


@rule("AWS-IAM-001")
def control_plane_trust_principal(ctx: CheckContext) -> None:
    role = ctx.deployment.control_plane_role
    if not require(ctx, role, "control-plane role") or role is None:
        return
    document = _trust(ctx, role)
    if document is None:
        return
    account = ctx.settings.anyscale_account_id
    if any(_assume_role(s) for s in _anyscale_statements(document, account)):
        ctx.passed(role)
        return
    unresolved = [
        p for s in document.statements for p in principal_values(s, "AWS") if not is_known(p)
    ]
    if unresolved:
        ctx.unknown(
            role,
            f"The trusted principal of {role.address} is not known: {ctx.explain(unresolved[0])}.",
            value=unresolved[0],
        )
        return
    trusted = _trusted(document)
    ctx.fail(
        role,
        f"{role.address} does not let Anyscale's account {account} assume it (sts:AssumeRole); "
        f"its trust policy names {joined(trusted)}.",
        value=", ".join(trusted),
        location=document.origin,
    )


@rule("AWS-IAM-002")
def trust_policy_too_broad(ctx: CheckContext) -> None:
    control_plane = ctx.deployment.control_plane_role
    account = ctx.settings.anyscale_account_id
    allowed_accounts = {account, *ctx.parameters.get("extra_trusted_accounts", [])}
    for role in ctx.targets(IamRole):
        document = role.trust_policy
        if not isinstance(document, PolicyDocument):
            if isinstance(document, Unknown):
                ctx.unknown(
                    role,
                    f"The trust policy of {role.address} is not known: {ctx.explain(document)}.",
                )
            continue
        problems = []
        for statement in document.statements:
            if not statement.is_allow or any(
                c.key.lower() in _TRUST_NARROWING for c in narrowing_conditions(statement)
            ):
                continue
            if is_anyone(statement):
                problems.append("`*` (anyone)")
            elif role is control_plane:
                foreign = [
                    p
                    for p in principal_values(statement, "AWS")
                    if is_known(p) and principal_account(p) not in allowed_accounts
                ]
                problems.extend(f"`{p}`" for p in foreign)
        if problems:
            ctx.fail(
                role,
                f"The trust policy of {role.address} lets {', '.join(problems)} assume it without "
                "a condition that narrows the caller.",
                value=", ".join(p.strip("`") for p in problems),
                location=document.origin,
            )
        else:
            ctx.passed(role)


@rule("AWS-IAM-003")
def control_plane_external_id(ctx: CheckContext) -> None:
    role = ctx.deployment.control_plane_role
    if not require(ctx, role, "control-plane role") or role is None:
        return
    document = _trust(ctx, role)
    if document is None:
        return
    statements = _anyscale_statements(document, ctx.settings.anyscale_account_id)
    if not statements:
        ctx.not_evaluated(role, "no trust statement names Anyscale's account (see AWS-IAM-001)")
        return
    for statement in statements:
        values = condition_values(statement, "StringEquals", "sts:ExternalId")
        if values is None:
            ctx.fail(
                role,
                f"The trust statement for Anyscale's account in {role.address} has no "
                "StringEquals sts:ExternalId condition.",
                value="(no condition)",
                location=statement.origin,
            )
            return
        unresolved = [v for v in values if not is_known(v)]
        if unresolved:
            ctx.unknown(
                role,
                f"The sts:ExternalId of {role.address} is not known: {ctx.explain(unresolved[0])}.",
                value=unresolved[0],
                location=statement.origin,
            )
            return
        bad = [v for v in values if not v.startswith(("cld_", "org_"))]
        if bad:
            ctx.fail(
                role,
                f"The sts:ExternalId of {role.address} is {joined(bad)}: it must be the cloud ID "
                "(cld_...) or org-prefixed (org_...).",
                value=", ".join(bad),
                location=statement.origin,
            )
            return
    ctx.passed(role)


@rule("AWS-IAM-006")
def instance_role_trust(ctx: CheckContext) -> None:
    role = ctx.deployment.instance_role
    if not require(ctx, role, "instance role") or role is None:
        return
    document = _trust(ctx, role)
    if document is None:
        return
    if any(
        s.is_allow and _assume_role(s) and "ec2.amazonaws.com" in principal_values(s, "Service")
        for s in document.statements
    ):
        ctx.passed(role)
        return
    trusted = _trusted(document)
    ctx.fail(
        role,
        f"{role.address} does not let ec2.amazonaws.com assume it (sts:AssumeRole); "
        f"its trust policy names {joined(trusted)}.",
        value=", ".join(trusted),
        location=document.origin,
    )


@rule("AWS-IAM-007")
def instance_profile(ctx: CheckContext) -> None:
    role = ctx.deployment.instance_role
    if not require(ctx, role, "instance role") or role is None:
        return
    holding = [
        p
        for p in ctx.model.of_kind(InstanceProfile)
        if role.key in p.roles or any(names_role(str(r), role) for r in p.roles)
    ]
    if not holding:
        ctx.fail(
            role,
            f"No instance profile holds {role.address}; Anyscale launches nodes with an instance "
            "profile named like the role.",
            value="(no instance profile)",
        )
        return
    role_names = {role.name, f"${{{role.key}.name}}", f"${{{role.key}.id}}"} - {None}
    if isinstance(role.name, Unknown):
        role_names.add(f"${{{role.name.expression}}}")
    for profile in holding:
        if profile.name in role_names:
            ctx.passed(role)
            return
    unresolved = [p for p in holding if not is_known(p.name) and not isinstance(role.name, str)]
    if unresolved:
        ctx.unknown(
            role,
            f"The names of {role.address} and {unresolved[0].address} cannot be compared: "
            f"{ctx.explain(unresolved[0].name)}.",
        )
        return
    profile = holding[0]
    ctx.fail(
        role,
        f"{profile.address} holds {role.address} but is named {profile.name!s}, not the role's "
        f"name {role.name!s}; Anyscale looks the profile up by the role's name.",
        value=str(profile.name),
        location=profile.origin,
    )


def _s3_grants(statement: Statement) -> frozenset[str] | Unknown:
    actions = allowed_actions(statement)
    if isinstance(actions, Unknown):
        return actions
    return frozenset(a for a in actions if a.startswith("s3:"))


@rule("AWS-IAM-009")
def s3_access_scope(ctx: CheckContext) -> None:
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
                evidence=f"{label}:{','.join(wide)}",
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
            )
        elif unresolved:
            ctx.unknown(
                role, f"A policy of {role.address} is not known: {ctx.explain(unresolved[0])}."
            )
        else:
            ctx.passed(role)
