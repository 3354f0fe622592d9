"""The namespaces an expression reads through: `var`/`local`/`module` tables, a module call's
outputs, resources (one instance, or the symbolic one standing for an unknown count)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from anyscale_lint.model import COMPUTED, Unknown
from anyscale_lint.sources.terraform.evaluation import Namespace
from anyscale_lint.sources.terraform.google_attributes import derived, provider_project
from anyscale_lint.sources.terraform.markers import is_known, unknown_parts
from anyscale_lint.sources.terraform.markers import marker as spelled

if TYPE_CHECKING:
    from anyscale_lint.sources.terraform.module import Instance, ModuleInstance


class Table(Namespace):
    """`var`, `local`, `module`, `data.kind` or a resource type: attribute access by name."""

    def __init__(self, label: str, lookup: Callable[[str], Any]) -> None:
        super().__init__(label)
        self._lookup = lookup

    def attr(self, name: str) -> Any:
        return self._lookup(name)


class ModuleOutputs(Namespace):
    """A module instance seen from its caller: its outputs."""

    def __init__(
        self,
        address: str,
        module: ModuleInstance | Unknown,
        unknown: Callable[[str, str], Unknown],
    ) -> None:
        super().__init__(address)
        self.module = module
        # Records why the output is unknown, so a reference to it explains itself.
        self._unknown = unknown

    def attr(self, name: str) -> Any:
        if isinstance(self.module, Unknown):
            return self._unknown(f"{self.label}.{name}", self.module.reason)
        return self.module.output(name)


class UncountedResource(Namespace):
    """A counted resource whose count is unknown: every element is the one symbolic instance."""

    def __init__(self, label: str, instance: Instance, make: Callable[[Instance], Any]) -> None:
        super().__init__(label)
        self._item = make(instance)

    def index(self, key: Any) -> Any:
        return [self._item] if key == "*" else self._item

    def attr(self, name: str) -> Any:
        return self._item.attr(name)


# Attributes that equal another attribute of the same resource, per resource type: an S3
# bucket's `id` is its name, a role's `id` is its name.
_ALIASES: dict[str, dict[str, str]] = {
    "aws_s3_bucket": {"id": "bucket"},
    "aws_iam_role": {"id": "name"},
    "aws_iam_instance_profile": {"id": "name"},
}
# Attributes that name the resource itself. When their value is not fully known, a reference
# still identifies the resource, so it stays a reference (`${aws_s3_bucket.b.bucket}`) that
# links to it, rather than becoming the Unknown of whatever variable feeds the name.
_IDENTITY = {"name", "bucket", "id", "arn"}


class ResourceObject(Namespace):
    """A resource instance as an expression sees it."""

    def __init__(self, module: ModuleInstance, kind: str, instance: Instance) -> None:
        super().__init__(instance.address)
        self.module = module
        self.kind = kind
        self.instance = instance

    def attr(self, name: str) -> Any:
        own = _ALIASES.get(self.kind, {}).get(name, name)
        value = self.module.attribute(self.instance, own)
        if value is None and name == "arn" and self.kind == "aws_s3_bucket":
            bucket = self.module.attribute(self.instance, "bucket")
            value = f"arn:aws:s3:::{bucket}" if isinstance(bucket, str) else None
        if value is None:
            value = derived(self.kind, name, self._own, self._provider_project)
        if value is None:
            return self.module.computed(self.instance.address, name)
        if name in _IDENTITY and not is_known(value):
            parts = unknown_parts(value)
            reason = self.module.evaluator.reasons.get(parts[0], COMPUTED) if parts else COMPUTED
            marker = f"{self.instance.address}.{name}"
            self.module.evaluator.reasons.setdefault(marker, reason)
            return spelled(marker)
        return value

    def _own(self, name: str) -> Any:
        return self.module.attribute(self.instance, name)

    def _provider_project(self) -> Any:
        written = self.instance.block.body.attributes.get("provider")
        return provider_project(self.module.settings, written.expr.source() if written else None)

    def materialize(self) -> Any:
        return {name: self.attr(name) for name in ("id", "arn", "name")}
