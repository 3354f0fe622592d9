"""GCP firewall rules that expose nodes: ports beyond HTTPS from outside the deployment, and
SSH or all traffic from the internet. One result per offending rule, at its lines."""

from __future__ import annotations

import ipaddress

from anyscale_lint.checks.common import within
from anyscale_lint.checks.gcp_common import gcp_parts, missing_part
from anyscale_lint.checks.gcp_firewall_rules import (
    INTERNET,
    Interval,
    describe,
    judge_each_rule,
    opened,
    opens_everything,
    opens_tcp,
    sources,
    unknown_of,
)
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.model import FirewallRule, GcpFirewall, GcpFirewallPolicy, Unknown, is_known
from anyscale_lint.providers.gcp import HEALTH_CHECK_RANGES


def _only_allowed_ports(name: str, intervals: list[Interval], allowed: set[int]) -> bool:
    """Whether an opening is TCP on allowed ports only (a wide range is never all allowed)."""
    return name == "tcp" and all(
        high - low < 1024 and all(port in allowed for port in range(low, high + 1))
        for low, high in intervals
    )


def _is_private(cidr: str) -> bool:
    try:
        return ipaddress.ip_network(cidr, strict=False).is_private
    except ValueError:
        return False


@rule("GCP-FW-003")
def https_only(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None:
        return
    owners: list[GcpFirewallPolicy | GcpFirewall] = [*parts.firewall_policies, *parts.firewalls]
    if not owners:
        missing_part(ctx, "firewall_policies")
        return
    # The deployment's own subnets and Google's health checkers are not "external".
    own = [s.ip_cidr_range for s in (*parts.subnets, *parts.proxy_subnets)]
    internal = [str(cidr) for cidr in own if cidr is not None and is_known(cidr)]
    unknown_internal = [cidr for cidr in own if cidr is not None and not is_known(cidr)]
    allowed_cidrs = [*internal, *HEALTH_CHECK_RANGES, *ctx.parameters.get("allowed_cidrs", [])]
    allowed_ports = {443, *ctx.parameters.get("allowed_ports", [])}

    def judge(firewall_rule: FirewallRule) -> str | Unknown | None:
        known, unknown = sources(firewall_rule)
        outside = [s for s in known if not within(s, allowed_cidrs)]
        found = opened(firewall_rule)
        if isinstance(found, Unknown):
            return found if outside or unknown else None
        if all(_only_allowed_ports(name, ports, allowed_ports) for name, ports in found):
            return None
        public = [s for s in outside if not (unknown_internal and _is_private(s))]
        if public:
            return f"{describe(firewall_rule)} open to {', '.join(public)}"
        if outside:
            # A private range may be one of the deployment's subnets whose range is unknown.
            return unknown_of(unknown_internal[0])
        return unknown_of(unknown[0]) if unknown else None

    judge_each_rule(ctx, owners, judge)


@rule("GCP-FW-004")
def ssh_or_all_from_internet(ctx: CheckContext) -> None:
    # A hygiene rule: under --scope all, every firewall policy and classic firewall.
    owners: list[GcpFirewallPolicy | GcpFirewall] = [
        *ctx.targets(GcpFirewallPolicy),
        *ctx.targets(GcpFirewall),
    ]

    def judge(firewall_rule: FirewallRule) -> str | Unknown | None:
        known, unknown = sources(firewall_rule)
        internet = [s for s in known if s in INTERNET]
        for opens in (opens_tcp(firewall_rule, 22), opens_everything(firewall_rule)):
            if isinstance(opens, Unknown):
                return opens if internet or unknown else None
            if opens and internet:
                return f"{describe(firewall_rule)} open to {', '.join(internet)}"
            if opens and unknown:
                return unknown_of(unknown[0])
        return None

    judge_each_rule(ctx, owners, judge)
