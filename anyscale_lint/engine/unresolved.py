"""Why a deployment part that was not found is unknown rather than absent.

A part is unknown, not missing, when the register command gives it a value that is not
known (an output of a module that was not read, a variable without a value), or when the
root calls modules that were not read, in which the part may be declared. Rules then report
unknown with this reason instead of judging an empty part ("0 node subnets").
"""

from __future__ import annotations

import re

from anyscale_lint.engine.register_values import read_value
from anyscale_lint.model import CloudModel, Deployment, Resource, UnreadModule, unresolved_parts
from anyscale_lint.providers.registry import provider_table


def unresolved(deployment: Deployment, part: str) -> str | None:
    """Why the deployment's `part` (an identification part name) is not known, else None."""
    spec = provider_table(deployment.provider).by_part.get(part)
    if spec is None:
        return None
    reason = unresolved_value(deployment, part)
    if reason is not None:
        return reason
    model = deployment.model
    command = deployment.register_command
    if model.unread_modules and (spec.required or (command and command.flags.get(spec.flag))):
        calls = ", ".join(call.describe() for call in model.unread_modules)
        return f"it may be declared in a module that was not read: {calls}"
    return declared_elsewhere(deployment, part)


def declared_elsewhere(deployment: Deployment, part: str) -> str | None:
    """Why a part the register command names by a literal value is not judged here: the code
    declares no resource of its kind, so it is declared elsewhere (an existing VPC, another
    root) and only the account shows it. None when the code declares one (a value naming
    none of them is a mismatch the register-inputs rule reports)."""
    spec = provider_table(deployment.provider).by_part.get(part)
    command = deployment.register_command
    model = deployment.model
    if spec is None or spec.cls is None or command is None or not model.ids_assigned_at_apply:
        return None
    written = command.flags.get(spec.flag)
    if not written or any(True for _ in model.of_kind(spec.cls)):
        return None
    where = command.source or "the register command"
    return (
        f"--{command.written(spec.flag)} in {where} names {written}, and this code declares no "
        f"{spec.cls.kind}: it is declared elsewhere (another root, or outside Terraform), so only "
        "the account shows it (anyscale-lint live)"
    )


def unresolved_value(deployment: Deployment, part: str) -> str | None:
    """Why the value the code's register command gives for `part` is not known, else None
    (references to attributes the provider computes name their resource, so they are known)."""
    spec = provider_table(deployment.provider).by_part.get(part)
    command = deployment.register_command
    if spec is None or command is None:
        return None
    written = command.flags.get(spec.flag)
    if not written:
        return None
    model = deployment.model
    parts = unresolved_parts(read_value(model, written).value, model.unknown_reasons)
    if not parts:
        return None
    where = command.source or "the register command"
    return f"--{command.written(spec.flag)} in {where} is {written}: {why(model, parts)}"


def why(model: CloudModel, parts: list[str]) -> str:
    """The distinct reasons of unresolved parts, the first three."""
    reasons = dict.fromkeys(
        model.unknown_reasons.get(part, f"{part} is not known statically") for part in parts
    )
    return "; ".join(list(reasons)[:3])


def receiving(model: CloudModel, resource: Resource) -> UnreadModule | None:
    """A module call that was not read and is given the resource (its ID, name or ARN): it
    may complete it, with a policy, a rule or a mount target the code read does not show."""
    # `aws_s3_bucket.b[0]` is given as `aws_s3_bucket.b`.
    base = re.sub(r"\[[^\[\]]*\]$", "", resource.key)
    return next((call for call in model.unread_modules if base in call.receives), None)
