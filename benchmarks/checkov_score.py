"""Recall of the benchmark's Checkov policies against the corpus manifest.

Checkov reports the block that carries the problem (a CORS configuration, a policy document, a
rule resource), not the deployment's resource, so a planted failure counts as found when a
failed check of the matching policy is in the same root and its block's name contains the
planted resource's name (`aws_s3_bucket.logs` <- `aws_s3_bucket_cors_configuration.logs`,
`aws_iam_role.cp` <- `data.aws_iam_policy_document.cp_trust`). Planted failures of rules no
policy covers (AWS-REG-004) count as missed: recall is over everything planted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

POLICY_OF_RULE = {
    "AWS-IAM-001": "CKV_ANYSCALE_1",
    "AWS-S3-005": "CKV_ANYSCALE_2",
    "AWS-SG-005": "CKV_ANYSCALE_3",
    "AWS-IAM-009": "CKV_ANYSCALE_4",
    "AWS-NET-002": "CKV_ANYSCALE_5",
    "AWS-SG-001": "CKV_ANYSCALE_6",
}


def _failed(report: Path) -> dict[str, list[tuple[str, str]]]:
    """Per root, the (check, block name) pairs that failed."""
    data = json.loads(report.read_text(encoding="utf-8") or "{}")
    reports = data if isinstance(data, list) else [data]
    failed: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in reports:
        for check in item.get("results", {}).get("failed_checks", []):
            root = Path(check["file_path"]).parts[1]
            name = str(check["resource"]).split(".")[-1].split("[")[0]
            failed[root].append((check["check_id"], name))
    return failed


def score(manifest: dict[str, object], report: Path) -> tuple[float, int]:
    """Planted failures Checkov found / planted failures, and its failures on clean and decoy
    roots."""
    failed = _failed(report)
    planted = found = false = 0
    for root in manifest["roots"]:  # type: ignore[attr-defined]
        if root["kind"] in ("clean", "decoy"):
            false += len(failed.get(root["root"], []))
        for entry in root["expected"]:
            planted += 1
            policy = POLICY_OF_RULE.get(entry["rule"])
            name = entry["resource"].split(".")[-1].split("[")[0]
            if any(c == policy and name in n for c, n in failed.get(root["root"], [])):
                found += 1
    return (found / planted if planted else 1.0), false
