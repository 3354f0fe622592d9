"""Security groups and their rules, from inline blocks, `aws_security_group_rule` and
`aws_vpc_security_group_ingress_rule`/`_egress_rule`: one SgRule per kind of peer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from anyscale_lint.model import SecurityGroup, SgRule, SourceSpan, Unknown
from anyscale_lint.sources.terraform.coerce import port, text, texts

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.builder import Builder, Item


def _as_tuple(values: tuple[str, ...] | Unknown) -> tuple[str | Unknown, ...]:
    """One peer kind's values; a wholly unknown list becomes one unknown peer."""
    return (values,) if isinstance(values, Unknown) else values


class SecurityGroups:
    """Builds security groups for a Builder, collecting rules declared apart from them."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder

    def split_handlers(self) -> dict[str, Callable[[Item], None]]:
        """Rule resources that add to a group declared elsewhere."""
        return {
            "aws_security_group_rule": self._sg_rule,
            "aws_vpc_security_group_ingress_rule": self._vpc_sg_rule,
            "aws_vpc_security_group_egress_rule": self._vpc_sg_rule,
        }

    def security_group(self, item: Item) -> SecurityGroup:
        """The group with every rule declared for it, inline or in rule resources."""
        rules = list(self.builder.drafts.sg_rules.get(item.address, []))
        for direction in ("ingress", "egress"):
            blocks = item.nested(direction)
            if isinstance(blocks, Unknown):
                rules.append(
                    SgRule(
                        direction,
                        blocks,
                        blocks,
                        blocks,
                        origin=item.span(),
                        declared_by=item.address,
                    )
                )
                continue
            for block in blocks:
                get = partial(item.block_value, block)
                rules.extend(
                    self._rules_from(direction, get, item.address, block.span, item.address)
                )
        common = self.builder.common(item)
        return SecurityGroup(
            **common, vpc=self.builder.link(item.get("vpc_id")), rules=tuple(rules)
        )

    def _rules_from(
        self, direction: str, get: Any, group: str, span: SourceSpan, declared_by: str
    ) -> list[SgRule]:
        """One SgRule per kind of peer, so each finding names exactly the offending source."""
        protocol = text(get("protocol"))
        if isinstance(protocol, str) and protocol.lower() in ("all", "-1"):
            protocol = "-1"
        description = get("description")
        base = SgRule(
            direction=direction,
            protocol=protocol,
            from_port=port(get("from_port")),
            to_port=port(get("to_port")),
            description=description if isinstance(description, str) else None,
            origin=span,
            declared_by=declared_by,
        )
        rules: list[SgRule] = []
        cidrs, cidrs6, prefixes = (
            texts(get("cidr_blocks")),
            texts(get("ipv6_cidr_blocks")),
            texts(get("prefix_list_ids")),
        )
        groups = get("security_groups") or []
        source = get("source_security_group_id")
        links = [self.builder.link(g) for g in (groups if isinstance(groups, list) else [groups])]
        if source is not None:
            links.append(self.builder.link(source))
        if get("self") is True:
            links.append(group)
        if isinstance(cidrs, Unknown) or cidrs:
            rules.append(replace(base, cidr_ipv4=_as_tuple(cidrs)))
        if isinstance(cidrs6, Unknown) or cidrs6:
            rules.append(replace(base, cidr_ipv6=_as_tuple(cidrs6)))
        if isinstance(prefixes, Unknown) or prefixes:
            rules.append(replace(base, prefix_lists=_as_tuple(prefixes)))
        if links:
            rules.append(
                replace(base, source_groups=tuple(link for link in links if link is not None))
            )
        return rules or [base]

    def _sg_rule(self, item: Item) -> None:
        group = self.builder.link(item.get("security_group_id"))
        if not isinstance(group, str):
            return
        direction = item.get("type") if item.get("type") in ("ingress", "egress") else "ingress"
        self.builder.drafts.sg_rules[group].extend(
            self._rules_from(str(direction), item.get, group, item.span(), item.address)
        )

    def _vpc_sg_rule(self, item: Item) -> None:
        group = self.builder.link(item.get("security_group_id"))
        if not isinstance(group, str):
            return
        direction = "ingress" if item.kind.endswith("ingress_rule") else "egress"
        values = {
            "protocol": item.get("ip_protocol"),
            "from_port": item.get("from_port"),
            "to_port": item.get("to_port"),
            "cidr_blocks": item.get("cidr_ipv4"),
            "ipv6_cidr_blocks": item.get("cidr_ipv6"),
            "prefix_list_ids": item.get("prefix_list_id"),
            "source_security_group_id": item.get("referenced_security_group_id"),
            "description": item.get("description"),
        }
        if values["protocol"] in ("-1", "all", -1):
            values["from_port"], values["to_port"] = 0, 65535
        self.builder.drafts.sg_rules[group].extend(
            self._rules_from(direction, values.get, group, item.span(), item.address)
        )
