"""The readiness report of a GCP deployment: checklist rows, sections in the verifier's order,
every format, the Mermaid diagram of the GCP parts, and the reference examples."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.engine import registry
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.formatters import readiness_markdown
from anyscale_lint.formatters.mermaid_common import MISSING_CLASS
from anyscale_lint.providers import aws, gcp
from anyscale_lint.readiness.build import build_readiness
from tests.conftest import REPO
from tests.readiness_gcp_support import (
    ACCESS,
    CLUSTER,
    GCP_FLAGS,
    PROVIDER_NAME,
    READY,
    READY_VALUES,
    ROOTS,
    copy_root,
    labels,
    mermaid,
    node_ids,
    only,
    planned,
    ready,
    ready_json,
    rows,
    without_command,
)
from tests.test_readiness import failed_nodes

# ---- checklist, sections, formats ----------------------------------------------------------


def test_checklist_rows_are_gcps_register_inputs() -> None:
    _, report = ready_json(READY)
    deployment = only(report)
    assert [row["flag"] for row in deployment["checklist"]] == [
        spec.flag for spec in gcp.GCP_INPUTS
    ]
    found = rows(deployment)
    assert found["vpc-name"]["resources"] == ["google_compute_network.vpc"]
    assert found["provider-name"]["resources"] == [
        "google_iam_workload_identity_pool_provider.anyscale"
    ]
    assert found["project-id"]["location"].endswith("main.tf:12")
    assert "proxy-only subnet: google_compute_subnetwork.proxy" in found["subnet-names"]["detail"]
    assert found["filestore-location"]["resources"] == ["us-central1-b"]
    assert found["host-project-id"]["status"] == "not used"
    assert {row["status"] for flag, row in found.items() if flag != "host-project-id"} == {"pass"}
    # Sections are GCP's, in Anyscale's GCP verifier order: no AWS area appears.
    names = [section["name"] for section in deployment["sections"]]
    assert all(name in gcp.READINESS_SECTIONS for name in names)
    assert names == sorted(names, key=gcp.READINESS_SECTIONS.index)
    assert not {"VPC", "Security groups", "S3", "EFS", "MemoryDB"} & set(names)
    rule_ids = {rule["rule_id"] for s in deployment["sections"] for rule in s["rules"]}
    assert not any(rule_id.startswith("AWS-") for rule_id in rule_ids)


def test_missing_parts_are_not_found_rows_and_dashed_diagram_nodes(tmp_path: Path) -> None:
    root = tmp_path / "partial"
    root.mkdir()
    # No register command, no firewall policy, no bucket.
    text = without_command((ROOTS / "ready" / "main.tf").read_text())
    for kind in (
        "google_compute_network_firewall_policy",
        "google_compute_network_firewall_policy_association",
        "google_compute_network_firewall_policy_rule",
        "google_storage_bucket",
        "google_storage_bucket_iam_policy",
    ):
        text = re.sub(rf'resource "{kind}" "\w+" {{\n(?:  .*\n|\n)*?}}\n', "", text)
    (root / "main.tf").write_text(text)
    code, report = ready_json(str(root))
    deployment = only(report)
    assert code == 1 and deployment["verdict"] == "NOT READY"
    found = rows(deployment)
    for flag in ("firewall-policy-names", "cloud-storage-bucket-name"):
        assert found[flag]["status"] == "not found", found[flag]
        assert any(f"(--{flag}) not found" in reason for reason in deployment["reasons"])
        assert planned(deployment)[flag]["source"] == "placeholder"
    _, markdown = ready(str(root), fmt="markdown")
    source = mermaid(markdown)
    shown = labels(source)
    assert "⛔ not found: firewall policies (--firewall-policy-names)" in shown
    assert "⛔ not found: GCS bucket (--cloud-storage-bucket-name)" in shown
    assert re.search(rf"^\s*class n\d+,n\d+ {MISSING_CLASS}$", source, re.MULTILINE)


def test_diagram_shows_the_gcp_parts() -> None:
    _, markdown = ready(READY, fmt="markdown")
    source = mermaid(markdown)
    shown = labels(source)
    expected = (
        "node subnet google_compute_subnetwork.nodes 10.10.0.0/20",
        "proxy-only subnet google_compute_subnetwork.proxy 10.20.0.0/23",
        "firewall policy google_compute_network_firewall_policy.anyscale",
        f"Anyscale access service account google_service_account.access {ACCESS}",
        f"cluster node service account google_service_account.cluster {CLUSTER}",
        "provider google_iam_workload_identity_pool_provider.anyscale",
        "GCS bucket google_storage_bucket.storage acme-anyscale-prod-storage",
        "Filestore google_filestore_instance.anyscale",
        "Memorystore google_redis_instance.anyscale",
        "Anyscale control plane AWS account 525325868955",
    )
    for label in expected:
        assert label in shown, (label, shown)
    assert 'subgraph project["project acme-anyscale-prod"]' in source
    assert 'subgraph vpc["VPC network google_compute_network.vpc anyscale-vpc"]' in source
    assert "subgraph pool[" in source and 'region0["us-central1"]' in source
    by_label = node_ids(source)
    anyscale = by_label["Anyscale control plane"]
    assert f"{anyscale} -- federates --> {by_label['provider']}" in source
    assert f"pool -- impersonates --> {by_label['Anyscale access service account']}" in source
    assert f"vpc --- {by_label['Filestore']}" in source
    assert f"vpc --- {by_label['Memorystore']}" in source
    assert failed_nodes(source) == [] and MISSING_CLASS not in source
    # No AWS part in a GCP diagram.
    assert "ec2.amazonaws.com" not in source and "security group" not in source


def test_filestore_on_another_network_and_a_foreign_account_are_drawn(tmp_path: Path) -> None:
    root = copy_root(
        tmp_path,
        {
            "network = google_compute_network.vpc.name": 'network = "default"',
            'account_id = "525325868955"': 'account_id = "123456789012"',
        },
    )
    _, markdown = ready(str(root), fmt="markdown")
    source = mermaid(markdown)
    ids = node_ids(source)
    assert f"{ids['network default']} --- {ids['Filestore']}" in source
    assert f"{ids['AWS account 123456789012']} -- federates --> {ids['provider']}" in source
    assert f"{ids['Anyscale control plane']} -- federates" not in source


GCP_RULE = "GCP-GCS-999"


def _bucket_named_prod(ctx: CheckContext) -> None:
    parts = ctx.deployment.gcp
    bucket = parts.bucket if parts else None
    if bucket is None:
        ctx.not_evaluated(ctx.deployment.key, "no bucket")
    elif "prod" in str(bucket.bucket_name):
        ctx.fail(bucket, f"{bucket.address} is named for prod (test rule)", value="prod")
    else:
        ctx.passed(bucket)


@pytest.fixture
def gcp_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A GCP rule that exists only in this test: section Cloud Storage, input bucket."""
    template = registry.load_metadata()["AWS-S3-001"]
    meta = replace(
        template,
        id=GCP_RULE,
        name="test-gcs-bucket-name",
        title="Test GCP rule added by the test",
        severity="high",
        readiness_section="Cloud Storage",
        readiness_inputs=("bucket",),
    )
    monkeypatch.setitem(registry.load_metadata(), GCP_RULE, meta)
    monkeypatch.setitem(registry._CHECKS, GCP_RULE, _bucket_named_prod)


