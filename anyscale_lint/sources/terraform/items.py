"""A resource instance as the builder reads it (`Item`), whatever it was read from: a block of
HCL evaluated in its module instance (`HclItem`, here) or a resource of a plan (plan_item.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from anyscale_lint.model import (
    SourceSpan,
    Unknown,
)
from anyscale_lint.sources.terraform.blocks import NestedBlock, expand_blocks
from anyscale_lint.sources.terraform.module import Instance, ModuleInstance, module_instances
from anyscale_lint.sources.terraform.syntax import Attribute


class Item:
    """One resource instance as the builder reads it, whatever it was read from."""

    kind: str

    @property
    def address(self) -> str:
        raise NotImplementedError

    def get(self, name: str) -> Any:
        """An attribute's value (None when not set)."""
        raise NotImplementedError

    def span(self) -> SourceSpan:
        """Where the resource is written."""
        raise NotImplementedError

    def attribute_span(self, name: str) -> SourceSpan:
        """Where an attribute is written (the block when it is not set)."""
        raise NotImplementedError

    def nested(self, block_type: str) -> list[Any] | Unknown:
        """The nested blocks of a type."""
        raise NotImplementedError

    def block_value(self, block: Any, name: str) -> Any:
        """An attribute of one of this resource's nested blocks."""
        raise NotImplementedError

    def assigned(self, attribute: str) -> Any:
        """An attribute the provider assigns (an ARN): its value, or a reference to it."""
        raise NotImplementedError

    def inner(self, block: Any, block_type: str) -> list[Any] | Unknown:
        """The blocks of a type nested in one of this resource's nested blocks (`match` ->
        `layer4_configs`)."""
        raise NotImplementedError

    def provider_region(self) -> Any:
        """The region of the provider configuration the resource names, when it names one."""
        return None

    def provider_project(self) -> Any:
        """The project of the google provider configuration the resource names, if it names one."""
        return None

    def written_attribute(self, name: str) -> Attribute | None:
        """The attribute as written in HCL (for the places of a list's elements), if any."""
        return None

    def recorded(self, attribute: str) -> str | None:
        """An ID or ARN the cloud assigned, when the input records it (a state)."""
        return None

    def uncounted(self) -> str | None:
        """Why the number of instances is not known, when this instance stands for all."""
        return None


@dataclass
class HclItem(Item):
    """One resource instance of a module read from HCL, with the module that evaluates it."""

    module: ModuleInstance
    kind: str
    instance: Instance

    @property
    def address(self) -> str:
        return self.instance.address

    def get(self, name: str) -> Any:
        return self.module.attribute(self.instance, name)

    def span(self) -> SourceSpan:
        return self.instance.block.span

    def attribute_span(self, name: str) -> SourceSpan:
        attribute = self.instance.block.body.attributes.get(name)
        return attribute.span if attribute is not None else self.span()

    def nested(self, block_type: str) -> list[Any] | Unknown:
        return expand_blocks(
            self.module.evaluator, self.instance.block.body, block_type, self.instance.variables
        )

    def block_value(self, block: NestedBlock, name: str) -> Any:
        return block.value(self.module.evaluator, name)

    def inner(self, block: NestedBlock, block_type: str) -> list[Any] | Unknown:
        return expand_blocks(self.module.evaluator, block.body, block_type, block.variables)

    def assigned(self, attribute: str) -> Any:
        return self.module.computed(self.address, attribute)

    def written_attribute(self, name: str) -> Attribute | None:
        return self.instance.block.body.attributes.get(name)

    def provider_region(self) -> Any:
        return self._provider_setting("provider_regions")

    def provider_project(self) -> Any:
        return self._provider_setting("provider_projects")

    def _provider_setting(self, table: str) -> Any:
        provider = self.instance.block.body.attributes.get("provider")
        if provider is None:
            return None
        return self.module.settings.get(table, {}).get(provider.expr.source())

    def uncounted(self) -> str | None:
        variables = self.instance.variables
        marker = (variables.get("count") or {}).get(
            "index", (variables.get("each") or {}).get("key")
        )
        return marker.reason if isinstance(marker, Unknown) else None


def walk(module: ModuleInstance) -> Iterator[HclItem]:
    """Every resource instance in a module and its local child modules."""
    for each in module_instances(module):
        for kind, _, instance in each.resource_instances():
            yield HclItem(each, kind, instance)
