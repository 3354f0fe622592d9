"""AWS registration readiness: what `anyscale cloud register --provider aws` needs is present,
identified, and consistent with the external ID it will be given."""

from __future__ import annotations

from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.register_values import items
from anyscale_lint.engine.registry import rule
from anyscale_lint.engine.unresolved import unresolved, why
from anyscale_lint.iam.analysis import condition_values
from anyscale_lint.model import Origin, PolicyDocument, Statement, is_known, unresolved_parts
from anyscale_lint.providers.aws import INPUTS_BY_FLAG, INPUTS_BY_PART


def _where(ctx: CheckContext) -> Origin | None:
    """Findings about the deployment as a whole point at its register command when there is one."""
    command = ctx.deployment.register_command
    return command.origin if command else ctx.model.first_file_span()


@rule("AWS-REG-001")
def required_resources(ctx: CheckContext) -> None:
    deployment = ctx.deployment
    command = deployment.register_command
    required = [
        ("VPC", "vpc-id", deployment.vpc is not None),
        ("at least 2 subnets", "subnet-ids", len(deployment.subnets) >= 2),
        ("security group", "security-group-ids", bool(deployment.security_groups)),
        ("S3 bucket", "cloud-storage-bucket-name", deployment.bucket is not None),
        ("control-plane role", "anyscale-iam-role-id", deployment.control_plane_role is not None),
        ("instance role", "instance-iam-role-id", deployment.instance_role is not None),
    ]
    missing: list[str] = []
    unresolved_flags: list[str] = []
    causes: list[str] = []
    for part, flag, identified in required:
        # A register flag with a literal ID names an existing resource outside the code.
        given = command.flags.get(flag) if command else None
        if identified:
            continue
        named = items(given)
        # Without a register command, the part may be in a module that was not read.
        elsewhere = unresolved(deployment, INPUTS_BY_FLAG[flag].part) if not command else None
        if not given and elsewhere:
            unresolved_flags.append(f"{part} (--{flag})")
            causes.append(elsewhere)
        elif not given:
            missing.append(f"{part} (--{flag})")
        elif parts := unresolved_parts(given, ctx.model.unknown_reasons):
            # One unresolved value may stand for any number of IDs (a module's subnet list).
            unresolved_flags.append(f"{part} (--{flag})")
            causes.append(why(ctx.model, parts))
        elif flag == "subnet-ids" and len(named) < 2:
            # Named, but registration needs two subnets in two zones.
            missing.append(f"{part} (--{flag} names only {named[0]})")
        elif not is_known(given):
            unresolved_flags.append(f"{part} (--{flag})")
    if missing:
        ctx.fail(
            deployment.key,
            f"The deployment lacks what registration requires: {'; '.join(missing)}.",
            value="; ".join(missing),
            location=_where(ctx),
        )
    elif unresolved_flags:
        known = "; ".join(dict.fromkeys(causes))
        ctx.unknown(
            deployment.key,
            f"The deployment's {'; '.join(unresolved_flags)} are not known statically"
            f"{': ' + known if known else ''}.",
            location=_where(ctx),
        )
    else:
        ctx.passed(deployment.key)


@rule("AWS-REG-002")
def external_id_format(ctx: CheckContext) -> None:
    command = ctx.deployment.register_command
    given = command.flags.get("external-id") if command else None
    source = "--external-id in the register command"
    if not given and ctx.settings.external_id:
        given, source = ctx.settings.external_id, "external_id in the config"
    if not given:
        ctx.not_evaluated(ctx.deployment.key, "no external ID is given to registration")
        return
    if not is_known(given):
        ctx.unknown(
            ctx.deployment.key,
            f"The external ID ({source}) is not known: {ctx.explain(given)}.",
            location=_where(ctx),
        )
        return
    external_id = str(given)
    if not external_id.startswith("org_"):
        ctx.fail(
            ctx.deployment.key,
            f"The external ID {external_id} ({source}) does not start "
            "with the organization ID (org_...): registration aborts.",
            value=external_id,
            location=_where(ctx),
        )
        return
    role = ctx.deployment.control_plane_role
    document = role.trust_policy if role else None
    if role is None or not isinstance(document, PolicyDocument):
        ctx.unknown(
            ctx.deployment.key,
            "The control-plane role's trust policy is not known, so "
            "the external ID cannot be matched to it.",
            location=_where(ctx),
        )
        return
    lacking = _statements_without(document, external_id)
    unresolved = [s for s in lacking if not is_known(list(_external_ids(s)))]
    if unresolved:
        values = _external_ids(unresolved[0])
        ctx.unknown(
            ctx.deployment.key,
            f"Whether the trust policy of {role.address} holds the external ID {external_id} is "
            f"not known: {ctx.explain(list(values))}.",
            location=unresolved[0].origin,
        )
    elif lacking:
        ctx.fail(
            ctx.deployment.key,
            f"The external ID {external_id} ({source}) is not in the "
            f"sts:ExternalId condition of {len(lacking)} trust "
            f"statement(s) of {role.address}: registration aborts.",
            value=external_id,
            location=lacking[0].origin,
            related=[(_where(ctx), "the register command")],
        )
    else:
        ctx.passed(ctx.deployment.key)


