"""AWS network rules: node subnets across zones, private subnets, egress to the control plane."""

from __future__ import annotations

import re

from anyscale_lint.checks.common import capacity, not_identified, unknown_part
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.model import (
    Partial,
    Route,
    RouteTable,
    Subnet,
    Unknown,
    VpcEndpoint,
    is_known,
    shape,
)

_DEFAULT_ROUTES = ("0.0.0.0/0", "::/0")
# Matched against `shape(service)`: the region part may still be unresolved (one \0).
_S3_SERVICE = re.compile(r"^com\.amazonaws\.(?:\0|[^.]+)\.s3$")
# An item of a list of zones read at plan time: `<list>[<index>]`.
_ZONE_INDEX = re.compile(r"^(.+)\[(\d+)\]$")
_EGRESS_TARGETS = ("nat_gateway", "transit_gateway", "vpc_endpoint", "network_interface")


def _whole_unknown(value: object) -> str:
    """The expression of a value that is one unresolved expression, else ''."""
    unknown = value.unknown if isinstance(value, Partial) else value
    return unknown.expression if isinstance(unknown, Unknown) else ""


@rule("AWS-NET-001")
def subnets_multi_az(ctx: CheckContext) -> None:
    subnets = ctx.deployment.subnets
    subject = ctx.deployment.vpc or ctx.deployment.key
    uncounted = [s for s in subnets if s.key in ctx.model.uncounted]
    if len(subnets) < 2 and unknown_part(ctx, "subnets"):
        return
    if len(subnets) < 2 and uncounted:
        ctx.unknown(
            subject,
            f"How many node subnets {uncounted[0].address} creates is not known: "
            f"{ctx.model.uncounted[uncounted[0].key]}.",
        )
        return
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
    indexed = {m.groups() for z in unresolved if (m := _ZONE_INDEX.match(_whole_unknown(z)))}
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


def _unplaced(ctx: CheckContext, kinds: tuple[str, ...]) -> Route | None:
    """A default route of one of these kinds whose route table is not known."""
    routes = ctx.model.unplaced_routes
    return next(
        (r for r in routes if r.target_kind in kinds and r.destination in _DEFAULT_ROUTES), None
    )


