"""Small readers of AWS response shapes that both live builders use."""

from __future__ import annotations

from typing import Any

from anyscale_lint.sources.live.faults import failed_read

__all__ = ["failed_read", "items", "tags"]


def tags(items: Any) -> dict[str, str]:
    """`[{"Key": k, "Value": v}, ...]` as a dict (none when the read failed)."""
    if not isinstance(items, list):
        return {}
    return {str(t.get("Key")): str(t.get("Value", "")) for t in items}


def items(value: Any) -> list[dict[str, Any]]:
    """The items of a list response; a failed read leaves none (CORE-003 says why)."""
    return value if isinstance(value, list) else []
