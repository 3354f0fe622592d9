"""Read what the rules need from one project and region, on a bounded thread pool.

One request per named resource (and one for its IAM policy), one paged list for the
region's subnetworks and for the network project's classic firewalls. Parts the flags do not
name are looked for only when no flag names a part (discovery.py), as the AWS audit does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from anyscale_lint.sources.gcp_live import discovery, names
from anyscale_lint.sources.gcp_live.caller import Caller
from anyscale_lint.sources.gcp_live.collected import GcpCollected, Read
from anyscale_lint.sources.gcp_live.targets import GcpTargets
from anyscale_lint.sources.live.faults import Fault
from anyscale_lint.sources.live.progress import Progress, Silent, run_phases

PHASES = (
    "project",
    "network",
    # Service accounts and their IAM policies, workload identity pools and providers.
    "IAM",
    "Cloud Storage",
    "Filestore",
    "Memorystore",
)


class Collector:
    """One audit of one project and region."""

    def __init__(
        self,
        caller: Caller,
        data: GcpCollected,
        targets: GcpTargets,
        workers: int,
        progress: Progress | None = None,
    ) -> None:
        self.caller = caller
        self.data = data
        self.targets = targets
        self.workers = workers
        self.progress = progress or Silent()

    def run(self) -> GcpCollected:
        """Discover what is not named (when nothing is), then read every part in parallel."""
        targets, data = self.targets, self.data
        emails = targets.emails()
        providers = [p for p in [targets.one("provider-name")] if p]
        buckets = targets.buckets()
        filestores = [f for f in [targets.filestore()] if f]
        memorystores = [m for m in [targets.memorystore()] if m]
        if targets.one("file-storage-id") and not filestores:
            data.notes.append(
                f"--file-storage-id {targets.one('file-storage-id')} needs --filestore-location "
                "(or the full projects/.../locations/.../instances/ID name): Filestore not read"
            )
        if targets.discovers:
            find = discovery.Discovery(self.caller, targets)
            emails = find.service_accounts()
            providers = find.providers()
            buckets = find.buckets()
            filestores = find.filestores()
            memorystores = find.memorystores()
        data.service_accounts = [Read(e) for e in emails]
        data.providers = [Read(p) for p in providers]
        data.pools = [Read(p) for p in dict.fromkeys(names.pool_of(p) for p in providers)]
        data.buckets = [Read(b) for b in buckets]
        data.filestores = [Read(f) for f in filestores]
        data.memorystores = [Read(m) for m in memorystores]
        phases: dict[str, list[Callable[[], None]]] = {
            "project": [self._project],
            "network": self._network(),
            "IAM": [
                *(partial(self._service_account, r) for r in data.service_accounts),
                *(partial(self._provider, r) for r in data.providers),
                *(partial(self._pool, r) for r in data.pools),
            ],
            "Cloud Storage": [partial(self._bucket, r) for r in data.buckets],
            "Filestore": [partial(self._get, "file", r) for r in data.filestores],
            "Memorystore": [partial(self._get, "redis", r) for r in data.memorystores],
        }
        run_phases(phases, data.region, self.workers, self.progress)
        data.faults = list(self.caller.faults)
        data.calls = self.caller.calls
        return data

    def _call(self, operation: str, subject: str, /, **params: Any) -> Any:
        return self.caller.call(operation, subject, **params)

    def _missing(self, read: Read, found: Any) -> None:
        if isinstance(found, Fault) and found.missing:
            self.data.missing[read.name] = found.code

    # ---- project -------------------------------------------------------------------------

    def _project(self) -> None:
        key = names.project_key(self.targets.project)
        self.data.project = self._call("cloudresourcemanager.projects.get", key, name=key)
        self.data.project_policy = self._call(
            "cloudresourcemanager.projects.getIamPolicy", key, name=key
        )

    # ---- network -------------------------------------------------------------------------

    def _network(self) -> list[Callable[[], None]]:
        targets, data = self.targets, self.data
        project, region = targets.network_project, targets.region
        vpc = targets.one("vpc-name")
        jobs: list[Callable[[], None]] = []
        if vpc:
            data.network = Read(vpc)
            jobs += [self._vpc, self._firewalls]
        if vpc or targets.ids("subnet-names"):
            jobs.append(self._subnetworks)
        named = targets.ids("firewall-policy-names")
        if named:
            data.firewall_policies = [Read(name) for name in dict.fromkeys(named)]
            jobs += [partial(self._policy, read) for read in data.firewall_policies]
        elif vpc:
            jobs.append(partial(self._associated_policies, project, region, vpc))
        return jobs

    def _vpc(self) -> None:
        assert self.data.network is not None
        read, project = self.data.network, self.targets.network_project
        key = names.network_key(project, read.name)
        read.data = self._call("compute.networks.get", key, project=project, network=read.name)
        self._missing(read, read.data)

    def _subnetworks(self) -> None:
        project, region = self.targets.network_project, self.targets.region
        subject = f"projects/{project}/regions/{region}/subnetworks"
        self.data.subnetworks = self.caller.pages(
            "compute.subnetworks.list", "items", subject, project=project, region=region
        )

    def _firewalls(self) -> None:
        project = self.targets.network_project
        self.data.firewalls = self.caller.pages(
            "compute.firewalls.list",
            "items",
            f"projects/{project}/global/firewalls",
            project=project,
        )

    def _policy(self, read: Read) -> None:
        """A named policy: global, else regional in the cloud's region (as the CLI looks)."""
        project, region = self.targets.network_project, self.targets.region
        found = self._call(
            "compute.networkFirewallPolicies.get",
            names.policy_key(project, read.name),
            project=project,
            name=read.name,
        )
        if isinstance(found, Fault) and found.missing:
            found = self._call(
                "compute.regionNetworkFirewallPolicies.get",
                names.policy_key(project, read.name, region),
                project=project,
                region=region,
                name=read.name,
            )
        read.data = found
        self._missing(read, found)

    def _associated_policies(self, project: str, region: str, vpc: str) -> None:
        """No policy named: those associated with the VPC, global and regional."""
        network = names.network_key(project, vpc)
        for method, params in (
            ("compute.networkFirewallPolicies.list", {"project": project}),
            ("compute.regionNetworkFirewallPolicies.list", {"project": project, "region": region}),
        ):
            listed = self.caller.pages(method, "items", f"firewall policies of {network}", **params)
            # A failed list is a collection error (CORE-003): the policy part is then not found.
            for policy in listed if isinstance(listed, list) else []:
                attached = [
                    names.relative(str(a.get("attachmentTarget", "")))
                    for a in policy.get("associations", [])
                ]
                if network in attached:
                    self.data.firewall_policies.append(Read(str(policy["name"]), policy))

    # ---- IAM -----------------------------------------------------------------------------

    def _service_account(self, read: Read) -> None:
        key = names.service_account_key(read.name)
        read.data = self._call("iam.projects.serviceAccounts.get", key, name=key)
        self._missing(read, read.data)
        if isinstance(read.data, Fault) and read.data.missing:
            return
        read.policy = self._call("iam.projects.serviceAccounts.getIamPolicy", key, name=key)

    def _provider(self, read: Read) -> None:
        read.data = self._call(
            "iam.projects.locations.workloadIdentityPools.providers.get", read.name, name=read.name
        )
        self._missing(read, read.data)

    def _pool(self, read: Read) -> None:
        read.data = self._call(
            "iam.projects.locations.workloadIdentityPools.get", read.name, name=read.name
        )
        self._missing(read, read.data)

    # ---- Cloud Storage, Filestore, Memorystore -------------------------------------------

    def _bucket(self, read: Read) -> None:
        key = names.bucket_key(read.name)
        read.data = self._call("storage.buckets.get", key, name=read.name)
        self._missing(read, read.data)
        if isinstance(read.data, Fault) and read.data.missing:
            return
        read.policy = self._call("storage.buckets.getIamPolicy", key, name=read.name)

    def _get(self, service: str, read: Read) -> None:
        method = f"{service}.projects.locations.instances.get"
        read.data = self._call(method, read.name, name=read.name)
        self._missing(read, read.data)
