"""Every provider's table by name (`Deployment.provider`): what code serving both reads."""

from __future__ import annotations

from anyscale_lint.providers import aws, gcp
from anyscale_lint.providers.inputs import InputTable

PROVIDERS = {"aws": aws.TABLE, "gcp": gcp.TABLE}


def provider_table(provider: str) -> InputTable:
    """The table of a deployment's provider (`aws` for anything unknown, as the model's default)."""
    return PROVIDERS.get(provider, PROVIDERS["aws"])


def all_sections() -> tuple[str, ...]:
    """Every provider's sections, each once, in the providers' orders."""
    return tuple(dict.fromkeys(s for table in PROVIDERS.values() for s in table.sections))
