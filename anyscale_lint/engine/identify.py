"""Which resources of a model make up the Anyscale deployment, and how each was found.

Order (ARCHITECTURE.md): the config's explicit mapping; an `anyscale cloud register`
command in the inputs; then inference (a role trusting Anyscale's account, the EC2 role in
an instance profile, the bucket both roles are granted, names and tags saying `anyscale`).
Each part has its own function returning what it chose, how, and what else fit equally.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from anyscale_lint.engine.register_values import items, matcher
from anyscale_lint.engine.topology import service_groups, service_subnet_keys, utility_subnets
from anyscale_lint.iam.accounts import typo_of_anyscale_account
from anyscale_lint.iam.roles import (
    EC2_SERVICE,
    is_granted_bucket,
    trusted_accounts,
    trusts_account,
    trusts_service,
)
from anyscale_lint.model import (
    CloudModel,
    Deployment,
    EfsFileSystem,
    IamRole,
    Identification,
    InstanceProfile,
    MemoryDbCluster,
    NetworkMode,
    RegisterCommand,
    Resource,
    RoleTrust,
    S3Bucket,
    SecurityGroup,
    Subnet,
    Unknown,
    Vpc,
    is_known,
)
from anyscale_lint.providers.aws import ANYSCALE_ACCOUNT_ID, INPUTS_BY_KEY, RegisterInput

R = TypeVar("R", bound=Resource)


@dataclass(frozen=True)
class IdentifyOptions:
    """Inputs to identification and to the networking mode."""

    anyscale_account_id: str = ANYSCALE_ACCOUNT_ID
    network_mode: str | None = None
    network_mode_source: str = ""
    # Explicit mapping from the config: part -> resource address(es).
    mapping: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Found(Generic[R]):
    """One part: the resources chosen, how they were found, and what else fit equally."""

    part: str
    chosen: tuple[R, ...]
    method: str
    considered: tuple[str, ...] = ()

    @property
    def one(self) -> R | None:
        """The chosen resource of a single-resource part."""
        return self.chosen[0] if self.chosen else None

    def note(self) -> Identification:
        """The record the report shows."""
        resource = self.chosen[0].address if len(self.chosen) == 1 else None
        return Identification(self.part, resource, self.method, self.considered)


@dataclass(frozen=True)
class _Evidence:
    """What identification reads: the model, the options, and the register command."""

    model: CloudModel
    options: IdentifyOptions
    command: RegisterCommand | None


def mentions_anyscale(resource: Resource) -> bool:
    """Whether the resource's address, name or tags say `anyscale`."""
    name = resource.name if isinstance(resource.name, str) else ""
    texts = [resource.address, name, *resource.tags.keys(), *resource.tags.values()]
    return any("anyscale" in text.lower() for text in texts)


def _ranked(
    part: str, candidates: Sequence[R], rank: Callable[[R], tuple[bool, ...]], method: str
) -> Found[R]:
    """The best-ranked candidate; others of the same rank are named as equally fitting."""
    ordered = sorted(candidates, key=lambda c: (rank(c), c.key))
    best = [c for c in ordered if rank(c) == rank(ordered[0])]
    if len(best) > 1:
        others = tuple(c.address for c in best[1:])
        shown = ", ".join(c.address for c in best)
        method += f" (ambiguous: {len(best)} fit equally: {shown}; map one in the config)"
        return Found(part, (best[0],), method, others)
    return Found(part, (ordered[0],), method)


def _not_found(part: str, tried: str) -> Found[Any]:
    return Found(part, (), f"not identified: {tried}")


def _mapped(evidence: _Evidence, spec: RegisterInput) -> Found[Any] | None:
    """The resource the config's deployments mapping names for this part."""
    address = evidence.options.mapping.get(spec.key.replace("-", "_"))
    if not isinstance(address, str) or spec.cls is None:
        return None
    resource = evidence.model.get(address)
    if resource is None:
        matches = matcher(spec.cls)
        resource = next((r for r in evidence.model.of_kind(spec.cls) if matches(r, address)), None)
    if isinstance(resource, spec.cls):
        return Found(spec.part, (resource,), "mapped in the config file")
    return _not_found(
        spec.part, f"the config maps it to {address}, which is not a {spec.cls.kind} in this root"
    )


def _flag_values(evidence: _Evidence, spec: RegisterInput) -> list[str]:
    value = evidence.command.flags.get(spec.flag) if evidence.command else None
    return items(value) if isinstance(value, str) else []


