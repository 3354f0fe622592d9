"""AWS S3 rules: the roles' access to the bucket, public bucket policies, CORS."""

from __future__ import annotations

from anyscale_lint.checks.common import (
    broad_cors_origin,
    given_to_unread_module,
    require,
    role_statements,
    unknown_roles,
)
from anyscale_lint.checks.policy_targets import statement_key
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.iam.actions import display_name
from anyscale_lint.iam.analysis import (
    allowed_actions,
    covers_resource,
    is_anyone,
    joined,
    narrowing_conditions,
    principal_values,
)
from anyscale_lint.iam.roles import bucket_arns, names_role
from anyscale_lint.model import (
    BucketPolicy,
    CorsRule,
    PolicyDocument,
    S3Bucket,
    Statement,
    Unknown,
    is_known,
)

_REQUIRED = ("s3:putobject", "s3:getobject", "s3:listbucket")
_REQUIRED_SHOWN = "s3:PutObject, s3:GetObject and s3:ListBucket"
_PUBLIC_NARROWING = {
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principalarn",
    "aws:sourcevpce",
    "aws:sourcevpc",
}
_EXPOSE = ("Accept-Ranges", "Content-Range", "Content-Length")


def _actions_from(statements: list[Statement]) -> set[str] | Unknown:
    granted: set[str] = set()
    for statement in statements:
        actions = allowed_actions(statement)
        if isinstance(actions, Unknown):
            return actions
        granted |= actions
    return granted


@rule("AWS-S3-001")
def bucket_access_for_roles(ctx: CheckContext) -> None:
    bucket = ctx.deployment.bucket
    if not require(ctx, bucket, "bucket") or bucket is None:
        return
    arns = bucket_arns(bucket)
    unknown_roles(ctx)
    for part, role in ctx.deployment.roles():
        own = [
            s
            for _, s in role_statements(role)
            if s.is_allow and any(covers_resource(s, a) is True for a in arns)
        ]
        from_role = _actions_from(own)
        from_bucket: set[str] | Unknown = set()
        if isinstance(bucket.policy, PolicyDocument):
            granting = [
                s
                for s in bucket.policy.statements
                if s.is_allow and any(names_role(p, role) for p in principal_values(s, "AWS"))
            ]
            from_bucket = _actions_from(granting)
        elif isinstance(bucket.policy, Unknown):
            from_bucket = bucket.policy
        sources = [s for s in (from_role, from_bucket) if not isinstance(s, Unknown)]
        if any(all(a in source for a in _REQUIRED) for source in sources):
            ctx.passed(role)
            continue
        unknown = next((s for s in (from_role, from_bucket) if isinstance(s, Unknown)), None)
        if unknown is not None:
            ctx.unknown(
                role,
                f"Whether the {part} {role.address} can use {bucket.address} is not known: "
                f"{ctx.explain(unknown)}.",
                related=[(bucket.origin, "the bucket")],
            )
            continue
        missing = {
            name: [a for a in _REQUIRED if a not in source]
            for name, source in (
                ("its own policies", from_role),
                ("the bucket policy statements naming it", from_bucket),
            )
            if isinstance(source, set)
        }
        if (bucket.policy is None and given_to_unread_module(ctx, bucket, "bucket policy")) or (
            given_to_unread_module(ctx, role, "policy granting the bucket")
        ):
            continue
        detail = "; ".join(
            f"{name} lack {', '.join(display_name(a) for a in actions)}"
            for name, actions in missing.items()
        )
        ctx.fail(
            role,
            f"Neither the bucket policy of {bucket.address} alone nor the {part}'s own policies "
            f"alone allow {_REQUIRED_SHOWN} on the bucket ({detail}).",
            value=detail,
            related=[(bucket.origin, "the bucket")],
        )


@rule("AWS-S3-002")
def bucket_policy_public(ctx: CheckContext) -> None:
    # Policies of buckets declared elsewhere are targets under `--scope all` only.
    subjects: list[S3Bucket | BucketPolicy] = [
        *ctx.targets(S3Bucket),
        *ctx.targets(BucketPolicy),
    ]
    for bucket in subjects:
        policy = bucket.policy
        if isinstance(policy, Unknown):
            ctx.unknown(
                bucket, f"The policy of {bucket.address} is not known: {ctx.explain(policy)}."
            )
            continue
        if policy is None:
            ctx.passed(bucket)
            continue
        public = [
            (number, s)
            for number, s in enumerate(policy.statements, 1)
            if s.is_allow
            and is_anyone(s)
            and not any(c.key.lower() in _PUBLIC_NARROWING for c in narrowing_conditions(s))
        ]
        for number, statement in public:
            actions = (
                statement.actions
                if not isinstance(statement.actions, Unknown)
                else (str(statement.actions),)
            )
            which = f'"{statement.sid}"' if statement.sid else str(number)
            ctx.fail(
                bucket,
                f"Statement {which} of the policy of {bucket.address} allows anyone "
                f'(Principal "*") {joined(actions)} with no condition that narrows the caller.',
                value="Principal: *",
                location=statement.origin,
                evidence=statement_key("bucket policy", statement),
            )
        if not public:
            ctx.passed(bucket)


