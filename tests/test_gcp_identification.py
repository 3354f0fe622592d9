"""GCP deployments: identified from a `--provider gcp` register command or from evidence in
the root (never from correctness), each part recorded with how it was found; rules of one
provider never report on the other's deployments."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from textwrap import dedent

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.engine import registry
from anyscale_lint.engine.context import CheckContext, Settings
from anyscale_lint.engine.identify import identify
from anyscale_lint.engine.identify_common import IdentifyOptions
from anyscale_lint.engine.identify_gcp import model_provider
from anyscale_lint.engine.runner import RuleSelection, run_checks
from anyscale_lint.formatters import sarif
from anyscale_lint.model import CloudModel, Deployment, GcpParts, Identification
from anyscale_lint.providers.gcp import GCP_DEFAULT_REGION, GCP_INPUTS, INPUTS_BY_FLAG
from anyscale_lint.readiness.build import build_readiness
from anyscale_lint.sources.register_command import flag_spellings, parse_flags
from anyscale_lint.sources.terraform.loader import TerraformOptions, TerraformSource
from tests.conftest import REPO

ROOTS = REPO / "tests" / "fixtures" / "gcp_roots"


def _model(directory: Path) -> CloudModel:
    source = TerraformSource(directory, TerraformOptions([], []))
    model, errors = source.evaluate_root(directory)
    assert not errors and not source.all_errors()
    return model


def _deployments(directory: Path) -> list[Deployment]:
    return identify(_model(directory), IdentifyOptions())


def _only(directory: Path) -> Deployment:
    (deployment,) = _deployments(directory)
    return deployment


def _parts(deployment: Deployment) -> GcpParts:
    assert deployment.provider == "gcp" and deployment.gcp is not None
    return deployment.gcp


def _how(deployment: Deployment) -> dict[str, Identification]:
    return {note.part: note for note in deployment.identifications}


def _ready_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The ready root with one piece of its register command rewritten."""
    root = tmp_path / "ready"
    shutil.copytree(ROOTS / "ready", root)
    main = root / "main.tf"
    text = main.read_text()
    assert old in text
    main.write_text(text.replace(old, new))
    return root


# ---- the register command ---------------------------------------------------------------


def test_parse_flags_reads_gcp_aliases_only_for_gcp_commands() -> None:
    command = (
        "anyscale cloud register --provider gcp --name x --gcp-project-id acme "
        "--filestore-instance-id fs --efs-id not-an-alias-here"
    )
    flags = parse_flags(command)
    assert flags["project-id"] == "acme" and flags["file-storage-id"] == "fs"
    assert flags["efs-id"] == "not-an-alias-here"  # AWS's alias means nothing to GCP
    assert flag_spellings(command) == {
        "project-id": "gcp-project-id",
        "file-storage-id": "filestore-instance-id",
    }
    aws = parse_flags("anyscale cloud register --provider aws --efs-id fs-1 --gcp-project-id p")
    assert aws["file-storage-id"] == "fs-1" and aws["gcp-project-id"] == "p"


def test_the_gcp_inputs_table() -> None:
    flags = {spec.flag for spec in GCP_INPUTS}
    assert {
        "project-id",
        "host-project-id",
        "vpc-name",
        "subnet-names",
        "firewall-policy-names",
        "anyscale-service-account-email",
        "instance-service-account-email",
        "provider-name",
        "cloud-storage-bucket-name",
        "file-storage-id",
        "filestore-location",
        "memorystore-instance-name",
        "region",
        "private-network",
    } <= flags
    assert INPUTS_BY_FLAG["gcp-project-id"].flag == "project-id"
    assert INPUTS_BY_FLAG["filestore-instance-id"].flag == "file-storage-id"
    assert INPUTS_BY_FLAG["region"].default == GCP_DEFAULT_REGION == "us-west1"
    # The part names identification records are the table's.
    parts = {spec.part for spec in GCP_INPUTS if spec.part}
    notes = {note.part for note in _only(ROOTS / "ready").identifications}
    assert parts <= notes


