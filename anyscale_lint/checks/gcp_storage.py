"""GCS bucket rules: CORS for Anyscale's console, public access, uniform access, and the
service accounts' roles on the bucket (REQUIREMENTS.md 3.4)."""

from __future__ import annotations

from collections.abc import Sequence

from anyscale_lint.checks.common import broad_cors_origin, given_to_unread_module
from anyscale_lint.checks.gcp_common import (
    PUBLIC_MEMBERS,
    gcp_parts,
    grants_on,
    grants_to,
    members_of,
    missing_part,
)
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.model import (
    GcpIamGrant,
    GcpServiceAccount,
    GcsBucket,
    GcsCors,
    Resource,
    Unknown,
    is_known,
)

# Bucket roles Anyscale's verifier accepts for each service account: storage.admin, or every
# role of one combination (GCP-GCS-06).
_COMBINATIONS = (
    ("roles/storage.admin",),
    ("roles/storage.objectAdmin", "roles/storage.legacyBucketReader"),
    (
        "roles/storage.legacyBucketReader",
        "roles/storage.objectViewer",
        "roles/storage.objectCreator",
    ),
    ("roles/storage.legacyBucketWriter", "roles/storage.legacyObjectReader"),
    ("roles/storage.legacyBucketWriter", "roles/storage.legacyObjectOwner"),
    ("roles/storage.legacyBucketOwner", "roles/storage.legacyObjectReader"),
    ("roles/storage.legacyBucketOwner", "roles/storage.legacyObjectOwner"),
)
_PREVENTION = ("enforced", "inherited")


def _bucket(ctx: CheckContext) -> GcsBucket | None:
    parts = gcp_parts(ctx)
    if parts is None:
        return None
    if parts.bucket is None:
        missing_part(ctx, "bucket")
    return parts.bucket


def _cors(ctx: CheckContext, bucket: GcsBucket) -> tuple[GcsCors, ...] | None:
    """The bucket's CORS entries; records unknown when they are not known."""
    if isinstance(bucket.cors, Unknown):
        ctx.unknown(
            bucket,
            f"The CORS entries of {bucket.address} are not known: {ctx.explain(bucket.cors)}.",
            location=bucket.cors_origin,
        )
        return None
    return bucket.cors


def _lacking(entry: GcsCors, origin: str) -> list[str] | Unknown:
    """What a CORS entry lacks to serve Anyscale's console."""
    fields = (entry.origins, entry.response_headers, entry.methods)
    for value in fields:
        if isinstance(value, Unknown):
            return value
        if not is_known(list(value)):
            return Unknown(str(next(v for v in value if not is_known(v))), "not known statically")
    origins, headers, methods = (tuple(str(v) for v in value) for value in fields)  # type: ignore[union-attr]
    lacking = []
    if origin not in origins:
        lacking.append(f"origin {origin}")
    if "*" not in headers:
        lacking.append("response header *")
    if "GET" not in [m.upper() for m in methods]:
        lacking.append("method GET")
    return lacking


@rule("GCP-GCS-001")
def gcs_cors(ctx: CheckContext) -> None:
    bucket = _bucket(ctx)
    entries = _cors(ctx, bucket) if bucket is not None else None
    if bucket is None or entries is None:
        return
    origin = ctx.settings.cors_origin
    if not entries:
        if not given_to_unread_module(ctx, bucket, "CORS entry"):
            ctx.fail(
                bucket,
                f"{bucket.address} has no CORS entry; Anyscale's console ({origin}) reads logs "
                "and files from the bucket and Anyscale's verifier warns.",
                value="(no CORS)",
            )
        return
    verdicts = [(_lacking(entry, origin), entry) for entry in entries]
    if any(isinstance(lacking, list) and not lacking for lacking, _ in verdicts):
        ctx.passed(bucket)
        return
    unknown = next(((v, e) for v, e in verdicts if isinstance(v, Unknown)), None)
    if unknown is not None:
        ctx.unknown(
            bucket,
            f"A CORS entry of {bucket.address} is not known: {ctx.explain(unknown[0])}.",
            location=unknown[1].origin or bucket.cors_origin,
        )
        return
    known = [(v, e) for v, e in verdicts if isinstance(v, list)]
    closest, entry = min(known, key=lambda pair: len(pair[0]))
    ctx.fail(
        bucket,
        f"No CORS entry of {bucket.address} serves Anyscale's console: the closest one lacks "
        f"{', '.join(closest)}.",
        value=", ".join(closest),
        location=entry.origin or bucket.cors_origin,
    )


