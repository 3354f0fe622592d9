"""Which resources of a model make up the Anyscale deployment, and how each was found.

Order (ARCHITECTURE.md): the config's explicit mapping; an `anyscale cloud register`
command in the inputs; then inference (a role trusting Anyscale's account, the EC2 role in
an instance profile, the bucket both roles are granted, names and tags saying `anyscale`).
Each part has its own finder (identify_aws_parts.py; identify_gcp.py for a GCP deployment)
returning what it chose, how, and what else fit equally; this module assembles deployments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from anyscale_lint.engine.evidence import (
    RoleEvidence,
    control_plane_candidates,
    mentions_anyscale,
)
from anyscale_lint.engine.identify_aws_parts import (
    Evidence,
    bucket,
    control_plane_role,
    flag_named,
    instance_profile,
    instance_role,
    network,
    network_mode,
    region,
    role_trust,
    service,
)
from anyscale_lint.engine.identify_common import (
    Found,
    IdentifyOptions,
    mark_shared,
    mode_of_command,
)
from anyscale_lint.engine.identify_gcp import identify_gcp, model_provider
from anyscale_lint.engine.topology import service_groups, utility_subnets
from anyscale_lint.model import (
    CloudModel,
    Deployment,
    IamRole,
    Identification,
    RegisterCommand,
    Resource,
    Subnet,
)
from anyscale_lint.providers.aws import INPUTS_BY_KEY

R = TypeVar("R", bound=Resource)
# The options and the networking mode are shared with GCP identification (identify_common.py)
# and keep being importable from here.
__all__ = ["Found", "IdentifyOptions", "identify", "mode_of_command"]


def _unidentified(
    model: CloudModel, options: IdentifyOptions, tried: Sequence[Found[Any]]
) -> Deployment:
    weak = [
        f"{c.role.address} ({c.method})"
        for c in control_plane_candidates(model, options.anyscale_account_id)
        if c.strength == "weak"
    ]
    return Deployment(
        key=model.root,
        model=model,
        identified=False,
        anyscale_named=tuple(r.address for r in model.of_kind(Resource) if mentions_anyscale(r)),
        weak_signs=tuple(weak),
        identifications=[
            *(f.note() for f in tried),
            Identification(
                "deployment",
                None,
                "no Anyscale deployment identified: no register command, no config mapping, "
                "no output for a register flag, and no cross-account role that trusts Anyscale's "
                "account (or one like it) or is named for anyscale",
            ),
        ],
    )


@dataclass(frozen=True)
class _Seed:
    """What one deployment of a root is built around, and the label that keys it."""

    label: str
    mapping: dict[str, Any]
    command: RegisterCommand | None = None
    role: RoleEvidence | None = None


def _seeds(model: CloudModel, options: IdentifyOptions) -> list[_Seed]:
    """One seed per deployment: the config's split mappings, else each register command and
    each definite control-plane role no command names."""
    commands = model.register_commands
    candidates = control_plane_candidates(model, options.anyscale_account_id)
    if options.split_mappings:
        mapped = {
            str(address)
            for mapping in options.split_mappings.values()
            for address in (mapping.get("control_plane_role"), mapping.get("instance_role"))
            if address
        }
        # A definite control-plane role the config leaves out is still a deployment.
        return [
            *(
                _Seed(key, mapping, _command_naming(model, mapping, commands))
                for key, mapping in sorted(options.split_mappings.items())
            ),
            *(
                _Seed(c.role.address, options.mapping, None, c)
                for c in candidates
                if c.strength == "definite" and not {c.role.address, c.role.key} & mapped
            ),
        ]
    if options.mapping.get("control_plane_role"):
        return [_Seed(model.root, options.mapping, commands[0] if commands else None)]
    seeds = [
        _Seed(f"output.{c.output_name}" if c.output_name else f"command{n}", options.mapping, c)
        for n, c in enumerate(commands, 1)
    ]
    named = [_roles_of(Evidence(model, options, seed.command)) for seed in seeds]
    claimed = {role.key for roles in named for role in roles}
    unclaimed = [c for c in candidates if c.strength == "definite" and c.role.key not in claimed]
    # A command that names no role (a live scan given only --vpc-id, a command naming the
    # network) says what the deployment is: its role is inferred among the candidates, and
    # an ambiguous pick is recorded, rather than each candidate becoming a deployment.
    if model.one_deployment or any(not roles for roles in named):
        return seeds
    return [*seeds, *(_Seed(c.role.address, options.mapping, None, c) for c in unclaimed)]


def _command_naming(
    model: CloudModel, mapping: dict[str, Any], commands: Sequence[RegisterCommand]
) -> RegisterCommand | None:
    """The register command naming the control-plane role a split mapping names."""
    role = mapping.get("control_plane_role")
    for command in commands:
        evidence = Evidence(model, IdentifyOptions(), command)
        named = flag_named(evidence, INPUTS_BY_KEY["control-plane-role"])
        if (
            named is not None
            and named.one is not None
            and role in (named.one.address, named.one.key)
        ):
            return command
    return None


def _roles_of(evidence: Evidence) -> list[IamRole]:
    """The roles a register command names (either flag)."""
    found = [
        flag_named(evidence, INPUTS_BY_KEY[key]) for key in ("control-plane-role", "instance-role")
    ]
    return [f.one for f in found if f is not None and isinstance(f.one, IamRole)]


def identify(model: CloudModel, options: IdentifyOptions) -> list[Deployment]:
    """The deployments in a model: one per root, or one per control-plane role (or register
    command) when a root holds several, each keyed `<root>#<label>`. A GCP root's are found
    by engine/identify_gcp.py."""
    if model_provider(model) == "gcp":
        return identify_gcp(model, options)
    seeds = _seeds(model, options)
    if len(seeds) <= 1 and not options.split_mappings:
        # The root's only deployment: its parts are inferred as they always were.
        command = seeds[0].command if seeds else None
        return [
            _deployment(model, options, _Seed(model.root, options.mapping, command), model.root)
        ]
    deployments = [
        _deployment(model, replace(options, mapping=seed.mapping), seed, _key(model, seed))
        for seed in seeds
    ]
    # Deployments the config maps one by one share parts by the user's decision: not reported.
    mark_shared(deployments, report=not options.split_mappings)
    return deployments


def _key(model: CloudModel, seed: _Seed) -> str:
    prefix = f"{model.root}#"
    return seed.label if seed.label.startswith(prefix) else prefix + seed.label


def _deployment(model: CloudModel, options: IdentifyOptions, seed: _Seed, key: str) -> Deployment:
    """The deployment built around one seed (or the root's only one)."""
    command = seed.command
    if command is None and not seed.role and model.register_commands and not options.split_mappings:
        command = model.register_commands[0]
    evidence = Evidence(model, options, command, seed.role)
    control_plane = control_plane_role(evidence)
    instance = instance_role(evidence, control_plane.one)
    # Policy files alone: an EC2 trust document on its own is worth judging.
    if not (
        command
        or options.mapping
        or control_plane.one
        or (not model.holds_network and instance.one)
    ):
        return _unidentified(model, options, [control_plane, instance])
    roles = [r for r in (control_plane.one, instance.one) if r is not None]
    storage = bucket(evidence, roles)
    efs, memorydb = service(evidence, "efs"), service(evidence, "memorydb")
    subnets, chosen_vpc, groups = network(evidence, efs.one, memorydb.one)
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
    return Deployment(
        key=key,
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
