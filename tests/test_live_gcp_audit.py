"""live --provider gcp against the fake Google APIs: faults (403, timeouts, missing
resources) as collection errors and Unknowns, the command, its snapshot and progress, and
the acceptance against the examples."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from anyscale_lint.model import (
    GcpFilestore,
    GcpFirewallPolicy,
    GcpIamGrant,
    GcpRedis,
    GcpSubnetwork,
    GcsBucket,
    Unknown,
)
from anyscale_lint.sources.gcp_live.session import ENDPOINT_ENV
from tests.conftest import REPO, console_script, run_cli
from tests.gcp_fake import FakeGoogle, arguments, flags, load, serve
from tests.gcp_live_support import (
    ACCESS,
    BUCKET,
    BUCKET_IAM,
    CLUSTER,
    DENIED,
    POOL,
    READY,
    REGION,
    audit_fake,
    resource_of,
)
from tests.terminal import stderr_on_terminal

# ---- faults ----------------------------------------------------------------------------------


def _with(deployment: str, service: str, route: str, answer: Any) -> dict[str, dict[str, Any]]:
    routes = load(deployment)
    if answer is None:
        del routes[service][route]
    else:
        routes[service][route] = answer
    return routes


def test_a_403_is_a_collection_error_and_the_values_unknown() -> None:
    with serve(_with("ready", "storage", BUCKET_IAM, DENIED)) as fake:
        found = audit_fake(fake, flags("ready"))
    (error,) = found.errors
    assert (error.path, error.kind) == (BUCKET, "collection")
    assert error.message == (
        "access denied calling storage.buckets.getIamPolicy (PERMISSION_DENIED)"
    )
    grant = resource_of(found.model, GcpIamGrant, f"{BUCKET}#iam-policy")
    assert isinstance(grant.role, Unknown) and isinstance(grant.members, Unknown)
    assert "access denied calling storage.buckets.getIamPolicy" in grant.role.reason
    # What was read stays known; no grant of the bucket is made up.
    assert resource_of(found.model, GcsBucket, BUCKET).uniform_access is True
    assert not [
        g for g in found.model.of_kind(GcpIamGrant) if g.target == BUCKET and g is not grant
    ]


def test_a_403_on_the_bucket_leaves_every_bucket_value_unknown() -> None:
    route = "GET /storage/v1/b/acme-anyscale-prod-storage"
    with serve(_with("ready", "storage", route, DENIED)) as fake:
        found = audit_fake(fake, flags("ready"))
    bucket = resource_of(found.model, GcsBucket, BUCKET)
    for value in (
        bucket.location,
        bucket.cors,
        bucket.uniform_access,
        bucket.public_access_prevention,
    ):
        assert isinstance(value, Unknown), value
        assert "access denied calling storage.buckets.get (PERMISSION_DENIED)" in value.reason
    assert [e.path for e in found.errors] == [BUCKET]


def test_a_403_through_the_command_exits_3_with_core_003_and_no_token(tmp_path: Path) -> None:
    with serve(_with("ready", "storage", BUCKET_IAM, DENIED)) as fake:
        done = _cli(
            fake, "ready", "-f", "json", "-f", "text:report.txt", "--save-snapshot", "state.json",
            cwd=tmp_path,
        )  # fmt: skip
    assert done.returncode == 3, done.stderr
    report = json.loads(done.stdout)
    core = [r for r in report["results"] if r["rule_id"] == "CORE-003"]
    assert [(r["resource"], r["outcome"]) for r in core] == [(BUCKET, "fail")]
    # The rules that read the bucket's IAM policy cannot pass or fail: they report unknown.
    bucket_iam = {
        (r["rule_id"], r["outcome"])
        for r in report["results"]
        if r["rule_id"] in ("GCP-GCS-003", "GCP-GCS-005")
    }
    assert bucket_iam == {("GCP-GCS-003", "unknown"), ("GCP-GCS-005", "unknown")}
    unknown = next(r for r in report["results"] if r["rule_id"] == "GCP-GCS-003")
    assert "access denied calling storage.buckets.getIamPolicy" in unknown["message"]
    every_output = done.stdout + done.stderr + (tmp_path / "report.txt").read_text()
    every_output += (tmp_path / "state.json").read_text()
    assert "CORE-003" in every_output and "ya29." not in every_output
    assert "fake-token" not in every_output
    # The collection error and the unknown grant travel with the snapshot.
    offline = run_cli("scan", "state.json", "-f", "json", cwd=tmp_path)
    assert offline.returncode == 3, offline.stderr
    assert [r for r in json.loads(offline.stdout)["results"] if r["rule_id"] == "CORE-003"] == core


def test_a_timeout_is_a_collection_error() -> None:
    route = "GET /v1/projects/acme-anyscale-prod/locations/us-central1/instances/anyscale-redis"
    routes = load("ready")
    routes["redis"][route] = {"$delay": 6, "body": routes["redis"][route]}
    with serve(routes) as fake:
        found = audit_fake(fake, flags("ready"), timeout=2.5)
    (error,) = found.errors
    assert error.path == f"{READY}/locations/us-central1/instances/anyscale-redis"
    assert error.message.startswith("redis.instances.get timed out or could not connect (")
    redis = resource_of(found.model, GcpRedis, error.path)
    assert isinstance(redis.transit_encryption_mode, Unknown)
    assert isinstance(redis.read_replicas_mode, Unknown)


def test_a_missing_resource_is_a_fact_not_a_collection_error() -> None:
    route = (
        "GET /v1/projects/acme-anyscale-prod/locations/us-central1-b/instances/anyscale-filestore"
    )
    with serve(_with("ready", "file", route, None)) as fake:
        found = audit_fake(fake, flags("ready"))
    assert found.errors == []
    assert list(found.model.of_kind(GcpFilestore)) == []
    assert (
        "projects/acme-anyscale-prod/locations/us-central1-b/instances/anyscale-filestore "
        "does not exist (NOT_FOUND)"
    ) in found.model.notes


def test_a_named_policy_that_is_not_global_is_read_in_the_region() -> None:
    routes = load("ready")
    path = (
        "/compute/v1/projects/acme-anyscale-prod/global/firewallPolicies/anyscale-firewall-policy"
    )
    policy = routes["compute"].pop(f"GET {path}")
    regional = path.replace("/global/", "/regions/us-central1/")
    routes["compute"][f"GET {regional}"] = {
        **policy,
        "region": "https://www.googleapis.com/compute/v1/projects/acme-anyscale-prod/regions/us-central1",
    }
    with serve(routes) as fake:
        found = audit_fake(fake, flags("ready"))
    assert found.errors == []
    (read,) = found.model.of_kind(GcpFirewallPolicy)
    assert (read.key, read.region) == (
        f"{READY}/regions/us-central1/firewallPolicies/anyscale-firewall-policy",
        REGION,
    )


def test_an_unreadable_subnet_list_leaves_the_named_subnets_unknown() -> None:
    route = "GET /compute/v1/projects/acme-anyscale-prod/regions/us-central1/subnetworks"
    with serve(_with("ready", "compute", route, DENIED)) as fake:
        found = audit_fake(fake, flags("ready"))
    (subnet,) = found.model.of_kind(GcpSubnetwork)
    assert subnet.subnet_name == "anyscale-nodes"
    for value in (subnet.network, subnet.ip_cidr_range, subnet.purpose):
        assert isinstance(value, Unknown)
    assert [e.path for e in found.errors] == [f"{READY}/regions/us-central1/subnetworks"]


# ---- the command -----------------------------------------------------------------------------


def _cli(fake: FakeGoogle, deployment: str, *extra: str, cwd: Path | None = None) -> Any:
    return run_cli(
        "live",
        "--provider",
        "gcp",
        "--max-attempts",
        "1",
        *arguments(flags(deployment)),
        *extra,
        cwd=cwd,
        env={ENDPOINT_ENV: fake.base},
    )


def test_the_command_reports_calls_and_the_test_endpoint(ready_fake: FakeGoogle) -> None:
    done = _cli(ready_fake, "ready", "-f", "json")
    report = json.loads(done.stdout)
    assert done.stderr == ""  # no terminal: no progress bar
    assert "gcp://acme-anyscale-prod/us-central1: 17 Google API calls" in report["notices"]
    assert f"every Google API call went to {ready_fake.base} ({ENDPOINT_ENV})" in report["notices"]
    assert not [r for r in report["results"] if r["rule_id"] == "CORE-003"]
    # Identification finds every part the flags name, by the live resource names.
    (deployment,) = report["deployments"]
    assert deployment["key"] == "gcp://acme-anyscale-prod/us-central1"
    assert deployment["network_mode"] == "private"
    found = {p["part"]: p["resource"] for p in deployment["identified"]}
    assert found == {
        "project": READY,
        "network": f"{READY}/global/networks/anyscale-vpc",
        "subnets": f"{READY}/regions/us-central1/subnetworks/anyscale-nodes",
        "proxy subnets": f"{READY}/regions/us-central1/subnetworks/anyscale-proxy",
        "firewall policies": f"{READY}/global/firewallPolicies/anyscale-firewall-policy",
        "firewalls": None,
        "access service account": f"{READY}/serviceAccounts/{ACCESS}",
        "node service account": f"{READY}/serviceAccounts/{CLUSTER}",
        "identity provider": f"{POOL}/providers/anyscale-access",
        "pool": POOL,
        "bucket": BUCKET,
        "filestore": f"{READY}/locations/us-central1-b/instances/anyscale-filestore",
        "memorystore": f"{READY}/locations/us-central1/instances/anyscale-redis",
    }


def test_a_snapshot_rechecks_offline_with_the_same_results(
    insecure_fake: FakeGoogle, tmp_path: Path
) -> None:
    snapshot = tmp_path / "state.json"
    live = _cli(insecure_fake, "insecure", "-f", "json", "--save-snapshot", str(snapshot))
    assert live.returncode in (0, 1), live.stderr
    document = json.loads(snapshot.read_text())
    schema = json.loads((REPO / "schemas/snapshot.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    assert {r["$type"] for r in document["resources"]} >= {
        "GcpProject", "GcpNetwork", "GcpSubnetwork", "GcpFirewallPolicy", "GcsBucket",
        "GcpServiceAccount", "GcpIamGrant", "GcpWorkloadIdentityPool",
        "GcpWorkloadIdentityProvider", "GcpFilestore", "GcpRedis",
    }  # fmt: skip
    offline = run_cli("scan", str(snapshot), "-f", "json")
    assert offline.returncode == live.returncode, offline.stderr

    def outcomes(done: Any) -> list[tuple[str, str, str, str]]:
        results = json.loads(done.stdout)["results"]
        return sorted((r["rule_id"], r["resource"], r["outcome"], r["message"]) for r in results)

    assert outcomes(offline) == outcomes(live)
    assert [o for o in outcomes(live) if o[2] == "fail"]

    def parts(done: Any) -> list[dict[str, Any]]:
        (deployment,) = json.loads(done.stdout)["deployments"]
        return [p for p in deployment["identified"] if p["resource"]]

    # Every part but the proxy-only subnet the insecure deployment lacks (and classic firewalls).
    assert parts(offline) == parts(live) and len(parts(live)) == 11


def test_the_progress_bar_shows_the_phases_on_a_terminal(ready_fake: FakeGoogle) -> None:
    env = {**os.environ, "NO_COLOR": "1", ENDPOINT_ENV: ready_fake.base}
    env.pop("CI", None)
    args = [str(console_script()), "live", "--provider", "gcp", "--max-attempts", "1"]
    shown = stderr_on_terminal([*args, *arguments(flags("ready")), "-f", "json"], env)
    frames = [f.rstrip() for f in shown.split("\r") if f.strip()]
    assert frames, repr(shown)
    assert all(re.fullmatch(r"\[[#.]{20}\] \d/6 phases  \d+ calls(  .+)?", f) for f in frames)
    assert "network (us-central1)" in shown and "Memorystore (us-central1)" in shown, shown
    assert re.fullmatch(r"\[#{20}\] 6/6 phases  17 calls  .+ \(us-central1\)", frames[-1]), shown
    assert not shown.split("\r")[-2].strip()  # erased at the end


def _by_rule(done: Any) -> dict[str, list[str]]:
    """The outcomes of each GCP rule in a JSON report."""
    found: dict[str, set[str]] = {}
    for result in json.loads(done.stdout)["results"]:
        if result["rule_id"].startswith("GCP-"):
            found.setdefault(result["rule_id"], set()).add(result["outcome"])
    return {rule: sorted(outcomes) for rule, outcomes in found.items()}


@pytest.mark.parametrize(("deployment", "failing"), [("ready", 0), ("insecure", 18)])
def test_live_against_the_fake_judges_as_the_example_scan(deployment: str, failing: int) -> None:
    # GCP_DEPLOYMENTS.md: the fake holds the deployments examples/gcp-* declare.
    scan = run_cli("scan", f"examples/gcp-{deployment}", "-f", "json")
    with serve(load(deployment)) as fake:
        live = _cli(fake, deployment, "-f", "json")
    assert (live.returncode, scan.returncode) == ((1, 1) if failing else (0, 0)), live.stderr
    assert _by_rule(live) == _by_rule(scan)
    assert len(_by_rule(live)) == 20
    assert len([r for r, outcomes in _by_rule(live).items() if "fail" in outcomes]) == failing
    assert not [r for r, outcomes in _by_rule(live).items() if "unknown" in outcomes]
