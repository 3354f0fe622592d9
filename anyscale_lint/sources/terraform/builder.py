"""Turn evaluated Terraform resource instances into the typed cloud model.

Both AWS provider styles land in the same model: inline blocks (`cors_rule`, `ingress`,
`route`, `inline_policy`, `policy`) and split resources (`aws_s3_bucket_cors_configuration`,
`aws_security_group_rule`, `aws_route`, `aws_iam_role_policy_attachment`, ...).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from anyscale_lint.iam.managed_policies import aws_managed_attachment
from anyscale_lint.iam.policy import PolicyParseError, parse_document
from anyscale_lint.model import (
    COMPUTED,
    CloudModel,
    IamRole,
    InstanceProfile,
    InternetGateway,
    NatGateway,
    PolicyAttachment,
    PolicyDocument,
    Route,
    RouteTable,
    SgRule,
    SourceSpan,
    Subnet,
    Unknown,
    Vpc,
)
from anyscale_lint.sources.terraform import builder_services as services
from anyscale_lint.sources.terraform.blocks import NestedBlock, expand_blocks
from anyscale_lint.sources.terraform.builder_s3 import Buckets
from anyscale_lint.sources.terraform.builder_security_groups import SecurityGroups
from anyscale_lint.sources.terraform.coerce import flag, text
from anyscale_lint.sources.terraform.module import Instance, ModuleInstance

_MARKER = re.compile(r"^\$\{(?P<address>.+)\.(?P<attribute>[A-Za-z_][\w-]*)\}$")
_AWS_MANAGED = "arn:aws:iam::aws:policy/"
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


@dataclass
class Item:
    """One resource instance with the module that evaluates it."""

    module: ModuleInstance
    kind: str
    instance: Instance

    @property
    def address(self) -> str:
        return self.instance.address

    def get(self, name: str) -> Any:
        return self.module.attribute(self.instance, name)

    def span(self) -> SourceSpan:
        return self.instance.block.span

    def attribute_span(self, name: str) -> SourceSpan:
        """Where an attribute is written (the block when it is not set)."""
        attribute = self.instance.block.body.attributes.get(name)
        return attribute.span if attribute is not None else self.span()

    def nested(self, block_type: str) -> list[Any] | Unknown:
        return expand_blocks(
            self.module.evaluator, self.instance.block.body, block_type, self.instance.variables
        )

    def block_value(self, block: NestedBlock, name: str) -> Any:
        """An attribute of a nested block of this resource."""
        return block.value(self.module.evaluator, name)


@dataclass
class _Drafts:
    """Parts collected from split resources before the frozen model objects are built."""

    role_policies: dict[str, list[PolicyAttachment]] = field(
        default_factory=lambda: defaultdict(list)
    )
    bucket_parts: dict[str, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))
    sg_rules: dict[str, list[SgRule]] = field(default_factory=lambda: defaultdict(list))
    routes: dict[str, list[Route]] = field(default_factory=lambda: defaultdict(list))
    associations: dict[str, Any] = field(default_factory=dict)
    main_tables: dict[str, str] = field(default_factory=dict)
    # Parts of other resources (EFS policies, endpoint route tables, ...) by resource key.
    parts: dict[str, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))


def walk(module: ModuleInstance) -> Iterator[Item]:
    """Every resource instance in a module and its local child modules."""
    for kind, _, instance in module.resource_instances():
        yield Item(module, kind, instance)
    for name in module.calls:
        for _, child in module.children(name):
            if isinstance(child, ModuleInstance):
                yield from walk(child)


class Builder:
    """Builds the model of one root module."""

    def __init__(self, root: ModuleInstance, model: CloudModel) -> None:
        self.model = model
        self.items = list(walk(root))
        self.index: dict[str, str] = {}
        self.drafts = _Drafts()
        self.policies: dict[str, PolicyDocument | Unknown | None] = {}
        # Rendered aws_iam_policy_document JSON -> (data source span, statement spans).
        self.document_origins: dict[str, tuple[SourceSpan, list[SourceSpan]]] = (
            root.settings.setdefault("document_origins", {})
        )
        self.policy_labels: dict[str, str] = {}
        for item in self.items:
            self._index(item)

    # ---- identities and links ---------------------------------------------------------------

    def _index(self, item: Item) -> None:
        """Record every string by which other resources may refer to this one."""
        for attribute in ("id", "arn", "name", "bucket"):
            self.index[f"${{{item.address}.{attribute}}}"] = item.address
        literal = {
            "aws_s3_bucket": "bucket",
            "aws_iam_role": "name",
            "aws_iam_instance_profile": "name",
            "aws_memorydb_subnet_group": "name",
            "aws_memorydb_parameter_group": "name",
            "aws_memorydb_cluster": "name",
        }.get(item.kind)
        if literal:
            value = item.get(literal)
            if isinstance(value, str) and "${" not in value:
                self.index.setdefault(value, item.address)
                if item.kind == "aws_s3_bucket":
                    self.index.setdefault(f"arn:aws:s3:::{value}", item.address)

    def link(self, value: Any) -> str | Unknown | None:
        """The key of the resource a value refers to, or the literal value itself."""
        if value is None:
            return None
        if isinstance(value, Unknown):
            return value
        text = str(value)
        if text in self.index:
            return self.index[text]
        match = _MARKER.match(text)
        if match and match.group("address") in self.index.values():
            return match.group("address")
        return text

    def document(
        self, item: Item, value: Any, label: str, attribute: str
    ) -> PolicyDocument | Unknown | None:
        """A policy written in one attribute of a resource, located at that attribute."""
        return self.document_at(value, item, label, item.attribute_span(attribute))

    def document_at(
        self, value: Any, item: Item, label: str, origin: SourceSpan | None = None
    ) -> PolicyDocument | Unknown | None:
        if value is None:
            return None
        where = origin or item.span()
        rendered = self.document_origins.get(value) if isinstance(value, str) else None
        statement_origins: list[SourceSpan] = []
        if rendered is not None:
            where, statement_origins = rendered
        try:
            return parse_document(value, where, label, statement_origins)
        except PolicyParseError as error:
            return Unknown(label, f"the policy is not a valid IAM policy: {error}")

    # ---- the build --------------------------------------------------------------------------

    def build(self) -> None:
        """Fill the model."""
        by_kind: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            by_kind[item.kind].append(item)
        for item in by_kind["aws_iam_policy"]:
            self.policies[item.address] = self.document_at(
                item.get("policy"), item, item.address, item.attribute_span("policy")
            )
            self.policy_labels[item.address] = item.address
        groups, buckets = SecurityGroups(self), Buckets(self)
        split_handlers = {
            **self._split_handlers(),
            **services.split_handlers(self),
            **groups.split_handlers(),
            **buckets.split_handlers(),
        }
        for kind, handler in split_handlers.items():
            for item in by_kind[kind]:
                handler(item)
        resource_handlers = {
            **self._resource_handlers(),
            **services.resource_handlers(self),
            "aws_security_group": groups.security_group,
            "aws_s3_bucket": buckets.bucket,
        }
        for kind, handler in resource_handlers.items():
            for item in by_kind[kind]:
                resource = handler(item)
                if resource is not None:
                    self.model.add(resource)

    def _split_handlers(self) -> dict[str, Any]:
        return {
            "aws_iam_role_policy": self._role_policy,
            "aws_iam_role_policy_attachment": self._role_policy_attachment,
            "aws_iam_policy_attachment": self._policy_attachment,
            "aws_iam_role_policies_exclusive": lambda item: None,
            "aws_route": self._route,
            "aws_route_table_association": self._route_table_association,
            "aws_main_route_table_association": self._main_route_table_association,
        }

    def _resource_handlers(self) -> dict[str, Any]:
        return {
            "aws_iam_role": self._role,
            "aws_iam_instance_profile": self._instance_profile,
            "aws_vpc": self._vpc,
            "aws_route_table": self._route_table,
            "aws_default_route_table": self._route_table,
            "aws_subnet": self._subnet,
            "aws_nat_gateway": self._nat_gateway,
            "aws_internet_gateway": self._internet_gateway,
        }

    def common(self, item: Item) -> dict[str, Any]:
        """The fields every resource has: key, address, origin, name, tags."""
        tags = item.get("tags")
        name = item.get("name")
        if name is None and item.get("name_prefix") is not None:
            name = self.generated(item, "name", "from name_prefix")
        return {
            "key": item.address,
            "address": item.address,
            "origin": item.span(),
            "name": name if isinstance(name, (str, Unknown)) or name is None else str(name),
            "tags": {str(k): str(v) for k, v in tags.items()} if isinstance(tags, dict) else {},
        }

    def generated(self, item: Item, attribute: str, how: str) -> str:
        """A reference to an attribute the provider generates (a name from name_prefix)."""
        marker = f"{item.address}.{attribute}"
        self.model.unknown_reasons[marker] = f"{COMPUTED} {how}"
        return f"${{{marker}}}"

    # ---- IAM --------------------------------------------------------------------------------

    def _role(self, item: Item) -> IamRole:
        attachments = list(self.drafts.role_policies.get(item.address, []))
        inline = item.nested("inline_policy")
        if isinstance(inline, list):
            for block in inline:
                name = item.block_value(block, "name")
                policy = item.block_value(block, "policy")
                label = f"inline policy {name}" if isinstance(name, str) else "inline policy"
                attachments.append(
                    PolicyAttachment(
                        label,
                        "inline",
                        self.document_at(policy, item, label, block.span),
                        None,
                        block.span,
                    )
                )
        managed = item.get("managed_policy_arns")
        if isinstance(managed, list):
            for arn in managed:
                attachments.append(self._managed(arn, item.span()))
        elif isinstance(managed, Unknown):
            attachments.append(
                PolicyAttachment("managed_policy_arns", "customer", managed, managed, item.span())
            )
        trust = item.get("assume_role_policy")
        return IamRole(
            **self.common(item),
            arn=self._arn(item),
            trust_policy=self.document_at(
                trust,
                item,
                f"trust policy of {item.address}",
                item.attribute_span("assume_role_policy"),
            ),
            policies=tuple(attachments),
        )

    def _arn(self, item: Item) -> str | Unknown:
        arn = item.module.computed(item.address, "arn")
        self.model.unknown_reasons.setdefault(arn[2:-1], "computed by the provider at apply time")
        return arn

    def _managed(self, arn: Any, span: SourceSpan) -> PolicyAttachment:
        key = self.link(arn)
        if isinstance(key, str) and key in self.policies:
            return PolicyAttachment(
                key, "customer", self.policies[key], arn if isinstance(arn, str) else None, span
            )
        if isinstance(arn, str) and arn.startswith(_AWS_MANAGED):
            return aws_managed_attachment(arn, span)
        written = text(arn)
        return PolicyAttachment(
            str(written),
            "customer",
            Unknown(str(written), "the attached policy is not declared in the scanned code"),
            written,
            span,
        )

    def _roles_of(self, value: Any) -> list[str]:
        values = value if isinstance(value, list) else [value]
        return [key for key in (self.link(v) for v in values) if isinstance(key, str)]

    def _role_policy(self, item: Item) -> None:
        name = item.get("name")
        label = f"{item.address}" + (f" ({name})" if isinstance(name, str) else "")
        document = self.document_at(item.get("policy"), item, label, item.attribute_span("policy"))
        for role in self._roles_of(item.get("role")):
            self.drafts.role_policies[role].append(
                PolicyAttachment(label, "inline", document, None, item.span())
            )

    def _role_policy_attachment(self, item: Item) -> None:
        for role in self._roles_of(item.get("role")):
            self.drafts.role_policies[role].append(
                self._managed(item.get("policy_arn"), item.span())
            )

    def _policy_attachment(self, item: Item) -> None:
        for role in self._roles_of(item.get("roles") or []):
            self.drafts.role_policies[role].append(
                self._managed(item.get("policy_arn"), item.span())
            )

    def _instance_profile(self, item: Item) -> InstanceProfile:
        roles = item.get("role")
        links = tuple(
            link
            for link in (self.link(r) for r in (roles if isinstance(roles, list) else [roles]))
            if link is not None
        )
        return InstanceProfile(**self.common(item), roles=links)

    # ---- network ----------------------------------------------------------------------------

    def _vpc(self, item: Item) -> Vpc:
        return Vpc(
            **self.common(item),
            cidr_block=text(item.get("cidr_block")) if item.get("cidr_block") is not None else None,
            enable_dns_support=flag(item.get("enable_dns_support"), True),
            enable_dns_hostnames=flag(item.get("enable_dns_hostnames"), False),
            secondary_cidr_blocks=tuple(self.drafts.parts[item.address].get("secondary_cidrs", [])),
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
            target = self.link(value)
            if attribute == "gateway_id":
                kind = self._gateway_kind(value, target)
            return Route(text(destination), kind, target, span)
        return Route(text(destination), "unknown", None, span)

    def _gateway_kind(self, value: Any, target: Any) -> str:
        if isinstance(target, str):
            linked = next((i for i in self.items if i.address == target), None)
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
        key = self.link(item.get("route_table_id"))
        if isinstance(key, str):
            self.drafts.routes[key].append(self._route_from(item.get, item.span()))

    def _route_table_association(self, item: Item) -> None:
        subnet = self.link(item.get("subnet_id"))
        if isinstance(subnet, str):
            self.drafts.associations[subnet] = self.link(item.get("route_table_id"))

    def _main_route_table_association(self, item: Item) -> None:
        vpc = self.link(item.get("vpc_id"))
        table = self.link(item.get("route_table_id"))
        if isinstance(vpc, str) and isinstance(table, str):
            self.drafts.main_tables[vpc] = table

    def _route_table(self, item: Item) -> RouteTable:
        routes = list(self.drafts.routes.get(item.address, []))
        blocks = item.nested("route")
        if isinstance(blocks, list):
            for block in blocks:
                routes.append(self._route_from(partial(item.block_value, block), block.span))
        else:
            inline = item.get("route")
            for entry in inline if isinstance(inline, list) else []:
                if isinstance(entry, dict):
                    routes.append(self._route_from(entry.get, item.span()))
        vpc = self.link(item.get("vpc_id"))
        is_main = item.kind == "aws_default_route_table" or (
            isinstance(vpc, str) and self.drafts.main_tables.get(vpc) == item.address
        )
        if item.kind == "aws_default_route_table":
            vpc = self._vpc_of_default_table(item)
        return RouteTable(**self.common(item), vpc=vpc, routes=tuple(routes), is_main=is_main)

    def _vpc_of_default_table(self, item: Item) -> str | Unknown | None:
        value = item.get("default_route_table_id")
        match = _MARKER.match(value) if isinstance(value, str) else None
        return match.group("address") if match else self.link(value)

    def _subnet(self, item: Item) -> Subnet:
        table = self.drafts.associations.get(item.address)
        vpc = self.link(item.get("vpc_id"))
        if table is None:
            table = self._main_table(vpc)
        return Subnet(
            **self.common(item),
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
        if vpc in self.drafts.main_tables:
            return self.drafts.main_tables[vpc]
        for item in self.items:
            if item.kind == "aws_default_route_table" and self._vpc_of_default_table(item) == vpc:
                return item.address
        return None

    def _nat_gateway(self, item: Item) -> NatGateway:
        connectivity = item.get("connectivity_type")
        return NatGateway(
            **self.common(item),
            subnet=self.link(item.get("subnet_id")),
            connectivity_type=connectivity if isinstance(connectivity, str) else "public",
        )

    def _internet_gateway(self, item: Item) -> InternetGateway:
        return InternetGateway(**self.common(item), vpc=self.link(item.get("vpc_id")))


def build_model(root: ModuleInstance, model: CloudModel) -> None:
    """Fill `model` with the resources of `root` and its local modules."""
    Builder(root, model).build()
