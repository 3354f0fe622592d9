"""GCP registration readiness: what `anyscale cloud register --provider gcp` needs is present,
and the values it validates before anything is created have the shape it accepts
(REQUIREMENTS.md 3.0 and section 5)."""

from __future__ import annotations

import re

from anyscale_lint.checks.gcp_common import (
    PART_NOUNS,
    flag_value,
    gcp_parts,
    register_origin,
    unresolved_flag,
)
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.model import GcpParts, Partial, is_known
from anyscale_lint.providers.gcp import INPUTS_BY_KEY

# `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<id>` (GCP-REG-02).
_PROVIDER_NAME = re.compile(
    r"^projects/[0-9]*/locations/global/workloadIdentityPools/.+/providers/[a-z0-9-]*$"
)


def _present(parts: GcpParts) -> dict[str, bool]:
    """Whether identification found each required part."""
    return {
        "project": parts.project is not None or bool(parts.project_id),
        "vpc": parts.network is not None,
        "subnets": bool(parts.subnets),
        "firewall_policies": bool(parts.firewall_policies),
        "anyscale_service_account": parts.access_service_account is not None,
        "instance_service_account": parts.node_service_account is not None,
        "provider_name": parts.identity_provider is not None,
        "bucket": parts.bucket is not None,
    }


def _shape_problems(ctx: CheckContext, parts: GcpParts) -> list[str]:
    """Values registration rejects before verifying anything (GCP-REG-01, GCP-REG-02)."""
    problems: list[str] = []
    project = flag_value(ctx, "project")
    project_id = project[1] if project else parts.project_id
    if isinstance(project_id, str) and is_known(project_id) and project_id[:1].isdigit():
        problems.append(f"project {project_id} (--project-id takes the project ID, not a number)")
    host = flag_value(ctx, "host_project")
    if host and is_known(host[1]) and str(host[1])[:1].isdigit():
        problems.append(f"host project {host[1]} (--host-project-id takes the project ID)")
    provider = flag_value(ctx, "provider_name")
    if provider is not None:
        value = provider[1]
        ref = value.ref if isinstance(value, Partial) else None
        if ref is not None and ref.attribute == "id":
            problems.append(
                f"workload identity provider (--provider-name {value} is the provider's id, "
                "which holds the project ID: use its name, which holds the project number)"
            )
        elif is_known(value) and not _PROVIDER_NAME.match(str(value)):
            problems.append(
                f"workload identity provider (--provider-name {value} is not "
                "projects/<project number>/locations/global/workloadIdentityPools/<pool>/"
                "providers/<id>)"
            )
    return problems


@rule("GCP-REG-001")
def required_resources(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None:
        return
    missing: list[str] = []
    unresolved: list[str] = []
    for key, identified in _present(parts).items():
        if identified:
            continue
        shown = f"{PART_NOUNS[key]} (--{INPUTS_BY_KEY[key].flag})"
        reason = unresolved_flag(ctx, key)
        given = flag_value(ctx, key)
        if reason is not None:
            unresolved.append(f"{shown}: {reason}")
        elif given is not None:
            # A literal names an existing resource outside the code read.
            continue
        elif ctx.model.unread_modules and ctx.deployment.register_command is None:
            calls = ", ".join(call.describe() for call in ctx.model.unread_modules)
            unresolved.append(f"{shown}: it may be declared in a module that was not read: {calls}")
        elif key == "firewall_policies" and parts.firewalls:
            classic = ", ".join(f.address for f in parts.firewalls)
            missing.append(f"{shown}; classic firewalls ({classic}) do not count")
        else:
            missing.append(shown)
    missing += _shape_problems(ctx, parts)
    if missing:
        ctx.fail(
            ctx.deployment.key,
            f"The deployment lacks what `anyscale cloud register --provider gcp` requires: "
            f"{'; '.join(missing)}. Registration aborts.",
            value="; ".join(missing),
            location=register_origin(ctx),
        )
    elif unresolved:
        ctx.unknown(
            ctx.deployment.key,
            f"Parts registration requires are not known statically: {'; '.join(unresolved)}.",
            location=register_origin(ctx),
        )
    else:
        ctx.passed(ctx.deployment.key)
