"""The `anyscale cloud register` command and resource file a deployment implies.

Each value is a literal when the code fixes it, else `$(terraform output -raw NAME)` read after
apply, else a marked placeholder with the output to add (readiness/planner.py); the flags are
those of the deployment's provider (readiness/plan_aws.py, readiness/plan_gcp.py).
"""

from __future__ import annotations

from anyscale_lint.model import Deployment
from anyscale_lint.readiness.model import RegisterPlan
from anyscale_lint.readiness.plan_aws import aws_values
from anyscale_lint.readiness.plan_gcp import gcp_values
from anyscale_lint.readiness.planner import Planner
from anyscale_lint.readiness.resource_file import (
    render_command,
    resource_file,
    resource_file_script,
)


def plan(deployment: Deployment) -> RegisterPlan:
    """The register command and resource file for one deployment."""
    planner = Planner(deployment)
    values = gcp_values(planner) if deployment.provider == "gcp" else aws_values(planner)
    values = [planner.guarded(value) for value in values]
    return RegisterPlan(
        tuple(values),
        render_command(values),
        resource_file(values, deployment),
        resource_file_script(values, deployment),
        tuple(dict.fromkeys(planner.outputs_to_add)),
    )
