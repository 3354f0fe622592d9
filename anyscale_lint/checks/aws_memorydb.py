"""AWS MemoryDB rules (optional component for head-node fault tolerance)."""

from __future__ import annotations

from anyscale_lint.checks.common import unknown_part
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.model import MemoryDbCluster, Unknown, is_known


def _cluster(ctx: CheckContext) -> MemoryDbCluster | None:
    """The deployment's MemoryDB cluster, or None (not-evaluated recorded: it is optional)."""
    if ctx.deployment.memorydb is None and not unknown_part(ctx, "memorydb"):
        ctx.not_evaluated(ctx.deployment.key, "the deployment has no MemoryDB cluster")
    return ctx.deployment.memorydb


@rule("AWS-MDB-001")
def memorydb_tls(ctx: CheckContext) -> None:
    # A hygiene rule: under --scope all, every cluster, not only the deployment's.
    clusters = list(ctx.targets(MemoryDbCluster))
    if not clusters:
        _cluster(ctx)
    for cluster in clusters:
        if cluster.tls_enabled is True:
            ctx.passed(cluster)
        elif isinstance(cluster.tls_enabled, Unknown):
            ctx.unknown(
                cluster,
                f"Whether {cluster.address} uses TLS is not known: "
                f"{ctx.explain(cluster.tls_enabled)}.",
            )
        else:
            why = (
                "Anyscale connects with rediss:// and requires TLS"
                if cluster.key in ctx.deployment.member_keys()
                else "traffic to it is not encrypted in transit"
            )
            ctx.fail(
                cluster, f"{cluster.address} has TLS disabled; {why}.", value="tls_enabled = false"
            )


@rule("AWS-MDB-002")
def memorydb_ha(ctx: CheckContext) -> None:
    cluster = _cluster(ctx)
    if cluster is None:
        return
    replicas = cluster.replicas_per_shard
    if isinstance(replicas, Unknown):
        ctx.unknown(
            cluster, f"The replicas of {cluster.address} are not known: {ctx.explain(replicas)}."
        )
    elif replicas < 1:
        ctx.fail(
            cluster,
            f"{cluster.address} has {replicas} replica(s) per shard: each shard "
            "needs at least 2 nodes for high availability.",
            value=f"num_replicas_per_shard = {replicas}",
        )
    else:
        ctx.passed(cluster)


@rule("AWS-MDB-003")
def memorydb_eviction(ctx: CheckContext) -> None:
    cluster = _cluster(ctx)
    if cluster is None:
        return
    parameters = cluster.parameters
    if isinstance(parameters, Unknown):
        ctx.unknown(
            cluster,
            f"The parameters of {cluster.address} are not known: {ctx.explain(parameters)}.",
        )
        return
    policy = (parameters or {}).get("maxmemory-policy")
    if policy == "allkeys-lru":
        ctx.passed(cluster)
    elif policy is not None and not is_known(policy):
        ctx.unknown(
            cluster, f"maxmemory-policy of {cluster.address} is not known: {ctx.explain(policy)}."
        )
    else:
        shown = f"maxmemory-policy = {policy}" if policy else "the default parameter group"
        ctx.fail(
            cluster,
            f"{cluster.address} uses {shown}; Anyscale expects maxmemory-policy = allkeys-lru.",
            value=shown,
        )


@rule("AWS-MDB-004")
def memorydb_placement(ctx: CheckContext) -> None:
    cluster = _cluster(ctx)
    if cluster is None:
        return
    if not ctx.deployment.subnets and unknown_part(ctx, "subnets"):
        return
    if not ctx.deployment.security_groups and unknown_part(ctx, "security groups"):
        return
    problems = []
    node_subnets = {s.key for s in ctx.deployment.subnets}
    if isinstance(cluster.subnets, Unknown) or not is_known(list(cluster.subnets)):
        ctx.unknown(cluster, f"The subnet group of {cluster.address} is not known.")
        return
    outside = [str(s) for s in cluster.subnets if s not in node_subnets]
    if outside:
        problems.append(f"subnets outside the node subnets: {', '.join(outside)}")
    groups = ctx.deployment.security_groups
    cluster_groups = cluster.security_groups
    groups_known = not isinstance(cluster_groups, Unknown) and is_known(list(cluster_groups))
    if groups and groups_known and not isinstance(cluster_groups, Unknown):
        first = cluster_groups[0] if cluster_groups else None
        if first != groups[0].key:
            problems.append(f"first security group {first or '(none)'} is not {groups[0].address}")
    if problems:
        ctx.fail(cluster, f"{cluster.address}: {'; '.join(problems)}.", value="; ".join(problems))
    elif not groups_known:
        ctx.unknown(
            cluster,
            f"The security groups of {cluster.address} are not known: "
            f"{ctx.explain(cluster_groups)}.",
        )
    else:
        ctx.passed(cluster)
