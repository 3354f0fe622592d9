"""Run the selected rules over every deployment and collect their results."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from anyscale_lint.engine.context import CheckContext, IgnoreProblem, Settings
from anyscale_lint.engine.findings import Result
from anyscale_lint.engine.registry import ENGINE_PHASES, CheckFunction, RuleMeta
from anyscale_lint.model import CloudModel, Deployment, ParseError


@dataclass
class RuleSelection:
    """Which rules run, at which severity, with which parameters."""

    rules: list[tuple[RuleMeta, CheckFunction]]
    severities: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)

    def context(self, meta: RuleMeta, deployment: Deployment, settings: Settings) -> CheckContext:
        """A fresh context for one rule on one deployment."""
        parameters = {**meta.parameter_defaults(), **self.parameters.get(meta.id, {})}
        return CheckContext(
            meta,
            self.severities.get(meta.id, meta.severity),
            deployment,
            settings,
            parameters,
            severity_overridden=meta.id in self.severities,
        )


def run_checks(
    selection: RuleSelection,
    deployments: Sequence[Deployment],
    errors_by_model: dict[int, list[ParseError]],
    settings: Settings,
    *,
    inputs: bool | None = None,
) -> tuple[list[Result], list[ParseError]]:
    """Results of every deployment rule and of CORE-001; internal errors kept apart.

    `inputs` True runs only the rules about the inputs (CORE-001), False all the others,
    None both.
    """
    results: list[Result] = []
    internal: list[ParseError] = []
    for meta, check in selection.rules:
        phase = ENGINE_PHASES.get(meta.id)
        if phase == "suppressions" or (inputs is not None and (phase == "inputs") != inputs):
            continue
        for deployment in deployments:
            if meta.provider is not None and meta.provider != deployment.provider:
                # Another provider's rule has nothing to say here: no result at all, so a GCP
                # root does not list every AWS rule as not evaluated (and vice versa).
                continue
            ctx = selection.context(meta, deployment, settings)
            inapplicable = not_applicable(meta, deployment.model)
            if phase == "inputs":
                # A root's inputs are reported once, by its first deployment.
                ctx.errors = (
                    errors_by_model.get(id(deployment.model), []) if deployment.primary else []
                )
            elif inapplicable is not None:
                ctx.not_evaluated(deployment.key, inapplicable)
                results.extend(ctx.results)
                continue
            elif (
                meta.scope == "deployment"
                and not deployment.identified
                and not ctx.judges_everything
                # Policy files were named by the user: their rules judge what the files hold
                # and say themselves which part they could not find.
                and not deployment.model.judge_all_resources
            ):
                ctx.not_evaluated(
                    deployment.key, "no Anyscale deployment was identified in this root"
                )
                results.extend(ctx.results)
                continue
            try:
                check(ctx)
            except Exception as error:
                detail = "".join(traceback.format_exception_only(type(error), error)).strip()
                internal.append(
                    ParseError(
                        deployment.key,
                        None,
                        f"internal error in {meta.id}: {detail}",
                        kind="internal",
                    )
                )
                continue
            results.extend(ctx.results)
    return results, internal


_INPUT_NAMES = {"terraform": "Terraform", "iam_json": "IAM policy JSON", "live": "live state"}
# Why a kind of input gives a rule nothing to judge, where more can be said than its name.
_INPUT_LIMITS = {
    "iam_json": (
        "IAM policy JSON files hold policies only (no VPC, subnets, security groups, bucket "
        "settings, instance profiles or register command)"
    ),
}


def not_applicable(meta: RuleMeta, model: CloudModel) -> str | None:
    """Why the rule does not judge this kind of input (rules/*.yaml `sources`), or None."""
    source = model.rule_source
    if source in meta.sources:
        return None
    name = _INPUT_NAMES.get(source, source)
    why = _INPUT_LIMITS.get(source, f"the inputs are {name}")
    judged = " and ".join(_INPUT_NAMES.get(s, s) for s in meta.sources)
    return f"Not evaluated: {why}; {meta.id} judges {judged}."


def run_suppression_rules(
    selection: RuleSelection,
    problems: list[IgnoreProblem],
    deployment: Deployment,
    settings: Settings,
) -> list[Result]:
    """CORE-002 and any other rule that judges ignores after the others ran."""
    results: list[Result] = []
    for meta, check in selection.rules:
        if ENGINE_PHASES.get(meta.id) != "suppressions":
            continue
        ctx = selection.context(meta, deployment, settings)
        ctx.ignore_problems = problems
        check(ctx)
        results.extend(ctx.results)
    return results


def empty_deployment(root: str) -> Deployment:
    """A deployment holding nothing, for results about the inputs as a whole."""
    # Not an Anyscale deployment: deployment rules report not-evaluated here, never "missing".
    model = CloudModel(root=root, source_kind="inputs")
    return Deployment(key=root, model=model, identified=False)
