"""AWS network rules: node subnets across zones, private subnets, egress to the control plane."""

from __future__ import annotations

import re

from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.model import Route, RouteTable, Subnet, Unknown, is_known

_DEFAULT_ROUTES = ("0.0.0.0/0", "::/0")
_ZONE_INDEX = re.compile(r"^\$\{(.+)\[(\d+)\]\}$")
_EGRESS_TARGETS = ("nat_gateway", "transit_gateway", "vpc_endpoint", "network_interface")


@rule("AWS-NET-001")
def subnets_multi_az(ctx: CheckContext) -> None:
    subnets = ctx.deployment.subnets
    subject = ctx.deployment.vpc or ctx.deployment.key
    if len(subnets) < 2:
        names = ", ".join(s.address for s in subnets) or "none"
        ctx.fail(
            subject,
            f"The deployment has {len(subnets)} node subnet(s) ({names}); Anyscale needs at least "
            "2 in different availability zones.",
            value=f"{len(subnets)} subnet(s)",
        )
        return
    zones = [s.availability_zone for s in subnets]
    unresolved = [z for z in zones if z is not None and not is_known(z)]
    known = {str(z) for z in zones if isinstance(z, str) and is_known(z)}
    # `names[0]` and `names[1]` of one zone list are different zones, even before apply:
    # such indexes count as zones when every subnet's zone comes from that one list.
    indexed = {m.groups() for z in unresolved if isinstance(z, str) and (m := _ZONE_INDEX.match(z))}
    sources = {s for s, _ in indexed}
    if unresolved and not known and len(indexed) == len(set(unresolved)) and len(sources) == 1:
        known |= {str(z) for z in unresolved}
        unresolved = []
    if len(known) >= 2:
        ctx.passed(subject)
    elif unresolved:
        ctx.unknown(
            subject,
            "The availability zones of the node subnets are not known: "
            f"{ctx.explain(unresolved[0])}.",
        )
    elif None in zones:
        missing = [s.address for s in subnets if s.availability_zone is None]
        ctx.unknown(
            subject,
            f"{', '.join(missing)} set no availability_zone, so AWS picks one at apply time.",
        )
    else:
        ctx.fail(
            subject,
            f"All {len(subnets)} node subnets are in {', '.join(sorted(known))}; Anyscale needs "
            "subnets in at least 2 availability zones.",
            value=", ".join(sorted(known)),
            related=[(s.origin, s.address) for s in subnets],
        )


def _table(ctx: CheckContext, subnet: Subnet) -> RouteTable | None:
    table = ctx.model.get(subnet.route_table)
    return table if isinstance(table, RouteTable) else None


def _default_routes(table: RouteTable | None) -> list[Route]:
    if table is None:
        return []
    return [r for r in table.routes if r.destination in _DEFAULT_ROUTES]


@rule("AWS-NET-002")
def private_node_subnets(ctx: CheckContext) -> None:
    mode = ctx.deployment.network_mode
    for subnet in ctx.deployment.subnets:
        public_ip = subnet.map_public_ip_on_launch
        if isinstance(public_ip, Unknown):
            ctx.unknown(
                subnet,
                f"Whether {subnet.address} maps public IPs is not known: {ctx.explain(public_ip)}.",
            )
            continue
        if mode == "public":
            if public_ip:
                ctx.passed(subnet)
            else:
                ctx.fail(
                    subnet,
                    f"{subnet.address} does not map public IPs on launch, but the deployment is "
                    f"in public mode ({ctx.deployment.network_mode_source}).",
                    value="map_public_ip_on_launch = false",
                )
            continue
        igw = [
            r for r in _default_routes(_table(ctx, subnet)) if r.target_kind == "internet_gateway"
        ]
        if public_ip:
            ctx.fail(
                subnet,
                f"Node subnet {subnet.address} maps public IPs on launch in private mode "
                f"({ctx.deployment.network_mode_source}).",
                value="map_public_ip_on_launch = true",
            )
        elif igw:
            ctx.fail(
                subnet,
                f"Node subnet {subnet.address} routes {igw[0].destination} to an Internet gateway "
                f"({igw[0].target}), so it is public.",
                value=f"{igw[0].destination} -> {igw[0].target}",
                location=igw[0].origin,
                related=[(subnet.origin, subnet.address)],
            )
        elif subnet.route_table is None and ctx.deployment.vpc is None:
            ctx.unknown(
                subnet,
                f"The route table of {subnet.address} is not declared in the scanned code (its "
                "VPC is not either).",
            )
        else:
            ctx.passed(subnet)


@rule("AWS-NET-003")
def private_egress(ctx: CheckContext) -> None:
    if ctx.deployment.network_mode == "public":
        ctx.not_evaluated(
            ctx.deployment.key,
            f"the deployment is in public mode ({ctx.deployment.network_mode_source})",
        )
        return
    for subnet in ctx.deployment.subnets:
        table = _table(ctx, subnet)
        if table is None and isinstance(subnet.route_table, str):
            ctx.unknown(
                subnet,
                f"The route table {subnet.route_table} of {subnet.address} is not declared in the "
                "scanned code.",
            )
            continue
        routes = _default_routes(table)
        unresolved = [r for r in routes if r.target_kind == "unknown"]
        if any(r.target_kind in _EGRESS_TARGETS for r in routes):
            ctx.passed(subnet)
        elif unresolved:
            ctx.unknown(
                subnet,
                f"The target of {subnet.address}'s default route is not known: "
                f"{ctx.explain(unresolved[0].target)}.",
                location=unresolved[0].origin,
            )
        else:
            where = table.address if table else "the VPC's main route table"
            ctx.fail(
                subnet,
                f"Node subnet {subnet.address} has no default route to a NAT gateway or other "
                f"egress ({where}), so nodes cannot reach Anyscale's control plane.",
                value="no 0.0.0.0/0 route to NAT",
                location=table.origin if table else None,
            )
