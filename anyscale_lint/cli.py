"""Command line: scan, ready, live, rules and explain (a thin layer over anyscale_lint.api)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from anyscale_lint import __version__
from anyscale_lint.cli_catalog import explain, list_rules
from anyscale_lint.cli_live import live_options, live_request, run_live_audit
from anyscale_lint.cli_options import (
    CONFIG_OPTION,
    NETWORK_MODE_OPTION,
    READY_FORMATS,
    DeferredOptionsCommand,
    model_options,
    parse_outputs,
    parse_vars,
    report_options,
    scope_option,
    split_ids,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--version", prog_name="anyscale-lint", message="%(prog)s %(version)s"
)
def main() -> None:
    """Check Anyscale cloud deployments (Terraform, IAM JSON) before `anyscale cloud register`."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@report_options
@model_options
@scope_option
@click.option(
    "--no-inline-ignores", is_flag=True, help="Disregard `# anyscale-lint:ignore` comments."
)
@click.option(
    "--changed-only",
    is_flag=True,
    help="Treat the PATHS as changed files (as pre-commit passes them): scan every root module "
    "that uses a changed .tf, .tfvars or .tmpl file, and report (and gate on) only the "
    "findings located in the changed modules' directories.",
)
@click.option(
    "--category",
    metavar="NAME",
    help="SARIF automationDetails.id for GitHub code scanning: one category per root or job, so "
    "uploads do not replace each other's alerts.",
)
@click.option(
    "--baseline",
    "baseline_path",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Findings recorded in this baseline file are reported as baselined and do not fail.",
)
@click.option(
    "--write-baseline",
    "write_baseline_path",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Record the current findings in this baseline file (they are then reported as baselined).",
)
@click.option(
    "--update-baseline",
    is_flag=True,
    help="With --baseline: rewrite it without the entries that no longer match (fixed findings).",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="No progress bar on stderr (shown only for scans lasting over a second, when stderr is "
    "a terminal and CI is not set).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read and write no cache (the only entry remembers that the rule files validated; "
    "ANYSCALE_LINT_NO_CACHE=1 does the same, ANYSCALE_LINT_CACHE_DIR moves the cache).",
)
def scan(
    paths: tuple[str, ...],
    formats: tuple[str, ...],
    output: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    fail_on_unknown: bool | None,
    exit_zero: bool,
    config_path: str | None,
    var_files: tuple[str, ...],
    cli_vars: tuple[str, ...],
    network_mode: str | None,
    scope: str | None,
    no_inline_ignores: bool,
    changed_only: bool,
    category: str | None,
    baseline_path: str | None,
    write_baseline_path: str | None,
    update_baseline: bool,
    quiet: bool,
    no_cache: bool,
) -> None:
    """Scan Terraform directories and files, and IAM policy JSON files.

    Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage or
    configuration error; 3 an input could not be read or parsed (results are partial).
    """
    from anyscale_lint.api import LintOptions, lint
    from anyscale_lint.config import ConfigError, load_config
    from anyscale_lint.engine.registry import RuleLoadError

    outputs = parse_outputs(formats, output)
    if no_cache:
        # One process, one scan: the cache module reads the setting where it decides.
        os.environ["ANYSCALE_LINT_NO_CACHE"] = "1"
    if update_baseline and not baseline_path:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    try:
        config = load_config(config_path)
        options = LintOptions(
            config=config,
            var_files=[Path(p) for p in var_files],
            cli_vars=parse_vars(cli_vars),
            select=split_ids(select),
            ignore=split_ids(ignore),
            network_mode=network_mode,
            scope=scope,
            fail_on=fail_on,
            fail_on_unknown=fail_on_unknown,
            inline_ignores=not no_inline_ignores,
            # Only the readiness report reads the deployments' resources.
            keep_models=any(name == "readiness" for name, _ in outputs),
        )
        progress = _scan_progress(quiet)
        try:
            if changed_only:
                from anyscale_lint.changed import changed_scope, keep_changed

                changes = changed_scope(paths)
                report = keep_changed(lint(changes.inputs, options, progress=progress), changes)
            else:
                report = lint(list(paths), options, progress=progress)
        finally:
            progress.close()
        report.category = category
        report = _redacted(report)
        report = _baselined(report, baseline_path, write_baseline_path, update_baseline)
    except (ConfigError, RuleLoadError, ValueError) as error:
        click.echo(f"anyscale-lint: {error}", err=True)
        sys.exit(2)
    _write_outputs(report, outputs)
    sys.exit(report.exit_code(exit_zero))


