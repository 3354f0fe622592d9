"""A Mermaid flowchart of one deployment. AWS: VPC, subnets by AZ, gateways, group, bucket, roles;
GCP: formatters/mermaid_gcp.py."""

from __future__ import annotations

# FAIL_CLASS is part of this module's interface (tests find failing nodes by it).
from anyscale_lint.formatters.mermaid_common import FAIL_CLASS, Diagram, text
from anyscale_lint.formatters.mermaid_gcp import gcp_diagram
from anyscale_lint.model import (
    Deployment,
    InternetGateway,
    NatGateway,
    RoleTrust,
    Subnet,
    is_known,
)

__all__ = ["FAIL_CLASS", "diagram"]


class _Diagram(Diagram):
    def __init__(self, deployment: Deployment, failing: set[str], account: str) -> None:
        super().__init__(failing)
        self.deployment = deployment
        self.account = account

    def network(self) -> None:
        d = self.deployment
        vpc = d.vpc
        if vpc is None:
            return
        model = d.model
        subnets = [s for s in model.of_kind(Subnet) if s.vpc == vpc.key or s in d.subnets]
        utility = {s.key for s in d.utility_subnets}
        cidr = vpc.cidr_block if is_known(vpc.cidr_block) else "CIDR unknown"
        self.lines.append(f'  subgraph vpc["VPC {text(vpc.address)} {text(cidr)}"]')
        zones: dict[str, list[Subnet]] = {}
        for subnet in subnets:
            zone = subnet.availability_zone
            known = zone if isinstance(zone, str) and is_known(zone) else "AZ unknown"
            zones.setdefault(known, []).append(subnet)
        for number, (zone, members) in enumerate(sorted(zones.items())):
            self.lines.append(f'    subgraph az{number}["{text(zone)}"]')
            for subnet in members:
                if subnet in d.subnets:
                    kind = "node subnet (public)" if d.network_mode == "public" else "node subnet"
                else:
                    kind = "public utility subnet" if subnet.key in utility else "other subnet"
                cidr = subnet.cidr_block if is_known(subnet.cidr_block) else ""
                self.node(subnet, f"{kind}<br/>{subnet.address}<br/>{cidr}", indent=3)
            self.lines.append("    end")
        for group in d.security_groups:
            self.node(group, f"security group<br/>{group.address}", "{{}}", indent=2)
        self.lines.append("  end")
        self.gateways(subnets)

    def gateways(self, subnets: list[Subnet]) -> None:
        vpc = self.deployment.vpc
        model = self.deployment.model
        for gateway in model.of_kind(InternetGateway):
            if vpc is not None and gateway.vpc == vpc.key:
                gateway_id = self.node(gateway, f"Internet gateway<br/>{gateway.address}", "([])")
                self.lines.append(f"  vpc --- {gateway_id}")
        keys = {s.key: s for s in subnets}
        for nat in model.of_kind(NatGateway):
            host = keys.get(str(nat.subnet))
            if host is None:
                continue
            nat_id = self.node(nat, f"NAT gateway<br/>{nat.address}", "([])")
            self.lines.append(f"  {self.ids[host.address]} --- {nat_id}")

    def identities(self) -> None:
        d = self.deployment
        anyscale = self.node(
            "anyscale", f"Anyscale control plane<br/>account {self.account}", "(())"
        )
        ec2 = self.node("ec2", "ec2.amazonaws.com", "(())")
        bucket_id = None
        if d.bucket is not None:
            bucket_id = self.node(d.bucket, f"S3 bucket<br/>{d.bucket.address}", "[()]")
        for part, role in d.roles():
            role_id = self.node(role, f"{part}<br/>{role.address}")
            trust = d.trust.get(role.key, RoleTrust())
            if self.account in trust.accounts:
                self.lines.append(f"  {anyscale} -- assumes --> {role_id}")
            if trust.services:
                self.lines.append(f"  {ec2} -- assumes --> {role_id}")
            if bucket_id is not None:
                self.lines.append(f"  {role_id} -. reads/writes .-> {bucket_id}")

    def render(self) -> str:
        self.network()
        self.identities()
        return self.finish()


def diagram(deployment: Deployment, failing: set[str], account: str) -> str:
    """Mermaid source for the deployment, failing parts in the `fail` class and marked ❌."""
    if deployment.provider == "gcp":
        return gcp_diagram(deployment, failing, account)
    return _Diagram(deployment, failing, account).render()
