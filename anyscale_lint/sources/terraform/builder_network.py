"""VPCs, subnets with the route table that applies to each, routes (inline and `aws_route`),
NAT and Internet gateways."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from anyscale_lint.model import (
    InternetGateway,
    NatGateway,
    Resource,
    Route,
    RouteTable,
    SourceSpan,
    Subnet,
    Unknown,
    Vpc,
)
from anyscale_lint.sources.terraform.coerce import MARKER, flag, text

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.builder import Builder
    from anyscale_lint.sources.terraform.items import Item

_ROUTE_TARGETS = {
    "gateway_id": "internet_gateway",
    "nat_gateway_id": "nat_gateway",
    "transit_gateway_id": "transit_gateway",
    "vpc_endpoint_id": "vpc_endpoint",
    "network_interface_id": "network_interface",
    "vpc_peering_connection_id": "vpc_peering",
    "egress_only_gateway_id": "egress_only_gateway",
    "local_gateway_id": "local",
    "carrier_gateway_id": "internet_gateway",
    "core_network_arn": "transit_gateway",
}


class Network:
    """Builds the network resources for a Builder."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder

    def _parts(self, item: Item) -> dict[str, Any]:
        return self.builder.drafts.parts[item.address]

    def split_handlers(self) -> dict[str, Callable[[Item], None]]:
        """Routes and associations declared apart from their route tables and subnets."""
        return {
            "aws_route": self._route,
            "aws_route_table_association": self._route_table_association,
            "aws_main_route_table_association": self._main_route_table_association,
        }

    def resource_handlers(self) -> dict[str, Callable[[Item], Resource]]:
        """The network resources themselves."""
        return {
            "aws_vpc": self._vpc,
            "aws_route_table": self._route_table,
            "aws_default_route_table": self._route_table,
            "aws_subnet": self._subnet,
            "aws_nat_gateway": self._nat_gateway,
            "aws_internet_gateway": self._internet_gateway,
        }

    def _vpc(self, item: Item) -> Vpc:
        return Vpc(
            **self.builder.common(item),
            cidr_block=text(item.get("cidr_block")) if item.get("cidr_block") is not None else None,
            enable_dns_support=flag(item.get("enable_dns_support"), True),
            enable_dns_hostnames=flag(item.get("enable_dns_hostnames"), False),
            secondary_cidr_blocks=tuple(
                self.builder.drafts.parts[item.address].get("secondary_cidrs", [])
            ),
        )

    def _route_from(self, body_get: Any, span: SourceSpan) -> Route:
        destination = (
            body_get("cidr_block")
            or body_get("destination_cidr_block")
            or body_get("ipv6_cidr_block")
            or body_get("destination_ipv6_cidr_block")
            or body_get("destination_prefix_list_id")
        )
        for attribute, kind in _ROUTE_TARGETS.items():
            value = body_get(attribute)
            if value is None:
                continue
            target = self.builder.link(value)
            if attribute == "gateway_id":
                kind = self._gateway_kind(value, target)
            return Route(text(destination), kind, target, span)
        return Route(text(destination), "unknown", None, span)

    def _gateway_kind(self, value: Any, target: Any) -> str:
        if isinstance(target, str):
            linked = next((i for i in self.builder.items if i.address == target), None)
            if linked is not None:
                return {
                    "aws_internet_gateway": "internet_gateway",
                    "aws_vpc_endpoint": "vpc_endpoint",
                    "aws_vpn_gateway": "vpn_gateway",
                    "aws_nat_gateway": "nat_gateway",
                }.get(linked.kind, "unknown")
            if target.startswith("igw-"):
                return "internet_gateway"
            if target.startswith("vgw-"):
                return "vpn_gateway"
            if target == "local":
                return "local"
        return (
            "internet_gateway"
            if isinstance(value, str) and "internet_gateway" in value
            else "unknown"
        )

    def _route(self, item: Item) -> None:
        key = self.builder.link(item.get("route_table_id"))
        route = self._route_from(item.get, item.span())
        if isinstance(key, str):
            self.builder.drafts.routes[key].append(route)
        else:
            self.builder.model.unplaced_routes.append(route)

    def _route_table_association(self, item: Item) -> None:
        subnet = self.builder.link(item.get("subnet_id"))
        if isinstance(subnet, str):
            self.builder.drafts.associations[subnet] = self.builder.link(item.get("route_table_id"))

    def _main_route_table_association(self, item: Item) -> None:
        vpc = self.builder.link(item.get("vpc_id"))
        table = self.builder.link(item.get("route_table_id"))
        if isinstance(vpc, str) and isinstance(table, str):
            self.builder.drafts.main_tables[vpc] = table

    def _route_table(self, item: Item) -> RouteTable:
        routes = list(self.builder.drafts.routes.get(item.address, []))
        blocks = item.nested("route")
        if isinstance(blocks, list):
            for block in blocks:
                routes.append(self._route_from(partial(item.block_value, block), block.span))
        else:
            inline = item.get("route")
            for entry in inline if isinstance(inline, list) else []:
                if isinstance(entry, dict):
                    routes.append(self._route_from(entry.get, item.span()))
        vpc = self.builder.link(item.get("vpc_id"))
        is_main = item.kind == "aws_default_route_table" or (
            isinstance(vpc, str) and self.builder.drafts.main_tables.get(vpc) == item.address
        )
        if item.kind == "aws_default_route_table":
            vpc = self._vpc_of_default_table(item)
        return RouteTable(
            **self.builder.common(item), vpc=vpc, routes=tuple(routes), is_main=is_main
        )

    def _vpc_of_default_table(self, item: Item) -> str | Unknown | None:
        value = item.get("default_route_table_id")
        match = MARKER.match(value) if isinstance(value, str) else None
        return match.group("address") if match else self.builder.link(value)

    def _subnet(self, item: Item) -> Subnet:
        table = self.builder.drafts.associations.get(item.address)
        vpc = self.builder.link(item.get("vpc_id"))
        if table is None:
            table = self._main_table(vpc)
        return Subnet(
            **self.builder.common(item),
            vpc=vpc,
            cidr_block=text(item.get("cidr_block")) if item.get("cidr_block") is not None else None,
            availability_zone=text(
                item.get("availability_zone")
                if item.get("availability_zone") is not None
                else item.get("availability_zone_id")
            )
            if (
                item.get("availability_zone") is not None
                or item.get("availability_zone_id") is not None
            )
            else None,
            map_public_ip_on_launch=flag(item.get("map_public_ip_on_launch")),
            route_table=table,
        )

    def _main_table(self, vpc: Any) -> str | None:
        if not isinstance(vpc, str):
            return None
        if vpc in self.builder.drafts.main_tables:
            return self.builder.drafts.main_tables[vpc]
        for item in self.builder.items:
            if item.kind == "aws_default_route_table" and self._vpc_of_default_table(item) == vpc:
                return item.address
        return None

    def _nat_gateway(self, item: Item) -> NatGateway:
        connectivity = item.get("connectivity_type")
        return NatGateway(
            **self.builder.common(item),
            subnet=self.builder.link(item.get("subnet_id")),
            connectivity_type=connectivity if isinstance(connectivity, str) else "public",
        )

    def _internet_gateway(self, item: Item) -> InternetGateway:
        return InternetGateway(
            **self.builder.common(item), vpc=self.builder.link(item.get("vpc_id"))
        )
