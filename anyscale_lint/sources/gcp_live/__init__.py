"""Live GCP source: read a project read-only and build the model (Google clients imported
lazily, once `check_google` found the `gcp` extra)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from anyscale_lint.model import CloudModel
from anyscale_lint.sources.gcp_live.builder import SOURCE_KIND, build_model, model_root
from anyscale_lint.sources.gcp_live.caller import Caller
from anyscale_lint.sources.gcp_live.collected import GcpCollected
from anyscale_lint.sources.gcp_live.collector import PHASES, Collector
from anyscale_lint.sources.gcp_live.faults import classify
from anyscale_lint.sources.gcp_live.session import (
    GcpConnection,
    MissingGoogle,
    check_google,
    open_credentials,
)
from anyscale_lint.sources.gcp_live.targets import GcpTargets
from anyscale_lint.sources.live.audit import Audit, SessionError, stopped
from anyscale_lint.sources.live.progress import Progress, Silent

__all__ = ["GcpConnection", "GcpTargets", "MissingGoogle", "audit", "audit_one"]


def _token(credentials: Any) -> frozenset[str]:
    """The access token in use, scrubbed from any error text that might echo it."""
    token = getattr(credentials, "token", None)
    return frozenset({token}) if isinstance(token, str) and token else frozenset()


def audit_one(
    connection: GcpConnection,
    targets: GcpTargets,
    workers: int = 8,
    progress: Progress | None = None,
) -> Audit:
    """Collect one project and region and build its model (raises MissingGoogle)."""
    check_google()
    from anyscale_lint.sources.gcp_live.clients import Clients, readers

    progress = progress or Silent()
    model = CloudModel(
        root=model_root(targets.project, targets.region),
        source_kind=SOURCE_KIND,
        rule_source="live",
        region=targets.region,
    )
    try:
        credentials = open_credentials(connection)
    except SessionError as error:
        return stopped(model, str(error), PHASES, progress)
    try:
        clients = Clients(credentials, connection, targets.project)
    except Exception as error:  # a malformed endpoint or option: the libraries raise many
        return stopped(model, classify(error, "create clients").reason(), PHASES, progress)
    caller = Caller(
        readers(clients), progress.call, connection.max_attempts, lambda: _token(credentials)
    )
    data = GcpCollected(
        targets.project, targets.region, targets.network_project, flags=dict(targets.flags)
    )
    collected = Collector(caller, data, targets, workers, progress).run()
    built, errors = build_model(collected)
    return Audit(built, errors, collected.calls)


def audit(
    connection: GcpConnection,
    flags: dict[str, str],
    regions: Sequence[str],
    workers: int = 8,
    progress: Progress | None = None,
) -> list[Audit]:
    """The project in every region: each a deployment of the report."""
    progress = progress or Silent()
    progress.start(len(regions) * len(PHASES))
    return [
        audit_one(connection, GcpTargets(flags, region), workers, progress) for region in regions
    ]
