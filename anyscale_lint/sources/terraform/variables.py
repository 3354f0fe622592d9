"""Root module variable values in Terraform's precedence order."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from anyscale_lint import jsontext
from anyscale_lint.model import ParseError, Unknown
from anyscale_lint.sources.files import read_text
from anyscale_lint.sources.terraform import parser
from anyscale_lint.sources.terraform.evaluation import EvalError
from anyscale_lint.sources.terraform.evaluator import Evaluator
from anyscale_lint.sources.terraform.functions import FUNCTIONS
from anyscale_lint.sources.terraform.syntax import Attribute, body_from_tree


def _literal_evaluator(problems: list[ParseError] | None) -> Evaluator:
    def no_references(name: str) -> Any:
        raise EvalError(f"{name!r}: variable files may not refer to other values")

    return Evaluator(no_references, {}, FUNCTIONS, problems)


def parse_assignments(
    text: str, shown: str, problems: list[ParseError] | None = None
) -> dict[str, Any] | ParseError:
    """Values of a `.tfvars` file (internal errors met evaluating them go to `problems`)."""
    try:
        parsed = parser.parse(text)
    except parser.HclSyntaxError as error:
        return ParseError(shown, error.line, error.message, column=error.column)
    if parsed.errors:
        # A variable file with a syntax error is not read at all: a value left out could
        # silently fall back to a default.
        first = parsed.errors[0]
        return ParseError(shown, first.line, first.message, column=first.column)
    body = body_from_tree(parsed.body, text, shown)
    evaluator = _literal_evaluator(problems)
    return {name: evaluator.evaluate(attribute.expr) for name, attribute in body.attributes.items()}


def _read_var_file(
    path: Path, shown: str, problems: list[ParseError]
) -> dict[str, Any] | ParseError:
    text = read_text(path, shown)
    if isinstance(text, ParseError):
        return text
    if path.name.endswith(".json"):
        try:
            values = jsontext.loads(text)
        except jsontext.JsonInputError as error:
            return ParseError(shown, error.line, error.message, column=error.column)
        if not isinstance(values, dict):
            return ParseError(shown, 1, "a .tfvars.json file must hold a JSON object")
        return values
    return parse_assignments(text, shown, problems)


def _cli_value(raw: str, declared_type: str | None) -> Any:
    """A -var or TF_VAR_ value: a plain string for string variables, else an HCL literal."""
    if declared_type in (None, "string") or not raw.strip():
        return raw
    parsed = parse_assignments(f"value = {raw}\n", "--var")
    if isinstance(parsed, ParseError) or isinstance(parsed.get("value"), Unknown):
        return raw
    return parsed["value"]


def root_variables(
    directory: Path,
    declared_types: Mapping[str, str | None],
    var_files: Sequence[Path],
    cli_vars: Sequence[tuple[str, str]],
    shown: Callable[[Path], str],
    environ: Mapping[str, str] | None = None,
    automatic: bool = True,
) -> tuple[dict[str, Any], list[ParseError], list[str]]:
    """Values for a root's variables, the errors reading them, and where values came from."""
    environment = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    errors: list[ParseError] = []
    sources: list[str] = []
    for name, declared in declared_types.items():
        raw = environment.get(f"TF_VAR_{name}")
        if raw is not None:
            values[name] = _cli_value(raw, declared)
            sources.append(f"TF_VAR_{name}")
    found: list[Path] = []
    if automatic:
        found = [directory / "terraform.tfvars", directory / "terraform.tfvars.json"]
        found += sorted(
            p for p in directory.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
        )
    # Whatever exists is read, so a FIFO or a device named terraform.tfvars is reported.
    for path in [p for p in found if os.path.lexists(p)] + list(var_files):
        loaded = _read_var_file(path, shown(path), errors)
        if isinstance(loaded, ParseError):
            errors.append(loaded)
            continue
        values.update({k: v for k, v in loaded.items() if k in declared_types})
        sources.append(shown(path))
    for name, raw in cli_vars:
        if name in declared_types:
            values[name] = _cli_value(raw, declared_types[name])
            sources.append(f"--var {name}")
    return values, errors, sources


def declared_type(attribute: Attribute | None) -> str | None:
    """The variable's type constraint as written (`string`, `list(string)`, ...)."""
    return None if attribute is None else attribute.expr.source()
