"""AWS security-group rules: intra-cluster traffic, HTTPS, and exposure to the internet."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from anyscale_lint.checks.common import (
    cidr_sources,
    describe_ports,
    given_to_unread_module,
    internet_sources,
    not_identified,
    opens_port,
    port_range,
    within,
)
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.engine.registry import rule
from anyscale_lint.model import Origin, SecurityGroup, SgRule, SgRuleResource, Unknown, is_known


def _peer_rule(ctx: CheckContext, direction: str, label: str) -> None:
    """Some all-protocol rule of the deployment's groups whose peer is one of those groups."""
    groups = ctx.deployment.security_groups
    if not groups:
        not_identified(ctx, "security groups")
        return
    keys = {g.key for g in groups}
    unresolved: list[SgRule] = []
    for group in groups:
        for sg_rule in group.rules:
            if sg_rule.direction != direction:
                continue
            if isinstance(sg_rule.protocol, Unknown) or not is_known(list(sg_rule.source_groups)):
                unresolved.append(sg_rule)
            elif sg_rule.protocol == "-1" and keys & {str(s) for s in sg_rule.source_groups}:
                ctx.passed(groups[0])
                return
    if unresolved:
        value = (
            unresolved[0].protocol
            if isinstance(unresolved[0].protocol, Unknown)
            else unresolved[0].source_groups[0]
        )
        ctx.unknown(
            groups[0],
            f"A {direction} rule of {groups[0].address} is not known: {ctx.explain(value)}.",
            location=unresolved[0].origin,
        )
        return
    names = ", ".join(g.address for g in groups)
    ctx.fail(
        groups[0],
        f"No {direction} rule of {names} allows all protocols {label} the group itself; "
        "CIDR-based rules do not count.",
        value=f"no self {direction}",
    )


@rule("AWS-SG-001")
def self_ingress(ctx: CheckContext) -> None:
    _peer_rule(ctx, "ingress", "from")


@rule("AWS-SG-002")
def self_egress(ctx: CheckContext) -> None:
    _peer_rule(ctx, "egress", "to")


@rule("AWS-SG-003")
def https_ingress(ctx: CheckContext) -> None:
    groups = ctx.deployment.security_groups
    if not groups:
        not_identified(ctx, "security groups")
        return
    rules = [r for g in groups for r in g.rules if r.direction == "ingress"]
    if any(r.protocol in ("tcp", "6") and r.from_port == 443 for r in rules):
        ctx.passed(groups[0])
    elif any(isinstance(r.from_port, Unknown) or isinstance(r.protocol, Unknown) for r in rules):
        rule_ = next(
            r for r in rules if isinstance(r.from_port, Unknown) or isinstance(r.protocol, Unknown)
        )
        cause = rule_.from_port if isinstance(rule_.from_port, Unknown) else rule_.protocol
        ctx.unknown(
            groups[0],
            f"An ingress port of {groups[0].address} is not known: {ctx.explain(cause)}.",
            location=rule_.origin,
        )
    elif not any(given_to_unread_module(ctx, g, "ingress rule for TCP 443") for g in groups):
        ctx.fail(
            groups[0],
            f"No ingress rule of {', '.join(g.address for g in groups)} opens TCP 443, which "
            "Anyscale's UI uses to reach clusters.",
            value="no tcp/443 ingress",
        )


Judge = Callable[[SgRule], str | Unknown | None]


def _each_group_rule(ctx: CheckContext, judge: Judge) -> None:
    """Judge every ingress rule of the targeted groups: one result per offending rule (inline
    block or rule resource), a pass per group where none offends."""
    groups = list(ctx.targets(SecurityGroup))
    if not groups and ctx.meta.scope == "deployment":
        not_identified(ctx, "security groups")
    for group in groups:
        if not _judge_rules(ctx, group.rules, group.address, group.address, judge):
            ctx.passed(group)
    # Rule resources whose group another root declares (only hygiene rules under --scope all).
    for detached in ctx.targets(SgRuleResource):
        name = detached.group if isinstance(detached.group, str) else detached.group.expression
        label = f"{name}, a group this root does not declare"
        if not _judge_rules(ctx, detached.rules, name, label, judge):
            ctx.passed(detached)


