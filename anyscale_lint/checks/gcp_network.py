"""GCP network rules: the node subnet's size and Private Google Access, and the proxy-only
subnet private clouds need (REQUIREMENTS.md 3.2)."""

from __future__ import annotations

from anyscale_lint.checks.common import capacity
from anyscale_lint.checks.gcp_common import gcp_parts, missing_part
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.gcp_values import names_network
from anyscale_lint.engine.registry import rule
from anyscale_lint.model import GcpNetwork, GcpSubnetwork, Unknown, is_known
from anyscale_lint.providers.gcp import PROXY_ONLY_PURPOSE


def _node_subnet(ctx: CheckContext) -> GcpSubnetwork | None:
    """The node subnet (the first of `--subnet-names`, the only one Anyscale uses)."""
    parts = gcp_parts(ctx)
    if parts is None:
        return None
    if not parts.subnets:
        missing_part(ctx, "subnets")
        return None
    return parts.subnets[0]


def _private(ctx: CheckContext) -> bool:
    """Whether the cloud is private; records not-evaluated when it is public."""
    deployment = ctx.deployment
    if deployment.network_mode == "private":
        return True
    ctx.not_evaluated(
        deployment.key,
        f"the cloud is public (decided by {deployment.network_mode_source}); this applies to "
        "private clouds (--private-network)",
    )
    return False


@rule("GCP-NET-001")
def subnet_capacity(ctx: CheckContext) -> None:
    subnet = _node_subnet(ctx)
    if subnet is not None:
        capacity(ctx, subnet, subnet.ip_cidr_range, "Node subnet", 24, 20)


def _proxy_subnets(ctx: CheckContext, network: GcpNetwork) -> list[GcpSubnetwork]:
    """Proxy-only subnets of the network: those identification found, and any other subnet of
    the network whose purpose says so (identification keeps only the cloud's region)."""
    parts = ctx.deployment.gcp
    found = list(parts.proxy_subnets) if parts is not None else []
    for subnet in ctx.model.of_kind(GcpSubnetwork):
        if subnet.purpose == PROXY_ONLY_PURPOSE and names_network(subnet.network, network):
            found += [subnet] if subnet not in found else []
    return found


@rule("GCP-NET-002")
def proxy_only_subnet(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None or not _private(ctx):
        return
    network = parts.network
    if network is None:
        missing_part(ctx, "vpc")
        return
    region = ctx.deployment.region
    known_region = str(region) if region is not None and is_known(region) else None
    proxies = _proxy_subnets(ctx, network)
    if known_region is None and proxies:
        cause = region if region is not None else Unknown("--region", "not given")
        ctx.unknown(
            network,
            f"The cloud's region is not known, so whether proxy-only subnet "
            f"{proxies[0].address} is in it is not known: {ctx.explain(cause)}.",
        )
        return
    in_region = [s for s in proxies if s.region == known_region]
    unknown_region = [s for s in proxies if s.region is None or not is_known(s.region)]
    # Only an ACTIVE proxy-only subnet serves; a BACKUP one waits to replace it.
    active = [s for s in in_region if s.role is None or str(s.role).upper() == "ACTIVE"]
    undecided = [s for s in in_region if s.role is not None and not is_known(s.role)]
    backup = [s for s in in_region if s not in active and s not in undecided]
    if active:
        ctx.passed(network, f"{active[0].address} is a proxy-only subnet in {known_region}.")
    elif undecided or unknown_region:
        subnet = (undecided or unknown_region)[0]
        what, value = ("role", subnet.role) if undecided else ("region", subnet.region)
        ctx.unknown(
            network,
            f"The {what} of proxy-only subnet {subnet.address} is not known: {ctx.explain(value)}.",
            location=subnet.origin,
        )
    else:
        where = f" in {known_region}" if known_region else ""
        elsewhere = [
            f"{s.address} ({s.region}) is in another region" for s in proxies if s not in backup
        ]
        elsewhere += [
            f"{s.address} has role {s.role}, and only an ACTIVE one serves (Anyscale's verifier "
            "reads the purpose only)"
            for s in backup
        ]
        ctx.fail(
            network,
            f"The cloud is private but {network.address} has no proxy-only subnet (purpose "
            f"{PROXY_ONLY_PURPOSE}, role ACTIVE){where}"
            + "".join(f"; {text}" for text in elsewhere)
            + ": private Anyscale services need one for their internal load balancer. "
            "Anyscale's verifier warns.",
            value=f"no {PROXY_ONLY_PURPOSE} subnet{where}",
        )


@rule("GCP-NET-003")
def private_google_access(ctx: CheckContext) -> None:
    subnet = _node_subnet(ctx)
    if subnet is None or not _private(ctx):
        return
    access = subnet.private_ip_google_access
    if access is True:
        ctx.passed(subnet)
    elif isinstance(access, Unknown):
        ctx.unknown(
            subnet,
            f"Whether {subnet.address} has Private Google Access is not known: "
            f"{ctx.explain(access)}.",
        )
    else:
        ctx.fail(
            subnet,
            f"Node subnet {subnet.address} does not enable Private Google Access in a private "
            "cloud: nodes without external IPs reach Cloud Storage and Artifact Registry only "
            "through Cloud NAT (cost), or not at all.",
            value="private_ip_google_access = false",
        )
