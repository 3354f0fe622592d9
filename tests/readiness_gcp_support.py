"""What the GCP readiness tests share: the reference values, runs of `ready`, and readers of
its JSON and diagram."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from anyscale_lint.providers import aws, gcp
from tests.conftest import REPO, run_cli

ROOTS = REPO / "tests" / "fixtures" / "gcp_roots"
READY = "tests/fixtures/gcp_roots/ready"
SNAPSHOTS = REPO / "tests" / "fixtures" / "readiness"
ACCESS = "anyscale-access@acme-anyscale-prod.iam.gserviceaccount.com"
CLUSTER = "anyscale-cluster@acme-anyscale-prod.iam.gserviceaccount.com"
PROVIDER_NAME = (
    "projects/123456789012/locations/global/workloadIdentityPools/anyscale-pool"
    "/providers/anyscale-access"
)
# The register command GCP_DEPLOYMENTS.md gives for the ready deployment, flag by flag.
READY_VALUES = {
    "provider": "gcp",
    "name": "acme-prod",
    "region": "us-central1",
    "project-id": "acme-anyscale-prod",
    "vpc-name": "anyscale-vpc",
    "subnet-names": "anyscale-nodes",
    "firewall-policy-names": "anyscale-firewall-policy",
    "anyscale-service-account-email": ACCESS,
    "instance-service-account-email": CLUSTER,
    "provider-name": PROVIDER_NAME,
    "cloud-storage-bucket-name": "acme-anyscale-prod-storage",
    "file-storage-id": "anyscale-filestore",
    "filestore-location": "us-central1-b",
    "memorystore-instance-name": (
        "projects/acme-anyscale-prod/locations/us-central1/instances/anyscale-redis"
    ),
    "private-network": "",
}
GCP_FLAGS = {flag for spec in gcp.GCP_INPUTS for flag in spec.flags} | {"provider"}
# Flags only `--provider aws` takes: none may appear in a GCP command.
AWS_ONLY_FLAGS = {flag for spec in aws.AWS_INPUTS for flag in spec.flags} - GCP_FLAGS
# What REQUIREMENTS.md section 5 lists under the resource file's `gcp_config`.
GCP_CONFIG_KEYS = {
    "project_id",
    "host_project_id",
    "provider_name",
    "vpc_name",
    "subnet_names",
    "firewall_policy_names",
    "anyscale_service_account_email",
    "cluster_service_account_email",
    "memorystore_instance_name",
    "memorystore_endpoint",
    "deployment_manager_id",
    "infrastructure_manager_id",
}


def ready(*args: str, fmt: str = "json") -> tuple[int, str]:
    result = run_cli("ready", *args, "-f", fmt)
    assert result.stdout, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout


def ready_json(*args: str) -> tuple[int, dict[str, Any]]:
    code, out = ready(*args)
    return code, json.loads(out)


def only(report: dict[str, Any]) -> dict[str, Any]:
    (deployment,) = report["deployments"]
    return dict(deployment)


def planned(deployment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["flag"]: v for v in deployment["register"]["values"]}


def rows(deployment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["flag"]: row for row in deployment["checklist"]}


def mermaid(markdown: str) -> str:
    return markdown.split("```mermaid\n", 1)[1].split("```", 1)[0]


def labels(source: str) -> list[str]:
    """Every node's label, its `<br/>` line breaks as spaces."""
    found = re.findall(r'^\s*n\d+\W+"([^"]*)"', source, re.MULTILINE)
    return [label.replace("<br/>", " ") for label in found]


def node_ids(source: str) -> dict[str, str]:
    """Node IDs by the first line of their label, without the failing mark."""
    found = re.findall(r'^\s*(n\d+)\W+"([^"]*)"', source, re.MULTILINE)
    return {label.removeprefix("❌ ").split("<br/>")[0]: node for node, label in found}


def copy_root(tmp_path: Path, edit: dict[str, str], name: str = "ready") -> Path:
    """The ready root with pieces of its main.tf replaced."""
    root = tmp_path / name
    shutil.copytree(ROOTS / "ready", root)
    main = root / "main.tf"
    text = main.read_text()
    for old, new in edit.items():
        assert old in text, old
        text = text.replace(old, new)
    main.write_text(text)
    return root


def without_command(text: str) -> str:
    return text[: text.index('output "anyscale_register_command"')]
