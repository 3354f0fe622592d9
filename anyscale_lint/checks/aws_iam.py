"""AWS IAM rules: trust of the two Anyscale roles, instance profile, least privilege."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from anyscale_lint.checks.common import (
    given_to_unread_module,
    require,
    unknown_part,
)
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.iam.accounts import looks_like_typo
from anyscale_lint.iam.analysis import (
    allowed_actions,
    condition_values,
    is_anyone,
    joined,
    narrowing_conditions,
    principal_values,
)
from anyscale_lint.iam.principals import arn_partition, principal_account
from anyscale_lint.iam.roles import names_role, trusted_accounts
from anyscale_lint.model import (
    IamRole,
    InstanceProfile,
    Partial,
    PolicyDocument,
    Statement,
    Unknown,
    is_known,
    refers_to,
    unresolved_parts,
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


def _fail_untrusted(
    ctx: CheckContext, role: IamRole, document: PolicyDocument, who: str, note: str = ""
) -> None:
    """The role's trust policy does not let `who` assume it: say whom it does name."""
    trusted = _trusted(document)
    ctx.fail(
        role,
        f"{role.address} does not let {who} assume it (sts:AssumeRole); its trust policy names "
        f"{joined(trusted)}.{note}",
        value=", ".join(trusted),
        location=document.origin,
    )


def _trusted(document: PolicyDocument) -> list[str]:
    """Whom a trust policy names, for messages: AWS principals, then `service X`."""
    principals = sorted({p for s in document.statements for p in principal_values(s, "AWS")})
    services = sorted({p for s in document.statements for p in principal_values(s, "Service")})
    return [*principals, *(f"service {s}" for s in services)] or ["no principal"]


def _anyscale_statements(document: PolicyDocument, account: str) -> list[Statement]:
    return [s for s in document.statements if s.is_allow and _names_account(s, account)]


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
    _fail_untrusted(ctx, role, document, f"Anyscale's account {account}", _typo_note(role, account))


def _typo_note(role: IamRole, account: str) -> str:
    """Which trusted account, if any, looks like a slip typing Anyscale's."""
    typos = [a for a in trusted_accounts(role) if looks_like_typo(a, account)]
    if not typos:
        return ""
    return f" Account {typos[0]} looks like a typo of {account}: correct it to Anyscale's account."


