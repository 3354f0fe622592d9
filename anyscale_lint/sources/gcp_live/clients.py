"""The Google clients of one audit, and one reader per API method of the table.

Each reader makes exactly one request (one page of a list: the caller walks the pages) and
returns the REST API's JSON shape (camelCase, enum names), whichever client made it: GAPIC
REST clients (Compute, Resource Manager, Filestore, Memorystore), Cloud Storage's client,
and google-auth's AuthorizedSession for IAM's service accounts and workload identity pools
(no client library covers the pools). Every client sends its requests with the same
read-only credentials. Imported only once the `gcp` extra is known to be installed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import google.cloud.storage as storage
from google.api_core import exceptions as api_exceptions
from google.auth.transport.requests import AuthorizedSession
from google.cloud import compute_v1, filestore_v1, redis_v1, resourcemanager_v3
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

from anyscale_lint.sources.gcp_live.session import GcpConnection

Reader = Callable[..., dict[str, Any]]
IAM_HOST = "https://iam.googleapis.com"
POLICY_VERSION = 3  # conditional bindings are returned only to version 3 readers


def as_json(message: Any) -> dict[str, Any]:
    """A response message (proto-plus or protobuf) in the REST API's JSON shape."""
    raw = message if isinstance(message, Message) else type(message).pb(message)
    found: dict[str, Any] = MessageToDict(raw)
    return found


def first_page(pager: Any) -> dict[str, Any]:
    """The page a GAPIC list call fetched (iterating `.pages` further would fetch more)."""
    return as_json(next(iter(pager.pages)))


class Clients:
    """One client per service, all with the audit's read-only credentials."""

    def __init__(self, credentials: Any, connection: GcpConnection, project: str) -> None:
        endpoint = connection.endpoint

        def options(service: str) -> dict[str, str] | None:
            return {"api_endpoint": f"{endpoint}/{service}"} if endpoint else None

        def gapic(cls: Any, service: str) -> Any:
            return cls(credentials=credentials, transport="rest", client_options=options(service))

        self.rpc: dict[str, Any] = {"retry": None, "timeout": connection.timeout}
        self.timeout = connection.timeout
        self.projects = gapic(resourcemanager_v3.ProjectsClient, "resourcemanager")
        self.networks = gapic(compute_v1.NetworksClient, "compute")
        self.subnetworks = gapic(compute_v1.SubnetworksClient, "compute")
        self.policies = gapic(compute_v1.NetworkFirewallPoliciesClient, "compute")
        self.regional_policies = gapic(compute_v1.RegionNetworkFirewallPoliciesClient, "compute")
        self.firewalls = gapic(compute_v1.FirewallsClient, "compute")
        self.filestore = gapic(filestore_v1.CloudFilestoreManagerClient, "file")
        self.redis = gapic(redis_v1.CloudRedisClient, "redis")
        self.storage = storage.Client(
            project=project, credentials=credentials, client_options=options("storage")
        )
        # With OpenTelemetry installed, recent versions fetch bucket metadata for their traces
        # on background threads: requests the audit would neither count nor wait for.
        self.storage._bucket_metadata_cache = None
        self.session = AuthorizedSession(credentials)  # type: ignore[no-untyped-call]
        self.iam_host = f"{endpoint}/iam" if endpoint else IAM_HOST

    # ---- IAM over REST ---------------------------------------------------------------------

    def iam(self, path: str, page_token: str = "", post: bool = False) -> dict[str, Any]:
        """One IAM API request (v1); an error status raises api-core's exception for it."""
        url = f"{self.iam_host}/v1/{path}"
        if post:
            body = {"options": {"requestedPolicyVersion": POLICY_VERSION}}
            response = self.session.post(url, json=body, timeout=self.timeout)
        else:
            params = {"pageToken": page_token} if page_token else None
            response = self.session.get(url, params=params, timeout=self.timeout)
        if response.status_code >= 400:
            raise api_exceptions.from_http_response(response)  # type: ignore[no-untyped-call]
        found: dict[str, Any] = response.json()
        return found

    # ---- Cloud Storage ---------------------------------------------------------------------

    def bucket(self, name: str) -> dict[str, Any]:
        """A bucket's metadata, CORS and access settings."""
        return bucket_json(self.storage.get_bucket(name, **self.rpc))

    def bucket_policy(self, name: str) -> dict[str, Any]:
        """A bucket's IAM policy (version 3)."""
        policy = self.storage.bucket(name).get_iam_policy(
            requested_policy_version=POLICY_VERSION, **self.rpc
        )
        found: dict[str, Any] = policy.to_api_repr()
        return found

    def buckets(self, project: str, page_token: str = "") -> dict[str, Any]:
        """One page of the project's buckets."""
        listed = self.storage.list_buckets(
            project=project, page_token=page_token or None, **self.rpc
        )
        page = next(listed.pages)
        found = {"items": [bucket_json(b) for b in page]}
        if listed.next_page_token:
            found["nextPageToken"] = listed.next_page_token
        return found