@rule("GCP-GCS-002")
def gcs_cors_origin_too_broad(ctx: CheckContext) -> None:
    bucket = _bucket(ctx)
    entries = _cors(ctx, bucket) if bucket is not None else None
    if bucket is None or entries is None:
        return
    configured = ctx.settings.cors_origin
    failed = False
    unresolved: list[tuple[object, GcsCors]] = []
    for entry in entries:
        if isinstance(entry.origins, Unknown):
            unresolved.append((entry.origins, entry))
            continue
        broad = [
            str(o) for o in entry.origins if is_known(o) and broad_cors_origin(str(o), configured)
        ]
        unresolved += [(o, entry) for o in entry.origins if not is_known(o)]
        if broad:
            failed = True
            shown = ", ".join(broad)
            ctx.fail(
                bucket,
                f"A CORS entry of {bucket.address} allows origin {shown}: any site (or any "
                f"matching host) may read the bucket through a user's browser; allow only "
                f"{configured}.",
                value=shown,
                location=entry.origin or bucket.cors_origin,
            )
    if failed:
        return
    if unresolved:
        value, entry = unresolved[0]
        ctx.unknown(
            bucket,
            f"A CORS origin of {bucket.address} is not known: {ctx.explain(value)}.",
            location=entry.origin or bucket.cors_origin,
        )
    else:
        ctx.passed(bucket)


def _public_members(grant: GcpIamGrant) -> list[str] | object:
    """The grant's members that are everyone; else a member that is not known (the value to
    explain), else an empty list."""
    members = members_of(grant)
    if isinstance(members, Unknown):
        return members
    public = [str(m) for m in members if m in PUBLIC_MEMBERS]
    return public or next((m for m in members if not is_known(m)), [])


def _judge_public_grants(
    ctx: CheckContext, grants: Sequence[GcpIamGrant], bucket: str, note: str
) -> tuple[bool, list[tuple[Resource, object]]]:
    """A failure per grant to allUsers or allAuthenticatedUsers; True when one was recorded,
    with the grants whose members are not known (and the value that is not)."""
    failed = False
    unresolved: list[tuple[Resource, object]] = []
    for grant in grants:
        public = _public_members(grant)
        if not isinstance(public, list):
            unresolved.append((grant, public))
        elif public:
            failed = True
            ctx.fail(
                grant,
                f"{grant.address} grants {grant.role} on {bucket} to {', '.join(public)}: "
                f"anyone can use the bucket under that role{note}.",
                value=f"{grant.role} -> {', '.join(public)}",
                location=grant.origin,
            )
    return failed, unresolved


