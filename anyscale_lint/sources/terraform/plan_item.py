"""One resource of a Terraform plan or state JSON document, as the model builder reads it.

Values come from the planned (or recorded) values. A value Terraform knows only after apply
is a reference to the resource it comes from, when the configuration's expression names one
(`vpc_id = aws_vpc.main.id`), else an Unknown saying so; an attribute the configuration does
not set and the provider computes is not set, as it is when the HCL is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from anyscale_lint.model import COMPUTED, SourceSpan, Unknown
from anyscale_lint.sources.terraform.items import Item
from anyscale_lint.sources.terraform.markers import marker, unknown

AFTER_APPLY = "known only after apply"
# How many references through variables, module outputs and calls are followed.
_MAX_HOPS = 16


@dataclass(frozen=True)
class PlanBlock:
    """One nested block (an element of a list of objects) with its unknown and sensitive marks."""

    values: dict[str, Any]
    unknown: Any
    span: SourceSpan
    # The block's own expressions (a nested block), or the expression of the whole list
    # (an attribute written as a list of objects).
    expressions: dict[str, Any] = field(default_factory=dict)
    shared: Any = None


@dataclass
class Scope:
    """A module's configuration: expressions of resources, outputs, calls and its caller."""

    prefix: str
    config: dict[str, Any]
    parent: Scope | None = None
    call: dict[str, Any] = field(default_factory=dict)

    def child(self, name: str) -> Scope | None:
        call = self.config.get("module_calls", {}).get(name)
        if not isinstance(call, dict) or not isinstance(call.get("module"), dict):
            return None
        return Scope(f"{self.prefix}module.{name}.", call["module"], self, call)


_NOT_RESOURCES = frozenset({"var", "local", "data", "module", "each", "count", "path", "self"})
# The attribute a link names, by the end of its name (`subnet_id` names an `id`).
_LINKED_ATTRIBUTE = {"_arn": "arn", "name": "name"}


def _instance_key(references: list[str], index: Any) -> str | None:
    """`[n]` or `["key"]` when the expression indexes by this resource's own count or key."""
    if index is None:
        return None
    if "count.index" in references and isinstance(index, int):
        return f"[{index}]"
    if "each.key" in references and isinstance(index, str):
        return f'["{index}"]'
    return None


def _references(expression: Any) -> list[str]:
    if isinstance(expression, dict) and isinstance(expression.get("references"), list):
        return [r for r in expression["references"] if isinstance(r, str)]
    return []


def resolve(scope: Scope | None, reference: str, hops: int = 0) -> tuple[str, str] | None:
    """The resource address and attribute a reference ends at, following variables, module
    outputs and module calls; None when it ends elsewhere (a local, a data source, a list)."""
    if scope is None or hops > _MAX_HOPS:
        return None
    parts = reference.split(".")
    if parts[0] == "var" and len(parts) == 2 and scope.parent is not None:
        inputs = scope.call.get("expressions", {})
        found = _references(inputs.get(parts[1]))
        return resolve(scope.parent, found[0], hops + 1) if found else None
    if parts[0] == "module" and len(parts) == 3:
        child = scope.child(parts[1])
        output = child.config.get("outputs", {}).get(parts[2]) if child else None
        found = _references(output.get("expression")) if isinstance(output, dict) else []
        return resolve(child, found[0], hops + 1) if found else None
    if parts[0] in _NOT_RESOURCES:
        return None
    if len(parts) == 3:
        return f"{scope.prefix}{parts[0]}.{parts[1]}", parts[2]
    return None


