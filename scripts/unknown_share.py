"""Share of modelled resources with an unresolved attribute, per Terraform root.

    python scripts/unknown_share.py [--no-tfvars] [--account-id ID] PATH...

A reference to an attribute the provider computes at apply time (a role's ARN, a subnet's
ID) names a declared resource and counts as known; an Unknown or a `${...}` marker for
anything else (a variable without a value, a data source, an unsupported function) counts as
unresolved. Two shares are printed: over every attribute, and over the attributes rules read
(tags left out, and zones indexed from aws_availability_zones, which are distinct by index).
The script uses only long-standing APIs, so it also measures older checkouts (PYTHONPATH).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import tempfile
from pathlib import Path
from typing import Any

from anyscale_lint.model import CloudModel, Unknown, unknown_parts
from anyscale_lint.sources.terraform.loader import TerraformOptions, TerraformSource

COMPUTED = "computed by the provider at apply time"
ZONE_LIST = "data.aws_availability_zones."


def unresolved(value: Any, reasons: dict[str, str], rules_only: bool) -> bool:
    """Whether a value holds anything other than references to computed attributes."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, str):
        parts = [p for p in unknown_parts(value) if not reasons.get(p, "").startswith(COMPUTED)]
        if rules_only:
            parts = [p for p in parts if ZONE_LIST not in p]
        return bool(parts)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [
            f.name for f in dataclasses.fields(value) if not (rules_only and f.name == "tags")
        ]
        return any(unresolved(getattr(value, name), reasons, rules_only) for name in fields)
    if isinstance(value, (list, tuple)):
        return any(unresolved(item, reasons, rules_only) for item in value)
    if isinstance(value, dict):
        return any(unresolved(item, reasons, rules_only) for item in value.values())
    return False


def counts(model: CloudModel, rules_only: bool) -> int:
    """Resources with an unresolved attribute."""
    return sum(
        1 for r in model.resources.values() if unresolved(r, model.unknown_reasons, rules_only)
    )


def roots(start: Path, source: TerraformSource) -> list[Path]:
    """A .tf file names its directory as the root, even when other directories call it."""
    return [start.resolve().parent] if start.is_file() else source.roots(source.module_dirs(start))


def main() -> None:
    """Print the shares per root and in total."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="directories (or a root's .tf file)")
    parser.add_argument("--no-tfvars", action="store_true", help="measure without *.tfvars files")
    parser.add_argument("--account-id", help="the AWS account for data.aws_caller_identity")
    arguments = parser.parse_args()
    totals = [0, 0, 0]
    for raw in arguments.paths:
        source = TerraformSource(
            Path.cwd().resolve(), TerraformOptions(environ={}, account_id=arguments.account_id)
        )
        for root in roots(Path(raw), source):
            directory = root
            if arguments.no_tfvars:
                # A copy without variable files: the same tree, with defaults only.
                directory = Path(tempfile.mkdtemp()) / root.name
                shutil.copytree(
                    root, directory, ignore=shutil.ignore_patterns("*.tfvars", "*.tfvars.json")
                )
            copy_source = TerraformSource(directory.parent, source.options)
            model, _ = copy_source.evaluate_root(directory)
            row = [counts(model, False), counts(model, True), len(model.resources)]
            totals = [t + r for t, r in zip(totals, row, strict=True)]
            label = raw if raw.endswith(".tf") else str(root)[-50:]
            print(f"{label:<52} {row[0]:>3} | {row[1]:>3} of {row[2]:>3}")
    every, rules, total = totals

    def share(count: int) -> str:
        return f"{100 * count / total:.1f}%" if total else "-"

    label = "total: any attribute | attributes rules read"
    print(f"{label:<52} {every:>3} ({share(every)}) | {rules:>3} ({share(rules)}) of {total}")


if __name__ == "__main__":
    main()
