"""AWS EFS rules (optional component): mount targets in every node subnet, encryption,
backups and the file-system policy."""

from __future__ import annotations

from anyscale_lint.checks.common import given_to_unread_module, unknown_part
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.iam.analysis import allowed_actions
from anyscale_lint.model import EfsFileSystem, EfsMountTarget, PolicyDocument, Unknown, is_known

_CLIENT_ACTIONS = (
    "elasticfilesystem:ClientRootAccess",
    "elasticfilesystem:ClientWrite",
    "elasticfilesystem:ClientMount",
)


def _efs(ctx: CheckContext) -> EfsFileSystem | None:
    """The deployment's EFS, or None (not-evaluated recorded: EFS is optional)."""
    if ctx.deployment.efs is None and not unknown_part(ctx, "efs"):
        ctx.not_evaluated(ctx.deployment.key, "the deployment has no EFS file system")
    return ctx.deployment.efs


def _targets(ctx: CheckContext, efs: EfsFileSystem) -> list[EfsMountTarget]:
    return [t for t in ctx.model.of_kind(EfsMountTarget) if t.file_system == efs.key]


@rule("AWS-EFS-001")
def efs_mount_targets(ctx: CheckContext) -> None:
    efs = _efs(ctx)
    if efs is None:
        return
    targets = _targets(ctx, efs)
    if not targets and given_to_unread_module(ctx, efs, "mount target"):
        return
    if not targets:
        ctx.fail(
            efs,
            f"{efs.address} has no mount target: registration fails with 'EFS mount "
            "target IP not found'.",
            value="no mount target",
            level="no-mount-target",
        )
        return
    if not ctx.deployment.subnets and unknown_part(ctx, "subnets"):
        return
    unresolved = [t for t in targets if not is_known(t.subnet)]
    served = {str(t.subnet) for t in targets}
    missing = [s for s in ctx.deployment.subnets if s.key not in served]
    if not missing:
        ctx.passed(efs)
    elif unresolved:
        ctx.unknown(
            efs,
            f"The subnet of {unresolved[0].address} is not known: "
            f"{ctx.explain(unresolved[0].subnet)}.",
        )
    else:
        names = ", ".join(s.address for s in missing)
        ctx.fail(
            efs,
            f"{efs.address} has no mount target in node subnet(s) {names}: their nodes "
            "mount it across zones (cost, latency).",
            value=names,
            level="some-subnets",
        )


@rule("AWS-EFS-002")
def efs_mount_target_sg(ctx: CheckContext) -> None:
    efs = _efs(ctx)
    if efs is None:
        return
    groups = ctx.deployment.security_groups
    if not groups:
        if not unknown_part(ctx, "security groups"):
            ctx.not_evaluated(efs, "the deployment's security groups were not identified")
        return
    if not ctx.deployment.subnets and unknown_part(ctx, "subnets"):
        return
    first = groups[0]
    node_subnets = {s.key for s in ctx.deployment.subnets}
    for target in _targets(ctx, efs):
        if not is_known(target.subnet):
            ctx.unknown(
                target,
                f"The subnet of {target.address} is not known: {ctx.explain(target.subnet)}.",
            )
            continue
        if target.subnet not in node_subnets:
            continue
        if isinstance(target.security_groups, Unknown) or not is_known(
            list(target.security_groups)
        ):
            ctx.unknown(target, f"The security groups of {target.address} are not known.")
        elif first.key in target.security_groups:
            ctx.passed(target)
        else:
            ctx.fail(
                target,
                f"{target.address} does not carry the deployment's first security "
                f"group {first.address}: nodes may not reach NFS (TCP 2049).",
                value=", ".join(str(g) for g in target.security_groups) or "(none)",
                related=[(first.origin, first.address)],
            )


@rule("AWS-EFS-003")
def efs_encrypted(ctx: CheckContext) -> None:
    # A hygiene rule: under --scope all, every file system, not only the deployment's.
    systems = list(ctx.targets(EfsFileSystem))
    if not systems:
        _efs(ctx)
    for efs in systems:
        if efs.encrypted is True:
            ctx.passed(efs)
        elif isinstance(efs.encrypted, Unknown):
            ctx.unknown(
                efs,
                f"Whether {efs.address} is encrypted is not known: {ctx.explain(efs.encrypted)}.",
            )
        else:
            ctx.fail(
                efs,
                f"{efs.address} is not encrypted at rest (encrypted = false).",
                value="encrypted = false",
            )


@rule("AWS-EFS-004")
def efs_backup(ctx: CheckContext) -> None:
    efs = _efs(ctx)
    if efs is None:
        return
    status = efs.backup_status
    if status == "ENABLED":
        ctx.passed(efs)
    elif status is not None and not is_known(status):
        ctx.unknown(efs, f"The backup policy of {efs.address} is not known: {ctx.explain(status)}.")
    elif status is None and given_to_unread_module(ctx, efs, "aws_efs_backup_policy"):
        return
    else:
        shown = "no aws_efs_backup_policy" if status is None else f"backup status {status}"
        ctx.fail(efs, f"{efs.address} has {shown}: automatic backups are off.", value=shown)


@rule("AWS-EFS-005")
def efs_policy_actions(ctx: CheckContext) -> None:
    efs = _efs(ctx)
    if efs is None:
        return
    policy = efs.policy
    if policy is None:
        ctx.passed(efs, "no file-system policy: access follows IAM and the security groups")
        return
    if isinstance(policy, Unknown):
        ctx.unknown(
            efs, f"The file-system policy of {efs.address} is not known: {ctx.explain(policy)}."
        )
        return
    missing = _missing_client_actions(policy)
    if isinstance(missing, Unknown):
        ctx.unknown(
            efs, f"The file-system policy of {efs.address} is not known: {ctx.explain(missing)}."
        )
    elif missing:
        ctx.fail(
            efs,
            f"The file-system policy of {efs.address} does not allow {', '.join(missing)}.",
            value=", ".join(missing),
            location=policy.origin,
        )
    else:
        ctx.passed(efs)


def _missing_client_actions(policy: PolicyDocument) -> list[str] | Unknown:
    granted: set[str] = set()
    for statement in policy.statements:
        if statement.is_allow:
            actions = allowed_actions(statement)
            if isinstance(actions, Unknown):
                return actions
            granted |= actions
    return [a for a in _CLIENT_ACTIONS if a.lower() not in granted]