@dataclass
class PlanItem(Item):
    """A managed resource instance of a plan (`after`) or a state (`values`)."""

    kind: str
    resource_address: str
    values: dict[str, Any]
    unknown_marks: dict[str, Any]
    expressions: dict[str, Any]
    scope: Scope | None
    where: SourceSpan
    reasons: dict[str, str]
    # The instance key (`count` index or `for_each` key), when the resource has one.
    index: Any = None
    # Every resource's instance addresses, by the address without the instance key.
    instances: dict[str, list[str]] = field(default_factory=dict)

    @property
    def address(self) -> str:
        return self.resource_address

    def get(self, name: str) -> Any:
        marks = self.unknown_marks.get(name)
        if marks is True:
            return self._after_apply(name)
        value = self.values.get(name)
        if _is_link(name) and isinstance(value, list) and isinstance(marks, list):
            value = self._linked_items(name, value, marks)
        return _with_unknowns(value, marks, f"{self.address}.{name}")

    def _targets(self, name: str, expression: Any = None) -> list[tuple[str, str]]:
        """The resource attributes the configuration's expression refers to, in order."""
        written = self.expressions.get(name) if expression is None else expression
        references = _references(written)
        found = [t for t in (resolve(self.scope, r) for r in references) if t is not None]
        if self.scope is None:
            return list(dict.fromkeys(found))
        # `aws_subnet.private[count.index].id` is written down as the resource and the index,
        # `aws_subnet.private[*].id` as the resource alone: every instance, in order.
        key = _instance_key(references, self.index)
        attribute = _LINKED_ATTRIBUTE.get(name[-4:], "id")
        named = {address for address, _ in found}
        for reference in references:
            if reference.count(".") != 1 or reference.split(".")[0] in _NOT_RESOURCES:
                continue
            base = f"{self.scope.prefix}{reference}"
            if key is not None:
                found.append((f"{base}{key}", attribute))
            elif base not in named:
                found += [(address, attribute) for address in self.instances.get(base, [])]
        return list(dict.fromkeys(found))

    def _reference(self, target: tuple[str, str]) -> str:
        address, attribute = target
        self.reasons.setdefault(f"{address}.{attribute}", COMPUTED)
        return marker(f"{address}.{attribute}")

    def _after_apply(self, name: str) -> Any:
        """A value known after apply: unset when the configuration does not set it (the
        provider computes it), a reference when the attribute links to one resource."""
        if name not in self.expressions:
            return None
        targets = self._targets(name)
        if _is_link(name) and len(targets) == 1:
            return self._reference(targets[0])
        return unknown(f"{self.address}.{name}", AFTER_APPLY)

    def _linked_items(self, name: str, value: list[Any], marks: list[Any]) -> list[Any]:
        """A list of links whose items are known after apply: when the expression names as
        many resources as there are unknown items, they are those resources, in order."""
        targets = self._targets(name)
        unknown_items = [n for n, mark in enumerate(marks) if mark is True]
        if len(targets) != len(unknown_items):
            return value
        linked = [*value, *([None] * (len(marks) - len(value)))]
        for number, target in zip(unknown_items, targets, strict=True):
            linked[number] = self._reference(target)
            marks[number] = False
        return linked

    def span(self) -> SourceSpan:
        return self.where

    def attribute_span(self, name: str) -> SourceSpan:
        return self.where

    def nested(self, block_type: str) -> list[Any] | Unknown:
        value = self.get(block_type)
        if isinstance(value, Unknown):
            return value
        marks = self.unknown_marks.get(block_type)
        blocks = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        written = self.expressions.get(block_type)
        own = written if isinstance(written, list) and len(written) == len(blocks) else []
        return [
            PlanBlock(
                block,
                _item(marks, number),
                self.where,
                own[number] if own and isinstance(own[number], dict) else {},
                written if isinstance(written, dict) else None,
            )
            for number, block in enumerate(blocks)
            if isinstance(block, dict)
        ]

    def block_value(self, block: Any, name: str) -> Any:
        assert isinstance(block, PlanBlock)
        marks = block.unknown if isinstance(block.unknown, dict) else {}
        if marks.get(name) is True:
            targets = self._targets(name, block.expressions.get(name, block.shared))
            if _is_link(name) and len(targets) == 1:
                return self._reference(targets[0])
            return unknown(f"{self.address}.{name}", AFTER_APPLY)
        value = block.values.get(name)
        # Providers record the unset string attributes of set elements (a route's
        # gateway_id) as "": unset, as the HCL would have it.
        return _with_unknowns(
            None if value == "" else value, marks.get(name), f"{self.address}.{name}"
        )

    def inner(self, block: Any, block_type: str) -> list[Any] | Unknown:
        assert isinstance(block, PlanBlock)
        value = self.block_value(block, block_type)
        if isinstance(value, Unknown):
            return value
        marks = block.unknown.get(block_type) if isinstance(block.unknown, dict) else None
        written = block.expressions.get(block_type)
        own = written if isinstance(written, list) else []
        blocks = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        return [
            PlanBlock(
                entry,
                _item(marks, number),
                block.span,
                own[number] if number < len(own) and isinstance(own[number], dict) else {},
            )
            for number, entry in enumerate(blocks)
            if isinstance(entry, dict)
        ]

    def recorded(self, attribute: str) -> str | None:
        value = self.values.get(attribute)
        known = self.unknown_marks.get(attribute) is not True
        return value if isinstance(value, str) and value and known else None

    def assigned(self, attribute: str) -> Any:
        value = self.values.get(attribute)
        if isinstance(value, str) and value and self.unknown_marks.get(attribute) is not True:
            return value
        self.reasons.setdefault(f"{self.address}.{attribute}", COMPUTED)
        return marker(f"{self.address}.{attribute}")


def _is_link(name: str) -> bool:
    """Whether an attribute names other resources (a policy document that mentions an ARN
    is not a link to it)."""
    return name.endswith(_LINK_SUFFIXES) or name in _LINK_NAMES


_LINK_SUFFIXES = ("_id", "_ids", "_arn", "_arns", "_name", "_names")
_LINK_NAMES = frozenset(
    {"role", "roles", "bucket", "subnets", "security_groups"}
    # google resources name networks and policies by these attributes.
    | {"network", "attachment_target", "firewall_policy", "authorized_network"}
)


def _item(marks: Any, number: int) -> Any:
    return marks[number] if isinstance(marks, list) and number < len(marks) else marks


def _with_unknowns(value: Any, marks: Any, expression: str) -> Any:
    """A value with the parts `after_unknown` marks replaced by Unknowns."""
    if marks is True:
        return unknown(expression, AFTER_APPLY)
    if isinstance(value, list) and isinstance(marks, list):
        return [
            _with_unknowns(item, _item(marks, n), f"{expression}[{n}]")
            for n, item in enumerate(value)
        ] + [unknown(f"{expression}[{n}]", AFTER_APPLY) for n in range(len(value), len(marks))]
    if isinstance(value, dict) and isinstance(marks, dict):
        merged = {
            key: _with_unknowns(item, marks.get(key), f"{expression}.{key}")
            for key, item in value.items()
        }
        for key, mark in marks.items():
            if mark is True and key not in merged:
                merged[key] = unknown(f"{expression}.{key}", AFTER_APPLY)
        return merged
    return value