def _scan_progress(quiet: bool) -> Any:
    """The bar counting evaluated roots, drawn once the scan has lasted a second."""
    from anyscale_lint.progress_bar import ProgressBar, bar_shown

    # Internal: the tests draw it at once (ANYSCALE_LINT_PROGRESS_AFTER=0).
    try:
        delay = float(os.environ.get("ANYSCALE_LINT_PROGRESS_AFTER", "1"))
    except ValueError:
        delay = 1.0
    shown = bar_shown(sys.stderr, quiet)
    return ProgressBar(sys.stderr, shown, unit="roots", calls=False, delay=delay)


def _redacted(report: Any) -> Any:
    """The report with sensitive values replaced, before a baseline or an output is written."""
    from anyscale_lint.engine.redaction import Redactor
    from anyscale_lint.formatters import redact_report

    return redact_report(report, Redactor(report.sensitive_values))


def _baselined(report: Any, path: str | None, write_path: str | None, update: bool) -> Any:
    """Apply, update or write the baseline (BaselineError is a ValueError: exit 2)."""
    if not (path or write_path):
        return report
    from anyscale_lint.engine import baseline as baselines

    if path:
        loaded = baselines.load_baseline(path)
        fixed = baselines.fixed_entries(report, loaded)
        if update:
            baselines.update_baseline(report, loaded, path)
            report.notices.append(f"{path}: dropped {len(fixed)} fixed entries")
        elif fixed:
            report.notices.append(
                f"{path}: {len(fixed)} entries no longer match (fixed findings); "
                "--update-baseline drops them"
            )
        report = baselines.apply_baseline(report, loaded)
    if write_path:
        written = baselines.write_baseline(report, write_path)
        report.notices.append(f"{write_path}: recorded {len(written.entries)} findings")
        report = baselines.apply_baseline(report, written)
    return report


def _write_outputs(report: Any, outputs: list[tuple[str, str | None]]) -> None:
    from anyscale_lint.formatters import FORMATTERS

    for name, path in outputs:
        _emit(FORMATTERS[name](report), path)


@main.command(cls=DeferredOptionsCommand)
@click.argument("paths", nargs=-1)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT[:PATH]",
    help="text (default), markdown (for a PR comment or $GITHUB_STEP_SUMMARY) or json "
    "(schemas/readiness.schema.json); repeat for several, each optionally to a file.",
)
@click.option(
    "-o", "--output", metavar="PATH", help="Write the single format given without a path."
)
@click.option(
    "--strict",
    is_flag=True,
    help="Warnings fail too (READY WITH WARNINGS exits 1), like `anyscale cloud verify --strict`.",
)
@click.option(
    "--register-command",
    metavar="TEXT|FILE",
    help="A register command you are about to run (its text, or a file holding it), checked "
    'against the code, e.g. --register-command "$(cat register.sh)".',
)
@click.option(
    "--resource-file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="A `--resource-file` YAML (CloudDeployment) you are about to register, checked against "
    "the code (with --live: naming the resources to read).",
)
@model_options
@click.option(
    "--live",
    "from_live",
    is_flag=True,
    help="Read the deployment from a live AWS account or GCP project instead of PATHS (the "
    "options of `live`).",
)
@live_options
def ready(
    paths: tuple[str, ...],
    formats: tuple[str, ...],
    output: str | None,
    strict: bool,
    register_command: str | None,
    resource_file: str | None,
    config_path: str | None,
    var_files: tuple[str, ...],
    cli_vars: tuple[str, ...],
    network_mode: str | None,
    from_live: bool,
    **live_options: Any,
) -> None:
    """Is each deployment ready for `anyscale cloud register`, and what exactly to type.

    Prints, per deployment: the verdict (READY, READY WITH WARNINGS, NOT READY), the checklist
    of register inputs with the rules behind each, the requirements in the order of Anyscale's
    verifier, what Anyscale's register/verify would do beside what this tool recommends, and
    the register command and resource file built from the code.

    With --live, the deployment is read from an AWS account (the options of `live`), and the
    register command it prints holds the literal IDs.

    Exit codes: 0 READY or READY WITH WARNINGS; 1 NOT READY (or warnings with --strict);
    2 usage or configuration error; 3 an input could not be read, parsed or collected.
    """
    from anyscale_lint.api import LintOptions, lint
    from anyscale_lint.config import ConfigError, load_config
    from anyscale_lint.engine.registry import RuleLoadError
    from anyscale_lint.readiness.build import build_readiness
    from anyscale_lint.sources.live.audit import MissingExtra

    outputs = parse_outputs(formats, output, READY_FORMATS)
    if from_live == bool(paths):
        raise click.UsageError("give PATHS to check code, or --live to read an account")
    request = live_request(live_options, resource_file) if from_live else None
    try:
        options = LintOptions(
            config=load_config(config_path),
            var_files=[Path(p) for p in var_files],
            cli_vars=parse_vars(cli_vars),
            network_mode=network_mode,
            register_command=register_command,
            resource_file=None if from_live else resource_file,
        )
        report = (
            run_live_audit(request, options, live_options["quiet"])
            if from_live
            else lint(list(paths), options)
        )
    except (ConfigError, RuleLoadError, MissingExtra) as error:
        click.echo(f"anyscale-lint: {error}", err=True)
        sys.exit(2)
    from anyscale_lint.engine.redaction import Redactor

    # Built from the whole report (the register plan needs the values), then redacted.
    redactor = Redactor(report.sensitive_values)
    readiness = redactor.scrub(build_readiness(report, strict=strict))
    account = report.settings.anyscale_account_id
    for name, path in outputs:
        _emit(redactor.rendered(_render_readiness(name, readiness, account)), path)
    if report.incomplete():
        sys.exit(3)
    sys.exit(1 if readiness.verdict == "NOT READY" else 0)


