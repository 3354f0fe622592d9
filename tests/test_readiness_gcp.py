"""`anyscale-lint ready` on GCP deployments: the --provider gcp register command and resource
file; AWS reports unchanged. The checklist, sections, formats and diagram:
test_readiness_gcp_report.py."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from anyscale_lint.providers import aws
from anyscale_lint.sources.register_command import parse_flags
from tests.conftest import REPO, run_cli
from tests.readiness_gcp_support import (
    ACCESS,
    AWS_ONLY_FLAGS,
    CLUSTER,
    GCP_CONFIG_KEYS,
    GCP_FLAGS,
    PROVIDER_NAME,
    READY,
    READY_VALUES,
    SNAPSHOTS,
    copy_root,
    labels,
    mermaid,
    only,
    planned,
    ready,
    ready_json,
    rows,
    without_command,
)

# ---- the register command and resource file -------------------------------------------------


def test_ready_root_prints_the_gcp_register_command_anyscale_accepts() -> None:
    code, report = ready_json(READY)
    deployment = only(report)
    assert (code, deployment["verdict"]) == (0, "READY"), deployment["reasons"]
    values = planned(deployment)
    assert {flag: v["text"] for flag, v in values.items()} == READY_VALUES
    assert deployment["register"]["placeholders"] == []
    assert deployment["register"]["outputs_to_add"] == []
    command = deployment["register"]["command"]
    assert command.startswith("anyscale cloud register \\\n  --provider gcp")
    # Every flag is one Anyscale's CLI takes for --provider gcp, and no AWS flag appears.
    written = set(re.findall(r"--([a-z0-9-]+)", command))
    assert written == set(READY_VALUES)
    assert written <= GCP_FLAGS and not written & AWS_ONLY_FLAGS
    # The project's own register command parser reads it back to the same values.
    flags = parse_flags(command.replace("\\\n", " "))
    assert {f: flags[f] for f in READY_VALUES if f != "private-network"} == {
        f: v for f, v in READY_VALUES.items() if f != "private-network"
    }
    assert "private-network" in flags


def test_ready_root_resource_file_is_a_gcp_cloud_deployment() -> None:
    _, report = ready_json(READY)
    register = only(report)["register"]
    document = register["resource_file"]
    assert document["provider"] == "GCP" and "aws_config" not in document
    assert document["networking_mode"] == "PRIVATE" and document["compute_stack"] == "VM"
    assert document["object_storage"] == {"bucket_name": "gs://acme-anyscale-prod-storage"}
    # The file takes the Filestore's full name (REQUIREMENTS.md section 5).
    assert document["file_storage"] == {
        "file_storage_id": (
            "projects/acme-anyscale-prod/locations/us-central1-b/instances/anyscale-filestore"
        )
    }
    config = document["gcp_config"]
    assert set(config) <= GCP_CONFIG_KEYS
    assert config == {
        "project_id": "acme-anyscale-prod",
        "provider_name": PROVIDER_NAME,
        "vpc_name": "anyscale-vpc",
        "subnet_names": ["anyscale-nodes"],
        "firewall_policy_names": ["anyscale-firewall-policy"],
        "anyscale_service_account_email": ACCESS,
        "cluster_service_account_email": CLUSTER,
        "memorystore_instance_name": READY_VALUES["memorystore-instance-name"],
    }
    lines = register["resource_file_script"].splitlines()
    assert lines[0] == "cat > cloud.yaml <<EOF" and lines[-1] == "EOF"
    assert yaml.safe_load("\n".join(lines[1:-1])) == document


def test_before_apply_the_command_holds_placeholders_and_outputs_to_add(tmp_path: Path) -> None:
    # The project comes from a variable without a value, so emails and the Memorystore name
    # are known only after apply; one email is held by an output the command can read.
    root = copy_root(
        tmp_path,
        {
            'provider "google" {\n  project = "acme-anyscale-prod"': (
                'variable "project" {\n  type = string\n}\n\n'
                'provider "google" {\n  project = var.project'
            ),
            'resource "google_project" "prod" {\n  name       = "acme-anyscale-prod"\n'
            '  project_id = "acme-anyscale-prod"\n}\n': "",
            'project = "acme-anyscale-prod"': "project = var.project",
            "google_project.prod.project_id": "var.project",
        },
    )
    main = root / "main.tf"
    main.write_text(
        without_command(main.read_text())
        + 'output "access_sa" {\n  value = google_service_account.access.email\n}\n'
    )
    code, report = ready_json(str(root))
    deployment = only(report)
    # Without a register command nothing gives the cloud's name: that alone blocks.
    assert code == 1 and deployment["reasons"][0].startswith("name (--name) not found")
    values = planned(deployment)
    assert set(deployment["register"]["placeholders"]) == {
        "name",
        "project-id",
        "instance-service-account-email",
        "provider-name",
        "memorystore-instance-name",
    }
    assert values["anyscale-service-account-email"]["text"] == "$(terraform output -raw access_sa)"
    assert values["instance-service-account-email"]["text"] == "<NODE_SERVICE_ACCOUNT_EMAIL>"
    assert values["memorystore-instance-name"]["text"] == "<MEMORYSTORE_INSTANCE_NAME>"
    # Only the project number is missing from the provider's name: the rest is kept.
    assert values["provider-name"]["text"] == (
        "projects/<PROJECT_NUMBER>/locations/global/workloadIdentityPools/anyscale-pool"
        "/providers/anyscale-access"
    )
    assert "var.project" in values["project-id"]["note"]
    assert values["vpc-name"]["text"] == "anyscale-vpc"  # a name the code fixes stays literal
    assert deployment["register"]["outputs_to_add"] == [
        'output "anyscale_cluster_service_account_email" '
        "{ value = google_service_account.cluster.email }",
        'output "anyscale_workload_identity_provider_name" '
        "{ value = google_iam_workload_identity_pool_provider.anyscale.name }",
        'output "anyscale_memorystore_instance_name" { value = google_redis_instance.anyscale.id }',
    ]
    # The project ID is unknown (with the variable to set), not missing.
    project = rows(deployment)["project-id"]
    assert project["status"] == "unknown" and "variable project has no value" in project["detail"]
    config = deployment["register"]["resource_file"]["gcp_config"]
    assert config["anyscale_service_account_email"] == "$(terraform output -raw access_sa)"
    script = deployment["register"]["resource_file_script"]
    assert 'anyscale_service_account_email: "$(terraform output -raw access_sa)"' in script
    text = run_cli("ready", str(root)).stdout
    assert "placeholder --provider-name:" in text and "projectNumber" in text


def test_shared_vpc_and_public_mode(tmp_path: Path) -> None:
    root = copy_root(
        tmp_path,
        {
            "      --private-network\n": "      --host-project-id acme-network-host\n",
        },
    )
    _, report = ready_json(str(root))
    deployment = only(report)
    values = planned(deployment)
    assert values["host-project-id"]["text"] == "acme-network-host"
    assert "private-network" not in values
    register = deployment["register"]
    assert register["resource_file"]["networking_mode"] == "PUBLIC"
    assert register["resource_file"]["gcp_config"]["host_project_id"] == "acme-network-host"
    host = rows(deployment)["host-project-id"]
    assert (host["status"], host["resources"]) == ("pass", ["acme-network-host"])
    # The code creates the network in its own project: drawn there, the host project apart.
    _, markdown = ready(str(root), fmt="markdown")
    source = mermaid(markdown)
    assert "subgraph host[" not in source
    assert "host project acme-network-host (--host-project-id)" in labels(source)
    # Created in the host project: the network and its firewall policy are drawn inside it.
    main = root / "main.tf"
    main.write_text(
        main.read_text().replace(
            'name                    = "anyscale-vpc"',
            'name                    = "anyscale-vpc"\n  project = "acme-network-host"',
        )
    )
    _, markdown = ready(str(root), fmt="markdown")
    host = mermaid(markdown).split('subgraph host["host project acme-network-host (shared VPC)"]')
    assert len(host) == 2
    inside = host[1].split('subgraph project["project acme-anyscale-prod"]')[0]
    assert "subgraph vpc[" in inside and "firewall policy" in inside


# ---- AWS unchanged --------------------------------------------------------------------------


def test_aws_ready_report_is_unchanged() -> None:
    snapshot = SNAPSHOTS / "aws-ready.txt"
    code, out = ready("examples/aws-ready", fmt="text")
    assert code == 0
    assert out == snapshot.read_text(), (
        "the AWS readiness report changed; if that is intended, regenerate "
        f"{snapshot.relative_to(REPO)} with `anyscale-lint ready examples/aws-ready`"
    )


def test_aws_reports_keep_aws_inputs_and_sections() -> None:
    _, report = ready_json("examples/aws-insecure")
    for deployment in report["deployments"]:
        assert [row["flag"] for row in deployment["checklist"]] == [
            spec.flag for spec in aws.AWS_INPUTS
        ]
        names = [section["name"] for section in deployment["sections"]]
        assert names == sorted(names, key=aws.READINESS_SECTIONS.index)
        rule_ids = {rule["rule_id"] for s in deployment["sections"] for rule in s["rules"]}
        assert not any(rule_id.startswith("GCP-") for rule_id in rule_ids)
        assert deployment["register"]["resource_file"]["provider"] == "AWS"
        assert "--provider aws" in deployment["register"]["command"]


def test_diagram_labels_escape_values_and_keep_their_line_breaks() -> None:
    from anyscale_lint.formatters.mermaid_common import text

    # A value's quotes and angle brackets would end or break the label; `<br/>` between the
    # label's lines must stay a line break (escaped, Mermaid printed it as text).
    assert text('bucket<br/>a"b<script>') == "bucket<br/>a#quot;b#lt;script#gt;"
