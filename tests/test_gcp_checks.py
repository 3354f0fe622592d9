"""The GCP checks on hand-built models: the ready deployment passes every rule, and each
defect, value that cannot be resolved, and missing part gives the result it should."""

from __future__ import annotations

from dataclasses import replace

import pytest
from gcp_model import (
    ANYSCALE_ROLE,
    CLUSTER,
    HEALTH,
    HTTPS,
    INTERNAL,
    POOL,
    PROJECT,
    changed,
    classic,
    deployment,
    fw_rule,
    grant,
    outcomes,
    policy,
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
POLICY = "google_compute_network_firewall_policy.anyscale"
PROVIDER = "google_iam_workload_identity_pool_provider.anyscale"
BUCKET = "google_storage_bucket.anyscale"
ACCESS_SA = "google_service_account.anyscale_access"
CLUSTER_SA = "google_service_account.anyscale_cluster"
UNSET = Unknown("var.x", "the variable has no value")


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


def _with_policy(*rules: object, **fields: object) -> GcpParts:
    return changed(ready_parts(), firewall_policies=(policy("anyscale", *rules),), **fields)


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


# ---- firewall ---------------------------------------------------------------------------


def test_fw_001_lists_the_ports_left_closed() -> None:
    narrow = fw_rule("rule 100", (("tcp", ("1-1024",)),), ("10.10.0.0/20",))
    [result] = run("GCP-FW-001", deployment(_with_policy(narrow, HTTPS)))
    assert (result.outcome, result.resource) == ("fail", POLICY)
    assert (
        "1025-65535" in result.message and "reads network firewall policies only" in result.message
    )


@pytest.mark.parametrize(
    ("rules", "outcome"),
    [
        # Two rules together cover every port; a supernet of the subnet counts.
        (
            (
                fw_rule("rule 1", (("tcp", ("1-30000",)),), ("10.0.0.0/8",)),
                fw_rule("rule 2", (("tcp", ("30001-65535",)), ("udp", ())), ("10.10.0.0/20",)),
            ),
            "pass",
        ),
        # A range narrower than the subnet, EGRESS, deny, disabled and source-less rules do not.
        ((fw_rule("rule 1", (("all", ()),), ("10.10.0.0/24",)),), "fail"),
        ((fw_rule("rule 1", (("all", ()),), ("10.10.0.0/20",), direction="EGRESS"),), "fail"),
        ((fw_rule("rule 1", (("all", ()),), ("10.10.0.0/20",), action="deny"),), "fail"),
        ((fw_rule("rule 1", (("all", ()),), ("10.10.0.0/20",), disabled=True),), "fail"),
        ((fw_rule("rule 1", (("all", ()),), ()),), "fail"),
        ((fw_rule("rule 1", (("6", ()),), ("10.10.0.0/20",)),), "pass"),
        ((fw_rule("rule 1", (("all", ()),), (UNSET,)),), "unknown"),
        ((fw_rule("rule 1", (("tcp", (UNSET,)),), ("10.10.0.0/20",)),), "unknown"),
    ],
)
def test_fw_001_which_rules_count(rules: tuple, outcome: str) -> None:
    assert run("GCP-FW-001", deployment(_with_policy(*rules)))[0].outcome == outcome


def test_fw_001_says_when_only_a_classic_firewall_or_another_policy_does_it() -> None:
    only_classic = _with_policy(HTTPS, firewalls=(classic("internal", INTERNAL),))
    [result] = run("GCP-FW-001", deployment(only_classic))
    assert result.outcome == "pass"
    assert (
        "classic firewall" in result.message and "network firewall policies only" in result.message
    )
    second = changed(
        ready_parts(), firewall_policies=(policy("first", HTTPS), policy("second", INTERNAL))
    )
    [other] = run("GCP-FW-001", deployment(second))
    assert other.outcome == "pass" and "other than the first one" in other.message


def test_fw_001_unknown_subnet_range_and_missing_firewall() -> None:
    parts = ready_parts()
    odd = changed(parts, subnets=(replace(parts.subnets[0], ip_cidr_range=UNSET),))
    assert run("GCP-FW-001", deployment(odd))[0].outcome == "unknown"
    bare = changed(parts, firewall_policies=())
    [result] = run("GCP-FW-001", deployment(bare))
    assert result.outcome == "not-evaluated" and "network firewall policy" in result.message


def test_fw_002_https() -> None:
    assert run("GCP-FW-002", deployment(_with_policy(INTERNAL)))[0].outcome == "pass"  # all
    ssh = fw_rule("rule 22", (("tcp", ("22",)),), ("0.0.0.0/0",))
    [result] = run("GCP-FW-002", deployment(_with_policy(ssh)))
    assert result.outcome == "fail" and "TCP 443" in result.message
    no_sources = fw_rule("rule 443", (("tcp", ("443",)),), ())
    assert run("GCP-FW-002", deployment(_with_policy(ssh, no_sources)))[0].outcome == "fail"
    by_classic = _with_policy(ssh, firewalls=(classic("https", HTTPS),))
    [note] = run("GCP-FW-002", deployment(by_classic))
    assert note.outcome == "pass" and "classic" in note.message


def test_fw_003_one_failure_per_offending_rule() -> None:
    ssh = fw_rule("rule 22", (("tcp", ("22",)),), ("0.0.0.0/0",))
    dash = fw_rule("rule 8265", (("tcp", ("8265",)),), ("0.0.0.0/0", "10.10.0.0/24"))
    icmp = fw_rule("rule 7", (("icmp", ()),), ("203.0.113.0/24",))
    results = run("GCP-FW-003", deployment(_with_policy(INTERNAL, HTTPS, HEALTH, ssh, dash, icmp)))
    assert [r.outcome for r in results] == ["fail", "fail", "fail"]
    assert {r.location for r in results} == {ssh.origin, dash.origin, icmp.origin}
    assert "tcp/8265 open to 0.0.0.0/0" in results[1].message
    assert len({r.fingerprint for r in results}) == 3


def test_fw_003_supernets_parameters_and_unknown_subnet_ranges() -> None:
    wide = fw_rule("rule 1", (("all", ()),), ("10.0.0.0/8",))
    assert run("GCP-FW-003", deployment(_with_policy(wide)))[0].outcome == "fail"
    vpn = {"allowed_cidrs": ["10.0.0.0/8"]}
    assert run("GCP-FW-003", deployment(_with_policy(wide)), parameters=vpn)[0].outcome == "pass"
    ssh = fw_rule("rule 22", (("tcp", ("22",)),), ("0.0.0.0/0",))
    ports = {"allowed_ports": [22]}
    assert run("GCP-FW-003", deployment(_with_policy(ssh)), parameters=ports)[0].outcome == "pass"
    parts = ready_parts()
    unknown = changed(parts, subnets=(replace(parts.subnets[0], ip_cidr_range=UNSET),))
    internal = fw_rule("rule 1", (("all", ()),), ("10.10.0.0/20",))
    odd = changed(unknown, firewall_policies=(policy("anyscale", internal),))
    assert run("GCP-FW-003", deployment(odd))[0].outcome == "unknown"


@pytest.mark.parametrize(
    ("rule", "outcome"),
    [
        (fw_rule("rule 22", (("tcp", ("22",)),), ("0.0.0.0/0",)), "fail"),
        (fw_rule("rule 1", (("tcp", ("20-30",)),), ("::/0",)), "fail"),
        (fw_rule("rule 1", (("all", ()),), ("0.0.0.0/0",)), "fail"),
        (fw_rule("rule 1", (("tcp", ("1-65535",)),), ("0.0.0.0/0",)), "fail"),
        (fw_rule("rule 1", (("tcp", ()),), ("0.0.0.0/0",)), "fail"),
        (fw_rule("rule 22", (("tcp", ("22",)),), ("35.235.240.0/20",)), "pass"),
        (fw_rule("rule 443", (("tcp", ("443",)),), ("0.0.0.0/0",)), "pass"),
        (fw_rule("rule 1", (("udp", ()),), ("0.0.0.0/0",)), "pass"),
        (fw_rule("rule 22", (("tcp", ("22",)),), (UNSET,)), "unknown"),
        (fw_rule("rule 22", (("tcp", ("22",)),), ("0.0.0.0/0",), direction="EGRESS"), "pass"),
    ],
)
def test_fw_004_ssh_or_all_from_the_internet(rule: object, outcome: str) -> None:
    results = run("GCP-FW-004", deployment(_with_policy(INTERNAL, rule)))
    assert outcomes(results) == {POLICY: outcome}


def test_fw_004_judges_every_firewall_under_scope_all() -> None:
    stray = classic("stray", fw_rule("allow-ssh", (("tcp", ("22",)),), ("0.0.0.0/0",)))
    subject = deployment(extra=(stray,))
    assert outcomes(run("GCP-FW-004", subject)) == {POLICY: "pass"}
    everything = run("GCP-FW-004", subject, settings=Settings(scope="all"))
    assert outcomes(everything) == {POLICY: "pass", "google_compute_firewall.stray": "fail"}


def test_fw_005_shared_vpc_health_checks() -> None:
    host = {"host-project-id": "acme-network-host"}
    assert run("GCP-FW-005", deployment(flags=host))[0].outcome == "pass"
    [result] = run("GCP-FW-005", deployment(_with_policy(INTERNAL, HTTPS), flags=host))
    assert result.outcome == "fail"
    assert "35.191.0.0/16" in result.message and "130.211.0.0/22" in result.message
    assert "proxy-only subnet google_compute_subnetwork.proxy" in result.message
    half = fw_rule("rule 1005", (("tcp", ("8000",)),), ("35.191.0.0/16", "10.20.0.0/23"))
    [public] = run("GCP-FW-005", deployment(_with_policy(half), flags=host, mode="public"))
    assert public.outcome == "fail" and "130.211.0.0/22" in public.message
    assert "proxy" not in public.message
    shared = changed(ready_parts(), host_project_id=UNSET)
    assert run("GCP-FW-005", deployment(shared))[0].outcome == "unknown"
    assert run("GCP-FW-005", deployment())[0].outcome == "not-evaluated"


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


# ---- network ----------------------------------------------------------------------------


def _subnet(**fields: object) -> GcpParts:
    parts = ready_parts()
    return changed(parts, subnets=(replace(parts.subnets[0], **fields),))


@pytest.mark.parametrize(
    ("cidr", "outcome", "severity"),
    [
        ("10.10.0.0/20", "pass", "medium"),
        ("10.10.0.0/22", "fail", "low"),
        ("10.10.0.0/26", "fail", "high"),
    ],
)
def test_net_001_levels(cidr: str, outcome: str, severity: str) -> None:
    [result] = run("GCP-NET-001", deployment(_subnet(ip_cidr_range=cidr)))
    assert (result.outcome, result.severity) == (outcome, severity)


def test_net_002_proxy_only_subnet() -> None:
    parts = ready_parts()
    assert run("GCP-NET-002", deployment(changed(parts, proxy_subnets=())))[0].outcome == "fail"
    elsewhere = changed(parts, proxy_subnets=(replace(parts.proxy_subnets[0], region="us-east1"),))
    [result] = run("GCP-NET-002", deployment(elsewhere))
    assert result.outcome == "fail" and "(us-east1) is in another region" in result.message
    backup = changed(parts, proxy_subnets=(replace(parts.proxy_subnets[0], role="BACKUP"),))
    [standby] = run("GCP-NET-002", deployment(backup))
    assert standby.outcome == "fail" and "has role BACKUP" in standby.message
    active = changed(parts, proxy_subnets=(replace(parts.proxy_subnets[0], role="ACTIVE"),))
    assert run("GCP-NET-002", deployment(active))[0].outcome == "pass"
    role = changed(parts, proxy_subnets=(replace(parts.proxy_subnets[0], role=UNSET),))
    assert run("GCP-NET-002", deployment(role))[0].outcome == "unknown"
    public = deployment(changed(parts, proxy_subnets=()), mode="public")
    assert run("GCP-NET-002", public)[0].outcome == "not-evaluated"
    assert run("GCP-NET-002", deployment(region=UNSET))[0].outcome == "unknown"


def test_net_003_private_google_access() -> None:
    off = deployment(_subnet(private_ip_google_access=False))
    assert run("GCP-NET-003", off)[0].outcome == "fail"
    public = deployment(_subnet(private_ip_google_access=False), mode="public")
    assert run("GCP-NET-003", public)[0].outcome == "not-evaluated"
    assert run("GCP-NET-003", deployment(_subnet(private_ip_google_access=UNSET)))[0].outcome == (
        "unknown"
    )


# ---- Memorystore and Filestore -----------------------------------------------------------


def _redis(**fields: object) -> GcpParts:
    parts = ready_parts()
    assert parts.memorystore is not None
    return changed(parts, memorystore=replace(parts.memorystore, **fields))


def test_mem_001_is_the_opposite_of_memorydb() -> None:
    bad = _redis(
        transit_encryption_mode="SERVER_AUTHENTICATION", read_replicas_mode="READ_REPLICAS_DISABLED"
    )
    [result] = run("GCP-MEM-001", deployment(bad))
    assert result.outcome == "fail"
    assert "SERVER_AUTHENTICATION" in result.message and "READ_REPLICAS_DISABLED" in result.message
    assert "opposite of AWS MemoryDB" in result.message
    assert run("GCP-MEM-001", deployment(_redis(tier="BASIC")))[0].outcome == "fail"
    assert run("GCP-MEM-001", deployment(_redis(tier=UNSET)))[0].outcome == "unknown"
    absent = run("GCP-MEM-001", deployment(changed(ready_parts(), memorystore=None)))
    assert absent[0].outcome == "not-evaluated"


def _filestore(*networks: object) -> GcpParts:
    parts = ready_parts()
    assert parts.filestore is not None
    return changed(parts, filestore=replace(parts.filestore, networks=networks))


@pytest.mark.parametrize(
    ("networks", "outcome"),
    [
        (("google_compute_network.anyscale",), "pass"),
        (("projects/acme-anyscale-prod/global/networks/anyscale-vpc",), "pass"),
        (("default",), "fail"),
        ((), "fail"),
        ((UNSET,), "unknown"),
    ],
)
def test_fs_001_filestore_network(networks: tuple, outcome: str) -> None:
    [result] = run("GCP-FS-001", deployment(_filestore(*networks)))
    assert result.outcome == outcome


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


def test_uncovered_ports_merge_overlapping_ranges() -> None:
    from anyscale_lint.checks.gcp_firewall_rules import port_intervals, uncovered

    assert uncovered([(1, 10), (5, 20), (30, 40)], 1, 50) == [(21, 29), (41, 50)]
    assert uncovered([(0, 65535)], 1, 65535) == []
    assert port_intervals(["22", "8000-9000"]) == [(22, 22), (8000, 9000)]
    assert isinstance(port_intervals(["ssh"]), Unknown)