def bucket_json(bucket: Any) -> dict[str, Any]:
    """The fields of a bucket the model reads, in the JSON API's shape."""
    access = bucket.iam_configuration
    return {
        "name": bucket.name,
        "location": bucket.location,
        "locationType": bucket.location_type,
        "labels": dict(bucket.labels or {}),
        "cors": list(bucket.cors or []),
        "iamConfiguration": {
            "uniformBucketLevelAccess": {
                "enabled": bool(access.uniform_bucket_level_access_enabled)
            },
            "publicAccessPrevention": access.public_access_prevention,
        },
    }


def readers(c: Clients) -> dict[str, Reader]:
    """One reader per API method of the table (operations.py); a test keeps them equal."""
    rpc = c.rpc

    def page(method: Callable[..., Any], **request: Any) -> Callable[..., dict[str, Any]]:
        def read(page_token: str = "", **params: Any) -> dict[str, Any]:
            token = {"page_token": page_token} if page_token else {}
            return first_page(method(request={**request, **params, **token}, **rpc))

        return read

    return {
        "cloudresourcemanager.projects.get": lambda name: as_json(
            c.projects.get_project(name=name, **rpc)
        ),
        "cloudresourcemanager.projects.getIamPolicy": lambda name: as_json(
            c.projects.get_iam_policy(
                request={"resource": name, "options": {"requested_policy_version": POLICY_VERSION}},
                **rpc,
            )
        ),
        "compute.networks.get": lambda project, network: as_json(
            c.networks.get(project=project, network=network, **rpc)
        ),
        "compute.subnetworks.list": page(c.subnetworks.list),
        "compute.networkFirewallPolicies.get": lambda project, name: as_json(
            c.policies.get(project=project, firewall_policy=name, **rpc)
        ),
        "compute.networkFirewallPolicies.list": page(c.policies.list),
        "compute.regionNetworkFirewallPolicies.get": lambda project, region, name: as_json(
            c.regional_policies.get(project=project, region=region, firewall_policy=name, **rpc)
        ),
        "compute.regionNetworkFirewallPolicies.list": page(c.regional_policies.list),
        "compute.firewalls.list": page(c.firewalls.list),
        "storage.buckets.get": c.bucket,
        "storage.buckets.getIamPolicy": c.bucket_policy,
        "storage.buckets.list": c.buckets,
        "iam.projects.serviceAccounts.get": lambda name: c.iam(name),
        "iam.projects.serviceAccounts.list": lambda project, page_token="": c.iam(
            f"projects/{project}/serviceAccounts", page_token
        ),
        "iam.projects.serviceAccounts.getIamPolicy": lambda name: c.iam(
            f"{name}:getIamPolicy", post=True
        ),
        "iam.projects.locations.workloadIdentityPools.get": lambda name: c.iam(name),
        "iam.projects.locations.workloadIdentityPools.list": lambda project, page_token="": c.iam(
            f"projects/{project}/locations/global/workloadIdentityPools", page_token
        ),
        "iam.projects.locations.workloadIdentityPools.providers.get": lambda name: c.iam(name),
        "iam.projects.locations.workloadIdentityPools.providers.list": (
            lambda pool, page_token="": c.iam(f"{pool}/providers", page_token)
        ),
        "file.projects.locations.instances.get": lambda name: as_json(
            c.filestore.get_instance(name=name, **rpc)
        ),
        "file.projects.locations.instances.list": page(c.filestore.list_instances),
        "redis.projects.locations.instances.get": lambda name: as_json(
            c.redis.get_instance(name=name, **rpc)
        ),
        "redis.projects.locations.instances.list": page(c.redis.list_instances),
    }
