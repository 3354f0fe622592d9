"""Which botocore errors mean an absent resource and which a failed read (the Fault and the
scrubbing of secrets are shared with the GCP source: sources/live/faults.py)."""

from __future__ import annotations

from anyscale_lint.sources.live.faults import Fault, scrub, transport_fault

__all__ = ["MISSING_CODES", "Fault", "classify", "scrub"]

# Error codes that say "this does not exist": not a collection error.
MISSING_CODES = frozenset(
    {
        "NoSuchEntity",
        "NoSuchBucket",
        "NoSuchBucketPolicy",
        "NoSuchCORSConfiguration",
        "NoSuchPublicAccessBlockConfiguration",
        "NoSuchTagSet",
        "NoSuchTagSetError",
        "InvalidVpcID.NotFound",
        "InvalidSubnetID.NotFound",
        "InvalidGroup.NotFound",
        "InvalidNetworkInterfaceID.NotFound",
        "FileSystemNotFound",
        "PolicyNotFound",
        "ClusterNotFoundFault",
        "SubnetGroupNotFoundFault",
        "ParameterGroupNotFoundFault",
    }
)


def classify(error: BaseException, action: str, secrets: frozenset[str] = frozenset()) -> Fault:
    """The fault a botocore exception stands for."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        details = response.get("Error") or {}
        code = str(details.get("Code") or "Unknown")
        message = scrub(str(details.get("Message") or ""), secrets)
        kind = "missing" if code in MISSING_CODES else "failed"
        return Fault(kind, action, code, message)
    return transport_fault(error, action, secrets)
