"""The light syntax tree the evaluator walks: one small node type, built from tree-sitter's tree.

Kinds and what they hold (`value`, `children`):

- body: -, attributes and blocks; attribute: name, (expression,); block: (type, labels), (body,)
- literal: True, False or None; number: its text; name: an object key written as a bare word
- template: the parts of a quoted string (templates.Part); heredoc: the heredoc as written
- tuple: -, elements; oversized_tuple: -, - (a literal list too long to evaluate)
- object: -, items; item: -, (key, value)
- variable: name; get_attr: name, (target,) or () inside a splat; index: -, (target, key) or (key,)
- splat: -, (target, access...); conditional: -, (condition, true, false)
- unary: operator, (operand,); binary: operator, (left, right)
- for_tuple: names, (collection, value[, condition]);
  for_object: (names, grouping), (collection, key, value[, condition])
- call: (name, expand_last), arguments
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Node:
    """One node: its kind, payload, children, and where it is (character offsets, 1-based lines)."""

    kind: str
    value: Any
    children: tuple[Node, ...]
    start: int
    end: int
    line: int
    end_line: int
    column: int


@dataclass(frozen=True)
class SyntaxProblem:
    """A syntax error found in a file: where, and what was expected or found."""

    line: int
    column: int | None
    message: str
