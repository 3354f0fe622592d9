"""The raw Google API responses one audit read, in the REST API's JSON shapes (camelCase,
enum names): what the builder reads.

Each value is the response data, or a Fault saying the resource is absent or could not be
read. Tests build these from the fake's recorded-shape JSON without any endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from anyscale_lint.sources.live.faults import Fault

Data = Any  # a REST response (dict or list of items), or a Fault


@dataclass
class Read:
    """One resource read by name: its data and, for those that have one, its IAM policy."""

    # What was asked for: the flag's value (a name, an email, a full resource name).
    name: str
    data: Data = None
    policy: Data = None


@dataclass
class GcpCollected:
    """Everything read from one project and region."""

    project_id: str
    region: str
    # Where the network and firewall policies live: the shared VPC host project, else the
    # project.
    network_project: str
    # The register flags given (documented spelling -> value), for identification.
    flags: dict[str, str] = field(default_factory=dict)
    project: Data = None
    project_policy: Data = None
    network: Read | None = None
    # Every subnetwork of the region (the builder keeps the network's).
    subnetworks: Data = field(default_factory=list)
    firewall_policies: list[Read] = field(default_factory=list)
    # Classic VPC firewalls of the network project (the builder keeps the network's).
    firewalls: Data = field(default_factory=list)
    buckets: list[Read] = field(default_factory=list)
    service_accounts: list[Read] = field(default_factory=list)
    pools: list[Read] = field(default_factory=list)
    providers: list[Read] = field(default_factory=list)
    filestores: list[Read] = field(default_factory=list)
    memorystores: list[Read] = field(default_factory=list)
    # What the flags name that does not exist (name -> error code), for notices.
    missing: dict[str, str] = field(default_factory=dict)
    # What was asked but could not be read at all, and why (for notices).
    notes: list[str] = field(default_factory=list)
    # (subject, fault) of every read that failed: collection errors (CORE-003).
    faults: list[tuple[str, Fault]] = field(default_factory=list)
    calls: int = 0