def test_every_part_named_by_the_register_command() -> None:
    deployment = _only(ROOTS / "ready")
    parts = _parts(deployment)
    assert deployment.identified
    assert deployment.region == "us-central1"
    assert (deployment.network_mode, deployment.register_command is not None) == ("private", True)
    assert parts.project is not None and parts.project.key == "google_project.prod"
    assert (parts.project_id, parts.host_project_id) == ("acme-anyscale-prod", None)
    assert parts.network is not None and parts.network.key == "google_compute_network.vpc"
    assert [s.key for s in parts.subnets] == ["google_compute_subnetwork.nodes"]
    assert [s.key for s in parts.proxy_subnets] == ["google_compute_subnetwork.proxy"]
    assert [p.key for p in parts.firewall_policies] == [
        "google_compute_network_firewall_policy.anyscale"
    ]
    assert parts.firewalls == ()
    assert parts.access_service_account is not None
    assert parts.access_service_account.key == "google_service_account.access"
    assert parts.node_service_account is not None
    assert parts.node_service_account.key == "google_service_account.cluster"
    assert parts.identity_provider is not None and parts.pool is not None
    assert parts.identity_provider.key == "google_iam_workload_identity_pool_provider.anyscale"
    assert parts.pool.key == "google_iam_workload_identity_pool.anyscale"
    assert parts.bucket is not None and parts.bucket.key == "google_storage_bucket.storage"
    assert parts.filestore is not None and parts.memorystore is not None
    how = _how(deployment)
    for part, flag in [
        ("network", "vpc-name"),
        ("subnets", "subnet-names"),
        ("firewall policies", "firewall-policy-names"),
        ("access service account", "anyscale-service-account-email"),
        ("node service account", "instance-service-account-email"),
        ("identity provider", "provider-name"),
        ("bucket", "cloud-storage-bucket-name"),
        ("filestore", "file-storage-id"),
        ("memorystore", "memorystore-instance-name"),
        ("project", "project-id"),
    ]:
        assert how[part].method.startswith(f"named by --{flag} "), (part, how[part])
    assert how["pool"].method == ("the pool of google_iam_workload_identity_pool_provider.anyscale")
    assert deployment.member_keys() >= {
        "google_compute_network.vpc",
        "google_redis_instance.anyscale",
    }


def test_aliases_host_project_and_the_default_region(tmp_path: Path) -> None:
    root = _ready_copy(
        tmp_path,
        "--provider gcp --name acme-prod --region us-central1 \\\n      --project-id",
        "--provider gcp --name acme-prod --host-project-id acme-network-host \\\n"
        "      --gcp-project-id",
    )
    main = root / "main.tf"
    main.write_text(main.read_text().replace("--file-storage-id", "--filestore-instance-id"))
    deployment = _only(root)
    parts = _parts(deployment)
    assert (parts.project_id, parts.host_project_id) == ("acme-anyscale-prod", "acme-network-host")
    assert parts.filestore is not None
    how = _how(deployment)
    assert how["project"].method.startswith("named by --gcp-project-id ")
    assert how["filestore"].method.startswith("named by --filestore-instance-id ")
    # Without --region the CLI registers in us-west1, whatever the provider says.
    assert deployment.region == "us-west1"
    assert "no --region" in how["region"].method


def test_a_name_the_root_does_not_declare_is_not_found_not_guessed(tmp_path: Path) -> None:
    root = _ready_copy(
        tmp_path, "--vpc-name ${google_compute_network.vpc.name}", "--vpc-name shared-vpc"
    )
    deployment = _only(root)
    parts = _parts(deployment)
    assert parts.network is None
    assert _how(deployment)["network"].method == (
        "not identified: --vpc-name names shared-vpc, which this root does not declare"
    )
    # The subnet named still comes from the command.
    assert [s.key for s in parts.subnets] == ["google_compute_subnetwork.nodes"]


def test_public_mode_and_two_commands(tmp_path: Path) -> None:
    root = _ready_copy(tmp_path, "  --private-network\n", "\n")
    main = root / "main.tf"
    text = main.read_text()
    second = text[text.index('output "anyscale_register_command"') :].replace(
        "anyscale_register_command", "staging_register_command"
    )
    main.write_text(text + "\n" + second)
    deployments = _deployments(root)
    assert [d.key.rsplit("#", 1)[-1] for d in deployments] == [
        "output.anyscale_register_command",
        "output.staging_register_command",
    ]
    assert all(d.network_mode == "public" and d.provider == "gcp" for d in deployments)
    assert deployments[0].primary and not deployments[1].primary
    assert "google_compute_network.vpc" in deployments[0].shared


