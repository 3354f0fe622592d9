"""AWS managed policies that deployments commonly attach, with their documents, so rules can
judge them offline. Any other AWS managed policy is reported as not known, never assumed empty.

The documents are the policies' default versions from the table that
scripts/generate_managed_policies.py builds from moto's copy of AWS's managed policies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from anyscale_lint.iam.policy import parse_document
from anyscale_lint.model import Origin, PolicyAttachment, Unknown

ARN_PREFIX = "arn:aws:iam::aws:policy/"
# A plain file next to the module, read on first use: most scans attach no managed policy.
TABLE_PATH = Path(__file__).parent / "data" / "aws_managed_policies.json"


@dataclass(frozen=True)
class ManagedPolicy:
    """One AWS managed policy: its ARN (with its path), default version and document."""

    name: str
    arn: str
    version: str
    document: dict[str, Any]


@dataclass(frozen=True)
class ManagedPolicyTable:
    """The generated table and its provenance (source package and generation date)."""

    source: str
    generated: str
    policies: Mapping[str, ManagedPolicy]


@lru_cache(maxsize=1)
def managed_table() -> ManagedPolicyTable:
    """Load the table on first use (a packaging error, not user input, if it is malformed)."""
    raw = json.loads(TABLE_PATH.read_bytes())
    if not isinstance(raw, dict):
        raise ValueError(f"{TABLE_PATH}: expected a JSON object")
    source, generated, entries = raw.get("source"), raw.get("generated"), raw.get("policies")
    if not isinstance(source, str) or not isinstance(generated, str):
        raise ValueError(f"{TABLE_PATH}: missing 'source' or 'generated'")
    if not isinstance(entries, dict):
        raise ValueError(f"{TABLE_PATH}: missing 'policies'")
    policies: dict[str, ManagedPolicy] = {}
    for name, entry in entries.items():
        arn = entry.get("arn") if isinstance(entry, dict) else None
        document = entry.get("document") if isinstance(entry, dict) else None
        if not isinstance(arn, str) or not isinstance(document, dict):
            raise ValueError(f"{TABLE_PATH}: malformed entry for {name!r}")
        policies[name] = ManagedPolicy(name, arn, str(entry.get("version", "")), document)
    return ManagedPolicyTable(source, generated, policies)


def managed_document(name: str) -> dict[str, Any] | None:
    """The document of a known AWS managed policy (by name), or None."""
    policy = managed_table().policies.get(name)
    return policy.document if policy is not None else None


def aws_managed_attachment(arn: str, origin: Origin) -> PolicyAttachment:
    """An attached AWS managed policy: its document when known, else an Unknown saying so."""
    # Managed policies live under paths (service-role/, job-function/); the name is unique.
    name = arn.removeprefix(ARN_PREFIX).rsplit("/", 1)[-1]
    table = managed_table()
    policy = table.policies.get(name)
    if policy is None:
        reason = (
            f"the AWS managed policy {name} is not in anyscale-lint's offline table "
            f"({table.source}, generated {table.generated})"
        )
        return PolicyAttachment(name, "aws", Unknown(name, reason), arn, origin)
    if policy.arn != arn:
        reason = f"{arn} is not the ARN of {name}; AWS publishes it as {policy.arn}"
        return PolicyAttachment(name, "aws", Unknown(name, reason), arn, origin)
    return PolicyAttachment(name, "aws", parse_document(policy.document, origin, name), arn, origin)