def _cors(ctx: CheckContext) -> tuple[S3Bucket, tuple[CorsRule, ...]] | None:
    """The deployment bucket's CORS rules; records unknown when they are not known."""
    bucket = ctx.deployment.bucket
    if not require(ctx, bucket, "bucket") or bucket is None:
        return None
    rules = bucket.cors_rules
    if isinstance(rules, Unknown):
        ctx.unknown(
            bucket,
            f"The CORS rules of {bucket.address} are not known: {ctx.explain(rules)}.",
            location=bucket.cors_origin,
        )
        return None
    return bucket, rules or ()


@rule("AWS-S3-003")
def cors_present(ctx: CheckContext) -> None:
    found = _cors(ctx)
    if found is None:
        return
    bucket, rules = found
    if rules:
        ctx.passed(bucket)
    elif not given_to_unread_module(ctx, bucket, "CORS configuration"):
        ctx.fail(
            bucket,
            f"{bucket.address} has no CORS configuration; Anyscale's UI file viewer and log "
            f"viewer read the bucket from {ctx.settings.cors_origin}.",
            value="(no CORS rules)",
        )


def _missing_parts(rule: CorsRule, origin: str) -> list[str] | Unknown:
    fields = (rule.allowed_origins, rule.allowed_headers, rule.allowed_methods, rule.expose_headers)
    for value in fields:
        if isinstance(value, Unknown):
            return value
        if not is_known(list(value)):
            return Unknown(
                next(v for v in value if not is_known(v)), "part of the rule is not known"
            )
    origins, headers, methods, expose = (tuple(v) for v in fields)  # type: ignore[arg-type]
    missing = []
    if origin not in origins:
        missing.append(f"origin {origin}")
    if "*" not in headers:
        missing.append("allowed header *")
    if "GET" not in [m.upper() for m in methods]:
        missing.append("method GET")
    lacking = [h for h in _EXPOSE if h.lower() not in {e.lower() for e in expose}]
    if lacking:
        missing.append("expose headers " + ", ".join(lacking))
    return missing


@rule("AWS-S3-004")
def cors_anyscale_rule(ctx: CheckContext) -> None:
    found = _cors(ctx)
    if found is None:
        return
    bucket, rules = found
    if not rules:
        ctx.not_evaluated(bucket, "the bucket has no CORS rules (see AWS-S3-003)")
        return
    origin = ctx.settings.cors_origin
    results = [(_missing_parts(r, origin), r) for r in rules]
    if any(isinstance(m, list) and not m for m, _ in results):
        ctx.passed(bucket)
        return
    unknown = next((m for m, _ in results if isinstance(m, Unknown)), None)
    if unknown is not None:
        ctx.unknown(
            bucket,
            f"A CORS rule of {bucket.address} is not known: {ctx.explain(unknown)}.",
            location=bucket.cors_origin,
        )
        return
    best, rule_ = min(
        ((m, r) for m, r in results if isinstance(m, list)), key=lambda pair: len(pair[0])
    )
    ctx.fail(
        bucket,
        f"No CORS rule of {bucket.address} serves Anyscale's UI: the closest one lacks "
        f"{', '.join(best)}.",
        value=", ".join(best),
        location=rule_.origin,
    )


