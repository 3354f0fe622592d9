"""One input of `anyscale cloud register`, as every provider's table declares it."""

from __future__ import annotations

from dataclasses import dataclass

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
