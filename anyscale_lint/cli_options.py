"""Options the commands share (reports, models, live audits) and turning them into requests."""

from __future__ import annotations

import sys
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


def _register_flag_params() -> list[click.Parameter]:
    from anyscale_lint.providers.aws import RESOURCE_INPUTS

    return [
        click.Option(
            [*(f"--{flag}" for flag in spec.flags), spec.flag.replace("-", "_")],
            multiple=True,
            metavar="ID[,ID]" if spec.many else "ID",
            help=f"The {spec.label}, as `anyscale cloud register --{spec.flag}` takes it.",
        )
        for spec in RESOURCE_INPUTS
    ]


def register_flag_options(command: F) -> F:
    """One option per register flag naming a resource, with the CLI's aliases (providers/aws).

    They are built on first use: the command needs `cls=DeferredOptionsCommand`.
    """
    if not hasattr(command, "__click_params__"):
        command.__click_params__ = []  # type: ignore[attr-defined]
    command.__click_params__.append(DeferredOptions(_register_flag_params))  # type: ignore[attr-defined]
    return command


def _gcp_flag_params() -> list[click.Parameter]:
    from anyscale_lint.sources.gcp_live.flags import FILESTORE_ALIAS, GCP_FLAGS

    params: list[click.Parameter] = [
        click.Option(
            [*(f"--{flag}" for flag in spec.flags), spec.flag.replace("-", "_")],
            multiple=spec.many,
            metavar=f"{spec.metavar}[,{spec.metavar}]" if spec.many else spec.metavar,
            help=f"--provider gcp: the {spec.label}, as `anyscale cloud register --{spec.flag}` "
            "takes it.",
        )
        for spec in GCP_FLAGS
    ]
    params.append(
        click.Option(
            [f"--{FILESTORE_ALIAS}", FILESTORE_ALIAS.replace("-", "_")],
            metavar="ID",
            help="--provider gcp: the Filestore instance ID, an alias of --file-storage-id (as "
            "`anyscale cloud register` takes it).",
        )
    )
    return params


def gcp_flag_options(command: F) -> F:
    """One option per GCP register flag (sources/gcp_live/flags.py), built on first use."""
    if not hasattr(command, "__click_params__"):
        command.__click_params__ = []  # type: ignore[attr-defined]
    command.__click_params__.append(DeferredOptions(_gcp_flag_params))  # type: ignore[attr-defined]
    return command


def live_options(command: F) -> F:
    """Options shared by `live` and `ready --live`: where to read and what names the deployment."""
    return apply_options(
        command,
        [
            click.option(
                "--provider",
                type=click.Choice(["aws", "gcp"]),
                default="aws",
                show_default=True,
                help="Cloud provider of the live audit: aws (boto3, the `aws` extra) or gcp "
                "(the Google Cloud client libraries, the `gcp` extra).",
            ),
            click.option(
                "--region",
                "regions",
                multiple=True,
                help="Region to audit; repeat for several (default: AWS_REGION or the resource "
                "file's; for gcp CLOUDSDK_COMPUTE_REGION).",
            ),
            click.option(
                "--profile", "profiles", multiple=True, help="AWS profile; repeat for several."
            ),
            click.option(
                "--role-arn",
                "role_arns",
                multiple=True,
                help="Role to assume for the audit (read-only); repeat for several accounts.",
            ),
            click.option("--external-id", help="External ID to present when assuming --role-arn."),
            click.option(
                "--endpoint-url",
                help="Send every AWS call to this endpoint (VPC interface endpoints, a proxy, or a "
                "local emulator in tests).",
            ),
            click.option(
                "--name",
                "cloud_name",
                help="The cloud's name, as `anyscale cloud register --name` takes it.",
            ),
            register_flag_options,
            gcp_flag_options,
            click.option(
                "--impersonate-service-account",
                metavar="EMAIL",
                help="--provider gcp: audit as this service account, impersonated with the "
                "Application Default Credentials (which need roles/iam.serviceAccountTokenCreator "
                "on it).",
            ),
            click.option(
                "--private-network",
                is_flag=True,
                help="The cloud is (or will be) registered with --private-network.",
            ),
            click.option(
                "--tag",
                metavar="KEY=VALUE",
                help="Find the deployment's resources by tag, e.g. anyscale-cloud-id=cld_123.",
            ),
            click.option(
                "--max-attempts",
                type=click.IntRange(1, 20),
                default=5,
                show_default=True,
                help="Attempts per API call before it counts as not collected (AWS: botocore "
                "adaptive retries; GCP: backoff on throttling, unavailability and timeouts).",
            ),
            click.option(
                "-q",
                "--quiet",
                is_flag=True,
                help="No progress bar on stderr (shown only when stderr is a terminal and CI is "
                "not set).",
            ),
        ],
    )


