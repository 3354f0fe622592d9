"""Judge one model: identify its deployments, run the deployment rules, and keep what the
report needs.

A scan of many roots judges each root as soon as it is evaluated (in the worker that
evaluated it, when there is a pool), so the whole corpus's models never exist at once: with
`slim`, what is kept of a deployment is what the findings formats print (its key, network
mode, register command and identifications) and, of its model, the root, files, notes,
ignores and sensitive values. The rules about the inputs as a whole (CORE-001, CORE-002) run
later, once every file's errors are known.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any

from anyscale_lint.engine.context import Settings
from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.identify import IdentifyOptions, identify
from anyscale_lint.engine.runner import RuleSelection, run_checks
from anyscale_lint.iam.actions import table_source
from anyscale_lint.iam.analysis import unknown_action_patterns
from anyscale_lint.model import CloudModel, Deployment, ParseError


@dataclass
class Judgement:
    """What judging one model produced."""

    model: CloudModel
    deployments: list[Deployment]
    results: list[Result] = field(default_factory=list)
    # Checks that raised: reported as internal errors of the run.
    internal: list[ParseError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass
class Judge:
    """Identification and the deployment rules, with the run's settings."""

    selection: RuleSelection
    settings: Settings
    options_for: Callable[[CloudModel], IdentifyOptions]
    # Keep only what the findings formats print (no readiness report is asked for).
    slim: bool = False

    def identify(self, model: CloudModel) -> list[Deployment]:
        """The model's deployments (an unidentified one when nothing points at Anyscale)."""
        return identify(model, self.options_for(model))

    def check(self, model: CloudModel, deployments: Sequence[Deployment]) -> Judgement:
        """Run the deployment rules on identified deployments."""
        results, internal = run_checks(self.selection, deployments, {}, self.settings, inputs=False)
        judgement = Judgement(model, list(deployments), results, internal)
        judgement.notices = unknown_action_notices(model)
        return slimmed(judgement) if self.slim else judgement

    def __call__(self, model: CloudModel) -> Judgement:
        return self.check(model, self.identify(model))


def unknown_action_notices(model: CloudModel) -> list[str]:
    """Actions the generated action table does not know: kept as written, and said so."""
    notices = []
    for document in model.policy_documents():
        for statement in document.statements:
            for pattern in unknown_action_patterns(statement):
                notices.append(
                    f"{statement.origin}: action {pattern} is not in the action table "
                    f"({table_source()}); it is kept as written and matched literally"
                )
    return list(dict.fromkeys(notices))


# What a slim judgement keeps of a model and of a deployment: what the findings formats, the
# changed-files scope and the rules about inputs read. Every other field (the resources, the
# deployment's parts, and whatever is added later) goes back to its default.
_MODEL_KEPT = frozenset(
    {
        "root",
        "source_kind",
        "holds_network",
        "judge_all_resources",
        "rule_source",
        "ids_assigned_at_apply",
        "single_account",
        "one_deployment",
        "region",
        "files",
        "sensitive_values",
        "ignores",
        "notes",
        "notices",
    }
)
_DEPLOYMENT_KEPT = frozenset(
    {
        "key",
        "model",
        "provider",
        "region",
        "network_mode",
        "network_mode_source",
        "register_command",
        "identifications",
        "identified",
        "siblings",
        "primary",
    }
)


def _defaults(cls: type[Any], kept: frozenset[str]) -> dict[str, Any]:
    """The default of every field of a dataclass not in `kept`."""
    reset: dict[str, Any] = {}
    for each in fields(cls):
        if each.name in kept or not each.init:
            continue
        if each.default_factory is not MISSING:
            reset[each.name] = each.default_factory()
        else:
            reset[each.name] = each.default
    return reset


def slimmed(judgement: Judgement) -> Judgement:
    """The judgement with its model's resources and its deployments' parts let go."""
    light = replace(judgement.model, **_defaults(CloudModel, _MODEL_KEPT))
    deployments = [
        replace(deployment, model=light, **_defaults(Deployment, _DEPLOYMENT_KEPT))
        for deployment in judgement.deployments
    ]
    return Judgement(light, deployments, judgement.results, judgement.internal, judgement.notices)
