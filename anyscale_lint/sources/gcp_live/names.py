"""Resource names: the keys of the live GCP model and the subjects of collection errors.

Keys are the APIs' relative resource names (`projects/p/global/networks/n`); Compute Engine
answers with self links (`https://www.googleapis.com/compute/v1/projects/...`), which are
turned into the same names so that links hold the linked resource's key.
"""

from __future__ import annotations

import re

_SELF_LINK = re.compile(r"^https://[^/]+/compute/(?:v1|beta|alpha)/")
_SA_DOMAIN = re.compile(
    r"^[^@]+@(?P<project>[a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$"
)


def relative(link: str) -> str:
    """A Compute Engine self link as a relative resource name (other names unchanged)."""
    return _SELF_LINK.sub("", link)


def last(name: str) -> str:
    """The last segment of a name or self link (`.../networks/vpc` -> `vpc`)."""
    return name.rstrip("/").rsplit("/", 1)[-1]


def segment(name: str, index: int) -> str:
    """One segment of a resource name (`projects/p/locations/l/...`, 3 -> `l`)."""
    parts = name.split("/")
    return parts[index] if len(parts) > index else ""


def project_key(project: str) -> str:
    return f"projects/{project}"


def network_key(project: str, network: str) -> str:
    return f"projects/{project}/global/networks/{network}"


def subnetwork_key(project: str, region: str, subnet: str) -> str:
    return f"projects/{project}/regions/{region}/subnetworks/{subnet}"


def policy_key(project: str, name: str, region: str | None = None) -> str:
    where = f"regions/{region}" if region else "global"
    return f"projects/{project}/{where}/firewallPolicies/{name}"


def firewall_key(project: str, name: str) -> str:
    return f"projects/{project}/global/firewalls/{name}"


def bucket_key(bucket: str) -> str:
    return f"projects/_/buckets/{bucket}"


def pool_of(provider: str) -> str:
    """The pool of a provider's full name (the CLI's `(.*)/providers/.*`)."""
    return provider.rsplit("/providers/", 1)[0]


def service_account_key(email: str) -> str:
    """`projects/P/serviceAccounts/EMAIL`; `-` (any project, as the API takes it) when the
    email does not say its project (a default service account)."""
    match = _SA_DOMAIN.match(email)
    return f"projects/{match.group('project') if match else '-'}/serviceAccounts/{email}"
