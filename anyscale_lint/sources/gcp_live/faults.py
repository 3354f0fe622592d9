"""Which Google API errors mean an absent resource and which a failed read.

google-api-core raises one exception class per HTTP status (`Forbidden`, `NotFound`, ...)
carrying the status code and Google's message; the Fault is spelled with the RPC status
(`PERMISSION_DENIED`), as Google's error bodies spell it. Read by duck typing, so this module
imports no Google package.
"""

from __future__ import annotations

import re

from anyscale_lint.sources.live.faults import Fault, scrub, transport_fault

STATUS_BY_HTTP = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
# Worth another attempt: throttled, briefly unavailable, timed out.
TRANSIENT = frozenset(
    {"RESOURCE_EXHAUSTED", "UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED", "timeout"}
)
# api-core prefixes the message with the request (`GET https://...: `): the call is named
# by the Fault's action already.
_REQUEST_PREFIX = re.compile(r"^[A-Z]+ \S+: ")


def classify(error: BaseException, action: str, secrets: frozenset[str] = frozenset()) -> Fault:
    """The fault a google-api-core exception (or a transport error) stands for."""
    code = getattr(error, "code", None)
    if isinstance(code, int) and hasattr(error, "message"):
        grpc_status = getattr(error, "grpc_status_code", None)
        status = getattr(grpc_status, "name", None) or STATUS_BY_HTTP.get(code, f"HTTP {code}")
        message = scrub(_REQUEST_PREFIX.sub("", str(error.message)), secrets)
        kind = "missing" if status == "NOT_FOUND" else "failed"
        return Fault(kind, action, status, message)
    return transport_fault(error, action, secrets)
