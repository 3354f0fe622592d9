"""Which resources of a model make up an Anyscale cloud on GCP, and how each was found.

A deployment is identified from evidence, never from its correctness (ARCHITECTURE.md): a
register command with `--provider gcp`; resources labelled `anyscale-cloud-id`; a workload
identity provider trusting Anyscale's AWS account or one a slip away from it (or any AWS
account, when something else in the root is named for anyscale), or a service account
whose own IAM lets the principals of Anyscale's role (`gcp_if_<org>`) act as it. A provider
trusting a mistyped account is still the deployment's provider, so GCP-WIF-001 fails on it.
A foreign AWS account with nothing else pointing at Anyscale is a weak sign only: other
vendors federate AWS into GCP too.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from anyscale_lint.engine.evidence import mentions_anyscale
from anyscale_lint.engine.gcp_values import GCP_CLASSES, is_gcp_model
from anyscale_lint.engine.identify_common import (
    Found,
    IdentifyOptions,
    mark_shared,
    mode_of_command,
    register_region,
)
from anyscale_lint.engine.identify_gcp_parts import (
    ANYSCALE_LABEL,
    GcpEvidence,
    access_account,
    bucket,
    firewall_policies,
    firewalls,
    given,
    identity_provider,
    network,
    node_account,
    node_subnets,
    pool,
    pool_grants,
    proxy_subnets,
    service,
)
from anyscale_lint.iam.accounts import typo_of_anyscale_account
from anyscale_lint.model import (
    CloudModel,
    Deployment,
    GcpParts,
    GcpProject,
    GcpWorkloadIdentityProvider,
    Identification,
    NetworkMode,
    RegisterCommand,
    Resource,
    Unknown,
    is_known,
)
from anyscale_lint.providers.gcp import GCP_DEFAULT_REGION, names_gcp

# The AWS role Anyscale's control plane reaches GCP as (REQUIREMENTS.md GCP-WIF-03).
_ANYSCALE_ROLE = "gcp_if_"


def model_provider(model: CloudModel) -> str:
    """`gcp` when the root's register commands all say `--provider gcp`, or (no command
    decides) when its resources are the GCP model's only; else `aws`."""
    commands = model.register_commands
    gcp_commands = [c for c in commands if names_gcp(c.flags)]
    if commands and len(gcp_commands) in (0, len(commands)):
        return "gcp" if gcp_commands else "aws"
    gcp = is_gcp_model(model)
    other = any(not _is_gcp(r) for r in model.resources.values())
    return "gcp" if gcp and not other else "aws"


def _is_gcp(resource: Resource) -> bool:
    return isinstance(resource, GCP_CLASSES)


def signs(model: CloudModel, options: IdentifyOptions) -> tuple[list[str], list[str]]:
    """What points at an Anyscale cloud without a register command: (identifying signs,
    weak signs)."""
    account = options.anyscale_account_id
    strong: list[str] = []
    weak: list[str] = []
    labelled = [r.address for r in model.resources.values() if ANYSCALE_LABEL in r.tags]
    if labelled:
        strong.append(f"labelled {ANYSCALE_LABEL}: {', '.join(labelled)}")
    named = any(mentions_anyscale(r) for r in model.resources.values() if _is_gcp(r))
    for provider in model.of_kind(GcpWorkloadIdentityProvider):
        if provider.provider_type != "aws":
            continue
        trusted = provider.aws_account_id
        condition = provider.attribute_condition
        if trusted == account:
            strong.append(f"{provider.address} trusts Anyscale's AWS account {account}")
        elif isinstance(trusted, str) and typo_of_anyscale_account(trusted, account):
            strong.append(f"{provider.address} trusts AWS account {trusted}, a slip from {account}")
        elif isinstance(condition, str) and _ANYSCALE_ROLE in condition:
            strong.append(f"{provider.address} admits Anyscale's role ({_ANYSCALE_ROLE}<org>)")
        elif named:
            strong.append(
                f"{provider.address} trusts AWS account {trusted} and the root names anyscale"
            )
        else:
            weak.append(f"{provider.address} (trusts AWS account {trusted})")
    for grant, member in pool_grants(model):
        if _ANYSCALE_ROLE in member:
            strong.append(f"{grant.address} grants Anyscale's role ({_ANYSCALE_ROLE}<org>)")
    return strong, weak


def identify_gcp(model: CloudModel, options: IdentifyOptions) -> list[Deployment]:
    """The GCP deployments of a model: one per `--provider gcp` register command (keyed
    `<root>#output.NAME` when there are several), else the root's one."""
    commands = [c for c in model.register_commands if names_gcp(c.flags)]
    if len(commands) <= 1:
        command = commands[0] if commands else None
        return [_deployment(model, options, command, model.root)]
    deployments = [
        _deployment(model, options, c, f"{model.root}#output.{c.output_name or n}")
        for n, c in enumerate(commands, 1)
    ]
    mark_shared(deployments, report=True)
    return deployments


