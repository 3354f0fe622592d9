"""Which permissions policies a rule judges, and their statements one by one.

Normally the policies of the deployment's roles. Policy files were named by the user, so
there every policy is judged; under `--scope all` hygiene rules judge every policy of the
root, including those whose roles are declared elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from anyscale_lint.engine.context import CheckContext
from anyscale_lint.model import (
    IamPolicy,
    IamRole,
    PolicyAttachment,
    PolicyDocument,
    Resource,
    Statement,
    Unknown,
)


@dataclass(frozen=True)
class PolicyHolder:
    """A role or a policy resource whose permissions a rule judges."""

    # The resource results are about.
    subject: Resource
    # How messages name it: `control-plane role aws_iam_role.x`, `policy aws_iam_policy.y
    # (attached to ops)`.
    described: str
    attachments: tuple[PolicyAttachment, ...]

    def statements(self) -> Iterator[tuple[PolicyAttachment, int, Statement]]:
        """Every statement of its known policies, numbered from 1 within its policy."""
        for attachment in self.attachments:
            if isinstance(attachment.document, PolicyDocument):
                for number, statement in enumerate(attachment.document.statements, 1):
                    yield attachment, number, statement

    def unknown_policies(self) -> list[PolicyAttachment]:
        """Its policies whose content is not known."""
        return [a for a in self.attachments if isinstance(a.document, Unknown)]


def judges_every_policy(ctx: CheckContext) -> bool:
    """Whether the rule judges every policy of the model, not only the deployment's roles'."""
    return ctx.model.judge_all_resources or (ctx.settings.scope == "all" and ctx.meta.hygiene)


def policy_holders(
    ctx: CheckContext, roles: list[tuple[str, IamRole]] | None = None
) -> list[PolicyHolder]:
    """The holders a rule judges: `roles` (default: the deployment's), or every role and every
    policy no role of the model holds when the rule judges every policy."""
    chosen = ctx.deployment.roles() if roles is None else roles
    if not judges_every_policy(ctx):
        return [
            PolicyHolder(role, f"{part} {role.address}", role.policies) for part, role in chosen
        ]
    parts = {role.key: part for part, role in ctx.deployment.roles()}
    all_roles = list(ctx.model.of_kind(IamRole))
    holders = [
        PolicyHolder(role, f"{parts.get(role.key, 'role')} {role.address}", role.policies)
        for role in all_roles
    ]
    keys = {role.key for role in all_roles}
    for policy in ctx.model.of_kind(IamPolicy):
        if any(link in keys for link in policy.roles):
            continue  # judged with its role
        attachment = PolicyAttachment(
            policy.address, policy.attachment_kind, policy.document, None, policy.origin
        )
        holders.append(PolicyHolder(policy, _described(policy), (attachment,)))
    return holders


def _described(policy: IamPolicy) -> str:
    roles = [str(link) for link in policy.roles]
    if policy.attachment_kind == "document":
        return f"policy document {policy.address} (used by no policy in the scanned code)"
    if not roles:
        return f"policy {policy.address} (attached to no role in the scanned code)"
    whose = "inline policy of" if policy.attachment_kind == "inline" else "attached to"
    return f"policy {policy.address} ({whose} {', '.join(roles)})"


def statement_name(attachment: PolicyAttachment, number: int, statement: Statement) -> str:
    """`statement "Sid" of <policy>`, or `statement 2 of <policy>` without a Sid."""
    which = f'"{statement.sid}"' if statement.sid else str(number)
    return f"statement {which} of {attachment.label}"


def statement_key(label: str, statement: Statement) -> str:
    """A statement's identity for fingerprints: its Sid, else what it grants (never its
    number or line, which change when statements are added above it)."""
    if statement.sid:
        return f"{label}:{statement.sid}"
    return f"{label}:{statement.effect}:{statement.actions}:{statement.resources}"
