"""An identified Anyscale deployment: which resources of a model make up one cloud."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from anyscale_lint.model.aws import (
    EfsFileSystem,
    IamRole,
    InstanceProfile,
    MemoryDbCluster,
    S3Bucket,
    SecurityGroup,
    Subnet,
    Vpc,
)
from anyscale_lint.model.cloud import CloudModel, RegisterCommand, Resource
from anyscale_lint.model.values import Unknown

NetworkMode = Literal["private", "public"]


@dataclass(frozen=True)
class Identification:
    """How one part of the deployment was found (or what was tried when it was not)."""

    part: str
    resource: str | None
    method: str
    # Other resources that fit as well as the chosen one: the pick is ambiguous.
    considered: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoleTrust:
    """Whom a role's trust policy lets assume it, as identification read it."""

    accounts: tuple[str, ...] = ()
    services: tuple[str, ...] = ()


@dataclass
class Deployment:
    """The parts of one Anyscale cloud within a model, and how each was identified."""

    key: str
    model: CloudModel
    control_plane_role: IamRole | None = None
    instance_role: IamRole | None = None
    instance_profile: InstanceProfile | None = None
    bucket: S3Bucket | None = None
    vpc: Vpc | None = None
    subnets: tuple[Subnet, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    efs: EfsFileSystem | None = None
    memorydb: MemoryDbCluster | None = None
    # The cloud's region: the register command's --region, else the provider's region.
    region: str | Unknown | None = None
    network_mode: NetworkMode = "private"
    network_mode_source: str = "default (private)"
    register_command: RegisterCommand | None = None
    # A register command or resource file the user is about to run (`ready --register-command`,
    # `--resource-file`): checked against the code, never used to identify it.
    given_register: RegisterCommand | None = None
    identifications: list[Identification] = field(default_factory=list)
    # False when nothing in the root points at an Anyscale cloud: deployment rules then
    # report not-evaluated instead of judging unrelated resources.
    identified: bool = True
    # Resources named or tagged for Anyscale, in a root where no deployment was identified.
    anyscale_named: tuple[str, ...] = ()
    # Facts identification established, for the checks and the report to read (never to
    # recompute): subnets of the VPC that are public utility subnets, the security groups
    # EFS and MemoryDB carry, and whom each role (by key) trusts.
    utility_subnets: tuple[Subnet, ...] = ()
    service_groups: frozenset[str] = frozenset()
    trust: dict[str, RoleTrust] = field(default_factory=dict)
    # Signs of Anyscale that were too weak to identify a deployment (a role shaped like the
    # control-plane role and nothing else), in a root where none was identified.
    weak_signs: tuple[str, ...] = ()
    # When one root holds several deployments: the others' keys, the resources this one
    # shares with them (nothing split them), and whether this one is the root's first (the
    # one that reports about the root's inputs as a whole).
    siblings: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()
    primary: bool = True
    # Keys of the resources the other deployments of the root are made of.
    sibling_members: frozenset[str] = frozenset()

    def roles(self) -> list[tuple[str, IamRole]]:
        """The identified roles with their part names."""
        found = [
            ("control-plane role", self.control_plane_role),
            ("instance role", self.instance_role),
        ]
        return [(part, role) for part, role in found if role is not None]

    def member_keys(self) -> set[str]:
        """Keys of every resource that is part of the deployment."""
        parts: list[Resource | None] = [
            self.control_plane_role,
            self.instance_role,
            self.instance_profile,
            self.bucket,
            self.vpc,
            self.efs,
            self.memorydb,
            *self.subnets,
            *self.security_groups,
        ]
        return {part.key for part in parts if part is not None}