def _render_readiness(name: str, readiness: Any, account: str) -> str:
    if name == "json":
        from anyscale_lint.formatters import readiness_json

        return readiness_json.render(readiness)
    if name == "markdown":
        from anyscale_lint.formatters import readiness_markdown

        return readiness_markdown.render(readiness, account)
    from anyscale_lint.formatters import readiness_text

    return readiness_text.render(readiness)


def _emit(rendered: str, path: str | None) -> None:
    """Write to stdout, or to a file (exit 2 when it cannot be written)."""
    if path is None:
        sys.stdout.write(rendered)
        return
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(rendered, encoding="utf-8")
    except OSError as error:
        click.echo(f"anyscale-lint: cannot write {path}: {error.strerror}", err=True)
        sys.exit(2)


@main.command(cls=DeferredOptionsCommand)
@live_options
@click.option(
    "--resource-file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="A `--resource-file` YAML (CloudDeployment) naming the resources to audit.",
)
@click.option(
    "--save-snapshot",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Also write the collected model as JSON; `anyscale-lint scan FILE` re-checks it offline.",
)
@click.option(
    "--print-required-permissions",
    is_flag=True,
    help="Print the read-only IAM policy the audit needs (--provider gcp: a custom role with "
    "the permissions), then exit.",
)
@report_options
@CONFIG_OPTION
@NETWORK_MODE_OPTION
@scope_option
def live(
    resource_file: str | None,
    save_snapshot: str | None,
    print_required_permissions: bool,
    formats: tuple[str, ...],
    output: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    fail_on_unknown: bool | None,
    exit_zero: bool,
    config_path: str | None,
    network_mode: str | None,
    scope: str | None,
    **live_options: Any,
) -> None:
    """Audit a live AWS account or GCP project read-only, before or after `anyscale cloud
    register`.

    AWS: name the deployment with the register flags (same names and aliases as `anyscale
    cloud register`), a --resource-file, --tag KEY=VALUE, or just --vpc-id. Only Describe, Get
    and List calls are made (a hook refuses anything else before it is sent).

    GCP (--provider gcp): --project-id and --region, the GCP register flags (--vpc-name,
    --subnet-names, --firewall-policy-names, ...), Application Default Credentials or
    --impersonate-service-account. Only get, list and getIamPolicy requests are sent (the
    credentials refuse anything else before it is sent).

    Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage or
    configuration error (or the provider's extra missing); 3 something could not be
    collected (CORE-003).
    """
    if print_required_permissions:
        if live_options["provider"] == "gcp":
            from anyscale_lint.sources.gcp_live.operations import required_role_json

            click.echo(required_role_json(), nl=False)
            return
        from anyscale_lint.sources.aws_live.operations import required_policy_json

        click.echo(required_policy_json(), nl=False)
        return
    request = live_request(live_options, resource_file, save_snapshot)
    outputs = parse_outputs(formats, output)
    from anyscale_lint.api import LintOptions
    from anyscale_lint.config import ConfigError, load_config
    from anyscale_lint.sources.live.audit import MissingExtra

    try:
        options = LintOptions(
            config=load_config(config_path),
            select=split_ids(select),
            ignore=split_ids(ignore),
            network_mode=network_mode,
            scope=scope,
            fail_on=fail_on,
            fail_on_unknown=fail_on_unknown,
        )
        report = run_live_audit(request, options, live_options["quiet"])
    except (ConfigError, MissingExtra) as error:
        click.echo(f"anyscale-lint: {error}", err=True)
        sys.exit(2)
    _write_outputs(report, outputs)
    sys.exit(report.exit_code(exit_zero))


# The catalog commands live in cli_catalog.py.
main.add_command(list_rules)
main.add_command(explain)
