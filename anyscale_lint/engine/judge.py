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
from dataclasses import dataclass, field, replace

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


def slimmed(judgement: Judgement) -> Judgement:
    """The judgement with its model's resources and its deployments' parts let go."""
    model = judgement.model
    light = CloudModel(
        root=model.root,
        source_kind=model.source_kind,
        holds_network=model.holds_network,
        judge_all_resources=model.judge_all_resources,
        rule_source=model.rule_source,
        ids_assigned_at_apply=model.ids_assigned_at_apply,
        single_account=model.single_account,
        one_deployment=model.one_deployment,
        region=model.region,
        files=model.files,
        sensitive_values=model.sensitive_values,
        ignores=model.ignores,
        notes=model.notes,
        notices=model.notices,
    )
    deployments = [
        replace(
            deployment,
            model=light,
            gcp=None,
            control_plane_role=None,
            instance_role=None,
            instance_profile=None,
            bucket=None,
            vpc=None,
            subnets=(),
            security_groups=(),
            efs=None,
            memorydb=None,
            given_register=None,
            utility_subnets=(),
            trust={},
        )
        for deployment in judgement.deployments
    ]
    return Judgement(light, deployments, judgement.results, judgement.internal, judgement.notices)
