"""The network part of a live GCP model: the VPC network, its subnetworks in the region, its
network firewall policies (rules and associations) and its classic firewalls."""

from __future__ import annotations

from typing import Any, Protocol

from anyscale_lint.model import (
    CloudModel,
    CloudRef,
    FirewallRule,
    GcpFirewall,
    GcpFirewallPolicy,
    GcpNetwork,
    GcpSubnetwork,
    Unknown,
)
from anyscale_lint.sources.gcp_live import names
from anyscale_lint.sources.gcp_live.collected import GcpCollected, Read
from anyscale_lint.sources.live.faults import Fault, failed_read


class Ref(Protocol):
    """Makes the origin of a live resource: its key, console page kind and path, project."""

    def __call__(
        self, key: str, kind: str, parts: tuple[str, ...] = (), project: str | None = None
    ) -> CloudRef: ...


def network_link(model: CloudModel, value: str) -> str:
    """A link to a network (a self link, a relative name, a bare name): the network's key
    when it is in the model, else the value as written."""
    key = names.relative(value)
    if key in model.resources:
        return key
    if "/" not in value:
        by_name = [n.key for n in model.of_kind(GcpNetwork) if n.network_name == value]
        if len(by_name) == 1:
            return by_name[0]
    return value


class NetworkBuilder:
    """Adds the network resources of one project's and region's responses to the model."""

    def __init__(self, data: GcpCollected, model: CloudModel, ref: Ref) -> None:
        self.data = data
        self.model = model
        self.ref = ref
        self.project = data.network_project
        self.network = names.network_key(self.project, data.network.name) if data.network else None

    def link(self, value: str) -> str:
        """A link to a network, as `network_link` makes it."""
        return network_link(self.model, value)

    def build(self) -> None:
        """Every network resource of the responses, added to the model."""
        if self.data.network is not None:
            self._network(self.data.network)
        self._subnetworks()
        for read in self.data.firewall_policies:
            self._policy(read)
        self._firewalls()

    def _network(self, read: Read) -> None:
        if isinstance(read.data, Fault) and read.data.missing:
            return
        key = names.network_key(self.project, read.name)
        auto: bool | Unknown = (
            failed_read(read.data, f"network {read.name}")
            if isinstance(read.data, Fault)
            else bool(read.data.get("autoCreateSubnetworks", False))
        )
        self.model.add(
            GcpNetwork(
                key,
                key,
                self.ref(key, "network", (read.name,), self.project),
                name=read.name,
                network_name=read.name,
                project=self.project,
                auto_create_subnetworks=auto,
            )
        )

    # ---- subnetworks ---------------------------------------------------------------------

    def _subnetworks(self) -> None:
        named = set(_given(self.data.flags.get("subnet-names", "")))
        listed = self.data.subnetworks
        if isinstance(listed, Fault):
            for name in sorted(named):
                self._unknown_subnetwork(name, listed)
            return
        found = set()
        for subnet in listed:
            network = names.relative(str(subnet.get("network", "")))
            if network == self.network or subnet.get("name") in named:
                self._subnetwork(subnet)
                found.add(subnet.get("name"))
        for name in sorted(named - found):
            self.model.notes.append(
                f"--subnet-names {name}: not found in region {self.data.region} of project "
                f"{self.project}"
            )

    def _subnetwork(self, subnet: dict[str, Any]) -> None:
        name = str(subnet["name"])
        region = names.last(str(subnet.get("region", self.data.region)))
        key = names.subnetwork_key(self.project, region, name)
        self.model.add(
            GcpSubnetwork(
                key,
                key,
                self.ref(key, "subnetwork", (region, name), self.project),
                name=name,
                subnet_name=name,
                network=self.link(str(subnet.get("network", ""))),
                region=region,
                ip_cidr_range=subnet.get("ipCidrRange"),
                purpose=str(subnet.get("purpose") or "PRIVATE"),
                private_ip_google_access=bool(subnet.get("privateIpGoogleAccess", False)),
                project=self.project,
                role=subnet.get("role"),
            )
        )

    def _unknown_subnetwork(self, name: str, fault: Fault) -> None:
        """A subnet the flags name, when the region's subnetworks could not be listed."""
        region = self.data.region
        key = names.subnetwork_key(self.project, region, name)
        unknown = failed_read(fault, f"the subnetworks of {region}")
        self.model.add(
            GcpSubnetwork(
                key,
                key,
                self.ref(key, "subnetwork", (region, name), self.project),
                name=name,
                subnet_name=name,
                network=unknown,
                region=region,
                ip_cidr_range=unknown,
                purpose=unknown,
                private_ip_google_access=unknown,
                project=self.project,
                role=unknown,
            )
        )

    # ---- firewall policies and firewalls -------------------------------------------------

    def _policy(self, read: Read) -> None:
        if isinstance(read.data, Fault) and read.data.missing:
            self.model.notes.append(
                f"--firewall-policy-names {read.name}: neither a global nor a regional "
                f"({self.data.region}) network firewall policy of project {self.project}"
            )
            return
        policy = read.data if isinstance(read.data, dict) else {}
        region_link = policy.get("region")
        region = names.last(str(region_link)) if region_link else None
        key = names.policy_key(self.project, read.name, region)
        origin = self.ref(key, "firewall-policy", (read.name,), self.project)
        if isinstance(read.data, Fault):
            # Neither its rules nor its associations are known: one rule and one network
            # stand for them, so every rule reading them reports unknown.
            unknown = failed_read(read.data, f"network firewall policy {read.name}")
            rules: tuple[FirewallRule, ...] = (
                FirewallRule(
                    unknown, unknown, unknown, unknown, unknown, unknown, "(unknown)", origin
                ),
            )
            networks: tuple[str | Unknown, ...] = (unknown,)
        else:
            rules = tuple(_policy_rule(rule, origin) for rule in policy.get("rules", []))
            networks = tuple(
                self.link(str(a.get("attachmentTarget", "")))
                for a in policy.get("associations", [])
            )
        self.model.add(
            GcpFirewallPolicy(
                key,
                key,
                origin,
                name=read.name,
                policy_name=read.name,
                region=region,
                rules=rules,
                networks=networks,
                project=self.project,
            )
        )

    def _firewalls(self) -> None:
        for firewall in self.data.firewalls if isinstance(self.data.firewalls, list) else []:
            if names.relative(str(firewall.get("network", ""))) != self.network:
                continue
            name = str(firewall["name"])
            key = names.firewall_key(self.project, name)
            origin = self.ref(key, "firewall", (name,), self.project)
            rules = [
                _classic_rule(firewall, action, firewall.get(blocks, []), origin)
                for action, blocks in (("allow", "allowed"), ("deny", "denied"))
                if firewall.get(blocks)
            ]
            self.model.add(
                GcpFirewall(
                    key,
                    key,
                    origin,
                    name=name,
                    network=self.link(str(firewall["network"])),
                    rules=tuple(rules),
                )
            )


