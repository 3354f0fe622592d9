"""Facts about a network that identification, the checks and the readiness report share."""

from __future__ import annotations

from collections.abc import Sequence

from anyscale_lint.model import (
    CloudModel,
    EfsFileSystem,
    EfsMountTarget,
    MemoryDbCluster,
    NatGateway,
    Subnet,
)


def utility_subnets(model: CloudModel, subnets: Sequence[Subnet]) -> list[Subnet]:
    """Public utility subnets: those hosting a public NAT gateway or sharing its route table."""
    nat_subnets = {n.subnet for n in model.of_kind(NatGateway) if n.connectivity_type == "public"}
    # The NAT subnet's route table makes every subnet on it public, listed here or not.
    utility_tables = {
        s.route_table for s in model.of_kind(Subnet) if s.key in nat_subnets and s.route_table
    }
    return [
        s
        for s in subnets
        if s.key in nat_subnets or (s.route_table and s.route_table in utility_tables)
    ]


def service_groups(
    model: CloudModel, efs: EfsFileSystem | None, memorydb: MemoryDbCluster | None
) -> set[str]:
    """Security groups the EFS mount targets and the MemoryDB cluster carry (Anyscale's
    primary group must be one of them)."""
    used: set[str] = set()
    if efs is not None:
        for target in model.of_kind(EfsMountTarget):
            if target.file_system == efs.key and isinstance(target.security_groups, tuple):
                used |= {str(g) for g in target.security_groups}
    if memorydb is not None and isinstance(memorydb.security_groups, tuple):
        used |= {str(g) for g in memorydb.security_groups}
    return used


def service_subnet_keys(
    model: CloudModel, efs: EfsFileSystem | None, memorydb: MemoryDbCluster | None
) -> set[str]:
    """Subnets holding the EFS mount targets or in the MemoryDB subnet group."""
    keys: set[str] = set()
    if efs is not None:
        keys |= {str(t.subnet) for t in model.of_kind(EfsMountTarget) if t.file_system == efs.key}
    if memorydb is not None and isinstance(memorydb.subnets, tuple):
        keys |= {str(s) for s in memorydb.subnets}
    return keys
