"""GCP identities: the workload identity provider Anyscale's control plane signs in through,
who may impersonate the access service account, and the node service account's roles
(REQUIREMENTS.md 3.5 and 3.6)."""

from __future__ import annotations

from anyscale_lint.checks.common import given_to_unread_module
from anyscale_lint.checks.gcp_common import (
    gcp_parts,
    grants_on,
    grants_to,
    members_of,
    missing_part,
)
from anyscale_lint.checks.gcp_conditions import Verdict, anyscale_role_prefix, judge_condition
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.gcp_values import WORKLOAD_IDENTITY_USER
from anyscale_lint.engine.registry import rule
from anyscale_lint.iam.accounts import looks_like_typo
from anyscale_lint.model import GcpIamGrant, Unknown, is_known, shape

_PRIMITIVE = ("roles/owner", "roles/editor")


@rule("GCP-WIF-001")
def wif_anyscale_account(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None:
        return
    provider = parts.identity_provider
    if provider is None:
        missing_part(ctx, "provider_name")
        return
    expected = ctx.settings.anyscale_account_id
    account = provider.aws_account_id
    if provider.provider_type != "aws" or account is None:
        ctx.fail(
            provider,
            f"{provider.address} is an {provider.provider_type.upper()} provider, not an AWS "
            f"provider for Anyscale's account {expected}: Anyscale's control plane signs in as "
            "an AWS role of that account, so it cannot impersonate the access service account.",
            value=f"provider type {provider.provider_type}",
        )
    elif not is_known(account):
        ctx.unknown(
            provider,
            f"The AWS account {provider.address} trusts is not known: {ctx.explain(account)}.",
        )
    elif account != expected:
        typo = (
            f" {account} looks like a typo of {expected}."
            if looks_like_typo(str(account), expected)
            else ""
        )
        ctx.fail(
            provider,
            f"{provider.address} trusts AWS account {account}, not Anyscale's account "
            f"{expected}: Anyscale's control plane cannot sign in through it and the backend's "
            f"access check fails.{typo}",
            value=f"aws account_id = {account}",
        )
    elif isinstance(provider.disabled, Unknown):
        ctx.unknown(
            provider,
            f"Whether {provider.address} is disabled is not known: "
            f"{ctx.explain(provider.disabled)}.",
        )
    elif provider.disabled:
        ctx.fail(
            provider,
            f"{provider.address} trusts Anyscale's account {expected} but is disabled: Anyscale's "
            "control plane cannot sign in through it.",
            value="disabled = true",
        )
    else:
        ctx.passed(provider, f"{provider.address} is an AWS provider for account {expected}.")


@rule("GCP-WIF-002")
def wif_attribute_condition(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None:
        return
    provider = parts.identity_provider
    if provider is None:
        missing_part(ctx, "provider_name")
        return
    prefix = anyscale_role_prefix(ctx.settings.anyscale_account_id)
    condition = provider.attribute_condition
    if condition is None or condition == "":
        ctx.fail(
            provider,
            f"{provider.address} has no attribute_condition: any role of the AWS account it "
            f"trusts may exchange tokens through it, not only Anyscale's role for your "
            f"organization. Restrict google.subject to {prefix}<org_id>.",
            value="no attribute_condition",
        )
        return
    if isinstance(condition, Unknown):
        ctx.unknown(
            provider,
            f"The attribute_condition of {provider.address} is not known: "
            f"{ctx.explain(condition)}.",
        )
        return
    verdict = judge_condition(shape(condition), ctx.settings.anyscale_account_id)
    if verdict.outcome == "pass":
        ctx.passed(provider, f"{provider.address} admits only {verdict.detail}.")
    elif verdict.outcome == "unknown":
        ctx.unknown(
            provider,
            f"Whether the attribute_condition of {provider.address} restricts google.subject to "
            f"Anyscale's role is not known: {ctx.explain(condition)}.",
        )
    else:
        ctx.fail(
            provider,
            f"The attribute_condition of {provider.address} ({condition}) {verdict.detail}; "
            f"restrict google.subject to {prefix}<org_id>.",
            value=str(condition),
        )


def _member_verdict(member: object, account: str) -> Verdict:
    """Whether a workload identity member is Anyscale's role only (pass), a wider set
    (fail), or cannot be read (unknown); members that are not federated identities pass."""
    text = shape(member) if isinstance(member, str) else None
    if text is None:
        return Verdict("unknown", "the member is not known")
    if text.startswith("principal://"):
        return Verdict("pass", "one federated identity")
    if not text.startswith("principalSet://"):
        if "\0" in text and not text.split("\0", 1)[0]:
            return Verdict("unknown", "the member is not known")
        return Verdict("pass", "not a federated identity")
    if text.rstrip("/").endswith("/*"):
        return Verdict("fail", f"{member} (every identity of the pool)")
    marker = "/attribute.aws_role/"
    if marker not in text:
        return Verdict("fail", f"{member} (a set of identities other than Anyscale's role)")
    role = text.split(marker, 1)[1]
    prefix = anyscale_role_prefix(account)
    if "\0" in role.split("gcp_if_", 1)[0]:
        return Verdict("unknown", "the role it names is not known")
    if role.startswith(prefix) and len(role) > len(prefix):
        return Verdict("pass", "Anyscale's role")
    return Verdict("fail", f"{member} (not Anyscale's role {prefix}<org_id>)")


@rule("GCP-WIF-003")
def wif_binding_scope(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None:
        return
    access = parts.access_service_account
    if access is None:
        missing_part(ctx, "anyscale_service_account")
        return
    account = ctx.settings.anyscale_account_id
    grants, maybe = grants_on(ctx, "service_account", access)
    binding = [g for g in grants if g.role == WORKLOAD_IDENTITY_USER]
    unread = [g for g in grants if not is_known(g.role)]
    maybe = [g for g in maybe if g.role == WORKLOAD_IDENTITY_USER or not is_known(g.role)]
    anyscale = False
    failed = False
    unsure: list[GcpIamGrant] = []
    for grant in binding:
        members = members_of(grant)
        if isinstance(members, Unknown):
            unsure.append(grant)
            continue
        verdicts = [_member_verdict(member, account) for member in members]
        wide = [v.detail for v in verdicts if v.outcome == "fail"]
        if wide:
            failed = True
            ctx.fail(
                grant,
                f"{grant.address} grants {WORKLOAD_IDENTITY_USER} on {access.address} to "
                f"{', '.join(wide)}: any identity in it may act as the access service account "
                f"(roles/owner in Anyscale's setup). Grant it to principalSet://.../attribute."
                f"aws_role/{anyscale_role_prefix(account)}<org_id> only.",
                value=", ".join(wide),
                location=grant.origin,
            )
        elif any(v.outcome == "unknown" for v in verdicts):
            unsure.append(grant)
        else:
            anyscale = anyscale or any(v.detail == "Anyscale's role" for v in verdicts)
    if failed:
        return
    if unsure or unread or maybe:
        grant = (unsure or unread or maybe)[0]
        cause = grant.members if unsure else grant.role if unread else grant.target
        ctx.unknown(
            grant,
            f"Whom {grant.address} lets impersonate {access.address} is not known: "
            f"{ctx.explain(cause)}.",
            location=grant.origin,
        )
    elif anyscale:
        ctx.passed(access, f"Only Anyscale's role may impersonate {access.address}.")
    elif not given_to_unread_module(ctx, access, f"{WORKLOAD_IDENTITY_USER} grant"):
        ctx.fail(
            access,
            f"No {WORKLOAD_IDENTITY_USER} grant on {access.address} names Anyscale's role "
            f"(principalSet://.../attribute.aws_role/{anyscale_role_prefix(account)}<org_id>): "
            "Anyscale's control plane cannot impersonate it and the backend's access check fails.",
            value=f"no {WORKLOAD_IDENTITY_USER} for Anyscale's role",
        )


def _project(target: object) -> str:
    """`project acme` for an ID, or the resource name as written (`projects/acme`)."""
    text = str(target)
    return text if text.startswith("projects/") else f"project {text}"


@rule("GCP-IAM-001")
def primitive_roles_on_node_sa(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None:
        return
    node = parts.node_service_account
    if node is None:
        missing_part(ctx, "instance_service_account")
        return
    project_grants = [g for g in ctx.model.of_kind(GcpIamGrant) if g.target_kind == "project"]
    naming, unsure = grants_to(project_grants, node)
    primitive = [g for g in naming if g.role in _PRIMITIVE]
    for grant in primitive:
        ctx.fail(
            grant,
            f"{grant.address} grants {grant.role} on {_project(grant.target)} to the node service "
            f"account {node.address}: every Ray node, and any code run on a cluster, can then "
            "change or delete anything in the project. Grant roles/artifactregistry.reader and "
            "roles/logging.logWriter instead, plus the bucket roles the nodes need.",
            value=f"{grant.role} -> {node.address}",
            location=grant.origin,
            related=[(node.origin, node.address)],
        )
    if primitive:
        return
    unsure = [g for g in unsure if not is_known(g.role) or g.role in _PRIMITIVE]
    if unsure:
        grant = unsure[0]
        cause = grant.role if not is_known(grant.role) else grant.members
        ctx.unknown(
            grant,
            f"Whether {grant.address} grants a primitive role to {node.address} is not known: "
            f"{ctx.explain(cause)}.",
            location=grant.origin,
        )
    else:
        ctx.passed(node, f"{node.address} holds neither roles/owner nor roles/editor.")