def _judge_rules(
    ctx: CheckContext, rules: Sequence[SgRule], group: str, label: str, judge: Judge
) -> bool:
    """Record a failure for each offending rule (else an unknown for each undecided one);
    True when anything was recorded. `group` is the group's address or ID, `label` names it in
    messages."""
    # The SgRules of one inline block or rule resource (one per kind of peer) are one rule.
    blocks: dict[tuple[str, Origin | None], list[str | Unknown]] = {}
    for sg_rule in rules:
        if sg_rule.direction == "ingress":
            verdict = judge(sg_rule)
            entry = blocks.setdefault((sg_rule.declared_by or group, sg_rule.origin), [])
            if isinstance(verdict, Unknown) or verdict:
                entry.append(verdict)
    problems = {
        where: [v for v in verdicts if isinstance(v, str)] for where, verdicts in blocks.items()
    }
    for (resource, origin), texts in problems.items():
        if texts:
            text = "; ".join(texts)
            subject = label if resource == group else f"{resource} (a rule of {label})"
            # No line in the evidence: the fingerprint survives moved code.
            ctx.fail(resource, f"{subject}: {text}.", value=text, location=origin)
    if any(problems.values()):
        return True
    undecided = [
        (resource, origin, verdict)
        for (resource, origin), verdicts in blocks.items()
        for verdict in verdicts
        if isinstance(verdict, Unknown)
    ]
    for resource, origin, verdict in undecided:
        subject = label if resource == group else f"{resource} (a rule of {label})"
        ctx.unknown(
            resource,
            f"An ingress rule of {subject} is not known: {ctx.explain(verdict)}.",
            location=origin,
        )
    return bool(undecided)


def _unknown_sources(sg_rule: SgRule) -> Unknown | None:
    for source in cidr_sources(sg_rule):
        if not is_known(source):
            return (
                source
                if isinstance(source, Unknown)
                else Unknown(str(source), "the source is not known")
            )
    return None


@rule("AWS-SG-004")
def https_only(ctx: CheckContext) -> None:
    allowed_ports = set(ctx.parameters.get("allowed_ports", [])) | {443}
    allowed_cidrs = list(ctx.parameters.get("allowed_cidrs", []))

    def judge(sg_rule: SgRule) -> str | Unknown | None:
        sources = [
            str(s)
            for s in cidr_sources(sg_rule)
            if is_known(s) and not within(str(s), allowed_cidrs)
        ]
        unknown = _unknown_sources(sg_rule)
        ports = port_range(sg_rule)
        if isinstance(ports, Unknown):
            return ports if sources or unknown else None
        if not sources:
            return unknown
        low, high = ports
        if low >= 0 and high - low < 1024 and all(p in allowed_ports for p in range(low, high + 1)):
            return None
        return f"{describe_ports(sg_rule)} open to {', '.join(sources)}"

    _each_group_rule(ctx, judge)


def _internet_judge(port: int | None, label: str) -> Judge:
    def judge(sg_rule: SgRule) -> str | Unknown | None:
        sources = internet_sources(sg_rule)
        if not sources:
            return _unknown_sources(sg_rule) if port is not None else None
        if port is None:
            ports = port_range(sg_rule)
            if isinstance(ports, Unknown):
                return ports
            full = sg_rule.protocol == "-1" or (ports[0] <= 0 and ports[1] >= 65535)
            return f"{describe_ports(sg_rule)} open to {', '.join(sources)}" if full else None
        opens = opens_port(sg_rule, port)
        if isinstance(opens, Unknown):
            return opens
        if not opens:
            return None
        if label == "https" and (sg_rule.protocol == "-1" or port_range(sg_rule) == (0, 65535)):
            return None  # all traffic from the internet is AWS-SG-006's finding
        return f"{describe_ports(sg_rule)} open to {', '.join(sources)}"

    return judge


@rule("AWS-SG-005")
def ssh_from_internet(ctx: CheckContext) -> None:
    _each_group_rule(ctx, _internet_judge(22, "ssh"))


@rule("AWS-SG-006")
def all_traffic_from_internet(ctx: CheckContext) -> None:
    _each_group_rule(ctx, _internet_judge(None, "all"))


@rule("AWS-SG-007")
def https_from_anywhere(ctx: CheckContext) -> None:
    _each_group_rule(ctx, _internet_judge(443, "https"))
