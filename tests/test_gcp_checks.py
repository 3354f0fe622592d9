"""The GCP checks on hand-built models: the ready deployment passes every rule, and each
defect, value that cannot be resolved, and missing part gives the result it should."""

from __future__ import annotations

from dataclasses import replace

import pytest
from gcp_model import (
    ACCESS_SA,
    ANYSCALE_ROLE,
    BUCKET,
    CLUSTER,
    CLUSTER_SA,
    INTERNAL,
    POOL,
    PROJECT,
    PROVIDER,
    UNSET,
    changed,
    classic,
    deployment,
    grant,
    outcomes,
    ready_grants,
    ready_parts,
    run,
)

from anyscale_lint.engine.context import Settings
from anyscale_lint.engine.registry import load_metadata
from anyscale_lint.model import GcpParts, Partial, Ref, Unknown

GCP_RULES = sorted(rule for rule in load_metadata() if rule.startswith("GCP-"))
# Rules the ready deployment leaves not evaluated, and why.
NOT_APPLICABLE = {"GCP-FW-005": "the ready deployment uses no shared VPC"}


def test_the_catalog_has_twenty_gcp_rules() -> None:
    assert len(GCP_RULES) == 20


@pytest.mark.parametrize("rule_id", GCP_RULES)
def test_the_ready_deployment_passes(rule_id: str) -> None:
    results = run(rule_id, deployment())
    seen = {r.outcome for r in results}
    expected = {"not-evaluated"} if rule_id in NOT_APPLICABLE else {"pass"}
    assert seen == expected, [r.message for r in results]


@pytest.mark.parametrize("rule_id", GCP_RULES)
def test_a_deployment_of_another_cloud_is_not_judged(rule_id: str) -> None:
    subject = replace(deployment(), provider="aws", gcp=None)
    assert {r.outcome for r in run(rule_id, subject)} <= {"not-evaluated"}


# ---- workload identity ------------------------------------------------------------------


def _provider(**fields: object) -> GcpParts:
    parts = ready_parts()
    assert parts.identity_provider is not None
    return changed(parts, identity_provider=replace(parts.identity_provider, **fields))


def test_wif_001_names_the_foreign_account_and_a_typo() -> None:
    [result] = run("GCP-WIF-001", deployment(_provider(aws_account_id="123456789012")))
    assert (result.outcome, result.resource) == ("fail", PROVIDER)
    assert "123456789012" in result.message and "525325868955" in result.message
    assert "typo" not in result.message
    [typo] = run("GCP-WIF-001", deployment(_provider(aws_account_id="525325868956")))
    assert typo.outcome == "fail" and "looks like a typo of 525325868955" in typo.message


def test_wif_001_rejects_an_oidc_or_disabled_provider_and_reads_the_configured_account() -> None:
    oidc = run("GCP-WIF-001", deployment(_provider(provider_type="oidc", aws_account_id=None)))
    assert oidc[0].outcome == "fail" and "OIDC provider" in oidc[0].message
    assert run("GCP-WIF-001", deployment(_provider(disabled=True)))[0].outcome == "fail"
    staging = Settings(anyscale_account_id="111122223333")
    assert run("GCP-WIF-001", deployment(), settings=staging)[0].outcome == "fail"


def test_wif_001_unknown_account_and_missing_provider() -> None:
    [result] = run("GCP-WIF-001", deployment(_provider(aws_account_id=UNSET)))
    assert result.outcome == "unknown" and "var.x" in result.message
    [absent] = run("GCP-WIF-001", deployment(changed(ready_parts(), identity_provider=None)))
    assert absent.outcome == "not-evaluated" and "workload identity provider" in absent.message
    # The register command names a provider this root does not declare.
    named = deployment(
        changed(ready_parts(), identity_provider=None),
        flags={"provider-name": f"{POOL}/providers/external"},
    )
    [outside] = run("GCP-WIF-001", named)
    assert outside.outcome == "not-evaluated" and "not declared" in outside.message


