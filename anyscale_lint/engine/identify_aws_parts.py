"""The finders of an AWS deployment's parts: each returns what it chose from the evidence of a
model, how, and what else fit equally (engine/identify.py assembles them into deployments).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from anyscale_lint.engine.evidence import (
    RoleEvidence,
    control_plane_candidates,
    flag_outputs,
    mentions_anyscale,
)
from anyscale_lint.engine.identify_common import (
    Found,
    IdentifyOptions,
    mode_of_command,
    register_region,
)
from anyscale_lint.engine.identify_common import not_found as _not_found
from anyscale_lint.engine.identify_common import ranked as _ranked
from anyscale_lint.engine.register_values import items, matcher
from anyscale_lint.engine.topology import service_subnet_keys, utility_subnets
from anyscale_lint.iam.roles import (
    EC2_SERVICE,
    is_cross_account,
    is_granted_bucket,
    trusted_accounts,
    trusts_service,
)
from anyscale_lint.model import (
    CloudModel,
    EfsFileSystem,
    IamRole,
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
)
from anyscale_lint.providers.aws import INPUTS_BY_KEY
from anyscale_lint.providers.inputs import RegisterInput

R = TypeVar("R", bound=Resource)


@dataclass(frozen=True)
class Evidence:
    """What identification reads: the model, the options, and the register command."""

    model: CloudModel
    options: IdentifyOptions
    command: RegisterCommand | None
    # The control-plane role evidence chose for this deployment, when the root holds several.
    seed: RoleEvidence | None = None


def _mapped(evidence: Evidence, spec: RegisterInput) -> Found[Any] | None:
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


def _flag_values(evidence: Evidence, spec: RegisterInput) -> list[str]:
    value = evidence.command.flags.get(spec.flag) if evidence.command else None
    return items(value) if isinstance(value, str) else []


def flag_named(evidence: Evidence, spec: RegisterInput) -> Found[Any] | None:
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


def _held(evidence: Evidence, spec: RegisterInput) -> Found[Any] | None:
    """Without a register command: the resources an output named or described after the
    flag holds (`subnet_ids`, "for --subnet-ids")."""
    if spec.cls is None or evidence.command is not None:
        return None
    matches = matcher(spec.cls)
    for found in flag_outputs(evidence.model):
        if found.spec is not spec:
            continue
        chosen: list[Resource] = []
        for value in items(found.output.value):
            chosen += [
                r for r in evidence.model.of_kind(spec.cls) if matches(r, value) and r not in chosen
            ][: None if spec.many else 1]
        if chosen:
            method = f"held by output {found.output.name} ({found.how} names --{spec.flag})"
            return Found(spec.part, tuple(chosen[: None if spec.many else 1]), method)
    return None


def _named_or_held(evidence: Evidence, spec: RegisterInput) -> Found[Any] | None:
    return flag_named(evidence, spec) or _held(evidence, spec)


def _given(evidence: Evidence, key: str) -> Found[Any] | None:
    spec = INPUTS_BY_KEY[key]
    return _mapped(evidence, spec) or _named_or_held(evidence, spec)


# ---- roles ------------------------------------------------------------------------------------


def swapped_roles(evidence: Evidence) -> tuple[IamRole, IamRole] | None:
    """(control-plane, instance) when the register command names them the other way round:
    its --anyscale-iam-role-id role trusts only EC2 and its --instance-iam-role-id role is the
    cross-account one. The shape decides, not which account is trusted."""
    if evidence.command is None:
        return None
    control = flag_named(evidence, INPUTS_BY_KEY["control-plane-role"])
    instance = flag_named(evidence, INPUTS_BY_KEY["instance-role"])
    if control is None or instance is None:
        return None
    named_control, named_instance = control.one, instance.one
    if not (isinstance(named_control, IamRole) and isinstance(named_instance, IamRole)):
        return None
    if (
        trusts_service(named_control, EC2_SERVICE)
        and not is_cross_account(named_control)
        and is_cross_account(named_instance)
        and not trusts_service(named_instance, EC2_SERVICE)
    ):
        return named_instance, named_control
    return None


def control_plane_role(evidence: Evidence) -> Found[IamRole]:
    """The role Anyscale's control plane assumes: the cross-account role evidence points at,
    whatever account it trusts."""
    part = "control-plane role"
    mapped = _mapped(evidence, INPUTS_BY_KEY["control-plane-role"])
    if mapped is not None:
        return mapped
    swapped = swapped_roles(evidence)
    if swapped is not None:
        flag = evidence.command.written("instance-iam-role-id") if evidence.command else ""
        return Found(
            part,
            (swapped[0],),
            f"named by --{flag} in the register command, but it is the cross-account role and "
            "the other trusts only ec2.amazonaws.com: the role flags are swapped (AWS-REG-004)",
        )
    named = flag_named(evidence, INPUTS_BY_KEY["control-plane-role"])
    if named is not None:
        return named
    if evidence.seed is not None:
        return Found(part, (evidence.seed.role,), evidence.seed.method)
    account = evidence.options.anyscale_account_id
    candidates = [
        c for c in control_plane_candidates(evidence.model, account) if c.strength != "weak"
    ]
    if not candidates:
        return _not_found(
            part,
            f"no role's trust policy names Anyscale's account {account} or an account like it, "
            "and no register output or name points at a cross-account role",
        )
    # Sorted strongest first, then as _ranked orders them: top[0] is the one it picks.
    top = [c for c in candidates if c.strength == candidates[0].strength]
    return _ranked(
        part, [c.role for c in top], lambda r: (not mentions_anyscale(r),), top[0].method
    )


def instance_role(evidence: Evidence, control_plane: IamRole | None) -> Found[IamRole]:
    """The role cluster nodes run as: an EC2 role, preferably one an instance profile holds."""
    mapped = _mapped(evidence, INPUTS_BY_KEY["instance-role"])
    if mapped is not None:
        return mapped
    swapped = swapped_roles(evidence)
    if swapped is not None:
        flag = evidence.command.written("anyscale-iam-role-id") if evidence.command else ""
        return Found(
            "instance role",
            (swapped[1],),
            f"named by --{flag} in the register command, but it trusts only ec2.amazonaws.com: "
            "the role flags are swapped (AWS-REG-004)",
        )
    given = _named_or_held(evidence, INPUTS_BY_KEY["instance-role"])
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
        lambda r: (
            r.key not in in_profile,
            not _shares_words(r, control_plane),
            not mentions_anyscale(r),
        ),
        method,
    )


# Words that every role of a deployment may carry: they do not tell staging from prod.
_COMMON_WORDS = frozenset(
    {"anyscale", "aws", "iam", "role", "roles", "cp", "control", "plane", "the"}
    | {"node", "nodes", "instance", "cluster"}
)


def _words(role: IamRole) -> set[str]:
    name = role.name if isinstance(role.name, str) else ""
    text = f"{role.address.rsplit('.', 1)[-1]} {name}".lower()
    return {w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _COMMON_WORDS}


def _shares_words(role: IamRole, control_plane: IamRole | None) -> bool:
    """Whether the role's name shares a distinguishing word (`staging`) with the
    control-plane role's: the pair of one deployment among several."""
    return control_plane is not None and bool(_words(role) & _words(control_plane))


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