def _statements_without(document: PolicyDocument, external_id: str) -> list[Statement]:
    """Trust statements whose StringEquals sts:ExternalId does not hold the external ID."""
    lacking = []
    for statement in document.statements:
        if external_id not in _external_ids(statement):
            lacking.append(statement)
    return lacking


def _external_ids(statement: Statement) -> tuple[str, ...]:
    return condition_values(statement, "StringEquals", "sts:ExternalId") or ()


def _unidentified_root(ctx: CheckContext) -> None:
    """A root without an identified deployment: say so only when it looks like one."""
    named, weak = ctx.deployment.anyscale_named, ctx.deployment.weak_signs
    if not named and not weak:
        ctx.not_evaluated(ctx.deployment.key, "no Anyscale deployment was identified in this root")
        return
    signs = []
    if named:
        shown = ", ".join(named[:4]) + (f" and {len(named) - 4} more" if len(named) > 4 else "")
        signs.append(f"{shown} named for anyscale")
    if weak:
        signs.append(f"{'; '.join(weak[:2])}, shaped like a control-plane role")
    tried = "; ".join(
        f"{i.part}: {i.method}" for i in ctx.deployment.identifications if i.resource is None
    )
    ctx.fail(
        ctx.deployment.key,
        f"This root looks like an Anyscale deployment ({'; '.join(signs)}) but none was "
        f"identified, so the deployment rules did not run ({tried}). If it is one, map its "
        "parts in the config's deployments section or emit the register command as an output.",
        value="deployment",
        evidence="deployment",
        location=ctx.model.first_file_span(),
        level="unidentified",
    )


def _shared_parts(ctx: CheckContext) -> None:
    """One of several deployments in a root shares parts with the others: say how to split."""
    deployment = ctx.deployment
    roles = {part: role.address for part, role in deployment.roles()}
    mapping = ", ".join(
        f"{key}: {value}"
        for key, value in (
            ("control_plane_role", roles.get("control-plane role")),
            ("instance_role", roles.get("instance role")),
            ("bucket", deployment.bucket.address if deployment.bucket else None),
            ("vpc", deployment.vpc.address if deployment.vpc else None),
        )
        if value
    )
    ctx.fail(
        deployment.key,
        f"This root holds {len(deployment.siblings) + 1} deployments "
        f"({', '.join(sorted((deployment.key, *deployment.siblings)))}); nothing in the code "
        f"splits {', '.join(deployment.shared)} between them, so each is judged against them. "
        f'If each has its own, map them in the config: deployments: "{deployment.key}": '
        f"{{{mapping}}} (one entry per deployment, keyed <root>#<label>).",
        value=", ".join(deployment.shared),
        evidence="shared",
        location=_where(ctx),
        level="shared",
    )


@rule("AWS-REG-003")
def unidentified_resource(ctx: CheckContext) -> None:
    if not ctx.deployment.identified:
        _unidentified_root(ctx)
        return
    # Policy files describe roles and bucket policies only: their network cannot be missing.
    policy_parts = ("control-plane role", "instance role", "bucket")
    unidentified = [
        i
        for i in ctx.deployment.identifications
        if i.resource is None
        and i.method.startswith("not identified")
        and (ctx.model.holds_network or i.part in policy_parts)
    ]
    if ctx.deployment.shared:
        _shared_parts(ctx)
    elif not unidentified:
        ctx.passed(ctx.deployment.key)
    for identification in unidentified:
        register_input = (
            INPUTS_BY_PART[identification.part].key
            if identification.part in INPUTS_BY_PART
            else None
        )
        reason = unresolved(ctx.deployment, identification.part)
        if reason is not None:
            spec = INPUTS_BY_PART.get(identification.part)
            shown = spec.label if spec else identification.part
            ctx.unknown(
                ctx.deployment.key,
                f"Whether the code declares the deployment's {shown} is not known: {reason}.",
                location=_where(ctx),
                register_input=register_input,
            )
            continue
        ctx.fail(
            ctx.deployment.key,
            f"The deployment's {identification.part} could not be identified "
            f"({identification.method}); name it in the register command output or the config's "
            "deployments mapping.",
            value=identification.part,
            evidence=identification.part,
            location=_where(ctx),
            register_input=register_input,
            level="unidentified",
        )