@pytest.mark.parametrize(
    ("condition", "outcome", "fragment"),
    [
        (None, "fail", "no attribute_condition"),
        ("", "fail", "no attribute_condition"),
        (
            "google.subject.startsWith('arn:aws:sts::525325868955:assumed-role/gcp_if_')",
            "fail",
            "every Anyscale organization",
        ),
        (
            "google.subject.startsWith('arn:aws:sts::525325868955:')",
            "fail",
            "other than gcp_if_<org_id>",
        ),
        (
            "google.subject.startsWith('arn:aws:sts::123456789012:assumed-role/gcp_if_org_1')",
            "fail",
            "Anyscale cannot sign in",
        ),
        (f"google.subject.startsWith('{ANYSCALE_ROLE}') || true", "fail", "does not restrict"),
        (f"!google.subject.startsWith('{ANYSCALE_ROLE}')", "fail", "does not restrict"),
        ("attribute.aws_account == '525325868955'", "fail", "does not restrict"),
        (f'attribute.aws_role == "{ANYSCALE_ROLE}"', "pass", "gcp_if_org_7f3k2"),
        (
            f"(google.subject.startsWith('{ANYSCALE_ROLE}') && attribute.x == 'a || b')",
            "pass",
            "gcp_if_org_7f3k2",
        ),
        (
            f"google.subject.startsWith('{ANYSCALE_ROLE}') || "
            f"google.subject.startsWith('{ANYSCALE_ROLE}x')",
            "pass",
            "gcp_if_org_7f3k2",
        ),
    ],
)
def test_wif_002_reads_the_condition(condition: str | None, outcome: str, fragment: str) -> None:
    [result] = run("GCP-WIF-002", deployment(_provider(attribute_condition=condition)))
    assert (result.outcome, result.resource) == (outcome, PROVIDER)
    assert fragment in result.message


def _partial(*parts: str | Unknown) -> Partial:
    return Partial(parts, "".join(str(p) for p in parts))


def test_wif_002_an_organization_from_a_variable_passes_an_unknown_account_does_not() -> None:
    org = Unknown("var.org_id", "the variable has no value")
    by_variable = _partial(
        "google.subject.startsWith('arn:aws:sts::525325868955:assumed-role/gcp_if_", org, "')"
    )
    [result] = run("GCP-WIF-002", deployment(_provider(attribute_condition=by_variable)))
    assert result.outcome == "pass"
    account = Unknown("var.account", "the variable has no value")
    unknown_account = _partial(
        "google.subject.startsWith('arn:aws:sts::", account, ":assumed-role/gcp_if_org_1')"
    )
    [undecided] = run("GCP-WIF-002", deployment(_provider(attribute_condition=unknown_account)))
    assert undecided.outcome == "unknown" and "var.account" in undecided.message
    [whole] = run("GCP-WIF-002", deployment(_provider(attribute_condition=UNSET)))
    assert whole.outcome == "unknown"


def _wif_grants(*members: object) -> list:
    others = [g for g in ready_grants() if g.role != "roles/iam.workloadIdentityUser"]
    wif = grant("wif", "service_account", ACCESS_SA, "roles/iam.workloadIdentityUser", *members)
    return [*others, wif] if members else others


def test_wif_003_fails_on_the_grant_to_the_whole_pool() -> None:
    results = run(
        "GCP-WIF-003", deployment(grants=_wif_grants(f"principalSet://iam.googleapis.com/{POOL}/*"))
    )
    assert outcomes(results) == {"google_service_account_iam_member.wif": "fail"}
    assert "every identity of the pool" in results[0].message


def test_wif_003_other_roles_sets_and_single_identities() -> None:
    other = f"principalSet://iam.googleapis.com/{POOL}/attribute.aws_role/arn:aws:sts::999999999999:assumed-role/x"
    assert run("GCP-WIF-003", deployment(grants=_wif_grants(other)))[0].outcome == "fail"
    group = f"principalSet://iam.googleapis.com/{POOL}/group/admins"
    assert run("GCP-WIF-003", deployment(grants=_wif_grants(group)))[0].outcome == "fail"
    single = f"principal://iam.googleapis.com/{POOL}/subject/{ANYSCALE_ROLE}/session"
    anyscale = f"principalSet://iam.googleapis.com/{POOL}/attribute.aws_role/{ANYSCALE_ROLE}"
    results = run("GCP-WIF-003", deployment(grants=_wif_grants(single, anyscale)))
    assert outcomes(results) == {ACCESS_SA: "pass"}


def test_wif_003_no_binding_fails_on_the_account_unknown_members_are_unknown() -> None:
    [none] = run("GCP-WIF-003", deployment(grants=_wif_grants()))
    assert (none.outcome, none.resource) == ("fail", ACCESS_SA)
    assert "cannot impersonate" in none.message
    [unknown] = run("GCP-WIF-003", deployment(grants=_wif_grants(UNSET)))
    assert unknown.outcome == "unknown"
    # A pool whose name is not known still shows the whole pool.
    pool = Unknown("google_iam_workload_identity_pool.anyscale.name", "known after apply")
    wide = _partial("principalSet://iam.googleapis.com/", pool, "/*")
    assert run("GCP-WIF-003", deployment(grants=_wif_grants(wide)))[0].outcome == "fail"