@rule("AWS-S3-005")
def cors_origin_too_broad(ctx: CheckContext) -> None:
    for bucket in ctx.targets(S3Bucket):
        rules = bucket.cors_rules
        if isinstance(rules, Unknown):
            ctx.unknown(
                bucket,
                f"The CORS rules of {bucket.address} are not known: {ctx.explain(rules)}.",
                location=bucket.cors_origin,
            )
            continue
        offending: list[tuple[str, CorsRule]] = []
        unresolved: list[tuple[str | Unknown, CorsRule]] = []
        for rule_ in rules or ():
            if isinstance(rule_.allowed_origins, Unknown):
                unresolved.append((rule_.allowed_origins, rule_))
                continue
            offending.extend(
                (o, rule_)
                for o in rule_.allowed_origins
                if is_known(o) and broad_cors_origin(o, ctx.settings.cors_origin)
            )
            unresolved.extend((o, rule_) for o in rule_.allowed_origins if not is_known(o))
        if offending:
            origins = sorted({o for o, _ in offending})
            ctx.fail(
                bucket,
                f"A CORS rule of {bucket.address} allows origin {joined(origins)}; allow only "
                f"{ctx.settings.cors_origin}.",
                value=", ".join(origins),
                location=offending[0][1].origin,
            )
        elif unresolved:
            ctx.unknown(
                bucket,
                f"A CORS origin of {bucket.address} is not known: {ctx.explain(unresolved[0][0])}.",
                location=unresolved[0][1].origin,
            )
        else:
            ctx.passed(bucket)


_PAB_SETTINGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)


@rule("AWS-S3-006")
def public_access_block(ctx: CheckContext) -> None:
    bucket = ctx.deployment.bucket
    if not require(ctx, bucket, "bucket") or bucket is None:
        return
    block = bucket.public_access_block
    if block is None and given_to_unread_module(ctx, bucket, "public access block"):
        return
    if block is None:
        ctx.fail(
            bucket, f"{bucket.address} has no aws_s3_bucket_public_access_block.", value="(none)"
        )
        return
    unresolved = [v for v in block.settings.values() if isinstance(v, Unknown)]
    off = [name for name in _PAB_SETTINGS if block.settings.get(name) is not True]
    if not off:
        ctx.passed(bucket)
    elif unresolved and len(off) == len(unresolved):
        ctx.unknown(
            bucket,
            f"The public access block of {bucket.address} is not known: "
            f"{ctx.explain(unresolved[0])}.",
            location=block.origin,
        )
    else:
        ctx.fail(
            bucket,
            f"The public access block of {bucket.address} does not set {', '.join(off)} to true.",
            value=", ".join(off),
            location=block.origin,
        )


def _denies_insecure_transport(statement: Statement) -> bool:
    if statement.effect != "Deny" or isinstance(statement.conditions, Unknown):
        return False
    return any(
        c.operator.lower() == "bool"
        and c.key.lower() == "aws:securetransport"
        and "false" in c.values
        for c in statement.conditions
    )


@rule("AWS-S3-007")
def tls_only(ctx: CheckContext) -> None:
    # A hygiene rule: under --scope all, every bucket, not only the deployment's.
    buckets = list(ctx.targets(S3Bucket))
    if not buckets:
        require(ctx, None, "bucket")
    for bucket in buckets:
        _judge_tls_only(ctx, bucket)


def _judge_tls_only(ctx: CheckContext, bucket: S3Bucket) -> None:
    policy = bucket.policy
    if isinstance(policy, Unknown):
        ctx.unknown(bucket, f"The policy of {bucket.address} is not known: {ctx.explain(policy)}.")
    elif policy is not None and all(
        any(
            _denies_insecure_transport(s) and covers_resource(s, arn) is True
            for s in policy.statements
        )
        for arn in bucket_arns(bucket)
    ):
        ctx.passed(bucket)
    elif policy is None and given_to_unread_module(ctx, bucket, "bucket policy"):
        return
    else:
        ctx.fail(
            bucket,
            f"The policy of {bucket.address} does not deny requests without TLS "
            "(aws:SecureTransport = false) on both the bucket and its objects.",
            value="no TLS-only Deny",
        )


@rule("AWS-S3-008")
def bucket_region(ctx: CheckContext) -> None:
    bucket = ctx.deployment.bucket
    if not require(ctx, bucket, "bucket") or bucket is None:
        return
    located = bucket.region if bucket.region is not None else ctx.model.region
    cloud = ctx.deployment.region
    if located is None or cloud is None:
        missing = "the bucket's region" if located is None else "the cloud's region"
        ctx.unknown(bucket, f"{missing.capitalize()} is not set (no provider region or --region).")
    elif not is_known(located) or not is_known(cloud):
        ctx.unknown(
            bucket,
            f"The regions of {bucket.address} and the cloud are not known: "
            f"{ctx.explain(located if not is_known(located) else cloud)}.",
        )
    elif located == cloud:
        ctx.passed(bucket)
    else:
        ctx.fail(
            bucket,
            f"{bucket.address} is in {located} but the cloud is in {cloud}: cross-region traffic "
            "costs and slows cluster launches.",
            value=f"{located} != {cloud}",
        )
