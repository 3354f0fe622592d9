"""The register command and the equivalent resource file (CloudDeployment YAML, REQUIREMENTS.md
section 5), written from a deployment's planned values."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

import yaml

from anyscale_lint.model import Deployment, is_known
from anyscale_lint.providers.registry import provider_table
from anyscale_lint.readiness.model import PlannedValue


def _shell(text: str) -> str:
    """A value for the shell: `$(...)` substitutions double-quoted, literals quoted if needed."""
    if text.startswith("$("):
        return f'"{text}"'
    return shlex.quote(text)


def render_command(values: Sequence[PlannedValue]) -> str:
    """`anyscale cloud register ...`, one flag per continued line."""
    lines = ["anyscale cloud register"]
    for value in values:
        lines.append(
            f"--{value.flag}" + (f" {_shell(value.text)}" if value.source != "flag" else "")
        )
    return " \\\n  ".join(lines)


class _Values:
    """The planned values by flag, read the ways the resource file needs them."""

    def __init__(self, values: Sequence[PlannedValue]) -> None:
        self.by_flag = {value.flag: value for value in values}

    def __contains__(self, flag: str) -> bool:
        return flag in self.by_flag

    def text(self, flag: str) -> str | None:
        value = self.by_flag.get(flag)
        return value.text if value is not None else None

    def listed(self, flag: str) -> list[str]:
        value = self.by_flag.get(flag)
        if value is None:
            return []
        return value.text.split(",") if value.source == "literal" else [value.text]

    def bucket(self, scheme: str) -> str:
        bucket = self.text("cloud-storage-bucket-name") or "<BUCKET_NAME>"
        if bucket.startswith(("$(", "<", scheme)):
            return bucket
        return f"{scheme}{bucket}"


def _head(values: _Values, provider: str, scheme: str) -> dict[str, object]:
    return {
        "name": values.text("name"),
        "provider": provider,
        "compute_stack": "VM",
        "region": values.text("region"),
        "networking_mode": "PRIVATE" if "private-network" in values else "PUBLIC",
        "object_storage": {"bucket_name": values.bucket(scheme)},
    }


def _aws(values: _Values, deployment: Deployment) -> dict[str, object]:
    aws_config: dict[str, object] = {
        "vpc_id": values.text("vpc-id"),
        "subnet_ids": values.listed("subnet-ids"),
        "zones": [
            s.availability_zone
            if isinstance(s.availability_zone, str) and is_known(s.availability_zone)
            else "<ZONE>"
            for s in deployment.subnets
        ],
        "security_group_ids": values.listed("security-group-ids"),
        "anyscale_iam_role_id": values.text("anyscale-iam-role-id"),
        "cluster_iam_role_id": values.text("instance-iam-role-id"),
    }
    if "external-id" in values:
        aws_config["external_id"] = values.text("external-id")
    if "memorydb-cluster-id" in values:
        aws_config["memorydb_cluster_name"] = values.text("memorydb-cluster-id")
    document = _head(values, "AWS", "s3://")
    if "file-storage-id" in values:
        document["file_storage"] = {"file_storage_id": values.text("file-storage-id")}
    document["aws_config"] = aws_config
    return document


def _gcp(values: _Values) -> dict[str, object]:
    gcp_config: dict[str, object] = {"project_id": values.text("project-id")}
    if "host-project-id" in values:
        gcp_config["host_project_id"] = values.text("host-project-id")
    gcp_config |= {
        "provider_name": values.text("provider-name"),
        "vpc_name": values.text("vpc-name"),
        "subnet_names": values.listed("subnet-names"),
        "firewall_policy_names": values.listed("firewall-policy-names"),
        "anyscale_service_account_email": values.text("anyscale-service-account-email"),
        "cluster_service_account_email": values.text("instance-service-account-email"),
    }
    if "memorystore-instance-name" in values:
        gcp_config["memorystore_instance_name"] = values.text("memorystore-instance-name")
    document = _head(values, "GCP", "gs://")
    if "file-storage-id" in values:
        # The file takes the Filestore's full name, where the flags take its ID and location.
        name = (
            f"projects/{values.text('project-id')}/locations/"
            f"{values.text('filestore-location')}/instances/{values.text('file-storage-id')}"
        )
        document["file_storage"] = {"file_storage_id": name}
    document["gcp_config"] = gcp_config
    return document


def resource_file(values: Sequence[PlannedValue], deployment: Deployment) -> dict[str, object]:
    """The CloudDeployment YAML (REQUIREMENTS.md section 5) as data."""
    if deployment.provider == "gcp":
        return _gcp(_Values(values))
    return _aws(_Values(values), deployment)


def resource_file_script(values: Sequence[PlannedValue], deployment: Deployment) -> str:
    """A shell snippet writing the resource file, `$(terraform output ...)` expanded by the shell.

    A list held by one comma-joined output is written `[$(terraform output -raw NAME)]`, which
    the shell expands to a YAML flow sequence of the IDs.
    """
    document = resource_file(values, deployment)
    body = yaml.safe_dump(document, sort_keys=False, default_flow_style=False, width=200)
    inputs = provider_table(deployment.provider).by_flag
    for value in values:
        spec = inputs.get(value.flag)
        if value.source == "output" and spec is not None and spec.many:
            body = body.replace(f"- {value.text}\n", f"[{value.text}]\n")
    lines = []
    for line in body.splitlines():
        key, sep, rest = line.partition(": ")
        if sep and rest.startswith("$("):
            line = f'{key}: "{rest}"'
        lines.append(line)
    # `key:\n  [$(...)]` (a block list turned into a flow list) back onto the key's line.
    fixed = "\n".join(lines).replace(":\n  [$(", ": [$(")
    return f"cat > cloud.yaml <<EOF\n{fixed}\nEOF"
