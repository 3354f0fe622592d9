"""What identifying a deployment's parts shares across providers: the options, the record
of one part (what was chosen, how, what else fit), ranking candidates, and the facts a
register command states (networking mode, region).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from anyscale_lint.model import (
    CloudModel,
    Deployment,
    Identification,
    NetworkMode,
    RegisterCommand,
    Resource,
    Unknown,
    is_known,
)
from anyscale_lint.providers.aws import ANYSCALE_ACCOUNT_ID

R = TypeVar("R", bound=Resource)


@dataclass(frozen=True)
class IdentifyOptions:
    """Inputs to identification and to the networking mode."""

    anyscale_account_id: str = ANYSCALE_ACCOUNT_ID
    network_mode: str | None = None
    network_mode_source: str = ""
    # Explicit mapping from the config: part -> resource address(es).
    mapping: dict[str, Any] = field(default_factory=dict)
    # Mappings of the root's deployments one by one (`<root>#<label>` keys of the config's
    # `deployments`): each is a deployment of its own, keyed so.
    split_mappings: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Found(Generic[R]):
    """One part: the resources chosen, how they were found, and what else fit equally."""

    part: str
    chosen: tuple[R, ...]
    method: str
    considered: tuple[str, ...] = ()

    @property
    def one(self) -> R | None:
        """The chosen resource of a single-resource part."""
        return self.chosen[0] if self.chosen else None

    def note(self) -> Identification:
        """The record the report shows."""
        resource = self.chosen[0].address if len(self.chosen) == 1 else None
        return Identification(self.part, resource, self.method, self.considered)


def ranked(
    part: str, candidates: Sequence[R], rank: Callable[[R], tuple[bool, ...]], method: str
) -> Found[R]:
    """The best-ranked candidate; others of the same rank are named as equally fitting."""
    ordered = sorted(candidates, key=lambda c: (rank(c), c.key))
    best = [c for c in ordered if rank(c) == rank(ordered[0])]
    if len(best) > 1:
        others = tuple(c.address for c in best[1:])
        shown = ", ".join(c.address for c in best)
        method += f" (ambiguous: {len(best)} fit equally: {shown}; map one in the config)"
        return Found(part, (best[0],), method, others)
    return Found(part, (ordered[0],), method)


def not_found(part: str, tried: str) -> Found[Any]:
    return Found(part, (), f"not identified: {tried}")


def mode_of_command(command: RegisterCommand) -> tuple[NetworkMode, str]:
    """The networking mode a register command or resource file asks for, and where it says so."""
    private = "private-network" in command.flags
    where = command.output_name or command.source or "the register command"
    source = f"register command ({where}) {'has' if private else 'lacks'} --private-network"
    return ("private" if private else "public"), source


def register_region(command: RegisterCommand | None, model: CloudModel) -> str | Unknown | None:
    """The register command's --region, else the provider's region."""
    given = command.flags.get("region") if command else None
    if isinstance(given, str) and given and is_known(given):
        return given
    return model.region


def mark_shared(deployments: list[Deployment], report: bool) -> None:
    """Record, on each deployment of one root, the others and the resources they share."""
    for number, deployment in enumerate(deployments):
        others = [d for d in deployments if d is not deployment]
        theirs = {key for other in others for key in other.member_keys()}
        deployment.siblings = tuple(d.key for d in others)
        deployment.sibling_members = frozenset(theirs)
        deployment.shared = tuple(
            sorted(
                resource.address
                for resource in deployment.model.resources.values()
                if report and resource.key in deployment.member_keys() & theirs
            )
        )
        deployment.primary = number == 0