@rule("AWS-IAM-002")
def trust_policy_too_broad(ctx: CheckContext) -> None:
    account = ctx.settings.anyscale_account_id
    allowed_accounts = {account, *ctx.parameters.get("extra_trusted_accounts", [])}
    # Foreign accounts are judged on every role of the deployment; `*` on every role judged.
    deployment_roles = {role.key for _, role in ctx.deployment.roles()}
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
        # Principals whose value is not known (an unread module's output): never a pass.
        unresolved: list[object] = []
        for statement in document.statements:
            if not statement.is_allow or any(
                c.key.lower() in _TRUST_NARROWING for c in narrowing_conditions(statement)
            ):
                continue
            if isinstance(statement.principals, Unknown):
                unresolved.append(statement.principals)
                continue
            unresolved += [
                p
                for p in principal_values(statement, "AWS")
                if unresolved_parts(p, ctx.model.unknown_reasons)
            ]
            if is_anyone(statement):
                problems.append("`*` (anyone)")
            elif role.key in deployment_roles:
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
        elif unresolved:
            ctx.unknown(
                role,
                f"Who may assume {role.address} is not known: {ctx.explain(unresolved[0])}.",
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
    _fail_untrusted(ctx, role, document, "ec2.amazonaws.com")


def _same_name(name: object, role: IamRole) -> bool:
    """Whether a profile's name is the role's: equal, a reference to it, or the same unknown."""
    if name is None:
        return False
    if name == role.name or refers_to(name, role.key, ("name", "id")):
        return True
    unknown = name.unknown if isinstance(name, Partial) else name
    return (
        isinstance(unknown, Unknown)
        and isinstance(role.name, Unknown)
        and unknown.expression == role.name.expression
    )


@rule("AWS-IAM-007")
def instance_profile(ctx: CheckContext) -> None:
    role = ctx.deployment.instance_role
    if not require(ctx, role, "instance role") or role is None:
        return
    holding = [
        p
        for p in ctx.model.of_kind(InstanceProfile)
        if role.key in p.roles or any(isinstance(r, str) and names_role(r, role) for r in p.roles)
    ]
    if not holding and given_to_unread_module(ctx, role, "instance profile"):
        return
    if not holding:
        ctx.fail(
            role,
            f"No instance profile holds {role.address}; Anyscale launches nodes with an instance "
            "profile named like the role.",
            value="(no instance profile)",
        )
        return
    for profile in holding:
        if _same_name(profile.name, role):
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


@rule("AWS-IAM-004")
def trust_action_form(ctx: CheckContext) -> None:
    names_anyscale = partial(_names_account, account=ctx.settings.anyscale_account_id)
    subjects: list[tuple[IamRole | None, str, Callable[[Statement], bool]]] = [
        (ctx.deployment.control_plane_role, "warn", names_anyscale),
        (ctx.deployment.instance_role, "error", _trusts_ec2),
    ]
    for role, effect, relevant in subjects:
        if role is None:
            continue
        document = _trust(ctx, role)
        if document is None:
            continue
        bad = [
            s
            for s in document.statements
            if s.is_allow
            and relevant(s)
            and (s.action_form != "string" or s.actions != ("sts:AssumeRole",))
        ]
        if not bad:
            ctx.passed(role)
            continue
        actions = bad[0].actions
        written = (
            str(actions) if isinstance(actions, Unknown) else '["' + '", "'.join(actions) + '"]'
        )
        verdict = "warns" if effect == "warn" else "fails with an error"
        ctx.fail(
            role,
            f"The trust statement of {role.address} writes Action as {written}; Anyscale's "
            "verifier "
            f'compares it with the string "sts:AssumeRole" and {verdict}.',
            value=written,
            location=bad[0].origin,
        )


def _names_account(statement: Statement, account: str) -> bool:
    return any(principal_account(p) == account for p in principal_values(statement, "AWS"))


def _trusts_ec2(statement: Statement) -> bool:
    return "ec2.amazonaws.com" in principal_values(statement, "Service")


@rule("AWS-IAM-013")
def roles_same_account(ctx: CheckContext) -> None:
    command = ctx.deployment.register_command
    parts = (
        ("control-plane role", "anyscale-iam-role-id", ctx.deployment.control_plane_role),
        ("instance role", "instance-iam-role-id", ctx.deployment.instance_role),
    )
    arns: list[tuple[str, IamRole | str, object]] = []
    for part, flag, role in parts:
        # A literal ARN given to registration wins: it may name a role outside the code.
        given = command.flags.get(flag) if command else None
        arn = (
            given
            if isinstance(given, str) and given and is_known(given)
            else role.arn
            if role
            else None
        )
        if arn is None:
            if not unknown_part(ctx, part):
                ctx.not_evaluated(
                    ctx.deployment.key, f"the {part}'s ARN is not known from the inputs"
                )
            return
        arns.append((part, role or ctx.deployment.key, arn))
    subject = arns[0][1]
    literal = [(part, str(arn)) for part, _, arn in arns if isinstance(arn, str) and is_known(arn)]
    for part, arn in literal:
        if arn_partition(arn) != "aws":
            ctx.fail(
                subject,
                f"The {part} ARN {arn} is in partition {arn_partition(arn)}; Anyscale supports "
                "only the commercial aws partition.",
                value=arn,
            )
            return
    if len(literal) == 2:
        accounts = sorted({str(principal_account(arn)) for _, arn in literal})
        if len(accounts) > 1:
            ctx.fail(
                subject,
                f"The control-plane and instance roles are in different accounts: {literal[0][1]} "
                f"and {literal[1][1]}.",
                value=", ".join(accounts),
            )
        else:
            ctx.passed(subject)
    elif not literal and ctx.model.single_account:
        # Both roles are declared in this root, under its provider configuration: one account.
        ctx.passed(subject)
    else:
        ctx.unknown(
            subject, "The account of one of the two role ARNs is not known from the inputs."
        )
