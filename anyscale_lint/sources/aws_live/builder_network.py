"""The network part of a live model: VPCs, route tables, subnets, gateways, endpoints and
security groups, from the EC2 responses of one account and region."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from anyscale_lint.model import (
    CloudModel,
    CloudRef,
    InternetGateway,
    NatGateway,
    Route,
    RouteTable,
    SecurityGroup,
    SgRule,
    Subnet,
    Unknown,
    Vpc,
    VpcEndpoint,
)
from anyscale_lint.sources.aws_live.collected import Collected
from anyscale_lint.sources.aws_live.faults import Fault
from anyscale_lint.sources.aws_live.responses import failed_read, items, tags

_ROUTE_TARGETS = (
    ("NatGatewayId", "nat_gateway"),
    ("TransitGatewayId", "transit_gateway"),
    ("NetworkInterfaceId", "network_interface"),
    ("VpcPeeringConnectionId", "vpc_peering"),
    ("EgressOnlyInternetGatewayId", "egress_only_gateway"),
    ("LocalGatewayId", "local"),
    ("CarrierGatewayId", "internet_gateway"),
    ("CoreNetworkArn", "transit_gateway"),
)


class NetworkBuilder:
    """Adds the network resources of one account's and region's responses to the model."""

    def __init__(self, data: Collected, model: CloudModel, ref: Callable[..., CloudRef]) -> None:
        self.data = data
        self.model = model
        self.ref = ref

    def build(self) -> None:
        """Every network resource of the responses, added to the model."""
        data = self.data
        for vpc in items(data.vpcs):
            self._vpc(vpc)
        main_tables: dict[str, str] = {}
        explicit: dict[str, str] = {}
        for table in items(data.route_tables):
            table_id = str(table["RouteTableId"])
            for association in table.get("Associations", []):
                if association.get("Main"):
                    main_tables[str(table["VpcId"])] = table_id
                elif association.get("SubnetId"):
                    explicit[str(association["SubnetId"])] = table_id
            self._route_table(table, any(a.get("Main") for a in table.get("Associations", [])))
        for subnet in items(data.subnets):
            subnet_id = str(subnet["SubnetId"])
            vpc_id = str(subnet["VpcId"])
            route_table: str | Unknown | None = explicit.get(subnet_id) or main_tables.get(vpc_id)
            if isinstance(data.route_tables, Fault):
                route_table = failed_read(data.route_tables, f"the route table of {subnet_id}")
            self.model.add(
                Subnet(
                    subnet_id,
                    subnet_id,
                    self.ref(subnet_id, "subnet"),
                    name=tags(subnet.get("Tags")).get("Name"),
                    tags=tags(subnet.get("Tags")),
                    vpc=vpc_id,
                    cidr_block=subnet.get("CidrBlock"),
                    availability_zone=subnet.get("AvailabilityZone"),
                    map_public_ip_on_launch=bool(subnet.get("MapPublicIpOnLaunch", False)),
                    route_table=route_table,
                )
            )
        for nat in items(data.nat_gateways):
            if nat.get("State") in ("deleted", "deleting", "failed"):
                continue
            nat_id = str(nat["NatGatewayId"])
            self.model.add(
                NatGateway(
                    nat_id,
                    nat_id,
                    self.ref(nat_id, "nat"),
                    tags=tags(nat.get("Tags")),
                    subnet=nat.get("SubnetId"),
                    connectivity_type=str(nat.get("ConnectivityType", "public")),
                )
            )
        for gateway in items(data.internet_gateways):
            gateway_id = str(gateway["InternetGatewayId"])
            attached = [a["VpcId"] for a in gateway.get("Attachments", []) if a.get("VpcId")]
            self.model.add(
                InternetGateway(
                    gateway_id,
                    gateway_id,
                    self.ref(gateway_id, "igw"),
                    tags=tags(gateway.get("Tags")),
                    vpc=attached[0] if attached else None,
                )
            )
        for endpoint in items(data.vpc_endpoints):
            endpoint_id = str(endpoint["VpcEndpointId"])
            self.model.add(
                VpcEndpoint(
                    endpoint_id,
                    endpoint_id,
                    self.ref(endpoint_id, "vpce"),
                    tags=tags(endpoint.get("Tags")),
                    vpc=endpoint.get("VpcId"),
                    service_name=str(endpoint.get("ServiceName", "")),
                    endpoint_type=str(endpoint.get("VpcEndpointType", "Gateway")),
                    route_tables=tuple(endpoint.get("RouteTableIds", [])),
                )
            )
        for group in items(data.security_groups):
            self._security_group(group)

    def _vpc(self, vpc: dict[str, Any]) -> None:
        vpc_id = str(vpc["VpcId"])
        attributes = self.data.vpc_attributes.get(vpc_id, {})

        def attribute(name: str) -> bool | Unknown | None:
            value = attributes.get(name)
            if isinstance(value, Fault):
                return failed_read(value, f"{name} of {vpc_id}")
            return None if value is None else bool(value)

        self.model.add(
            Vpc(
                vpc_id,
                vpc_id,
                self.ref(vpc_id, "vpc"),
                name=tags(vpc.get("Tags")).get("Name"),
                tags=tags(vpc.get("Tags")),
                cidr_block=vpc.get("CidrBlock"),
                secondary_cidr_blocks=tuple(
                    str(a["CidrBlock"])
                    for a in vpc.get("CidrBlockAssociationSet", [])
                    if a.get("CidrBlock") != vpc.get("CidrBlock")
                ),
                enable_dns_support=attribute("enableDnsSupport"),
                enable_dns_hostnames=attribute("enableDnsHostnames"),
            )
        )

    def _route_table(self, table: dict[str, Any], is_main: bool) -> None:
        table_id = str(table["RouteTableId"])
        origin = self.ref(table_id, "rtb")
        routes = []
        for route in table.get("Routes", []):
            destination = (
                route.get("DestinationCidrBlock")
                or route.get("DestinationIpv6CidrBlock")
                or route.get("DestinationPrefixListId")
                or ""
            )
            routes.append(Route(str(destination), *_route_target(route), origin))
        self.model.add(
            RouteTable(
                table_id,
                table_id,
                origin,
                tags=tags(table.get("Tags")),
                vpc=table.get("VpcId"),
                routes=tuple(routes),
                is_main=is_main,
            )
        )

    def _security_group(self, group: dict[str, Any]) -> None:
        group_id = str(group["GroupId"])
        origin = self.ref(group_id, "sg")
        rules: list[SgRule] = []
        for direction, key in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
            for permission in group.get(key, []):
                rules += _sg_rules(direction, permission, group_id, origin)
        self.model.add(
            SecurityGroup(
                group_id,
                group_id,
                origin,
                name=group.get("GroupName"),
                tags=tags(group.get("Tags")),
                vpc=group.get("VpcId"),
                rules=tuple(rules),
            )
        )

    # ---- EFS and MemoryDB ----------------------------------------------------------------


def _route_target(route: dict[str, Any]) -> tuple[str, str | None]:
    gateway = route.get("GatewayId")
    if gateway == "local":
        return "local", "local"
    if isinstance(gateway, str):
        kind = "vpc_endpoint" if gateway.startswith("vpce-") else "internet_gateway"
        return kind, gateway
    for key, kind in _ROUTE_TARGETS:
        if route.get(key):
            return kind, str(route[key])
    return "unknown", None


def _sg_rules(
    direction: str, permission: dict[str, Any], group_id: str, origin: CloudRef
) -> list[SgRule]:
    """One SgRule per kind of peer, as the Terraform source splits them."""
    protocol = str(permission.get("IpProtocol", "-1"))
    if protocol.lower() == "all":
        protocol = "-1"
    ranges = permission.get("IpRanges", [])
    descriptions = [
        r.get("Description")
        for key in ("IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs")
        for r in permission.get(key, [])
        if r.get("Description")
    ]
    base = SgRule(
        direction=direction,
        protocol=protocol,
        from_port=permission.get("FromPort"),
        to_port=permission.get("ToPort"),
        description=descriptions[0] if descriptions else None,
        origin=origin,
        declared_by=group_id,
    )
    rules = []
    if ranges:
        rules.append(_with(base, cidr_ipv4=tuple(str(r["CidrIp"]) for r in ranges)))
    ipv6 = permission.get("Ipv6Ranges", [])
    if ipv6:
        rules.append(_with(base, cidr_ipv6=tuple(str(r["CidrIpv6"]) for r in ipv6)))
    prefixes = permission.get("PrefixListIds", [])
    if prefixes:
        rules.append(_with(base, prefix_lists=tuple(str(p["PrefixListId"]) for p in prefixes)))
    pairs = permission.get("UserIdGroupPairs", [])
    if pairs:
        rules.append(_with(base, source_groups=tuple(str(p["GroupId"]) for p in pairs)))
    return rules or [base]


def _with(rule: SgRule, **changes: Any) -> SgRule:
    from dataclasses import replace

    return replace(rule, **changes)
