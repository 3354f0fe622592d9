"""`lint(paths, options) -> Report`: the one entry point the CLI (and integrations) use."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anyscale_lint import __version__
from anyscale_lint.collect import Collected, collect
from anyscale_lint.config import Config, ConfigError, schema_message
from anyscale_lint.engine import suppress
from anyscale_lint.engine.context import Settings
from anyscale_lint.engine.evidence import named_members
from anyscale_lint.engine.findings import severity_rank
from anyscale_lint.engine.identify import IdentifyOptions, mode_of_command
from anyscale_lint.engine.judge import Judge, Judgement
from anyscale_lint.engine.redaction import Redactor
from anyscale_lint.engine.register_values import named_count
from anyscale_lint.engine.registry import registered_rules
from anyscale_lint.engine.report import Report
from anyscale_lint.engine.rule_ids import describe_unknown, unknown_entries
from anyscale_lint.engine.runner import (
    RuleSelection,
    empty_deployment,
    run_checks,
    run_suppression_rules,
)
from anyscale_lint.model import CloudModel, Deployment, ParseError, RegisterCommand, SourceSpan
from anyscale_lint.progress_bar import ProgressBar
from anyscale_lint.providers.aws import ANYSCALE_ACCOUNT_ID, ANYSCALE_CORS_ORIGIN
from anyscale_lint.sources.files import read_text
from anyscale_lint.sources.register_command import command_from_text, find_register_command
from anyscale_lint.sources.terraform.loader import (
    TerraformOptions,
)


@dataclass
class LintOptions:
    """Everything that shapes a run, from the command line and the config file."""

    config: Config = field(default_factory=Config)
    var_files: Sequence[Path] = ()
    cli_vars: Sequence[tuple[str, str]] = ()
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    network_mode: str | None = None
    scope: str | None = None
    fail_on: str | None = None
    fail_on_unknown: bool | None = None
    inline_ignores: bool = True
    today: dt.date = field(default_factory=dt.date.today)
    # A hand-written register command (its text, or a file holding it) and a resource file,
    # to check against the code.
    register_command: str | None = None
    resource_file: str | None = None
    # Keep each deployment's model and parts in the report (the readiness report reads them);
    # without, a scan of many roots holds one root's model at a time.
    keep_models: bool = True


def _check_rule_ids(options: LintOptions, known: list[str]) -> None:
    """Exit 2 on a rule ID or prefix that names no rule: a typo would switch nothing off."""
    config = options.config
    where = config.path or "config"
    checks = [
        ("--select", options.select, True),
        ("--ignore", options.ignore, True),
        (f"{where}: key select", config.get("select", []), True),
        (f"{where}: key ignore", config.get("ignore", []), True),
        (f"{where}: key severity", list(config.get("severity") or {}), False),
        (f"{where}: key waivers", [w.rule for w in config.waivers()], True),
    ]
    for label, entries, prefixes in checks:
        problems = unknown_entries(entries, known, prefixes=prefixes)
        if problems:
            raise ConfigError(f"{label}: {'; '.join(problems)}")


def _selection(options: LintOptions) -> RuleSelection:
    config = options.config
    _check_rule_ids(options, [meta.id for meta, _ in registered_rules()])
    select = list(options.select) or list(config.get("select", []))
    ignored = list(options.ignore) + list(config.get("ignore", []))
    rules = [
        (meta, check)
        for meta, check in registered_rules()
        if (not select or meta.id.startswith(tuple(select)))
        and not meta.id.startswith(tuple(ignored) or ("\0",))
    ]
    known = {meta.id: meta for meta, _ in registered_rules()}
    parameters: dict[str, dict[str, Any]] = {}
    for rule_id, values in (config.get("rules") or {}).items():
        meta = known.get(rule_id)
        if meta is None:
            raise ConfigError(
                f"{config.path}: key rules.{rule_id}: {describe_unknown(rule_id, list(known))}"
            )
        for name, value in values.items():
            spec = meta.parameters.get(name)
            if spec is None:
                declared = ", ".join(meta.parameters) or "none"
                raise ConfigError(
                    f"{config.path}: key rules.{rule_id}.{name}: unknown parameter (declared: "
                    f"{declared})"
                )
            import jsonschema

            errors = list(jsonschema.Draft202012Validator(spec["schema"]).iter_errors(value))
            if errors:
                raise ConfigError(
                    f"{config.path}: key rules.{rule_id}.{name}: {schema_message(errors[0])} "
                    f"({spec['description']})"
                )
        parameters[rule_id] = dict(values)
    return RuleSelection(rules, dict(config.get("severity") or {}), parameters)


def _given_register_inputs(options: LintOptions) -> list[RegisterCommand | ParseError]:
    """The hand-written register command and resource file, parsed (or why they are not)."""
    given: list[RegisterCommand | ParseError] = []
    text = options.register_command
    if text is not None:
        origin = None
        source = "--register-command"
        # Text holding a command is the command; anything else names a file holding one.
        if find_register_command(text) is None:
            if not _names_a_path(text):
                raise ConfigError(
                    "--register-command: the text holds no `anyscale cloud register` command "
                    "and names no file"
                )
            read = read_text(Path(text), text)
            if isinstance(read, ParseError):
                return [read]
            text, source, origin = read, text, SourceSpan(text, 1, max(1, read.count("\n")))
        command = command_from_text(text, source, origin)
        if command is None:
            raise ConfigError(f"{source}: no `anyscale cloud register` command in the text given")
        given.append(command)
    if options.resource_file is not None:
        from anyscale_lint.sources.resource_file import read_resource_file  # imports yaml

        given.append(read_resource_file(Path(options.resource_file), options.resource_file))
    return given


def _names_a_path(text: str) -> bool:
    # Anything that exists is read, so a device or a FIFO is reported rather than "no file".
    try:
        return os.path.lexists(text)
    except (OSError, ValueError):
        return False


def _attach_register_inputs(
    options: LintOptions, deployments: list[Deployment], notices: list[str]
) -> list[ParseError]:
    """Give each hand-written input to the deployment whose resources it names most."""
    errors: list[ParseError] = []
    for command in _given_register_inputs(options):
        if isinstance(command, ParseError):
            errors.append(command)
            continue
        candidates = [d for d in deployments if d.identified]
        if not candidates:
            notices.append(f"{command.source}: no Anyscale deployment to check it against")
            continue
        # Of one root's deployments, the one whose parts the command names.
        scores = {
            id(d): (named_count(d.model, command), named_members(d, command)) for d in candidates
        }
        best = max(scores.values())
        chosen = [d for d in candidates if scores[id(d)] == best]
        if len(chosen) > 1 and len(candidates) > 1:
            notices.append(
                f"{command.source}: it names resources of no single deployment; checked against "
                f"{', '.join(d.key for d in chosen)}"
            )
        for deployment in chosen:
            deployment.given_register = command
            # The command about to be run decides the mode, unless the user fixed it.
            if not (options.network_mode or options.config.get("network_mode")):
                deployment.network_mode, deployment.network_mode_source = mode_of_command(command)
    return errors


def _judge_rest(collected: Collected, judge: Judge, options: LintOptions) -> list[Judgement]:
    """Every model's judgement, in the order of the models: the models not judged as they
    were evaluated (plans, snapshots, policy files, live models, or all of them when a
    register command is given) are identified together, then checked."""
    judged = collected.judged
    identified = {id(m): judge.identify(m) for m in collected.models if id(m) not in judged}
    late = [d for found in identified.values() for d in found]
    collected.loose_errors += _attach_register_inputs(options, late, collected.notices)
    judgements = []
    for model in collected.models:
        judgement = judged.get(id(model))
        if judgement is None:
            judgement = judge.check(model, identified[id(model)])
            # Its errors follow it when it was slimmed into a new model.
            errors = collected.errors_by_model.pop(id(model), [])
            collected.errors_by_model[id(judgement.model)] = errors
        judgements.append(judgement)
    return judgements


def lint(
    paths: Sequence[str],
    options: LintOptions | None = None,
    built_models: Sequence[tuple[CloudModel, list[ParseError]]] = (),
    progress: ProgressBar | None = None,
) -> Report:
    """Scan the inputs and return the report (raises ConfigError for bad configuration).

    `built_models` are models a source built already (a live audit) with their collection errors;
    `progress` counts the Terraform roots as they are evaluated.
    """
    options = options or LintOptions()
    config = options.config
    selection = _selection(options)
    settings = Settings(
        anyscale_account_id=str(config.get("anyscale_account_id", ANYSCALE_ACCOUNT_ID)),
        cors_origin=str(config.get("cors_origin", ANYSCALE_CORS_ORIGIN)),
        scope=options.scope or str(config.get("scope", "deployment")),
        external_id=config.get("external_id"),
    )
    mode = options.network_mode or config.get("network_mode")
    mode_source = (
        "--network-mode" if options.network_mode else f"config ({config.path})" if mode else ""
    )
    mappings = config.get("deployments") or {}

    def options_for(model: CloudModel) -> IdentifyOptions:
        return IdentifyOptions(
            settings.anyscale_account_id,
            mode,
            mode_source,
            mappings.get(model.root, {}),
            {k: v for k, v in mappings.items() if k.startswith(f"{model.root}#")},
        )

    judge = Judge(selection, settings, options_for, slim=not options.keep_models)
    # A hand-written register command is given to the deployment it names best, among all of
    # them: every root is identified before any is checked.
    given = options.register_command is not None or options.resource_file is not None
    config_var_files = [Path(p) for p in config.get("var_files", [])]
    tf_options = TerraformOptions(
        var_files=[*config_var_files, *options.var_files],
        cli_vars=options.cli_vars,
        account_id=config.get("aws_account_id"),
    )
    collected = collect(paths, tf_options, progress, None if given else judge)
    errors_by_model = collected.errors_by_model
    loose_errors, notices = collected.loose_errors, collected.notices
    for built, built_errors in built_models:
        collected.models.append(built)
        errors_by_model[id(built)] = list(built_errors)
    judgements = _judge_rest(collected, judge, options)
    deployments = [d for j in judgements for d in j.deployments]
    results = [r for j in judgements for r in j.results]
    internal = [e for j in judgements for e in j.internal]
    notices += dict.fromkeys(n for j in judgements for n in j.notices)
    # From here on, each model as its judgement keeps it (slim: without its resources).
    models = [j.model for j in judgements]
    inputs_deployment = empty_deployment("(inputs)")
    with_inputs = deployments
    if loose_errors:
        # Errors of no model (an unreadable path, a broken policy file) are the inputs' as a
        # whole: the rules about inputs judge them; no deployment rule has anything to judge.
        errors_by_model[id(inputs_deployment.model)] = loose_errors
        with_inputs = [*deployments, inputs_deployment]
    input_results, input_internal = run_checks(
        selection, with_inputs, errors_by_model, settings, inputs=True
    )
    results += input_results
    internal += input_internal
    ignores = (
        [ignore for model in models for ignore in model.ignores] if options.inline_ignores else []
    )
    selected = {meta.id for meta, _ in selection.rules}
    known = {meta.id for meta, _ in registered_rules()}
    results, problems = suppress.apply(
        results, ignores, config.waivers(), options.today, selected, known
    )
    for deployment in [*deployments, inputs_deployment]:
        files = set(deployment.model.files) | {i.path for i in deployment.model.ignores}
        own = [
            p
            for p in problems
            if deployment.primary
            and (p.path in files or (p.path is None and deployment is inputs_deployment))
        ]
        results += run_suppression_rules(selection, own, deployment, settings)
    # Redacted here, before fingerprints are taken from the messages, so a baseline written
    # with a sensitive value present still matches; formatters redact once more on output.
    secrets = frozenset(s for model in models for s in model.sensitive_values)
    redactor = Redactor(secrets)
    results = redactor.scrub(results)
    results.sort(
        key=lambda r: (r.deployment, -severity_rank(r.severity), r.rule_id, r.resource, r.message)
    )
    all_errors = [e for model_errors in errors_by_model.values() for e in model_errors] + internal
    all_errors = redactor.scrub(all_errors)
    notices = redactor.scrub(notices)
    return Report(
        version=__version__,
        inputs=list(paths),
        results=results,
        rules=[meta for meta, _ in selection.rules],
        deployments=deployments,
        errors=sorted(all_errors, key=lambda e: (e.path, e.line or 0)),
        notices=notices,
        settings=settings,
        fail_on=options.fail_on or str(config.get("fail_on", "medium")),
        fail_on_unknown=bool(
            options.fail_on_unknown
            if options.fail_on_unknown is not None
            else config.get("fail_on_unknown", False)
        ),
        sensitive_values=secrets,
    )
