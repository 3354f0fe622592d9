"""`anyscale-lint live`: turn the command's options into an audit, then into a report."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import ConfigError
from anyscale_lint.engine.report import Report
from anyscale_lint.model import ParseError
from anyscale_lint.providers.aws import AWS_INPUTS, RESOURCE_INPUTS, canonical_flag

if TYPE_CHECKING:
    from anyscale_lint.sources.live.audit import Audit
    from anyscale_lint.sources.live.progress import Progress


@dataclass
class LiveRequest:
    """What to audit and how to reach it."""

    regions: Sequence[str]
    # Register flags given on the command line (documented spelling -> comma-joined value).
    flags: dict[str, str]
    provider: str = "aws"
    resource_file: str | None = None
    tag: str | None = None
    profiles: Sequence[str] = ()
    role_arns: Sequence[str] = ()
    external_id: str | None = None
    endpoint_url: str | None = None
    max_attempts: int = 5
    # GCP: the service account to impersonate (its token is taken with the default one).
    impersonate_service_account: str | None = None
    save_snapshot: str | None = None
    workers: int = 8
    notices: list[str] = field(default_factory=list)


def _resource_file_flags(path: str) -> dict[str, str]:
    from anyscale_lint.sources.resource_file import read_resource_file

    command = read_resource_file(Path(path), path)
    if isinstance(command, ParseError):
        raise ConfigError(f"--resource-file {command.location()}: {command.message}")
    return {flag: str(value) for flag, value in command.flags.items() if flag != "provider"}


def _tag(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    key, sep, tag_value = value.partition("=")
    if not sep or not key:
        raise ConfigError(f"--tag {value!r} is not KEY=VALUE (e.g. anyscale-cloud-id=cld_123)")
    return key, tag_value


def register_flags(request: LiveRequest) -> dict[str, str]:
    """The resource file's flags, overridden by those given on the command line."""
    flags = _resource_file_flags(request.resource_file) if request.resource_file else {}
    flags.update({canonical_flag(k): v for k, v in request.flags.items() if v is not None})
    known = {spec.flag for spec in AWS_INPUTS}
    return {k: v for k, v in flags.items() if k in known}


def regions_of(request: LiveRequest, flags: dict[str, str]) -> list[str]:
    """--region values, else the resource file's region, else AWS_REGION/AWS_DEFAULT_REGION."""
    regions = list(request.regions) or [r for r in [flags.get("region")] if r]
    if not regions:
        env = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        regions = [env] if env else []
    if not regions:
        raise ConfigError("live needs --region (or AWS_REGION, or a resource file's region)")
    return regions


def run_live(
    request: LiveRequest, options: LintOptions, progress: Progress | None = None
) -> Report:
    """Audit every account (or project) and region, then lint the models (raises ConfigError,
    MissingExtra)."""
    if request.provider == "gcp":
        return _run_gcp(request, options, progress)
    from anyscale_lint.sources.aws_live import Connection, Targets, audit
    from anyscale_lint.sources.aws_live.builder import NOT_NAMING
    from anyscale_lint.sources.aws_live.session import boto3_module

    boto3_module()
    flags = register_flags(request)
    tag = _tag(request.tag)
    named = [spec.flag for spec in RESOURCE_INPUTS if flags.get(spec.flag)]
    if not named and tag is None:
        raise ConfigError(
            "live needs the deployment's resources: register flags (--vpc-id, --subnet-ids, ...), "
            "--resource-file, or --tag KEY=VALUE"
        )
    regions = regions_of(request, flags)
    flags.pop("region", None)
    profiles: list[str | None] = [*request.profiles] or [None]
    role_arns: list[str | None] = [*request.role_arns] or [None]
    connections = [
        Connection(
            profile=profile,
            role_arn=role_arn,
            external_id=request.external_id,
            endpoint_url=request.endpoint_url,
            max_attempts=request.max_attempts,
        )
        for profile in profiles
        for role_arn in role_arns
    ]
    if "private-network" in flags and tag is None and not set(flags) - NOT_NAMING:
        # Given only a VPC no register command is built: the mode is said here instead.
        options.network_mode = options.network_mode or "private"
    account_id = str(options.config.get("anyscale_account_id", "")) or None
    targets = Targets(flags, tag, **({"anyscale_account_id": account_id} if account_id else {}))
    audits = audit(connections, regions, targets, request.workers, progress)
    return _report(audits, request, options, "AWS API calls")


def _run_gcp(request: LiveRequest, options: LintOptions, progress: Progress | None) -> Report:
    """Audit one GCP project in every region given (raises ConfigError, MissingGoogle)."""
    from anyscale_lint.sources.gcp_live import GcpConnection, audit
    from anyscale_lint.sources.gcp_live.session import ENDPOINT_ENV, check_google
    from anyscale_lint.sources.gcp_live.session import endpoint_from_env as gcp_endpoint
    from anyscale_lint.sources.gcp_live.targets import NOT_NAMING

    check_google()
    flags = {k: v for k, v in request.flags.items() if v is not None}
    if not flags.get("project-id"):
        raise ConfigError("live --provider gcp needs --project-id (the project ID, not its number)")
    regions = list(request.regions) or [r for r in [flags.get("region")] if r]
    regions = regions or [r for r in [os.environ.get("CLOUDSDK_COMPUTE_REGION")] if r]
    if not regions:
        raise ConfigError("live --provider gcp needs --region (or CLOUDSDK_COMPUTE_REGION)")
    flags.pop("region", None)
    if "private-network" in flags and not set(flags) - NOT_NAMING:
        # Given no part's name no register command is built: the mode is said here instead.
        options.network_mode = options.network_mode or "private"
    endpoint = gcp_endpoint()
    connection = GcpConnection(
        impersonate_service_account=request.impersonate_service_account,
        max_attempts=request.max_attempts,
        endpoint=endpoint,
    )
    audits = audit(connection, flags, regions, request.workers, progress)
    report = _report(audits, request, options, "Google API calls")
    if endpoint:
        report.notices.append(f"every Google API call went to {endpoint} ({ENDPOINT_ENV})")
    return report


def _report(audits: list[Audit], request: LiveRequest, options: LintOptions, calls: str) -> Report:
    """Lint the audits' models (writing the snapshot first when asked), with their notices."""
    from anyscale_lint.sources.snapshot import dump_snapshot, write_snapshots

    if request.save_snapshot:
        write_snapshots(
            Path(request.save_snapshot), [dump_snapshot(a.model, a.errors) for a in audits]
        )
    report = lint([], options, [(a.model, a.errors) for a in audits])
    for found in audits:
        report.notices += found.model.notes
        report.notices.append(f"{found.model.root}: {found.calls} {calls}")
    if request.save_snapshot:
        report.notices.append(f"{request.save_snapshot}: snapshot written (re-check with scan)")
    return report
