"""What a GCP firewall rule opens, to whom, and whether it is in force: protocols and port
ranges, source ranges and CIDR containment, shared by the firewall checks.

Rules of network firewall policies and classic firewalls are read alike, as Anyscale's
verifier reads a policy (REQUIREMENTS.md 3.3, GCP-FW-04): only `allow` rules count, a rule
without ports opens every port of its protocol, protocol `all` opens everything, and a rule
with no source ranges lets nothing in.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from anyscale_lint.engine.context import CheckContext
from anyscale_lint.model import (
    FirewallRule,
    GcpFirewall,
    GcpFirewallPolicy,
    GcpParts,
    Unknown,
    is_known,
    unknown_parts,
)

Interval = tuple[int, int]
INTERNET = ("0.0.0.0/0", "::/0")
ALL_PORTS: Interval = (0, 65535)
_PROTOCOL_NUMBERS = {"1": "icmp", "6": "tcp", "17": "udp", "58": "ipv6-icmp", "132": "sctp"}
_PORTED = ("tcp", "udp", "sctp")


@dataclass(frozen=True)
class Owned:
    """A firewall rule with the network firewall policy or classic firewall holding it."""

    rule: FirewallRule
    owner: GcpFirewallPolicy | GcpFirewall

    @property
    def classic(self) -> bool:
        return isinstance(self.owner, GcpFirewall)

    def name(self) -> str:
        """`rule 1000 of google_compute_network_firewall_policy.x`, for messages."""
        label = self.rule.label
        if self.classic or not label:
            return self.owner.address
        shown = label if label.startswith("rule ") else f"rule {label}"
        return f"{shown} of {self.owner.address}"


def deployment_rules(parts: GcpParts) -> list[Owned]:
    """The rules of the deployment's firewall policies (the registered one first), then of
    its classic firewalls."""
    owners: list[GcpFirewallPolicy | GcpFirewall] = [*parts.firewall_policies, *parts.firewalls]
    return [Owned(rule, owner) for owner in owners for rule in owner.rules]


def unknown_of(value: object) -> Unknown:
    """A value that is not known as an Unknown naming its first unresolved part (whose reason
    `explain` finds in the model)."""
    if isinstance(value, Unknown):
        return value
    parts = unknown_parts(value)
    return Unknown(parts[0] if parts else str(value), "not known statically", spelled=str(value))


def explain(ctx: CheckContext, cause: Unknown) -> str:
    """Why a value is not known, with the reason the source recorded for it."""
    reason = ctx.model.unknown_reasons.get(cause.expression)
    return f"`{cause.expression}` is not known: {reason}" if reason else ctx.explain(cause)


def protocol(value: object) -> str | Unknown:
    """A layer-4 protocol's name (`6` -> `tcp`), lower case."""
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, str) or not is_known(value):
        return unknown_of(value)
    name = value.strip().lower()
    return _PROTOCOL_NUMBERS.get(name, name)


def port_intervals(ports: Sequence[object]) -> list[Interval] | Unknown:
    """Port specs (`"22"`, `"8000-9000"`) as inclusive intervals; none means every port."""
    if not ports:
        return [ALL_PORTS]
    intervals: list[Interval] = []
    for spec in ports:
        if isinstance(spec, Unknown):
            return spec
        if not isinstance(spec, str) or not is_known(spec):
            return unknown_of(spec)
        low, _, high = spec.strip().partition("-")
        try:
            interval = (int(low), int(high or low))
        except ValueError:
            return Unknown(spec, "it is not a port or a port range")
        intervals.append(interval)
    return intervals


def opened(rule: FirewallRule) -> list[tuple[str, list[Interval]]] | Unknown:
    """What the rule opens: (protocol, port intervals) pairs; protocols without ports (icmp)
    and `all` hold every port."""
    if isinstance(rule.layer4, Unknown):
        return rule.layer4
    result: list[tuple[str, list[Interval]]] = []
    for raw_protocol, ports in rule.layer4:
        name = protocol(raw_protocol)
        if isinstance(name, Unknown):
            return name
        intervals = port_intervals(ports) if name in _PORTED else [ALL_PORTS]
        if isinstance(intervals, Unknown):
            return intervals
        result.append((name, intervals))
    return result


def tcp_intervals(rule: FirewallRule) -> list[Interval] | Unknown:
    """The TCP ports the rule opens (protocol `tcp` or `all`)."""
    found = opened(rule)
    if isinstance(found, Unknown):
        return found
    return [
        interval for name, intervals in found if name in ("tcp", "all") for interval in intervals
    ]