def test_a_gcp_rule_lands_in_its_gcp_section_row_and_diagram(gcp_rule: None) -> None:
    report = lint([READY], LintOptions())
    readiness = build_readiness(report)
    (deployment,) = readiness.deployments
    assert deployment.verdict == "NOT READY"
    section = next(s for s in deployment.sections if s.name == "Cloud Storage")
    counts = {count.rule_id: count for count in section.rules}
    assert counts[GCP_RULE].status == "failed" and section.status == "failed"
    elsewhere = [s for s in deployment.sections if s.name != "Cloud Storage"]
    assert not any(GCP_RULE in {c.rule_id for c in s.rules} for s in elsewhere)
    by_flag = {item.flag: item for item in deployment.checklist}
    assert [line.rule_id for line in by_flag["cloud-storage-bucket-name"].rules] == [GCP_RULE]
    assert by_flag["cloud-storage-bucket-name"].status == "fail"
    others = [item for flag, item in by_flag.items() if flag != "cloud-storage-bucket-name"]
    assert not any(line.rule_id == GCP_RULE for item in others for line in item.rules)
    marked = failed_nodes(mermaid(readiness_markdown.render(readiness)))
    assert marked == [
        "❌ GCS bucket<br/>google_storage_bucket.storage<br/>acme-anyscale-prod-storage"
    ]
    # An AWS deployment never shows the GCP rule, not even as "not checked".
    aws_report = lint(["examples/aws-ready"], LintOptions())
    (aws_deployment,) = build_readiness(aws_report).deployments
    assert GCP_RULE not in {c.rule_id for s in aws_deployment.sections for c in s.rules}


