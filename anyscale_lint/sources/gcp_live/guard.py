"""The read-only guard: the credentials every Google client sends requests with.

Every client of the collector (the GAPIC REST clients, Cloud Storage's client, the IAM REST
session) sends each request through google-auth's `AuthorizedSession`, which asks its
credentials to `before_request` first. These credentials refuse, before anything is sent,
any request that is not a GET or the POST of a `:getIamPolicy` method (Google's IAM
policies are read with POST), so no write can reach Google whatever the collector asks.
Imported only once the `gcp` extra is known to be installed (it subclasses google-auth).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from google.auth import credentials as google_credentials

from anyscale_lint.sources.live.audit import ReadOnlyViolation

READ_VERBS = frozenset({"GET", "HEAD"})
READ_POSTS = (":getIamPolicy",)


def is_read_request(method: str, url: str) -> bool:
    """Whether an HTTP request only reads."""
    verb = method.upper()
    if verb in READ_VERBS:
        return True
    return verb == "POST" and urlsplit(url).path.endswith(READ_POSTS)


class ReadOnlyCredentials(google_credentials.Credentials):
    """Wraps the audit's credentials: reads pass (authorized as the wrapped ones), the rest
    raise ReadOnlyViolation."""

    def __init__(self, inner: Any) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._inner = inner

    def before_request(self, request: Any, method: str, url: str, headers: Any) -> None:
        if not is_read_request(method, url):
            path = urlsplit(url).path
            raise ReadOnlyViolation(
                f"anyscale-lint live is read-only: refused {method.upper()} {path} "
                "before sending it"
            )
        self._inner.before_request(request, method, url, headers)

    def refresh(self, request: Any) -> None:
        self._inner.refresh(request)

    def apply(self, headers: Any, token: str | None = None) -> None:
        self._inner.apply(headers, token=token)

    @property
    def token(self) -> Any:
        return getattr(self._inner, "token", None)

    @token.setter
    def token(self, value: Any) -> None:
        # google-auth's base class assigns it in __init__; the wrapped credentials keep theirs.
        pass

    @property
    def valid(self) -> bool:
        return bool(self._inner.valid)

    @property
    def expired(self) -> bool:
        return bool(self._inner.expired)

    @property
    def quota_project_id(self) -> Any:
        return getattr(self._inner, "quota_project_id", None)

    @property
    def universe_domain(self) -> Any:
        return getattr(self._inner, "universe_domain", "googleapis.com")
