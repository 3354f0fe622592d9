"""Network firewall policies (global and regional, with their `_rule` and `_association`
resources merged in, or their inline `rule` blocks) and classic `google_compute_firewall`s,
each rule flattened into one `FirewallRule` at the block or resource that declares it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from anyscale_lint.model import (
    FirewallRule,
    GcpFirewall,
    GcpFirewallPolicy,
    Resource,
    SourceSpan,
    Unknown,
)
from anyscale_lint.sources.terraform.coerce import flag, text, texts
from anyscale_lint.sources.terraform.markers import unknown

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.builder_gcp import GcpResources
    from anyscale_lint.sources.terraform.items import Item

FIREWALL_POLICY = "google_compute_network_firewall_policy"
_REGIONAL = "google_compute_region_network_firewall_policy"
# Every spelling of a network firewall policy: links name them as one kind.
POLICY_KINDS = (
    FIREWALL_POLICY,
    _REGIONAL,
    f"{FIREWALL_POLICY}_with_rules",
    f"{_REGIONAL}_with_rules",
)
_NETWORK = "google_compute_network"
# What an ingress rule without any source admits (the Compute API's default).
_ANY_SOURCE = ("0.0.0.0/0",)

Layer4 = tuple[tuple[str | Unknown, tuple[str, ...]], ...] | Unknown


def _priority(value: Any) -> int | Unknown | None:
    if value is None or isinstance(value, Unknown):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return unknown(str(value)[:24], "not a priority number")


class Firewalls:
    """Builds firewall policies and classic firewalls, collecting rules and associations
    declared as resources of their own."""

    def __init__(self, gcp: GcpResources) -> None:
        self.gcp = gcp

    def split_handlers(self) -> dict[str, Callable[[Item], None]]:
        """Rules and associations that add to a policy declared elsewhere."""
        return {
            f"{FIREWALL_POLICY}_rule": self._rule_resource,
            f"{_REGIONAL}_rule": self._rule_resource,
            f"{FIREWALL_POLICY}_association": self._association,
            f"{_REGIONAL}_association": self._association,
        }

    def resource_handlers(self) -> dict[str, Callable[[Item], Resource]]:
        """The policies (every spelling) and the classic firewalls."""
        return {
            **dict.fromkeys(POLICY_KINDS, self._policy),
            "google_compute_firewall": self._firewall,
        }

    def _policy_key(self, item: Item) -> str | None:
        """The declared policy a rule or association names, None when it is not in the root
        (its rules are judged where the policy is declared)."""
        key = self.gcp.link(item.get("firewall_policy"), FIREWALL_POLICY)
        return key if isinstance(key, str) and key in self.gcp.addresses else None

    def _parts(self, key: str) -> dict[str, Any]:
        return self.gcp.builder.drafts.parts[key]

    def _rule_resource(self, item: Item) -> None:
        key = self._policy_key(item)
        if key is not None:
            rule = self._policy_rule(item, item.get, item.nested("match"), item.span())
            self._parts(key).setdefault("rules", []).append(rule)

    def _association(self, item: Item) -> None:
        key = self._policy_key(item)
        if key is not None:
            target = self.gcp.link(item.get("attachment_target"), _NETWORK)
            if target is not None:
                self._parts(key).setdefault("networks", []).append(target)

    def _policy(self, item: Item) -> GcpFirewallPolicy:
        parts = self.gcp.builder.drafts.parts.get(item.address, {})
        rules: list[FirewallRule] = list(parts.get("rules", []))
        if item.kind.endswith("_with_rules"):
            rules += self._inline_rules(item)
        regional = item.kind.startswith(_REGIONAL)
        return GcpFirewallPolicy(
            **self.gcp.common(item),
            policy_name=text(item.get("name")),
            region=self.gcp.region(item) if regional else None,
            rules=tuple(rules),
            networks=tuple(dict.fromkeys(parts.get("networks", []))),
            project=self.gcp.project(item),
        )

    def _inline_rules(self, item: Item) -> list[FirewallRule]:
        """The `rule` blocks of a `_with_rules` policy, each at its block."""
        blocks = item.nested("rule")
        if isinstance(blocks, Unknown):
            return [FirewallRule(blocks, blocks, blocks, blocks, blocks, origin=item.span())]
        return [
            self._policy_rule(
                item, partial(item.block_value, block), item.inner(block, "match"), block.span
            )
            for block in blocks
        ]

    def _policy_rule(
        self, item: Item, get: Any, matches: list[Any] | Unknown, origin: SourceSpan
    ) -> FirewallRule:
        """One policy rule from its attributes (`get`) and its `match` block."""
        priority = _priority(get("priority"))
        name = get("rule_name")
        label = name if isinstance(name, str) else f"rule {priority}"
        layer4: Layer4
        sources: tuple[str, ...] | Unknown
        if isinstance(matches, Unknown):
            layer4, sources = matches, matches
        elif not matches:
            layer4, sources = (), ()
        else:
            match = matches[0]
            sources = texts(item.block_value(match, "src_ip_ranges"))
            configs = item.inner(match, "layer4_configs")
            if isinstance(configs, list) and not configs:
                # The `_with_rules` resources spell the block in the singular.
                configs = item.inner(match, "layer4_config")
            layer4 = self._layer4(item, configs, "ip_protocol")
        direction = get("direction")
        return FirewallRule(
            direction="INGRESS" if direction is None else text(direction),
            action=text(get("action")),
            priority=priority,
            layer4=layer4,
            source_ranges=sources,
            disabled=flag(get("disabled")),
            label=label,
            origin=origin,
        )

    def _layer4(self, item: Item, blocks: list[Any] | Unknown, protocol: str) -> Layer4:
        """(protocol, ports) pairs; no block at all means every protocol (as the verifier
        reads a rule without layer4 configs)."""
        if isinstance(blocks, Unknown):
            return blocks
        if not blocks:
            return (("all", ()),)
        pairs: list[tuple[str | Unknown, tuple[str, ...]]] = []
        for block in blocks:
            ports = texts(item.block_value(block, "ports"))
            if isinstance(ports, Unknown):
                return ports
            pairs.append((text(item.block_value(block, protocol)), ports))
        return tuple(pairs)

    def _firewall(self, item: Item) -> GcpFirewall:
        """A classic firewall: its `allow` blocks make one allow rule, its `deny` blocks one
        deny rule, both at the resource."""
        direction = item.get("direction")
        direction = "INGRESS" if direction is None else text(direction)
        sources = texts(item.get("source_ranges"))
        unsourced = all(
            item.get(name) in (None, [])
            for name in ("source_ranges", "source_tags", "source_service_accounts")
        )
        if direction == "INGRESS" and unsourced:
            sources = _ANY_SOURCE
        name = item.get("name")
        priority = _priority(item.get("priority"))
        rules = []
        for action in ("allow", "deny"):
            blocks = item.nested(action)
            if isinstance(blocks, list) and not blocks:
                continue
            rules.append(
                FirewallRule(
                    direction=direction,
                    action=action,
                    # Unset, a classic firewall's priority is 1000.
                    priority=1000 if priority is None else priority,
                    layer4=self._layer4(item, blocks, "protocol"),
                    source_ranges=sources,
                    disabled=flag(item.get("disabled")),
                    label=name if isinstance(name, str) else item.address,
                    origin=item.span(),
                )
            )
        network = item.get("network")
        return GcpFirewall(
            **self.gcp.common(item),
            # Unset, the provider attaches the firewall to the network named `default`.
            network=self.gcp.link("default" if network is None else network, _NETWORK),
            rules=tuple(rules),
        )