def test_every_rule_names_a_section_of_its_provider() -> None:
    for meta in registry.load_metadata().values():
        providers = [meta.provider] if meta.provider else ["aws", "gcp"]
        for provider in providers:
            sections = aws.READINESS_SECTIONS if provider == "aws" else gcp.READINESS_SECTIONS
            if meta.provider is None or meta.provider == provider:
                assert meta.readiness_section in sections, (meta.id, provider)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_every_format_renders_the_gcp_report(fmt: str) -> None:
    code, out = ready(READY, fmt=fmt)
    assert code == 0
    if fmt == "json":
        schema = json.loads((REPO / "schemas" / "readiness.schema.json").read_text())
        jsonschema.Draft202012Validator(schema).validate(json.loads(out))
        return
    assert "--provider gcp" in out and "--provider aws" not in out
    assert "--project-id acme-anyscale-prod" in out
    assert "--firewall-policy-names" in out and "--vpc-id" not in out
    if fmt == "text":
        assert "Readiness: READY" in out
        assert re.search(r"firewall policies +--firewall-policy-names +pass", out)
    else:
        assert out.startswith("# Anyscale readiness: ✅ READY")
        assert "| workload identity provider | `--provider-name` | ✅ pass |" in out
        assert "gcp_config:" in out and "```mermaid" in out


def test_schema_rejects_a_gcp_resource_file_without_gcp_config() -> None:
    schema = json.loads((REPO / "schemas" / "readiness.schema.json").read_text())
    _, report = ready_json(READY)
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(report)
    document = report["deployments"][0]["register"]["resource_file"]
    document["aws_config"] = document.pop("gcp_config")
    assert list(validator.iter_errors(report))


# ---- the reference examples (GCP_DEPLOYMENTS.md) ------------------------------------------


def test_gcp_ready_example_is_ready_with_the_reference_register_command() -> None:
    code, report = ready_json("examples/gcp-ready")
    deployment = only(report)
    assert (code, deployment["verdict"]) == (0, "READY"), deployment["reasons"]
    values = planned(deployment)
    # The same deployment as the ready root: the same command, flag for flag.
    assert {flag: v["text"] for flag, v in values.items()} == READY_VALUES
    assert deployment["register"]["placeholders"] == []
    assert set(re.findall(r"--([a-z0-9-]+)", deployment["register"]["command"])) <= GCP_FLAGS
    assert {section["status"] for section in deployment["sections"]} <= {"passed", "not checked"}
    assert {section["name"] for section in deployment["sections"]} >= {
        "Firewall",
        "Cloud Storage",
        "Workload identity",
        "Filestore",
        "Memorystore",
    }
    _, markdown = ready("examples/gcp-ready", fmt="markdown")
    source = mermaid(markdown)
    assert failed_nodes(source) == [] and MISSING_CLASS not in source
    ids = node_ids(source)
    assert f"{ids['Anyscale control plane']} -- federates --> {ids['provider']}" in source
    assert f"pool -- impersonates --> {ids['Anyscale access service account']}" in source


def test_gcp_insecure_example_marks_each_defect_where_it_is() -> None:
    code, report = ready_json("examples/gcp-insecure")
    deployment = only(report)
    assert (code, deployment["verdict"]) == (1, "NOT READY")
    values = planned(deployment)
    assert values["host-project-id"]["text"] == "acme-network-host"
    assert values["provider-name"]["text"] == PROVIDER_NAME.replace("123456789012", "210987654321")
    found = rows(deployment)
    expected = {
        "subnet-names": "GCP-NET-001",
        "firewall-policy-names": "GCP-FW-004",
        "instance-service-account-email": "GCP-IAM-001",
        "provider-name": "GCP-WIF-001",
        "cloud-storage-bucket-name": "GCP-GCS-003",
        "file-storage-id": "GCP-FS-001",
        "memorystore-instance-name": "GCP-MEM-001",
    }
    for flag, rule_id in expected.items():
        assert found[flag]["status"] == "fail", found[flag]
        assert rule_id in {line["rule_id"] for line in found[flag]["rules"]}, flag
    # Anyscale aborts registration on a Filestore outside the VPC (REQUIREMENTS.md 3.0).
    assert "would abort" in deployment["anyscale_verdict"]
    assert "GCP-FS-001" in deployment["anyscale_verdict"]
    _, markdown = ready("examples/gcp-insecure", fmt="markdown")
    source = mermaid(markdown)
    marked = " ".join(failed_nodes(source))
    for part in (
        "node subnet",
        "firewall policy",
        "cluster node service account",
        "provider",
        "GCS bucket",
        "Filestore",
        "Memorystore",
    ):
        assert f"❌ {part}" in marked, part
    ids = node_ids(source)
    assert f"{ids['network default']} --- {ids['Filestore']}" in source
    assert f"{ids['AWS account 123456789012']} -- federates --> {ids['provider']}" in source
    # The network is created in the host project, so it is drawn there.
    assert 'subgraph host["host project acme-network-host (shared VPC)"]' in source
