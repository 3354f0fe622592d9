"""Live AWS source: read an account read-only and build the model (boto3 imported lazily)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from anyscale_lint.model import CloudModel, ParseError
from anyscale_lint.sources.aws_live.builder import build_model
from anyscale_lint.sources.aws_live.collected import Collected
from anyscale_lint.sources.aws_live.collector import Collector, Targets
from anyscale_lint.sources.aws_live.faults import classify
from anyscale_lint.sources.aws_live.session import (
    SERVICES,
    Caller,
    Connection,
    SessionError,
    make_client,
    open_session,
)

__all__ = ["Audit", "Connection", "Targets", "audit"]


@dataclass
class Audit:
    """One account and region: its model, what could not be collected, how many calls."""

    model: CloudModel
    errors: list[ParseError]
    calls: int


def _account(caller: Caller, root: str) -> str | ParseError:
    identity = caller.call("sts", "GetCallerIdentity", "caller identity")
    if isinstance(identity, dict):
        return str(identity["Account"])
    return ParseError(root, None, identity.reason(), kind="collection")


def audit_one(
    connection: Connection,
    region: str,
    targets: Targets,
    workers: int = 8,
    on_call: Callable[[], None] = lambda: None,
) -> Audit:
    """Collect one account and region and build its model (raises MissingBoto3)."""
    label = connection.role_arn or connection.profile or "default-credentials"
    try:
        session, secrets = open_session(connection, region)
    except SessionError as error:
        root = f"aws://{label}/{region}"
        model = CloudModel(root=root, source_kind="aws_live", region=region)
        return Audit(model, [ParseError(root, None, str(error), kind="collection")], 0)
    try:
        clients = {name: make_client(session, name, region, connection) for name in SERVICES}
    except Exception as error:  # an unknown region or endpoint: botocore raises many classes
        fault = classify(error, "create clients", secrets)
        root = f"aws://{label}/{region}"
        model = CloudModel(root=root, source_kind="aws_live", region=region)
        return Audit(model, [ParseError(root, None, fault.reason(), kind="collection")], 0)
    caller = Caller(clients, secrets, on_call)
    account = _account(caller, f"aws://{label}/{region}")
    if isinstance(account, ParseError):
        model = CloudModel(root=account.path, source_kind="aws_live", region=region)
        return Audit(model, [account], caller.calls)
    data = Collected(account, region, flags=dict(targets.flags))
    collected = Collector(caller, data, targets, workers).run()
    model, errors = build_model(collected)
    return Audit(model, errors, collected.calls)


def audit(
    connections: Sequence[Connection],
    regions: Sequence[str],
    targets: Targets,
    workers: int = 8,
    on_call: Callable[[], None] = lambda: None,
) -> list[Audit]:
    """Every account (connection) in every region: each a deployment of the report."""
    return [
        audit_one(connection, region, targets, workers, on_call)
        for connection in connections
        for region in regions
    ]
