"""GCP firewall rules that must exist: traffic between nodes, HTTPS, and health checks in a
shared VPC (REQUIREMENTS.md 3.3).

Anyscale's verifier reads only the network firewall policy registration names (the first of
`--firewall-policy-names`); Google enforces every policy and classic firewall of the network.
These rules count all of them, say when only another policy or a classic firewall does the
job, and say so in the message, since `cloud verify` would then report the requirement unmet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from anyscale_lint.checks.gcp_common import flag_value, gcp_parts, missing_part
from anyscale_lint.checks.gcp_firewall_rules import (
    Owned,
    allows_ingress,
    contains,
    deployment_rules,
    explain,
    opens_tcp,
    show_ports,
    sources,
    tcp_intervals,
    uncovered,
    unknown_of,
)
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.model import (
    FirewallRule,
    GcpFirewall,
    GcpFirewallPolicy,
    GcpParts,
    Unknown,
    is_known,
)
from anyscale_lint.providers.gcp import HEALTH_CHECK_RANGES

_VERIFIER = "Anyscale's verifier reads network firewall policies only"

Qualifies = Callable[[FirewallRule], bool | Unknown]


@dataclass(frozen=True)
class Search:
    """The rules that do what a requirement asks, and where they are."""

    # 0: the registered policy; 1: the deployment's policies; 2: with classic firewalls;
    # None: not met.
    tier: int | None
    found: list[Owned]
    undecided: list[tuple[Owned, Unknown]]


def _search(parts: GcpParts, qualifies: Qualifies, enough: Callable[[list[Owned]], bool]) -> Search:
    found: list[Owned] = []
    undecided: list[tuple[Owned, Unknown]] = []
    for owned in deployment_rules(parts):
        verdict = qualifies(owned.rule)
        if isinstance(verdict, Unknown):
            undecided.append((owned, verdict))
        elif verdict:
            found.append(owned)
    first = parts.firewall_policies[0].key if parts.firewall_policies else None
    groups = [
        [o for o in found if o.owner.key == first],
        [o for o in found if not o.classic],
        found,
    ]
    for tier, group in enumerate(groups):
        if group and enough(group):
            return Search(tier, group, undecided)
    return Search(None, found, undecided)


def _subject(ctx: CheckContext, parts: GcpParts) -> GcpFirewallPolicy | GcpFirewall | None:
    """Where results go: the registered policy, else the first classic firewall."""
    owners: list[GcpFirewallPolicy | GcpFirewall] = [*parts.firewall_policies, *parts.firewalls]
    if not owners:
        missing_part(ctx, "firewall_policies")
        return None
    return owners[0]


def _owners(rules: list[Owned]) -> str:
    return ", ".join(dict.fromkeys(o.name() for o in rules))


def _record(
    ctx: CheckContext,
    subject: GcpFirewallPolicy | GcpFirewall,
    search: Search,
    what: str,
    failure: str,
    value: str,
) -> None:
    """Pass (saying which firewall does it when Anyscale's verifier would not see it),
    unknown, or fail with `failure`, for a requirement `what` describes ("allow TCP 443 in")."""
    found = search.found
    if search.tier == 0:
        ctx.passed(subject, f"The deployment's firewall rules {what}: {_owners(found)}.")
    elif search.tier == 1:
        others = [o for o in found if o.owner.key != subject.key]
        ctx.passed(
            subject,
            f"The deployment's firewall rules {what} only with {_owners(others)}, of a policy "
            f"other than the first one registration names ({subject.address}): Anyscale's "
            "verifier reads only that one and will report this requirement as unmet.",
        )
    elif search.tier == 2:
        classic = [o for o in found if o.classic]
        ctx.passed(
            subject,
            f"The deployment's firewall rules {what} only with the classic firewall(s) "
            f"{_owners(classic)}: Google enforces them, but {_VERIFIER} and will report this "
            "requirement as unmet; move the rule into the network firewall policy.",
        )
    elif search.undecided:
        owned, cause = search.undecided[0]
        ctx.unknown(
            subject,
            f"Whether the deployment's firewall rules {what} is not known: {owned.name()} "
            f"depends on {explain(ctx, cause)}.",
            location=owned.rule.origin,
        )
    else:
        ctx.fail(subject, failure, value=value)


def _from_any_source(check: Qualifies) -> Qualifies:
    """An enabled INGRESS allow rule with source ranges (a rule without them lets nothing
    in) that passes `check`."""

    def qualifies(firewall_rule: FirewallRule) -> bool | Unknown:
        active = allows_ingress(firewall_rule)
        if active is not True:
            return active
        known, unknown = sources(firewall_rule)
        if not known and not unknown:
            return False
        return check(firewall_rule)

    return qualifies


@rule("GCP-FW-001")
def internal_traffic(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None:
        return
    if not parts.subnets:
        missing_part(ctx, "subnets")
        return
    subject = _subject(ctx, parts)
    if subject is None:
        return
    subnet = parts.subnets[0]
    cidr = subnet.ip_cidr_range
    if cidr is None or not is_known(cidr):
        cause = cidr if cidr is not None else Unknown(f"{subnet.address}.ip_cidr_range", "not set")
        ctx.unknown(
            subject,
            f"The range of node subnet {subnet.address} is not known: {ctx.explain(cause)}.",
            location=subnet.origin,
        )
        return
    node_range = str(cidr)

    def covers_subnet(firewall_rule: FirewallRule) -> bool | Unknown:
        known, unknown = sources(firewall_rule)
        if any(contains(source, node_range) for source in known):
            ports = tcp_intervals(firewall_rule)
            return ports if isinstance(ports, Unknown) else bool(ports)
        return unknown_of(unknown[0]) if unknown else False

    def gaps_left(rules: list[Owned]) -> list[tuple[int, int]]:
        opened: list[tuple[int, int]] = []
        for owned in rules:
            ports = tcp_intervals(owned.rule)
            if not isinstance(ports, Unknown):
                opened += ports
        return uncovered(opened, 1, 65535)

    search = _search(parts, _from_any_source(covers_subnet), lambda rules: not gaps_left(rules))
    gaps = gaps_left(search.found)
    partial = f" ({_owners(search.found)} open only some ports)" if search.found else ""
    _record(
        ctx,
        subject,
        search,
        f"allow all TCP ports (1-65535) in from a range covering node subnet {subnet.address} "
        f"({node_range})",
        f"No INGRESS allow rule from a range covering node subnet {subnet.address} "
        f"({node_range}) opens TCP {show_ports(gaps)}{partial}: Ray nodes cannot reach each "
        f"other on those ports. {_VERIFIER} and fails `cloud verify` on this.",
        f"tcp/{show_ports(gaps)} closed from {node_range}",
    )


@rule("GCP-FW-002")
def https_ingress(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None:
        return
    subject = _subject(ctx, parts)
    if subject is None:
        return
    search = _search(parts, _from_any_source(lambda r: opens_tcp(r, 443)), bool)
    owners = ", ".join(o.address for o in (*parts.firewall_policies, *parts.firewalls))
    _record(
        ctx,
        subject,
        search,
        "allow TCP 443 in",
        f"No INGRESS allow rule of {owners} opens TCP 443, which Anyscale's UI (Jupyter, the "
        "Ray dashboard) uses to reach clusters; Anyscale's verifier warns.",
        "no tcp/443 ingress",
    )


def _host_project(ctx: CheckContext, parts: GcpParts) -> object:
    if parts.host_project_id is not None:
        return parts.host_project_id
    given = flag_value(ctx, "host_project")
    return given[1] if given else None


@rule("GCP-FW-005")
def shared_vpc_health_checks(ctx: CheckContext) -> None:
    parts = gcp_parts(ctx)
    if parts is None:
        return
    host = _host_project(ctx, parts)
    if not host:
        ctx.not_evaluated(
            ctx.deployment.key, "the deployment does not use a shared VPC (no --host-project-id)"
        )
        return
    subject = _subject(ctx, parts)
    if subject is None:
        return
    if not is_known(host):
        ctx.unknown(
            subject, f"Whether the deployment uses a shared VPC is not known: {ctx.explain(host)}."
        )
        return
    # In private mode the proxy-only subnet's range must reach port 8000 too (GCP-FW-08).
    private = ctx.deployment.network_mode == "private"
    required: list[tuple[str, object]] = [(r, r) for r in HEALTH_CHECK_RANGES]
    required += [
        (f"proxy-only subnet {s.address}", s.ip_cidr_range) for s in parts.proxy_subnets if private
    ]
    searches: list[tuple[str, Search]] = []
    for label, cidr in required:
        if cidr is None or not is_known(cidr):
            cause = cidr if cidr is not None else Unknown(label, "its range is not set")
            ctx.unknown(subject, f"The range of {label} is not known: {ctx.explain(cause)}.")
            return
        shown = label if label == cidr else f"{label} ({cidr})"
        searches.append((shown, _search(parts, _from_any_source(_port_8000_from(str(cidr))), bool)))
    missing = [label for label, search in searches if search.tier is None and not search.undecided]
    undecided = [search for _, search in searches if search.tier is None]
    if missing:
        ctx.fail(
            subject,
            f"The deployment uses a shared VPC (host project {host}) but no INGRESS allow rule "
            f"opens TCP 8000 from {', '.join(missing)}: load-balancer health checks cannot "
            "reach Anyscale services; Anyscale's verifier warns.",
            value=f"tcp/8000 closed from {', '.join(missing)}",
        )
    elif undecided:
        _record(ctx, subject, undecided[0], "allow TCP 8000 in from the required ranges", "", "")
    else:
        tiers = [search.tier for _, search in searches if search.tier is not None]
        found = [owned for _, search in searches for owned in search.found]
        _record(
            ctx,
            subject,
            Search(max(tiers), found, []),
            f"allow TCP 8000 in from {', '.join(label for label, _ in searches)} "
            f"(shared VPC, host project {host})",
            "",
            "",
        )


def _port_8000_from(needed: str) -> Qualifies:
    def from_range(firewall_rule: FirewallRule) -> bool | Unknown:
        known, unknown = sources(firewall_rule)
        if any(contains(source, needed) for source in known):
            return opens_tcp(firewall_rule, 8000)
        return unknown_of(unknown[0]) if unknown else False

    return from_range