@rule("AWS-NET-002")
def private_node_subnets(ctx: CheckContext) -> None:
    if not ctx.deployment.subnets and unknown_part(ctx, "subnets"):
        return
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
                # Every such route, sorted: `aws_route` resources come in file order.
                evidence=", ".join(sorted(f"{r.destination} -> {r.target}" for r in igw)),
                location=igw[0].origin,
                related=[(subnet.origin, subnet.address)],
            )
        elif unplaced := _unplaced(ctx, ("internet_gateway",)):
            ctx.unknown(
                subnet,
                "A default route to an Internet gateway whose route table is not "
                f"known may apply to {subnet.address}.",
                location=unplaced.origin,
            )
        elif isinstance(subnet.route_table, Unknown):
            ctx.unknown(
                subnet,
                f"The route table of {subnet.address} is not known: "
                f"{ctx.explain(subnet.route_table)}.",
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
    if not ctx.deployment.subnets and unknown_part(ctx, "subnets"):
        return
    for subnet in ctx.deployment.subnets:
        table = _table(ctx, subnet)
        if isinstance(subnet.route_table, Unknown):
            ctx.unknown(
                subnet,
                f"The route table of {subnet.address} is not known: "
                f"{ctx.explain(subnet.route_table)}.",
            )
            continue
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
        elif unplaced := _unplaced(ctx, _EGRESS_TARGETS):
            ctx.unknown(
                subnet,
                f"A default route to a {unplaced.target_kind.replace('_', ' ')} "
                f"whose route table is not known may serve {subnet.address}.",
                location=unplaced.origin,
            )
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


@rule("AWS-NET-004")
def vpc_capacity(ctx: CheckContext) -> None:
    vpc = ctx.deployment.vpc
    if vpc is None:
        not_identified(ctx, "vpc")
        return
    capacity(ctx, vpc, vpc.cidr_block, "The VPC", 24, 20)


@rule("AWS-NET-005")
def subnet_capacity(ctx: CheckContext) -> None:
    if not ctx.deployment.subnets and unknown_part(ctx, "subnets"):
        return
    for subnet in ctx.deployment.subnets:
        capacity(ctx, subnet, subnet.cidr_block, "Node subnet", 28, 24)


@rule("AWS-NET-006")
def subnets_in_vpc(ctx: CheckContext) -> None:
    vpc = ctx.deployment.vpc
    if vpc is None:
        not_identified(ctx, "vpc")
        return
    if not ctx.deployment.subnets and unknown_part(ctx, "subnets"):
        return
    for subnet in ctx.deployment.subnets:
        if subnet.vpc == vpc.key:
            ctx.passed(subnet)
        elif not is_known(subnet.vpc):
            ctx.unknown(
                subnet, f"The VPC of {subnet.address} is not known: {ctx.explain(subnet.vpc)}."
            )
        else:
            ctx.fail(
                subnet,
                f"Node subnet {subnet.address} is in {subnet.vpc}, not the "
                f"deployment's VPC {vpc.address}.",
                value=str(subnet.vpc),
                related=[(vpc.origin, vpc.address)],
            )


def _is_s3_gateway(endpoint: VpcEndpoint, region: object) -> bool | Unknown:
    service, kind = endpoint.service_name, endpoint.endpoint_type
    if isinstance(service, Unknown):
        return service
    if isinstance(kind, Unknown):
        return kind
    # An endpoint serves its VPC's region, so `com.amazonaws.<region>.s3` is the S3 gateway
    # even while the region part is unknown; when both are known, they must agree.
    if not _S3_SERVICE.match(shape(service)) and not is_known(service):
        return Unknown(service, "the endpoint's service name is not known")
    if not _S3_SERVICE.match(shape(service)) or kind.lower() != "gateway":
        return False
    if isinstance(region, str) and is_known(region) and is_known(service):
        return service == f"com.amazonaws.{region}.s3"
    return True


@rule("AWS-NET-007")
def s3_gateway_endpoint(ctx: CheckContext) -> None:
    if not ctx.deployment.subnets:
        not_identified(ctx, "subnets")
        return
    covered: set[str] = set()
    unresolved: list[object] = []
    for endpoint in ctx.model.of_kind(VpcEndpoint):
        gateway = _is_s3_gateway(endpoint, ctx.deployment.region)
        if isinstance(gateway, Unknown) or isinstance(endpoint.route_tables, Unknown):
            unresolved.append(gateway if isinstance(gateway, Unknown) else endpoint.route_tables)
        elif gateway:
            covered |= {str(t) for t in endpoint.route_tables}
    unresolved += [
        s.route_table for s in ctx.deployment.subnets if isinstance(s.route_table, Unknown)
    ]
    missing = [
        s
        for s in ctx.deployment.subnets
        if not isinstance(s.route_table, Unknown) and s.route_table not in covered
    ]
    subject = ctx.deployment.vpc or ctx.deployment.key
    if unresolved:
        # An unknown route table or endpoint may be the one that covers a subnet.
        ctx.unknown(
            subject, f"A route table or VPC endpoint is not known: {ctx.explain(unresolved[0])}."
        )
    elif not missing:
        ctx.passed(subject)
    else:
        names = ", ".join(s.address for s in missing)
        ctx.fail(
            subject,
            f"No S3 gateway endpoint serves the route tables of {names}: S3 traffic goes "
            f"through the {'Internet' if ctx.deployment.network_mode == 'public' else 'NAT'} "
            "gateway (cost, and bandwidth shared with everything else).",
            value=names,
        )


@rule("AWS-NET-008")
def vpc_dns(ctx: CheckContext) -> None:
    vpc = ctx.deployment.vpc
    if vpc is None:
        not_identified(ctx, "vpc")
        return
    settings = {
        "enable_dns_support": vpc.enable_dns_support,
        "enable_dns_hostnames": vpc.enable_dns_hostnames,
    }
    off = [name for name, value in settings.items() if value is False]
    unresolved = [value for value in settings.values() if isinstance(value, Unknown)]
    if off:
        ctx.fail(
            vpc,
            f"{vpc.address} has {' and '.join(off)} off; nodes and endpoints need DNS "
            "hostnames and resolution.",
            value=", ".join(f"{n} = false" for n in off),
        )
    elif unresolved:
        ctx.unknown(
            vpc, f"The DNS settings of {vpc.address} are not known: {ctx.explain(unresolved[0])}."
        )
    else:
        ctx.passed(vpc)
