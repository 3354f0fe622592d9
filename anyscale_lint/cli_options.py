"""Options the commands share (reports, models, live audits) and turning them into requests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

SEVERITY_CHOICE = click.Choice(["critical", "high", "medium", "low", "info"])
FORMATS = ("text", "json", "sarif", "github", "junit", "markdown", "readiness")
READY_FORMATS = ("text", "markdown", "json")


F = TypeVar("F", bound=Callable[..., Any])


def apply_options(command: F, options: Sequence[Callable[[Any], Any]]) -> F:
    for option in reversed(options):
        command = option(command)
    return command


CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    metavar="FILE",
    help="Configuration file (default: .anyscale-lint.yaml or [tool.anyscale-lint] in "
    "pyproject.toml in the working directory).",
)
NETWORK_MODE_OPTION = click.option(
    "--network-mode",
    type=click.Choice(["private", "public"]),
    help="Networking mode of the deployments (default: the config, then the register "
    "command, then private).",
)


def report_options(command: F) -> F:
    """Options shared by `scan` and `live`: output formats, rule selection, the exit gate."""
    return apply_options(
        command,
        [
            click.option(
                "-f",
                "--format",
                "formats",
                multiple=True,
                metavar="FORMAT[:PATH]",
                help="Output format: text, json, sarif, github (workflow annotations), junit, "
                "markdown (findings table) or readiness (the readiness report in Markdown); "
                "repeat for several, each optionally to a file (e.g. -f text -f "
                "sarif:results.sarif). Default: text.",
            ),
            click.option(
                "-o",
                "--output",
                metavar="PATH",
                help="Write the single format given without a path to this file.",
            ),
            click.option(
                "--select",
                multiple=True,
                metavar="IDS",
                help="Only run rules whose ID starts with one of these (comma-separated or "
                "repeated), e.g. AWS-SG.",
            ),
            click.option(
                "--ignore",
                multiple=True,
                metavar="IDS",
                help="Skip rules whose ID starts with one of these.",
            ),
            click.option(
                "--fail-on",
                type=SEVERITY_CHOICE,
                help="Lowest severity that makes the scan exit 1. Default: medium (or the config).",
            ),
            click.option(
                "--fail-on-unknown",
                is_flag=True,
                default=None,
                help="Also exit 1 when a rule could not decide (unknown results).",
            ),
            click.option(
                "--exit-zero",
                is_flag=True,
                help="Exit 0 even when findings fail the gate (never hides exit 2 or 3).",
            ),
        ],
    )


scope_option = click.option(
    "--scope",
    type=click.Choice(["deployment", "all"]),
    help="`all` runs hygiene rules (SSH from the internet, public bucket, unencrypted storage, "
    "...; docs/rules.md lists them) on every resource, not only the deployment's.",
)


def model_options(command: F) -> F:
    """Options shared by `scan` and `ready`: configuration and Terraform inputs."""
    options = [
        CONFIG_OPTION,
        click.option(
            "--var-file",
            "var_files",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="Terraform variable file for root modules, applied in the order given.",
        ),
        click.option(
            "--var",
            "cli_vars",
            multiple=True,
            metavar="NAME=VALUE",
            help="Terraform variable value for root modules (highest precedence).",
        ),
        NETWORK_MODE_OPTION,
    ]
    return apply_options(command, options)


def split_ids(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def parse_outputs(
    formats: tuple[str, ...], output: str | None, known: tuple[str, ...] = FORMATS
) -> list[tuple[str, str | None]]:
    """`-f FORMAT[:PATH]` pairs; `-o PATH` is the path of a single format given without one."""
    pairs: list[tuple[str, str | None]] = []
    for spec in formats or ("text",):
        name, _, path = spec.partition(":")
        if name not in known:
            raise click.BadParameter(
                f"unknown format {name!r} (choose from {', '.join(known)})",
                param_hint="-f/--format",
            )
        pairs.append((name, path or None))
    if output:
        bare = [i for i, (_, path) in enumerate(pairs) if path is None]
        if len(bare) != 1:
            raise click.BadParameter(
                "-o names the file of a single -f given without a path", param_hint="-o/--output"
            )
        pairs[bare[0]] = (pairs[bare[0]][0], output)
    return pairs


def parse_vars(values: tuple[str, ...]) -> list[tuple[str, str]]:
    parsed = []
    for value in values:
        name, sep, raw = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="--var")
        parsed.append((name.strip(), raw))
    return parsed


class DeferredOptions:
    """A place in a command's parameters for options built when the command is first used."""

    def __init__(self, build: Callable[[], list[click.Parameter]]) -> None:
        self.build = build


class DeferredOptionsCommand(click.Command):
    """A command whose DeferredOptions are built on first use of its parameters.

    Building the register flags imports the model and the providers table, which `--version`,
    `scan` or `rules` must not wait for at start-up.
    """

    # Parameters and DeferredOptions until built, then parameters only.
    _params: list[Any]
    _built = False

    @property
    def params(self) -> list[click.Parameter]:
        if not self._built:
            self._params = [
                built
                for param in self._params
                for built in (param.build() if isinstance(param, DeferredOptions) else [param])
            ]
            self._built = True
        return self._params

    @params.setter
    def params(self, value: list[click.Parameter]) -> None:
        self._params = value
        self._built = False