# Options of `live` that only one provider reads (dest -> how the user spells it).
AWS_ONLY = {
    "tag": "--tag",
    "profiles": "--profile",
    "role_arns": "--role-arn",
    "external_id": "--external-id",
    "endpoint_url": "--endpoint-url",
}
GCP_ONLY = {"impersonate_service_account": "--impersonate-service-account"}


def _given(live_options: dict[str, Any], flag: str) -> str | None:
    value = live_options.get(flag.replace("-", "_"))
    if not value:
        return None
    return ",".join(split_ids(value)) if isinstance(value, tuple) else str(value)


def _register_flags(live_options: dict[str, Any], resource_file: str | None) -> dict[str, str]:
    """The register flags given, for the provider asked (UsageError for the other's)."""
    from anyscale_lint.providers.aws import RESOURCE_INPUTS
    from anyscale_lint.sources.gcp_live.flags import FILESTORE_ALIAS, GCP_FLAGS, SHARED_FLAGS

    aws = {s.flag: v for s in RESOURCE_INPUTS if (v := _given(live_options, s.flag))}
    gcp = {s.flag: v for s in GCP_FLAGS if (v := _given(live_options, s.flag))}
    alias = _given(live_options, FILESTORE_ALIAS)
    if alias:
        gcp.setdefault("file-storage-id", alias)
    if live_options["provider"] == "gcp":
        wrong = [f"--{flag}" for flag in aws if flag not in SHARED_FLAGS]
        wrong += [spelled for dest, spelled in AWS_ONLY.items() if live_options[dest]]
        wrong += ["--resource-file"] if resource_file else []
        if wrong:
            raise click.UsageError(f"{wrong[0]} is an option of live --provider aws")
        return {**aws, **gcp}
    wrong = [f"--{flag}" for flag in gcp if flag not in SHARED_FLAGS]
    wrong += [f"--{FILESTORE_ALIAS}"] if alias else []
    wrong += [spelled for dest, spelled in GCP_ONLY.items() if live_options[dest]]
    if wrong:
        raise click.UsageError(f"{wrong[0]} is an option of live --provider gcp")
    return aws


def live_request(
    live_options: dict[str, Any], resource_file: str | None, save_snapshot: str | None = None
) -> Any:
    """The audit the live options ask for (UsageError, exit 2, for the other provider's)."""
    from anyscale_lint.live import LiveRequest

    flags = _register_flags(live_options, resource_file)
    if live_options["cloud_name"]:
        flags["name"] = live_options["cloud_name"]
    if live_options["private_network"]:
        flags["private-network"] = ""
    return LiveRequest(
        regions=live_options["regions"],
        flags=flags,
        provider=live_options["provider"],
        resource_file=resource_file,
        tag=live_options["tag"],
        profiles=live_options["profiles"],
        role_arns=live_options["role_arns"],
        external_id=live_options["external_id"],
        endpoint_url=live_options["endpoint_url"],
        max_attempts=live_options["max_attempts"],
        impersonate_service_account=live_options["impersonate_service_account"],
        save_snapshot=save_snapshot,
    )


def run_live_audit(request: Any, options: Any, quiet: bool) -> Any:
    """Audit and lint; a progress bar on a terminal, erased once the audit ends."""
    from anyscale_lint.live import run_live
    from anyscale_lint.progress_bar import ProgressBar, bar_shown

    progress = ProgressBar(sys.stderr, bar_shown(sys.stderr, quiet))
    try:
        return run_live(request, options, progress)
    finally:
        progress.close()