def _named(evidence: _Evidence, spec: RegisterInput) -> Found[Any] | None:
    """The resources the register command's flag names."""
    if spec.cls is None or evidence.command is None:
        return None
    matches = matcher(spec.cls)
    chosen: list[Resource] = []
    for value in _flag_values(evidence, spec):
        chosen += [
            r for r in evidence.model.of_kind(spec.cls) if matches(r, value) and r not in chosen
        ][: None if spec.many else 1]
    if not chosen:
        return None
    command = evidence.command
    where = command.output_name or "input"
    flag = command.written(spec.flag)
    if spec.many:
        method = f"named by --{flag} in the register command: " + ", ".join(
            r.address for r in chosen
        )
    else:
        method = f"named by --{flag} in the register command ({where})"
    return Found(spec.part, tuple(chosen), method)


def _given(evidence: _Evidence, key: str) -> Found[Any] | None:
    spec = INPUTS_BY_KEY[key]
    return _mapped(evidence, spec) or _named(evidence, spec)


# ---- roles ------------------------------------------------------------------------------------


def control_plane_role(evidence: _Evidence) -> Found[IamRole]:
    """The role Anyscale's control plane assumes."""
    given = _given(evidence, "control-plane-role")
    if given is not None:
        return given
    account = evidence.options.anyscale_account_id
    trusting = [r for r in evidence.model.of_kind(IamRole) if trusts_account(r, account)]
    mistyped = [
        r
        for r in evidence.model.of_kind(IamRole)
        if any(typo_of_anyscale_account(a, account) for a in trusted_accounts(r))
    ]
    if not trusting and mistyped:
        # The most dangerous mistake must not switch identification off (AWS-IAM-001 fails).
        return _ranked(
            "control-plane role",
            mistyped,
            lambda r: (not mentions_anyscale(r),),
            f"its trust policy trusts an account that looks like a typo of Anyscale's {account}",
        )
    if not trusting:
        return _not_found(
            "control-plane role", f"no role's trust policy names Anyscale's account {account}"
        )
    return _ranked(
        "control-plane role",
        trusting,
        lambda r: (not mentions_anyscale(r),),
        f"its trust policy trusts Anyscale's account {account}",
    )


def instance_role(evidence: _Evidence, control_plane: IamRole | None) -> Found[IamRole]:
    """The role cluster nodes run as: an EC2 role, preferably one an instance profile holds."""
    given = _given(evidence, "instance-role")
    if given is not None:
        return given
    in_profile = _profiled_roles(evidence.model)
    ec2_roles = [
        r
        for r in evidence.model.of_kind(IamRole)
        if trusts_service(r, EC2_SERVICE) and r is not control_plane
    ]
    if not ec2_roles:
        return _not_found("instance role", "no role trusts ec2.amazonaws.com")
    method = "its trust policy trusts ec2.amazonaws.com"
    if any(r.key in in_profile for r in ec2_roles):
        method += " and an instance profile holds it"
    return _ranked(
        "instance role",
        ec2_roles,
        lambda r: (r.key not in in_profile, not mentions_anyscale(r)),
        method,
    )


def _profiled_roles(model: CloudModel) -> set[str]:
    return {
        link
        for profile in model.of_kind(InstanceProfile)
        for link in profile.roles
        if isinstance(link, str)
    }


def instance_profile(model: CloudModel, role: IamRole | None) -> InstanceProfile | None:
    """The instance profile holding the instance role."""
    if role is None:
        return None
    return next((p for p in model.of_kind(InstanceProfile) if role.key in p.roles), None)


# ---- storage ----------------------------------------------------------------------------------


def bucket(evidence: _Evidence, roles: Sequence[IamRole]) -> Found[S3Bucket]:
    """The bucket the roles are granted, else the one named for anyscale, else the only one."""
    given = _given(evidence, "bucket")
    if given is not None:
        return given
    buckets = list(evidence.model.of_kind(S3Bucket))

    def granted(candidate: S3Bucket) -> bool:
        return any(is_granted_bucket(role, candidate) for role in roles)

    fitting = [b for b in buckets if granted(b) or mentions_anyscale(b)] or (
        buckets if len(buckets) == 1 else []
    )
    if not fitting:
        return _not_found(
            "bucket",
            "no bucket is granted to the roles, named for anyscale, or alone in the root",
        )

    def rank(candidate: S3Bucket) -> tuple[bool, ...]:
        return not granted(candidate), not mentions_anyscale(candidate)

    top = min(fitting, key=lambda b: (rank(b), b.key))
    how = (
        "the roles are granted access to it"
        if granted(top)
        else "its name or tags say anyscale"
        if mentions_anyscale(top)
        else "the only bucket in this root"
    )
    return _ranked("bucket", fitting, rank, how)


