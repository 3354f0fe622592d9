"""Terraform's sensitive values: which strings are sensitive, and what is computed from them.

Terraform marks a value sensitive when it comes from a `sensitive = true` variable or output,
and every value computed from a marked value is marked too. We do not carry marks on values;
instead every evaluation node records whether a sensitive value flowed into it:

- a node that passes a value through (`var.x`, `local.y`, `a[0]`, `a.b`, `c ? a : b`, parens)
  is tainted when the value it returns holds a registered sensitive string: taking the
  non-sensitive element of an object that also holds a secret is not sensitive;
- a node that builds a collection (`[...]`, `{...}`, `for`) is tainted when an element is, but
  registers nothing itself: its elements were registered where they were computed;
- any other node computes a new value (a function call, an interpolation, an operator); when
  one of its operands was tainted, every string and number inside its result is registered.

The registered strings land in the model's `sensitive_values`, which every output redacts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

PASS_THROUGH = frozenset({"variable", "get_attr", "index", "splat", "conditional"})
CONSTRUCTORS = frozenset({"tuple", "object", "for_tuple", "for_object"})


def leaves(value: Any) -> Iterator[str]:
    """The strings and numbers (as text) inside a value, through lists and maps."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if item:
                yield item
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, (int, float)):
            yield str(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


class Sensitivity:
    """The sensitive strings of one root and the taint of the expressions being evaluated."""

    def __init__(self, values: set[str]) -> None:
        # Shared with the model (`CloudModel.sensitive_values`): registering is publishing.
        self.values = values
        self._stack: list[bool] = []

    def register(self, value: Any) -> None:
        """Mark every string and number inside a value sensitive."""
        self.values.update(leaves(value))

    def holds(self, value: Any) -> bool:
        """Whether a value holds a registered sensitive string or number."""
        return bool(self.values) and any(leaf in self.values for leaf in leaves(value))

    def track(self, kind: str, compute: Callable[[], Any]) -> Any:
        """Evaluate one node, registering its result when it is computed from a sensitive value."""
        self._stack.append(False)
        try:
            value = compute()
        finally:
            tainted = self._stack.pop()
        if not self.values:
            return value
        if kind in PASS_THROUGH:
            tainted = self.holds(value)
        elif tainted and kind not in CONSTRUCTORS:
            self.register(value)
        if tainted and self._stack:
            self._stack[-1] = True
        return value
