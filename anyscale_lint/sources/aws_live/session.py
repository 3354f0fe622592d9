"""AWS clients for the live collector: boto3 imported here only, every client read-only.

Each client carries a botocore `before-call` hook that raises before a request is built for
any operation that is not a Describe/Get/List (or the `--role-arn` AssumeRole), so no write
can reach AWS whatever the collector asks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anyscale_lint.sources.aws_live.faults import classify
from anyscale_lint.sources.aws_live.operations import BY_NAME, is_read_only
from anyscale_lint.sources.live.audit import (
    CallLog,
    MissingExtra,
    ReadOnlyViolation,
    SessionError,
)

__all__ = [
    "SERVICES",
    "Caller",
    "Connection",
    "MissingBoto3",
    "ReadOnlyViolation",
    "SessionError",
    "boto3_module",
    "make_client",
    "open_session",
]

SERVICES = ("sts", "iam", "s3", "ec2", "efs", "memorydb")


class MissingBoto3(MissingExtra):
    """boto3 is not installed (the `aws` extra)."""


@dataclass(frozen=True)
class Connection:
    """How to reach one account: credentials, endpoint, retries."""

    profile: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    endpoint_url: str | None = None
    max_attempts: int = 5
    timeout: float = 20.0


def refuse_writes(model: Any, **_: Any) -> None:
    """botocore `before-call` handler: only reads (and AssumeRole) may proceed."""
    service = model.service_model.service_name
    if not is_read_only(service, model.name):
        raise ReadOnlyViolation(
            f"anyscale-lint live is read-only: refused {service}:{model.name} before sending it"
        )


def boto3_module() -> Any:
    """boto3, or MissingBoto3 saying which extra to install."""
    try:
        import boto3
    except ImportError:
        raise MissingBoto3(
            "anyscale-lint live needs boto3: pip install 'anyscale-lint[aws]'"
        ) from None
    return boto3


def _config(connection: Connection) -> Any:
    from botocore.config import Config

    return Config(
        retries={"mode": "adaptive", "total_max_attempts": connection.max_attempts},
        connect_timeout=connection.timeout,
        read_timeout=connection.timeout,
        max_pool_connections=16,
        user_agent_extra="anyscale-lint",
    )


def make_client(session: Any, service: str, region: str, connection: Connection) -> Any:
    """A client with the read-only guard registered."""
    client = session.client(
        service,
        region_name=region,
        endpoint_url=connection.endpoint_url,
        config=_config(connection),
    )
    client.meta.events.register("before-call", refuse_writes)
    return client


def open_session(connection: Connection, region: str) -> tuple[Any, frozenset[str]]:
    """A boto3 session for the connection (assuming the role when asked) and its secrets."""
    boto3 = boto3_module()
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        session = boto3.Session(profile_name=connection.profile)
        if connection.role_arn:
            sts = make_client(session, "sts", region, connection)
            params: dict[str, Any] = {
                "RoleArn": connection.role_arn,
                "RoleSessionName": "anyscale-lint",
            }
            if connection.external_id:
                params["ExternalId"] = connection.external_id
            credentials = sts.assume_role(**params)["Credentials"]
            session = boto3.Session(
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"],
                aws_session_token=credentials["SessionToken"],
            )
        found = session.get_credentials()
    except (BotoCoreError, ClientError) as error:
        fault = classify(error, "sts:AssumeRole" if connection.role_arn else "credentials")
        raise SessionError(fault.reason()) from None
    if found is None:
        raise SessionError(
            "no AWS credentials found (environment, --profile, or the default profile)"
        )
    frozen = found.get_frozen_credentials()
    secrets = frozenset(s for s in (frozen.access_key, frozen.secret_key, frozen.token) if s)
    return session, secrets


class Caller(CallLog):
    """Calls table operations on read-only clients; failures become Faults, calls are counted."""

    def __init__(
        self, clients: dict[str, Any], secrets: frozenset[str], on_call: Callable[[], None]
    ) -> None:
        super().__init__(on_call)
        self._clients = clients
        self._secrets = secrets

    def call(self, service: str, operation: str, subject: str, **params: Any) -> Any:
        """The response dict, or a Fault (a failed read is also recorded for CORE-003)."""
        op = BY_NAME[(service, operation)]
        from botocore import xform_name

        self.count()
        try:
            response: dict[str, Any] = getattr(self._clients[service], xform_name(operation))(
                **params
            )
        except ReadOnlyViolation:
            raise
        except Exception as error:  # botocore raises many unrelated classes
            return self.fault(subject, classify(error, op.action, self._secrets))
        return response

    def pages(self, service: str, operation: str, key: str, subject: str, **params: Any) -> Any:
        """Every item under `key` across pages, or a Fault."""
        op = BY_NAME[(service, operation)]
        from botocore import xform_name

        paginator = self._clients[service].get_paginator(xform_name(operation))
        items: list[Any] = []
        try:
            for page in paginator.paginate(**params):
                self.count()
                items += page.get(key, [])
        except ReadOnlyViolation:
            raise
        except Exception as error:
            return self.fault(subject, classify(error, op.action, self._secrets))
        return items
