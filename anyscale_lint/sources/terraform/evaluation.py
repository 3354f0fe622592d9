"""Evaluation state and errors shared by the evaluator, the renderer and the functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anyscale_lint.model import ParseError
from anyscale_lint.sources.terraform.markers import unknown


class EvalError(Exception):
    """An expression that Terraform itself would reject (bad index, wrong type, ...)."""


class UndeclaredError(EvalError):
    """A reference to something the configuration does not declare: a static error in
    Terraform, which try() and can() do not catch."""


@dataclass
class Frame:
    """The text being evaluated and the iteration variables in scope."""

    text: str
    variables: dict[str, Any]


class Namespace:
    """A lazily resolved reference target (`var`, `aws_iam_role.x`, `module.vpc`, ...)."""

    def __init__(self, label: str) -> None:
        self.label = label

    def attr(self, name: str) -> Any:
        """The value of `self.name`."""
        raise EvalError(f"{self.label} has no attribute {name!r}")

    def index(self, key: Any) -> Any:
        """The value of `self[key]`."""
        raise EvalError(f"{self.label} cannot be indexed")

    def materialize(self) -> Any:
        """A plain value for functions and encoders; references become Unknown markers."""
        return unknown(self.label, "a reference to a whole object")

    def as_argument(self, function: str, arguments: list[Any]) -> Any:
        """The value a function receives for this reference (what `materialize` gives, unless
        the reference knows better for that function)."""
        return self.materialize()


def internal_error(path: str, line: int | None, error: Exception) -> ParseError:
    """An unexpected exception (a bug in anyscale-lint) as a located input error."""
    # Only the exception's type and a short first line: its text may quote input values.
    text = str(error).splitlines()[0] if str(error) else ""
    detail = type(error).__name__ + (f": {text[:100]}" if text else "")
    return ParseError(
        path,
        line,
        f"internal error in anyscale-lint (a bug, please report it): {detail}",
        kind="internal",
    )
