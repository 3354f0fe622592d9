"""Every provider's table by name (`Deployment.provider`): what code serving both reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from anyscale_lint.providers import aws, gcp
from anyscale_lint.providers.inputs import RegisterInput


@dataclass(frozen=True)
class ProviderTable:
    """One provider's register inputs, in the register command's order, and its sections."""

    name: str
    inputs: tuple[RegisterInput, ...]
    # The readiness report's requirement sections, in the order of Anyscale's verifier.
    sections: tuple[str, ...]
    by_key: dict[str, RegisterInput] = field(init=False, compare=False)
    by_flag: dict[str, RegisterInput] = field(init=False, compare=False)
    by_part: dict[str, RegisterInput] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        # Derived once from `inputs`, so the lookups can never disagree with the table.
        object.__setattr__(self, "by_key", {spec.key: spec for spec in self.inputs})
        flags = {flag: spec for spec in self.inputs for flag in spec.flags}
        object.__setattr__(self, "by_flag", flags)
        parts = {spec.part: spec for spec in self.inputs if spec.part}
        object.__setattr__(self, "by_part", parts)


PROVIDERS = {
    "aws": ProviderTable("aws", aws.AWS_INPUTS, aws.READINESS_SECTIONS),
    "gcp": ProviderTable("gcp", gcp.GCP_INPUTS, gcp.READINESS_SECTIONS),
}


def provider_table(provider: str) -> ProviderTable:
    """The table of a deployment's provider (`aws` for anything unknown, as the model's default)."""
    return PROVIDERS.get(provider, PROVIDERS["aws"])


def all_sections() -> tuple[str, ...]:
    """Every provider's sections, each once, in the providers' orders."""
    return tuple(dict.fromkeys(s for table in PROVIDERS.values() for s in table.sections))
