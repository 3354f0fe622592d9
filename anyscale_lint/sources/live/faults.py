"""What a failed cloud call means: a resource that is absent (a fact the rules judge) or a
read that failed (a collection error, CORE-003), with every secret scrubbed from the text.

Each provider's source classifies its own SDK's exceptions into a `Fault`; the codes below
are spelled as each API spells them (AWS error codes, Google RPC statuses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anyscale_lint.model import Unknown

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
        "RESOURCE_EXHAUSTED",
    }
)
DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "AuthorizationError",
        "PERMISSION_DENIED",
        "UNAUTHENTICATED",
    }
)

# Access key IDs, the query parameters of presigned URLs (signature, credential, token), and
# Google OAuth access tokens and bearer headers.
_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b")
_SIGNED_QUERY = re.compile(r"\?[^\s'\"]*X-Amz-[^\s'\"]*", re.IGNORECASE)
_OAUTH_TOKEN = re.compile(r"\bya29\.[\w.\-]+")
_BEARER = re.compile(r"\b(Bearer)\s+[\w.\-~+/]+=*", re.IGNORECASE)


@dataclass(frozen=True)
class Fault:
    """A call that returned no data: `missing` (the resource is absent) or `failed`."""

    kind: str
    action: str
    code: str
    message: str

    @property
    def missing(self) -> bool:
        """True when the resource (or the optional configuration) does not exist."""
        return self.kind == "missing"

    def reason(self) -> str:
        """Why the value is not known, for Unknown values and CORE-003."""
        if self.code in DENIED_CODES:
            return f"access denied calling {self.action} ({self.code})"
        if self.code in THROTTLING_CODES:
            return f"{self.action} still throttled after retries ({self.code})"
        if self.code == "timeout":
            return f"{self.action} timed out or could not connect ({self.message})"
        return f"{self.action} failed ({self.code}: {self.message})"


def short(text: str) -> str:
    """One line of at most 200 characters; an HTML error page becomes its title."""
    title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        text = title.group(1)
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."


def scrub(text: str, secrets: frozenset[str] = frozenset()) -> str:
    """The text without credentials, session tokens or signed URL parameters."""
    text = short(text)
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, "(redacted)")
    text = _SIGNED_QUERY.sub("?(signed query redacted)", text)
    text = _OAUTH_TOKEN.sub("(access token redacted)", text)
    text = _BEARER.sub(r"\1 (redacted)", text)
    return _KEY_ID.sub("(access key redacted)", text)


def transport_fault(
    error: BaseException, action: str, secrets: frozenset[str] = frozenset()
) -> Fault:
    """The fault of an error that carries no API response: a timeout, a refused connection
    (SDKs raise many unrelated classes; their names say which), or anything else."""
    name = type(error).__name__
    if "Timeout" in name or "Connect" in name or "Endpoint" in name:
        return Fault("failed", action, "timeout", scrub(f"{name}: {error}", secrets))
    return Fault("failed", action, name, scrub(str(error), secrets))


def failed_read(fault: Fault, what: str) -> Unknown:
    """The Unknown a failed read leaves on the value it was to give."""
    return Unknown(fault.action, f"{fault.reason()} reading {what}")
