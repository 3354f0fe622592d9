"""Security groups and their rules, from inline blocks, the `ingress = [{...}]` attribute form,
`aws_security_group_rule` and `aws_vpc_security_group_ingress_rule`/`_egress_rule`: one SgRule
per kind of peer. Rule resources whose group the root does not declare are kept on their own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from anyscale_lint.model import SecurityGroup, SgRule, SgRuleResource, SourceSpan, Unknown
from anyscale_lint.sources.terraform.coerce import port, text, texts
from anyscale_lint.sources.terraform.markers import unknown
from anyscale_lint.sources.terraform.nodes import Node
from anyscale_lint.sources.terraform.syntax import Attribute

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.builder import Builder
    from anyscale_lint.sources.terraform.items import Item


def _as_tuple(values: tuple[str, ...] | Unknown) -> tuple[str | Unknown, ...]:
    """One peer kind's values; a wholly unknown list becomes one unknown peer."""
    return (values,) if isinstance(values, Unknown) else values


def _element_spans(attribute: Attribute, count: int) -> list[SourceSpan]:
    """Where each element of a literal list attribute is written (the attribute otherwise)."""
    node = attribute.expr.tree
    # A literal list may be wrapped (parentheses); look through single-child wrappers.
    while isinstance(node, Node) and node.kind != "tuple" and len(node.children) == 1:
        node = node.children[0]
    elements = list(node.children) if isinstance(node, Node) and node.kind == "tuple" else []
    if len(elements) != count:
        return [attribute.span] * count
    path = attribute.span.path
    return [SourceSpan(path, e.line, e.end_line) for e in elements]


class SecurityGroups:
    """Builds security groups for a Builder, collecting rules declared apart from them."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        # Every rule resource, with the group it names, for those whose group is not declared.
        self.rule_resources: list[tuple[Item, str | Unknown, list[SgRule]]] = []

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
            attribute = item.written_attribute(direction)
            if attribute is not None:
                rules.extend(self._listed_rules(item, direction, attribute))
                continue
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

    def _listed_rules(self, item: Item, direction: str, attribute: Attribute) -> list[SgRule]:
        """Rules written as a list of objects (`ingress = [{ ... }]`), each at its element."""
        listed = item.get(direction)
        if isinstance(listed, Unknown) or not isinstance(listed, list):
            whole = (
                listed
                if isinstance(listed, Unknown)
                else unknown(attribute.expr.source(), "the rule list is not known")
            )
            return [
                SgRule(
                    direction,
                    whole,
                    whole,
                    whole,
                    origin=attribute.span,
                    declared_by=item.address,
                )
            ]
        rules: list[SgRule] = []
        for entry, span in zip(listed, _element_spans(attribute, len(listed)), strict=True):
            if isinstance(entry, Unknown):
                rules.append(SgRule(direction, entry, entry, entry, origin=span))
            elif isinstance(entry, dict):
                rules.extend(self._rules_from(direction, entry.get, item.address, span, ""))
        return [replace(r, declared_by=item.address) for r in rules]

    def detached(self) -> list[SgRuleResource]:
        """Rule resources whose group this root does not declare, each judged on its own."""
        declared = {g.key for g in self.builder.model.of_kind(SecurityGroup)}
        found = []
        for item, group, rules in self.rule_resources:
            if isinstance(group, str) and group in declared:
                continue
            common = self.builder.common(item)
            found.append(SgRuleResource(**common, group=group, rules=tuple(rules)))
        return found

    def _rules_from(
        self, direction: str, get: Any, group: str | Unknown, span: SourceSpan, declared_by: str
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
        if group is None:
            return
        direction = item.get("type") if item.get("type") in ("ingress", "egress") else "ingress"
        rules = self._rules_from(str(direction), item.get, group, item.span(), item.address)
        self._add(item, group, rules)

    def _add(self, item: Item, group: str | Unknown, rules: list[SgRule]) -> None:
        """Rules of one rule resource, for its group (or on their own when it is elsewhere)."""
        if isinstance(group, str):
            self.builder.drafts.sg_rules[group].extend(rules)
        self.rule_resources.append((item, group, rules))

    def _vpc_sg_rule(self, item: Item) -> None:
        group = self.builder.link(item.get("security_group_id"))
        if group is None:
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
        rules = self._rules_from(direction, values.get, group, item.span(), item.address)
        self._add(item, group, rules)