# ---- evidence without a register command ------------------------------------------------


def test_evidence_identifies_a_deployment_with_a_mistyped_account() -> None:
    deployment = _only(ROOTS / "evidence")
    parts = _parts(deployment)
    assert deployment.identified and deployment.register_command is None
    how = _how(deployment)
    assert "525325868956, a slip from 525325868955" in how["deployment"].method
    assert "labelled anyscale-cloud-id: google_storage_bucket.storage" in how["deployment"].method
    # The provider is the deployment's, so the account rule can fail on it.
    assert parts.identity_provider is not None
    assert parts.identity_provider.aws_account_id == "525325868956"
    assert parts.network is not None and parts.network.key == "google_compute_network.anyscale"
    assert how["network"].method == "inferred: named for anyscale"
    # PRIVATE subnets of that network in the region: not the proxy, not europe-west1's.
    assert [s.key for s in parts.subnets] == ["google_compute_subnetwork.nodes"]
    assert [s.key for s in parts.proxy_subnets] == ["google_compute_subnetwork.proxy"]
    assert [p.key for p in parts.firewall_policies] == [
        "google_compute_network_firewall_policy.anyscale"
    ]
    assert how["firewall policies"].method == "associated with google_compute_network.anyscale"
    assert [f.key for f in parts.firewalls] == ["google_compute_firewall.internal"]
    assert parts.access_service_account is not None
    assert parts.access_service_account.key == "google_service_account.access"
    assert "roles/iam.workloadIdentityUser" in how["access service account"].method
    assert parts.node_service_account is not None
    assert parts.node_service_account.key == "google_service_account.cluster"
    assert parts.pool is not None and parts.pool.key == "google_iam_workload_identity_pool.anyscale"
    assert parts.bucket is not None and parts.bucket.key == "google_storage_bucket.storage"
    assert how["bucket"].method == "inferred: labelled anyscale-cloud-id"
    assert parts.filestore is not None and parts.memorystore is None
    assert how["memorystore"].method == "no google_redis_instance in this root"
    assert parts.project_id == "acme-anyscale-dev"  # where the parts are created
    assert (deployment.region, deployment.network_mode) == ("us-central1", "private")
    assert deployment.network_mode_source == "default (private)"


def test_a_foreign_account_identifies_only_with_anyscale_in_the_root(tmp_path: Path) -> None:
    alone = _only(ROOTS / "foreign_wif")
    assert (alone.provider, alone.identified) == ("gcp", False)
    assert alone.weak_signs == (
        "google_iam_workload_identity_pool_provider.etl (trusts AWS account 111122223333)",
    )
    root = tmp_path / "named"
    shutil.copytree(ROOTS / "foreign_wif", root)
    main = root / "main.tf"
    main.write_text(main.read_text().replace('"partners"', '"anyscale-pool"'))
    named = _only(root)
    assert named.identified
    assert "trusts AWS account 111122223333 and the root names anyscale" in (
        _how(named)["deployment"].method
    )
    assert named.gcp is not None and named.gcp.identity_provider is not None


def test_a_grant_to_anyscales_role_identifies(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        dedent(
            """
            provider "google" { project = "p" }
            resource "google_service_account" "x" { account_id = "x" }
            resource "google_service_account_iam_member" "wif" {
              service_account_id = google_service_account.x.name
              role   = "roles/iam.workloadIdentityUser"
              member = "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p1/attribute.aws_role/arn:aws:sts::525325868955:assumed-role/gcp_if_org_1"
            }
            """
        )
    )
    deployment = _only(tmp_path)
    assert deployment.identified
    parts = _parts(deployment)
    assert parts.access_service_account is not None
    assert parts.access_service_account.key == "google_service_account.x"
    assert parts.pool is None
    assert _how(deployment)["pool"].method.startswith("not identified: ")


def test_unrelated_google_resources_are_not_a_deployment() -> None:
    deployment = _only(ROOTS / "unrelated")
    assert (deployment.provider, deployment.identified) == ("gcp", False)
    assert deployment.weak_signs == () and deployment.anyscale_named == ()
    assert deployment.gcp == GcpParts()
    assert _how(deployment)["deployment"].method.startswith("no Anyscale deployment identified")