def opens_tcp(rule: FirewallRule, port: int) -> bool | Unknown:
    """Whether the rule opens this TCP port."""
    intervals = tcp_intervals(rule)
    if isinstance(intervals, Unknown):
        return intervals
    return any(low <= port <= high for low, high in intervals)


def opens_everything(rule: FirewallRule) -> bool | Unknown:
    """Whether the rule opens all traffic: protocol `all`, or every TCP port."""
    found = opened(rule)
    if isinstance(found, Unknown):
        return found
    return any(
        name == "all" or (name == "tcp" and not uncovered(intervals, 1, 65535))
        for name, intervals in found
    )


def uncovered(intervals: Iterable[Interval], low: int, high: int) -> list[Interval]:
    """The parts of [low, high] that no interval covers."""
    gaps: list[Interval] = []
    cursor = low
    for start, end in sorted(intervals):
        if start > cursor:
            gaps.append((cursor, min(start - 1, high)))
        cursor = max(cursor, end + 1)
        if cursor > high:
            break
    if cursor <= high:
        gaps.append((cursor, high))
    return [(start, end) for start, end in gaps if start <= end]


def show_ports(intervals: Iterable[Interval]) -> str:
    """`1-1024, 8000` for messages."""
    return ", ".join(str(low) if low == high else f"{low}-{high}" for low, high in intervals)


def describe(rule: FirewallRule) -> str:
    """What the rule opens, for messages: `tcp/22`, `tcp/1-1024, udp/53`, `all traffic`."""
    found = opened(rule)
    if isinstance(found, Unknown):
        return f"ports {found}"
    pieces = []
    for name, intervals in found:
        if name == "all":
            return "all traffic"
        if name in _PORTED:
            pieces.append(f"{name}/{show_ports(intervals)}")
        else:
            pieces.append(name)
    return ", ".join(pieces) or "nothing"


def allows_ingress(rule: FirewallRule) -> bool | Unknown:
    """Whether the rule is an enabled INGRESS `allow` rule."""
    for value in (rule.disabled, rule.action, rule.direction):
        if isinstance(value, Unknown):
            return value
        if isinstance(value, str) and not is_known(value):
            return unknown_of(value)
    return (
        rule.disabled is not True
        and str(rule.action).lower() == "allow"
        and str(rule.direction).upper() == "INGRESS"
    )


def sources(rule: FirewallRule) -> tuple[list[str], list[object]]:
    """The rule's source ranges that are known, and those that are not."""
    ranges = rule.source_ranges
    if isinstance(ranges, Unknown):
        return [], [ranges]
    known = [str(r) for r in ranges if isinstance(r, str) and is_known(r)]
    return known, [r for r in ranges if not (isinstance(r, str) and is_known(r))]


def contains(outer: str, inner: str) -> bool:
    """Whether the range `outer` is a supernet of (or equal to) `inner`."""
    try:
        big = ipaddress.ip_network(outer, strict=False)
        small = ipaddress.ip_network(inner, strict=False)
    except ValueError:
        return False
    return big.version == small.version and small.subnet_of(big)  # type: ignore[arg-type]


# ---- one result per offending rule ------------------------------------------------------

Judge = Callable[[FirewallRule], str | Unknown | None]


def judge_each_rule(
    ctx: CheckContext, owners: Sequence[GcpFirewallPolicy | GcpFirewall], judge: Judge
) -> None:
    """Judge every enabled INGRESS allow rule of the owners: a failure per offending rule, at
    its lines (a fix goes there), else an unknown per undecided rule, else a pass per owner."""
    for owner in owners:
        offending: list[tuple[FirewallRule, str]] = []
        undecided: list[tuple[FirewallRule, Unknown]] = []
        for rule in owner.rules:
            verdict = judge(rule)
            if verdict is None:
                continue
            active = allows_ingress(rule)
            if active is False:
                continue
            if isinstance(active, Unknown):
                undecided.append((rule, active))
            elif isinstance(verdict, Unknown):
                undecided.append((rule, verdict))
            else:
                offending.append((rule, verdict))
        for rule, text in offending:
            name = Owned(rule, owner).name()
            # The rule's label, not its line, in the evidence: the fingerprint survives moves.
            ctx.fail(owner, f"{name}: {text}.", value=f"{rule.label}: {text}", location=rule.origin)
        if offending:
            continue
        for rule, cause in undecided:
            ctx.unknown(
                owner,
                f"{Owned(rule, owner).name()} is not known: {explain(ctx, cause)}.",
                location=rule.origin,
            )
        if not undecided:
            ctx.passed(owner)