def test_wif_003_matches_the_account_by_reference() -> None:
    by_ref = [
        replace(g, target=Partial([Ref(ACCESS_SA, "name")], "ref"))
        if g.role == "roles/iam.workloadIdentityUser"
        else g
        for g in _wif_grants(f"principalSet://iam.googleapis.com/{POOL}/*")
    ]
    assert run("GCP-WIF-003", deployment(grants=by_ref))[0].outcome == "fail"


# ---- node service account -----------------------------------------------------------------


def test_iam_001_fails_on_each_primitive_grant() -> None:
    grants = [
        *ready_grants(),
        grant("cluster_editor", "project", PROJECT, "roles/editor", f"serviceAccount:{CLUSTER}"),
    ]
    results = run("GCP-IAM-001", deployment(grants=grants))
    assert outcomes(results) == {"google_project_iam_member.cluster_editor": "fail"}
    assert "roles/editor" in results[0].message and CLUSTER_SA in results[0].message


def test_iam_001_the_access_account_may_be_owner_and_unknown_roles_are_unknown() -> None:
    assert outcomes(run("GCP-IAM-001", deployment())) == {CLUSTER_SA: "pass"}
    grants = [*ready_grants(), grant("g", "project", PROJECT, UNSET, f"serviceAccount:{CLUSTER}")]
    assert run("GCP-IAM-001", deployment(grants=grants))[0].outcome == "unknown"


# ---- storage ----------------------------------------------------------------------------


def _bucket(**fields: object) -> GcpParts:
    parts = ready_parts()
    assert parts.bucket is not None
    return changed(parts, bucket=replace(parts.bucket, **fields))


def _cors(origins: tuple, methods: tuple = ("GET",), headers: tuple = ("*",)) -> object:
    from anyscale_lint.model import GcsCors

    return GcsCors(origins, methods, headers)


def test_gcs_001_says_what_the_closest_entry_lacks() -> None:
    console = _bucket(cors=(_cors(("https://console.anyscale.com",)),))
    [result] = run("GCP-GCS-001", deployment(console))
    assert result.outcome == "fail" and "origin https://*.anyscale.com" in result.message
    headers = _bucket(cors=(_cors(("https://*.anyscale.com",), ("PUT",), ("Content-Type",)),))
    [both] = run("GCP-GCS-001", deployment(headers))
    assert "response header *" in both.message and "method GET" in both.message
    assert run("GCP-GCS-001", deployment(_bucket(cors=())))[0].outcome == "fail"
    assert run("GCP-GCS-001", deployment(_bucket(cors=UNSET)))[0].outcome == "unknown"
    staging = Settings(cors_origin="https://*.anyscale-staging.com")
    assert run("GCP-GCS-001", deployment(), settings=staging)[0].outcome == "fail"


def test_gcs_002_fails_per_broad_entry() -> None:
    entries = (
        _cors(("*",)),
        _cors(("http://localhost:8080", "https://*.anyscale.com")),
        _cors(("https://*.anyscale.com",)),
    )
    results = run("GCP-GCS-002", deployment(_bucket(cors=entries)))
    assert [r.outcome for r in results] == ["fail", "fail"]
    assert "http://localhost:8080" in results[1].message
    wildcard = _bucket(cors=(_cors(("https://*",)),))
    assert run("GCP-GCS-002", deployment(wildcard))[0].outcome == "fail"
    assert run("GCP-GCS-002", deployment(_bucket(cors=(_cors((UNSET,)),))))[0].outcome == "unknown"


def test_gcs_003_public_grants_and_prevention() -> None:
    public = grant("public", "bucket", BUCKET, "roles/storage.objectViewer", "allUsers")
    results = run("GCP-GCS-003", deployment(grants=[*ready_grants(), public]))
    assert outcomes(results) == {"google_storage_bucket_iam_member.public": "fail"}
    assert "enforced makes applying it fail" in results[0].message
    unset = _bucket(public_access_prevention="unspecified")
    assert outcomes(run("GCP-GCS-003", deployment(unset))) == {BUCKET: "fail"}
    assert run("GCP-GCS-003", deployment(_bucket(public_access_prevention="inherited")))[
        0
    ].outcome == ("pass")
    maybe = grant("maybe", "bucket", BUCKET, "roles/storage.objectViewer", UNSET)
    assert run("GCP-GCS-003", deployment(grants=[maybe]))[0].outcome == "unknown"


