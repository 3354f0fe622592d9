"""Live AWS source: read an account read-only and build the model (boto3 imported lazily)."""

from __future__ import annotations

from collections.abc import Sequence

from anyscale_lint.model import CloudModel, ParseError
from anyscale_lint.sources.aws_live.builder import build_model
from anyscale_lint.sources.aws_live.collected import Collected
from anyscale_lint.sources.aws_live.collector import Collector, Targets
from anyscale_lint.sources.aws_live.faults import classify
from anyscale_lint.sources.aws_live.progress import PHASES, Progress, Silent, label
from anyscale_lint.sources.aws_live.session import (
    SERVICES,
    Caller,
    Connection,
    SessionError,
    make_client,
    open_session,
)
from anyscale_lint.sources.live.audit import Audit, stopped

__all__ = ["Audit", "Connection", "Targets", "audit"]


def _account(caller: Caller, root: str) -> str | ParseError:
    identity = caller.call("sts", "GetCallerIdentity", "caller identity")
    if isinstance(identity, dict):
        return str(identity["Account"])
    return ParseError(root, None, identity.reason(), kind="collection")


def _stopped(root: str, region: str, message: str, calls: int, progress: Progress) -> Audit:
    """An audit that ended before the collector ran."""
    model = CloudModel(root=root, source_kind="aws_live", rule_source="live", region=region)
    return stopped(model, message, PHASES, progress, calls)


def audit_one(
    connection: Connection,
    region: str,
    targets: Targets,
    workers: int = 8,
    progress: Progress | None = None,
) -> Audit:
    """Collect one account and region and build its model (raises MissingBoto3)."""
    progress = progress or Silent()
    who = connection.role_arn or connection.profile or "default-credentials"
    root = f"aws://{who}/{region}"
    try:
        session, secrets = open_session(connection, region)
    except SessionError as error:
        return _stopped(root, region, str(error), 0, progress)
    try:
        clients = {name: make_client(session, name, region, connection) for name in SERVICES}
    except Exception as error:  # an unknown region or endpoint: botocore raises many classes
        fault = classify(error, "create clients", secrets)
        return _stopped(root, region, fault.reason(), 0, progress)
    caller = Caller(clients, secrets, progress.call)
    account = _account(caller, root)
    if isinstance(account, ParseError):
        return _stopped(account.path, region, account.message, caller.calls, progress)
    progress.phase(label(PHASES[0], region))
    data = Collected(account, region, flags=dict(targets.flags))
    collected = Collector(caller, data, targets, workers, progress).run()
    model, errors = build_model(collected)
    return Audit(model, errors, collected.calls)


def audit(
    connections: Sequence[Connection],
    regions: Sequence[str],
    targets: Targets,
    workers: int = 8,
    progress: Progress | None = None,
) -> list[Audit]:
    """Every account (connection) in every region: each a deployment of the report."""
    progress = progress or Silent()
    progress.start(len(connections) * len(regions) * len(PHASES))
    return [
        audit_one(connection, region, targets, workers, progress)
        for connection in connections
        for region in regions
    ]
