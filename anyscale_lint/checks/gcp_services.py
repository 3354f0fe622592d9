"""Optional GCP components: Memorystore's settings and the Filestore's network
(REQUIREMENTS.md 3.7 and 3.8). Both rules are not evaluated when the component is absent."""

from __future__ import annotations

from anyscale_lint.checks.gcp_common import (
    flag_value,
    gcp_parts,
    missing_part,
    undecided,
)
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.gcp_values import names_network
from anyscale_lint.engine.registry import rule
from anyscale_lint.model import Unknown, is_known

# (attribute, the value Anyscale requires, what the wrong value means).
_MEMORYSTORE = (
    ("transit_encryption_mode", "DISABLED", "TLS is on"),
    ("read_replicas_mode", "READ_REPLICAS_ENABLED", "read replicas are off"),
    ("tier", "STANDARD_HA", "the instance is not highly available"),
)


@rule("GCP-MEM-001")
def memorystore_settings(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None:
        return
    redis = parts.memorystore
    if redis is None:
        missing_part(ctx, "memorystore", optional=True)
        return
    problems: list[str] = []
    unresolved: list[object] = []
    for attribute, required, meaning in _MEMORYSTORE:
        value = getattr(redis, attribute)
        if not is_known(value):
            unresolved.append(value)
        elif str(value).upper() != required:
            problems.append(f"{attribute} = {value} ({meaning})")
    if problems:
        ctx.fail(
            redis,
            f"{redis.address}: {'; '.join(problems)}. Anyscale requires Memorystore with TLS "
            "off (transit_encryption_mode = DISABLED) and read replicas on "
            "(read_replicas_mode = READ_REPLICAS_ENABLED, tier STANDARD_HA) for head-node fault "
            "tolerance: the opposite of AWS MemoryDB, where TLS must be on. `cloud verify` fails.",
            value="; ".join(problems),
        )
    elif unresolved:
        ctx.unknown(
            redis,
            f"A setting of {redis.address} is not known: {ctx.explain(unresolved[0])}.",
        )
    else:
        ctx.passed(redis)


@rule("GCP-FS-001")
def filestore_network(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None:
        return
    filestore = parts.filestore
    if filestore is None:
        missing_part(ctx, "filestore", optional=True)
        return
    network = parts.network
    given = flag_value(ctx, "vpc")
    names: tuple[object, ...]
    if network is not None:
        vpc, names = network.address, (network.network_name, network.name)
    elif given is not None and is_known(given[1]):
        vpc, names = str(given[1]), (given[1],)
    else:
        missing_part(ctx, "vpc")
        return
    networks = filestore.networks
    if isinstance(networks, Unknown):
        ctx.unknown(
            filestore,
            f"The networks of {filestore.address} are not known: {ctx.explain(networks)}.",
        )
        return
    if network is not None and any(names_network(n, network) for n in networks):
        ctx.passed(filestore)
        return
    if network is None and any(str(n).rstrip("/").rsplit("/", 1)[-1] in names for n in networks):
        ctx.passed(filestore)
        return
    unresolved = [n for n in networks if undecided(n)]
    if unresolved:
        ctx.unknown(
            filestore,
            f"The network of {filestore.address} is not known: {ctx.explain(unresolved[0])}.",
        )
        return
    attached = ", ".join(str(n) for n in networks) or "no network"
    ctx.fail(
        filestore,
        f"{filestore.address} is attached to {attached}, not the deployment's VPC {vpc}: "
        "registration aborts (the Filestore is not connected to the VPC), and an existing "
        "instance's network cannot be changed.",
        value=f"networks = {attached}",
    )