def service(evidence: _Evidence, key: str) -> Found[Any]:
    """The optional EFS file system or MemoryDB cluster: named by the register command, else
    the one in the model."""
    spec = INPUTS_BY_KEY[key]
    assert spec.cls is not None
    named = _named(evidence, spec)
    if named is not None:
        return named
    values = _flag_values(evidence, spec)
    if values:
        return _not_found(spec.part, f"{values[0]} names no {spec.cls.kind} in this root")
    candidates = list(evidence.model.of_kind(spec.cls))
    if not candidates:
        return Found(spec.part, (), f"no {spec.cls.kind} in this root")
    return _ranked(
        spec.part,
        candidates,
        lambda r: (not mentions_anyscale(r),),
        f"the {spec.cls.kind} in this root",
    )


# ---- network ----------------------------------------------------------------------------------


def vpc(
    evidence: _Evidence, subnets: Sequence[Subnet], groups: Sequence[SecurityGroup]
) -> Found[Vpc]:
    """The VPC the register command names, else the one of the named subnets and groups."""
    given = _given(evidence, "vpc")
    if given is not None:
        return given
    keys = {s.vpc for s in subnets if isinstance(s.vpc, str)} | {
        g.vpc for g in groups if isinstance(g.vpc, str)
    }
    vpcs = [v for v in evidence.model.of_kind(Vpc) if v.key in keys] or list(
        evidence.model.of_kind(Vpc)
    )
    if not vpcs:
        return _not_found("vpc", "no aws_vpc in this root")
    how = "the VPC of the deployment's subnets and groups" if keys else "the VPC in this root"
    return _ranked("vpc", vpcs, lambda v: (not mentions_anyscale(v),), how)


def node_subnets(
    evidence: _Evidence, in_vpc: Sequence[Subnet], services: set[str], utility: Sequence[Subnet]
) -> Found[Subnet]:
    """Subnets nodes run in: those of EFS and MemoryDB, else the VPC's minus utility subnets."""
    serving = [s for s in in_vpc if s.key in services]
    if serving:
        return Found(
            "subnets",
            tuple(serving),
            "inferred: the subnets of the EFS mount targets and the MemoryDB subnet group",
        )
    nodes = tuple(s for s in in_vpc if s not in utility)
    if utility:
        return Found(
            "subnets",
            nodes,
            "inferred: the VPC's subnets except public utility subnets that host NAT gateways "
            f"or share their route table ({', '.join(s.address for s in utility)})",
        )
    if nodes:
        return Found("subnets", nodes, "inferred: every subnet of the deployment's VPC")
    return _not_found("subnets", "no subnets in the deployment's VPC")


def security_groups(evidence: _Evidence, in_vpc: Sequence[SecurityGroup]) -> Found[SecurityGroup]:
    """Groups named for anyscale in the VPC, else every group of the VPC."""
    anyscale = [g for g in in_vpc if mentions_anyscale(g)]
    if anyscale:
        return Found("security groups", tuple(anyscale), "named or tagged for anyscale")
    if in_vpc:
        return Found(
            "security groups", tuple(in_vpc), "every security group in the deployment's VPC"
        )
    return _not_found("security groups", "no security group in the VPC")


def network_mode(evidence: _Evidence) -> tuple[NetworkMode, str]:
    """private or public, and what decided it."""
    options, command = evidence.options, evidence.command
    if options.network_mode:
        mode: NetworkMode = "public" if options.network_mode == "public" else "private"
        return mode, options.network_mode_source
    if command is not None:
        return mode_of_command(command)
    return "private", "default (private)"


def mode_of_command(command: RegisterCommand) -> tuple[NetworkMode, str]:
    """The networking mode a register command or resource file asks for, and where it says so."""
    private = "private-network" in command.flags
    where = command.output_name or command.source or "the register command"
    source = f"register command ({where}) {'has' if private else 'lacks'} --private-network"
    return ("private" if private else "public"), source


