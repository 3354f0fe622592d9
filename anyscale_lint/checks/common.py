"""Helpers the checks share: role statements, principals naming a role, ports and ranges."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.unresolved import receiving, unresolved
from anyscale_lint.model import (
    IamRole,
    PolicyAttachment,
    PolicyDocument,
    Resource,
    SgRule,
    Statement,
    Unknown,
    is_known,
)

INTERNET = ("0.0.0.0/0", "::/0")
ANYSCALE_S3_ACTIONS = frozenset(
    action.lower()
    for action in (
        "s3:PutObject",
        "s3:GetObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "s3:ListBucketMultipartUploads",
        "s3:ListMultipartUploadParts",
        "s3:AbortMultipartUpload",
        "s3:GetBucketLocation",
    )
)


def role_statements(role: IamRole) -> Iterator[tuple[PolicyAttachment, Statement]]:
    """Every statement of the role's permissions policies, with the policy it is in."""
    for attachment in role.policies:
        if isinstance(attachment.document, PolicyDocument):
            for statement in attachment.document.statements:
                yield attachment, statement


def unknown_policies(role: IamRole) -> list[PolicyAttachment]:
    """The role's permissions policies whose content is not known."""
    return [a for a in role.policies if isinstance(a.document, Unknown)]


def broad_cors_origin(value: str, configured: str) -> bool:
    """Whether a CORS origin admits more than the configured Anyscale origin: `*`, plain
    `http://`, or a wildcard host pattern other than the configured one."""
    if value == "*" or value.lower().startswith("http://"):
        return True
    return "*" in value and value != configured


def require(ctx: CheckContext, subject: object, part: str) -> bool:
    """Record why a deployment part is absent (see `not_identified`); True when present."""
    if subject is None:
        not_identified(ctx, part)
        return False
    return True


# How messages name the parts whose identification name reads badly in a sentence.
_SHOWN = {
    "vpc": "VPC",
    "subnets": "node subnets",
    "efs": "EFS file system",
    "memorydb": "MemoryDB cluster",
}
_PLURAL = ("node subnets", "security groups")


def not_identified(ctx: CheckContext, part: str) -> None:
    """A part (an identification part name) that was not identified: unknown when its value
    is not known (a module that was not read), else not-evaluated."""
    if not unknown_part(ctx, part):
        shown = _SHOWN.get(part, part)
        verb = "were" if shown in _PLURAL else "was"
        ctx.not_evaluated(ctx.deployment.key, f"the deployment's {shown} {verb} not identified")


def unknown_part(ctx: CheckContext, part: str) -> bool:
    """Record unknown when the part's value is not known; True when it was recorded."""
    reason = unresolved(ctx.deployment, part)
    if reason is None:
        return False
    shown = _SHOWN.get(part, part)
    verb = "are" if shown in _PLURAL else "is"
    ctx.unknown(ctx.deployment.key, f"The deployment's {shown} {verb} not known: {reason}.")
    return True


def given_to_unread_module(ctx: CheckContext, resource: Resource, what: str) -> bool:
    """Record unknown when the resource lacks `what` in the code read but a module call that
    was not read is given it and may declare it; True when recorded."""
    call = receiving(ctx.model, resource)
    if call is None:
        return False
    ctx.unknown(
        resource,
        f"{resource.address} has no {what} in the code read, but it is given to "
        f"{call.describe()}, which was not read ({call.why}) and may declare one.",
        related=[(call.origin, call.address)],
    )
    return True


def unknown_roles(ctx: CheckContext) -> None:
    """Record unknown for each deployment role that is not known (in a module not read), for
    rules that judge the roles they find and would otherwise say nothing of the others."""
    deployment = ctx.deployment
    for part, role in (
        ("control-plane role", deployment.control_plane_role),
        ("instance role", deployment.instance_role),
    ):
        if role is None:
            unknown_part(ctx, part)


# ---- security-group rules -------------------------------------------------------------------


def port_range(rule: SgRule) -> tuple[int, int] | Unknown:
    """The rule's inclusive port range (all ports for protocol -1 or missing ports)."""
    if isinstance(rule.protocol, Unknown):
        return rule.protocol
    if rule.protocol in ("-1", "all"):
        return 0, 65535
    low, high = rule.from_port, rule.to_port
    if isinstance(low, Unknown):
        return low
    if isinstance(high, Unknown):
        return high
    if rule.protocol in ("icmp", "1", "icmpv6", "58"):
        return -1, -1
    low = 0 if low is None or low < 0 else low
    high = 65535 if high is None or high < 0 else high
    return low, high


def opens_port(rule: SgRule, port: int) -> bool | Unknown:
    """Whether a TCP/all-traffic rule admits `port`."""
    ports = port_range(rule)
    if isinstance(ports, Unknown):
        return ports
    if rule.protocol not in ("-1", "tcp", "6"):
        return False
    return ports[0] <= port <= ports[1]


def describe_ports(rule: SgRule) -> str:
    """`tcp/22`, `tcp/0-65535`, `all traffic`."""
    if rule.protocol == "-1":
        return "all traffic"
    ports = port_range(rule)
    if isinstance(ports, Unknown):
        return f"{rule.protocol} ports {ports}"
    if ports == (-1, -1):
        return str(rule.protocol)
    low, high = ports
    return f"{rule.protocol}/{low}" if low == high else f"{rule.protocol}/{low}-{high}"


def cidr_sources(rule: SgRule) -> list[str | Unknown]:
    """The rule's CIDR and prefix-list sources."""
    return [*rule.cidr_ipv4, *rule.cidr_ipv6, *rule.prefix_lists]


def internet_sources(rule: SgRule) -> list[str]:
    """The rule's sources that are the whole internet."""
    return [str(source) for source in (*rule.cidr_ipv4, *rule.cidr_ipv6) if source in INTERNET]


def _prefix(cidr: object) -> int | None:
    """The prefix length of a known CIDR."""
    if not isinstance(cidr, str) or not is_known(cidr):
        return None
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen
    except ValueError:
        return None


def capacity(
    ctx: CheckContext, resource: Resource, cidr: object, what: str, error_at: int, warn_at: int
) -> None:
    """Fail at level `error` below Anyscale's minimum size, `warning` below its warning size
    (the rule declares both levels)."""
    prefix = _prefix(cidr)
    if prefix is None:
        ctx.unknown(resource, f"The CIDR of {resource.address} is not known: {ctx.explain(cidr)}.")
    elif prefix > error_at:
        ctx.fail(
            resource,
            f"{what} {resource.address} is {cidr}, smaller than /{error_at}: Anyscale rejects it.",
            value=str(cidr),
            level="error",
        )
    elif prefix > warn_at:
        ctx.fail(
            resource,
            f"{what} {resource.address} is {cidr}, smaller than /{warn_at}: "
            "Anyscale warns it is probably too small.",
            value=str(cidr),
            level="warning",
        )
    else:
        ctx.passed(resource)


def within(cidr: str, allowed: list[str]) -> bool:
    """Whether a CIDR lies inside one of the allowed ranges."""
    try:
        network = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
    for entry in allowed:
        try:
            outer = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if network.version == outer.version and network.subnet_of(outer):  # type: ignore[arg-type]
            return True
    return False
