"""Model the optional services of a deployment: EFS, MemoryDB, VPC endpoints and secondary
VPC CIDRs, from their Terraform resources (the split resources included)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from anyscale_lint.model import (
    EfsFileSystem,
    EfsMountTarget,
    MemoryDbCluster,
    Resource,
    Unknown,
    VpcEndpoint,
)
from anyscale_lint.sources.terraform.coerce import flag, port, text, texts
from anyscale_lint.sources.terraform.markers import unknown

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.builder import Builder
    from anyscale_lint.sources.terraform.items import Item

Handler = Callable[["Item"], Any]


def _links(builder: Builder, values: Any) -> tuple[str | Unknown, ...] | Unknown:
    items = texts(values)
    if isinstance(items, Unknown):
        return items
    return tuple(link for link in (builder.link(v) for v in items) if link is not None)


def split_handlers(builder: Builder) -> dict[str, Handler]:
    """Resources that add a part to another resource."""
    parts = builder.drafts.parts

    def backup_policy(item: Item) -> None:
        key = builder.link(item.get("file_system_id"))
        blocks = item.nested("backup_policy")
        if isinstance(key, str) and isinstance(blocks, list) and blocks:
            parts[key]["backup_status"] = text(item.block_value(blocks[0], "status"))

    def file_system_policy(item: Item) -> None:
        key = builder.link(item.get("file_system_id"))
        if isinstance(key, str):
            label = f"{item.address}"
            parts[key]["policy"] = builder.document(item, item.get("policy"), label, "policy")

    def endpoint_route_table(item: Item) -> None:
        key = builder.link(item.get("vpc_endpoint_id"))
        table = builder.link(item.get("route_table_id"))
        if isinstance(key, str) and table is not None:
            parts[key].setdefault("route_tables", []).append(table)

    def vpc_cidr(item: Item) -> None:
        key = builder.link(item.get("vpc_id"))
        if isinstance(key, str) and item.get("cidr_block") is not None:
            parts[key].setdefault("secondary_cidrs", []).append(text(item.get("cidr_block")))

    def memorydb_subnet_group(item: Item) -> None:
        parts[item.address]["subnets"] = _links(builder, item.get("subnet_ids"))

    def memorydb_parameter_group(item: Item) -> None:
        blocks = item.nested("parameter")
        if isinstance(blocks, Unknown):
            parts[item.address]["parameters"] = blocks
            return
        parameters = {}
        for block in blocks:
            name = item.block_value(block, "name")
            if isinstance(name, str):
                parameters[name] = text(item.block_value(block, "value"))
        parts[item.address]["parameters"] = parameters

    return {
        "aws_efs_backup_policy": backup_policy,
        "aws_efs_file_system_policy": file_system_policy,
        "aws_vpc_endpoint_route_table_association": endpoint_route_table,
        "aws_vpc_ipv4_cidr_block_association": vpc_cidr,
        "aws_memorydb_subnet_group": memorydb_subnet_group,
        "aws_memorydb_parameter_group": memorydb_parameter_group,
    }


def resource_handlers(builder: Builder) -> dict[str, Callable[[Item], Resource | None]]:
    """Resources modelled on their own."""
    parts = builder.drafts.parts

    def file_system(item: Item) -> Resource:
        own = parts.get(item.address, {})
        return EfsFileSystem(
            **builder.common(item),
            encrypted=flag(item.get("encrypted")),
            backup_status=own.get("backup_status"),
            policy=own.get("policy"),
        )

    def mount_target(item: Item) -> Resource:
        return EfsMountTarget(
            **builder.common(item),
            file_system=builder.link(item.get("file_system_id")),
            subnet=builder.link(item.get("subnet_id")),
            security_groups=_links(builder, item.get("security_groups")),
        )

    def memorydb(item: Item) -> Resource:
        group = builder.link(item.get("subnet_group_name"), "aws_memorydb_subnet_group")
        group_parts = parts.get(group, {}) if isinstance(group, str) else {}
        subnets = group_parts.get(
            "subnets", unknown(str(group), "the subnet group is not declared")
        )
        parameter_group = builder.link(
            item.get("parameter_group_name"), "aws_memorydb_parameter_group"
        )
        parameters = (
            parts.get(parameter_group, {}).get("parameters")
            if isinstance(parameter_group, str)
            else None
        )
        if (
            parameter_group is not None
            and parameters is None
            and not str(parameter_group).startswith("default.")
        ):
            parameters = unknown(
                str(parameter_group), "the parameter group is not declared in the scanned code"
            )
        shards = port(item.get("num_shards"))
        replicas = port(item.get("num_replicas_per_shard"))
        return MemoryDbCluster(
            **builder.common(item),
            tls_enabled=flag(item.get("tls_enabled"), True),
            num_shards=1 if shards is None else shards,
            replicas_per_shard=1 if replicas is None else replicas,
            subnets=subnets,
            subnet_group=group,
            security_groups=_links(builder, item.get("security_group_ids")),
            parameters=parameters,
            parameter_group=parameter_group,
        )

    def endpoint(item: Item) -> Resource:
        own = parts.get(item.address, {})
        tables = _links(builder, item.get("route_table_ids"))
        if not isinstance(tables, Unknown):
            tables = (*tables, *own.get("route_tables", []))
        endpoint_type = item.get("vpc_endpoint_type")
        return VpcEndpoint(
            **builder.common(item),
            vpc=builder.link(item.get("vpc_id")),
            service_name=text(item.get("service_name")),
            endpoint_type=text(endpoint_type) if endpoint_type is not None else "Gateway",
            route_tables=tables,
        )

    return {
        "aws_efs_file_system": file_system,
        "aws_efs_mount_target": mount_target,
        "aws_memorydb_cluster": memorydb,
        "aws_vpc_endpoint": endpoint,
    }
