"""What in a root points at an Anyscale deployment, and which roles may be its control plane.

A deployment is identified from evidence, never from its correctness (ARCHITECTURE.md, "The
deployment"): a control-plane role that trusts a mistyped or foreign account is still the
control-plane role, so the trust rule can fail on it. The evidence, per role:

- definite: its trust names Anyscale's account or an account one slip away from it, or an
  output named or described after `--anyscale-iam-role-id` holds it;
- supported: it is cross-account (an AWS account may assume it) and either its name or tags
  say anyscale, or it requires an `sts:ExternalId` while something else in the root points at
  Anyscale (outputs for register flags, resources named for anyscale);
- weak: cross-account with an `sts:ExternalId` and nothing else. Other vendors' integration
  roles have that shape too, so such a root is reported as possibly a deployment, not judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from anyscale_lint.engine.register_values import (
    RESOURCE_FLAGS,
    anything_matching,
    items,
    matching,
    read_value,
)
from anyscale_lint.iam.accounts import looks_like_typo
from anyscale_lint.iam.roles import is_cross_account, requires_external_id, trusted_accounts
from anyscale_lint.model import (
    CloudModel,
    Deployment,
    IamRole,
    OutputValue,
    RegisterCommand,
    Resource,
)
from anyscale_lint.providers.aws import AWS_INPUTS, INPUTS_BY_KEY
from anyscale_lint.providers.inputs import RegisterInput

Strength = Literal["definite", "supported", "weak"]
_ORDER: dict[Strength, int] = {"definite": 0, "supported": 1, "weak": 2}
# Words in an output's name that only Anyscale's register flags use: `vpc_id` or `subnet_ids`
# alone are what every network module outputs, so they count only when described as a flag.
_DISTINCTIVE = ("anyscale", "iam-role", "cloud-storage")


def mentions_anyscale(resource: Resource) -> bool:
    """Whether the resource's address, name or tags say `anyscale`."""
    name = resource.name if isinstance(resource.name, str) else ""
    texts = [resource.address, name, *resource.tags.keys(), *resource.tags.values()]
    return any("anyscale" in text.lower() for text in texts)


@dataclass(frozen=True)
class FlagOutput:
    """A root output whose name or description corresponds to a register flag."""

    spec: RegisterInput
    output: OutputValue
    how: str


def _corresponds(output: OutputValue, spec: RegisterInput) -> str | None:
    """How the output corresponds to the flag (its name or its description), if it does."""
    name = output.name.lower().replace("_", "-")
    if spec.output_name and output.name == spec.output_name:
        return "its name"
    if any(flag in name for flag in spec.flags if any(w in flag for w in _DISTINCTIVE)):
        return "its name"
    description = output.description.lower()
    # A one-word flag (`--name`) counts only with its dashes; `subnet-ids` is a flag as written.
    if any(
        f"--{flag}" in description or ("-" in flag and flag in description) for flag in spec.flags
    ):
        return "its description"
    return None


def flag_outputs(model: CloudModel) -> list[FlagOutput]:
    """Root outputs named or described after register flags (`anyscale_iam_role_arn`,
    "for --subnet-ids")."""
    found = []
    for output in model.outputs:
        if not output.in_root:
            continue
        for spec in AWS_INPUTS:
            how = _corresponds(output, spec)
            if how is not None:
                found.append(FlagOutput(spec, output, how))
    return found


@dataclass(frozen=True)
class RoleEvidence:
    """Why a role may be a control-plane role, and how strongly."""

    role: IamRole
    strength: Strength
    reasons: tuple[str, ...]

    @property
    def method(self) -> str:
        """The reasons, for the identification record."""
        return "; ".join(self.reasons)


def _output_roles(model: CloudModel) -> dict[str, str]:
    """Role keys named by outputs for `--anyscale-iam-role-id` -> which output."""
    named: dict[str, str] = {}
    spec = INPUTS_BY_KEY["control-plane-role"]
    for found in flag_outputs(model):
        if found.spec is not spec:
            continue
        for item in items(found.output.value):
            for role in matching(model, IamRole, item):
                named.setdefault(
                    role.key,
                    f"output {found.output.name} ({found.how} names --{spec.flag}) holds it",
                )
    return named


def _account_reasons(role: IamRole, account: str) -> Iterator[str]:
    for trusted in trusted_accounts(role):
        if trusted == account:
            yield f"its trust policy trusts Anyscale's account {account}"
        elif looks_like_typo(trusted, account):
            yield (
                f"its trust policy trusts account {trusted}, which looks like a typo of "
                f"Anyscale's account {account}"
            )


def root_signs(model: CloudModel) -> list[str]:
    """What in the root, besides roles' shape, says Anyscale."""
    signs = [f"output {f.output.name} is for --{f.spec.flag}" for f in flag_outputs(model)]
    signs += [
        f"{r.address} is named for anyscale"
        for r in model.of_kind(Resource)
        if mentions_anyscale(r)
    ]
    return signs


def control_plane_candidates(model: CloudModel, account: str) -> list[RoleEvidence]:
    """Every role evidence points at as a control-plane role, strongest first."""
    by_output = _output_roles(model)
    signs = bool(root_signs(model))
    candidates = []
    for role in model.of_kind(IamRole):
        definite = [*_account_reasons(role, account)]
        if role.key in by_output:
            definite.append(by_output[role.key])
        shaped = is_cross_account(role)
        supporting = []
        if shaped and mentions_anyscale(role):
            supporting.append("an AWS account may assume it and its name or tags say anyscale")
        if shaped and requires_external_id(role):
            supporting.append("an AWS account may assume it with an sts:ExternalId")
        if definite:
            candidates.append(RoleEvidence(role, "definite", (*definite, *supporting)))
        elif supporting and (signs or mentions_anyscale(role)):
            candidates.append(RoleEvidence(role, "supported", tuple(supporting)))
        elif supporting:
            candidates.append(RoleEvidence(role, "weak", tuple(supporting)))
    return sorted(
        candidates, key=lambda c: (_ORDER[c.strength], not mentions_anyscale(c.role), c.role.key)
    )


def named_members(deployment: Deployment, command: RegisterCommand) -> int:
    """How many of a command's resource values name a part of this deployment: which of a
    root's deployments a hand-written command is about."""
    members = deployment.member_keys()
    count = 0
    for kind in RESOURCE_FLAGS:
        written = command.flags.get(kind.flag)
        if written is None:
            continue
        for item in items(read_value(deployment.model, written).value):
            named = anything_matching(deployment.model, item)
            count += any(resource.key in members for resource in named)
    return count
