"""What every provider's Mermaid diagram shares: node IDs, labels, the failing and missing marks."""

from __future__ import annotations

from anyscale_lint.model import Resource

FAIL_CLASS = "fail"
MISSING_CLASS = "missing"
_FAIL_STYLE = f"classDef {FAIL_CLASS} fill:#ffe0e0,stroke:#c00,stroke-width:2px,color:#600"
_MISSING_STYLE = (
    f"classDef {MISSING_CLASS} fill:#fff,stroke:#c00,stroke-width:2px,stroke-dasharray:5 5,"
    "color:#600"
)


def text(value: object) -> str:
    """A label safe inside Mermaid double quotes; its `<br/>` line breaks stay line breaks."""
    escaped = str(value).replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return escaped.replace("#lt;br/#gt;", "<br/>")


class Diagram:
    """A flowchart being written: nodes get short IDs; failing parts are marked ❌ and drawn in
    the `fail` class, required parts not found are dashed nodes in the `missing` class."""

    def __init__(self, failing: set[str]) -> None:
        self.failing = failing
        self.ids: dict[str, str] = {}
        self.lines: list[str] = ["flowchart LR"]
        self.failed_ids: list[str] = []
        self.missing_ids: list[str] = []

    def node(self, resource: Resource | str, label: str, shape: str = "[]", indent: int = 1) -> str:
        key = resource.address if isinstance(resource, Resource) else resource
        node_id = self.ids.setdefault(key, f"n{len(self.ids)}")
        failed = key in self.failing
        if failed:
            self.failed_ids.append(node_id)
            label = "❌ " + label
        opener, closer = shape[: len(shape) // 2], shape[len(shape) // 2 :]
        self.lines.append(f'{"  " * indent}{node_id}{opener}"{text(label)}"{closer}')
        return node_id

    def missing(self, what: str, indent: int = 1) -> str:
        """A node for a required part that was not found."""
        node_id = self.node(f"missing:{what}", f"⛔ not found: {what}", indent=indent)
        self.missing_ids.append(node_id)
        return node_id

    def finish(self) -> str:
        """The Mermaid source, with the classes of the marked nodes."""
        self.lines.append(f"  {_FAIL_STYLE}")
        if self.failed_ids:
            self.lines.append(f"  class {','.join(dict.fromkeys(self.failed_ids))} {FAIL_CLASS}")
        if self.missing_ids:
            self.lines.append(f"  {_MISSING_STYLE}")
            self.lines.append(f"  class {','.join(self.missing_ids)} {MISSING_CLASS}")
        return "\n".join(self.lines)
