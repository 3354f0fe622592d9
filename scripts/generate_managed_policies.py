"""Generate the offline AWS managed policy table read by ``anyscale_lint.iam.managed_policies``.

A role that attaches an AWS managed policy names only its ARN; to judge what it grants offline,
the linter needs the policy's document. moto keeps a copy of every AWS managed policy (its
``moto/iam/aws_managed_policies.py``, refreshed from AWS by its maintainers with each release),
so this script selects the families an Anyscale deployment plausibly attaches and writes them
to ``anyscale_lint/iam/data/aws_managed_policies.json``, one policy per line::

    {"generated":"YYYY-MM-DD","source":"moto <version>","policies":{
    "AdministratorAccess":{"arn":"arn:aws:iam::aws:policy/AdministratorAccess",
                           "document":{...},"updated":"...","version":"v1"},
    ...}}

Any other managed policy stays unknown at lint time, by name. Re-run after upgrading moto
(``pip install -U moto``) or after editing ``FAMILIES``::

    .venv/bin/python scripts/generate_managed_policies.py            # rewrite the table
    .venv/bin/python scripts/generate_managed_policies.py --check    # exit 1 if it is stale

``--check`` ignores the ``generated`` date, so it only fails when the documents (or the moto
version) changed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import generated_table  # scripts/ is on sys.path when a script runs

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "anyscale_lint" / "iam" / "data" / "aws_managed_policies.json"
ARN_PREFIX = "arn:aws:iam::aws:policy"

# What Anyscale deployments attach (the administrator guide's CloudWatch agent and SSM
# policies, ECR pulls, S3 and EFS access, MemoryDB) and the broad policies a rule must
# recognize as too much (administrator and job-function families). Names, not prefixes: a
# prefix such as "CloudWatch" would pull in forty unrelated service policies.
FAMILIES: dict[str, tuple[str, ...]] = {
    "administrator": (
        "AdministratorAccess",
        "PowerUserAccess",
        "ReadOnlyAccess",
        "ViewOnlyAccess",
        "SystemAdministrator",
        "NetworkAdministrator",
        "IAMFullAccess",
        "IAMReadOnlyAccess",
    ),
    "cloudwatch": (
        "CloudWatchAgentServerPolicy",
        "CloudWatchAgentAdminPolicy",
        "CloudWatchFullAccess",
        "CloudWatchFullAccessV2",
        "CloudWatchReadOnlyAccess",
        "CloudWatchLogsFullAccess",
        "CloudWatchLogsReadOnlyAccess",
    ),
    "ssm": (
        "AmazonSSMManagedInstanceCore",
        "AmazonSSMManagedEC2InstanceDefaultPolicy",
        "AmazonSSMFullAccess",
        "AmazonSSMReadOnlyAccess",
        "AmazonSSMPatchAssociation",
        "AmazonEC2RoleforSSM",
    ),
    "ecr": (
        "AmazonEC2ContainerRegistryReadOnly",
        "AmazonEC2ContainerRegistryPullOnly",
        "AmazonEC2ContainerRegistryPowerUser",
        "AmazonEC2ContainerRegistryFullAccess",
    ),
    "s3": (
        "AmazonS3ReadOnlyAccess",
        "AmazonS3FullAccess",
    ),
    "ec2_and_vpc": (
        "AmazonEC2FullAccess",
        "AmazonEC2ReadOnlyAccess",
        "AmazonVPCFullAccess",
        "AmazonVPCReadOnlyAccess",
    ),
    "efs": (
        "AmazonEFSCSIDriverPolicy",
        "AmazonElasticFileSystemClientReadOnlyAccess",
        "AmazonElasticFileSystemClientReadWriteAccess",
        "AmazonElasticFileSystemClientFullAccess",
        "AmazonElasticFileSystemReadOnlyAccess",
        "AmazonElasticFileSystemFullAccess",
        "AmazonElasticFileSystemsUtils",
    ),
    "memorydb": (
        "AmazonMemoryDBReadOnlyAccess",
        "AmazonMemoryDBFullAccess",
    ),
    "eks": (
        "AmazonEKSClusterPolicy",
        "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy",
        "AmazonEBSCSIDriverPolicy",
    ),
    "other": (
        "SecretsManagerReadWrite",
        "AWSCloudFormationFullAccess",
        "AWSCloudFormationReadOnlyAccess",
        "AWSKeyManagementServicePowerUser",
    ),
}


def load_moto_policies() -> dict[str, Any]:
    """Return moto's copy of the AWS managed policies, keyed by policy name."""
    # Load the data module by file: importing `moto.iam` would set up its mock backends
    # (and pull in boto3) for a module that is only a string constant.
    spec = importlib.util.find_spec("moto")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("moto is not installed: pip install -e '.[test]'")
    path = Path(next(iter(spec.submodule_search_locations))) / "iam" / "aws_managed_policies.py"
    data_spec = importlib.util.spec_from_file_location("_moto_managed_policies", path)
    if data_spec is None or data_spec.loader is None:
        raise SystemExit(f"{path}: cannot be loaded")
    module = importlib.util.module_from_spec(data_spec)
    data_spec.loader.exec_module(module)
    policies = json.loads(module.aws_managed_policies_data)
    if not isinstance(policies, dict):
        raise SystemExit(f"{path}: expected a JSON object of policies")
    return policies