def region(evidence: _Evidence) -> str | Unknown | None:
    """The register command's --region, else the provider's region."""
    given = evidence.command.flags.get("region") if evidence.command else None
    if isinstance(given, str) and given and is_known(given):
        return given
    return evidence.model.region


def role_trust(model: CloudModel) -> dict[str, RoleTrust]:
    """Whom each role trusts (accounts and EC2), for the checks and the report."""
    return {
        role.key: RoleTrust(
            tuple(trusted_accounts(role)),
            (EC2_SERVICE,) if trusts_service(role, EC2_SERVICE) else (),
        )
        for role in model.of_kind(IamRole)
    }


# ---- the deployment ---------------------------------------------------------------------------


def _unidentified(model: CloudModel, tried: Sequence[Found[Any]]) -> Deployment:
    return Deployment(
        key=model.root,
        model=model,
        identified=False,
        anyscale_named=tuple(r.address for r in model.of_kind(Resource) if mentions_anyscale(r)),
        identifications=[
            *(f.note() for f in tried),
            Identification(
                "deployment",
                None,
                "no Anyscale deployment identified: no register command, no config mapping, "
                "and no role trusting Anyscale's account",
            ),
        ],
    )


def _network(
    evidence: _Evidence, efs: EfsFileSystem | None, memorydb: MemoryDbCluster | None
) -> list[Found[Any]]:
    """VPC, node subnets and security groups, and the VPC's public utility subnets."""
    model = evidence.model
    named_subnets = _named(evidence, INPUTS_BY_KEY["subnets"])
    named_groups = _named(evidence, INPUTS_BY_KEY["security-groups"])
    chosen_vpc = vpc(
        evidence,
        named_subnets.chosen if named_subnets else (),
        named_groups.chosen if named_groups else (),
    )
    the_vpc = chosen_vpc.one
    in_vpc = [s for s in model.of_kind(Subnet) if the_vpc is None or s.vpc == the_vpc.key]
    subnets = named_subnets or node_subnets(
        evidence,
        in_vpc,
        service_subnet_keys(model, efs, memorydb),
        utility_subnets(model, in_vpc),
    )
    groups = named_groups or security_groups(
        evidence,
        [g for g in model.of_kind(SecurityGroup) if the_vpc is None or g.vpc == the_vpc.key],
    )
    return [subnets, chosen_vpc, groups]


def identify(model: CloudModel, options: IdentifyOptions) -> list[Deployment]:
    """The deployments in a model (one per root today; the list leaves room for more)."""
    command = model.register_commands[0] if model.register_commands else None
    evidence = _Evidence(model, options, command)
    control_plane = control_plane_role(evidence)
    instance = instance_role(evidence, control_plane.one)
    # Policy files alone: an EC2 trust document on its own is worth judging.
    if not (
        command
        or options.mapping
        or control_plane.one
        or (not model.holds_network and instance.one)
    ):
        return [_unidentified(model, [control_plane, instance])]
    roles = [r for r in (control_plane.one, instance.one) if r is not None]
    storage = bucket(evidence, roles)
    efs, memorydb = service(evidence, "efs"), service(evidence, "memorydb")
    subnets, chosen_vpc, groups = _network(evidence, efs.one, memorydb.one)
    mode, mode_source = network_mode(evidence)
    found: list[Found[Any]] = [
        control_plane,
        instance,
        storage,
        efs,
        memorydb,
        subnets,
        chosen_vpc,
        groups,
    ]
    in_vpc = [
        s
        for s in model.of_kind(Subnet)
        if chosen_vpc.one is None or s.vpc == chosen_vpc.one.key or s in subnets.chosen
    ]
    deployment = Deployment(
        key=model.root,
        model=model,
        control_plane_role=control_plane.one,
        instance_role=instance.one,
        instance_profile=instance_profile(model, instance.one),
        bucket=storage.one,
        vpc=chosen_vpc.one,
        subnets=subnets.chosen,
        security_groups=groups.chosen,
        efs=efs.one,
        memorydb=memorydb.one,
        region=region(evidence),
        network_mode=mode,
        network_mode_source=mode_source,
        register_command=command,
        identifications=[f.note() for f in found if f.method],
        utility_subnets=tuple(utility_subnets(model, in_vpc)),
        service_groups=frozenset(service_groups(model, efs.one, memorydb.one)),
        trust=role_trust(model),
    )
    return [deployment]
