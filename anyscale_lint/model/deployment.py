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
from anyscale_lint.model.gcp import (
    GcpFilestore,
    GcpFirewall,
    GcpFirewallPolicy,
    GcpNetwork,
    GcpProject,
    GcpRedis,
    GcpServiceAccount,
    GcpSubnetwork,
    GcpWorkloadIdentityPool,
    GcpWorkloadIdentityProvider,
    GcsBucket,
)
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
class GcpParts:
    """The parts of a GCP deployment (`anyscale cloud register --provider gcp`)."""

    project: GcpProject | None = None
    # The project ID the deployment is registered with (register command or project).
    project_id: str | Unknown | None = None
    # A shared VPC's host project: networking and firewalls are read there.
    host_project_id: str | Unknown | None = None
    network: GcpNetwork | None = None
    # The node subnet comes first (Anyscale uses only the first).
    subnets: tuple[GcpSubnetwork, ...] = ()
    # `REGIONAL_MANAGED_PROXY` subnets of the network in the cloud's region.
    proxy_subnets: tuple[GcpSubnetwork, ...] = ()
    # The first is the one registration names (Anyscale uses only the first).
    firewall_policies: tuple[GcpFirewallPolicy, ...] = ()
    # Classic firewalls on the network: counted by scanning, never by Anyscale's verifier.
    firewalls: tuple[GcpFirewall, ...] = ()
    access_service_account: GcpServiceAccount | None = None
    node_service_account: GcpServiceAccount | None = None
    pool: GcpWorkloadIdentityPool | None = None
    identity_provider: GcpWorkloadIdentityProvider | None = None
    bucket: GcsBucket | None = None
    filestore: GcpFilestore | None = None
    memorystore: GcpRedis | None = None

    def members(self) -> list[Resource]:
        """Every part that was found."""
        single: list[Resource | None] = [
            self.project,
            self.network,
            self.access_service_account,
            self.node_service_account,
            self.pool,
            self.identity_provider,
            self.bucket,
            self.filestore,
            self.memorystore,
        ]
        many: list[Resource] = [
            *self.subnets,
            *self.proxy_subnets,
            *self.firewall_policies,
            *self.firewalls,
        ]
        return [part for part in single if part is not None] + many


@dataclass
class Deployment:
    """The parts of one Anyscale cloud within a model, and how each was identified."""

    key: str
    model: CloudModel
    # `aws` or `gcp`: which provider's rules judge it (the others report nothing).
    provider: str = "aws"
    # The GCP parts, for a GCP deployment.
    gcp: GcpParts | None = None
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
        keys = {part.key for part in parts if part is not None}
        if self.gcp is not None:
            keys |= {part.key for part in self.gcp.members()}
        return keys