def build_policies(source: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Select the families' policies, each with its ARN, default version and document."""
    selected: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    for names in FAMILIES.values():
        for name in names:
            entry = source.get(name)
            if not isinstance(entry, dict):
                missing.append(name)
                continue
            document = entry.get("Document")
            path = entry.get("Path", "/")
            if not isinstance(document, dict) or not isinstance(path, str):
                raise SystemExit(f"moto's policy {name}: no document or path")
            selected[name] = {
                "arn": f"{ARN_PREFIX}{path}{name}",
                "version": str(entry.get("DefaultVersionId", "")),
                "updated": str(entry.get("UpdateDate", "")),
                "document": document,
            }
    if missing:
        # A renamed or withdrawn policy: edit FAMILIES rather than silently shipping less.
        raise SystemExit(f"not in moto's managed policies: {', '.join(sorted(missing))}")
    return selected


def source_string() -> str:
    """Describe where the table came from, e.g. ``moto 5.2.5``."""
    return f"moto {importlib.metadata.version('moto')}"


def build_table(generated: str) -> dict[str, Any]:
    """Build the full table document with the given ``generated`` date."""
    return {
        "generated": generated,
        "source": source_string(),
        "policies": build_policies(load_moto_policies()),
    }


def serialize(table: dict[str, Any]) -> str:
    """Serialize deterministically, one policy per line so that a refresh diffs per policy."""

    def compact(value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    policies: dict[str, Any] = table["policies"]
    lines = [f"{compact(name)}:{compact(policies[name])}" for name in sorted(policies)]
    head = f'{{"generated":{compact(table["generated"])},"source":{compact(table["source"])},'
    # Trailing newline so end-of-file fixers never rewrite the generated file.
    return head + '"policies":{\n' + ",\n".join(lines) + "\n}}\n"


def _describe_difference(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Summarize how the committed table differs from a freshly generated one."""
    lines: list[str] = []
    if old.get("source") != new["source"]:
        lines.append(f"  source: {old.get('source')!r} -> {new['source']!r}")
    old_policies = old.get("policies")
    if not isinstance(old_policies, dict):
        return [*lines, "  policies: missing or malformed in the committed file"]
    new_policies: dict[str, Any] = new["policies"]
    for name in sorted(old_policies.keys() | new_policies.keys()):
        if name not in new_policies:
            lines.append(f"  -{name}")
        elif name not in old_policies:
            lines.append(f"  +{name}")
        elif old_policies[name] != new_policies[name]:
            lines.append(f"  ~{name} ({new_policies[name]['version']})")
    return lines or ["  formatting differs (re-serialize with this script)"]


def _summary(table: dict[str, Any], text: str) -> str:
    return f"{len(table['policies'])} policies, {len(text.encode('utf-8'))} bytes"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    return generated_table.run(
        argv,
        description="Generate anyscale_lint's AWS managed policy table from moto's copy.",
        default_output=DEFAULT_OUTPUT,
        script="scripts/generate_managed_policies.py",
        build_table=build_table,
        serialize=serialize,
        describe=_describe_difference,
        summary=_summary,
    )


if __name__ == "__main__":
    sys.exit(main())
