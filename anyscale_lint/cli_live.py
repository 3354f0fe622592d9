"""The options of `live` and `ready --live`, and turning them into a live request.

The register flags are built from the providers' tables (providers/aws.py, providers/gcp.py)
on first use of a command's parameters: `--version`, `scan` or `rules` do not wait for them.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from anyscale_lint.cli_options import DeferredOptions, F, apply_options, split_ids


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


# What the help adds to a GCP input's label (providers/gcp.py), by the input's key.
_GCP_HINTS = {
    "project": "its ID, not its number",
    "host_project": "the network and firewall policies are read there",
    "subnets": "Anyscale uses the first",
    "firewall_policies": "global, else regional in --region; Anyscale uses the first",
    "provider_name": "its full name, "
    "projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/ID",
    "filestore": "its ID with --filestore-location, or its full name",
    "filestore_location": "its zone, or its region",
    "memorystore": "its full name, projects/P/locations/REGION/instances/ID",
}


def _option_spellings() -> set[str]:
    """The flags `live` already takes for AWS (and both providers share)."""
    from anyscale_lint.providers.aws import RESOURCE_INPUTS

    return {f for spec in RESOURCE_INPUTS for f in spec.flags} | {
        "name",
        "region",
        "private-network",
        "external-id",
    }


def gcp_dest(key: str) -> str:
    """The parameter a GCP input's option fills (`gcp_vpc`)."""
    return "gcp_" + key.replace("-", "_")


def _gcp_flag_params() -> list[click.Parameter]:
    from anyscale_lint.providers.gcp import GCP_INPUTS

    taken = _option_spellings()
    params: list[click.Parameter] = []
    for spec in GCP_INPUTS:
        spellings = [f for f in spec.flags if f not in taken]
        if not spellings:
            continue
        metavar = spec.placeholder or spec.key.upper().replace("-", "_")
        hint = _GCP_HINTS.get(spec.key)
        alias = f", an alias of --{spec.flag}" if spec.flag in taken else ""
        params.append(
            click.Option(
                [*(f"--{flag}" for flag in spellings), gcp_dest(spec.key)],
                multiple=spec.many,
                metavar=f"{metavar}[,...]" if spec.many else metavar,
                help=f"--provider gcp: the {spec.label}"
                + (f" ({hint})" if hint else "")
                + f"{alias}, as `anyscale cloud register --{spec.flag}` takes it.",
            )
        )
    return params


def gcp_flag_options(command: F) -> F:
    """One option per GCP register flag (providers/gcp.py) not already an AWS one, built on
    first use."""
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
    """The register flags given (documented spelling -> comma-joined value), for the provider
    asked; the other provider's are a UsageError (exit 2)."""
    from anyscale_lint.providers.aws import RESOURCE_INPUTS
    from anyscale_lint.providers.gcp import GCP_INPUTS

    taken = _option_spellings()
    gcp_spellings = {f for spec in GCP_INPUTS for f in spec.flags}
    aws = {s.flag: v for s in RESOURCE_INPUTS if (v := _given(live_options, s.flag))}
    gcp = {
        s.flag: v
        for s in GCP_INPUTS
        if (v := _given(live_options, gcp_dest(s.key))) or (s.flag in aws and (v := aws[s.flag]))
    }
    # The GCP options given, by the spelling their option has (not an AWS one).
    gcp_only = [
        f"--{next(f for f in s.flags if f not in taken)}"
        for s in GCP_INPUTS
        if _given(live_options, gcp_dest(s.key))
    ]
    if live_options["provider"] == "gcp":
        wrong = [f"--{flag}" for flag in aws if flag not in gcp_spellings]
        wrong += [spelled for dest, spelled in AWS_ONLY.items() if live_options[dest]]
        wrong += ["--resource-file"] if resource_file else []
        if wrong:
            raise click.UsageError(f"{wrong[0]} is an option of live --provider aws")
        return gcp
    wrong = gcp_only + [spelled for dest, spelled in GCP_ONLY.items() if live_options[dest]]
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