@rule("GCP-GCS-003")
def gcs_public(ctx: CheckContext) -> None:
    # A hygiene rule: under --scope all, every bucket and every bucket grant.
    judged: set[str] = set()
    for bucket in ctx.targets(GcsBucket):
        grants, _ = grants_on(ctx, "bucket", bucket)
        judged |= {g.key for g in grants}
        prevention = bucket.public_access_prevention
        note = (
            " (public_access_prevention = enforced makes applying it fail)"
            if prevention == "enforced"
            else ""
        )
        failed, unresolved = _judge_public_grants(ctx, grants, bucket.address, note)
        if not is_known(prevention):
            unresolved.append((bucket, prevention))
        elif str(prevention).lower() not in _PREVENTION:
            failed = True
            ctx.fail(
                bucket,
                f"{bucket.address} sets public_access_prevention = {prevention}; use enforced "
                "(or inherited) so the bucket cannot be made public. Anyscale's verifier warns.",
                value=f"public_access_prevention = {prevention}",
            )
        if failed:
            continue
        if unresolved:
            subject, cause = unresolved[0]
            ctx.unknown(
                subject,
                f"Whether {bucket.address} is public is not known: {ctx.explain(cause)}.",
                location=subject.origin,
            )
        else:
            ctx.passed(bucket)
    if ctx.judges_everything:
        # Grants on buckets that no resource read here declares.
        buckets = {b.key for b in ctx.model.of_kind(GcsBucket)}
        loose = [
            g
            for g in ctx.model.of_kind(GcpIamGrant)
            if g.target_kind == "bucket" and g.key not in judged and g.target not in buckets
        ]
        for grant in loose:
            failed, _ = _judge_public_grants(ctx, [grant], f"bucket {grant.target}", "")
            if not failed:
                ctx.passed(grant)


@rule("GCP-GCS-004")
def gcs_uniform_access(ctx: CheckContext) -> None:
    bucket = _bucket(ctx)
    if bucket is None:
        return
    uniform = bucket.uniform_access
    if uniform is True:
        ctx.passed(bucket)
    elif isinstance(uniform, Unknown):
        ctx.unknown(
            bucket,
            f"Whether {bucket.address} uses uniform bucket-level access is not known: "
            f"{ctx.explain(uniform)}.",
        )
    else:
        ctx.fail(
            bucket,
            f"{bucket.address} does not enable uniform bucket-level access: object ACLs can grant "
            "access that bucket IAM does not show. Anyscale's verifier warns.",
            value="uniform_bucket_level_access = false",
        )


def _combination_note(held: set[str]) -> str:
    """What a service account holding `held` lacks, for the closest accepted combination."""
    closest = min(
        _COMBINATIONS,
        key=lambda combo: (len(set(combo) - held), not set(combo) & held, len(combo)),
    )
    lacking = [role for role in closest if role not in held]
    if closest == ("roles/storage.admin",):
        return "roles/storage.admin"
    return f"roles/storage.admin, or {' and '.join(lacking)} beside {', '.join(sorted(held))}"


@rule("GCP-GCS-005")
def gcs_access_for_service_accounts(ctx: CheckContext) -> None:
    bucket = _bucket(ctx)
    parts = ctx.deployment.gcp
    if bucket is None or parts is None:
        return
    grants, maybe = grants_on(ctx, "bucket", bucket)
    accounts: list[tuple[str, str, GcpServiceAccount | None]] = [
        ("access service account", "anyscale_service_account", parts.access_service_account),
        ("node service account", "instance_service_account", parts.node_service_account),
    ]
    for label, key, account in accounts:
        if account is None:
            missing_part(ctx, key)
            continue
        naming, unsure = grants_to([*grants, *maybe], account)
        held = {str(g.role) for g in naming if g in grants}
        if any(set(combo) <= held for combo in _COMBINATIONS):
            ctx.passed(account, f"The {label} {account.address} can use {bucket.address}.")
            continue
        if unsure or any(g in maybe for g in naming):
            grant = (unsure or [g for g in naming if g in maybe])[0]
            ctx.unknown(
                account,
                f"Whether {grant.address} gives the {label} {account.address} a role on "
                f"{bucket.address} is not known: its role, members or bucket are not known "
                "statically.",
                location=grant.origin,
            )
            continue
        if given_to_unread_module(ctx, bucket, "bucket IAM grant"):
            continue
        shown = ", ".join(sorted(held)) if held else "no role"
        ctx.fail(
            account,
            f"The {label} {account.address} holds {shown} on {bucket.address}; it needs "
            f"{_combination_note(held) if held else 'roles/storage.admin'} (Anyscale's verifier "
            "reads bucket-level IAM only, asks to confirm, and warns).",
            value=f"{account.address}: {shown}",
            related=[(bucket.origin, bucket.address)],
        )