def test_gcs_003_judges_grants_on_other_buckets_under_scope_all() -> None:
    loose = grant(
        "loose", "bucket", "someone-elses-bucket", "roles/storage.admin", "allAuthenticatedUsers"
    )
    subject = deployment(grants=[*ready_grants(), loose])
    assert outcomes(run("GCP-GCS-003", subject)) == {BUCKET: "pass"}
    everything = outcomes(run("GCP-GCS-003", subject, settings=Settings(scope="all")))
    assert everything == {BUCKET: "pass", "google_storage_bucket_iam_member.loose": "fail"}


def test_gcs_004_uniform_access() -> None:
    assert run("GCP-GCS-004", deployment(_bucket(uniform_access=False)))[0].outcome == "fail"
    assert run("GCP-GCS-004", deployment(_bucket(uniform_access=UNSET)))[0].outcome == "unknown"


def test_gcs_005_roles_on_the_bucket() -> None:
    grants = [
        g for g in ready_grants() if g.key != "google_storage_bucket_iam_member.bucket_cluster"
    ]
    results = run("GCP-GCS-005", deployment(grants=grants))
    assert outcomes(results) == {ACCESS_SA: "pass", CLUSTER_SA: "fail"}
    assert "holds no role" in results[1].message
    object_admin = grant(
        "obj", "bucket", BUCKET, "roles/storage.objectAdmin", f"serviceAccount:{CLUSTER}"
    )
    [_, partial] = run("GCP-GCS-005", deployment(grants=[*grants, object_admin]))
    assert partial.outcome == "fail" and "roles/storage.legacyBucketReader" in partial.message
    reader = grant(
        "reader", "bucket", BUCKET, "roles/storage.legacyBucketReader", f"serviceAccount:{CLUSTER}"
    )
    combo = run("GCP-GCS-005", deployment(grants=[*grants, object_admin, reader]))
    assert outcomes(combo) == {ACCESS_SA: "pass", CLUSTER_SA: "pass"}
    unknown = grant("u", "bucket", BUCKET, "roles/storage.admin", UNSET)
    assert outcomes(run("GCP-GCS-005", deployment(grants=[*grants, unknown])))[CLUSTER_SA] == (
        "unknown"
    )


def test_gcs_005_matches_members_by_reference() -> None:
    email = Partial(["serviceAccount:", Ref(CLUSTER_SA, "email")], "serviceAccount:ref")
    grants = [
        replace(g, members=(email,)) if g.key.endswith("bucket_cluster") else g
        for g in ready_grants()
    ]
    assert outcomes(run("GCP-GCS-005", deployment(grants=grants)))[CLUSTER_SA] == "pass"


# ---- registration ---------------------------------------------------------------------------


def test_reg_001_names_each_missing_part() -> None:
    parts = changed(
        ready_parts(),
        firewall_policies=(),
        firewalls=(classic("internal", INTERNAL),),
        node_service_account=None,
    )
    [result] = run("GCP-REG-001", deployment(parts))
    assert result.outcome == "fail"
    assert "--firewall-policy-names" in result.message and "classic firewalls" in result.message
    assert "--instance-service-account-email" in result.message


def test_reg_001_flags_registration_rejects() -> None:
    number = {"project-id": "123456789012"}
    [result] = run("GCP-REG-001", deployment(flags=number))
    assert result.outcome == "fail" and "not a number" in result.message
    by_id = {"provider-name": Partial([Ref(PROVIDER, "id")], "ref")}
    [provider] = run("GCP-REG-001", deployment(flags=by_id))
    assert provider.outcome == "fail" and "use its name" in provider.message
    literal = {"provider-name": f"{POOL}/providers/anyscale-access"}
    assert run("GCP-REG-001", deployment(flags=literal))[0].outcome == "pass"


def test_reg_001_external_and_unknown_values() -> None:
    parts = changed(ready_parts(), bucket=None)
    named = {"cloud-storage-bucket-name": "existing-bucket"}
    assert run("GCP-REG-001", deployment(parts, flags=named))[0].outcome == "pass"
    unknown = {"cloud-storage-bucket-name": UNSET}
    [result] = run("GCP-REG-001", deployment(parts, flags=unknown))
    assert result.outcome == "unknown" and "var.x" in result.message