def _unidentified(model: CloudModel, weak: list[str]) -> Deployment:
    return Deployment(
        key=model.root,
        model=model,
        provider="gcp",
        gcp=GcpParts(),
        identified=False,
        anyscale_named=tuple(r.address for r in model.of_kind(Resource) if mentions_anyscale(r)),
        weak_signs=tuple(weak),
        region=model.region,
        identifications=[
            Identification(
                "deployment",
                None,
                "no Anyscale deployment identified: no register command with --provider gcp, "
                f"no {ANYSCALE_LABEL} label, no workload identity provider trusting Anyscale's "
                "AWS account (or one like it, or any AWS account in a root named for anyscale), "
                f"and no service account granted to Anyscale's role ({_ANYSCALE_ROLE}<org>)",
            )
        ],
    )


def _region(command: RegisterCommand | None, model: CloudModel) -> tuple[Any, str | None]:
    """The cloud's region, and a note when it is the CLI's default."""
    if command is not None and "region" not in command.flags:
        return GCP_DEFAULT_REGION, (
            f"the register command gives no --region: Anyscale's CLI uses {GCP_DEFAULT_REGION}"
        )
    return register_region(command, model), None


def _mode(options: IdentifyOptions, command: RegisterCommand | None) -> tuple[NetworkMode, str]:
    if options.network_mode:
        mode: NetworkMode = "public" if options.network_mode == "public" else "private"
        return mode, options.network_mode_source
    if command is not None:
        return mode_of_command(command)
    return "private", "default (private)"


def _project(
    ev: GcpEvidence, found: list[Found[Any]], parts: list[Resource]
) -> tuple[GcpProject | None, str | Unknown | None]:
    """The project and its ID: named by --project-id, else the root's project, else the
    project most of the parts are created in."""
    named = given(ev, "project")
    values = ev.flag_values("project")
    projects = list(ev.model.of_kind(GcpProject))
    if named is not None:
        found.append(named)
        chosen = named.one
    else:
        chosen = projects[0] if len(projects) == 1 else None
        if chosen is not None:
            found.append(Found("project", (chosen,), "the only google_project in this root"))
    if values:
        return chosen, values[0]
    if chosen is not None:
        return chosen, chosen.project_id
    used = Counter(
        p
        for p in (getattr(r, "project", None) for r in parts)
        if isinstance(p, str) and is_known(p)
    )
    return None, used.most_common(1)[0][0] if used else None


def _deployment(
    model: CloudModel, options: IdentifyOptions, command: RegisterCommand | None, key: str
) -> Deployment:
    strong, weak = signs(model, options)
    if command is None and not strong and not options.mapping:
        return _unidentified(model, weak)
    ev = GcpEvidence(model, options, command)
    region, region_note = _region(command, model)
    named_subnets = given(ev, "subnets")
    net = network(ev, named_subnets)
    subnets = node_subnets(ev, named_subnets, net.one, region)
    proxies = proxy_subnets(ev, net.one, region)
    policies = firewall_policies(ev, net.one)
    classic = firewalls(ev, net.one)
    access = access_account(ev)
    node = node_account(ev, access.one)
    provider = identity_provider(ev)
    the_pool = pool(ev, provider.one)
    storage = bucket(ev, [a for a in (access.one, node.one) if a is not None])
    filestore, memorystore = service(ev, "filestore"), service(ev, "memorystore")
    found: list[Found[Any]] = [
        net,
        subnets,
        proxies,
        policies,
        classic,
        access,
        node,
        provider,
        the_pool,
        storage,
        filestore,
        memorystore,
    ]
    members = [r for f in found for r in f.chosen]
    project, project_id = _project(ev, found, members)
    host = ev.flag_values("host_project")
    parts = GcpParts(
        project=project,
        project_id=project_id,
        host_project_id=host[0] if host else None,
        network=net.one,
        subnets=subnets.chosen,
        proxy_subnets=proxies.chosen,
        firewall_policies=policies.chosen,
        firewalls=classic.chosen,
        access_service_account=access.one,
        node_service_account=node.one,
        pool=the_pool.one,
        identity_provider=provider.one,
        bucket=storage.one,
        filestore=filestore.one,
        memorystore=memorystore.one,
    )
    mode, mode_source = _mode(options, command)
    notes = [f.note() for f in found]
    if command is None:
        notes.insert(0, Identification("deployment", None, "; ".join(strong) or "config mapping"))
    if region_note:
        notes.append(Identification("region", None, region_note))
    return Deployment(
        key=key,
        model=model,
        provider="gcp",
        gcp=parts,
        region=region,
        network_mode=mode,
        network_mode_source=mode_source,
        register_command=command,
        identifications=notes,
    )