def _given(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _policy_rule(rule: dict[str, Any], origin: CloudRef) -> FirewallRule:
    match = rule.get("match", {})
    priority = rule.get("priority")
    layer4 = tuple(
        (str(c.get("ipProtocol", "all")), tuple(str(p) for p in c.get("ports", [])))
        for c in match.get("layer4Configs", [])
    )
    return FirewallRule(
        direction=str(rule.get("direction", "INGRESS")),
        action=str(rule.get("action", "")),
        priority=int(priority) if priority is not None else None,
        layer4=layer4,
        source_ranges=tuple(str(r) for r in match.get("srcIpRanges", [])),
        disabled=bool(rule.get("disabled", False)),
        label=f"rule {priority}" if priority is not None else str(rule.get("ruleName", "rule")),
        origin=origin,
    )


def _classic_rule(
    firewall: dict[str, Any], action: str, blocks: list[dict[str, Any]], origin: CloudRef
) -> FirewallRule:
    priority = firewall.get("priority")
    return FirewallRule(
        direction=str(firewall.get("direction", "INGRESS")),
        action=action,
        priority=int(priority) if priority is not None else None,
        layer4=tuple(
            (str(b.get("IPProtocol", "all")), tuple(str(p) for p in b.get("ports", [])))
            for b in blocks
        ),
        source_ranges=tuple(str(r) for r in firewall.get("sourceRanges", [])),
        disabled=bool(firewall.get("disabled", False)),
        label=str(firewall.get("name", "")),
        origin=origin,
    )
