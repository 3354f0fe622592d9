"""HCL structure (bodies, blocks, attributes) over the syntax tree; expressions stay nodes."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any

from anyscale_lint.model import SourceSpan
from anyscale_lint.sources.terraform.nodes import Node


@dataclass(frozen=True)
class Expr:
    """An expression: its parse tree (or a JSON value from .tf.json) and the text it came from."""

    tree: Any
    text: str
    path: str
    line: int

    def source(self) -> str:
        """The expression as written, for Unknown reasons and messages."""
        if isinstance(self.tree, Node):
            return " ".join(self.text[self.tree.start : self.tree.end].split())
        if isinstance(self.tree, JsonExpr):
            return json.dumps(self.tree.value)
        return str(self.tree)


@dataclass(frozen=True)
class JsonExpr:
    """A value from a `.tf.json` file: strings in it are templates."""

    value: Any


@dataclass
class Attribute:
    """`name = expression`."""

    name: str
    expr: Expr
    span: SourceSpan


@dataclass
class Block:
    """`type "label" ... { body }`."""

    type: str
    labels: list[str]
    body: Body
    span: SourceSpan


@dataclass
class Body:
    """Attributes by name and nested blocks in order."""

    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, block_type: str) -> list[Block]:
        """Nested blocks of one type."""
        return [block for block in self.blocks if block.type == block_type]


def _span(node: Node, path: str) -> SourceSpan:
    return SourceSpan(path, node.line, node.end_line)


def body_from_tree(tree: Node, text: str, path: str) -> Body:
    """Turn a `body` node into a Body."""
    body = Body()
    for child in tree.children:
        if child.kind == "attribute":
            expression = child.children[0]
            # A redefined attribute is an error (validate.py): the first one stays.
            body.attributes.setdefault(
                child.value,
                Attribute(
                    child.value, Expr(expression, text, path, expression.line), _span(child, path)
                ),
            )
        elif child.kind == "block":
            block_type, labels = child.value
            inner = body_from_tree(child.children[0], text, path)
            body.blocks.append(Block(block_type, list(labels), inner, _span(child, path)))
    return body


def _json_line(text: str, key: str, start: int) -> tuple[int, int]:
    """Approximate line of a JSON key at or after `start` (JSON parsers drop positions)."""
    position = text.find(json.dumps(key), start)
    if position < 0:
        position = start
    return bisect.bisect_left(_newlines(text), position) + 1, position


_NEWLINE = re.compile("\n")
_NEWLINES: dict[str, list[int]] = {}


def _newlines(text: str) -> list[int]:
    """The offsets of the newlines of the last text asked about (one pass per text)."""
    # Counting newlines up to each key would be quadratic in the number of keys.
    if text not in _NEWLINES:
        _NEWLINES.clear()
        _NEWLINES[text] = [match.start() for match in _NEWLINE.finditer(text)]
    return _NEWLINES[text]


# Block types of a Terraform JSON file, with how many labels each takes.
_JSON_BLOCK_LABELS = {
    "resource": 2,
    "data": 2,
    "module": 1,
    "variable": 1,
    "output": 1,
    "provider": 1,
}


def body_from_json(document: dict[str, Any], text: str, path: str) -> Body:
    """Turn a Terraform JSON configuration (`.tf.json`) into a Body."""
    body = Body()
    cursor = 0
    for block_type, content in document.items():
        line, cursor = _json_line(text, block_type, cursor)
        if block_type == "locals" and isinstance(content, dict):
            inner = _json_body(content, text, path, line, cursor)
            body.blocks.append(Block("locals", [], inner, SourceSpan(path, line, line)))
            continue
        labels_needed = _JSON_BLOCK_LABELS.get(block_type)
        if labels_needed is None or not isinstance(content, dict):
            continue
        for labels, block_body, block_line in _json_labelled(
            content, labels_needed, text, path, line, cursor
        ):
            body.blocks.append(
                Block(block_type, labels, block_body, SourceSpan(path, block_line, block_line))
            )
    return body


def _json_labelled(
    content: dict[str, Any], depth: int, text: str, path: str, line: int, start: int = 0
) -> list[tuple[list[str], Body, int]]:
    found: list[tuple[list[str], Body, int]] = []
    # Keys are searched for after the previous one (json.loads keeps their order), so that
    # finding them all is one pass over the text.
    cursor = start
    for label, inner in content.items():
        label_line, cursor = _json_line(text, label, cursor)
        items = inner if isinstance(inner, list) else [inner]
        for item in items:
            if not isinstance(item, dict):
                continue
            if depth == 1:
                body = _json_body(item, text, path, label_line, cursor)
                found.append(([label], body, label_line))
            else:
                for labels, body, block_line in _json_labelled(
                    item, depth - 1, text, path, label_line, cursor
                ):
                    found.append(([label, *labels], body, block_line))
    return found


def _json_body(content: dict[str, Any], text: str, path: str, line: int, start: int = 0) -> Body:
    body = Body()
    for key, value in content.items():
        key_line, key_at = _json_line(text, key, start)
        is_block_list = (
            isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        )
        if (isinstance(value, dict) and key in _NESTED_JSON_BLOCKS) or (
            is_block_list and key in _NESTED_JSON_BLOCKS
        ):
            for item in value if isinstance(value, list) else [value]:
                body.blocks.append(
                    Block(
                        key,
                        [],
                        _json_body(item, text, path, key_line, key_at),
                        SourceSpan(path, key_line, key_line),
                    )
                )
            continue
        body.attributes[key] = Attribute(
            key, Expr(JsonExpr(value), text, path, key_line), SourceSpan(path, key_line, key_line)
        )
    return body


# Nested blocks in resources we model; in JSON syntax they look like object attributes.
_NESTED_JSON_BLOCKS = {
    "ingress",
    "egress",
    "cors_rule",
    "route",
    "inline_policy",
    "statement",
    "principals",
    "not_principals",
    "condition",
    "lifecycle",
    "dynamic",
    "content",
    "versioning",
}
