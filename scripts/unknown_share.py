"""Share of modelled resources with any unresolved attribute, per Terraform root.

    python scripts/unknown_share.py examples tests/fixtures/modules/main.tf

A reference to an attribute the provider computes at apply time (a role's ARN, a subnet's
ID) names a declared resource and counts as known; an Unknown or a `${...}` marker for
anything else (a variable without a value, a data source, an unsupported function) counts
as unresolved.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from anyscale_lint.model import CloudModel, unresolved_parts
from anyscale_lint.sources.terraform.loader import TerraformOptions, TerraformSource


def unresolved(value: Any, reasons: dict[str, str]) -> bool:
    """Whether a value holds anything other than references to computed attributes."""
    return bool(unresolved_parts(value, reasons))


def share(model: CloudModel) -> tuple[int, int]:
    """(resources with an unresolved attribute, all resources) of one model."""
    resources = list(model.resources.values())
    bad = sum(1 for resource in resources if unresolved(resource, model.unknown_reasons))
    return bad, len(resources)


def details(model: CloudModel) -> list[str]:
    """`resource.field: value` for every unresolved attribute."""
    lines = []
    for resource in model.resources.values():
        for field in dataclasses.fields(resource):
            value = getattr(resource, field.name)
            if unresolved(value, model.unknown_reasons):
                lines.append(f"{resource.key}.{field.name}: {str(value)[:160]}")
    return lines


def main() -> None:
    """Print the share per root and in total."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="directories to scan for Terraform roots")
    parser.add_argument(
        "--no-tfvars", action="store_true", help="ignore *.tfvars files (only defaults)"
    )
    parser.add_argument("--account-id", help="the AWS account for data.aws_caller_identity")
    parser.add_argument("--verbose", action="store_true", help="list each unresolved attribute")
    arguments = parser.parse_args()
    total_bad = total = 0
    for raw in arguments.paths:
        start = Path(raw)
        options = TerraformOptions(
            environ={}, automatic_var_files=not arguments.no_tfvars, account_id=arguments.account_id
        )
        source = TerraformSource(Path.cwd().resolve(), options)
        # A .tf file names its directory as the root, even when other directories call it.
        roots = (
            [start.resolve().parent] if start.is_file() else source.roots(source.module_dirs(start))
        )
        for root in roots:
            model, _ = source.evaluate_root(root)
            bad, count = share(model)
            if arguments.verbose:
                for line in details(model):
                    print(f"  {line}")
            total_bad += bad
            total += count
            print(f"{model.root:<60} {bad:>4} of {count:>4} resources with an unresolved attribute")
    percent = 100 * total_bad / total if total else 0.0
    print(f"{'total':<60} {total_bad:>4} of {total:>4} ({percent:.1f}%)")


if __name__ == "__main__":
    main()