def bucket(evidence: Evidence, roles: Sequence[IamRole]) -> Found[S3Bucket]:
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


def service(evidence: Evidence, key: str) -> Found[Any]:
    """The optional EFS file system or MemoryDB cluster: named by the register command, else
    the one in the model."""
    spec = INPUTS_BY_KEY[key]
    assert spec.cls is not None
    named = _named_or_held(evidence, spec)
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
    evidence: Evidence, subnets: Sequence[Subnet], groups: Sequence[SecurityGroup]
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
    evidence: Evidence, in_vpc: Sequence[Subnet], services: set[str], utility: Sequence[Subnet]
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


def security_groups(evidence: Evidence, in_vpc: Sequence[SecurityGroup]) -> Found[SecurityGroup]:
    """Groups named for anyscale in the VPC, else every group of the VPC."""
    anyscale = [g for g in in_vpc if mentions_anyscale(g)]
    if anyscale:
        return Found("security groups", tuple(anyscale), "named or tagged for anyscale")
    if in_vpc:
        return Found(
            "security groups", tuple(in_vpc), "every security group in the deployment's VPC"
        )
    return _not_found("security groups", "no security group in the VPC")


def network_mode(evidence: Evidence) -> tuple[NetworkMode, str]:
    """private or public, and what decided it."""
    options, command = evidence.options, evidence.command
    if options.network_mode:
        mode: NetworkMode = "public" if options.network_mode == "public" else "private"
        return mode, options.network_mode_source
    if command is not None:
        return mode_of_command(command)
    return "private", "default (private)"


def region(evidence: Evidence) -> str | Unknown | None:
    """The register command's --region, else the provider's region."""
    return register_region(evidence.command, evidence.model)


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


def network(
    evidence: Evidence, efs: EfsFileSystem | None, memorydb: MemoryDbCluster | None
) -> list[Found[Any]]:
    """VPC, node subnets and security groups, and the VPC's public utility subnets."""
    model = evidence.model
    named_subnets = _named_or_held(evidence, INPUTS_BY_KEY["subnets"])
    named_groups = _named_or_held(evidence, INPUTS_BY_KEY["security-groups"])
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
