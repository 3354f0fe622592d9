"""One input of `anyscale cloud register`, as every provider's table declares it."""

from __future__ import annotations

from dataclasses import dataclass, field

from anyscale_lint.model import Resource


@dataclass(frozen=True)
class RegisterInput:
    """One input of the register command: a deployment part or a plain value."""

    # Stable key, used by rule metadata (`readiness.inputs`) and the readiness report.
    key: str
    # The readiness checklist's row.
    label: str
    # The flag as Anyscale's CLI documents it, and the other spellings it accepts.
    flag: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    # Where a `--resource-file` (CloudDeployment YAML) holds it: (section or None, key).
    resource_file_key: tuple[str | None, str] | None = None
    # The resource class the value names, when it names a resource.
    cls: type[Resource] | None = None
    # Whether the value is a comma-separated list of resources.
    many: bool = False
    # The identification part name (engine/identify.py), for resources.
    part: str = ""
    # The attribute of the resource the flag takes, the placeholder the readiness report
    # prints before apply, and the name of the output it suggests adding.
    attribute: str = ""
    placeholder: str = ""
    output_name: str = ""
    # The value Anyscale's CLI uses when the flag is not given (`--region`).
    default: str = ""

    @property
    def flags(self) -> tuple[str, ...]:
        """Every spelling of the flag, the documented one first."""
        return (self.flag, *self.aliases)


@dataclass(frozen=True)
class InputTable:
    """One provider's register inputs, in the register command's order, its readiness
    sections, and the lookups every reader of the table uses."""

    name: str
    inputs: tuple[RegisterInput, ...]
    # The readiness report's requirement sections, in the order of Anyscale's verifier.
    sections: tuple[str, ...]
    by_key: dict[str, RegisterInput] = field(init=False, compare=False)
    by_flag: dict[str, RegisterInput] = field(init=False, compare=False)
    by_part: dict[str, RegisterInput] = field(init=False, compare=False)
    # The inputs that name resources, in the register command's order.
    resource_inputs: tuple[RegisterInput, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        # Derived once from `inputs`, so the lookups can never disagree with the table.
        object.__setattr__(self, "by_key", {spec.key: spec for spec in self.inputs})
        flags = {flag: spec for spec in self.inputs for flag in spec.flags}
        object.__setattr__(self, "by_flag", flags)
        parts = {spec.part: spec for spec in self.inputs if spec.part}
        object.__setattr__(self, "by_part", parts)
        named = tuple(spec for spec in self.inputs if spec.cls is not None)
        object.__setattr__(self, "resource_inputs", named)

    def canonical_flag(self, flag: str) -> str:
        """The documented spelling of a flag (an alias -> the flag Anyscale's CLI documents)."""
        spec = self.by_flag.get(flag)
        return spec.flag if spec is not None else flag


# The rows every provider's register command shares.
NAME_INPUT = RegisterInput(
    "name",
    "name",
    "name",
    required=True,
    resource_file_key=(None, "name"),
    placeholder="CLOUD_NAME",
)
