"""A Mermaid flowchart of a GCP deployment: the project, the VPC network with its subnets by
region (node and proxy-only), the firewall policy, the service accounts, the workload identity
pool and provider Anyscale's AWS account federates through, the bucket, Filestore and
Memorystore. Required parts that were not found are dashed nodes."""

from __future__ import annotations

from anyscale_lint.engine.gcp_values import member_pool, names_account, names_network, pool_grants
from anyscale_lint.formatters.mermaid_common import Diagram, text
from anyscale_lint.model import (
    Deployment,
    GcpNetwork,
    GcpParts,
    GcpServiceAccount,
    GcpSubnetwork,
    is_known,
)
from anyscale_lint.providers.gcp import INPUTS_BY_KEY, PROXY_ONLY_PURPOSE


def _known(value: object) -> str | None:
    return value if isinstance(value, str) and value and is_known(value) else None


class _GcpDiagram(Diagram):
    def __init__(self, deployment: Deployment, failing: set[str], account: str) -> None:
        super().__init__(failing)
        self.deployment = deployment
        self.gcp = deployment.gcp or GcpParts()
        self.account = account
        self.node_subnet: str | None = None
        # Written after the subgraphs: an edge inside a subgraph block may pull a node into it.
        self.edges: list[str] = []

    def render(self) -> str:
        gcp = self.gcp
        project = _known(gcp.project_id) or "ID not known"
        host = _known(gcp.host_project_id)
        in_host = host is not None and host != project and self.network_project() in (None, host)
        if in_host:
            # Shared VPC: the network and its firewall policy live in the host project.
            self.lines.append(f'  subgraph host["host project {text(host)} (shared VPC)"]')
            self.network(indent=2)
            self.lines.append("  end")
        self.lines.append(f'  subgraph project["project {text(project)}"]')
        if not in_host:
            self.network(indent=2)
            if host is not None and host != project:
                # The code creates the network here, yet registers another project's.
                self.node(f"host:{host}", f"host project {host} (--host-project-id)", "([])", 2)
        accounts = self.accounts()
        self.storage(accounts)
        self.services()
        self.lines.append("  end")
        self.federation(accounts[0])
        self.lines += [f"  {edge}" for edge in self.edges]
        return self.finish()

    def missing_input(self, key: str, indent: int) -> str:
        """A dashed node for a required part not found, named as the checklist names it."""
        spec = INPUTS_BY_KEY[key]
        return self.missing(f"{spec.label} (--{spec.flag})", indent)

    def network_project(self) -> str | None:
        """The project the code creates the network in, when it says."""
        network = self.gcp.network
        return _known(network.project) if network is not None else None

    def network(self, indent: int) -> None:
        pad = "  " * indent
        network = self.gcp.network
        if network is None:
            self.missing_input("vpc", indent)
            self.subnets(None, indent)
            self.policies(indent)
            return
        name = _known(network.network_name) or ""
        self.lines.append(f'{pad}subgraph vpc["VPC network {text(network.address)} {text(name)}"]')
        self.subnets(network, indent + 1)
        self.policies(indent + 1)
        self.lines.append(f"{pad}end")

    def subnets(self, network: GcpNetwork | None, indent: int) -> None:
        """The network's subnets by region: node subnets, proxy-only subnets, others."""
        pad = "  " * indent
        members = [
            s
            for s in self.deployment.model.of_kind(GcpSubnetwork)
            if s in self.gcp.subnets
            or s in self.gcp.proxy_subnets
            or (network is not None and names_network(s.network, network))
        ]
        if not self.gcp.subnets:
            self.missing_input("subnets", indent)
        regions: dict[str, list[GcpSubnetwork]] = {}
        for subnet in members:
            regions.setdefault(_known(subnet.region) or "region unknown", []).append(subnet)
        for number, (region, subnets) in enumerate(sorted(regions.items())):
            self.lines.append(f'{pad}subgraph region{number}["{text(region)}"]')
            for subnet in subnets:
                if subnet in self.gcp.subnets:
                    kind = "node subnet"
                elif subnet.purpose == PROXY_ONLY_PURPOSE:
                    kind = "proxy-only subnet"
                else:
                    kind = "other subnet"
                cidr = _known(subnet.ip_cidr_range) or ""
                node = self.node(
                    subnet, f"{kind}<br/>{subnet.address}<br/>{cidr}", indent=indent + 1
                )
                if subnet in self.gcp.subnets[:1]:
                    self.node_subnet = node
            self.lines.append(f"{pad}end")

    def policies(self, indent: int) -> None:
        if not self.gcp.firewall_policies:
            self.missing_input("firewall_policies", indent)
        for policy in self.gcp.firewall_policies:
            self.node(policy, f"firewall policy<br/>{policy.address}", "{{}}", indent)
        for firewall in self.gcp.firewalls:
            label = (
                f"classic firewall (Anyscale's verifier reads policies only)<br/>{firewall.address}"
            )
            self.node(firewall, label, "{{}}", indent)

    def accounts(self) -> tuple[str, str]:
        gcp = self.gcp
        found = (
            ("anyscale_service_account", gcp.access_service_account),
            ("instance_service_account", gcp.node_service_account),
        )
        ids = []
        for key, account in found:
            if account is None:
                ids.append(self.missing_input(key, 2))
            else:
                label = f"{INPUTS_BY_KEY[key].label}<br/>{account.address}"
                email = _known(account.email) or ""
                ids.append(self.node(account, f"{label}<br/>{email}", indent=2))
        if self.node_subnet is not None and gcp.node_service_account is not None:
            self.edges.append(f"{ids[1]} -- runs Ray nodes in --> {self.node_subnet}")
        return ids[0], ids[1]

    def storage(self, accounts: tuple[str, str]) -> None:
        bucket = self.gcp.bucket
        if bucket is None:
            self.missing_input("bucket", 2)
            return
        name = _known(bucket.bucket_name) or ""
        bucket_id = self.node(bucket, f"GCS bucket<br/>{bucket.address}<br/>{name}", "[()]", 2)
        present = (self.gcp.access_service_account, self.gcp.node_service_account)
        for account_id, account in zip(accounts, present, strict=True):
            if account is not None:
                self.edges.append(f"{account_id} -. reads/writes .-> {bucket_id}")

    def services(self) -> None:
        gcp = self.gcp
        network = gcp.network
        if gcp.filestore is not None:
            filestore = gcp.filestore
            fs_id = self.node(filestore, f"Filestore<br/>{filestore.address}", "[()]", 2)
            networks = () if not isinstance(filestore.networks, tuple) else filestore.networks
            self.attach(fs_id, list(networks), network)
        if gcp.memorystore is not None:
            redis = gcp.memorystore
            redis_id = self.node(redis, f"Memorystore<br/>{redis.address}", "[()]", 2)
            self.attach(redis_id, [redis.authorized_network], network)

    def attach(self, node_id: str, links: list[object], network: GcpNetwork | None) -> None:
        """Edges from a service to the networks it is attached to: the VPC, or another one."""
        for link in links:
            if network is not None and names_network(link, network):
                self.edges.append(f"vpc --- {node_id}")
            elif _known(link):
                other = self.node(f"network:{link}", f"network {link}", "([])", 2)
                self.edges.append(f"{other} --- {node_id}")

    def federation(self, access_id: str) -> None:
        """Anyscale's AWS account -> the provider it federates through -> the access account."""
        gcp = self.gcp
        anyscale = self.node(
            "anyscale", f"Anyscale control plane<br/>AWS account {self.account}", "(())"
        )
        provider = gcp.identity_provider
        if provider is None:
            missing = self.missing_input("provider_name", 1)
            self.edges.append(f"{anyscale} -.- {missing}")
            return
        pool = gcp.pool
        if pool is not None:
            pool_name = _known(pool.pool_id) or ""
            self.lines.append(
                f'  subgraph pool["workload identity pool {text(pool.address)} {text(pool_name)}"]'
            )
            provider_id = self.node(provider, f"provider<br/>{provider.address}", indent=2)
            self.lines.append("  end")
        else:
            provider_id = self.node(provider, f"workload identity provider<br/>{provider.address}")
        trusted = _known(provider.aws_account_id)
        if trusted == self.account:
            self.edges.append(f"{anyscale} -- federates --> {provider_id}")
        elif trusted is not None:
            other = self.node(f"aws:{trusted}", f"AWS account {trusted}", "(())")
            self.edges.append(f"{other} -- federates --> {provider_id}")
        if self.impersonates(gcp.access_service_account):
            source = "pool" if pool is not None else provider_id
            self.edges.append(f"{source} -- impersonates --> {access_id}")

    def impersonates(self, account: GcpServiceAccount | None) -> bool:
        """Whether the account's own IAM lets the identified pool's principals act as it."""
        model = self.deployment.model
        if account is None or self.gcp.pool is None:
            return False
        return any(
            names_account(grant.target, account) and member_pool(model, member) == self.gcp.pool
            for grant, member in pool_grants(model)
        )


def gcp_diagram(deployment: Deployment, failing: set[str], account: str) -> str:
    """Mermaid source for a GCP deployment, failing parts in the `fail` class and marked ❌."""
    return _GcpDiagram(deployment, failing, account).render()
