"""Credentials and connection settings of a live GCP audit (Google packages imported lazily).

Application Default Credentials (`gcloud auth application-default login`, a service account
key, the metadata server), optionally impersonating `--impersonate-service-account`, always
wrapped in the read-only guard (guard.py).

For tests only, `ANYSCALE_LINT_GCP_ENDPOINT=http://127.0.0.1:PORT` sends every API call to a
local fake (each service under its own path: `/compute`, `/resourcemanager`, `/storage`,
`/iam`, `/file`, `/redis`) with anonymous credentials. It is never set by default, and a run
using it says so in its notices.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from anyscale_lint.sources.live.audit import MissingExtra, SessionError
from anyscale_lint.sources.live.faults import scrub

ENDPOINT_ENV = "ANYSCALE_LINT_GCP_ENDPOINT"
SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)
# The packages of the `gcp` extra, by the module each is imported as.
MODULES = (
    "google.auth",
    "google.api_core",
    "google.cloud.compute_v1",
    "google.cloud.resourcemanager_v3",
    "google.cloud.storage",
    "google.cloud.filestore_v1",
    "google.cloud.redis_v1",
)


class MissingGoogle(MissingExtra):
    """The Google Cloud client libraries are not installed (the `gcp` extra)."""


def check_google() -> None:
    """Raise MissingGoogle, naming the extra, unless every client library imports."""
    import importlib

    for module in MODULES:
        try:
            importlib.import_module(module)
        except ImportError:
            raise MissingGoogle(
                f"anyscale-lint live --provider gcp needs the Google Cloud client libraries "
                f"({module} is missing): pip install 'anyscale-lint[gcp]'"
            ) from None


@dataclass(frozen=True)
class GcpConnection:
    """How to reach Google: whom to impersonate, retries, timeouts (and the tests' fake)."""

    impersonate_service_account: str | None = None
    max_attempts: int = 5
    timeout: float = 20.0
    # Tests only (ANYSCALE_LINT_GCP_ENDPOINT): the base URL of a local fake.
    endpoint: str | None = None


def endpoint_from_env() -> str | None:
    """The tests' fake, when ANYSCALE_LINT_GCP_ENDPOINT is set."""
    return os.environ.get(ENDPOINT_ENV, "").rstrip("/") or None


def open_credentials(connection: GcpConnection) -> Any:
    """Read-only credentials for the audit (raises SessionError when none can be taken)."""
    from google.auth.credentials import AnonymousCredentials

    from anyscale_lint.sources.gcp_live.guard import ReadOnlyCredentials

    if connection.endpoint:
        # A local fake takes no credentials (and none are looked up).
        return ReadOnlyCredentials(AnonymousCredentials())  # type: ignore[no-untyped-call]
    import google.auth
    from google.auth import exceptions, impersonated_credentials
    from google.auth.transport.requests import Request

    credentials: Any = None
    try:
        credentials, _ = google.auth.default(scopes=list(SCOPES))
        if connection.impersonate_service_account:
            credentials = impersonated_credentials.Credentials(  # type: ignore[no-untyped-call]
                source_credentials=credentials,
                target_principal=connection.impersonate_service_account,
                target_scopes=list(SCOPES),
            )
        # Taken up front, as the AWS audit assumes its role: one clear error, not one per call.
        credentials.refresh(Request())
    except exceptions.DefaultCredentialsError:
        raise SessionError(
            "no Google credentials found (run `gcloud auth application-default login`, or set "
            "GOOGLE_APPLICATION_CREDENTIALS)"
        ) from None
    except exceptions.GoogleAuthError as error:
        who = connection.impersonate_service_account
        what = f"impersonating {who}" if who else "refreshing the default credentials"
        token = getattr(credentials, "token", None)
        raise SessionError(
            f"{what} failed: {scrub(str(error), frozenset({token} if token else ()))}"
        ) from None
    return ReadOnlyCredentials(credentials)