def test_which_provider_a_model_is() -> None:
    ready = _model(ROOTS / "ready")
    assert model_provider(ready) == "gcp"
    aws = _model(REPO / "examples" / "aws-ready")
    assert model_provider(aws) == "aws"
    mixed = CloudModel(root="mixed", source_kind="terraform")
    mixed.resources = {**aws.resources, **ready.resources}
    assert model_provider(mixed) == "aws"  # no command decides: AWS resources are there
    mixed.register_commands = list(ready.register_commands)
    assert model_provider(mixed) == "gcp"  # the command says --provider gcp


# ---- provider gating --------------------------------------------------------------------

GCP_RULE = "GCP-TEST-999"


def _network_named(ctx: CheckContext) -> None:
    network = ctx.deployment.gcp.network if ctx.deployment.gcp else None
    if network is None:
        ctx.not_evaluated(ctx.deployment.key, "no network")
    else:
        ctx.fail(network, f"{network.address} is a network (test rule)", value=network.address)


@pytest.fixture
def gcp_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A GCP rule that exists only in this test."""
    template = registry.load_metadata()["AWS-NET-001"]
    meta = replace(template, id=GCP_RULE, name="test-gcp-network", title="Test GCP rule")
    monkeypatch.setitem(registry.load_metadata(), GCP_RULE, meta)
    monkeypatch.setitem(registry._CHECKS, GCP_RULE, _network_named)


def test_rule_providers_come_from_their_ids() -> None:
    metadata = registry.load_metadata()
    assert metadata["AWS-NET-001"].provider == "aws"
    assert all(
        meta.provider is None for rule_id, meta in metadata.items() if rule_id.startswith("CORE-")
    )
    assert replace(metadata["AWS-NET-001"], id="GCP-FW-001").provider == "gcp"


def test_a_gcp_root_gets_no_aws_results(gcp_rule: None) -> None:
    report = lint([str(ROOTS / "ready")], LintOptions())
    ids = {r.rule_id for r in report.results}
    assert not any(rule.startswith("AWS-") for rule in ids), ids
    (result,) = [r for r in report.results if r.rule_id == GCP_RULE]
    assert (result.outcome, result.resource) == ("fail", "google_compute_network.vpc")
    # An unidentified GCP root: GCP deployment rules report not evaluated, AWS rules nothing.
    unrelated = lint([str(ROOTS / "unrelated")], LintOptions())
    assert {r.rule_id for r in unrelated.results if r.rule_id.startswith("AWS-")} == set()
    (skipped,) = [r for r in unrelated.results if r.rule_id == GCP_RULE]
    assert skipped.outcome == "not-evaluated"


def test_aws_examples_get_no_gcp_results(gcp_rule: None) -> None:
    report = lint([str(REPO / "examples" / "aws-ready")], LintOptions())
    assert not [r for r in report.results if r.rule_id.startswith("GCP-")]
    assert any(r.rule_id.startswith("AWS-") for r in report.results)
    # The rule list still names every rule, and the report formats with a GCP rule present.
    assert GCP_RULE in {meta.id for meta in report.rules}
    rendered = sarif.render(report)
    assert GCP_RULE in rendered
    assert build_readiness(report).deployments


def test_the_runner_skips_another_providers_rules() -> None:
    metadata = registry.load_metadata()
    seen: list[tuple[str, str]] = []

    def record(ctx: CheckContext) -> None:
        seen.append((ctx.meta.id, ctx.deployment.provider))

    aws_meta = metadata["AWS-NET-001"]
    gcp_meta = replace(aws_meta, id=GCP_RULE)
    core_meta = next(m for m in metadata.values() if m.id.startswith("CORE-"))
    selection = RuleSelection([(aws_meta, record), (gcp_meta, record), (core_meta, record)])
    model = CloudModel(root="r", source_kind="terraform")
    deployments = [
        Deployment(key="aws", model=model),
        Deployment(key="gcp", model=model, provider="gcp", gcp=GcpParts()),
    ]
    results, _ = run_checks(selection, deployments, {}, Settings())
    assert ("AWS-NET-001", "aws") in seen and ("AWS-NET-001", "gcp") not in seen
    assert (GCP_RULE, "gcp") in seen and (GCP_RULE, "aws") not in seen
    assert (core_meta.id, "aws") in seen and (core_meta.id, "gcp") in seen
    assert not [r for r in results if r.rule_id == GCP_RULE and r.deployment == "aws"]
