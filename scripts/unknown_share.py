"""Share of modelled resources with any unresolved attribute, per Terraform root.

    python scripts/unknown_share.py examples tests/fixtures/modules

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

from anyscale_lint.model import CloudModel, Unknown, unknown_parts
from anyscale_lint.sources.terraform.loader import TerraformOptions, TerraformSource
from anyscale_lint.sources.terraform.module import COMPUTED


def unresolved(value: Any, reasons: dict[str, str]) -> bool:
    """Whether a value holds anything other than references to computed attributes."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, str):
        return any(not reasons.get(part, "").startswith(COMPUTED) for part in unknown_parts(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(unresolved(getattr(value, f.name), reasons) for f in dataclasses.fields(value))
    if isinstance(value, (list, tuple)):
        return any(unresolved(item, reasons) for item in value)
    if isinstance(value, dict):
        return any(unresolved(item, reasons) for item in value.values())
    return False


def share(model: CloudModel) -> tuple[int, int]:
    """(resources with an unresolved attribute, all resources) of one model."""
    resources = list(model.resources.values())
    bad = sum(1 for resource in resources if unresolved(resource, model.unknown_reasons))
    return bad, len(resources)


def main() -> None:
    """Print the share per root and in total."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="directories to scan for Terraform roots")
    parser.add_argument(
        "--no-tfvars", action="store_true", help="ignore *.tfvars files (only defaults)"
    )
    arguments = parser.parse_args()
    total_bad = total = 0
    for raw in arguments.paths:
        start = Path(raw)
        options = TerraformOptions(environ={}, automatic_var_files=not arguments.no_tfvars)
        source = TerraformSource(Path.cwd().resolve(), options)
        for root in source.roots(source.module_dirs(start)):
            model, _ = source.evaluate_root(root)
            bad, count = share(model)
            total_bad += bad
            total += count
            print(f"{model.root:<60} {bad:>4} of {count:>4} resources with an unresolved attribute")
    percent = 100 * total_bad / total if total else 0.0
    print(f"{'total':<60} {total_bad:>4} of {total:>4} ({percent:.1f}%)")


if __name__ == "__main__":
    main()
