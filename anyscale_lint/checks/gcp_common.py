"""Helpers the GCP checks share: the deployment's GCP parts and why one is missing, and the
IAM grants on a resource or to a service account (what a link or member names is
engine/gcp_values.py's, which identification reads alike)."""

from __future__ import annotations

from collections.abc import Iterable

from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.gcp_values import matches, names_account
from anyscale_lint.engine.register_values import read_value
from anyscale_lint.engine.unresolved import why
from anyscale_lint.model import (
    GcpIamGrant,
    GcpParts,
    GcpServiceAccount,
    Origin,
    Partial,
    Resource,
    Unknown,
    is_known,
    unresolved_parts,
)
from anyscale_lint.providers.gcp import INPUTS_BY_KEY

# What the rules' messages call each register input (providers/gcp.py holds its flags); keys
# as in the readiness inputs of rules/GCP-*.yaml.
PART_NOUNS: dict[str, str] = {
    "project": "project",
    "vpc": "VPC network",
    "subnets": "node subnet",
    "firewall_policies": "network firewall policy",
    "anyscale_service_account": "access service account",
    "instance_service_account": "node service account",
    "provider_name": "workload identity provider",
    "bucket": "GCS bucket",
    "filestore": "Filestore instance",
    "memorystore": "Memorystore instance",
    "host_project": "shared VPC host project",
}
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")


def gcp_parts(ctx: CheckContext) -> GcpParts | None:
    """The deployment's GCP parts; records not-evaluated for a deployment of another cloud."""
    parts = ctx.deployment.gcp
    if parts is None:
        ctx.not_evaluated(ctx.deployment.key, "the deployment is not a GCP deployment")
    return parts


def register_origin(ctx: CheckContext) -> Origin | None:
    """Where findings about the deployment as a whole point: its register command, else the
    root's first file."""
    command = ctx.deployment.register_command
    return command.origin if command else ctx.model.first_file_span()


def flag_value(ctx: CheckContext, key: str) -> tuple[str, str | Unknown] | None:
    """The register command's flag (as documented) and value for an input, when given."""
    command = ctx.deployment.register_command
    if command is None:
        return None
    for flag in INPUTS_BY_KEY[key].flags:
        value = command.flags.get(flag)
        if value:
            return flag, value
    return None


def unresolved_flag(ctx: CheckContext, key: str) -> str | None:
    """Why the register command's value for an input is not known, else None (a reference to
    an attribute the provider computes names its resource, so it is known)."""
    given = flag_value(ctx, key)
    if given is None:
        return None
    flag, written = given
    parts = unresolved_parts(read_value(ctx.model, written).value, ctx.model.unknown_reasons)
    if not parts:
        return None
    command = ctx.deployment.register_command
    where = command.source if command and command.source else "the register command"
    return f"--{flag} in {where} is {written}: {why(ctx.model, parts)}"


def missing_part(ctx: CheckContext, key: str, *, optional: bool = False) -> None:
    """Record why a part the rule judges is absent: unknown when its value cannot be read or
    it may be declared in a module that was not read, else not-evaluated (saying whether the
    register command names one that this root does not declare)."""
    label = PART_NOUNS[key]
    subject = ctx.deployment.key
    reason = unresolved_flag(ctx, key)
    given = flag_value(ctx, key)
    if reason is None and ctx.model.unread_modules and (not optional or given):
        calls = ", ".join(call.describe() for call in ctx.model.unread_modules)
        reason = f"it may be declared in a module that was not read: {calls}"
    if reason is not None:
        ctx.unknown(
            subject,
            f"The deployment's {label} is not known: {reason}.",
            location=register_origin(ctx),
        )
    elif given is not None:
        flag, value = given
        ctx.not_evaluated(
            subject, f"the {label} --{flag} names ({value}) is not declared in the inputs read"
        )
    elif optional:
        ctx.not_evaluated(subject, f"the deployment has no {label}")
    else:
        ctx.not_evaluated(subject, f"the deployment's {label} was not identified")


# ---- links and members ------------------------------------------------------------------


def undecided(value: object) -> bool:
    """Whether a link or member is not known well enough to say what it names."""
    if isinstance(value, Partial):
        return value.ref is None
    return isinstance(value, Unknown)


def grants_on(
    ctx: CheckContext, target_kind: str, resource: Resource
) -> tuple[list[GcpIamGrant], list[GcpIamGrant]]:
    """The model's grants on the resource, and the grants of that kind whose target is not
    known (they may be on it)."""
    found: list[GcpIamGrant] = []
    maybe: list[GcpIamGrant] = []
    for grant in ctx.model.of_kind(GcpIamGrant):
        if grant.target_kind != target_kind:
            continue
        if matches(ctx.model, resource, grant.target):
            found.append(grant)
        elif undecided(grant.target):
            maybe.append(grant)
    return found, maybe


def members_of(grant: GcpIamGrant) -> tuple[object, ...] | Unknown:
    """A grant's members (Unknown when the whole list is not known)."""
    return grant.members if isinstance(grant.members, Unknown) else tuple(grant.members)


def grants_to(
    grants: Iterable[GcpIamGrant], account: GcpServiceAccount
) -> tuple[list[GcpIamGrant], list[GcpIamGrant]]:
    """Of these grants, those naming the service account, and those whose members or role
    are not known well enough to say."""
    naming: list[GcpIamGrant] = []
    unsure: list[GcpIamGrant] = []
    for grant in grants:
        members = members_of(grant)
        if isinstance(members, Unknown):
            unsure.append(grant)
            continue
        if any(names_account(member, account) for member in members):
            (naming if is_known(grant.role) else unsure).append(grant)
        elif any(undecided(member) for member in members):
            unsure.append(grant)
    return naming, unsure
